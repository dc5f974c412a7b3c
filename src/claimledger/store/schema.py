"""The ledger's schema, kept by ``sqlite_utils.Migrations``.

Migrations are append-only: add ``m0NN_...``; each runs in a transaction together with its
record in ``_sqlite_migrations``. A migration only changes the schema: it never runs extraction,
grouping or alignment code, so replaying an old one cannot run new algorithms. Rows derived by
those (claims, mentions, story statistics) are made by ``ingest`` and remade from the stored
article texts by ``claimledger rebuild``; ``DERIVED_FORMAT`` says when older ones must be remade.
docs/schema.md is generated from these migrations (``python -m claimledger.store.schema``).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from claimledger.store.versions import DERIVED_FORMAT, MIGRATION_SET

migrations = Migrations(MIGRATION_SET)  # a new migration is also named in versions.MIGRATIONS

__all__ = ["DERIVED_FORMAT", "migrations"]

SCHEMA_V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    forced INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    story_id TEXT NOT NULL REFERENCES stories(id),
    path TEXT,
    title TEXT,
    published TEXT,
    url TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    word_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE regions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    role TEXT NOT NULL
);
CREATE TABLE entities (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE TABLE entity_mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_key TEXT NOT NULL REFERENCES entities(key),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL REFERENCES stories(id),
    kind TEXT NOT NULL,
    canonical TEXT NOT NULL,
    speaker TEXT,
    polarity TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    polarity TEXT NOT NULL,
    attribution TEXT,
    score REAL,
    terms TEXT NOT NULL,
    vector BLOB
);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_key TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_text TEXT,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    claim_id TEXT REFERENCES claims(id)
);
CREATE TABLE dates (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    granularity TEXT NOT NULL,
    anchor TEXT
);
CREATE TABLE variants (
    id INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims(id),
    mention_id INTEGER NOT NULL REFERENCES mentions(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL
);
CREATE TABLE story_terms (
    story_id TEXT NOT NULL REFERENCES stories(id),
    term TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (story_id, term)
);
CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE INDEX idx_articles_story ON articles(story_id, source_id);
CREATE INDEX idx_articles_story_published ON articles(story_id, published);
CREATE INDEX idx_articles_source ON articles(source_id);
CREATE INDEX idx_regions_article ON regions(article_id);
CREATE INDEX idx_entity_mentions_article ON entity_mentions(article_id);
CREATE INDEX idx_entity_mentions_key ON entity_mentions(entity_key);
CREATE INDEX idx_claims_story ON claims(story_id, kind);
CREATE INDEX idx_mentions_claim_source ON mentions(claim_id, source_id);
CREATE INDEX idx_mentions_article ON mentions(article_id);
CREATE INDEX idx_mentions_source ON mentions(source_id, claim_id);
CREATE INDEX idx_quotes_article ON quotes(article_id);
CREATE INDEX idx_quotes_claim ON quotes(claim_id);
CREATE INDEX idx_quotes_speaker ON quotes(speaker_key);
CREATE INDEX idx_dates_article ON dates(article_id);
CREATE INDEX idx_variants_claim ON variants(claim_id, kind);
CREATE INDEX idx_story_terms_term ON story_terms(term);

-- one row per (story, claim, source of the story): does that source assert or omit the claim?
CREATE VIEW coverage AS
SELECT c.story_id AS story_id, c.id AS claim_id, s.name AS source,
       CASE WHEN EXISTS (SELECT 1 FROM mentions m WHERE m.claim_id = c.id AND m.source_id = s.id)
            THEN 'asserts' ELSE 'omits' END AS status
FROM claims c
JOIN (SELECT DISTINCT story_id, source_id FROM articles) st ON st.story_id = c.story_id
JOIN sources s ON s.id = st.source_id;

-- claims whose sources report a different date, number or quoted wording
CREATE VIEW disagreements AS
SELECT v.claim_id, v.kind, s.name AS source, group_concat(DISTINCT v.value) AS "values",
       min(v.mention_id) AS mention_id
FROM variants v JOIN sources s ON s.id = v.source_id
WHERE (v.claim_id, v.kind) IN (
    SELECT claim_id, kind FROM variants GROUP BY claim_id, kind
    HAVING count(DISTINCT source_id) > 1 AND count(DISTINCT value) > 1
)
GROUP BY v.claim_id, v.kind, s.name;
"""


@migrations()
def m001_initial(db: Database) -> None:
    """The first schema: sources, stories, articles and everything extracted from them."""
    run_script(db, SCHEMA_V1)


def run_script(db: Database, script: str) -> None:
    """Run ;-separated DDL inside the caller's transaction (executescript would commit it)."""
    for stmt in script.split(";\n"):
        if stmt.strip():
            db.execute(stmt)


M002 = """
CREATE INDEX idx_mentions_attribution ON mentions(attribution) WHERE attribution IS NOT NULL;
-- who is quoted how often, by how many outlets
CREATE VIEW quotes_by_speaker AS
SELECT q.speaker AS speaker, count(*) AS quotes, count(DISTINCT a.source_id) AS sources,
       count(DISTINCT q.claim_id) AS claims
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE q.speaker IS NOT NULL
GROUP BY q.speaker;
"""


@migrations()
def m002_attribution_index_and_speaker_view(db: Database) -> None:
    """Index the wire attribution of mentions ("which claims come from the AP") and add the
    quotes_by_speaker view."""
    run_script(db, M002)


M003 = """
CREATE TABLE story_sources (
    story_id TEXT NOT NULL REFERENCES stories(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    articles INTEGER NOT NULL,
    PRIMARY KEY (story_id, source_id)
) WITHOUT ROWID;
CREATE INDEX idx_story_sources_source ON story_sources(source_id, story_id);
INSERT INTO story_sources(story_id, source_id, articles)
    SELECT story_id, source_id, count(*) FROM articles GROUP BY story_id, source_id;
ALTER TABLE stories ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN n_claims INTEGER NOT NULL DEFAULT 0;
UPDATE stories SET n_articles = (SELECT count(*) FROM articles a WHERE a.story_id = stories.id),
                   n_claims = (SELECT count(*) FROM claims c WHERE c.story_id = stories.id);
CREATE INDEX idx_stories_size ON stories(n_articles DESC, created_at);
CREATE INDEX idx_stories_name ON stories(name);
DROP VIEW coverage;
CREATE VIEW coverage AS
SELECT c.story_id AS story_id, c.id AS claim_id, s.name AS source,
       CASE WHEN EXISTS (SELECT 1 FROM mentions m WHERE m.claim_id = c.id AND m.source_id = ss.source_id)
            THEN 'asserts' ELSE 'omits' END AS status
FROM claims c
JOIN story_sources ss ON ss.story_id = c.story_id
JOIN sources s ON s.id = ss.source_id;
"""


@migrations()
def m003_story_summaries(db: Database) -> None:
    """Summary rows kept at write time so reads stay fast on large ledgers: which sources each
    story has (``story_sources``, also behind the ``coverage`` view) and per-story counts."""
    run_script(db, M003)


M004 = """
DROP INDEX idx_story_terms_term;
CREATE INDEX idx_story_terms_term_weight ON story_terms(term, weight DESC);
"""


@migrations()
def m004_story_terms_by_weight(db: Database) -> None:
    """Story lookup by term returns the stories where the term weighs most, first: grouping
    reads a bounded number of them per term, so its cost does not grow with the ledger."""
    run_script(db, M004)



# The variants with a resolved date (2025-03-26) and one left as written ("Wednesday") as two kinds.
VARIANTS_BY_KIND = """
WITH v AS (
    SELECT claim_id, source_id, mention_id, value,
           CASE WHEN kind = 'date' AND value NOT GLOB '[0-9][0-9][0-9][0-9]*' THEN 'date (as written)'
                ELSE kind END AS kind
    FROM variants
)"""

M005 = """
DROP VIEW disagreements;
CREATE VIEW disagreements AS""" + VARIANTS_BY_KIND + """
SELECT v.claim_id AS claim_id, v.kind AS kind, s.name AS source, group_concat(DISTINCT v.value) AS "values",
       min(v.mention_id) AS mention_id, c.story_id AS story_id
FROM v JOIN sources s ON s.id = v.source_id JOIN claims c ON c.id = v.claim_id
WHERE (v.claim_id, v.kind) IN (
    SELECT claim_id, kind FROM v GROUP BY claim_id, kind
    HAVING count(DISTINCT source_id) > 1 AND count(DISTINCT value) > 1
)
GROUP BY v.claim_id, v.kind, s.name;
"""


@migrations()
def m005_disagreements_split_unresolved_dates(db: Database) -> None:
    """The ``disagreements`` view as ``diff`` sees them: a resolved date (2025-03-26) and one left
    as written ("Wednesday") are different kinds, not a disagreement; the view gains ``story_id``."""
    run_script(db, M005)


M006 = """
CREATE TABLE story_lead_terms (
    story_id TEXT NOT NULL REFERENCES stories(id),
    term TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;
"""


@migrations()
def m006_story_events(db: Database) -> None:
    """Each story's central event as a claim of kind ``event`` (group/events.py), and the lead
    profile it is chosen by (``story_lead_terms``). Older ledgers get theirs from
    ``claimledger rebuild``."""
    run_script(db, M006)


@migrations()
def m007_whole_names_in_terms(db: Database) -> None:
    """``mentions.terms`` tab-separated, so a multi-word name ("@mark felt") stays one term when a
    later run reads a story's claims back. A schema change in meaning only: older rows are
    rewritten by ``claimledger rebuild``."""


@migrations()
def m008_story_terms_by_name_words(db: Database) -> None:
    """Story statistics by the words of entity names (stories.name_terms), not whole keys. A change
    in meaning only: ``claimledger rebuild`` recomputes ``story_terms`` and ``term_df``."""


# Outlets disagree when the sets of values they give differ (m009); the kinds come from a ``v`` CTE.
COMPARE_VALUE_SETS = """,
per_claim AS (
    SELECT claim_id, kind, count(DISTINCT source_id) AS sources FROM v GROUP BY claim_id, kind
    HAVING count(DISTINCT source_id) > 1
),
per_value AS (
    SELECT claim_id, kind, value, count(DISTINCT source_id) AS sources FROM v GROUP BY claim_id, kind, value
)
SELECT v.claim_id AS claim_id, v.kind AS kind, s.name AS source, group_concat(DISTINCT v.value) AS "values",
       min(v.mention_id) AS mention_id, c.story_id AS story_id
FROM v JOIN sources s ON s.id = v.source_id JOIN claims c ON c.id = v.claim_id
WHERE (v.claim_id, v.kind) IN (
    SELECT p.claim_id, p.kind FROM per_claim p
    JOIN per_value q ON q.claim_id = p.claim_id AND q.kind = p.kind
    WHERE q.sources < p.sources
)
GROUP BY v.claim_id, v.kind, s.name;
"""

M009 = """
DROP VIEW disagreements;
CREATE VIEW disagreements AS""" + VARIANTS_BY_KIND + COMPARE_VALUE_SETS


@migrations()
def m009_disagreements_compare_value_sets(db: Database) -> None:
    """Outlets disagree when the SETS of values they give differ, as ``diff`` has it: two outlets
    that both report "1 of 13" give the values 1 and 13 alike. The view compared distinct values
    over the whole claim, so it listed such a claim as a disagreement. A value that some of the
    claim's outlets give and others do not is a difference."""
    run_script(db, M009)


@migrations()
def m010_mentions_scene_terms(db: Database) -> None:
    """``mentions.scene_terms``: the terms of a fronted phrase that sets a sentence's scene
    ("Despite the grandeur of the signing ceremony, ..."), which alignment leaves out; ``terms``
    stays what alignment compared. NULL for a sentence without one, and for older rows."""
    db.execute("ALTER TABLE mentions ADD COLUMN scene_terms TEXT")


@migrations()
def m011_article_protagonists(db: Database) -> None:
    """``articles.protagonist``: the entity key of the person an article is about (stories.py,
    ``protagonist``), NULL when it names no one both in full and by surname. Story grouping reads
    it, per story, through an index on (story_id, protagonist): a story led by one person does not
    take in articles about another. Older articles get theirs from ``claimledger rebuild``."""
    db.execute("ALTER TABLE articles ADD COLUMN protagonist TEXT")
    db.execute("CREATE INDEX idx_articles_story_protagonist ON articles(story_id, protagonist)")


M012 = """
ALTER TABLE variants ADD COLUMN measure TEXT;
DROP VIEW disagreements;
CREATE VIEW disagreements AS
WITH v AS (
    SELECT claim_id, source_id, mention_id, value,
           CASE WHEN kind = 'date' AND value NOT GLOB '[0-9][0-9][0-9][0-9]*' THEN 'date (as written)'
                WHEN kind = 'date' AND length(value) = 4 THEN 'date (year)'
                WHEN kind = 'date' AND length(value) = 7 THEN 'date (month)'
                WHEN kind = 'number' AND measure IS NOT NULL THEN 'number (' || measure || ')'
                ELSE kind END AS kind
    FROM variants
)""" + COMPARE_VALUE_SETS


@migrations()
def m012_variants_measure(db: Database) -> None:
    """``variants.measure``: what a number counts ("people", "point", "euro", "percent"; claims.py,
    ``number_measure``), and numbers compared by value alone ("an estimated two million" -> "2
    million", ``compared_number``). Outlets disagree on a number only when they give different
    values of one measure: "2,290 points" and "two UNC students" in one claim are no disagreement,
    "ten people" and "three people" killed are; the ``disagreements`` view names the measure in its
    kind ("number (people)"). Older number rows get theirs from ``claimledger rebuild``.
    Dates compare within their grain as well: "1998" and "June 1998" are no disagreement, so a
    year and a month are kinds of their own ("date (year)", "date (month)"; a day stays "date")."""
    run_script(db, M012)


M013 = """
ALTER TABLE mentions ADD COLUMN status TEXT NOT NULL DEFAULT 'asserts' CHECK (status IN ('asserts', 'maybe'));
ALTER TABLE mentions ADD COLUMN canonical TEXT;
DROP VIEW coverage;
CREATE VIEW coverage AS
SELECT c.story_id AS story_id, c.id AS claim_id, s.name AS source,
       CASE WHEN EXISTS (SELECT 1 FROM mentions m WHERE m.claim_id = c.id AND m.source_id = ss.source_id
                         AND m.status = 'asserts') THEN 'asserts'
            WHEN EXISTS (SELECT 1 FROM mentions m WHERE m.claim_id = c.id AND m.source_id = ss.source_id)
            THEN 'maybe' ELSE 'omits' END AS status
FROM claims c
JOIN story_sources ss ON ss.story_id = c.story_id
JOIN sources s ON s.id = ss.source_id;
"""


@migrations()
def m013_mentions_status(db: Database) -> None:
    """``mentions.status``: 'asserts' (the outlet states the claim here) or 'maybe' (the outlet may
    state it here in other words: the same-fact model is unsure, so a reader checks). The
    ``coverage`` view gives 'maybe' for an outlet whose only mentions of a claim are such rows.
    Older rows are all 'asserts', as they were written. ``mentions.canonical``: the mention as a
    proposition readable on its own (a coordinated clause with the actor it shares with its
    sentence named: "The bill extends ..." for "and extends ..."); NULL where it is ``text``."""
    run_script(db, M013)


M014 = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    version TEXT NOT NULL,
    derived INTEGER NOT NULL,
    settings TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    articles INTEGER NOT NULL DEFAULT 0
);
"""


@migrations()
def m014_runs(db: Database) -> None:
    """``runs``: one row per ingest or rebuild that wrote to the ledger: the command, the
    claimledger version, the format of the derived rows it wrote (``derived``; see
    ``DERIVED_FORMAT``), the settings it ran with (JSON), when it started and finished, and how
    many articles it added. A ledger whose derived rows are older than the code's format is
    rebuilt (``claimledger rebuild``) before it is read or written."""
    run_script(db, M014)


M015 = """
ALTER TABLE variants ADD COLUMN slot TEXT;
ALTER TABLE variants ADD COLUMN rewords TEXT;
DROP VIEW disagreements;
CREATE VIEW disagreements AS
WITH v AS (
    SELECT claim_id, source_id, mention_id, value, coalesce(slot, '') AS slot,
           CASE WHEN kind = 'date' AND value NOT GLOB '[0-9][0-9][0-9][0-9]*' THEN 'date (as written)'
                WHEN kind = 'date' AND length(value) = 4 THEN 'date (year)'
                WHEN kind = 'date' AND length(value) = 7 THEN 'date (month)'
                WHEN kind = 'number' AND measure IS NOT NULL THEN 'number (' || measure || ')'
                ELSE kind END AS kind
    FROM variants x
    -- a quotation counts when it rewords another, is reworded, or is one two outlets give alike:
    -- a fragment only one outlet quotes ("her family" beside "dishonored herself") is no difference
    WHERE x.kind != 'quote' OR x.rewords IS NOT NULL
       OR EXISTS (SELECT 1 FROM variants w WHERE w.claim_id = x.claim_id AND w.kind = 'quote' AND w.rewords = x.value)
       OR EXISTS (SELECT 1 FROM variants w WHERE w.claim_id = x.claim_id AND w.kind = 'quote' AND w.value = x.value
                  AND w.source_id != x.source_id)
),
per_claim AS (
    SELECT claim_id, kind, slot, count(DISTINCT source_id) AS sources FROM v GROUP BY claim_id, kind, slot
    HAVING count(DISTINCT source_id) > 1
),
per_value AS (
    SELECT claim_id, kind, slot, value, count(DISTINCT source_id) AS sources FROM v
    GROUP BY claim_id, kind, slot, value
)
SELECT v.claim_id AS claim_id, v.kind AS kind, s.name AS source, group_concat(DISTINCT v.value) AS "values",
       min(v.mention_id) AS mention_id, c.story_id AS story_id, nullif(v.slot, '') AS slot
FROM v JOIN sources s ON s.id = v.source_id JOIN claims c ON c.id = v.claim_id
WHERE (v.claim_id, v.kind, v.slot) IN (
    SELECT p.claim_id, p.kind, p.slot FROM per_claim p
    JOIN per_value q ON q.claim_id = p.claim_id AND q.kind = p.kind AND q.slot = p.slot
    WHERE q.sources < p.sources
)
GROUP BY v.claim_id, v.kind, v.slot, s.name;
"""


@migrations()
def m015_variants_slot(db: Database) -> None:
    """``variants.slot``: the act a date or number belongs to, the lemma of the verb it depends on
    ("publish" for "published Sunday", "make" for "made 47 arrests"; NULL for quotations and
    where the parse names none). Outlets disagree on a date or number only within one slot: "six
    arrests Wednesday" and "made 47 arrests" overnight, "stood firm Friday" and "return on
    Friday", are different acts, not a disagreement. The ``disagreements`` view gains ``slot``.
    ``variants.rewords``: for a quotation, the wording (of another outlet) it rewords; a quote
    disagreement is such a pair, and a fragment only one outlet quotes is no difference."""
    run_script(db, M015)


M016 = """
ALTER TABLE entities ADD COLUMN surname TEXT;
CREATE INDEX idx_entities_surname ON entities(surname) WHERE surname IS NOT NULL;
"""


@migrations()
def m016_entities_surname(db: Database) -> None:
    """``entities.surname``: the last word of a person named in full (NULL for anyone else), so an
    article that names someone only by surname finds the one person of the ledger with it
    ("Obama" -> Barack Obama) through an index, when its own story does not name them."""
    run_script(db, M016)


@migrations()
def m017_variants_mention_index(db: Database) -> None:
    """An index on ``variants(mention_id)``: a sentence that joins a further claim brings its
    dates, numbers and quoted words along, looked up by the mention they were stored with.
    Without it each such lookup read the whole table (merging ECB+ dev: 11 s of 38)."""
    run_script(db, "CREATE INDEX idx_variants_mention ON variants(mention_id);")
