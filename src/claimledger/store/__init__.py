"""The SQLite ledger: schema, migrations, writes and reads. Imports records and errors only."""
