"""Shared fixtures: the real spaCy pipeline, loaded once, and a ledger of the seed articles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimledger.build import ingest
from claimledger.extract.pipeline import load_nlp
from claimledger.store.ledger import Ledger

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

# what two ways of building a ledger must agree on, row for row (ingest, parallel ingest, merge)
LEDGER_ROWS = {
    "mentions": "select a.path, m.start_char, m.end_char, m.claim_id, m.status, m.score "
                "from mentions m join articles a on a.id = m.article_id",
    "quotes": "select a.path, q.start_char, q.end_char, q.speaker, q.claim_id from quotes q join articles a on a.id = q.article_id",
    "stories": "select path, story_id from articles",
    "claims": "select id, story_id, kind, canonical, speaker from claims",
    "variants": "select claim_id, article_id, kind, value, start_char, end_char from variants",
}


def ledger_rows(db: Path) -> dict[str, set[tuple]]:
    """The ledger's rows that depend on the build, keyed by table (``LEDGER_ROWS``)."""
    with sqlite3.connect(db) as con:
        return {k: set(con.execute(sql)) for k, sql in LEDGER_ROWS.items()}


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def seed_db(nlp, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    with Ledger(db) as ledger:
        ingest([str(RAW)], ledger, nlp)
    return db


@pytest.fixture(autouse=True)
def _shared_nlp(nlp, monkeypatch):
    """CLI commands load the pipeline through load_nlp; hand them the session's copy."""
    import claimledger.build as build
    import claimledger.extract.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_nlp", lambda name=None: nlp)
    monkeypatch.setattr(build, "load_nlp", lambda name=None: nlp)
