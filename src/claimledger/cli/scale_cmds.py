"""`claimledger extract PATH... --out DIR` and `claimledger merge DIR...`: ingest in two halves."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Optional

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
    errors,
    print_json,
)
from claimledger.cli.ingest_cmd import print_summary, progress_bar
from claimledger.store.ledger import Ledger


def extract_command(
    paths: Annotated[list[str], typer.Argument(
        help="What ingest reads: files, folders, URLs of pages or feeds, or - for standard input.",
        metavar="PATH_OR_URL...")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="DIR", help="Records folder to write (or to resume).")],
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes that parse and extract.")] = 1,
    dask: Annotated[Optional[str], typer.Option(
        "--dask", metavar="ADDRESS",
        help="Parse on a Dask cluster instead: its scheduler's address (tcp://host:8786). "
             "Needs: pip install 'claimledger[dask]'.")] = None,
    partition_size: Annotated[int, typer.Option(min=1, help="Articles per records file.")] = 256,
    source: SourceOption = None,
    story: StoryOption = None,
    model: ModelOption = None,
    quiet: QuietOption = False,
    strict: StrictOption = False,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Parse articles and write their claims, quotes and entities to a records folder, for 'merge'.

    The first half of ingest, which needs no ledger: run it on many machines (or a Dask
    cluster), then merge the folders into one ledger. A rerun of the same command resumes: the
    records files already written for the same articles are kept.

    Examples:

      claimledger extract data/raw --out records/ --workers 2

      claimledger extract feeds/*.rss --out records/ --dask tcp://scheduler:8786

      claimledger merge records/ --db ledger.db
    """
    from claimledger.scaleout import dask_executor, extract_to
    from claimledger.settings import Settings

    with errors():
        settings = Settings.load(config)
        executor = dask_executor(dask) if dask else None
        try:
            with progress_bar("extracting", quiet or as_json) as tick:
                report = extract_to(paths, out, settings=settings, model=model, workers=workers, executor=executor,
                                    partition_size=partition_size, source=source, story=story, strict=strict,
                                    progress=tick)
        finally:
            close = getattr(executor, "close", None)
            if close:
                close()
        if as_json:
            print_json(dataclasses.asdict(report))
        elif not quiet:
            typer.echo(f"Extracted {report.articles} article(s) into {report.partitions} records file(s) in {report.out}: "
                       f"{report.written} written, {report.resumed} kept from an earlier run. "
                       f"Next: claimledger merge {report.out}")
        for f in report.failed:
            typer.echo(f"Error: {f['reason']} (skipped; the other inputs were extracted)", err=True)
        if report.failed:
            raise typer.Exit(1)


def merge_command(
    folders: Annotated[list[str], typer.Argument(help="Records folders written by 'claimledger extract'.",
                                                 metavar="DIR...")],
    db: DbOption = DEFAULT_DB,
    quiet: QuietOption = False,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write records folders into the ledger: group stories, align claims, record everything.

    The second half of ingest: the ledger ends up as ingest would have written it. Every
    folder is checked first (same claimledger version, complete, unchanged), so a bad folder
    leaves the ledger as it was. Articles already in the ledger are skipped: merging a folder
    twice adds nothing.

    Example:

      claimledger merge records-a/ records-b/ --db ledger.db
    """
    from claimledger.scaleout import merge_from
    from claimledger.settings import Settings

    with errors():
        settings = Settings.load(config)
        with Ledger(db) as ledger:
            with progress_bar("merging", quiet or as_json) as tick:
                report = merge_from(folders, ledger, settings=settings, progress=tick)
        print_summary("Merged", report, db, quiet=quiet, as_json=as_json)
