"""Each story's central event: the happening its headlines and leads agree on, as one claim.

News puts the event first: the headline and the first sentences of every article say what
happened ("Tara Reid checked into rehab", "Putin and Kim signed a defence pact"), each in its
own words and often in two or three sentences. Fact-level alignment (``align.py``) links close
wordings; this module adds one claim per story, of kind ``event``, whose mentions are the
sentences that state the central event, so "which outlets report it" has one answer.

The story's *lead profile* counts, for every term, how many of its articles use it in their
lead (headline plus the first ``lead_units`` claim units). A term's weight is the share of the
story's articles that lead with it times its IDF: what most outlets put first, and what is
specific to this story, weighs most. A unit's score is the weight of the profile terms it
holds over the weight of the profile's ``top_terms`` heaviest terms: how much of the shared
lead it states, discounted by ``position_decay`` for each unit before it. Of an article's first
``candidates`` units, at most ``per_article`` scoring at least ``threshold`` join the event
claim, the article's own lead counted in the profile.

Membership grows by alignment as well: a fact claim that ``fact_articles`` articles state
among their event sentences is part of the event, so every sentence aligned with it joins the
event claim (``Ledger.close_event``, run for each story an ingest batch touched): an outlet that
states the signing in its fifth sentence, in the words two others lead with, reports the event.
A sentence's membership, once written, is never taken back: ingest stays one transaction per
article and a claim's mentions never disappear (the closure only adds). The articles of one ingest
batch are weighed against the leads of the whole batch (``ahead``), so the order of the files
does not decide the event. A story's first article ingested alone defines the profile alone, so its own lead
is the event until other outlets refine it.

Cost per article: O(F) to weigh the profile, F being the terms that lead in two or more of the
story's articles (kept as a set as counts grow), plus O(candidates x unit terms); the profile
is read from ``story_lead_terms`` once per story and kept current in memory.
The tunables are ``EventSettings`` (settings.py); docs/experiments.md has what each gained.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from claimledger.records import ADJUNCT_KIND, ClaimUnit, content_id
from claimledger.settings import EventSettings

DEFAULT = EventSettings()


def event_claim_id(story_id: str) -> str:
    """The id of a story's event claim: one per story, stable across ingests."""
    return content_id("event", story_id)


def _counted(term: str) -> bool:
    return not term.startswith("#")  # numbers are details outlets differ on, not the event


def _stated(units: Sequence[ClaimUnit]) -> list[int]:
    """Indexes of the units that state something: adjuncts ("during his visit") are
    circumstances inside those, neither a lead nor an event of their own."""
    return [i for i, u in enumerate(units) if u.kind != ADJUNCT_KIND]


def lead_terms(units: Sequence[ClaimUnit], lead_units: int = DEFAULT.lead_units) -> set[str]:
    """Terms of an article's lead: its headline units and its first ``lead_units`` units, adjuncts aside."""
    out: set[str] = set()
    for n, i in enumerate(_stated(units)):
        unit = units[i]
        if n < lead_units or unit.role == "headline":
            out.update(t for t in unit.terms if _counted(t))
    return out


@dataclass
class LeadProfile:
    """How many of a story's articles lead with each term (``counts``), out of ``articles``."""

    counts: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    min_articles: int = DEFAULT.min_articles
    # terms leading in ``min_articles`` articles or more: the only ones that can weigh once the story
    # has two articles, so scoring an article walks these, not the story's whole lead vocabulary
    frequent: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.frequent = {t for t, c in self.counts.items() if c >= self.min_articles}

    def add(self, terms: Iterable[str]) -> None:
        for t in terms:
            c = self.counts[t] = self.counts.get(t, 0) + 1
            if c == self.min_articles:
                self.frequent.add(t)
        self.articles += 1

    def remove(self, terms: Iterable[str]) -> None:
        """Take back one article's lead (``add``'s inverse)."""
        for t in terms:
            c = self.counts[t] = self.counts[t] - 1
            if c < self.min_articles:
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
        floor = min(self.min_articles, n)
        # a term reaching the floor is frequent here, or leads in a later article or in this one
        pool = (set(self.counts) if floor < self.min_articles else self.frequent) | extra | set(later)
        out: dict[str, float] = {}
        for t in pool:
            c = self.counts.get(t, 0) + later.get(t, 0) + (1 if t in extra else 0)
            if c >= floor:
                out[t] = c / n * weight(t)
        return out


def event_units(units: Sequence[ClaimUnit], profile: LeadProfile, weight: Callable[[str], float],
                lead: Iterable[str] | None = None, ahead: LeadProfile | None = None,
                s: EventSettings = DEFAULT) -> list[tuple[int, float]]:
    """(unit index, score) of the units of one article that state its story's event.

    ``profile`` is the story's lead profile before this article; the article's own lead is
    counted in (``lead``: its ``lead_terms``, when the caller has them already), and so are the
    leads of ``ahead``, the articles of the story that the same batch writes after this one.
    Best first, at most ``s.per_article``.
    """
    w = profile.weights(weight, lead=lead_terms(units, s.lead_units) if lead is None else lead, ahead=ahead)
    if not w:
        return []
    denom = sum(heapq.nlargest(s.top_terms, w.values()))
    if denom <= 0:
        return []
    scored = []
    for n, i in enumerate(_stated(units)[:s.candidates]):
        score = sum(w.get(t, 0.0) for t in set(units[i].terms)) / denom * s.position_decay ** n
        if score >= s.threshold:
            scored.append((-score, i))
    return [(i, -s) for s, i in sorted(scored)[:s.per_article]]
