"""Build the ledger: ingest (read -> spaCy pipeline -> extract -> story -> align -> ledger) and rebuild.

All inputs are read and checked before anything is written, so a bad file stops the run with
the ledger as it was. Articles already in the ledger (same text) are skipped before parsing.
Articles are parsed with ``nlp.pipe`` in small batches and written a chunk a transaction, each
article a savepoint in it.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from claimledger import __version__
from claimledger.errors import InputError, LedgerError
from claimledger.extract.claims import extract
from claimledger.extract.pipeline import load_nlp
from claimledger.extract.pool import ordered_records
from claimledger.extract.reader import make_article, read_paths
from claimledger.extract.web import FEED_SUFFIXES, feed_links, fetch, is_url, looks_like_feed, page_article
from claimledger.group.align import AlignedMention, StoryIndex, Target, align_batch, variant_value
from claimledger.group.events import LeadProfile, event_claim_id, event_units, lead_terms
from claimledger.group.people import join_surnames
from claimledger.group.samefact import default_model
from claimledger.group.similarity import idf
from claimledger.group.stories import Clusterer, article_terms, protagonist, signature
from claimledger.records import EVENT_KIND, Article, ArticleRecords, Placement, content_id, new_claim_id
from claimledger.settings import DEFAULT, Settings
from claimledger.store.ledger import Ledger


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
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    failed: list[dict[str, str]] = field(default_factory=list)  # web inputs skipped: {"input", "reason"}


Progress = Callable[[int, int], None]
T = TypeVar("T")
CACHED_STORIES = 128  # stories whose alignment index and lead profile are kept in memory


@dataclass
class _Item:
    """One article of a batch on its way to the ledger: its records and what grouping and
    alignment decide for it."""

    rec: ArticleRecords
    sig: dict[str, float]  # story signature (stories.signature)
    words: set[str]  # every term, for document frequencies
    hero: str | None  # protagonist
    lead: set[str]  # lead terms (events.lead_terms)
    story_id: str = ""
    joins: list[list[tuple[str, float]]] = field(default_factory=list)  # per unit: (claim id, probability)
    ahead: LeadProfile | None = None  # the leads of its story's articles the batch writes after it


class StoryState:
    """The alignment indexes and lead profiles of the stories a run writes to, read from the
    ledger once and kept current as articles are written (least recently used dropped, so
    memory stays flat as the corpus grows)."""

    def __init__(self, ledger: Ledger, min_articles: int = DEFAULT.events.min_articles) -> None:
        self.ledger = ledger
        self.min_articles = min_articles
        self._index: OrderedDict[str, StoryIndex] = OrderedDict()
        self._lead: OrderedDict[str, LeadProfile] = OrderedDict()

    def index(self, story_id: str) -> StoryIndex:
        idx = self._index.get(story_id)
        if idx is None:
            idx = self._index[story_id] = StoryIndex.of_rows(self.ledger.story_mentions(story_id))
        self._index.move_to_end(story_id)
        while len(self._index) > CACHED_STORIES:
            self._index.popitem(last=False)
        return idx

    def lead(self, story_id: str) -> LeadProfile:
        prof = self._lead.get(story_id)
        if prof is None:
            counts, articles = self.ledger.lead_counts(story_id)
            prof = self._lead[story_id] = LeadProfile(counts=counts, articles=articles, min_articles=self.min_articles)
        self._lead.move_to_end(story_id)
        while len(self._lead) > CACHED_STORIES:
            self._lead.popitem(last=False)
        return prof

    def written(self, rec: ArticleRecords, story_id: str, placed: list[Placement], lead: Iterable[str]) -> None:
        """Keep a cached story current with an article just written."""
        idx = self._index.get(story_id)
        if idx is not None:
            for p in placed:
                if p.kind != EVENT_KIND:  # fact alignment compares sentences with facts, not with the event
                    idx.add(AlignedMention.of(p.claim_id, rec.article.id, p.unit))
        prof = self._lead.get(story_id)
        if prof is not None:
            prof.add(lead)


class _PooledStore:
    """Ledger term statistics plus those of the chunk being ingested, for story choice."""

    def __init__(self, ledger: Ledger, pending: Counter[str], n_pending: int) -> None:
        self.ledger, self.pending, self.n_pending = ledger, pending, n_pending

    def n_articles(self) -> int:
        return self.ledger.n_articles() + self.n_pending

    def df(self, term: str) -> int:
        return self.ledger.df(term) + self.pending.get(term, 0)

    def stories_with_terms(self, terms: Iterable[str], limit: int = 200) -> set[str]:
        return self.ledger.stories_with_terms(terms, limit)

    def story_centroid(self, story_id: str, limit: int = -1) -> Mapping[str, float]:
        return self.ledger.story_centroid(story_id, limit)

    def story_dates(self, story_id: str) -> tuple[str, str] | None:
        return self.ledger.story_dates(story_id)

    def story_protagonists(self, story_id: str) -> Mapping[str, int]:
        return self.ledger.story_protagonists(story_id)


def ingest(
    paths: list[str],
    ledger: Ledger,
    nlp: Language | None = None,
    *,
    settings: Settings = DEFAULT,
    source: str | None = None,
    story: str | None = None,
    stdin_text: str | None = None,
    model: str | None = None,
    batch_size: int | None = None,
    n_process: int | None = 1,
    progress: Progress | None = None,
    strict: bool = False,
) -> IngestReport:
    """Ingest every article under ``paths`` into ``ledger``; return counts and stage timings.

    ``paths`` are files, folders, ``-`` (standard input), URLs of pages or feeds, and feed files.
    Every input is read and checked before anything is written, so a bad file leaves the ledger
    as it was. A web page or feed item that cannot be fetched or read is skipped and listed in
    ``report.failed`` (with ``strict``, it stops the run before anything is written).

    New articles are parsed and extracted in this process with ``nlp`` (default: the pipeline
    ``model`` names), or in ``n_process`` worker processes that each load ``model`` (None: one
    per core for a large run). The records are handled in chunks (``settings.ingest.chunk`` articles): stories are chosen for a chunk
    together, then each article is aligned and written in its own savepoint of the chunk's
    transaction, in input order,
    by this process alone. Memory holds one chunk, not the corpus.
    """
    articles, total, failed, read_time = read_inputs(paths, settings, source=source, story=story,
                                                     stdin_text=stdin_text, strict=strict)
    report = ingest_articles(articles, total, ledger, nlp, settings=settings, model=model, batch_size=batch_size,
                             n_process=n_process, progress=progress)
    report.failed = failed
    report.timings["read"] = read_time + report.timings.get("read", 0.0)
    return report


def read_inputs(paths: list[str], settings: Settings = DEFAULT, *, source: str | None = None,
                story: str | None = None, stdin_text: str | None = None, strict: bool = False,
                ) -> tuple[Callable[[], Iterator[Article]], int, list[dict[str, str]], float]:
    """Read and check every input (files, folders, ``-``, URLs, feeds) before anything is done
    with them: (a function yielding the articles in order, how many, the web inputs that failed,
    seconds spent). A bad local file raises here; local files are read again when yielded, so
    memory holds one article at a time, not the corpus."""
    if "-" in paths and stdin_text is None:
        import sys

        stdin_text = sys.stdin.read()
    clock = time.perf_counter()
    web_inputs = [p for p in paths if is_url(p) or Path(p).suffix.lower() in FEED_SUFFIXES and Path(p).is_file()]
    local = [p for p in paths if p not in web_inputs]
    fetched, failed = _read_web(web_inputs, settings, source, story, strict)
    total = (sum(1 for _ in read_paths(local, source, story, stdin_text)) if local else 0) + len(fetched)

    def articles() -> Iterator[Article]:
        if local:
            yield from read_paths(local, source, story, stdin_text)
        yield from fetched

    return articles, total, failed, time.perf_counter() - clock


def _read_web(inputs: list[str], settings: Settings, source: str | None, story: str | None,
              strict: bool) -> tuple[list[Article], list[dict[str, str]]]:
    """The articles of web inputs (page URLs, feed URLs, feed files), fetched once, in order; and
    the inputs that failed, each with its reason (``strict``: the first failure is raised)."""
    s = settings.ingest
    out: list[Article] = []
    failed: list[dict[str, str]] = []

    def attempt(what: str, read: Callable[[], list[Article]]) -> None:
        try:
            out.extend(read())
        except InputError as e:
            if strict:
                raise
            failed.append({"input": what, "reason": e.message})

    def page(url: str) -> list[Article]:
        body, ctype, final = fetch(url, s.fetch_timeout, s.fetch_retries, s.max_page_bytes)
        if looks_like_feed(body, ctype):
            for link in feed_links(body):
                attempt(link, lambda link=link: page(link))  # type: ignore[misc]
            return []
        if ctype not in {"text/html", "application/xhtml+xml", ""}:
            raise InputError(f"{url}: not a web page ({ctype})", hint="ingest takes pages, feeds and text files")
        return [page_article(body, url=final, path=None, name=url, source_override=source, story=story)]

    for item in inputs:
        if is_url(item):
            attempt(item, lambda item=item: page(item))  # type: ignore[misc]
        else:
            for link in feed_links(Path(item).read_bytes()):
                attempt(link, lambda link=link: page(link))  # type: ignore[misc]
    return out, failed


def ingest_articles(
    articles: Callable[[], Iterable[Article]],
    total: int,
    ledger: Ledger,
    nlp: Language | None = None,
    *,
    settings: Settings = DEFAULT,
    command: str = "ingest",
    model: str | None = None,
    batch_size: int | None = None,
    n_process: int | None = 1,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``total`` articles that ``articles()`` yields (read, checked) into ``ledger``: what
    ``ingest`` and ``rebuild`` share. The run and its settings are recorded in ``runs``."""
    ledger.require_current()
    report = IngestReport(read=total)
    t = report.timings
    if n_process is None:
        # a worker costs a model load (~1 s): worth it only for a sizeable batch
        n_process = default_workers() if total >= settings.ingest.auto_workers_from else 1
    new = NewOnly(ledger)
    fresh = ((art.text, art) for art in new(articles(), lambda art: art.sha256))
    chunks = _parsed_chunks(fresh, nlp, model, batch_size or settings.ingest.batch_size, n_process,
                            settings.ingest.chunk, t)
    return write_chunks(chunks, ledger, report, settings=settings, command=command, progress=progress, new=new)


class NewOnly:
    """Passes on the articles (or their records) that neither the ledger nor this run has yet,
    before any work is spent on them; counts the others as skipped."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.seen: set[str] = set()
        self.skipped = 0

    def __call__(self, items: Iterable[T], sha256: Callable[[T], str]) -> Iterator[T]:
        for item in items:
            sha = sha256(item)
            if sha in self.seen or self.ledger.has_article(sha):
                self.skipped += 1
                continue
            self.seen.add(sha)
            yield item


def write_chunks(chunks: Iterable[list[ArticleRecords]], ledger: Ledger, report: IngestReport, *,
                 settings: Settings = DEFAULT, command: str = "ingest", progress: Progress | None = None,
                 new: NewOnly | None = None) -> IngestReport:
    """Merge chunks of records into the ledger in order, as one recorded run: the writer that
    ``ingest``, ``rebuild`` and ``merge`` share. ``new`` is the filter the producer of ``chunks``
    ran its input through: the articles it dropped count as done and skipped."""
    done = 0

    def dropped() -> int:
        return new.skipped if new is not None else 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done + dropped(), report.read)

    run_id = ledger.start_run(command, __version__, settings.to_json())
    state = StoryState(ledger, settings.events.min_articles)
    for records in chunks:
        merge_records(records, ledger, report, after_each=tick, state=state, settings=settings)
    report.skipped += dropped()
    if progress:
        progress(done + dropped(), report.read)
    ledger.finish_run(run_id, report.added)
    return report


def merge_records(
    records: list[ArticleRecords],
    ledger: Ledger,
    report: IngestReport | None = None,
    *,
    after_each: Callable[[], None] | None = None,
    state: StoryState | None = None,
    settings: Settings = DEFAULT,
) -> IngestReport:
    """Merge a batch of extracted articles into the ledger: the sequential half of ingest.

    Stories are chosen for the batch together (term statistics of the ledger pooled with the
    batch's own), then each article is aligned with its story's claims and written in its own
    transaction, in order. ``records`` may come from ``claims.extract`` in this process or from
    workers elsewhere (``ArticleRecords.model_validate_json``; see docs/scaling.md). Articles the
    ledger already holds are skipped. Cost: O(batch) index probes, no all-pairs comparison.
    """
    report = report if report is not None else IngestReport()
    state = state or StoryState(ledger, settings.events.min_articles)
    t = report.timings
    clock = time.perf_counter()
    items = []
    for rec in records:
        sig = signature(rec, settings.stories)
        items.append(_Item(rec, sig, article_terms(rec), protagonist(rec, sig),
                           lead_terms(rec.units, settings.events.lead_units)))
    pending: Counter[str] = Counter()
    for it in items:
        pending.update(it.words)
    store = _PooledStore(ledger, pending, len(items))
    for it, story_id in zip(items, _group(items, store, settings)):
        it.story_id = story_id
    t["stories"] = t.get("stories", 0.0) + time.perf_counter() - clock
    clock = time.perf_counter()
    n = max(store.n_articles(), 1)  # term statistics stay put through the batch: written terms
    cache: dict[str, float] = {}  # move from the pending counts to the ledger's

    def weight(term: str) -> float:
        if term not in cache:
            cache[term] = idf(store.df(term), n)
        return cache[term]

    by_story: dict[str, list[int]] = {}  # the articles each story gets from this batch, in order
    seen: set[str] = set()
    for i, it in enumerate(items):
        if it.rec.article.sha256 in seen or ledger.has_article(it.rec.article.sha256):
            continue  # it will be skipped at write, so it must not place the others
        seen.add(it.rec.article.sha256)
        by_story.setdefault(it.story_id, []).append(i)
    maybes = _align(items, by_story, state, settings)
    for members in by_story.values():  # each article sees the leads of its story's articles still to write
        profile = LeadProfile(min_articles=settings.events.min_articles)
        for i in members:
            profile.add(items[i].lead)
            items[i].ahead = profile
    t["alignment"] = t.get("alignment", 0.0) + time.perf_counter() - clock
    batch_people: dict[str, dict[str, str]] = {}  # story -> people the batch names in full
    for it in items:
        people = batch_people.setdefault(it.story_id, {})
        for e in it.rec.entities:
            if e.label == "PERSON" and " " in e.key:
                people.setdefault(e.key, e.name)
    for story_id, people in batch_people.items():  # once a story a batch: the batch adds its own
        people.update(ledger.story_people(story_id))
    by_surname: dict[str, dict[str, str]] = {}  # the batch's people by surname, for the wider join
    for people in batch_people.values():
        for k, v in people.items():
            by_surname.setdefault(k.split()[-1], {})[k] = v
    # one transaction for the chunk, each article a savepoint in it (Ledger.batch)
    with ledger.batch():
        for it in items:
            it.rec = join_surnames(it.rec, batch_people[it.story_id])
            # a surname the story does not name in full: the one person of the batch and ledger with it
            # (and a name with a middle name: "Sarah Huckabee Sanders" is the ledger's "Sarah Sanders")
            keys = {e.key for e in it.rec.entities if e.label == "PERSON"}
            keys |= {q.speaker_key for q in it.rec.quotes if q.speaker_key}
            surnames = {k.split()[-1] for k in keys if k and (" " not in k or len(k.split()) >= 3)}
            if surnames:
                wider = {k: v for w in surnames for k, v in by_surname.get(w, {}).items()}
                wider.update(ledger.people_with_surname(surnames))
                it.rec = join_surnames(it.rec, wider)
            if it.ahead is not None:
                it.ahead.remove(it.lead)
            _write(it, state, weight, report, settings)
            store.n_pending -= 1
            store.pending.subtract(it.words)
            if after_each:
                after_each()
        clock = time.perf_counter()
        # the links the placement could not make and the "may be stated in other words" mentions,
        # written once every claim they point to exists; then the event claims, closed over fact
        # alignment (events.py)
        report.mentions += ledger.add_maybes(maybes, variant_value)
        for story_id in by_story:
            report.mentions += ledger.close_event(story_id, event_claim_id(story_id), settings.events.fact_articles)
        t["alignment"] = t.get("alignment", 0.0) + time.perf_counter() - clock
    return report


def _align(items: list[_Item], by_story: dict[str, list[int]], state: StoryState,
           settings: Settings) -> list[tuple[str, str, int, int, float, str]]:
    """Fill each item's ``joins``, story by story (``align.align_batch``): per unit, the claims it
    joins as (claim id, probability); none: the unit starts a claim of its own. Returns the
    mentions written after them as (claim id, article id, start, end, probability, status)."""
    model = default_model().with_thresholds(settings.align.asserts, settings.align.maybe)
    records = [it.rec for it in items]
    maybes: list[tuple[str, str, int, int, float, str]] = []
    for it in items:
        it.joins = [[] for _ in it.rec.units]
    for story_id, members in by_story.items():
        where = [(i, j) for i in members for j in range(len(records[i].units))]
        units = [AlignedMention.of("", records[i].article.id, records[i].units[j]) for i, j in where]
        placed, maybe = align_batch(state.index(story_id), units, model, settings.align)
        for (i, j), joined in zip(where, placed):
            items[i].joins[j] = [(_claim_id(claim, story_id, where, records), score) for claim, score in joined]
        maybes += [(_claim_id(m.claim, story_id, where, records), m.article_id, m.start, m.end, m.score, m.status)
                   for m in maybe]
    return maybes


def _claim_id(claim: Target, story_id: str, where: list[tuple[int, int]], records: list[ArticleRecords]) -> str:
    """A stored claim's id as it is; a new claim is named after the unit that founds it."""
    if isinstance(claim, int):
        fi, fj = where[claim]
        return new_claim_id(story_id, records[fi].article.id, records[fi].units[fj])
    return claim


def _parsed_chunks(items: Iterator[tuple[str, Article]], nlp: Language | None, model: str | None,
                   batch_size: int, n_process: int, chunk_size: int,
                   t: dict[str, float]) -> Iterator[list[ArticleRecords]]:
    """Extracted records, ``chunk_size`` articles at a time, in input order.

    In one process each chunk is parsed inside ``nlp.memory_zone()``, so the strings spaCy's
    vocabulary learns from a chunk (names, numbers) are freed once its records are extracted:
    memory stays flat however long the run. With several processes, parsing and extraction
    both run in the workers (``extract.pool``), ``batch_size`` articles a task, while this
    process groups, aligns and writes the records that came back.
    """
    if n_process > 1:
        arts = (art for _, art in items)
        batches = iter(lambda: list(itertools.islice(arts, batch_size)), [])
        # the workers may run a whole chunk ahead: they parse the next chunk while this process writes one
        ahead = max(2 * n_process, chunk_size // batch_size)
        flat = itertools.chain.from_iterable(
            ordered_records(batches, n_process, model, batch_size, nlp=nlp, in_flight=ahead))
        while True:
            clock = time.perf_counter()
            ready = list(itertools.islice(flat, chunk_size))
            t["pipeline"] = t.get("pipeline", 0.0) + time.perf_counter() - clock  # waiting for the workers
            if not ready:
                return
            yield ready
    parser = nlp or load_nlp(model)
    while chunk := list(itertools.islice(items, chunk_size)):
        records: list[ArticleRecords] = []
        with parser.memory_zone():
            clock = time.perf_counter()
            for doc, art in parser.pipe(chunk, as_tuples=True, batch_size=batch_size):
                mid = time.perf_counter()
                t["pipeline"] = t.get("pipeline", 0.0) + mid - clock
                records.append(extract(doc, art))
                clock = time.perf_counter()
                t["claims"] = t.get("claims", 0.0) + clock - mid
            t["pipeline"] = t.get("pipeline", 0.0) + time.perf_counter() - clock
        yield records


def _group(items: list[_Item], store: _PooledStore, settings: Settings) -> list[str]:
    """Story id of each article of a batch: forced by --story, else found by the Clusterer."""
    free = [i for i, it in enumerate(items) if it.rec.article.story is None]
    found = Clusterer(store, settings.stories).assign(
        [items[i].sig for i in free],
        [content_id("story", items[i].rec.article.id, length=12) for i in free],
        [items[i].rec.article.published for i in free],
        [items[i].hero for i in free],
    )
    out = [it.rec.article.story or "" for it in items]
    for i, sid in zip(free, found):
        out[i] = sid
    return out


def _write(it: _Item, state: StoryState, weight: Callable[[str], float], report: IngestReport,
           settings: Settings) -> None:
    ledger = state.ledger
    rec, story_id, lead = it.rec, it.story_id, it.lead
    art = rec.article
    forced = art.story is not None
    story_name = story_id if forced else (art.title or story_id)
    is_new_story = not ledger.story_exists(story_id)
    clock = time.perf_counter()
    placed: list[Placement] = []
    created: set[str] = set()
    for unit, joined in zip(rec.units, it.joins):
        # a claim alone in this article may have been created already: another article's unit
        # joined it as its second claim
        alone: list[tuple[str, float | None]] = [(new_claim_id(story_id, art.id, unit), None)]
        for claim, score in joined or alone:
            # the batch's first article to write a claim creates it, whichever unit it is named after
            new = claim not in created and not ledger.claim_exists(claim)
            if new:
                created.add(claim)
            placed.append(Placement(unit, claim, new, None if new or score is None else round(score, 4)))
    event_id = event_claim_id(story_id)
    event_new = not ledger.claim_exists(event_id)
    for i, score in event_units(rec.units, state.lead(story_id), weight, lead, it.ahead, settings.events):
        placed.append(Placement(rec.units[i], event_id, event_new, None if event_new else round(score, 4), EVENT_KIND))
        event_new = False
    mid = time.perf_counter()
    written = ledger.write_article(rec, story_id, story_name, forced, it.sig, it.words, placed, lead, it.hero,
                                   value=variant_value)
    if written:
        state.written(rec, story_id, placed, sorted(set(lead)))
    report.timings["alignment"] = report.timings.get("alignment", 0.0) + mid - clock
    report.timings["ledger"] = report.timings.get("ledger", 0.0) + time.perf_counter() - mid
    if not written:
        report.skipped += 1
        return
    report.added += 1
    report.words += rec.word_count
    report.claims += sum(1 for p in placed if p.new)
    report.mentions += len(placed)
    report.quotes += len(rec.quotes)
    if is_new_story:
        report.new_stories += 1
    if story_id not in report.stories:
        report.stories.append(story_id)


def default_workers() -> int:
    """One parser process per core (the writer shares a core: it is light next to parsing)."""
    return max(1, os.cpu_count() or 1)


def rebuild(ledger_path: str | Path, nlp: Language | None = None, *, settings: Settings = DEFAULT,
            model: str | None = None, n_process: int | None = 1, progress: Progress | None = None) -> IngestReport:
    """Remake every derived row of a ledger from its stored article texts with this version's
    code and ``settings``: the result is the ledger a fresh ingest of the same texts, in the same
    order, writes. Works on a ledger of any schema version. The new ledger is built beside the
    old one and takes its place only when complete, so an interrupted rebuild loses nothing."""
    path = Path(ledger_path)
    if not path.exists():
        raise LedgerError(f"no ledger at {path}", hint="point --db at a ledger written by 'claimledger ingest'")
    rows = Ledger.read_articles(path)
    tmp = path.with_name(path.name + ".rebuild")
    for f in _db_files(tmp):
        f.unlink(missing_ok=True)
    articles = [make_article(r["text"], name=r["path"] or f"article {i + 1}", source=r["source"], path=r["path"],
                             meta={"title": r["title"], "published": r["published"], "url": r["url"]},
                             story=r["story"]) for i, r in enumerate(rows)]
    try:
        with Ledger(tmp) as fresh:
            report = ingest_articles(lambda: articles, len(articles), fresh, nlp, settings=settings,
                                     command="rebuild", model=model, n_process=n_process,
                                     progress=progress)
            fresh.detach()
        for f in _db_files(path)[1:]:  # the old WAL must not be replayed into the new file
            f.unlink(missing_ok=True)
        os.replace(tmp, path)
    finally:
        for f in _db_files(tmp):
            f.unlink(missing_ok=True)
    return report


def _db_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
