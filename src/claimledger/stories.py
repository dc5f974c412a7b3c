"""Group articles into stories: one event told by several outlets.

An article's signature is a bag of its canonical entity keys (weighted up: who and where tell
two events of one kind apart), its claim terms, and its resolved dates. Each story keeps the
sum of its articles' signatures (``story_terms``). A new article is compared, by cosine over
IDF-weighted terms, with the stories that share one of its rarest terms (an inverted index on
``story_terms.term``), joins the best one above ``THRESHOLD``, or starts a story of its own.

Cost per article: O(k * p) to find candidates (k = 12 probe terms, p = stories per term, kept
short because probes are the rarest terms) plus O(c * t) to score c candidates of t terms; no
comparison across the whole corpus.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from .models import ArticleRecords
from .similarity import cosine, idf

THRESHOLD = 0.15
PROBES = 12
ENTITY_WEIGHT = 3.0
STORY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "NORP"}


def signature(rec: ArticleRecords) -> dict[str, float]:
    """Term -> weight for one article (log-scaled counts)."""
    counts: Counter[str] = Counter()
    for ent in rec.entities:
        if ent.label in STORY_LABELS:
            counts["@" + ent.key] += ENTITY_WEIGHT if ent.label != "NORP" else 1.0
    for unit in rec.units:
        for term in unit.terms:
            if not term.startswith("@"):
                counts[term] += 1.0
    for d in rec.dates:
        if d.value and d.granularity in {"day", "month"}:
            counts["D:" + d.value] += 1.0
    return {t: 1.0 + math.log(c) if c >= 1 else c for t, c in counts.items()}


class StoryStore(Protocol):
    """What grouping needs from the ledger (or any other store)."""

    def n_articles(self) -> int: ...
    def df(self, term: str) -> int: ...
    def stories_with_terms(self, terms: Iterable[str]) -> set[str]: ...
    def story_centroid(self, story_id: str) -> Mapping[str, float]: ...


def choose_story(sig: Mapping[str, float], store: StoryStore, threshold: float = THRESHOLD) -> tuple[str | None, float]:
    """The best existing story for an article signature, or (None, best score) if none fits."""
    n = max(store.n_articles(), 1)
    weight: Callable[[str], float] = lambda t: idf(store.df(t), n)  # noqa: E731
    vec = {t: w * weight(t) for t, w in sig.items()}
    probes = sorted(vec, key=lambda t: -vec[t])[:PROBES]
    best, best_score = None, 0.0
    for sid in store.stories_with_terms(probes):
        cen = store.story_centroid(sid)
        score = cosine(vec, {t: w * weight(t) for t, w in cen.items()})
        if score > best_score:
            best, best_score = sid, score
    if best_score >= threshold:
        return best, best_score
    return None, best_score
