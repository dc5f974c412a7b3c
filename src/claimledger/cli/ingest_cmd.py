"""`claimledger ingest PATH...`"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from claimledger.cli.common import DbOption, JsonOption, err, errors, print_json
from claimledger.extract.pipeline import load_nlp
from claimledger.ingest import BATCH_SIZE, ingest
from claimledger.store.ledger import Ledger


def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (walked) or - for standard input.")],
    db: DbOption = "ledger.db",
    source: Annotated[Optional[str], typer.Option(
        help="Source (outlet) name for every article; default: file stem or front matter.")] = None,
    story: Annotated[Optional[str], typer.Option(help="Put every article in this story instead of grouping automatically.")] = None,
    model: Annotated[Optional[str], typer.Option(envvar="CLAIMLEDGER_MODEL", help="Installed spaCy pipeline to use.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch.")] = BATCH_SIZE,
    workers: Annotated[int, typer.Option(
        min=0, help="Parser processes (spaCy n_process); 0: one per core for 200+ articles, else 1.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Read articles, extract claims and quotes, group stories, align claims, record all in the ledger.

    Re-ingesting the same text changes nothing. A bad input stops the run before anything is written.

    Examples:

      claimledger ingest data/raw/

      cat article.txt | claimledger ingest - --source "Daily Planet"
    """
    with errors():
        with Ledger(db) as ledger:
            nlp = load_nlp(model)
            show = not quiet and not as_json and err.is_terminal
            with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=err, disable=not show, transient=True) as bar:
                task = bar.add_task("ingest", total=None)
                report = ingest(paths, ledger, nlp, source=source, story=story, batch_size=batch_size,
                                n_process=workers or None,
                                progress=lambda done, total: bar.update(task, completed=done, total=total))
        if as_json:
            print_json(dataclasses.asdict(report))
        elif not quiet:
            typer.echo(
                f"Ingested {report.added} article(s) ({report.skipped} already in the ledger), "
                f"{report.words} words: {report.mentions} claim mentions, {report.claims} new claims, "
                f"{report.quotes} quotes, {report.new_stories} new stor{'y' if report.new_stories == 1 else 'ies'}. "
                f"Ledger: {db}"
            )
