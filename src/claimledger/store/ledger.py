"""The SQLite ledger: open (and migrate), write one article per transaction, look things up.

WAL journal with synchronous=NORMAL (a transaction per article costs little), a busy timeout
so concurrent writers wait instead of failing, foreign keys on. Ids are content hashes, so
re-ingesting the same text finds it already there and writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from sqlite_utils import Database

from claimledger.errors import LedgerError
from claimledger.group.align import AlignedMention, StoryIndex
from claimledger.group.events import EVENT_FACT_ARTICLES, EVENT_KIND, LeadProfile, event_claim_id
from claimledger.group.samefact import Side, unpack_vector
from claimledger.records import ADJUNCT_KIND, TERM_SEP, ArticleRecords, ClaimUnit, compared_terms, content_id, pack_terms
from claimledger.store.schema import migrations

DEFAULT_DB = "ledger.db"
DB_ENV = "CLAIMLEDGER_DB"
LOCK_RETRIES = 20
CACHED_STORIES = 128  # alignment indexes kept in memory (least recently used dropped)
WAL_CHECKPOINT_PAGES = 10_000
CACHED_TERMS = 50_000  # document frequencies kept in memory (about 8 MB; a full cache is dropped)

# the sentences close_event adds: those of fact claims that two or more articles state among their
# event sentences, not yet in the event claim themselves (one row a sentence)
CLOSE_EVENT = """
WITH ev AS (
    SELECT article_id, start_char, end_char FROM mentions WHERE claim_id = :event
),
facts AS (
    SELECT m.claim_id FROM ev
    JOIN mentions m ON m.article_id = ev.article_id AND m.start_char = ev.start_char AND m.end_char = ev.end_char
    JOIN claims c ON c.id = m.claim_id
    WHERE c.story_id = :story AND c.kind != :kind AND m.status = 'asserts'
    GROUP BY m.claim_id HAVING count(DISTINCT m.article_id) >= :articles
)
SELECT m.article_id, min(m.source_id), m.start_char, m.end_char, min(m.text), min(m.kind), min(m.role),
       min(m.polarity), min(m.attribution), min(m.terms), min(m.scene_terms), min(m.vector), min(m.canonical)
FROM mentions m
WHERE m.claim_id IN (SELECT claim_id FROM facts) AND m.kind != :adjunct AND m.status = 'asserts'
  AND NOT EXISTS (SELECT 1 FROM ev WHERE ev.article_id = m.article_id AND ev.start_char = m.start_char
                  AND ev.end_char = m.end_char)
GROUP BY m.article_id, m.start_char, m.end_char
"""


class Placement(NamedTuple):
    """One mention to write: ``unit`` asserts ``claim_id`` (a claim it starts when ``new``).

    ``score`` is the similarity that joined it (None for a claim's first mention); ``kind`` the
    claim's kind when it is not the unit's own (``event``, see events.py).
    """

    unit: ClaimUnit
    claim_id: str
    new: bool
    score: float | None
    kind: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


_WORDS = re.compile(r"[a-z0-9]+")


def compared_quote(value: str, known: list[str]) -> str | None:
    """The value a quotation is compared on within a claim that already holds ``known`` ones
    (folded wordings), or None when it is another quotation, not this claim's.

    A quotation whose words run inside a known one, or hold one ("disgraceful" / "I thought her
    comments were disgraceful"), is the same quotation cut differently: it takes that value, so
    the outlets agree (more or less of a quote is detail, not a different value). One that shares
    at least half the words of the shorter is the quotation reworded: it keeps its own value and
    the claim has a quote disagreement. Anything else is a different quotation ("We can call a
    national emergency" / "I may do it"): it is not compared."""
    words = " ".join(_WORDS.findall(value))
    for k in known:
        other = " ".join(_WORDS.findall(k))
        if words and other and (f" {words} " in f" {other} " or f" {other} " in f" {words} "):
            return k
    wa = set(words.split())
    for k in known:
        wb = set(_WORDS.findall(k))
        if wa and wb and len(wa & wb) >= 0.5 * min(len(wa), len(wb)):
            return value
    return None


def _compared(kind: str, value: str, known: list[str]) -> str | None:
    """The value a variant is stored with in a claim: a quotation as ``compared_quote`` has it
    (None: not compared), anything else as it is."""
    return compared_quote(value, known) if kind == "quote" and known else value


def fold_wording(text: str) -> str:
    """Quote wording for comparison: case, quote marks, punctuation and spacing folded."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = "".join(c if c.isalnum() or c.isspace() else " " for c in t)
    return " ".join(t.split())


class Ledger:
    """A claimledger SQLite file. ``read_only`` opens it with SQLite's read-only mode."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            if not self.path.exists():
                raise LedgerError(
                    f"no ledger at {self.path}",
                    hint="run 'claimledger ingest PATH' first, or point --db at a ledger",
                )
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        else:
            conn = sqlite3.connect(str(self.path), timeout=30)
        self.conn = conn
        try:
            self.db = Database(conn)
            conn.execute("PRAGMA busy_timeout = 30000")
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # checkpoint every ~40 MB of WAL, not 4 MB: hot index pages are rewritten once per
                # checkpoint, so ledger writes cost a quarter less on a large ingest
                conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
                conn.execute("PRAGMA foreign_keys = ON")
                self._migrate()
            elif "articles" not in self.db.table_names():
                raise LedgerError(f"{self.path} is not a claimledger ledger",
                                  hint="point --db at a file written by 'claimledger ingest'")
        except sqlite3.DatabaseError as e:
            conn.close()
            raise LedgerError(f"cannot open {self.path}: {e}",
                              hint="is it an SQLite file written by claimledger?") from None
        self.conn = conn
        self._story_index: OrderedDict[str, StoryIndex] = OrderedDict()
        self._lead: OrderedDict[str, LeadProfile] = OrderedDict()
        self._df_cache: dict[str, int] = {}
        self._n_articles: int | None = None

    def _migrate(self) -> None:
        """Apply pending migrations under one write lock, so two processes opening a new ledger
        at once do not both create it (the second finds the work done)."""
        if not migrations.pending(self.db):
            return
        with self.immediate():
            migrations.apply(self.db)

    @contextlib.contextmanager
    def immediate(self) -> Iterator[None]:
        """A write transaction that takes the write lock at its start (BEGIN IMMEDIATE), so a
        writer waits its turn (busy timeout) instead of failing on a lock upgrade."""
        for attempt in range(LOCK_RETRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == LOCK_RETRIES - 1:
                    raise LedgerError(f"the ledger {self.path} stayed locked by another process",
                                      hint="wait for the other ingest to finish, then run again") from None
                time.sleep(0.05 * (attempt + 1))
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reads used while ingesting -------------------------------------------------------
    def has_article(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def n_articles(self) -> int:
        if self._n_articles is None:
            self._n_articles = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return self._n_articles

    def df(self, term: str) -> int:
        if term not in self._df_cache:
            if len(self._df_cache) > CACHED_TERMS:
                self._df_cache.clear()
            row = self.conn.execute("SELECT df FROM term_df WHERE term = ?", (term,)).fetchone()
            self._df_cache[term] = row[0] if row else 0
        return self._df_cache[term]

    def stories_with_terms(self, terms: Iterable[str], limit: int = 200) -> set[str]:
        """Stories holding any of ``terms``: per term, the ``limit`` where it weighs most."""
        out: set[str] = set()
        for t in terms:
            out.update(r[0] for r in self.conn.execute(
                "SELECT story_id FROM story_terms WHERE term = ? ORDER BY weight DESC LIMIT ?", (t, limit)))
        return out

    def story_centroid(self, story_id: str, limit: int = -1) -> Mapping[str, float]:
        """A story's summed term weights; with ``limit``, only its heaviest terms."""
        return dict(self.conn.execute(
            "SELECT term, weight FROM story_terms WHERE story_id = ? ORDER BY weight DESC LIMIT ?", (story_id, limit)))

    def story_dates(self, story_id: str) -> tuple[str, str] | None:
        """First and last publication date of a story's articles, if any has one."""
        row = self.conn.execute(
            "SELECT min(published), max(published) FROM articles WHERE story_id = ? AND published IS NOT NULL",
            (story_id,)).fetchone()
        return (row[0], row[1]) if row and row[0] else None

    def story_protagonists(self, story_id: str) -> dict[str, int]:
        """Protagonist -> how many of a story's articles are about them (index on (story_id, protagonist))."""
        return dict(self.conn.execute(
            "SELECT protagonist, count(*) FROM articles WHERE story_id = ? AND protagonist IS NOT NULL "
            "GROUP BY protagonist", (story_id,)).fetchall())

    def story_index(self, story_id: str) -> StoryIndex:
        """The alignment index of a story, loaded once per ledger object and kept current."""
        idx = self._story_index.get(story_id)
        if idx is not None:
            self._story_index.move_to_end(story_id)
        else:
            idx = StoryIndex()
            for cid, aid, text, terms, scene, pol, kind, role, vec, start, end in self.conn.execute(
                "SELECT m.claim_id, m.article_id, m.text, m.terms, m.scene_terms, m.polarity, m.kind, m.role, m.vector, "
                "m.start_char, m.end_char FROM mentions m JOIN claims c ON c.id = m.claim_id "
                "WHERE c.story_id = ? AND c.kind != ? AND m.status = 'asserts' ORDER BY m.id",
                (story_id, EVENT_KIND),
            ):
                # migrations ran on open: every row is tab-separated, one name a term ("@associated press")
                words = frozenset(terms.split(TERM_SEP)) | (frozenset(scene.split(TERM_SEP)) if scene else frozenset())
                side = Side(text, words, kind, pol, unpack_vector(vec), role)
                idx.add(AlignedMention(cid, aid, side, start, end))
            self._story_index[story_id] = idx
            while len(self._story_index) > CACHED_STORIES:  # memory stays flat as the corpus grows
                self._story_index.popitem(last=False)
        return idx

    def lead_profile(self, story_id: str) -> LeadProfile:
        """How many of a story's articles lead with each term (events.py), kept current."""
        prof = self._lead.get(story_id)
        if prof is not None:
            self._lead.move_to_end(story_id)
            return prof
        row = self.conn.execute("SELECT n_articles FROM stories WHERE id = ?", (story_id,)).fetchone()
        prof = LeadProfile(counts=dict(self.conn.execute(
            "SELECT term, articles FROM story_lead_terms WHERE story_id = ?", (story_id,)).fetchall()),
            articles=row[0] if row else 0)
        self._lead[story_id] = prof
        while len(self._lead) > CACHED_STORIES:
            self._lead.popitem(last=False)
        return prof

    def close_event(self, story_id: str, articles: int = EVENT_FACT_ARTICLES) -> int:
        """Add to a story's event claim every sentence aligned with a fact that ``articles`` or more
        articles state among their event sentences (events.py); return how many joined.

        Idempotent, in one transaction, and order-free: it reads only what the ledger holds, so
        running it again, or after a later batch, adds exactly what is missing. Cost: O(mentions of
        the story), through the indexes on mentions(claim_id, ...) and mentions(article_id). The
        sentences it adds have no ``score``: they joined through their fact claim, not by one.
        """
        event = event_claim_id(story_id)
        added = 0
        with self.immediate():
            while True:  # a sentence that joins may bring its other facts in: to the fixed point
                rows = self.conn.execute(CLOSE_EVENT, {"event": event, "story": story_id, "articles": articles,
                                                       "kind": EVENT_KIND, "adjunct": ADJUNCT_KIND}).fetchall()
                if not rows:
                    return added
                self.conn.executemany(
                    "INSERT INTO mentions(claim_id, article_id, source_id, start_char, end_char, text, kind, role, "
                    "polarity, attribution, score, terms, scene_terms, vector, canonical) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)", [(event, *row) for row in rows])
                added += len(rows)

    def add_maybes(self, maybes: Iterable[tuple[str, str, int, int, float, str]]) -> int:
        """Record (claim, article, start, end, probability, status) rows: the article states
        ('asserts') or may state ('maybe') the claim at the unit already written at that span. One
        transaction; a claim the article already has a mention of gets nothing. An asserted row
        brings its dates, numbers and quoted words along (``variants``): it is compared like any
        other. Returns the rows added."""
        added = 0
        c = self.conn
        with self.immediate():
            for claim_id, article_id, start, end, score, status in maybes:
                row = c.execute(
                    "SELECT id FROM mentions m WHERE m.article_id = ? AND m.start_char = ? AND m.end_char = ? "
                    "AND m.status = 'asserts' AND EXISTS (SELECT 1 FROM claims c WHERE c.id = ?) "
                    "AND NOT EXISTS (SELECT 1 FROM mentions x WHERE x.claim_id = ? AND x.article_id = ?) "
                    "ORDER BY m.id LIMIT 1", (article_id, start, end, claim_id, claim_id, article_id)).fetchone()
                if row is None:
                    continue
                new = c.execute(
                    "INSERT INTO mentions(claim_id, article_id, source_id, start_char, end_char, text, kind, role, "
                    "polarity, attribution, score, terms, scene_terms, vector, canonical, status) "
                    "SELECT ?, article_id, source_id, start_char, end_char, text, kind, role, polarity, attribution, ?, "
                    "terms, scene_terms, vector, canonical, ? FROM mentions WHERE id = ?",
                    (claim_id, score, status, row[0])).lastrowid
                if status == "asserts":
                    known = self._quotes_of(claim_id)
                    for vid, kind, value in c.execute(
                            "SELECT id, kind, value FROM variants WHERE mention_id = ?", (row[0],)).fetchall():
                        compared = _compared(kind, value, known)
                        if compared is None:
                            continue
                        c.execute(
                            "INSERT INTO variants(claim_id, mention_id, article_id, source_id, kind, value, text, "
                            "start_char, end_char, measure) SELECT ?, ?, article_id, source_id, kind, ?, text, "
                            "start_char, end_char, measure FROM variants WHERE id = ?", (claim_id, new, compared, vid))
                added += 1
        return added

    def _quotes_of(self, claim_id: str) -> list[str]:
        """The folded quotations a claim holds already (``compared_quote``)."""
        return [v for (v,) in self.conn.execute(
            "SELECT value FROM variants WHERE claim_id = ? AND kind = 'quote'", (claim_id,))]

    def claim_exists(self, claim_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim_id,)).fetchone() is not None

    def story_exists(self, story_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None

    # ---- the write of one article ---------------------------------------------------------
    def write_article(
        self,
        rec: ArticleRecords,
        story_id: str,
        story_name: str,
        forced: bool,
        signature: Mapping[str, float],
        words: Iterable[str],
        placed: list[Placement],
        lead: Iterable[str] = (),
        protagonist: str | None = None,
    ) -> bool:
        """Write an article and its records in ONE transaction; on error nothing is kept.

        ``placed`` holds one mention a row. ``signature`` adds to the story's centroid; ``words``
        (all the article's terms) to document frequencies; ``lead`` (its lead's terms) to the
        story's lead profile; ``protagonist`` is the person it is about (``stories.protagonist``).
        """
        lead = sorted(set(lead))
        a = rec.article
        c = self.conn
        with self.immediate():
            if self.has_article(a.sha256):
                return False  # another process wrote the same text meanwhile
            c.execute("INSERT OR IGNORE INTO sources(name) VALUES (?)", (a.source,))
            source_id = c.execute("SELECT id FROM sources WHERE name = ?", (a.source,)).fetchone()[0]
            c.execute("INSERT OR IGNORE INTO stories(id, name, forced, created_at) VALUES (?, ?, ?, ?)",
                      (story_id, story_name, int(forced), _now()))
            c.execute(
                "INSERT INTO articles(id, source_id, story_id, path, title, published, url, sha256, "
                "word_count, ingested_at, text, protagonist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, source_id, story_id, a.path, a.title, a.published, a.url, a.sha256,
                 rec.word_count, _now(), a.text, protagonist))
            c.executemany("INSERT INTO regions VALUES (?, ?, ?, ?)",
                          [(a.id, r.start, r.end, r.role) for r in a.regions])
            c.executemany("INSERT OR IGNORE INTO entities(key, name, label) VALUES (?, ?, ?)",
                          [(e.key, e.name, e.label) for e in rec.entities])
            c.executemany(
                "INSERT INTO entity_mentions(article_id, entity_key, start_char, end_char, text, label) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(a.id, e.key, e.start, e.end, e.text, e.label) for e in rec.entities])
            c.executemany(
                "INSERT INTO dates(article_id, start_char, end_char, text, value, granularity, anchor) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(a.id, d.start, d.end, d.text, d.value, d.granularity, d.anchor) for d in rec.dates])
            quote_claim: dict[int, str] = {}
            # the write lock is held (BEGIN IMMEDIATE), so the next ids are ours: rows go in by
            # executemany instead of one statement a mention for its lastrowid
            next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM mentions").fetchone()[0]
            claim_rows, mention_rows, variant_rows = [], [], []
            for k, (unit, claim_id, is_new, score, claim_kind) in enumerate(placed):
                if is_new:
                    claim_rows.append((claim_id, story_id, claim_kind or unit.kind, unit.canonical,
                                       None if claim_kind else self._speaker(rec, unit), unit.polarity, _now()))
                mention_id = next_id + k
                mention_rows.append((mention_id, claim_id, a.id, source_id, unit.start, unit.end, unit.text, unit.kind,
                                     unit.role, unit.polarity, unit.attribution, score, pack_terms(compared_terms(unit)),
                                     pack_terms(unit.terms[:unit.scene]) if unit.scene else None, unit.vector,
                                     unit.canonical if unit.canonical != " ".join(unit.text.split()) else None))
                if claim_kind == EVENT_KIND:
                    continue  # the event groups sentences: their dates and quotes are compared in their own claims
                known = [] if is_new else self._quotes_of(claim_id)
                for kind, value, text, s, e, measure in self._variants(rec, unit):
                    compared = _compared(kind, value, known)
                    if compared is not None:
                        variant_rows.append((claim_id, mention_id, a.id, source_id, kind, compared, text, s, e, measure))
                for qi in unit.quotes:
                    if unit.kind == "quote" or qi not in quote_claim:
                        quote_claim[qi] = claim_id
            new_claims = c.executemany(
                "INSERT OR IGNORE INTO claims(id, story_id, kind, canonical, speaker, polarity, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", claim_rows).rowcount if claim_rows else 0
            c.executemany(
                "INSERT INTO mentions(id, claim_id, article_id, source_id, start_char, end_char, text, kind, "
                "role, polarity, attribution, score, terms, scene_terms, vector, canonical) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                mention_rows)
            c.executemany(
                "INSERT INTO variants(claim_id, mention_id, article_id, source_id, kind, value, text, "
                "start_char, end_char, measure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", variant_rows)
            c.executemany(
                "INSERT INTO quotes(article_id, start_char, end_char, text, speaker, speaker_key, "
                "speaker_start, speaker_end, speaker_text, cue, cue_start, cue_end, claim_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.id, q.start, q.end, q.text, q.speaker, q.speaker_key,
                  q.speaker_span.start if q.speaker_span else None,
                  q.speaker_span.end if q.speaker_span else None,
                  q.speaker_span.text if q.speaker_span else None,
                  q.cue, q.cue_span.start if q.cue_span else None, q.cue_span.end if q.cue_span else None,
                  quote_claim.get(i)) for i, q in enumerate(rec.quotes)])
            c.execute(
                "INSERT INTO story_sources(story_id, source_id, articles) VALUES (?, ?, 1) "
                "ON CONFLICT(story_id, source_id) DO UPDATE SET articles = articles + 1", (story_id, source_id))
            c.execute("UPDATE stories SET n_articles = n_articles + 1, n_claims = n_claims + ? WHERE id = ?",
                      (new_claims, story_id))
            c.executemany(
                "INSERT INTO story_lead_terms(story_id, term, articles) VALUES (?, ?, 1) "
                "ON CONFLICT(story_id, term) DO UPDATE SET articles = articles + 1",
                [(story_id, t) for t in lead])
            c.executemany(
                "INSERT INTO story_terms(story_id, term, weight) VALUES (?, ?, ?) "
                "ON CONFLICT(story_id, term) DO UPDATE SET weight = weight + excluded.weight",
                [(story_id, t, w) for t, w in signature.items()])
            c.executemany(
                "INSERT INTO term_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
                [(t,) for t in words])
        for t in words:
            if t in self._df_cache:
                self._df_cache[t] += 1
        self._n_articles = self.n_articles() + 1
        self._after_write(rec, story_id, placed, lead)
        return True

    def _after_write(self, rec: ArticleRecords, story_id: str, placed: list[Placement], lead: list[str]) -> None:
        a = rec.article
        idx = self.story_index(story_id) if story_id in self._story_index else None
        if idx is not None:
            for p in placed:
                if p.kind != EVENT_KIND:  # fact alignment compares sentences with facts, not with the event
                    idx.add(AlignedMention.of(p.claim_id, a.id, p.unit))
        prof = self._lead.get(story_id)
        if prof is not None:
            prof.add(lead)

    @staticmethod
    def _speaker(rec: ArticleRecords, unit: ClaimUnit) -> str | None:
        for qi in unit.quotes:
            if rec.quotes[qi].speaker:
                return rec.quotes[qi].speaker
        return None

    @staticmethod
    def _variants(rec: ArticleRecords, unit: ClaimUnit) -> list[tuple[str, str, str, int, int, str | None]]:
        """(kind, value, text, start, end, measure) of each date, number and quotation of a unit."""
        out: list[tuple[str, str, str, int, int, str | None]] = []
        for d in unit.dates:
            if d.granularity in {"day", "month", "year"}:
                out.append(("date", d.value or d.text.lower(), d.text, d.start, d.end, None))
        for n in unit.numbers:
            out.append(("number", n.value, n.text, n.start, n.end, n.measure))
        for qi in unit.quotes:
            q = rec.quotes[qi]
            if q.start >= unit.start and q.end <= unit.end:
                out.append(("quote", fold_wording(q.text), q.text, q.start, q.end, None))
        return out

    # ---- checks -------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and the schema's own invariants (empty: sound).

        Invariants: every row points at rows that exist; every claim has a mention; every article
        is whole (its regions were written with it, and each mention's span lies in its text and
        holds the mention's words).
        """
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self.conn.execute("PRAGMA foreign_key_check")]
        checks = {
            "claims without mentions":
                "SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.claim_id = c.id)",
            "articles without regions":
                "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.article_id = a.id)",
            "mentions whose span is not their text":
                "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE substr(a.text, m.start_char + 1, m.end_char - m.start_char) != m.text",
            "quotes whose span is not their text":
                "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id "
                "WHERE substr(a.text, q.start_char + 1, q.end_char - q.start_char) != q.text",
            "articles in no story": "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                                    "(SELECT 1 FROM stories s WHERE s.id = a.story_id)",
            "duplicate article texts": "SELECT count(*) - count(DISTINCT sha256) FROM articles",
            "story summaries out of date":
                "SELECT count(*) FROM stories s WHERE s.n_articles != (SELECT count(*) FROM articles a WHERE a.story_id = s.id)"
                " OR s.n_claims != (SELECT count(*) FROM claims c WHERE c.story_id = s.id)"
                " OR (SELECT coalesce(sum(articles), 0) FROM story_sources ss WHERE ss.story_id = s.id) != s.n_articles",
        }
        for name, sql in checks.items():
            n = self.conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{name}: {n}")
        return problems

    # ---- generic reads ----------------------------------------------------------------------
    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


def new_claim_id(story_id: str, article_id: str, unit: ClaimUnit) -> str:
    return content_id("claim", story_id, article_id, str(unit.start), str(unit.end))
