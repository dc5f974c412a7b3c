"""Align claim units across the articles of one story into ledger claims.

Each new unit is compared with the mentions already in its story that share at least one of
its terms (an inverted index over the story's mentions: blocking), scored by IDF-weighted Dice
overlap, and joins the claim of the best mention from another article if the score reaches
``THRESHOLD``; otherwise it starts a claim. Opposite polarity ("rules out" / "does not rule
out") and disjoint numbers lower the score, so such statements stay apart.

Cost: per unit O(sum of posting lengths of its terms) within its story; stories are small next
to the corpus, and a story's index is built once per ingest run, so alignment grows linearly
with the number of articles.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .similarity import weighted_dice

THRESHOLD = 0.4
NEGATION_FACTOR = 0.6
NUMBER_FACTOR = 0.85
MAX_POSTING = 400  # a term in more mentions than this blocks nothing: skip it as a probe


@dataclass
class AlignedMention:
    """A mention known to the story index."""

    claim_id: str
    article_id: str
    terms: frozenset[str]
    polarity: str
    kind: str


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

    def best_match(
        self, terms: frozenset[str], polarity: str, article_id: str, weight: Callable[[str], float],
        threshold: float = THRESHOLD,
    ) -> tuple[str | None, float]:
        """The claim of the most similar mention from another article, if similar enough."""
        cands: set[int] = set()
        for t in terms:
            plist = self.postings.get(t)
            if plist and len(plist) <= MAX_POSTING:
                cands.update(plist)
        best_claim, best = None, 0.0
        nums = {t for t in terms if t.startswith("#")}
        n = len(self.mentions)

        def local(t: str) -> float:
            # rarity inside the story: a name every sentence of the story carries tells little
            return weight(t) * (math.log((n + 1) / (len(self.postings.get(t, ())) + 1)) + 1.0)

        for pos in cands:
            m = self.mentions[pos]
            if m.article_id == article_id:
                continue
            score = weighted_dice(terms, m.terms, local)
            if m.polarity != polarity:
                score *= NEGATION_FACTOR
            other_nums = {t for t in m.terms if t.startswith("#")}
            if nums and other_nums and not nums & other_nums:
                score *= NUMBER_FACTOR
            if score > best:
                best_claim, best = m.claim_id, score
        if best >= threshold:
            return best_claim, best
        return None, best
