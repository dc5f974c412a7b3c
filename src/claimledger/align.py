"""Align claim units across the articles of one story into ledger claims.

A unit is compared with the mentions already in its story and with the units of the batch's
other articles in that story that share at least one of its terms (inverted indexes: blocking),
scored by IDF-weighted Dice overlap. A pair must share ``MIN_SHARED`` terms, one of them a
content word: two sentences naming the same people and places state one claim only if they
also say something alike about them. Opposite polarity ("rules out" / "does not rule out"),
disjoint numbers and different people (both sentences name someone, no one in common: "the
Saints put Bush on injured reserve" / "... put Thomas on injured reserve") lower the score, so
such statements stay apart.

The batch is placed as a whole (``align_batch``), best pairs first: pairs scoring at least
``THRESHOLD`` join their groups unless that puts two units of one article in a claim, or two
stored claims together; a group of more than one unit joins another only if the mean score
over all their pairs (a pair with no score counts 0) reaches ``LINK_MEAN``, so one loose pair
does not chain two facts. Placed one article after another, the first articles' wordings
decided where later ones went: the seed story's alignment F1 ranged 0.803-0.917 over orders of
its five articles (mean 0.864); placed as a batch, 0.911-0.921 (mean 0.920). An adjunct unit
(``ADJUNCT_KIND``: "during his visit to the DPRK") may join a statement's claim, after all
statements are placed, but only adjuncts join an adjunct's claim: a circumstance finds the fact
it names without drawing other outlets' sentences away from their statements.

Cost: per unit O(sum of posting lengths of its terms) within its story, then sorting the E
scored pairs, O(E log E), and O(E) group updates, each linear in the number of groups the
merged one is linked to. Stories are small next to the corpus and a story's index is built once
per ingest run, so alignment grows linearly with the number of articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .models import ADJUNCT_KIND, ClaimUnit, compared_terms

THRESHOLD = 0.4
NEGATION_FACTOR = 0.6
NUMBER_FACTOR = 0.85
ACTOR_FACTOR = 0.7  # ECB+ pooled 0.762 -> 0.771 (P 0.758 -> 0.774); seeds unchanged; 0.5: seed 0.907
MIN_SHARED = 2  # one shared word is coincidence, not evidence
MIN_SHARED_CONTENT = 1  # shared names alone are the story's actors, not a shared claim (seed P 0.943 -> 0.957)
MAX_POSTING = 400  # a term in more mentions than this blocks nothing: skip it as a probe


VECTOR_WEIGHT = 0.6  # how much the parser-vector cosine adds to the term overlap
VECTOR_CENTER = 0.5  # cosine of unrelated sentences sits around here: below it, evidence against
# The vectors strengthen the words' evidence, they do not stand in for it: their bonus is at most
# this share of the overlap score. Uncapped, "Putin thanked Kim for North Korea's support in ... a
# fight against the imperialist hegemonistic policies of the U.S." scored 0.44 against "Moscow and
# Pyongyang have vowed to support each other against foreign aggression" (overlap 0.22) and 0.40
# against "Putin, in turn, thanked his host Kim" (0.31). Seed alignment 0.918 -> 0.933 (P 0.929 ->
# 0.943, R 0.908 -> 0.923), fidelity 0.915 -> 0.937; ECB+ pooled 0.787 -> 0.785, with the gold
# stories 0.878 -> 0.877. 0.4 scores as 0.5; 0.6-0.75: seed 0.931, ECB+ 0.786 / 0.878.
VECTOR_CAP = 0.5


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

    @classmethod
    def of(cls, claim_id: str, article_id: str, unit: ClaimUnit, people: frozenset[str]) -> AlignedMention:
        """An extracted unit as the index sees it; ``people``: its article's ``person_terms``."""
        terms = frozenset(compared_terms(unit))
        return cls(claim_id, article_id, terms, unit.polarity, unit.kind, unpack_vector(unit.vector),
                   people.intersection(terms))

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
    adjunct_only: dict[str, bool] = field(default_factory=dict)  # claim -> all its mentions are adjuncts

    def add(self, m: AlignedMention) -> None:
        pos = len(self.mentions)
        self.mentions.append(m)
        for t in m.terms:
            self.postings[t].append(pos)
        self.adjunct_only[m.claim_id] = self.adjunct_only.get(m.claim_id, True) and m.kind == ADJUNCT_KIND

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
                score += min(VECTOR_WEIGHT * (float(vector @ m.vector) - VECTOR_CENTER), VECTOR_CAP * score)
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
# Two groups, one of them more than a single unit, join only if their pairs score this on average
# (pairs below THRESHOLD count 0). Seed story over 20 orders: 0.864 placed one by one, 0.885 with
# no such test, 0.920 at 0.15-0.2 (0.884 at 0.25); ECB+ with the gold stories 0.852 -> 0.855.
LINK_MEAN = 0.15

Target = str | int  # a stored claim's id, or the batch position of the unit that founds a new claim


@dataclass
class _Group:
    """Units (and at most one stored claim) that the batch placement has joined so far."""

    size: int
    articles: set[str]
    fixed: str | None  # the stored claim it continues
    adjunct_only: bool
    first: int | None  # batch position of its first unit that is not an adjunct
    founder: int | None  # batch position of its first unit
    links: dict[Target, float] = field(default_factory=dict)  # other group's root -> summed pair scores


def align_batch(stored: StoryIndex, units: Sequence[AlignedMention],
                weight: Callable[[str], float]) -> list[list[tuple[Target, float]]]:
    """Place the new units of one story, from one or more articles, into claims (module doc).

    ``stored`` indexes the story's mentions already in the ledger; ``units`` are the batch's
    units in input order (their ``claim_id`` is ignored). Returns, per unit, the claims it
    joins with the score that joined it: a stored claim's id, or the position of the unit that
    founds the claim (its first unit in batch order, possibly the unit itself). An empty list:
    the unit is alone and starts a claim of its own. The result does not depend on the order
    of the articles, except for which unit founds a claim, and so whether an adjunct that comes
    before a statement may join it (a claim takes its first unit's kind; ``_adjunct_may_join``).
    """
    batch = StoryIndex()  # the units before the one being scored: each pair is scored once
    pairs: dict[tuple[int, Target], float] = {}
    stored_mass: dict[int, float] = {}
    batch_mass: dict[int, float] = {}
    for k, m in enumerate(units):
        args = (m.terms, m.polarity, m.article_id, weight)
        for claim, score in stored.candidates(*args, vector=m.vector, mass=stored_mass, actors=m.actors,
                                              kind=m.kind).items():
            pairs[(k, claim)] = score
        # every kind: the score is symmetric, and the rule on adjuncts applies when groups join
        for other, score in batch.candidates(*args, vector=m.vector, mass=batch_mass, actors=m.actors,
                                             kind=ADJUNCT_KIND).items():
            pairs[(int(other), k)] = score
        batch.add(AlignedMention(str(k), m.article_id, m.terms, m.polarity, m.kind, m.vector, m.actors))

    groups: dict[Target, _Group] = {}
    parent: dict[Target, Target] = {}

    def root(x: Target) -> Target:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def node(x: Target) -> None:
        if x in parent:
            return
        parent[x] = x
        if isinstance(x, int):
            adj = units[x].kind == ADJUNCT_KIND
            groups[x] = _Group(1, {units[x].article_id}, None, adj, None if adj else x, x)
        else:
            groups[x] = _Group(1, set(), x, stored.adjunct_only.get(x, False), None, None)

    for k in range(len(units)):
        node(k)
    for (a, b), score in pairs.items():
        node(b)
        groups[a].links[b] = groups[a].links.get(b, 0.0) + score
        groups[b].links[a] = groups[b].links.get(a, 0.0) + score

    # statements first, best first; equal scores (copies of one wire story) in an order that comes
    # from the articles' content, not from where they stand in the input
    late = [m.kind == ADJUNCT_KIND for m in units]
    name: list[tuple[str, int]] = []  # (article id, position in its article)
    count: dict[str, int] = {}
    for m in units:
        count[m.article_id] = count.get(m.article_id, -1) + 1
        name.append((m.article_id, count[m.article_id]))

    def rank(item: tuple[tuple[int, Target], float]) -> tuple[bool, float, tuple[str, int], tuple[str, int]]:
        (a, b), score = item
        if isinstance(b, int):
            na, nb = sorted((name[a], name[b]))
            return late[a] or late[b], -score, na, nb
        return late[a] or stored.adjunct_only.get(b, False), -score, name[a], (b, -1)

    order = sorted(pairs.items(), key=rank)
    joined: dict[int, float] = {}
    blocked: list[tuple[int, Target, float]] = []
    for (a, b), score in order:
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        ga, gb = groups[ra], groups[rb]
        if ga.articles & gb.articles or (ga.fixed and gb.fixed):
            blocked.append((a, b, score))
            continue
        if not _adjunct_may_join(ga, gb) or not _adjunct_may_join(gb, ga):
            continue
        if ga.size + gb.size > 2 and ga.links.get(rb, 0.0) / (ga.size * gb.size) < LINK_MEAN:
            continue
        _merge(groups, parent, ra, rb)
        for x in (a, b):
            if isinstance(x, int):
                joined.setdefault(x, score)

    def target(r: Target) -> Target:
        g = groups[r]
        return g.fixed if g.fixed else g.founder  # type: ignore[return-value]

    out: list[list[tuple[Target, float]]] = [[] for _ in units]
    for k in range(len(units)):
        if k in joined:
            out[k].append((target(root(k)), joined[k]))
    for a, b, score in blocked:  # a sentence that states two facts may join a second claim
        for x, y in ((a, b), (b, a)):
            if not isinstance(x, int) or len(out[x]) != 1:
                continue
            ry = root(y)
            gy = groups[ry]
            if (target(ry) == out[x][0][0] or units[x].article_id in gy.articles
                    or score < max(SECOND_MIN, SECOND_FACTOR * out[x][0][1])):
                continue
            adj = units[x].kind == ADJUNCT_KIND
            single = _Group(1, set(), None, adj, None if adj else x, x)
            if not _adjunct_may_join(single, gy) or not _adjunct_may_join(gy, single):
                continue
            out[x].append((target(ry), score))
            gy.articles.add(units[x].article_id)
    return out


def _adjunct_may_join(a: _Group, b: _Group) -> bool:
    """May group ``a``, if it holds adjuncts only, join group ``b``? Only into a claim that is
    not an adjunct's and whose first unit is a statement (the claim takes its first unit's kind),
    and one adjunct at a time: a set of adjuncts that agree is an occasion's claim of its own."""
    if not a.adjunct_only or b.adjunct_only:
        return True
    if a.size > 1 or a.founder is None:
        return False
    return b.fixed is not None or (b.first is not None and b.first < a.founder)


def _merge(groups: dict[Target, _Group], parent: dict[Target, Target], ra: Target, rb: Target) -> None:
    """Join group ``rb`` into ``ra``, summing their links to other groups (average linkage)."""
    ga, gb = groups[ra], groups.pop(rb)
    parent[rb] = ra
    ga.size += gb.size
    ga.articles |= gb.articles
    ga.fixed = ga.fixed or gb.fixed
    ga.adjunct_only = ga.adjunct_only and gb.adjunct_only
    ga.first = min((f for f in (ga.first, gb.first) if f is not None), default=None)
    ga.founder = min((f for f in (ga.founder, gb.founder) if f is not None), default=None)
    ga.links.pop(rb, None)
    for other, total in gb.links.items():
        if other == ra:
            continue
        ga.links[other] = ga.links.get(other, 0.0) + total
        links = groups[other].links
        links[ra] = links.get(ra, 0.0) + links.pop(rb, 0.0)
