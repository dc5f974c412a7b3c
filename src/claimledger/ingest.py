"""Ingest: read -> spaCy pipeline -> extract -> story -> align -> ledger, one article at a time.

All inputs are read and checked before anything is written, so a bad file stops the run with
the ledger as it was. Articles already in the ledger (same text) are skipped before parsing.
Articles are parsed with ``nlp.pipe`` in small batches and written one transaction each.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language

from .align import assign, unpack_vector
from .claims import extract
from .ledger import Ledger, new_claim_id
from .models import Article, ArticleRecords, ClaimUnit, content_id
from .pipeline import load_nlp
from .reader import read_paths
from .similarity import idf
from .stories import Clusterer, signature

BATCH_SIZE = 16
CHUNK = 256  # articles whose term statistics are pooled before stories are chosen


@dataclass
class IngestReport:
    """What an ingest did, for the CLI and for scripts (``--json``)."""

    read: int = 0
    added: int = 0
    skipped: int = 0
    words: int = 0
    new_stories: int = 0
    claims: int = 0
    mentions: int = 0
    quotes: int = 0
    stories: list[str] = field(default_factory=list)


Progress = Callable[[int, int], None]


class _PooledStore:
    """Ledger term statistics plus those of the chunk being ingested, for story choice."""

    def __init__(self, ledger: Ledger, pending: Counter[str], n_pending: int) -> None:
        self.ledger, self.pending, self.n_pending = ledger, pending, n_pending

    def n_articles(self) -> int:
        return self.ledger.n_articles() + self.n_pending

    def df(self, term: str) -> int:
        return self.ledger.df(term) + self.pending.get(term, 0)

    def stories_with_terms(self, terms: Iterable[str]) -> set[str]:
        return self.ledger.stories_with_terms(terms)

    def story_centroid(self, story_id: str) -> Mapping[str, float]:
        return self.ledger.story_centroid(story_id)

    def story_dates(self, story_id: str) -> tuple[str, str] | None:
        return self.ledger.story_dates(story_id)


def _chunks(it: Iterable[Article], n: int) -> Iterator[list[Article]]:
    it = iter(it)
    while chunk := list(islice(it, n)):
        yield chunk


def ingest(
    paths: list[str],
    ledger: Ledger,
    nlp: Language | None = None,
    *,
    source: str | None = None,
    story: str | None = None,
    stdin_text: str | None = None,
    batch_size: int = BATCH_SIZE,
    n_process: int = 1,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into ``ledger``; return counts."""
    if "-" in paths and stdin_text is None:
        import sys

        stdin_text = sys.stdin.read()
    # check every input first: a bad one must leave the ledger untouched
    total = sum(1 for _ in read_paths(paths, source, story, stdin_text))
    nlp = nlp or load_nlp()
    report = IngestReport(read=total)
    done = 0
    for chunk in _chunks(read_paths(paths, source, story, stdin_text), CHUNK):
        seen: set[str] = set()
        fresh = []
        for art in chunk:
            if art.sha256 in seen or ledger.has_article(art.sha256):
                report.skipped += 1
            else:
                seen.add(art.sha256)
                fresh.append(art)
        done += len(chunk) - len(fresh)
        if progress:
            progress(done, total)
        docs = nlp.pipe((a.text for a in fresh), batch_size=batch_size, n_process=n_process)
        records = [extract(doc, art) for art, doc in zip(fresh, docs)]
        sigs = [signature(r) for r in records]
        pending: Counter[str] = Counter()
        for sig in sigs:
            pending.update(sig.keys())
        store = _PooledStore(ledger, pending, len(records))
        stories = _group(records, sigs, store)
        for rec, sig, story_id in zip(records, sigs, stories):
            _write(rec, sig, story_id, ledger, store, report)
            store.n_pending -= 1
            store.pending.subtract(sig.keys())
            done += 1
            if progress:
                progress(done, total)
    return report


def _group(records: list[ArticleRecords], sigs: list[dict[str, float]], store: _PooledStore) -> list[str]:
    """Story id of each article of a batch: forced by --story, else found by the Clusterer."""
    free = [i for i, r in enumerate(records) if r.article.story is None]
    found = Clusterer(store).assign(
        [sigs[i] for i in free],
        [content_id("story", records[i].article.id, length=12) for i in free],
        [records[i].article.published for i in free],
    )
    out = [r.article.story or "" for r in records]
    for i, sid in zip(free, found):
        out[i] = sid
    return out


def _write(rec: ArticleRecords, sig: dict[str, float], story_id: str, ledger: Ledger, store: _PooledStore,
           report: IngestReport) -> None:
    art = rec.article
    forced = art.story is not None
    story_name = story_id if forced else (art.title or story_id)
    is_new_story = not ledger.story_exists(story_id)
    index = ledger.story_index(story_id)
    n = max(store.n_articles(), 1)
    cache: dict[str, float] = {}

    def weight(t: str) -> float:
        if t not in cache:
            cache[t] = idf(store.df(t), n)
        return cache[t]

    placed: list[tuple[ClaimUnit, str, bool, float | None]] = []
    cands = [index.candidates(frozenset(u.terms), u.polarity, art.id, weight,
                              vector=unpack_vector(u.vector)) for u in rec.units]
    for unit, joined in zip(rec.units, assign(cands)):
        if not joined:
            placed.append((unit, new_claim_id(story_id, art.id, unit), True, None))
        for claim, score in joined:
            placed.append((unit, claim, False, round(score, 4)))
    if not ledger.write_article(rec, story_id, story_name, forced, sig, placed):
        report.skipped += 1
        return
    report.added += 1
    report.words += rec.word_count
    report.claims += sum(1 for _, _, new, _ in placed if new)
    report.mentions += len(placed)
    report.quotes += len(rec.quotes)
    if is_new_story:
        report.new_stories += 1
    if story_id not in report.stories:
        report.stories.append(story_id)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
