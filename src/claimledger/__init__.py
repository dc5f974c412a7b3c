"""claimledger: compare news coverage claim by claim, with evidence, in a SQLite ledger.

The library face; the CLI is a thin layer over these. docs/python-api.md has an example::

    from claimledger import Ledger, ingest, diff

    with Ledger("ledger.db") as ledger:
        ingest(["data/raw"], ledger)
        print(diff(ledger, "Reuters", "TASS")["only_a"])
"""

__version__ = "0.6.2"

from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): "import claimledger" and the read commands stay
# fast, spaCy and numpy load only for what parses text.
_WHERE = {
    "ClaimLedgerError": "claimledger.errors", "InputError": "claimledger.errors",
    "LedgerError": "claimledger.errors", "NotFoundError": "claimledger.errors",
    "SettingsError": "claimledger.errors",
    "extract": "claimledger.extract.claims", "load_nlp": "claimledger.extract.pipeline",
    "make_article": "claimledger.extract.reader", "read_paths": "claimledger.extract.reader",
    "IngestReport": "claimledger.build", "ingest": "claimledger.build", "merge_records": "claimledger.build",
    "rebuild": "claimledger.build",
    "extract_to": "claimledger.scaleout", "merge_from": "claimledger.scaleout",
    "dask_executor": "claimledger.scaleout", "records_of": "claimledger.extract.pool",
    "Article": "claimledger.records", "ArticleRecords": "claimledger.records", "Claim": "claimledger.records",
    "ClaimUnit": "claimledger.records", "Mention": "claimledger.records", "Quote": "claimledger.records",
    "Settings": "claimledger.settings", "Ledger": "claimledger.store.ledger",
    "diff": "claimledger.store.queries", "list_claims": "claimledger.store.queries",
    "list_stories": "claimledger.store.queries", "run_sql": "claimledger.store.queries",
    "show_claim": "claimledger.store.queries",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'claimledger' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:
    from claimledger.build import IngestReport, ingest, merge_records, rebuild
    from claimledger.errors import ClaimLedgerError, InputError, LedgerError, NotFoundError, SettingsError
    from claimledger.extract.claims import extract
    from claimledger.extract.pipeline import load_nlp
    from claimledger.extract.pool import records_of
    from claimledger.extract.reader import make_article, read_paths
    from claimledger.records import Article, ArticleRecords, Claim, ClaimUnit, Mention, Quote
    from claimledger.scaleout import dask_executor, extract_to, merge_from
    from claimledger.settings import Settings
    from claimledger.store.ledger import Ledger
    from claimledger.store.queries import diff, list_claims, list_stories, run_sql, show_claim

__all__ = [
    "Article",
    "ArticleRecords",
    "Claim",
    "ClaimLedgerError",
    "ClaimUnit",
    "IngestReport",
    "InputError",
    "Ledger",
    "LedgerError",
    "Mention",
    "NotFoundError",
    "Quote",
    "Settings",
    "SettingsError",
    "__version__",
    "dask_executor",
    "diff",
    "extract",
    "extract_to",
    "ingest",
    "list_claims",
    "list_stories",
    "load_nlp",
    "make_article",
    "merge_from",
    "merge_records",
    "read_paths",
    "rebuild",
    "records_of",
    "run_sql",
    "show_claim",
]
