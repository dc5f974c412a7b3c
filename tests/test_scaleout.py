"""Extract anywhere, merge once: `extract` + `merge` write exactly the rows `ingest` writes,
resume after an interruption, merge idempotently, refuse records of another version, and run
on a Dask cluster."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger import scaleout
from claimledger.build import ingest
from claimledger.cli import app
from claimledger.errors import InputError
from claimledger.scaleout import MANIFEST, check_folder, extract_to, merge_from
from claimledger.settings import Settings
from claimledger.store.ledger import Ledger
from conftest import ledger_rows

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
ECBPLUS = os.environ.get("CLAIMLEDGER_ECBPLUS")  # the ECB+ dev articles folder, when at hand
runner = CliRunner()

TABLES = ["articles", "stories", "claims", "mentions", "quotes", "variants", "entities", "entity_mentions", "dates"]
rows = ledger_rows


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def copies(folder: Path, n: int) -> Path:
    """The seed articles n times over, names and numbers changed per copy (as bench/bench.py
    makes them): several stories, so chunks and partitions cut across them."""
    for k in range(n):
        for f in sorted(RAW.glob("*.txt")):
            text = f.read_text(encoding="utf-8")
            if k:
                suffix = ["an", "son", "ez", "ova"][k % 4]
                text = re.sub(r"\b([A-Z][a-z]{2,})\b", lambda m, s=suffix: m.group(1) + s, text)
            dest = folder / f"c{k}" / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
    return folder


def test_extract_then_merge_writes_what_ingest_writes(nlp, seed_db: Path, tmp_path: Path) -> None:
    report = extract_to([str(RAW)], tmp_path / "rec", nlp=nlp, partition_size=2)
    assert (report.articles, report.partitions, report.written, report.resumed) == (5, 3, 3, 0)
    assert sorted(p.name for p in (tmp_path / "rec").iterdir()) == [
        MANIFEST, "part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    db = tmp_path / "merged.db"
    with Ledger(db) as ledger:
        merged = merge_from([tmp_path / "rec"], ledger)
    assert (merged.added, merged.skipped) == (5, 0)
    assert rows(db) == rows(seed_db)
    assert counts(db) == counts(seed_db)


def test_small_chunks_across_partitions_write_what_ingest_writes(nlp, tmp_path: Path) -> None:
    corpus = copies(tmp_path / "corpus", 4)  # 20 articles, 4 events
    settings = Settings.parse({"ingest": {"chunk": 7}})
    with Ledger(tmp_path / "ingest.db") as ledger:
        ingest([str(corpus)], ledger, nlp, settings=settings)
    extract_to([str(corpus)], tmp_path / "rec", nlp=nlp, partition_size=3, settings=settings)
    with Ledger(tmp_path / "merged.db") as ledger:
        merge_from([tmp_path / "rec"], ledger, settings=settings)
    one, two = rows(tmp_path / "ingest.db"), rows(tmp_path / "merged.db")
    assert len({s for _, s in one["stories"]}) >= 4
    assert one == two
    assert counts(tmp_path / "ingest.db") == counts(tmp_path / "merged.db")


@pytest.mark.skipif(not ECBPLUS, reason="set CLAIMLEDGER_ECBPLUS to the ECB+ dev articles folder")
def test_a_slice_of_ecbplus_merges_as_ingest_writes_it(nlp, tmp_path: Path) -> None:
    files = [str(p) for p in sorted(Path(str(ECBPLUS)).rglob("*.txt"))
             if p.parts[-2].split("_")[0] in {"1", "3", "4", "12"}]
    assert len(files) > 30
    with Ledger(tmp_path / "ingest.db") as ledger:
        ingest(files, ledger, nlp)
    extract_to(files, tmp_path / "rec", nlp=nlp, partition_size=16)
    with Ledger(tmp_path / "merged.db") as ledger:
        merge_from([tmp_path / "rec"], ledger)
    assert rows(tmp_path / "ingest.db") == rows(tmp_path / "merged.db")


def test_an_interrupted_extract_resumes(nlp, seed_db: Path, tmp_path: Path, monkeypatch) -> None:
    real = scaleout._write_partition
    calls = []

    def crash_on_second(path: Path, records) -> str:
        calls.append(path.name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(path, records)

    monkeypatch.setattr(scaleout, "_write_partition", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        extract_to([str(RAW)], tmp_path / "rec", nlp=nlp, partition_size=2)
    with pytest.raises(InputError, match="has not finished"):
        check_folder(tmp_path / "rec")
    monkeypatch.setattr(scaleout, "_write_partition", real)
    again = extract_to([str(RAW)], tmp_path / "rec", nlp=nlp, partition_size=2)
    assert (again.resumed, again.written) == (1, 2)
    with Ledger(tmp_path / "merged.db") as ledger:
        merge_from([tmp_path / "rec"], ledger)
    assert rows(tmp_path / "merged.db") == rows(seed_db)


def test_a_finished_extract_run_again_parses_nothing(nlp, tmp_path: Path) -> None:
    extract_to([str(RAW)], tmp_path / "rec", nlp=nlp, partition_size=2)
    before = {p.name: p.read_bytes() for p in (tmp_path / "rec").iterdir()}
    again = extract_to([str(RAW)], tmp_path / "rec", nlp=nlp, partition_size=2)
    assert (again.resumed, again.written) == (3, 0)
    assert {p.name: p.read_bytes() for p in (tmp_path / "rec").iterdir()} == before


def test_merging_a_folder_twice_changes_nothing(nlp, tmp_path: Path) -> None:
    extract_to([str(RAW)], tmp_path / "rec", nlp=nlp)
    db = tmp_path / "m.db"
    with Ledger(db) as ledger:
        merge_from([tmp_path / "rec"], ledger)
    first_rows, first_counts = rows(db), counts(db)
    with Ledger(db) as ledger:
        again = merge_from([tmp_path / "rec"], ledger)
    assert (again.added, again.skipped) == (0, 5)
    assert rows(db) == first_rows
    assert counts(db) == first_counts


def _merge_error(tmp_path: Path, folder: Path) -> tuple[int, str]:
    db = tmp_path / "ledger.db"
    before = db.read_bytes() if db.exists() else None
    result = runner.invoke(app, ["merge", str(folder), "--db", str(db)])
    assert (db.read_bytes() if db.exists() else None) == before or not counts(db)["articles"]
    return result.exit_code, result.output


@pytest.mark.parametrize("damage, message", [
    ("version", "holds records of claimledger 0.0.1"),
    ("format", "records format 99"),
    ("changed file", "is not the file its manifest lists"),
    ("unfinished", "has not been extracted yet"),
    ("no manifest", "it is not a records folder"),
    ("bad manifest", "is not a claimledger manifest"),
])
def test_records_of_another_version_or_run_are_refused_with_one_line(nlp, tmp_path: Path, damage: str,
                                                                    message: str) -> None:
    folder = tmp_path / "rec"
    extract_to([str(RAW)], folder, nlp=nlp, partition_size=2)
    manifest = json.loads((folder / MANIFEST).read_text())
    if damage == "version":
        manifest["claimledger"] = "0.0.1"
    elif damage == "format":
        manifest["format"] = 99
    elif damage == "unfinished":
        manifest["partitions"][1]["sha256"] = None
    elif damage == "changed file":
        with (folder / "part-00001.jsonl").open("a") as f:
            f.write("{}\n")
    (folder / MANIFEST).write_text(json.dumps(manifest))
    if damage == "no manifest":
        (folder / MANIFEST).unlink()
    if damage == "bad manifest":
        (folder / MANIFEST).write_text("{\"format\": 1}")
    code, output = _merge_error(tmp_path, folder)
    assert code == 1
    assert output.startswith("Error: ") and message in output
    assert len(output.strip().splitlines()) == 1


def test_cli_extract_then_merge(seed_db: Path, tmp_path: Path) -> None:
    folder, db = tmp_path / "rec", tmp_path / "ledger.db"
    result = runner.invoke(app, ["extract", str(RAW), "--out", str(folder), "--partition-size", "4"])
    assert result.exit_code == 0, result.output
    assert "Extracted 5 article(s) into 2 records file(s)" in result.output
    assert f"claimledger merge {folder}" in result.output
    result = runner.invoke(app, ["--db", str(db), "merge", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == 5
    assert rows(db) == rows(seed_db)
    with sqlite3.connect(db) as con:
        assert con.execute("select command from runs").fetchall() == [("merge",)]


def test_cli_extract_json_and_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(RAW), "--out", str(tmp_path / "rec"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["partitions"] == 1
    result = runner.invoke(app, ["extract", str(RAW), "--out", str(tmp_path / "r2"), "--model", "no_such_model_xx"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: spaCy pipeline 'no_such_model_xx' is not installed")
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(app, ["extract", str(RAW), "--out", str(tmp_path / "afile")])
    assert (result.exit_code, result.output.splitlines()[0][:6]) == (1, "Error:")
    result = runner.invoke(app, ["merge", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no records folder at" in result.output


def test_local_workers_write_the_records_one_process_writes(nlp, tmp_path: Path) -> None:
    extract_to([str(RAW)], tmp_path / "one", nlp=nlp, partition_size=2)
    extract_to([str(RAW)], tmp_path / "two", nlp=nlp, partition_size=2, workers=2)
    for name in ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_dask_cluster_writes_the_records_a_local_run_writes(nlp, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    extract_to([str(RAW)], tmp_path / "local", nlp=nlp, partition_size=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        executor = scaleout.dask_executor(cluster.scheduler_address)
        try:
            report = extract_to([str(RAW)], tmp_path / "dask", executor=executor, partition_size=2)
        finally:
            executor.close()  # type: ignore[attr-defined]
    assert (report.written, report.articles) == (3, 5)
    for name in ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    local = json.loads((tmp_path / "local" / MANIFEST).read_text())
    dask = json.loads((tmp_path / "dask" / MANIFEST).read_text())
    assert local == dask


def test_the_dask_bag_recipe_of_the_scaling_doc_runs(nlp, seed_db: Path, tmp_path: Path, monkeypatch) -> None:
    dask = pytest.importorskip("dask")
    from claimledger.build import merge_records
    from claimledger.extract import pool
    from claimledger.records import ArticleRecords

    doc = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    recipe = doc.split("with a dask.bag:\n\n```python\n", 1)[1].split("```", 1)[0]
    recipe = recipe.replace('"/news/*.txt"', repr(str(RAW / "*.txt"))).replace('"records/*.jsonl"',
                                                                               repr(str(tmp_path / "*.jsonl")))
    monkeypatch.setitem(pool._LOADED, pool.model_name(), nlp)  # this process's copy serves the tasks
    with dask.config.set(scheduler="synchronous"):
        exec(compile(recipe, "scaling.md", "exec"), {})
    lines = [line for f in sorted(tmp_path.glob("*.jsonl")) for line in f.read_text().splitlines()]
    assert len(lines) == 5
    with Ledger(tmp_path / "bag.db") as ledger:
        merge_records([ArticleRecords.model_validate_json(line) for line in lines], ledger)
    with sqlite3.connect(tmp_path / "bag.db") as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 5
        assert con.execute("select count(*) from quotes").fetchone()[0] == \
            sqlite3.connect(seed_db).execute("select count(*) from quotes").fetchone()[0]
