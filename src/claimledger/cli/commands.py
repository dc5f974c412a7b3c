"""The typer application: every command, registered on one group with one-line errors."""

from __future__ import annotations

import os

# measured: one BLAS thread per process parses news faster (batch 16: ~7,400 vs ~4,900 words/s)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
from typing import Annotated, Any, Optional

import typer
from typer.exceptions import TyperException

from claimledger import __version__
from claimledger.cli.common import Command, Group
from claimledger.cli.export_cmds import export_app, report_command
from claimledger.cli.ingest_cmd import ingest_command, rebuild_command, settings_command
from claimledger.cli.read_cmds import (
    check_command,
    claims_command,
    diff_command,
    show_command,
    sources_command,
    sql_command,
    stories_command,
)
from claimledger.cli.scale_cmds import extract_command, merge_command
from claimledger.cli.serve_cmd import serve_command


class _OneLineErrors(Group):
    """Usage errors (an unknown option, a bad --kind) as one line, `Error: what (what to do)`, exit 1,
    like every other error of claimledger, instead of a usage box."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False,
                              windows_expand_args=windows_expand_args, **extra)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("Error: interrupted (nothing half-written is kept; run the command again)", err=True)
            sys.exit(1)
        except TyperException as e:
            if not standalone_mode or not hasattr(e, "format_message"):
                raise
            if not e.format_message():  # no arguments: the help was printed, nothing went wrong
                sys.exit(0)
            ctx = getattr(e, "ctx", None)
            where = ctx.command_path if ctx is not None else "claimledger"
            typer.echo(f"Error: {e.format_message()} (see '{where} --help')", err=True)
            sys.exit(1)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


app = typer.Typer(
    cls=_OneLineErrors,
    name="claimledger",
    help="Compare news coverage claim by claim: ingest articles into a SQLite ledger, then ask "
    "which outlet states what, omits what, and where they disagree.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimledger {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", metavar="FILE", help="Ledger file for the command that follows (it may also come after it).")] = None,
) -> None:
    """claimledger: who reported what, with evidence."""
    # `claimledger --db FILE claims` as well as `claimledger claims --db FILE`: the commands read it
    # through their own --db option (common.DbOption)



app.command("ingest", cls=Command)(ingest_command)
app.command("rebuild", cls=Command)(rebuild_command)
app.command("extract", cls=Command)(extract_command)
app.command("merge", cls=Command)(merge_command)
app.command("stories", cls=Command)(stories_command)
app.command("sources", cls=Command)(sources_command)
app.command("claims", cls=Command)(claims_command)
app.command("show", cls=Command)(show_command)
app.command("diff", cls=Command)(diff_command)
app.command("sql", cls=Command)(sql_command)
app.command("check", cls=Command)(check_command)
app.add_typer(export_app, name="export")
app.command("report", cls=Command)(report_command)
app.command("serve", cls=Command)(serve_command)
app.command("settings", cls=Command)(settings_command)
