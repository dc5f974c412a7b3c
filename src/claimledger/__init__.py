"""claimledger: compare news coverage claim by claim, with evidence, in a SQLite ledger.

The library face; the CLI is a thin layer over these. docs/python-api.md has an example::

    from claimledger import Ledger, ingest, diff

    with Ledger("ledger.db") as ledger:
        ingest(["data/raw"], ledger)
        print(diff(ledger, "Reuters", "TASS")["only_a"])
"""

__version__ = "0.3.0"

from claimledger.build import IngestReport, ingest, merge_records, rebuild
from claimledger.errors import ClaimLedgerError, InputError, LedgerError, NotFoundError, SettingsError
from claimledger.extract.claims import extract
from claimledger.extract.pipeline import load_nlp
from claimledger.extract.reader import make_article, read_paths
from claimledger.records import Article, ArticleRecords, Claim, ClaimUnit, Mention, Quote
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
    "diff",
    "extract",
    "ingest",
    "list_claims",
    "list_stories",
    "load_nlp",
    "make_article",
    "merge_records",
    "read_paths",
    "rebuild",
    "run_sql",
    "show_claim",
]
