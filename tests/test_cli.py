"""The CLI end to end, through typer's CliRunner, on the seed articles."""

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture()
def db(seed_db: Path, tmp_path: Path) -> str:
    """A private copy of the seed ledger, so tests may write to it."""
    p = tmp_path / "ledger.db"
    shutil.copy(seed_db, p)
    return str(p)


def test_reingest_adds_nothing(db: str) -> None:
    before = json.loads(run("sql", "select (select count(*) from articles) a, (select count(*) from mentions) m, "
                                   "(select count(*) from claims) c", "--db", db, "--json").output)
    res = run("ingest", str(RAW), "--db", db, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["added"] == 0
    after = json.loads(run("sql", "select (select count(*) from articles) a, (select count(*) from mentions) m, "
                                  "(select count(*) from claims) c", "--db", db, "--json").output)
    assert before == after


def test_stories_groups_the_seeds(db: str) -> None:
    res = run("stories", "--db", db, "--json")
    rows = json.loads(res.output)
    assert [r["articles"] for r in rows] == [5]


def _only(items: list[dict], src: str) -> str:
    return " || ".join(t for it in items for t in it["wording"][src])


def test_diff_seed_pair(db: str) -> None:
    a, b = "Defense Desk", "Wire Brief"
    res = run("diff", a, b, "--db", db, "--json", "--all")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # 000 does not state Blinken's "in desperation": omitted, or at most a candidate to check
    assert "in desperation" in _only(data["only_a"], a) + _only(data["maybe_a"], a)
    assert "in desperation" not in " || ".join(t for it in data["shared"] for t in it["wording"][a])
    shared = " || ".join(t for it in data["shared"] for t in it["wording"][a])
    assert "mutual assistance in the event of aggression" in shared
    # the third answer: what one asserts and the other may state in other words, with the
    # other's candidate sentence at its place in that article
    assert data["maybe_a"] and data["maybe_b"]
    texts = {r["name"]: r["text"] for r in json.loads(run(
        "sql", "select s.name, a.text from articles a join sources s on s.id = a.source_id", "--db", db, "--json").output)}
    for it in data["maybe_a"]:
        cand = it["candidate"]
        assert cand["source"] == b and texts[b][cand["start"]:cand["end"]] == cand["text"]
        assert 0 < cand["probability"] < 1
    # each sentence of A once in the whole diff, whichever claims it states
    listed = [tuple(sp) for key in ("shared", "maybe_a", "only_a") for it in data[key] if it["kind"] != "event"
              for sp in it["spans"][a]]
    assert len(listed) == len(set(listed))


def test_diff_prints_three_sections_and_min_maybe_moves_candidates_to_omitted(db: str) -> None:
    a, b = "Defense Desk", "Wire Brief"
    text = run("diff", a, b, "--db", db).output
    assert f"only in {a}" in text and "may be stated in other words" in text and "disagreements" in text
    loose = json.loads(run("diff", a, b, "--db", db, "--json").output)
    strict = json.loads(run("diff", a, b, "--db", db, "--json", "--min-maybe", "0.99").output)
    assert strict["maybe_a"] == [] and len(strict["only_a"]) == len(loose["only_a"]) + len(loose["maybe_a"])


def test_diff_shows_the_arrival_day_and_the_reworded_quote_as_disagreements(db: str) -> None:
    a, b = "Summit Report", "Wire Brief"
    data = json.loads(run("diff", a, b, "--db", db, "--json").output)
    found = {(d["kind"], tuple(" | ".join(d["values"][s]) for s in (a, b)))
             for item in data["disagreements"] for d in item["disagreements"]}
    assert ("date (as written)", ("Wednesday", "Tuesday")) in found
    assert ("quote", ("It is really a breakthrough document,", "truly a breakthrough.")) in found


def test_each_story_has_one_event_claim_that_every_outlet_asserts(db: str) -> None:
    rows = json.loads(run("claims", "--kind", "event", "--db", db, "--json").output)
    assert len(rows) == 1 and rows[0]["omits"] == [] and len(rows[0]["asserts"]) == 5


def test_show_lists_each_outlets_wording(db: str) -> None:
    rows = json.loads(run("sql", "select claim_id from quotes where text like '%mutual assistance in the event%'",
                          "--db", db, "--json").output)
    res = run("show", rows[0]["claim_id"], "--db", db, "--json")
    data = json.loads(res.output)
    texts = {m["source"]: m["text"] for m in data["mentions"]}
    assert "Defense Desk" in texts and "Wire Brief" in texts
    for m in data["mentions"]:
        assert m["text"]  # offsets point into the article text
    art = json.loads(run("sql", "select text from articles where id = ?".replace("?", f"'{data['mentions'][0]['article_id']}'"),
                         "--db", db, "--json").output)[0]["text"]
    m0 = data["mentions"][0]
    assert art[m0["start_char"]:m0["end_char"]] == m0["text"]


def test_claims_and_coverage(db: str) -> None:
    rows = json.loads(run("claims", "--kind", "quote", "--db", db, "--json").output)
    assert rows and all(r["kind"] == "quote" for r in rows)
    every = json.loads(run("claims", "--db", db, "--json").output)
    for r in every:
        assert not set(r["asserts"]) & set(r["maybe"]) and not set(r["maybe"]) & set(r["omits"])
        assert not set(r["asserts"]) & set(r["omits"]) and set(r["disagree"]) <= set(r["asserts"])
    # the outlets that word the breakthrough quote differently are named on its claim
    quote = next(r for r in every if "truly a breakthrough" in r["canonical"])
    assert {"Wire Brief", "Summit Report", "Defense Desk"} <= set(quote["disagree"])
    cov = json.loads(run("sql", "select status, count(*) n from coverage group by status order by status",
                         "--db", db, "--json").output)
    assert [r["status"] for r in cov] == ["asserts", "maybe", "omits"]
    csv_out = run("claims", "--db", db, "--csv").output
    assert csv_out.splitlines()[0] == "claim,kind,asserts,maybe,omits,disagree,canonical"
    table = run("claims", "--db", db).output
    assert "maybe" in "\n".join(table.splitlines()[:4])  # a column of its own


def test_show_marks_a_maybe_mention(db: str) -> None:
    claim = json.loads(run("sql", "select claim_id from mentions where status = 'maybe' limit 1",
                           "--db", db, "--json").output)[0]["claim_id"]
    data = json.loads(run("show", claim, "--db", db, "--json").output)
    maybe = [m for m in data["mentions"] if m["status"] == "maybe"]
    assert maybe and {m["source"] for m in maybe} <= set(data["maybe"])
    assert "may state it in other words" in run("show", claim, "--db", db).output


ERRORS = [
    # (args, expected stderr line)
    (["ingest", "nope.txt"], "Error: no such file or folder: nope.txt (check the path; use - to read standard input)"),
    (["diff", "nobody", "Wire Brief"], "Error: no source 'nobody' in the ledger ('claimledger sources' lists them)"),
    (["diff", "wire", "wire brief"], "Error: 'Wire Brief' against itself: a diff compares two outlets (name another outlet)"),
    (["sql", "insert into sources(name) values ('x')"],
     "Error: INSERT is not allowed: the ledger is opened read-only "
     "(claimledger sql only reads; use sqlite3 on a copy to change data)"),
    (["sql", "drop table claims"],
     "Error: DROP is not allowed: the ledger is opened read-only "
     "(claimledger sql only reads; use sqlite3 on a copy to change data)"),
    (["sql", "attach database 'x.db' as x"],
     "Error: ATTACH is not allowed: the ledger is opened read-only "
     "(claimledger sql only reads; use sqlite3 on a copy to change data)"),
    (["sql", "pragma journal_mode = delete"],
     "Error: PRAGMA is not allowed: the ledger is opened read-only "
     "(claimledger sql only reads; use sqlite3 on a copy to change data)"),
    (["sql", "select load_extension('x')"],
     "Error: load_extension is not allowed: the ledger is opened read-only "
     "(claimledger sql only reads; use sqlite3 on a copy to change data)"),
    (["sql", "selec 1"], "Error: SQL error: near \"selec\": syntax error ('claimledger sql --help' shows examples)"),
    (["show", "zzzz"], "Error: no claim 'zzzz' ('claimledger claims --story S' lists claim ids)"),
    (["claims", "--story", "nostory"], "Error: no story 'nostory' ('claimledger stories' lists them)"),
    # usage errors keep the one-line contract too
    (["claims", "--kind", "nonsense"], "Error: Invalid value for '--kind': Value error, 'nonsense' is not one of "
                                       "'statement', 'quote', 'event'. (see 'claimledger claims --help')"),
    (["stories", "--nope"], "Error: No such option: --nope (see 'claimledger stories --help')"),
]


@pytest.mark.parametrize(("args", "line"), ERRORS)
def test_error_lines(db: str, args: list[str], line: str) -> None:
    before = Path(db).read_bytes()
    res = run(*args, "--db", db)
    assert res.exit_code == 1
    assert res.stderr.strip() == line
    assert "Traceback" not in res.output
    assert Path(db).read_bytes() == before


BAD_FILES = [
    ("empty.txt", b"", "Error: {p} is empty (an article needs some text)"),
    ("bin.txt", b"\x00\x01\x02", "Error: {p} is not a text file (it holds binary data) "
                                "(ingest takes .txt, .md or .jsonl articles)"),
    ("bad.txt", b"ok \xfa bad", "Error: cannot decode {p} as UTF-8 (byte 0xfa at offset 3) "
                                   "(save the file as UTF-8, e.g. iconv -f cp1252 -t utf-8)"),
    ("x.jsonl", b'{"title": "t"}\n', 'Error: {p}:1 has no "text" field (each line needs {{"text": "..."}})'),
]


@pytest.mark.parametrize(("name", "data", "line"), BAD_FILES)
def test_bad_input_leaves_ledger_untouched(db: str, tmp_path: Path, name: str, data: bytes, line: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text("The mayor of Springfield opened a new bridge on Monday, officials said.", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(data)
    count = "select count(*) n from articles"
    before = json.loads(run("sql", count, "--db", db, "--json").output)
    res = run("ingest", str(good), str(bad), "--db", db)
    assert res.exit_code == 1
    assert res.stderr.strip() == line.format(p=bad)
    assert json.loads(run("sql", count, "--db", db, "--json").output) == before


def test_stdin_and_source(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    res = run("ingest", "-", "--source", "Daily Planet", "--db", db, "--json",
              input='The council voted 7-2 on Tuesday to close the plant, the mayor said.\n')
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["added"] == 1
    rows = json.loads(run("sql", "select name from sources", "--db", db, "--json").output)
    assert rows == [{"name": "Daily Planet"}]


def test_read_command_without_ledger(tmp_path: Path) -> None:
    res = run("stories", "--db", str(tmp_path / "none.db"))
    assert res.exit_code == 1
    assert res.stderr.strip() == (f"Error: no ledger at {tmp_path / 'none.db'} "
                                  "(run 'claimledger ingest PATH' first, or point --db at a ledger)")


def test_version() -> None:
    import subprocess
    import sys

    from claimledger import __version__

    res = run("--version")
    assert res.exit_code == 0 and res.output == f"claimledger {__version__}\n"
    # the installed command answers before typer and the library load (timed in bench/bench_cli.py)
    script = Path(sys.executable).with_name("claimledger")
    code = ("import sys; from claimledger.cli import main; sys.argv = ['claimledger', '--version']; main(); "
            "print(sorted(m for m in ('typer', 'rich', 'pydantic', 'sqlite_utils', 'spacy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == f"claimledger {__version__}\n[]\n"
    if script.exists():
        shown = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True).stdout
        assert shown == f"claimledger {__version__}\n"


COMMANDS = ["", "ingest", "rebuild", "extract", "merge", "stories", "sources", "claims", "show", "diff", "sql",
            "check", "export", "export story", "export diff", "report", "serve", "settings"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_values_as_people_write_them(command: str) -> None:
    res = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    text = res.output
    assert not re.search(r"<(bool|str|int|float|list\[str\]|path)[^>]*>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text  # typer's braces around arguments
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage


@pytest.mark.parametrize("args", [
    ["--db", "{db}", "stories", "--json"],  # the global option before the command
    ["stories", "--db", "{db}", "--json"],
    ["--db", "{missing}", "stories", "--db", "{db}", "--json"],  # the command's own wins
])
def test_db_before_or_after_the_command(db: str, tmp_path: Path, args: list[str]) -> None:
    filled = [a.format(db=db, missing=str(tmp_path / "none.db")) for a in args]
    res = runner.invoke(app, filled, env={"CLAIMLEDGER_DB": str(tmp_path / "env.db")})
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["articles"] == 5


def test_output_into_a_pipe_keeps_each_line_whole(db: str) -> None:
    res = runner.invoke(app, ["diff", "Summit Report", "Wire Brief", "--db", db])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    # the long claim is one line, found whole by grep: no wrap at 80 columns
    assert any("military band and mass synchronized dancing, after which Putin invited his host" in line
               for line in lines)


def test_claims_limit_lists_the_most_asserted_first(db: str) -> None:
    every = json.loads(run("claims", "--db", db, "--json").stdout)
    first = json.loads(run("claims", "--limit", "3", "--db", db, "--json").stdout)
    assert first == every[:3] and len(every) > 3


def test_outlets_by_any_case_or_a_unique_prefix(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    for i, source in enumerate(["Fox News", "Fox Business", "New York Times"]):
        f = tmp_path / f"{i}.txt"
        f.write_text(f"Council closes plant\n\nThe council voted {7 + i}-2 on Tuesday to close the plant, the mayor said.\n")
        assert run("ingest", str(f), "--source", source, "--story", "plant", "--db", db, "-q").exit_code == 0
    res = run("diff", "fox", "new", "--db", db)
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: 'fox' could be any of 'Fox Business', 'Fox News' (type more of the name)"
    res = run("diff", "fox n", "NEW YORK TIMES", "--db", db, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["a"], data["b"]) == ("Fox News", "New York Times")
    listed = json.loads(run("sources", "--db", db, "--json").stdout)
    assert sorted((r["source"], r["articles"], r["stories"]) for r in listed) == [
        ("Fox Business", 1, 1), ("Fox News", 1, 1), ("New York Times", 1, 1)]


def test_stories_json_lists_outlets_as_a_list(db: str) -> None:
    rows = json.loads(run("stories", "--db", db, "--json").stdout)
    assert rows[0]["sources"] == ["Asia Roundup", "Capital Digest", "Defense Desk", "Summit Report", "Wire Brief"]


def test_an_idle_ledger_is_one_file(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    assert run("ingest", str(Path(__file__).resolve().parents[1] / "data" / "raw"), "--db", str(db), "-q").exit_code == 0
    for args in (["stories"], ["claims"], ["diff", "wire", "summit"]):
        assert run(*args, "--db", str(db)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]  # no -wal or -shm left beside it


@pytest.mark.parametrize("story", ["19f7", "MUTUAL AID", "Russia, DPRK agree on mutual aid against aggression: Putin"])
def test_a_story_by_id_prefix_name_or_part_of_its_name(db: str, story: str) -> None:
    res = run("claims", "--story", story, "--limit", "1", "--db", db, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["story"].startswith("19f7")


def test_claims_in_a_pipe_keep_each_claim_s_whole_text_on_one_line(db: str) -> None:
    res = runner.invoke(app, ["claims", "--limit", "0", "--db", db], env={"COLUMNS": ""})
    assert res.exit_code == 0, res.output
    data = json.loads(runner.invoke(app, ["claims", "--limit", "0", "--json", "--db", db]).output)
    longest = max((c["canonical"] for c in data), key=len)
    assert len(longest) > 120
    assert any(longest in line for line in res.output.splitlines())
