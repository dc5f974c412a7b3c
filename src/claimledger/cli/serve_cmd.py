"""`claimledger serve`: datasette over the ledger, with metadata and canned queries (browse.py)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from claimledger.cli.common import DEFAULT_DB, DbOption, err, errors, open_ledger, print_json
from claimledger.output.browse import datasette_command, metadata


def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8001,
    metadata_only: Annotated[bool, typer.Option("--metadata-only", help="Print the datasette metadata JSON and exit.")] = False,
) -> None:
    """Browse the ledger in datasette: described tables, facets and canned queries.

    The canned queries: coverage of a story, what an outlet omits, disagreements, quotes by speaker.

    Needs the serve extra: pip install 'claimledger[serve]'. Stop it with Ctrl-C.

    Example: claimledger serve --port 8001, then open http://127.0.0.1:8001/ledger
    """
    with errors():
        meta = metadata(db)
        if metadata_only:
            print_json(meta)
            return
        open_ledger(db).close()  # a clear error now beats a datasette traceback later
        with tempfile.TemporaryDirectory() as tmp:
            meta_path = Path(tmp) / "metadata.json"
            meta_path.write_text(json.dumps(meta), encoding="utf-8")
            cmd = datasette_command(db, meta_path, host, port)
            err.print(f"serving {db} at http://{host}:{port}/{Path(db).stem} (Ctrl-C stops)", markup=False)
            try:
                code = subprocess.call(cmd)
            except KeyboardInterrupt:
                code = 0
        if code:
            raise typer.Exit(code)
