"""What every command shares: the --db/--json/--csv options, error lines, table output."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup

from claimledger.errors import ClaimLedgerError
from claimledger.store.ledger import DB_ENV, DEFAULT_DB, Ledger

# settings.CONFIG_ENV, written out: the read commands never load the settings model
# (tests/test_layers.py checks the two agree)
CONFIG_ENV = "CLAIMLEDGER_CONFIG"

__all__ = ["DEFAULT_DB", "Command", "Group", "ConfigOption", "CsvOption", "DbOption", "JsonOption", "errors", "open_ledger"]

def plain_placeholders(params: Sequence[Any]) -> None:
    """Name values in --help as people write them, not as Python types: a flag shows no
    placeholder (typer would print <bool>), an option its own name (--limit LIMIT, not <int>) or
    its choices, an argument its name in capitals (A, CLAIM; not <str>)."""
    for p in params:
        if getattr(p, "is_flag", False) or getattr(p, "is_bool_flag", False):
            p.metavar = ""
        elif p.metavar is None and not getattr(getattr(p, "type_descriptor", None), "is_choice", False):
            p.metavar = (p.name or "value").upper()  # a choice keeps typer's list of the choices
        if isinstance(p, TyperArgument):
            p.display_type_rich = lambda ctx: None  # type: ignore[method-assign]  # the name says it


class _PlainHelp:
    """Plain placeholders (``plain_placeholders``) on every parameter a command or group shows,
    the help and completion options typer adds included."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        plain_placeholders(params)
        return params


class Command(_PlainHelp, TyperCommand):
    """Every claimledger command: plain placeholders in its help and a usage line without
    typer's braces (``diff A B``, not ``diff {a} {b}``)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [re.sub(r"\{([^{}]*)\}", r"\1", p) for p in super().collect_usage_pieces(ctx)]
        return [p.replace("......", "...") for p in pieces]  # a metavar that says "..." itself


class Group(_PlainHelp, TyperGroup):
    """A group of commands (the root, ``export``) with the same plain placeholders."""


def _root_db(ctx: typer.Context, value: str) -> str:
    """A command's ledger: its own --db if given on the command line, else the one given before
    the command (`claimledger --db FILE claims`), else $CLAIMLEDGER_DB, else ledger.db."""
    given = getattr(ctx.get_parameter_source("db"), "name", None) == "COMMANDLINE"
    root = ctx.find_root().params.get("db")
    return value if given or not root else root


DbOption = Annotated[
    str,
    typer.Option("--db", envvar=DB_ENV, metavar="FILE", help="Ledger file (SQLite).", show_default=True,
                 callback=_root_db),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ConfigOption = Annotated[
    Optional[str],
    typer.Option("--config", envvar=CONFIG_ENV, metavar="FILE",
                 help="TOML or JSON file overriding settings (see 'claimledger settings')."),
]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV rows.")]
# the options of the commands that read articles (ingest, extract) and run the pipeline (rebuild)
SourceOption = Annotated[Optional[str], typer.Option(
    help="Source (outlet) name for every article; default: file stem or front matter.")]
StoryOption = Annotated[Optional[str], typer.Option(
    help="Put every article in this story instead of grouping automatically.")]
ModelOption = Annotated[Optional[str], typer.Option(envvar="CLAIMLEDGER_MODEL", help="Installed spaCy pipeline to use.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")]
StrictOption = Annotated[bool, typer.Option(
    "--strict", help="Stop at the first web page or feed item that cannot be read (default: skip it).")]

class _Out:
    """Standard output as rich renders it, decided at each print: a terminal (or an explicit
    $COLUMNS) gets tidy tables at its width; a pipe gets whole lines, nothing wrapped, so grep
    and cut see a claim's text on one line."""

    def __init__(self) -> None:
        self._consoles: dict[tuple[object, bool, str | None], Console] = {}

    def print(self, *objects: Any, **kwargs: Any) -> None:
        columns = os.environ.get("COLUMNS")
        whole = not sys.stdout.isatty() and not columns
        # one console per output stream and width setting, not one per line: a diff prints hundreds
        key = (sys.stdout, whole, columns)
        console = self._consoles.get(key)
        if console is None:
            console = self._consoles[key] = Console(highlight=False, soft_wrap=whole, width=100_000 if whole else None)
        console.print(*objects, **kwargs)


out = _Out()
err = Console(stderr=True, highlight=False)


def default_db() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


@contextlib.contextmanager
def errors() -> Iterator[None]:
    """Turn a ClaimLedgerError into one 'Error: ...' line with its hint, and exit 1."""
    try:
        yield
    except ClaimLedgerError as e:
        line = f"Error: {e.message}"
        if e.hint:
            line += f" ({e.hint})"
        typer.echo(line, err=True)
        raise typer.Exit(1) from None


def open_ledger(db: str, read_only: bool = True) -> Ledger:
    return Ledger(db, read_only=read_only)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, as_json: bool, as_csv: bool,
               title: str | None = None) -> None:
    """Rows as JSON, CSV or a terminal table with the given columns."""
    if as_json:
        print_json(list(rows))
        return
    if as_csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title, show_lines=False, expand=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    out.print(table)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return str(v)


MinMaybeOption = Annotated[float, typer.Option(
    "--min-maybe", min=0.0, max=1.0,
    help="Show a claim as 'may be stated in other words' only when the other outlet's candidate sentence is at "
         "least this probable (the same-fact model's probability); below it, the claim counts as omitted. "
         "Raise it to read fewer candidates and more (less certain) omissions.")]
