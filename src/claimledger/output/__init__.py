"""Exports, the HTML report and the datasette browser, over the ledger."""
