"""Exports (json, csv, markdown) of a story and a diff, the HTML report, and terminal output."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.errors import InputError
from claimledger.output.export import read_story_json, render_story, story_export
from claimledger.store import queries
from claimledger.store.ledger import Ledger

runner = CliRunner()
A, B = "Defense Desk", "Wire Brief"  # seed outlets (file stems)


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def story(seed_db: Path) -> str:
    with Ledger(seed_db, read_only=True) as ledger:
        return str(queries.list_stories(ledger)[0]["story"])


def test_json_export_round_trips(seed_db: Path, story: str) -> None:
    res = run("export", "story", story[:6], "--db", str(seed_db))
    assert res.exit_code == 0, res.output
    back = read_story_json(res.stdout)
    with Ledger(seed_db, read_only=True) as ledger:
        claims = queries.list_claims(ledger, story)
    assert [(c.id, c.kind, c.canonical) for c in back.claims] == [(c["claim"], c["kind"], c["canonical"]) for c in claims]
    for c, row in zip(back.claims, claims):
        assert sorted(s for s, st in c.status.items() if st in {"asserts", "disagrees"}) == row["asserts"]
        assert sorted(s for s, st in c.status.items() if st == "maybe") == row["maybe"]
        assert sorted(s for s, st in c.status.items() if st == "omits") == row["omits"]
    assert render_story(back, "json") == res.stdout


def test_export_spans_point_into_the_articles(seed_db: Path, story: str) -> None:
    with Ledger(seed_db, read_only=True) as ledger:
        exp = story_export(ledger, story)
        texts = {r["id"]: r["text"] for r in ledger.query("select id, text from articles")}
    spans = [m for c in exp.claims for m in c.mentions] + list(exp.quotes)
    assert len(spans) > 100
    assert all(texts[s.article_id][s.start:s.end] == s.text for s in spans)


# (claim text fragment, source, expected status): the seeds' known disagreements and omissions
STATUS = [
    ("truly a breakthrough", A, "disagrees"),  # "breakthrough document"
    ("truly a breakthrough", B, "asserts"),  # as 001 words it
    ("truly a breakthrough", "Capital Digest", "asserts"),
    ("in desperation", A, "asserts"),
    ("in desperation", B, {"omits", "maybe"}),
]


@pytest.mark.parametrize(("fragment", "source", "status"), STATUS)
def test_status_per_outlet(seed_db: Path, story: str, fragment: str, source: str, status: str | set[str]) -> None:
    with Ledger(seed_db, read_only=True) as ledger:
        exp = story_export(ledger, story)
    claim = next(c for c in exp.claims if fragment in c.canonical)
    assert claim.status[source] in (status if isinstance(status, set) else {status})


def test_csv_export_has_a_row_per_mention(seed_db: Path, story: str) -> None:
    res = run("export", "story", story, "--format", "csv", "--db", str(seed_db))
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    exp = read_story_json(run("export", "story", story, "--db", str(seed_db)).stdout)
    spans = [m for c in exp.claims for m in c.mentions]
    silent = sum(1 for c in exp.claims for s in exp.sources if not any(m.source == s for m in c.mentions))
    assert len(rows) == len(spans) + silent
    assert {(r["claim_id"], r["source"]) for r in rows} == {(c.id, s) for c in exp.claims for s in exp.sources}
    assert {r["status"] for r in rows} == {"asserts", "maybe", "omits", "disagrees"}
    with sqlite3.connect(seed_db) as con:  # each row's span is its own sentence's
        for r in rows:
            if r["start"]:
                (text,) = con.execute("select text from articles where id = ?", (r["article_id"],)).fetchone()
                assert text[int(r["start"]):int(r["end"])] == r["text"]
    assert any(int(n) > 1 for n in Counter((r["claim_id"], r["source"]) for r in rows).values())


def test_markdown_export(seed_db: Path, story: str) -> None:
    md = run("export", "story", story, "-f", "md", "--db", str(seed_db)).stdout
    assert md.startswith("# Russia, DPRK agree on mutual aid against aggression: Putin\n")
    assert "| claim | Asia Roundup | Capital Digest | Defense Desk | Summit Report | Wire Brief |" in md
    assert re.search(r"\| Antony Blinken \| Defense Desk \| “in desperation” \|", md)
    assert "date (as written), Wire Brief: Tuesday" in md
    assert len(re.findall(r"\| ✓ \| ✓ \| ✓ \| ✓ \| ✓ \| \*\*event:\*\* ", md)) == 1  # the story's event, all five


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_diff_export(seed_db: Path, fmt: str) -> None:
    res = run("export", "diff", A, B, "--format", fmt, "--db", str(seed_db))
    assert res.exit_code == 0, res.output
    with Ledger(seed_db, read_only=True) as ledger:
        data = queries.diff(ledger, A, B)
    if fmt == "json":
        assert json.loads(res.stdout) == data
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert {r["claim_id"] for r in rows if r["section"] == "only_a"} == {c["claim"] for c in data["only_a"]}
    else:
        assert f"## only in {A} ({len(data['only_a'])})" in res.stdout
        assert "in desperation" in res.stdout


def test_export_to_file(seed_db: Path, story: str, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    res = run("export", "story", story, "-o", str(out), "--db", str(seed_db))
    assert res.exit_code == 0 and res.stdout == ""
    assert read_story_json(out.read_text(encoding="utf-8")).story_id == story


EXPORT_ERRORS = [
    (["export", "story", "zzz"], "Error: no story 'zzz' ('claimledger stories' lists them)"),
    (["export", "story", "x", "-f", "xml"], "Error: unknown format 'xml' (use one of: json, csv, markdown)"),
    (["export", "diff", "nobody", A], "Error: no source 'nobody' in the ledger ('claimledger sources' lists them)"),
    (["report", "zzz"], "Error: no story 'zzz' ('claimledger stories' lists them)"),
]


@pytest.mark.parametrize(("args", "line"), EXPORT_ERRORS)
def test_export_errors(seed_db: Path, args: list[str], line: str) -> None:
    res = run(*args, "--db", str(seed_db))
    assert res.exit_code == 1
    assert res.stderr.strip() == line


def test_reading_a_bad_export() -> None:
    with pytest.raises(InputError) as e:
        read_story_json('{"format": "claimledger.story/1", "story_id": "x"}')
    assert str(e.value) == "not a claimledger.story/1 export: name: Field required"


def test_report_html(seed_db: Path, story: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = run("report", story, "-o", str(out), "--db", str(seed_db))
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.split("<body>")[1]  # self-contained
    with Ledger(seed_db, read_only=True) as ledger:
        n = len(queries.list_claims(ledger, story))
    assert page.count('<tr id="row-') == n
    assert page.count('class="cell disagrees"') >= 8
    assert "Antony Blinken</td><td>Defense Desk</td><td>“in desperation”" in page
    assert page.count('<span class="kind">event</span>') == 1


@pytest.mark.parametrize("args", [["claims"], ["stories"], ["diff", A, B], ["sql", "select * from disagreements"]])
def test_terminal_tables_fit_80_columns_without_colour(seed_db: Path, args: list[str]) -> None:
    res = runner.invoke(app, [*args, "--db", str(seed_db)], env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert res.exit_code == 0
    assert "\x1b[" not in res.stdout
    assert max(len(line) for line in res.stdout.splitlines()) <= 80


def test_quiet_ingest_prints_nothing(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    f = tmp_path / "a.txt"
    f.write_text("The council voted 7-2 on Tuesday to close the plant, the mayor said.", encoding="utf-8")
    res = run("ingest", str(f), "--db", str(db), "--quiet")
    assert res.exit_code == 0 and res.stdout == "" and res.stderr == ""


def test_completion_and_module_entry() -> None:
    import os
    import subprocess
    import sys

    # typer picks the shell by looking at the parent processes; a run with no shell above it
    # (a detached job) names it on the command line instead, as this does
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = subprocess.run([sys.executable, "-m", "claimledger", "--show-completion", "bash"],
                           capture_output=True, text=True, env=env)
    assert shown.returncode == 0 and "COMP_WORDS" in shown.stdout, shown.stderr
    out = subprocess.run([sys.executable, "-m", "claimledger", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("claimledger ")


def test_report_escapes_hostile_names(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    evil = '<script>alert("x")</script>'
    for source, text in [(evil, 'The mayor said the bridge "will open on Monday," officials confirmed.'),
                         ("Plain", 'The mayor said the bridge "will open on Tuesday," officials said.')]:
        res = runner.invoke(app, ["ingest", "-", "--source", source, "--story", "Bridge & <b>", "--db", db], input=text)
        assert res.exit_code == 0, res.output
    out = tmp_path / "r.html"
    assert run("report", "Bridge & <b>", "-o", str(out), "--db", db).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<title>Bridge &amp; &lt;b&gt; · claimledger report</title>" in page
    md = run("export", "story", "Bridge & <b>", "-f", "markdown", "--db", db).stdout
    assert md.startswith("# Bridge & <b>\n")
