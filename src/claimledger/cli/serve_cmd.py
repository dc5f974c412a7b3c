"""`claimledger serve`: datasette over the ledger, with metadata and canned queries (browse.py)."""

from __future__ import annotations

import json
import signal
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
    r"""Browse the ledger in datasette: described tables, facets and canned queries.

    The canned queries: coverage of a story, what an outlet omits, disagreements, quotes by speaker.

    Needs the serve extra: pip install 'claimledger\[serve]'. Stop it with Ctrl-C, or kill it
    (SIGTERM, SIGHUP): datasette stops with it and its temporary files go.

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
            code = _run_until_stopped(cmd)
        if code:
            raise typer.Exit(code)


class _Stopped(Exception):
    """SIGTERM or SIGHUP reached serve."""


def _run_until_stopped(cmd: list[str]) -> int:
    """Run datasette as a child until it exits or serve is told to stop (Ctrl-C, SIGTERM,
    SIGHUP); then stop the child too, so nothing keeps listening on the port."""
    def stop(signum: int, frame: object) -> None:
        raise _Stopped(signum)

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    old = {s: signal.signal(s, stop) for s in wanted}
    proc = subprocess.Popen(cmd)
    try:
        return proc.wait()
    except (KeyboardInterrupt, _Stopped):
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return 0
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
