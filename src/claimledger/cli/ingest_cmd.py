"""`claimledger ingest PATH...`, `claimledger rebuild`, `claimledger settings`."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from claimledger.cli.common import (
    DEFAULT_DB,
    ConfigOption,
    DbOption,
    JsonOption,
    ModelOption,
    QuietOption,
    SourceOption,
    StoryOption,
    StrictOption,
    err,
    errors,
    print_json,
)

if TYPE_CHECKING:
    from claimledger.build import IngestReport
from claimledger.store.ledger import Ledger


def ingest_command(
    paths: Annotated[list[str], typer.Argument(
        help="Files (.txt, .md, .jsonl, saved .html pages, .rss/.atom feeds), folders (walked), URLs of pages "
             "or feeds, or - for standard input.", metavar="PATH_OR_URL...")],
    db: DbOption = DEFAULT_DB,
    source: SourceOption = None,
    story: StoryOption = None,
    model: ModelOption = None,
    batch_size: Annotated[Optional[int], typer.Option(
        min=1, help="Articles per nlp.pipe batch (default: the ingest.batch_size setting, 16).")] = None,
    workers: Annotated[int, typer.Option(
        min=0, help="Worker processes that parse and extract; 0: one per core for 200+ articles, else 1.")] = 0,
    quiet: QuietOption = False,
    strict: StrictOption = False,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read articles, extract claims and quotes, group stories, align claims, record all in the ledger.

    Re-ingesting the same text changes nothing. A bad file stops the run before anything is
    written; a web page that cannot be fetched is skipped and reported (--strict stops instead).

    A text file may start with front matter that names its outlet and day:

      ---
      source: Daily Planet
      published: 2024-06-19
      ---
      Headline on the first line

    Examples:

      claimledger ingest data/raw/

      claimledger ingest https://example.com/news/story.html https://example.com/feed.rss

      cat article.txt | claimledger ingest - --source "Daily Planet"
    """
    # spaCy loads only for the commands that parse text: the others start fast
    from claimledger.build import ingest
    from claimledger.settings import Settings

    with errors():
        settings = Settings.load(config)
        with Ledger(db) as ledger:
            ledger.require_current()
            with progress_bar("ingesting", quiet or as_json) as tick:
                report = ingest(paths, ledger, settings=settings, source=source, story=story, model=model,
                                batch_size=batch_size, n_process=workers or None, progress=tick, strict=strict)
        print_summary("Ingested", report, db, quiet=quiet, as_json=as_json)
        for f in report.failed:
            typer.echo(f"Error: {f['reason']} (skipped; the other inputs were ingested)", err=True)
        if report.failed:
            raise typer.Exit(1)


def rebuild_command(
    db: DbOption = DEFAULT_DB,
    model: ModelOption = None,
    workers: Annotated[int, typer.Option(
        min=0, help="Worker processes that parse and extract; 0: one per core for 200+ articles, else 1.")] = 0,
    quiet: QuietOption = False,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remake a ledger's claims, stories and statistics from its stored article texts.

    Run it after upgrading claimledger (a command that finds an older ledger says so), or to
    apply other settings (--config) to articles already ingested. The result is what a fresh
    ingest of the same texts writes; the old ledger is replaced only once the new one is complete.

    Example:

      claimledger rebuild --db ledger.db
    """
    from claimledger.build import rebuild
    from claimledger.settings import Settings

    with errors():
        settings = Settings.load(config)
        with progress_bar("rebuilding", quiet or as_json) as tick:
            report = rebuild(db, settings=settings, model=model, n_process=workers or None, progress=tick)
        print_summary("Rebuilt", report, db, quiet=quiet, as_json=as_json)


def settings_command(
    config: ConfigOption = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", help="Print the settings of this ledger's last ingest or rebuild instead.")] = None,
) -> None:
    """Print the settings a run would use (defaults, overridden by --config FILE), as JSON.

    Every field, its default and what it does: docs/settings.md. Save the output, edit it,
    and pass it back with --config to ingest or rebuild.

    Example:

      claimledger settings > my.json && claimledger rebuild --config my.json
    """
    from claimledger.settings import Settings

    with errors():
        if db:
            with Ledger(db, read_only=True) as ledger:
                rows = ledger.query("SELECT settings FROM runs ORDER BY id DESC LIMIT 1")
            typer.echo(Settings.model_validate_json(rows[0]["settings"]).model_dump_json(indent=2))
            return
        typer.echo(Settings.load(config).model_dump_json(indent=2))


@contextlib.contextmanager
def progress_bar(label: str, hidden: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for a command that works through articles (none when hidden or
    stderr is not a terminal); yields the callback the library reports (done, total) to."""
    # imported here: the read commands never draw one
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    show = not hidden and err.is_terminal
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def print_summary(verb: str, report: IngestReport, db: str, *, quiet: bool, as_json: bool) -> None:
    """What a run that wrote the ledger did: the report as JSON, or one line."""
    if as_json:
        print_json(dataclasses.asdict(report))
    elif not quiet:
        typer.echo(
            f"{verb} {report.added} article(s) ({report.skipped} already in the ledger), "
            f"{report.words} words: {report.mentions} claim mentions, {report.claims} new claims, "
            f"{report.quotes} quotes, {report.new_stories} new stor{'y' if report.new_stories == 1 else 'ies'}. "
            f"Ledger: {db}"
        )
