"""`claimledger export story|diff` and `claimledger report`: thin wrappers over export.py and report.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from claimledger.cli.common import DEFAULT_DB, Command, DbOption, Group, MinMaybeOption, err, errors, open_ledger
from claimledger.output.export import FORMATS, render_diff, render_story, story_export
from claimledger.output.report import render_report
from claimledger.store import queries

export_app = typer.Typer(
    cls=Group,
    help="Export a story or a diff as json, csv or markdown (stable formats: docs/usage.md).",
    no_args_is_help=True,
)

FormatOption = Annotated[str, typer.Option("--format", "-f", help="json, csv or markdown (or md).")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")]


def _emit(text: str, output: Path | None, quiet: bool = False) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    if not quiet:
        err.print(f"wrote {output}", markup=False, highlight=False)


def _check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt == "md":
        fmt = "markdown"
    if fmt not in FORMATS:
        from claimledger.errors import InputError

        raise InputError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(FORMATS))
    return fmt


@export_app.command("story", cls=Command)
def export_story_command(
    story: Annotated[str, typer.Argument(help="Story id, id prefix or name ('claimledger stories' lists them).")],
    fmt: FormatOption = "json",
    output: OutputOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export one story: every claim, each outlet's status (asserts/omits/disagrees) and wording, quotes.

    json is the full record (format claimledger.story/1) and reads back with
    claimledger.output.export.read_story_json; csv has one row per mention (each sentence with
    its own span; an outlet that omits a claim gets one row without one); markdown is a coverage
    table for notes and tickets.

    Example: claimledger export story 19f7 --format csv -o story.csv
    """
    with errors():
        fmt = _check_format(fmt)
        with open_ledger(db) as ledger:
            text = render_story(story_export(ledger, story), fmt)
        _emit(text, output)


@export_app.command("diff", cls=Command)
def export_diff_command(
    a: Annotated[str, typer.Argument(help="First source (outlet) name.")],
    b: Annotated[str, typer.Argument(help="Second source name.")],
    story: Annotated[Optional[str], typer.Option("--story", "-s", help="Limit to one story.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also list the claims both assert.")] = False,
    min_maybe: MinMaybeOption = 0.0,
    fmt: FormatOption = "json",
    output: OutputOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export a diff: what A asserts that B omits, the reverse, what may be stated in other words, and
    their disagreements.

    Example: claimledger export diff reuters ap --format markdown
    """
    with errors():
        fmt = _check_format(fmt)
        with open_ledger(db) as ledger:
            text = render_diff(queries.diff(ledger, a, b, story, include_shared=show_all, min_maybe=min_maybe), fmt)
        _emit(text, output)


def report_command(
    story: Annotated[str, typer.Argument(help="Story id, id prefix or name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("report.html"),
    db: DbOption = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not say where the report went.")] = False,
) -> None:
    """Write one self-contained HTML page for a story: coverage matrix, wording per outlet, quotes.

    Example: claimledger report 19f7 -o summit.html
    """
    with errors():
        with open_ledger(db) as ledger:
            page = render_report(story_export(ledger, story))
        _emit(page, output, quiet)
