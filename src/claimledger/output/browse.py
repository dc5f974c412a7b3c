"""Browse a ledger in datasette: metadata (descriptions, labels, facets) and canned queries.

``claimledger serve`` writes ``metadata(db)`` to a file and runs ``datasette serve`` with it;
``claimledger serve --metadata-only`` prints it, for people who run datasette themselves::

    claimledger serve --metadata-only > metadata.json
    datasette ledger.db -m metadata.json

Canned queries answer the questions the tool exists for: the coverage of a story, what an
outlet omits, where outlets disagree, and who is quoted how.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from claimledger import __version__
from claimledger.errors import ExtraError

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "sources": ("Outlets: one row per source name.", {"name": "file stem, front matter `source`, or --source"}),
    "stories": ("One event told by several outlets, grouped automatically (or named by --story).", {
        "name": "the first article's headline, or the --story name", "forced": "1 when named by --story",
        "n_articles": "articles in the story", "n_claims": "claims in the story"}),
    "story_sources": ("Which outlets a story has, and with how many articles.", {}),
    "articles": ("Articles as read; `text` is verbatim, so every span points into it.", {
        "id": "first 16 hex digits of sha256(text)", "published": "ISO date when known",
        "word_count": "words (not punctuation)",
        "protagonist": "entity key of the person the article names most, of those named in full and by surname"}),
    "claims": ("One statement, merged across the outlets that make it.", {
        "kind": "statement, quote or event (the story's central happening); older ledgers may hold adjunct",
        "canonical": "the first wording seen",
        "speaker": "canonical speaker of a quote", "polarity": "positive or negated"}),
    "mentions": ("Where an article asserts a claim (or may state it: status maybe): its own words and their span.", {
        "status": "asserts, or maybe: the same-fact model is unsure this outlet states the claim here (check by eye)",
        "start_char": "offset into articles.text", "end_char": "offset into articles.text (exclusive)",
        "score": "the same-fact model's probability that joined this mention to the claim (empty for the first, "
                 "and for an event sentence that joined through its fact claim)",
        "attribution": "wire attribution, e.g. Associated Press for 'per the AP'",
        "terms": "what alignment compared (tab-separated)",
        "scene_terms": "terms of a fronted phrase that sets the scene, left out of alignment (tab-separated)",
        "vector": "parser context vector (float16)"}),
    "quotes": ("Direct quotations with speaker and cue verb.", {
        "speaker": "canonical speaker (empty for scare quotes)", "speaker_text": "the words that name the speaker",
        "cue": "the verb that introduces the quote"}),
    "variants": ("The date, number or quoted wording each mention gives: what disagreements are made of.", {
        "value": "normalised value (ISO date, number, folded wording)",
        "measure": "what a number counts (people, point, euro, percent); numbers compare within one"}),
    "entities": ("Canonical entities: `key` is shared by every variant of a name.", {}),
    "entity_mentions": ("Each named mention with its canonical key.", {}),
    "dates": ("Dates in the text, resolved to ISO where the text or publication date allows.", {
        "anchor": "the date a relative date was resolved against"}),
    "regions": ("Parts of an article: headline, subhead, body, metadata, boilerplate.", {}),
    "coverage": ("View: asserts, maybe (may state it in other words) or omits, for every claim and every outlet "
                 "of its story.", {}),
    "disagreements": ("View: claims whose outlets give different values of one kind.", {}),
    "quotes_by_speaker": ("View: who is quoted how often, by how many outlets.", {}),
    "story_terms": ("Story grouping statistics (term weights per story).", {}),
    "term_df": ("Story grouping statistics (document frequency per term).", {}),
}

FACETS = {"claims": ["kind"], "mentions": ["kind", "role"], "quotes": ["speaker"], "variants": ["kind"],
          "entities": ["label"], "regions": ["role"], "coverage": ["status", "source"], "disagreements": ["kind"]}
LABELS = {"sources": "name", "stories": "name", "entities": "name", "claims": "canonical"}

QUERIES: dict[str, dict[str, str]] = {
    "coverage_of_story": {
        "title": "Coverage of a story",
        "description": "Every claim of a story (id or id prefix) and whether each outlet asserts it, may state it "
                       "in other words (maybe: check by eye) or omits it.",
        "sql": "select cov.claim_id, c.kind, cov.source, cov.status, c.canonical\n"
               "from coverage cov join claims c on c.id = cov.claim_id\n"
               "where cov.story_id in (select id from stories where id >= :story and id < :story || 'g')\n"
               "order by cov.claim_id, cov.source",
    },
    "omitted_by_source": {
        "title": "What an outlet omits",
        "description": "Claims that other outlets of the same story make and this one (exact name) does not "
                       "(claims it may state in other words are left out).",
        "sql": "select cov.story_id, cov.claim_id, c.kind, c.canonical,\n"
               "  (select count(distinct m.source_id) from mentions m where m.claim_id = cov.claim_id\n"
               "   and m.status = 'asserts') as outlets\n"
               "from coverage cov join claims c on c.id = cov.claim_id\n"
               "where cov.source = :source and cov.status = 'omits'\n"
               "order by outlets desc, cov.story_id, cov.claim_id",
    },
    "disagreements_by_claim": {
        "title": "Disagreements",
        "description": "Claims whose outlets give a different date, number or quoted wording, side by side.",
        "sql": "select d.claim_id, d.kind, d.source, d.\"values\", c.canonical\n"
               "from disagreements d join claims c on c.id = d.claim_id\n"
               "order by c.story_id, d.claim_id, d.kind, d.source",
    },
    "quotes_of_speaker": {
        "title": "Quotes by speaker",
        "description": "Every quotation whose speaker's name contains the text given, with outlet and claim.",
        "sql": "select q.speaker, s.name as source, q.text, q.cue, q.claim_id, q.article_id, q.start_char, q.end_char\n"
               "from quotes q join articles a on a.id = q.article_id join sources s on s.id = a.source_id\n"
               "where q.speaker like '%' || :speaker || '%'\n"
               "order by q.speaker, s.name, q.start_char",
    },
}


def metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette metadata for a ledger file (its database name is the file's stem)."""
    tables = {}
    for name, (description, columns) in TABLES.items():
        t: dict[str, Any] = {"description": description}
        if columns:
            t["columns"] = columns
        if name in FACETS:
            t["facets"] = FACETS[name]
        if name in LABELS:
            t["label_column"] = LABELS[name]
        if name in {"story_terms", "term_df"}:
            t["hidden"] = True
        tables[name] = t
    return {
        "title": "claimledger",
        "description": "Which outlet states what, omits what, and where they disagree: a claimledger ledger. "
                       "Every claim points at exact character spans of the articles.",
        "about": f"claimledger {__version__}",
        "databases": {Path(db_path).stem: {"tables": tables, "queries": QUERIES}},
    }


def datasette_command(db_path: str | Path, metadata_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The command that serves ``db_path`` with the metadata at ``metadata_path`` (the caller checks
    that ``db_path`` is a ledger)."""
    if importlib.util.find_spec("datasette") is None:
        raise ExtraError("datasette is not installed", hint="pip install 'claimledger[serve]'")
    return [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata_path),
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000"]

