"""Extraction in worker processes: articles in, records out, in input order.

Parsing and extraction are a pure function of the article (docs/scaling.md), so they run in
any process that has the model: ``records_of`` is that function, loading the model once per
process. ``ordered_records`` runs it over batches in a pool of local processes, keeping a
bounded number of batches in flight so memory holds a few batches, not the corpus; results
come back in input order, so what follows (stories, alignment, writes) sees the order a
single process would.
"""

from __future__ import annotations

import collections
import multiprocessing
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import spacy.util
from spacy.language import Language

from claimledger.errors import ModelError
from claimledger.extract.claims import extract
from claimledger.extract.pipeline import load_nlp, model_name
from claimledger.records import Article, ArticleRecords

_LOADED: dict[str, Language] = {}  # one model per process and name
# a Dask worker may run tasks in several threads: a pipeline (and its memory zone) is used by
# one of them at a time
_LOCK = threading.Lock()


def worker_nlp(model: str | None = None) -> Language:
    """The pipeline named ``model`` (default: the configured one), loaded once in this process."""
    name = model_name(model)
    if name not in _LOADED:
        _LOADED[name] = load_nlp(name)
    return _LOADED[name]


def records_of(articles: list[Article], model: str | None = None, batch_size: int = 16, *,
               nlp: Language | None = None) -> list[ArticleRecords]:
    """Parse and extract a batch of articles, with ``nlp`` or the process's copy of ``model``.
    Inside ``memory_zone`` the strings spaCy learns from the batch are freed once its records
    exist, so a long-lived worker stays flat."""
    with _LOCK:
        nlp = nlp or worker_nlp(model)
        with nlp.memory_zone():
            docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
            return [extract(doc, art) for doc, art in zip(docs, articles)]


def check_model(model: str | None = None) -> str:
    """The model's name, once it is known to be installed (a package, or a pipeline's folder):
    a worker that cannot load it would fail far from the command line."""
    name = model_name(model)
    if not (spacy.util.is_package(name) or (Path(name) / "config.cfg").is_file()):
        raise ModelError(f"spaCy pipeline '{name}' is not installed")
    return name


def _start(model: str) -> None:
    worker_nlp(model)  # load before the first batch arrives: the load overlaps the reading


def ordered_records(batches: Iterable[list[Article]], workers: int, model: str | None = None,
                    batch_size: int = 16, *, nlp: Language | None = None,
                    in_flight: int = 0) -> Iterator[list[ArticleRecords]]:
    """``records_of`` each batch in ``workers`` processes, yielded in input order.

    At most ``in_flight`` batches (default ``3 * workers``) are parsed ahead of the consumer.
    ``nlp``, if given, is the loaded pipeline ``model`` names: where processes start by fork
    (Linux) the workers inherit it instead of loading their own. Where they start by spawn
    (macOS, Windows) a script that calls this needs the usual ``if __name__ == "__main__":``.
    """
    name = check_model(model) if nlp is None else model_name(model)
    if nlp is not None:
        _LOADED[name] = nlp
    # the platform's default start method, as spaCy's own n_process uses
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(),
                               initializer=_start, initargs=(name,))
    limit = in_flight or 3 * workers
    pending: collections.deque[Future[list[ArticleRecords]]] = collections.deque()
    try:
        for batch in batches:
            pending.append(pool.submit(records_of, batch, name, batch_size))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # a consumer that stops early (an error while writing) must not wait for the rest
        pool.shutdown(wait=True, cancel_futures=True)
