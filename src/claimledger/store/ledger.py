"""The SQLite ledger: open (and migrate), write one article per transaction, look things up.

WAL journal with synchronous=NORMAL (a transaction per article costs little), a busy timeout
so concurrent writers wait instead of failing, foreign keys on. Ids are content hashes, so
re-ingesting the same text finds it already there and writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimledger.errors import LedgerError
from claimledger.records import (
    ADJUNCT_KIND,
    EVENT_KIND,
    TERM_SEP,
    ArticleRecords,
    ClaimUnit,
    Placement,
    StoredMention,
    VariantValue,
    compared_terms,
    fold_wording,
    pack_terms,
)
from claimledger.store.versions import DERIVED_FORMAT, MIGRATION_SET, MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_DB = "ledger.db"
DB_ENV = "CLAIMLEDGER_DB"
LOCK_RETRIES = 20
WAL_CHECKPOINT_PAGES = 10_000
# SQLite's page cache, at most (KiB; allocated as pages are read): its default of 2 MB keeps almost
# none of the indexes a writer updates for each article once a ledger is some GB, and every insert
# then reads its index pages from the file again
CACHE_KIB = 256 * 1024
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


def _speaker(unit: ClaimUnit, speakers: list[str | None]) -> str | None:
    """The first speaker of a unit's quotations (``speakers``: the display name of each quote)."""
    return next((speakers[qi] for qi in unit.quotes if speakers[qi]), None)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")



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
        self._db: Database | None = None
        self._savepoints = 0
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._wal = False  # WAL starts with the first write (``immediate``): a run that writes
            # nothing (bad input) leaves the file as it was, to the byte
            if not read_only:
                conn.execute("PRAGMA foreign_keys = ON")
                self._migrate()
            elif "articles" not in self.table_names():
                raise LedgerError(f"{self.path} is not a claimledger ledger",
                                  hint="point --db at a file written by 'claimledger ingest'")
            else:
                self.require_current()
        except sqlite3.DatabaseError as e:
            conn.close()
            raise LedgerError(f"cannot open {self.path}: {e}",
                              hint="is it an SQLite file written by claimledger?") from None
        self.conn = conn
        self._df_cache: dict[str, int] = {}
        self._n_articles: int | None = None

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils ``Database`` (made on first use: the read commands
        never need it, and it loads sqlite-utils and numpy)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def pending_migrations(self) -> list[str]:
        """The schema's migrations this ledger has not had, by name (``versions.MIGRATIONS``)."""
        applied: set[str] = set()
        if "_sqlite_migrations" in self.table_names():
            applied = {r[0] for r in self.conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))}
        return [m for m in MIGRATIONS if m not in applied]

    def _migrate(self) -> None:
        """Apply pending migrations under one write lock, so two processes opening a new ledger
        at once do not both create it (the second finds the work done)."""
        if not self.pending_migrations():
            return
        from claimledger.store.schema import migrations

        with self.immediate():
            migrations.apply(self.db)

    def stale(self) -> str | None:
        """Why this ledger must be rebuilt before it is used, or None when it is current: its
        schema lacks migrations (a read-only open does not apply them), or its claims were made
        by an older claimledger (``DERIVED_FORMAT``)."""
        pending = self.pending_migrations()
        if pending and self.read_only:
            return f"{self.path} was written by an older claimledger (its schema lacks {pending[0]})"
        if not self.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
            return None
        row = None
        if "runs" in self.table_names():
            row = self.conn.execute("SELECT derived, version FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None or row[0] < DERIVED_FORMAT:
            made = f"claimledger {row[1]}" if row else "a claimledger older than 0.3"
            return f"the claims in {self.path} were made by {made}, in a format this version does not read"
        return None

    def require_current(self) -> None:
        """Raise ``LedgerError`` with the remedy when the ledger must be rebuilt (``stale``)."""
        reason = self.stale()
        if reason:
            raise LedgerError(reason, hint=f"run 'claimledger rebuild --db {self.path}': it remakes the ledger "
                                           "from its stored article texts")

    def start_run(self, command: str, version: str, settings: str) -> int:
        """Record that ``command`` starts writing with ``settings`` (JSON); returns the run's id."""
        with self.immediate():
            cur = self.conn.execute(
                "INSERT INTO runs(command, version, derived, settings, started_at) VALUES (?, ?, ?, ?, ?)",
                (command, version, DERIVED_FORMAT, settings, _now()))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, articles: int) -> None:
        with self.immediate():
            self.conn.execute("UPDATE runs SET finished_at = ?, articles = ? WHERE id = ?", (_now(), articles, run_id))

    @staticmethod
    def read_articles(path: str | Path) -> list[dict[str, Any]]:
        """Every article of the ledger at ``path`` as stored (text, source, title, published, url,
        path, and the story name when it was given, not found), in the order they were written:
        what ``rebuild`` reads. Works on a ledger of any schema version, migrating nothing."""
        try:
            conn = sqlite3.connect(str(path), timeout=30)
        except sqlite3.Error as e:
            raise LedgerError(f"cannot open {path}: {e}") from None
        try:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(
                "SELECT a.text, s.name AS source, a.title, a.published, a.url, a.path, "
                "CASE WHEN st.forced THEN st.id END AS story FROM articles a JOIN sources s ON s.id = a.source_id "
                "JOIN stories st ON st.id = a.story_id ORDER BY a.rowid")]
        except sqlite3.Error as e:
            raise LedgerError(f"{path} is not a claimledger ledger ({e})",
                              hint="point --db at a file written by 'claimledger ingest'") from None
        finally:
            conn.close()

    def detach(self) -> None:
        """Fold the write-ahead log into the file and leave WAL mode, so the file alone is the
        whole ledger (what ``rebuild`` moves into place)."""
        self.conn.execute("PRAGMA journal_mode = DELETE")

    @contextlib.contextmanager
    def immediate(self) -> Iterator[None]:
        """A write transaction that takes the write lock at its start (BEGIN IMMEDIATE), so a
        writer waits its turn (busy timeout) instead of failing on a lock upgrade. Inside another
        one (``batch``) it is a savepoint: its writes go or stay together, and commit with the
        batch."""
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"sp{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            return
        if not self._wal:
            self._wal = True
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # another process holds the file: it is in WAL mode already
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # checkpoint every ~40 MB of WAL, not 4 MB: hot index pages are rewritten once per
            # checkpoint, so ledger writes cost a quarter less on a large ingest
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
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

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for many writes (the articles of an ingest chunk): each write is a
        savepoint in it, so a bad article still leaves nothing, while the hot pages of the
        indexes are written to the log once a chunk instead of once an article. An interrupted
        run loses the chunk it was writing, which the next run writes again."""
        with self.immediate():
            yield

    def close(self) -> None:
        """Close; a writer that is the last one on the file folds the write-ahead log back into it
        (journal mode DELETE), so an idle ledger is one file and read commands leave no -wal or
        -shm beside it. With another process still on it, this is skipped: the log stays theirs."""
        if self._wal:
            try:
                self.conn.execute("PRAGMA busy_timeout = 0")
                self.conn.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.Error:
                pass
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

    def story_mentions(self, story_id: str) -> list[StoredMention]:
        """The asserted mentions of a story's fact claims (not its event claim), in the order
        they were written: what alignment compares a new article with."""
        out = []
        for cid, aid, text, terms, scene, pol, kind, role, vec, start, end in self.conn.execute(
            "SELECT m.claim_id, m.article_id, m.text, m.terms, m.scene_terms, m.polarity, m.kind, m.role, m.vector, "
            "m.start_char, m.end_char FROM mentions m JOIN claims c ON c.id = m.claim_id "
            "WHERE c.story_id = ? AND c.kind != ? AND m.status = 'asserts' ORDER BY m.id",
            (story_id, EVENT_KIND),
        ):
            words = frozenset(terms.split(TERM_SEP)) | (frozenset(scene.split(TERM_SEP)) if scene else frozenset())
            out.append(StoredMention(cid, aid, text, words, pol, kind, role, vec, start, end))
        return out

    def story_people(self, story_id: str) -> dict[str, str]:
        """Key -> name of every person named in full in a story's articles."""
        return dict(self.conn.execute(
            "SELECT DISTINCT em.entity_key, e.name FROM articles a JOIN entity_mentions em ON em.article_id = a.id "
            "JOIN entities e ON e.key = em.entity_key WHERE a.story_id = ? AND em.label = 'PERSON' "
            "AND instr(em.entity_key, ' ') > 0", (story_id,)).fetchall())

    def people_with_surname(self, surnames: Iterable[str]) -> dict[str, str]:
        """Key -> name of every person named in full anywhere in the ledger with one of ``surnames``
        (index on entities(surname))."""
        out: dict[str, str] = {}
        for surname in sorted(set(surnames)):
            out.update(self.conn.execute("SELECT key, name FROM entities WHERE surname = ?", (surname,)).fetchall())
        return out

    def lead_counts(self, story_id: str) -> tuple[dict[str, int], int]:
        """How many of a story's articles lead with each term, and how many articles it has."""
        row = self.conn.execute("SELECT n_articles FROM stories WHERE id = ?", (story_id,)).fetchone()
        counts = dict(self.conn.execute(
            "SELECT term, articles FROM story_lead_terms WHERE story_id = ?", (story_id,)).fetchall())
        return counts, row[0] if row else 0

    def close_event(self, story_id: str, event: str, articles: int) -> int:
        """Add to a story's event claim ``event`` every sentence aligned with a fact that
        ``articles`` or more articles state among their event sentences (group/events.py); return
        how many joined.

        Idempotent, in one transaction, and order-free: it reads only what the ledger holds, so
        running it again, or after a later batch, adds exactly what is missing. Cost: O(mentions of
        the story), through the indexes on mentions(claim_id, ...) and mentions(article_id). The
        sentences it adds have no ``score``: they joined through their fact claim, not by one.
        """
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

    def add_maybes(self, maybes: Iterable[tuple[str, str, int, int, float, str]], value: VariantValue) -> int:
        """Record (claim, article, start, end, probability, status) rows: the article states
        ('asserts') or may state ('maybe') the claim at the unit already written at that span. One
        transaction; a claim the article already has a mention of gets nothing. An asserted row
        brings its dates, numbers and quoted words along (``variants``): it is compared like any
        other; ``value`` says with which value a variant is stored in its claim. Returns the rows added."""
        c = self.conn
        rows = list(maybes)
        if not rows:
            return 0
        with self.immediate():
            # set-based: the maybes go into a scratch table and one query finds, for each, the
            # unit it is written at (a few statements a chunk instead of two a maybe)
            c.execute("CREATE TEMP TABLE IF NOT EXISTS maybe_rows(n INTEGER PRIMARY KEY, claim_id TEXT, "
                      "article_id TEXT, start_char INTEGER, end_char INTEGER, score REAL, status TEXT)")
            c.executemany("INSERT INTO temp.maybe_rows(claim_id, article_id, start_char, end_char, score, status) "
                          "VALUES (?, ?, ?, ?, ?, ?)", rows)
            found = c.execute(
                "SELECT x.claim_id, x.score, x.status, (SELECT m.id FROM mentions m WHERE m.article_id = x.article_id "
                "AND m.start_char = x.start_char AND m.end_char = x.end_char AND m.status = 'asserts' "
                "ORDER BY m.id LIMIT 1) AS at FROM temp.maybe_rows x "
                "WHERE EXISTS (SELECT 1 FROM claims k WHERE k.id = x.claim_id) "
                "AND NOT EXISTS (SELECT 1 FROM mentions y WHERE y.claim_id = x.claim_id AND y.article_id = x.article_id) "
                "ORDER BY x.n").fetchall()
            c.execute("DELETE FROM temp.maybe_rows")  # emptied in the transaction: a failed one leaves it empty too
            found = [f for f in found if f[3] is not None]
            # the write lock is held, so the next ids are ours (as in write_article)
            next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM mentions").fetchone()[0]
            c.executemany(
                "INSERT INTO mentions(id, claim_id, article_id, source_id, start_char, end_char, text, kind, role, "
                "polarity, attribution, score, terms, scene_terms, vector, canonical, status) "
                "SELECT ?, ?, article_id, source_id, start_char, end_char, text, kind, role, polarity, attribution, ?, "
                "terms, scene_terms, vector, canonical, ? FROM mentions WHERE id = ?",
                [(next_id + k, claim_id, score, status, at) for k, (claim_id, score, status, at) in enumerate(found)])
            for k, (claim_id, _, status, at) in enumerate(found):
                if status != "asserts":
                    continue
                known = self._quotes_of(claim_id)
                for vid, kind, val in c.execute(
                        "SELECT id, kind, value FROM variants WHERE mention_id = ?", (at,)).fetchall():
                    compared = value(kind, val, known)
                    if compared is None:
                        continue
                    c.execute(
                        "INSERT INTO variants(claim_id, mention_id, article_id, source_id, kind, value, text, "
                        "start_char, end_char, measure, slot, rewords) SELECT ?, ?, article_id, source_id, kind, ?, "
                        "text, start_char, end_char, measure, slot, ? FROM variants WHERE id = ?",
                        (claim_id, next_id + k, *compared, vid))
        return len(found)

    def _quotes_of(self, claim_id: str) -> list[str]:
        """The folded quotations a claim holds already."""
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
        *,
        value: VariantValue,
    ) -> bool:
        """Write an article and its records in ONE transaction; on error nothing is kept.

        ``placed`` holds one mention a row. ``signature`` adds to the story's centroid; ``words``
        (all the article's terms) to document frequencies; ``lead`` (its lead's terms) to the
        story's lead profile; ``protagonist`` is the person it is about (``stories.protagonist``);
        ``value`` says with which value each date, number and quotation is stored in its claim.
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
            c.executemany("INSERT OR IGNORE INTO entities(key, name, label, surname) VALUES (?, ?, ?, ?)",
                          [(e.key, e.name, e.label, e.key.split()[-1] if e.label == "PERSON" and " " in e.key else None)
                           for e in rec.entities])
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
            # one person, one name: a speaker is shown by the name the ledger first wrote for its key
            keys = sorted({q.speaker_key for q in rec.quotes if q.speaker_key})
            named = dict(c.execute(f"SELECT key, name FROM entities WHERE key IN ({','.join('?' * len(keys))})",
                                   keys).fetchall()) if keys else {}
            speakers = [named.get(q.speaker_key, q.speaker) if q.speaker_key else q.speaker for q in rec.quotes]
            claim_rows, mention_rows, variant_rows = [], [], []
            for k, (unit, claim_id, is_new, score, claim_kind) in enumerate(placed):
                if is_new:
                    claim_rows.append((claim_id, story_id, claim_kind or unit.kind, unit.canonical,
                                       None if claim_kind else _speaker(unit, speakers), unit.polarity, _now()))
                mention_id = next_id + k
                mention_rows.append((mention_id, claim_id, a.id, source_id, unit.start, unit.end, unit.text, unit.kind,
                                     unit.role, unit.polarity, unit.attribution, score, pack_terms(compared_terms(unit)),
                                     pack_terms(unit.terms[:unit.scene]) if unit.scene else None, unit.vector,
                                     unit.canonical if unit.canonical != " ".join(unit.text.split()) else None))
                if claim_kind == EVENT_KIND:
                    continue  # the event groups sentences: their dates and quotes are compared in their own claims
                known = [] if is_new else self._quotes_of(claim_id)
                for kind, val, text, s, e, measure, slot in self._variants(rec, unit):
                    compared = value(kind, val, known)
                    if compared is not None:
                        variant_rows.append((claim_id, mention_id, a.id, source_id, kind, compared[0], text, s, e,
                                             measure, slot, compared[1]))
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
                "start_char, end_char, measure, slot, rewords) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", variant_rows)
            c.executemany(
                "INSERT INTO quotes(article_id, start_char, end_char, text, speaker, speaker_key, "
                "speaker_start, speaker_end, speaker_text, cue, cue_start, cue_end, claim_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.id, q.start, q.end, q.text, speakers[i], q.speaker_key,
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
        return True

    @staticmethod
    def _variants(rec: ArticleRecords, unit: ClaimUnit) -> list[tuple[str, str, str, int, int, str | None, str | None]]:
        """(kind, value, text, start, end, measure, slot) of each date, number and quotation of a unit."""
        out: list[tuple[str, str, str, int, int, str | None, str | None]] = []
        for d in unit.dates:
            if d.granularity in {"day", "month", "year"}:
                out.append(("date", d.value or d.text.lower(), d.text, d.start, d.end, None, d.slot))
        for n in unit.numbers:
            out.append(("number", n.value, n.text, n.start, n.end, n.measure, n.slot))
        for qi in unit.quotes:
            q = rec.quotes[qi]
            if q.start >= unit.start and q.end <= unit.end:
                out.append(("quote", fold_wording(q.text), q.text, q.start, q.end, None, None))
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

