"""Shared fixtures: the real spaCy pipeline, loaded once, and a ledger of the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.build import ingest
from claimledger.extract.pipeline import load_nlp
from claimledger.store.ledger import Ledger

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


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
