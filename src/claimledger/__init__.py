"""claimledger: compare news coverage claim by claim, with evidence, in a SQLite ledger.

Library entry points (the CLI is a thin layer over these):
``read_paths`` (reader), ``load_nlp`` (pipeline), ``extract`` (claims), ``Ledger`` (ledger),
``ingest`` and the read functions in ``claimledger.store.queries``.
"""

__version__ = "0.2.0"
