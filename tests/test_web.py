"""Real inputs: saved pages, URLs and feeds, served from 127.0.0.1 (no other network)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app

PAGES = Path(__file__).resolve().parent / "fixtures" / "web"
runner = CliRunner()

# (page, title, day, outlet, a sentence of its text, words that must not be in it)
EXPECTED = {
    "classic.html": ("Council votes to close the old plant", "2024-05-14", "Harbor Gazette",
                     "The city council voted 7-2 on Tuesday", ["Subscribe", "Copyright"]),
    "jsonld.html": ("Senate passes the budget deal after a long night", "2023-11-17", "Capitol Ledger Daily",
                    "The Senate passed the budget deal early on Friday", []),
    "heavy.html": ("Storm closes the coastal highway", "2022-02-03", "Bay Courier",
                   "A winter storm closed the coastal highway", ["Trending", "Unbelievable", "sourdough", "Privacy"]),
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (the timeout test)

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        name = self.path.lstrip("/")
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if name in EXPECTED:
            self._send(200, "text/html; charset=utf-8", (PAGES / name).read_bytes())
        elif name == "feed.rss":
            items = "".join(f"<item><title>{t[0]}</title><link>{base}/{n}</link></item>" for n, t in EXPECTED.items())
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
            self._send(200, "application/rss+xml", body.encode())
        elif name == "mixed.rss":
            links = [f"{base}/classic.html", f"{base}/missing", f"{base}/image"]
            items = "".join(f"<item><title>x</title><link>{u}</link></item>" for u in links)
            self._send(200, "application/rss+xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
        elif name == "slow":
            time.sleep(3)
            self._send(200, "text/html", b"<html><body><p>late</p></body></html>")
        elif name == "image":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        elif name == "huge":
            self._send(200, "text/html", b"<html><body>" + b"<p>word </p>" * 30_000 + b"</body></html>")
        else:
            self._send(404, "text/plain", b"not found")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _articles(db: str) -> dict[str, dict]:
    res = runner.invoke(app, ["sql", "select a.title, a.published, a.url, a.text, s.name as source from articles a "
                                     "join sources s on s.id = a.source_id", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    return {r["title"]: r for r in json.loads(res.stdout)}


def _check(rows: dict[str, dict], page: str) -> None:
    title, day, outlet, sentence, absent = EXPECTED[page]
    row = rows[title]
    assert (row["published"], row["source"]) == (day, outlet)
    assert row["text"].startswith(title) and sentence in row["text"]
    assert not [w for w in absent if w in row["text"]]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_url_gives_the_page_text_title_day_and_outlet(site: str, tmp_path: Path, page: str) -> None:
    db = str(tmp_path / "l.db")
    res = runner.invoke(app, ["ingest", f"{site}/{page}", "--db", db, "-q"])
    assert res.exit_code == 0, res.output
    rows = _articles(db)
    _check(rows, page)
    assert rows[EXPECTED[page][0]]["url"] == f"{site}/{page}"


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_saved_page_reads_like_its_url(tmp_path: Path, page: str) -> None:
    db = str(tmp_path / "l.db")
    res = runner.invoke(app, ["ingest", str(PAGES / page), "--db", db, "-q"])
    assert res.exit_code == 0, res.output
    _check(_articles(db), page)


def test_a_feed_brings_each_item_and_skips_what_the_ledger_has(site: str, tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    res = runner.invoke(app, ["ingest", f"{site}/feed.rss", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["added"] == 3
    rows = _articles(db)
    for page in EXPECTED:
        _check(rows, page)
    again = json.loads(runner.invoke(app, ["ingest", f"{site}/feed.rss", "--db", db, "--json"]).stdout)
    assert (again["added"], again["skipped"]) == (0, 3)


@pytest.mark.parametrize(("path", "message"), [
    ("missing", "HTTP 404 Not Found"),
    ("slow", "timed out"),
    ("image", "not a web page (image/png)"),
    ("huge", "larger than 100,000 bytes"),
])
def test_a_page_that_fails_is_one_line_and_the_others_go_in(site: str, tmp_path: Path, path: str, message: str) -> None:
    config = tmp_path / "web.toml"
    config.write_text("[ingest]\nfetch_timeout = 1.0\nfetch_retries = 0\nmax_page_bytes = 100000\n")
    db = str(tmp_path / "l.db")
    res = runner.invoke(app, ["ingest", f"{site}/{path}", f"{site}/classic.html", "--db", db, "-q",
                              "--config", str(config)])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {site}/{path}: ") and message in lines[0]
    assert lines[0].endswith("(skipped; the other inputs were ingested)")
    assert list(_articles(db)) == ["Council votes to close the old plant"]


def test_strict_stops_before_anything_is_written(site: str, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    res = runner.invoke(app, ["ingest", f"{site}/classic.html", f"{site}/mixed.rss", "--db", str(db), "--strict"])
    assert res.exit_code == 1 and res.stderr.startswith(f"Error: {site}/missing: HTTP 404")
    assert not db.exists() or _articles(str(db)) == {}
