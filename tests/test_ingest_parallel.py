"""Parallel ingest (worker processes that parse and extract), and records extracted elsewhere then merged, write exactly
what a single-process ingest writes."""

from __future__ import annotations

from pathlib import Path

from claimledger.build import ingest, merge_records
from claimledger.extract.claims import extract
from claimledger.extract.reader import read_paths
from claimledger.records import ArticleRecords
from claimledger.store.ledger import Ledger
from conftest import ledger_rows

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_two_workers_write_what_one_writes(nlp, seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "parallel.db"
    with Ledger(db) as ledger:
        report = ingest([str(RAW)], ledger, nlp, n_process=2, batch_size=2)
    assert report.added == 5
    one, two = ledger_rows(seed_db), ledger_rows(db)
    assert len(one["mentions"]) > 100
    assert one == two


def test_records_merged_from_json_write_what_ingest_writes(nlp, seed_db: Path, tmp_path: Path) -> None:
    # the seam of docs/scaling.md: extract anywhere, ship JSON, merge in one writer
    arts = list(read_paths([str(RAW)]))
    shipped = [extract(doc, art).model_dump_json() for art, doc in zip(arts, nlp.pipe(a.text for a in arts))]
    records = [ArticleRecords.model_validate_json(line) for line in shipped]
    db = tmp_path / "merged.db"
    with Ledger(db) as ledger:
        first = merge_records(records, ledger)
        again = merge_records(records, ledger)
    assert (first.added, first.skipped) == (5, 0)
    assert (again.added, again.skipped) == (0, 5)
    assert ledger_rows(db) == ledger_rows(seed_db)
