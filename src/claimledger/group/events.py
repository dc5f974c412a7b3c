"""Each story's central event: the happening its headlines and leads agree on, as one claim.

News puts the event first: the headline and the first sentences of every article say what
happened ("Tara Reid checked into rehab", "Putin and Kim signed a defence pact"), each in its
own words and often in two or three sentences. Fact-level alignment (``align.py``) links close
wordings; this module adds one claim per story, of kind ``event``, whose mentions are the
sentences that state the central event, so "which outlets report it" has one answer.

The story's *lead profile* counts, for every term, how many of its articles use it in their
lead (headline plus the first ``LEAD_UNITS`` claim units). A term's weight is the share of the
story's articles that lead with it times its IDF: what most outlets put first, and what is
specific to this story, weighs most. A unit's score is the weight of the profile terms it
holds over the weight of the profile's ``TOP_TERMS`` heaviest terms: how much of the shared
lead it states, discounted by ``POSITION_DECAY`` for each unit before it. Of an article's first
``CANDIDATES`` units, at most ``PER_ARTICLE`` scoring at least ``THRESHOLD`` join the event
claim, the article's own lead counted in the profile.

Membership grows by alignment as well: a fact claim that ``EVENT_FACT_ARTICLES`` articles state
among their event sentences is part of the event, so every sentence aligned with it joins the
event claim (``Ledger.close_event``, run for each story an ingest batch touched): an outlet that
states the signing in its fifth sentence, in the words two others lead with, reports the event.
A sentence's membership, once written, is never taken back: ingest stays one transaction per
article and a claim's mentions never disappear (the closure only adds). The articles of one ingest
batch are weighed against the leads of the whole batch (``ahead``), so the order of the files
does not decide the event (seed story over 30 orders: alignment 0.911-0.921 without, 0.920 in
every order with; ECB+ with the gold stories over four orders, mean 0.843 -> 0.846, range 0.022
-> 0.010). A story's first article ingested alone defines the profile alone, so its own lead
is the event until other outlets refine it.

Cost per article: O(F) to weigh the profile, F being the terms that lead in two or more of the
story's articles (kept as a set as counts grow), plus O(CANDIDATES x unit terms); the profile
is read from ``story_lead_terms`` once per story and kept current in memory.
On ECB+ (772 articles, 66 stories, stories given) the event claim raised alignment F1 from
0.669 to 0.852, with stories grouped from 0.599 to 0.739; on the seed story from 0.880 to 0.905
(../shared/eval).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from claimledger.records import ADJUNCT_KIND, ClaimUnit, content_id

LEAD_UNITS = 3  # an article's first claim units (and any headline unit) make its lead
CANDIDATES = 7  # an article states its event among its first units
PER_ARTICLE = 3  # headline, lede and a recap (2 -> 3: ECB+ pooled 0.768 -> 0.783, gold stories 0.850 -> 0.877, seed 0.920 -> 0.910)
# News states its event first: a unit's score shrinks by this factor for each unit before it, so
# of two sentences holding the lead's terms alike, the earlier one states the event. ECB+ pooled
# 0.784 -> 0.787, with the gold stories 0.874 -> 0.878, seed unchanged; 0.93: the same; 0.9:
# seed 0.918 -> 0.912, ECB+ 0.786 / 0.876 (measured before as well: 0.93 as 0.95, 0.8 lower).
POSITION_DECAY = 0.95
TOP_TERMS = 4  # the size of "what happened": actor, action, object, place
THRESHOLD = 0.3
MIN_ARTICLES = 2  # once the story has two articles, a term must lead in two of them to count

EVENT_KIND = "event"
# A fact that this many articles state among their event sentences is part of the story's event:
# every other sentence aligned with it joins the event claim too (``Ledger.close_event``). ECB+
# pooled 0.785 -> 0.792, with the gold stories 0.877 -> 0.887, seed unchanged (0.933); at 1 (any
# event sentence draws its fact's other sentences in): ECB+ 0.797 / 0.893 but seed 0.924; at 3:
# ECB+ 0.790 / 0.884. Capped at PER_ARTICLE event sentences an article, it gains nothing (0.786).
EVENT_FACT_ARTICLES = 2


def event_claim_id(story_id: str) -> str:
    """The id of a story's event claim: one per story, stable across ingests."""
    return content_id("event", story_id)


def _counted(term: str) -> bool:
    return not term.startswith("#")  # numbers are details outlets differ on, not the event


def _stated(units: Sequence[ClaimUnit]) -> list[int]:
    """Indexes of the units that state something: adjuncts ("during his visit") are
    circumstances inside those, neither a lead nor an event of their own."""
    return [i for i, u in enumerate(units) if u.kind != ADJUNCT_KIND]


def lead_terms(units: Sequence[ClaimUnit]) -> set[str]:
    """Terms of an article's lead: its headline units and its first ``LEAD_UNITS`` units, adjuncts aside."""
    out: set[str] = set()
    for n, i in enumerate(_stated(units)):
        unit = units[i]
        if n < LEAD_UNITS or unit.role == "headline":
            out.update(t for t in unit.terms if _counted(t))
    return out


@dataclass
class LeadProfile:
    """How many of a story's articles lead with each term (``counts``), out of ``articles``."""

    counts: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    # terms leading in MIN_ARTICLES articles or more: the only ones that can weigh once the story
    # has two articles, so scoring an article walks these, not the story's whole lead vocabulary
    frequent: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.frequent = {t for t, c in self.counts.items() if c >= MIN_ARTICLES}

    def add(self, terms: Iterable[str]) -> None:
        for t in terms:
            c = self.counts[t] = self.counts.get(t, 0) + 1
            if c == MIN_ARTICLES:
                self.frequent.add(t)
        self.articles += 1

    def remove(self, terms: Iterable[str]) -> None:
        """Take back one article's lead (``add``'s inverse)."""
        for t in terms:
            c = self.counts[t] = self.counts[t] - 1
            if c < MIN_ARTICLES:
                self.frequent.discard(t)
            if c == 0:
                del self.counts[t]
        self.articles -= 1

    def weights(self, weight: Callable[[str], float], lead: Iterable[str] | None = None,
                ahead: LeadProfile | None = None) -> dict[str, float]:
        """Term -> share of articles leading with it x IDF; with ``lead``, counting one more article
        that leads with those terms (the article being placed); with ``ahead``, the articles of
        the same batch still to be written (so the first article of a batch does not decide alone)."""
        extra = set(lead) if lead is not None else set()
        later = ahead.counts if ahead is not None else {}
        n = self.articles + (0 if lead is None else 1) + (ahead.articles if ahead is not None else 0)
        if n == 0:
            return {}
        floor = min(MIN_ARTICLES, n)
        # a term reaching the floor is frequent here, or leads in a later article or in this one
        pool = (set(self.counts) if floor < MIN_ARTICLES else self.frequent) | extra | set(later)
        out: dict[str, float] = {}
        for t in pool:
            c = self.counts.get(t, 0) + later.get(t, 0) + (1 if t in extra else 0)
            if c >= floor:
                out[t] = c / n * weight(t)
        return out


def event_units(units: Sequence[ClaimUnit], profile: LeadProfile, weight: Callable[[str], float],
                lead: Iterable[str] | None = None, ahead: LeadProfile | None = None) -> list[tuple[int, float]]:
    """(unit index, score) of the units of one article that state its story's event.

    ``profile`` is the story's lead profile before this article; the article's own lead is
    counted in (``lead``: its ``lead_terms``, when the caller has them already), and so are the
    leads of ``ahead``, the articles of the story that the same batch writes after this one.
    Best first, at most ``PER_ARTICLE``.
    """
    w = profile.weights(weight, lead=lead_terms(units) if lead is None else lead, ahead=ahead)
    if not w:
        return []
    denom = sum(heapq.nlargest(TOP_TERMS, w.values()))
    if denom <= 0:
        return []
    scored = []
    for n, i in enumerate(_stated(units)[:CANDIDATES]):
        score = sum(w.get(t, 0.0) for t in set(units[i].terms)) / denom * POSITION_DECAY ** n
        if score >= THRESHOLD:
            scored.append((-score, i))
    return [(i, -s) for s, i in sorted(scored)[:PER_ARTICLE]]
