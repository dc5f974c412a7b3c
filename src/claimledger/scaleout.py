"""Past one machine: extract anywhere, merge once (docs/scaling.md).

``extract_to`` parses articles and writes their records to a folder: partitions of JSON Lines
(one ``ArticleRecords`` a line) and a ``manifest.json`` naming the claimledger version, the
spaCy pipeline and every partition with a digest of its inputs and of its file. The parsing
runs in this process, in local worker processes, or on a Dask cluster. A rerun skips the
partitions already written for the same inputs, so an interrupted extract resumes.

``merge_from`` is the single writer: it checks the folder (version, digests) before writing
anything, then feeds the records, in order, to the very code ``ingest`` writes with, so
extract + merge gives the rows ingest gives. Articles the ledger holds are skipped: merging a
folder twice adds nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from spacy.language import Language

from claimledger import __version__
from claimledger.build import IngestReport, NewOnly, Progress, read_inputs, write_chunks
from claimledger.errors import ExtraError, InputError
from claimledger.extract.pipeline import model_name
from claimledger.extract.pool import check_model, ordered_records, records_of
from claimledger.records import Article, ArticleRecords
from claimledger.settings import DEFAULT, Settings
from claimledger.store.ledger import Ledger

RECORDS_FORMAT = 1  # the layout of a records folder; ArticleRecords' own shape goes with __version__
MANIFEST = "manifest.json"


class Partition(BaseModel):
    """One file of records: which articles went in, and what came out."""

    name: str
    articles: int
    inputs: str
    """SHA-256 over the articles' JSON, in order: the same inputs give the same partition."""
    sha256: str | None = None
    """SHA-256 of the file once it is written (None: not written yet)."""


class Manifest(BaseModel):
    """What a records folder holds and what made it."""

    format: int = RECORDS_FORMAT
    claimledger: str
    model: str
    """The spaCy pipeline, as ``name version``."""
    partition_size: int
    partitions: list[Partition] = []
    complete: bool = False
    """True once every input is in a written partition: a folder read while (or after) an
    extract stopped midway lists only the partitions it got to."""


@dataclass
class ExtractReport:
    """What an extract did, for the CLI and for scripts (``--json``)."""

    out: str = ""
    articles: int = 0
    partitions: int = 0
    written: int = 0
    resumed: int = 0
    words: int = 0
    seconds: float = 0.0
    failed: list[dict[str, str]] = field(default_factory=list)


class Pending(Protocol):
    """A task's future: ``concurrent.futures.Future`` and Dask's both have ``result()``."""

    def result(self) -> Any: ...


class Executor(Protocol):
    """What ``extract_to`` needs of a cluster: ``submit`` returning a future (a
    ``concurrent.futures`` executor, or a ``distributed.Client`` wrapped by ``dask_executor``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Pending: ...


def model_id(model: str | None = None) -> str:
    """``name version`` of the pipeline: records from another pipeline are other records."""
    import spacy.util

    name = model_name(model)
    return f"{name} {spacy.util.get_package_version(name) or 'local'}"


def dask_executor(address: str) -> Executor:
    """A Dask cluster as an executor: ``address`` of its scheduler (``tcp://host:8786``).

    Each worker process loads the pipeline once (``extract.pool.worker_nlp``) and parses one
    batch at a time; start workers with ``--nthreads 1`` (a process per core) for best speed.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ExtraError("the Dask path needs the distributed package",
                         hint="pip install 'claimledger[dask]'") from None
    try:
        client = Client(address, timeout=30)
    except OSError as e:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {e}",
                         hint="start one (dask scheduler) or check the address") from None

    class _Dask:
        def submit(self, fn: Callable[..., Any], /, *args: Any) -> Pending:
            return client.submit(fn, *args, pure=False)

        def close(self) -> None:
            client.close()

    return _Dask()


def extract_to(
    paths: list[str],
    out: str | Path,
    *,
    settings: Settings = DEFAULT,
    model: str | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    partition_size: int = 256,
    source: str | None = None,
    story: str | None = None,
    stdin_text: str | None = None,
    strict: bool = False,
    nlp: Language | None = None,
    progress: Progress | None = None,
) -> ExtractReport:
    """Parse and extract every article under ``paths`` into the records folder ``out``.

    Articles are cut into partitions of ``partition_size``, in input order. A partition whose
    file exists for the same inputs, version and pipeline is kept (resume); the others are
    parsed, ``settings.ingest.batch_size`` articles a task, in this process (``workers`` 1),
    in ``workers`` local processes, or on ``executor`` (``dask_executor(address)``). Each file
    is written whole (to a temporary name, then renamed) and the manifest is updated after
    each one, so an interrupted run loses at most the partitions in flight.
    """
    clock = time.perf_counter()
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is not a folder", hint="give --out a folder for the records")
    folder.mkdir(parents=True, exist_ok=True)
    name = model_name(model)
    if nlp is None and executor is None:
        check_model(name)
    articles, total, failed, _ = read_inputs(paths, settings, source=source, story=story,
                                             stdin_text=stdin_text, strict=strict)
    old = _read_manifest(folder) if (folder / MANIFEST).exists() else None
    manifest = Manifest(claimledger=__version__, model=model_id(name), partition_size=partition_size)
    kept = {}
    if old is not None and (old.format, old.claimledger, old.model) == (RECORDS_FORMAT, __version__, manifest.model):
        kept = {p.name: p for p in old.partitions if p.sha256 and (folder / p.name).is_file()}
    report = ExtractReport(out=str(folder), articles=total, failed=failed)
    batch = settings.ingest.batch_size
    todo: dict[int, Partition] = {}
    finished = 0

    def plan() -> Iterator[tuple[int, list[Article]]]:
        """Partitions as they are read (memory holds the ones in flight, not the corpus); a kept
        one is listed and skipped, the others are cut into batches for the workers."""
        nonlocal finished
        stream = iter(articles())
        for i in itertools.count():
            part = list(itertools.islice(stream, partition_size))
            if not part:
                break
            digest = hashlib.sha256()
            for art in part:
                digest.update(art.model_dump_json().encode("utf-8"))
            entry = Partition(name=f"part-{i:05d}.jsonl", articles=len(part), inputs=digest.hexdigest())
            manifest.partitions.append(entry)
            done = kept.get(entry.name)
            if done is not None and (done.inputs, done.articles) == (entry.inputs, entry.articles):
                entry.sha256 = done.sha256
                report.resumed += 1
                finished += entry.articles
                continue
            todo[i] = entry
            for j in range(0, len(part), batch):
                yield i, part[j:j + batch]

    got: list[ArticleRecords] = []
    for k, records in _run(plan(), name, batch, workers, executor, nlp):
        got.extend(records)
        if progress:
            progress(finished + len(got), total)
        entry = todo[k]
        if len(got) < entry.articles:
            continue
        entry.sha256 = _write_partition(folder / entry.name, got)
        finished += entry.articles
        report.written += 1
        report.words += sum(r.word_count for r in got)
        got = []
        _write_manifest(folder, manifest)
    report.partitions = len(manifest.partitions)
    manifest.complete = True
    _write_manifest(folder, manifest)  # the complete list, kept partitions at the end included
    if progress:
        progress(finished, total)
    report.seconds = round(time.perf_counter() - clock, 2)
    return report


def _run(batches: Iterator[tuple[int, list[Article]]], name: str, batch_size: int, workers: int,
         executor: Executor | None, nlp: Language | None) -> Iterator[tuple[int, list[ArticleRecords]]]:
    """(partition index, records of one batch), in input order, from wherever the parsing runs."""
    if executor is not None:
        pending: deque[tuple[int, Pending]] = deque()
        for k, arts in batches:
            pending.append((k, executor.submit(records_of, arts, name, batch_size)))
            if len(pending) >= 64:  # enough to keep a cluster busy, bounded for memory
                k0, fut = pending.popleft()
                yield k0, fut.result()
        while pending:
            k0, fut = pending.popleft()
            yield k0, fut.result()
        return
    keys: deque[int] = deque()

    def tagged() -> Iterator[list[Article]]:
        for k, arts in batches:
            keys.append(k)
            yield arts

    if workers > 1:
        for records in ordered_records(tagged(), workers, name, batch_size, nlp=nlp):
            yield keys.popleft(), records
        return
    for arts in tagged():
        yield keys.popleft(), records_of(arts, name, batch_size, nlp=nlp)


def _write_partition(path: Path, records: list[ArticleRecords]) -> str:
    tmp = path.with_name(path.name + ".tmp")
    data = "".join(r.model_dump_json() + "\n" for r in records).encode("utf-8")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return hashlib.sha256(data).hexdigest()


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(manifest.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{folder} has no {MANIFEST}: it is not a records folder",
                         hint="write one with: claimledger extract PATH... --out FOLDER") from None
    except (ValidationError, ValueError) as e:
        raise InputError(f"{path} is not a claimledger manifest ({_first_error(e)})",
                         hint="extract the articles again into a new folder") from None


def _first_error(e: Exception) -> str:
    if isinstance(e, ValidationError):
        err = e.errors()[0]
        return f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
    return str(e).splitlines()[0]


def check_folder(folder: str | Path) -> Manifest:
    """The manifest of a complete records folder of this version; else one clear error."""
    path = Path(folder)
    if not path.is_dir():
        raise InputError(f"no records folder at {path}", hint="write one with: claimledger extract PATH... --out FOLDER")
    manifest = _read_manifest(path)
    again = "extract the articles again with this version: claimledger extract PATH... --out NEW_FOLDER"
    if manifest.format != RECORDS_FORMAT or manifest.claimledger != __version__:
        raise InputError(f"{path} holds records of claimledger {manifest.claimledger} (records format "
                         f"{manifest.format}); this is claimledger {__version__} (format {RECORDS_FORMAT})", hint=again)
    if not manifest.complete:
        raise InputError(f"the extract into {path} has not finished",
                         hint="finish it: run the same claimledger extract command again")
    for p in manifest.partitions:
        file = path / p.name
        if p.sha256 is None or not file.is_file():
            raise InputError(f"{file} has not been extracted yet",
                             hint="finish the extract: run the same claimledger extract command again")
        if _file_sha256(file) != p.sha256:
            raise InputError(f"{file} is not the file its manifest lists (changed or from another run)", hint=again)
    return manifest


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_folder(folder: str | Path, manifest: Manifest) -> Iterator[ArticleRecords]:
    """Every record of a checked folder, in order."""
    for p in manifest.partitions:
        file = Path(folder) / p.name
        with file.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines, 1):
                try:
                    yield ArticleRecords.model_validate_json(line)
                except ValidationError as e:
                    raise InputError(f"{file}, line {n}: not a record of this version ({_first_error(e)})",
                                     hint="extract the articles again with this version") from None


def merge_from(folders: Iterable[str | Path], ledger: Ledger, *, settings: Settings = DEFAULT,
               progress: Progress | None = None) -> IngestReport:
    """Merge records folders into ``ledger``, in order, as ``ingest`` would have written their
    articles. Every folder is checked (version, completeness, digests) before anything is written."""
    ledger.require_current()
    checked = [(Path(f), check_folder(f)) for f in folders]
    report = IngestReport(read=sum(p.articles for _, m in checked for p in m.partitions))
    new = NewOnly(ledger)

    def chunks() -> Iterator[list[ArticleRecords]]:
        stored = (rec for folder, manifest in checked for rec in read_folder(folder, manifest))
        stream = new(stored, lambda rec: rec.article.sha256)
        clock = time.perf_counter()
        while records := list(itertools.islice(stream, settings.ingest.chunk)):
            report.timings["read"] = report.timings.get("read", 0.0) + time.perf_counter() - clock
            yield records
            clock = time.perf_counter()

    return write_chunks(chunks(), ledger, report, settings=settings, command="merge", progress=progress, new=new)

