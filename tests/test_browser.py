"""datasette over the seed ledger and the HTML report, checked in a real headless Chromium.

Chromium comes from the system (Debian's ``chromium``; CI installs it). Without it these tests
skip, unless CLAIMLEDGER_REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from claimledger.store import queries
from claimledger.store.ledger import Ledger

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
if CHROMIUM is None:
    if os.environ.get("CLAIMLEDGER_REQUIRE_BROWSER") == "1":
        raise RuntimeError("CLAIMLEDGER_REQUIRE_BROWSER=1 but no chromium on PATH")
    pytest.skip("no chromium on PATH", allow_module_level=True)

A, B = "Defense Desk", "Wire Brief"
GREEN, ORANGE = (0xC8, 0xEC, 0xD0), (0xFF, 0xD9, 0xA8)  # asserts / disagrees cells in the report


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with no network chatter of its own (the flags keep it to localhost)."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=60, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`claimledger serve` on the seed ledger (copied to ledger.db so the database is /ledger)."""
    db = tmp_path_factory.mktemp("serve") / "ledger.db"
    shutil.copy(seed_db, db)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "claimledger", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read() if proc.stdout else "serve exited") from None
                time.sleep(0.1)
        yield base + "/ledger"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get_json(url: str) -> list[dict]:
    with urllib.request.urlopen(url + ("&" if "?" in url else "?") + "_shape=array", timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def story(seed_db: Path) -> str:
    with Ledger(seed_db, read_only=True) as ledger:
        return str(queries.list_stories(ledger)[0]["story"])


def test_canned_coverage_of_a_story(server: str, seed_db: Path, story: str) -> None:
    rows = get_json(f"{server}/coverage_of_story.json?story={story[:6]}")
    with Ledger(seed_db, read_only=True) as ledger:
        claims = queries.list_claims(ledger, story)
    expected = {(c["claim"], s, status) for c in claims for status in ("asserts", "maybe", "omits")
                for s in c[status]}
    assert {(r["claim_id"], r["source"], r["status"]) for r in rows} == expected


def test_canned_omissions_disagreements_and_speakers(server: str) -> None:
    # A states Blinken's "in desperation"; B does not (it omits it, or may word it otherwise)
    story = get_json(f"{server}/coverage_of_story.json?story=")
    desperation = {r["source"]: r["status"] for r in story if "in desperation" in r["canonical"] and r["kind"] != "event"}
    assert desperation[A] == "asserts" and desperation[B] in {"omits", "maybe"}
    omitted = {r["claim_id"] for r in get_json(f"{server}/omitted_by_source.json?source={quote(B)}")}
    assert omitted == {r["claim_id"] for r in story if r["source"] == B and r["status"] == "omits"}
    assert not any("in desperation" in r["canonical"] for r in get_json(f"{server}/omitted_by_source.json?source={quote(A)}"))
    dis = get_json(f"{server}/disagreements_by_claim.json")
    days = {(r["source"], r["values"]) for r in dis if r["kind"] == "date (as written)"}
    assert {(B, "tuesday"), ("Summit Report", "wednesday")} <= days
    quotes = get_json(f"{server}/quotes_of_speaker.json?speaker=Blinken")
    assert [(q["speaker"], q["source"], q["text"]) for q in quotes] == [("Antony Blinken", A, "in desperation")]


def test_metadata_describes_tables(server: str) -> None:
    with urllib.request.urlopen(server + "/claims", timeout=10) as r:
        page = r.read().decode()
    assert "One statement, merged across the outlets that make it." in page


def test_coverage_page_in_chromium(server: str, story: str, tmp_path: Path) -> None:
    url = f"{server}/coverage_of_story?story={story}"
    dom = chromium("--dump-dom", url, tmp=tmp_path).stdout
    assert "Coverage of a story" in dom
    assert dom.count(">omits<") > 50 and dom.count(">asserts<") > 50
    shot = tmp_path / "coverage.png"
    chromium("--window-size=1280,900", f"--screenshot={shot}", url, tmp=tmp_path)
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 900)
    assert len(img.resize((320, 225)).getcolors(1 << 16) or []) > 50  # a rendered page, not a blank or error screen


def test_report_in_chromium(seed_db: Path, story: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimledger.cli import app

    page = tmp_path / "report.html"
    assert CliRunner().invoke(app, ["report", story, "-o", str(page), "--db", str(seed_db)]).exit_code == 0
    dom = chromium("--dump-dom", page.as_uri(), tmp=tmp_path).stdout
    assert dom.count('class="cell disagrees"') >= 8
    shot = tmp_path / "report.png"
    chromium("--window-size=1280,1000", f"--screenshot={shot}", page.as_uri(), tmp=tmp_path)
    colours = {c for _, c in Image.open(shot).convert("RGB").getcolors(1 << 20) or []}
    assert GREEN in colours and ORANGE in colours  # the matrix drew asserts and disagrees cells


# counts the words of the coverage matrix's outlet headers that the layout split across lines
_BROKEN_WORDS = """<script>
let broken = 0;
for (const th of document.querySelectorAll('th.src')) {
  const node = th.firstChild, text = node.textContent, range = document.createRange();
  for (const m of text.matchAll(/\\S+/g)) {
    range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
    if (range.getClientRects().length > 1) broken++;
  }
}
document.body.dataset.broken = String(broken);
</script>"""


def test_report_headers_wrap_outlet_names_between_words(nlp, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimledger.cli import app

    db, page = str(tmp_path / "l.db"), tmp_path / "report.html"
    for source in ["Harbor Gazette Internationale Weekend", "Plain"]:
        text = 'The mayor said the bridge "will open on Monday," officials confirmed.'
        res = CliRunner().invoke(app, ["ingest", "-", "--source", source, "--story", "Bridge", "--db", db], input=text)
        assert res.exit_code == 0, res.output
    assert CliRunner().invoke(app, ["report", "Bridge", "-o", str(page), "--db", db]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", _BROKEN_WORDS + "</body>"), encoding="utf-8")
    dom = chromium("--window-size=1280,1000", "--dump-dom", page.as_uri(), tmp=tmp_path).stdout
    assert 'data-broken="0"' in dom


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc")
def test_killing_serve_stops_datasette_and_removes_its_files(seed_db: Path, tmp_path: Path) -> None:
    import signal

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "claimledger", "serve", "--db", str(seed_db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
                break
            except OSError:
                assert proc.poll() is None, "serve exited early"
                time.sleep(0.1)
        children = _children(proc.pid)
        assert children
        meta = next(a for a in Path(f"/proc/{children[0]}/cmdline").read_text().split("\0") if a.endswith(".json"))
        assert Path(meta).exists()
        os.kill(proc.pid, signal.SIGTERM)  # as `kill PID` does
        assert proc.wait(timeout=10) == 0
        deadline = time.time() + 5
        while time.time() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
            time.sleep(0.1)
        assert not any(Path(f"/proc/{c}").exists() for c in children), "datasette outlived serve"
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
        assert not Path(meta).parent.exists()  # the temporary metadata folder went with it
    finally:
        if proc.poll() is None:
            proc.kill()
