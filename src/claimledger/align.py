"""Align claim units across the articles of one story into ledger claims.

Each new unit is compared with the mentions already in its story that share at least one of
its terms (an inverted index over the story's mentions: blocking), scored by IDF-weighted Dice
overlap, and joins the claim of the best mention from another article if the score reaches
``THRESHOLD``; otherwise it starts a claim. A pair must share ``MIN_SHARED`` terms, one of them
a content word: two sentences naming the same people and places state one claim only if they
also say something alike about them. Opposite polarity ("rules out" / "does not rule
out"), disjoint numbers and different people (both sentences name someone, no one in common:
"the Saints put Bush on injured reserve" / "... put Thomas on injured reserve") lower the score,
so such statements stay apart. An adjunct unit (``ADJUNCT_KIND``: "during his visit to the
DPRK") may join any claim, but only adjuncts join an adjunct's claim, and an article's adjuncts
are placed after its sentences: a circumstance finds the fact it names without drawing other
outlets' sentences away from their statements.

Cost: per unit O(sum of posting lengths of its terms) within its story; stories are small next
to the corpus, and a story's index is built once per ingest run, so alignment grows linearly
with the number of articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .models import ADJUNCT_KIND

THRESHOLD = 0.4
NEGATION_FACTOR = 0.6
NUMBER_FACTOR = 0.85
ACTOR_FACTOR = 0.7  # ECB+ pooled 0.762 -> 0.771 (P 0.758 -> 0.774); seeds unchanged; 0.5: seed 0.907
MIN_SHARED = 2  # one shared word is coincidence, not evidence
MIN_SHARED_CONTENT = 1  # shared names alone are the story's actors, not a shared claim (seed P 0.943 -> 0.957)
MAX_POSTING = 400  # a term in more mentions than this blocks nothing: skip it as a probe


VECTOR_WEIGHT = 0.6  # how much the parser-vector cosine adds to the term overlap
VECTOR_CENTER = 0.5  # cosine of unrelated sentences sits around here: below it, evidence against


def unpack_vector(b: bytes | None) -> np.ndarray | None:
    return np.frombuffer(b, dtype=np.float16).astype(np.float32) if b else None


@dataclass
class AlignedMention:
    """A mention known to the story index."""

    claim_id: str
    article_id: str
    terms: frozenset[str]
    polarity: str
    kind: str
    vector: np.ndarray | None = None
    actors: frozenset[str] = frozenset()  # its terms that name people (see person_terms)
    _numbers: frozenset[str] | None = field(default=None, init=False, repr=False)

    @property
    def numbers(self) -> frozenset[str]:
        """Its number terms ("#24"), found when first asked: most units are never compared on them."""
        if self._numbers is None:
            self._numbers = frozenset(t for t in self.terms if t[0] == "#")
        return self._numbers


def person_terms(entities: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The ``@`` terms of an article's people, from its (entity key, label) pairs: a unit's actors
    are its terms among these."""
    return frozenset("@" + key for key, label in entities if label == "PERSON")


@dataclass
class StoryIndex:
    """Mentions of one story with an inverted index from term to mention positions."""

    mentions: list[AlignedMention] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, m: AlignedMention) -> None:
        pos = len(self.mentions)
        self.mentions.append(m)
        for t in m.terms:
            self.postings[t].append(pos)

    def candidates(
        self, terms: frozenset[str], polarity: str, article_id: str, weight: Callable[[str], float],
        threshold: float | None = None, vector: np.ndarray | None = None,
        mass: dict[int, float] | None = None, actors: frozenset[str] = frozenset(), kind: str = "statement",
    ) -> dict[str, float]:
        """Claims (with their best mention score) that a unit could join, at or above threshold.

        The score is ``similarity.weighted_dice`` spelled out so that each side's weight is
        summed once: the unit's here, a mention's once per article in ``mass`` (position ->
        summed weight; valid while ``weight`` is unchanged, i.e. within one article). A unit that
        is not an adjunct (``kind``) skips adjunct mentions.
        """
        threshold = THRESHOLD if threshold is None else threshold
        cands: set[int] = set()
        for t in terms:
            plist = self.postings.get(t)
            if plist and len(plist) <= MAX_POSTING:
                cands.update(plist)
        nums = {t for t in terms if t.startswith("#")}
        wt = {t: weight(t) for t in terms}
        wa = sum(wt.values())
        mass = {} if mass is None else mass
        out: dict[str, float] = {}
        for pos in cands:
            m = self.mentions[pos]
            if m.article_id == article_id or (m.kind == ADJUNCT_KIND and kind != ADJUNCT_KIND):
                continue
            shared = terms & m.terms
            if len(shared) < MIN_SHARED or sum(1 for t in shared if t[0] not in "@#") < MIN_SHARED_CONTENT:
                continue
            wb = mass.get(pos)
            if wb is None:
                wb = mass[pos] = sum(weight(t) for t in m.terms)
            score = 2.0 * sum(wt[t] for t in shared) / (wa + wb) if wa + wb else 0.0
            if vector is not None and m.vector is not None and m.vector.shape == vector.shape:
                score += VECTOR_WEIGHT * (float(vector @ m.vector) - VECTOR_CENTER)
            if m.polarity != polarity:
                score *= NEGATION_FACTOR
            if nums and m.numbers and not nums & m.numbers:
                score *= NUMBER_FACTOR
            if actors and m.actors and not actors & m.actors:
                score *= ACTOR_FACTOR
            if score >= threshold and score > out.get(m.claim_id, 0.0):
                out[m.claim_id] = score
        return out


SECOND_FACTOR = 0.85  # a unit also joins a second claim scoring this close to its first
SECOND_MIN = 0.45  # and at least this well: a second claim needs clear evidence


def assign(candidates: list[dict[str, float]], late: Sequence[bool] | None = None) -> list[list[tuple[str, float]]]:
    """One article's units to claims: best pairs first, each claim taken by one unit at most.

    An article states a fact once; letting two of its sentences join one claim is how a chain
    of loose matches ("visit" ~ "arrived ... visit") would pull different facts together. A
    sentence that states two facts may join a second claim that scores nearly as well.
    Units flagged ``late`` (adjuncts) choose after all others, among the claims left.
    Returns, per unit, the claims it joins (empty: it starts a claim of its own).
    """
    flags = late if late is not None else [False] * len(candidates)
    pairs = sorted(((flags[i], -score, i, cid) for i, cands in enumerate(candidates) for cid, score in cands.items()))
    out: list[list[tuple[str, float]]] = [[] for _ in candidates]
    taken: set[str] = set()
    for _, neg, i, cid in pairs:
        score = -neg
        if cid in taken:
            continue
        if not out[i] or (len(out[i]) == 1 and score >= max(SECOND_MIN, SECOND_FACTOR * out[i][0][1])):
            out[i].append((cid, score))
            taken.add(cid)
    return out
