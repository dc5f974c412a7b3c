"""A ledger never holds half an article, never loses or doubles one, and cannot be changed by a
query: hostile input, kills at random points, concurrent writers, schema upgrades."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimledger.build import StoryState, ingest, merge_records, rebuild
from claimledger.cli import app
from claimledger.errors import InputError
from claimledger.extract.claims import extract
from claimledger.extract.reader import make_article, read_paths
from claimledger.group.align import StoryIndex
from claimledger.store.ledger import Ledger
from claimledger.store.queries import disagreements_of
from claimledger.store.schema import DERIVED_FORMAT, migrations

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FIXTURE_M001 = ROOT / "tests" / "fixtures" / "ledger_m001.db"
runner = CliRunner()
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _extract_ok(nlp, text: str) -> None:
    """Either a clean InputError, or records whose every span is the text it claims."""
    try:
        art = make_article(text, name="x", source="x", path=None)
    except InputError as e:
        assert "\n" not in e.message
        return
    rec = extract(nlp(art.text), art)
    for item in [*rec.units, *rec.quotes, *rec.entities, *rec.dates]:
        assert art.text[item.start:item.end] == item.text
    for q in rec.quotes:
        if q.speaker_span is not None:
            assert art.text[q.speaker_span.start:q.speaker_span.end] == q.speaker_span.text


@PROPERTY
@given(st.text(max_size=1500))
def test_random_unicode_never_crashes(nlp, text: str) -> None:
    _extract_ok(nlp, text)


@PROPERTY
@given(st.text(alphabet=' abc"“”‘’«»„\'\n.,:', max_size=400))
def test_unbalanced_and_nested_quotes(nlp, text: str) -> None:
    _extract_ok(nlp, "Smith said " + text)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Po", "Ps", "Pe"]), max_size=300))
def test_control_characters_and_punctuation_only(nlp, text: str) -> None:
    _extract_ok(nlp, text)


HOSTILE_FILES = [
    # (name, bytes, None if it ingests, else the error's start)
    ("long-sentence.txt", ("word " * 20_000).encode(), None),
    ("punct.txt", b"!!! ... ??? ;;; --- ((( )))", None),
    ("utf16.txt", "“Quoted,” she said. Café.".encode("utf-16"), None),
    ("latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "Error: cannot decode"),
    ("cp1252.txt", "“smart quotes” – cp1252".encode("cp1252"), "Error: cannot decode"),
    ("nul.txt", b"text\x00with nul", "Error: "),
]


@pytest.mark.parametrize(("name", "data", "error"), HOSTILE_FILES)
def test_hostile_files(tmp_path: Path, name: str, data: bytes, error: str | None) -> None:
    db = tmp_path / "l.db"
    p = tmp_path / name
    p.write_bytes(data)
    res = runner.invoke(app, ["ingest", str(p), "--db", str(db), "--json"])
    if error is None:
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["added"] == 1
    else:
        assert res.exit_code == 1
        assert res.stderr.startswith(error) and res.stderr.count("\n") == 1
    with Ledger(db) as ledger:
        assert ledger.check() == []


def test_fifty_megabyte_file_is_refused_whole(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    big = tmp_path / "big.txt"
    big.write_bytes(b"The council met again. " * (50 * 1024 * 1024 // 23))
    res = runner.invoke(app, ["ingest", str(RAW), str(big), "--db", str(db)])
    assert res.exit_code == 1
    assert res.stderr.startswith(f"Error: {big} has 52,428,"), res.stderr
    with Ledger(db) as ledger:
        assert ledger.n_articles() == 0 and ledger.check() == []


def _corpus(folder: Path, n: int) -> Path:
    """n distinct articles made from the seed texts (a numbered first line keeps them apart)."""
    folder.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"a{i:03d}.txt").write_text(f"Dispatch {i} from the desk\n{text}", encoding="utf-8")
    return folder


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimledger", *args]


def _count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("select count(*) from articles").fetchone()[0]


def test_kill_at_random_points_then_resume(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 40)
    db = tmp_path / "l.db"
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        proc = subprocess.Popen(_cli("ingest", str(corpus), "--db", str(db), "-q"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 5.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        if db.exists():
            with Ledger(db) as ledger:
                assert ledger.check() == []
    assert kills >= 1
    done = subprocess.run(_cli("ingest", str(corpus), "--db", str(db), "--json"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _count(db) == 40
    with Ledger(db) as ledger:
        assert ledger.check() == []
    again = subprocess.run(_cli("ingest", str(corpus), "--db", str(db), "--json"), capture_output=True, text=True)
    assert json.loads(again.stdout)["added"] == 0


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_lose_and_double_nothing(tmp_path: Path, writers: int) -> None:
    corpus = _corpus(tmp_path / "corpus", 24)
    db = tmp_path / "l.db"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    procs = [subprocess.Popen(_cli("ingest", str(corpus), "--db", str(db), "-q"), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(writers)]
    reads = 0
    while any(p.poll() is None for p in procs):
        if db.exists():
            r = runner.invoke(app, ["sql", "select count(*) as n from articles", "--db", str(db), "--json"])
            if r.exit_code == 0:
                reads += 1
            else:
                assert "no ledger" in r.stderr or "not a claimledger ledger" in r.stderr, r.stderr
        time.sleep(0.2)
    for p in procs:
        out, err = p.communicate()
        assert p.returncode == 0, err
        assert "locked" not in err
    assert reads > 0
    assert _count(db) == 24
    with Ledger(db) as ledger:
        assert ledger.check() == []


def _ledger_with_variants(seed_db: Path, tmp_path: Path, values: dict[str, list[tuple]]) -> Path:
    """A copy of the seed ledger whose only variants are ``values``: per outlet (one a key, in
    source order), (kind, value, measure[, slot[, rewords]]) rows on that outlet's mention of the event claim."""
    db = tmp_path / "l.db"
    shutil.copy(seed_db, db)
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM variants")
        mentions = con.execute("SELECT m.id, m.claim_id, m.article_id, m.source_id FROM mentions m "
                               "JOIN claims c ON c.id = m.claim_id WHERE c.kind = 'event' ORDER BY m.source_id").fetchall()
        by_source: dict[int, tuple[int, str, str, int]] = {}
        for mid, cid, aid, sid in mentions:
            by_source.setdefault(sid, (mid, cid, aid, sid))
        rows = []
        for (mid, cid, aid, sid), vals in zip(by_source.values(), values.values()):
            rows += [(cid, mid, aid, sid, k, v, v, m, *(list(rest) + [None, None])[:2]) for k, v, m, *rest in vals]
        con.executemany("INSERT INTO variants(claim_id, mention_id, article_id, source_id, kind, value, text, "
                        "start_char, end_char, measure, slot, rewords) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?)", rows)
    return db


@pytest.mark.parametrize(
    ("values", "disagree"),
    [
        ({"a": ["1", "13"], "b": ["1", "13"]}, False),  # both outlets report "1 of 13"
        ({"a": ["1", "13"], "b": ["1", "12"]}, True),
        ({"a": ["5"], "b": ["5", "6"]}, True),  # one outlet gives a value the other does not
        ({"a": ["5", "6"]}, False),  # one outlet alone disagrees with no one
    ],
)
def test_disagreements_view_compares_each_outlets_values(seed_db: Path, tmp_path: Path,
                                                          values: dict[str, list[str]], disagree: bool) -> None:
    db = _ledger_with_variants(seed_db, tmp_path, {o: [("number", v, None) for v in vs] for o, vs in values.items()})
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT claim_id, source FROM disagreements").fetchall()
    assert bool(rows) == disagree
    assert not rows or len(rows) == len(values)


COMPARED = [
    # ({outlet: [(kind, value, measure)]}, kinds the disagreements view lists)
    ({"a": [("number", "2290", "point")], "b": [("number", "2", "student")]}, set()),  # two things counted
    ({"a": [("number", "10", "people")], "b": [("number", "3", "people")]}, {"number (people)"}),
    ({"a": [("number", "10", "people"), ("number", "50", None)], "b": [("number", "10", "people"), ("number", "40", None)]},
     {"number"}),
    ({"a": [("number", "2 million", "euro")], "b": [("number", "2 million", "euro"), ("number", "1.7", "pound")]},
     set()),  # one outlet alone gives a value in pounds
    ({"a": [("date", "1998", None)], "b": [("date", "1998-06", None)]}, set()),  # a year and a month in it
    ({"a": [("date", "1998", None)], "b": [("date", "1999", None)]}, {"date (year)"}),
    ({"a": [("date", "2009-12-07", None)], "b": [("date", "2009-11-30", None)]}, {"date"}),
    ({"a": [("date", "tuesday", None)], "b": [("date", "wednesday", None)]}, {"date (as written)"}),
    # values are compared within one act (slot): "stood firm Friday" / "return on Friday" differ in act
    ({"a": [("date", "2019-01-04", None, "stand")], "b": [("date", "2018-12-28", None, "return")]}, set()),
    ({"a": [("date", "2016-07-09", None, "publish")], "b": [("date", "2016-07-10", None, "publish")]}, {"date"}),
    ({"a": [("number", "6", "arrest", "be")], "b": [("number", "47", "arrest", "make")]}, set()),
    # quotations: a pair where one rewords the other disagrees; a fragment one outlet alone quotes does not
    ({"a": [("quote", "we re asking the president to open the government", None)],
      "b": [("quote", "we are asking the president to open up government", None, None,
             "we re asking the president to open the government")]}, {"quote"}),
    ({"a": [("quote", "dishonored herself", None), ("quote", "her family", None)],
      "b": [("quote", "dishonored herself", None)]}, set()),
]


@pytest.mark.parametrize(("values", "kinds"), COMPARED)
def test_values_disagree_only_within_one_kind_grain_and_measure(
        seed_db: Path, tmp_path: Path, values: dict[str, list[tuple[str, str, str | None]]], kinds: set[str]) -> None:
    db = _ledger_with_variants(seed_db, tmp_path, values)
    with sqlite3.connect(db) as con:
        view = {k for (k,) in con.execute("SELECT kind FROM disagreements")}
        listed = [dict(zip(("kind", "measure", "slot", "rewords", "source", "value", "text"), r)) for r in con.execute(
            "SELECT v.kind, v.measure, v.slot, v.rewords, s.name, v.value, v.text FROM variants v "
            "JOIN sources s ON s.id = v.source_id")]
    assert view == kinds
    assert {d["kind"] for d in disagreements_of(listed)} == kinds  # diff and show read them alike


def ledger_rows(db: Path) -> dict[str, list[str]]:
    """Every row of every table but the run log, timestamps aside, sorted."""
    out: dict[str, list[str]] = {}
    with sqlite3.connect(db) as con:
        tables = [t for (t,) in con.execute("select name from sqlite_master where type = 'table' and name not like "
                                            "'sqlite_%' and name not in ('runs', '_sqlite_migrations')")]
        for t in tables:
            cols = [r[1] for r in con.execute(f"pragma table_info({t})") if r[1] not in {"ingested_at", "created_at"}]
            out[t] = sorted(map(repr, con.execute(f"select {', '.join(cols)} from {t}")))
    return out


def test_rebuild_gives_the_rows_of_a_fresh_ingest(seed_db: Path, nlp, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seed_db, db)
    with Ledger(db) as ledger:  # rows a rebuild must not keep: a stale statistic, a lost claim
        ledger.conn.execute("update term_df set df = df + 7")
        ledger.conn.execute("delete from mentions where id = (select max(id) from mentions)")
        ledger.conn.commit()
    report = rebuild(db, nlp)
    assert report.added == 5 and ledger_rows(db) == ledger_rows(seed_db)
    assert len(ledger_rows(db)["mentions"]) > 200
    with Ledger(db, read_only=True) as ledger:
        runs = ledger.query("select command, derived, settings from runs")
    assert [(r["command"], r["derived"]) for r in runs] == [("rebuild", DERIVED_FORMAT)]
    assert json.loads(runs[0]["settings"])["stories"]["threshold"] == 0.12


def test_an_interrupted_rebuild_leaves_the_ledger_as_it_was(seed_db: Path, tmp_path: Path, monkeypatch) -> None:
    import claimledger.build as build_module

    db = tmp_path / "copy.db"
    shutil.copy(seed_db, db)

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "ingest_articles", broken)
    with pytest.raises(KeyboardInterrupt):
        rebuild(db)
    assert ledger_rows(db) == ledger_rows(seed_db) and not [p for p in tmp_path.iterdir() if "rebuild" in p.name]


def test_a_ledger_of_the_first_schema_says_to_rebuild_and_rebuilds_cleanly(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE_M001, db)
    with sqlite3.connect(db) as con:
        texts = sorted(t for (t,) in con.execute("select text from articles"))
        assert [r[0] for r in con.execute("select name from _sqlite_migrations")] == ["m001_initial"]
    for command in (["stories"], ["claims"], ["diff", "a", "b"], ["ingest", str(RAW)]):
        res = runner.invoke(app, [*command, "--db", str(db)])
        assert res.exit_code == 1, (command, res.output)
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and f"claimledger rebuild --db {db}" in lines[0]
    res = runner.invoke(app, ["rebuild", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["added"] == 5
    with Ledger(db, read_only=True) as ledger:
        assert ledger.check() == [] and ledger.stale() is None
        assert not migrations.pending(ledger.db)
        assert sorted(t for (t,) in ledger.conn.execute("select text from articles")) == texts
        speakers = ledger.query("select speaker from quotes_by_speaker order by quotes desc limit 1")
    assert speakers == [{"speaker": "Vladimir Putin"}]
    res = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["articles"] == 5


def test_a_ledger_without_a_run_record_is_stale(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seed_db, db)
    with sqlite3.connect(db) as con:
        con.execute("delete from runs")
    res = runner.invoke(app, ["claims", "--db", str(db)])
    assert res.exit_code == 1 and "older than 0.3" in res.output and "claimledger rebuild" in res.output


NAMES = ["O'Brien; DROP TABLE claims;--", 'The "Daily" Planet', "Ünïcödé Зорька 新聞", "50% off_ sale\\"]


def test_names_with_quotes_semicolons_and_unicode(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    story = 'summit "2024"; -- Пхеньян'
    for name, path in zip(NAMES, sorted(RAW.glob("*.txt"))):
        res = runner.invoke(app, ["ingest", str(path), "--source", name, "--story", story, "--db", db, "-q"])
        assert res.exit_code == 0, res.output
    rows = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    assert [(r["story"], r["articles"]) for r in rows] == [(story, 4)]
    claims = json.loads(runner.invoke(app, ["claims", "--story", story, "--db", db, "--json"]).stdout)
    assert {s for c in claims for s in c["asserts"] + c["omits"]} == set(NAMES)
    res = runner.invoke(app, ["diff", NAMES[0], NAMES[2], "--story", story, "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["a"] == NAMES[0]
    with Ledger(db) as ledger:
        assert ledger.check() == [] and "claims" in ledger.db.table_names()


REFUSED = [
    "update claims set kind = 'x'",
    "delete from mentions",
    "create table t(x)",
    "alter table claims add column y",
    "replace into sources(id, name) values (1, 'x')",
    "select 1; drop table claims",
    "vacuum",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_sql_refuses_writes(seed_db: Path, tmp_path: Path, sql: str) -> None:
    db = tmp_path / "l.db"
    shutil.copy(seed_db, db)
    before = db.read_bytes()
    res = runner.invoke(app, ["sql", sql, "--db", str(db)])
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ")
    assert db.read_bytes() == before


def _claim_partition(db: Path) -> set[frozenset[tuple[str, int, int]]]:
    """Each claim as the set of (article path, start, end) it holds: comparable across ledgers."""
    with sqlite3.connect(db) as con:
        rows = con.execute("select m.claim_id, a.path, m.start_char, m.end_char from mentions m "
                           "join articles a on a.id = m.article_id").fetchall()
    claims: dict[str, set[tuple[str, int, int]]] = {}
    for cid, path, start, end in rows:
        claims.setdefault(cid, set()).add((Path(path).name, start, end))
    return {frozenset(v) for v in claims.values()}


@pytest.mark.parametrize("first", [[3], [4], [0, 1, 2], [0, 4]])
def test_a_story_ingested_in_two_runs_stays_one_story(nlp, tmp_path: Path, first: list[int]) -> None:
    files = sorted(RAW.glob("*.txt"))
    db = tmp_path / "two_runs.db"
    for batch in ([files[i] for i in first], [f for i, f in enumerate(files) if i not in first]):
        with Ledger(db) as ledger:
            ingest([str(f) for f in batch], ledger, nlp)
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*), count(distinct story_id) from articles").fetchone() == (5, 1)


def test_claims_read_back_from_the_ledger_place_articles_as_claims_kept_in_memory(nlp, tmp_path: Path) -> None:
    # a later run reads the story's claims back from the ledger; their names must come back whole
    files = sorted(RAW.glob("*.txt"))
    fresh, kept = tmp_path / "fresh.db", tmp_path / "kept.db"
    for path in files:
        with Ledger(fresh) as ledger:  # a new run for each file: the story's mentions come from the ledger
            ingest([str(path)], ledger, nlp)
    with Ledger(kept) as ledger:  # one ledger object: the mentions stay in its memory
        for path in files:
            ingest([str(path)], ledger, nlp)
    read_back, in_memory = _claim_partition(fresh), _claim_partition(kept)
    assert read_back == in_memory and sum(len(c) > 1 for c in in_memory) > 20


def test_a_story_index_read_back_from_the_ledger_is_the_one_the_run_kept(nlp, tmp_path: Path) -> None:
    db = tmp_path / "index.db"

    def units(index: StoryIndex) -> set[tuple]:
        return {(m.claim_id, m.article_id, m.start, m.end, m.side.text, m.side.terms, m.side.kind, m.side.role,
                 None if m.side.vector is None else m.side.vector.tobytes())
                for ms in index.articles.values() for m in ms}

    records = [extract(nlp(a.text), a) for a in read_paths([str(RAW)])]
    with Ledger(db) as ledger:
        state = StoryState(ledger)
        merge_records(records[:3], ledger, state=state)
        merge_records(records[3:], ledger, state=state)
        story = ledger.conn.execute("select id from stories").fetchone()[0]
        kept = units(state.index(story))
        loaded = units(StoryIndex.of_rows(ledger.story_mentions(story)))  # what a later run reads
    assert loaded == kept and len(kept) > 80
