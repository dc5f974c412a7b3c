"""Align claim units across the articles of one story into ledger claims, with three answers.

Every new article is compared with each other article of its story (those already in the
ledger and those of the same batch) by the fitted same-fact model (``samefact``): a probability
for each pair of units, and for each unit the probability that the other article states its
fact at all. Then, for a unit u of article A and another article B:

- at or above the model's ``asserts`` threshold, u and its best unit in B are a link;
- between ``maybe`` and ``asserts``, B *may* state u's fact at that unit: a ``maybe`` mention;
- below ``maybe``, B omits it.

Links are joined best first into claims (union-find): a claim holds at most one unit of an
article, except that a unit that states two facts may join a second claim scoring almost as well
(``second_factor``), and two groups of more than one unit join only when their units' pairs
average ``link_mean`` (pairs with no link count 0), so one loose pair does not chain two facts.
Stored claims never merge: their ids are in the ledger.

Cost: per new article, one ``compare_many`` against every other article of its story it is
compared with (the story's most recent ``max_compared`` stored articles, and the story's other
articles of the same batch): the units of all of them against the new article's in one set of
matrix products. The stored side is bounded however large a story grows; a batch that brings n
articles of one story costs n - 1 + ... + 1 article pairs (ECB+ dev: 4,434 pairs, 772 calls).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from claimledger.group.samefact import Side, rarity, side_of, trim_caches, unpack_vector
from claimledger.records import ELISION, ClaimUnit, StoredMention
from claimledger.settings import AlignSettings

DEFAULT = AlignSettings()

__all__ = ["AlignedMention", "Comparer", "Maybe", "StoryIndex", "Target", "align_batch", "compared_quote",
           "one_utterance", "variant_value"]


@dataclass
class AlignedMention:
    """A unit as alignment sees it: where it is, its ``Side`` for the model, and (stored) its claim."""

    claim_id: str
    article_id: str
    side: Side
    start: int = 0
    end: int = 0

    @classmethod
    def of(cls, claim_id: str, article_id: str, unit: ClaimUnit) -> AlignedMention:
        return cls(claim_id, article_id, side_of(unit), unit.start, unit.end)


@dataclass
class StoryIndex:
    """The asserted mentions of one story, article by article, in the order they were stored."""

    articles: dict[str, list[AlignedMention]] = field(default_factory=dict)

    @classmethod
    def of_rows(cls, rows: Iterable[StoredMention]) -> StoryIndex:
        """The index of a story's stored mentions (``Ledger.story_mentions``)."""
        idx = cls()
        for r in rows:
            side = Side(r.text, r.terms, r.kind, r.polarity, unpack_vector(r.vector), r.role)
            idx.add(AlignedMention(r.claim_id, r.article_id, side, r.start, r.end))
        return idx

    def add(self, m: AlignedMention) -> None:
        """Add a mention; a unit already there under another claim (it states two) is kept once."""
        ms = self.articles.setdefault(m.article_id, [])
        if not any(x.start == m.start and x.end == m.end for x in ms):
            ms.append(m)

    def claim_articles(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for aid, ms in self.articles.items():
            for m in ms:
                out[m.claim_id].add(aid)
        return out

    def recent(self, limit: int = DEFAULT.max_compared) -> list[tuple[str, list[AlignedMention]]]:
        """The most recently stored ``limit`` articles with their units in text order."""
        items = list(self.articles.items())[-limit:]
        return [(aid, sorted(ms, key=lambda m: m.start)) for aid, ms in items]


class Comparer(Protocol):
    """What alignment needs of the same-fact model (``samefact.SameFactModel``)."""

    @property
    def asserts(self) -> float: ...

    @property
    def maybe(self) -> float: ...

    def compare_many(self, a_sides: Sequence[Side], articles: Sequence[Sequence[Side]]
                     ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """For each article B: pair probabilities (len(a), len(b)), per unit of A the
        probability that B states it, per unit of B the probability that A states it."""
        ...


Target = str | int  # a stored claim's id, or the batch position of the unit that founds a new claim
UnitKey = int | tuple[str, int]  # a batch unit's position, or a stored unit as (article id, index)


@dataclass(frozen=True)
class Maybe:
    """Article ``article_id`` may state claim ``claim`` at [start, end): probability ``score``.
    ``status`` is 'asserts' when the model is confident but the placement could not join the
    unit there (it already stands in another claim of the same fact)."""

    claim: Target
    article_id: str
    start: int
    end: int
    score: float
    status: str = "maybe"


@dataclass
class _Group:
    """Units (and at most one stored claim) that the batch placement has joined so far."""

    size: int
    articles: set[str]
    fixed: str | None  # the stored claim it continues
    founder: int | None  # batch position of its first unit
    links: dict[Target, float] = field(default_factory=dict)  # other group's root -> summed pair scores


def align_batch(stored: StoryIndex, units: Sequence[AlignedMention], model: Comparer,
                settings: AlignSettings = DEFAULT) -> tuple[list[list[tuple[Target, float]]], list[Maybe]]:
    """Place the new units of one story, from one or more articles, into claims (module doc).

    ``units`` are the batch's units in input order (their ``claim_id`` is ignored). Returns, per
    unit, the claims it joins with the probability that joined it (a stored claim's id, or the
    position of the unit that founds the claim; an empty list: the unit starts a claim of its
    own), and the ``maybe`` mentions: claims another article may state in other words.
    """
    trim_caches()  # between stories: no pair is being compared
    batch: dict[str, list[int]] = {}
    for k, m in enumerate(units):
        batch.setdefault(m.article_id, []).append(k)
    old = [(aid, ms) for aid, ms in stored.recent(settings.max_compared) if aid not in batch]
    pairs: dict[tuple[int, Target], float] = {}
    # (unit key, other article) -> (cover probability, the other article's best unit key)
    cover: dict[tuple[UnitKey, str], tuple[float, UnitKey]] = {}
    stored_units = dict(old)
    new_articles = list(batch)
    for n, aid in enumerate(new_articles):
        mine = batch[aid]
        a_sides = [units[k].side for k in mine]
        others: list[tuple[str, list[UnitKey], list[Side]]] = [
            (bid, list(batch[bid]), [units[k].side for k in batch[bid]]) for bid in new_articles[n + 1:]]
        others += [(bid, [(bid, j) for j in range(len(ms))], [m.side for m in ms]) for bid, ms in old]
        compared = model.compare_many(a_sides, [b_sides for _, _, b_sides in others])
        for (bid, keys, _), (probs, cov_a, cov_b) in zip(others, compared, strict=True):
            if not len(keys) or not mine:
                continue
            for k, j, c in zip(mine, probs.argmax(axis=1).tolist(), cov_a.tolist(), strict=True):
                cover[(k, bid)] = (c, keys[j])
                if c >= model.asserts:
                    _link(pairs, k, keys[j], c, stored_units)
            for key, i, c in zip(keys, probs.argmax(axis=0).tolist(), cov_b.tolist(), strict=True):
                cover[(key, aid)] = (c, mine[i])
                if c >= model.asserts:
                    _link(pairs, mine[i], key, c, stored_units)
    placed = _place(stored, units, pairs, settings)
    return placed, _maybes(units, stored_units, placed, cover, model)


def _link(pairs: dict[tuple[int, Target], float], a: int, b: UnitKey, score: float,
          stored_units: dict[str, list[AlignedMention]]) -> None:
    """Record a link between batch unit ``a`` and a batch unit or a stored one (its claim)."""
    key: tuple[int, Target]
    if isinstance(b, tuple):
        key = (a, stored_units[b[0]][b[1]].claim_id)
    else:
        key = (min(a, b), max(a, b))
    pairs[key] = max(pairs.get(key, 0.0), score)


def _place(stored: StoryIndex, units: Sequence[AlignedMention], pairs: dict[tuple[int, Target], float],
           settings: AlignSettings) -> list[list[tuple[Target, float]]]:
    groups: dict[Target, _Group] = {}
    parent: dict[Target, Target] = {}
    claim_arts = stored.claim_articles() if any(not isinstance(b, int) for _, b in pairs) else {}

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
            groups[x] = _Group(1, {units[x].article_id}, None, x)
        else:
            groups[x] = _Group(1, set(claim_arts.get(x, ())), x, None)

    for k in range(len(units)):
        node(k)
    for (a, b), score in pairs.items():
        node(b)
        groups[a].links[b] = groups[a].links.get(b, 0.0) + score
        groups[b].links[a] = groups[b].links.get(a, 0.0) + score

    # best first; equal scores (copies of one wire story) in an order that comes from the
    # articles' content, not from where they stand in the input
    name: list[tuple[str, int]] = []  # (article id, position in its article)
    count: dict[str, int] = {}
    for m in units:
        count[m.article_id] = count.get(m.article_id, -1) + 1
        name.append((m.article_id, count[m.article_id]))

    def rank(item: tuple[tuple[int, Target], float]) -> tuple[float, tuple[str, int], tuple[str, int]]:
        (a, b), score = item
        if isinstance(b, int):
            na, nb = sorted((name[a], name[b]))
            return -score, na, nb
        return -score, name[a], (b, -1)

    joined: dict[int, float] = {}
    blocked: list[tuple[int, Target, float]] = []
    for (a, b), score in sorted(pairs.items(), key=rank):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        ga, gb = groups[ra], groups[rb]
        if ga.articles & gb.articles or (ga.fixed and gb.fixed):
            blocked.append((a, b, score))
            continue
        if ga.size + gb.size > 2 and ga.links.get(rb, 0.0) / (ga.size * gb.size) < settings.link_mean:
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
            if target(ry) == out[x][0][0] or units[x].article_id in gy.articles or score < settings.second_factor * out[x][0][1]:
                continue
            out[x].append((target(ry), score))
            gy.articles.add(units[x].article_id)
    return out


def _merge(groups: dict[Target, _Group], parent: dict[Target, Target], ra: Target, rb: Target) -> None:
    """Join group ``rb`` into ``ra``, summing their links to other groups (average linkage)."""
    ga, gb = groups[ra], groups.pop(rb)
    parent[rb] = ra
    ga.size += gb.size
    ga.articles |= gb.articles
    ga.fixed = ga.fixed or gb.fixed
    ga.founder = min((f for f in (ga.founder, gb.founder) if f is not None), default=None)
    ga.links.pop(rb, None)
    for other, total in gb.links.items():
        if other == ra:
            continue
        ga.links[other] = ga.links.get(other, 0.0) + total
        links = groups[other].links
        links[ra] = links.get(ra, 0.0) + links.pop(rb, 0.0)


def _maybes(units: Sequence[AlignedMention], stored_units: dict[str, list[AlignedMention]],
            placed: list[list[tuple[Target, float]]], cover: dict[tuple[UnitKey, str], tuple[float, UnitKey]],
            model: Comparer) -> list[Maybe]:
    """For each claim a unit asserts and each other article that does not assert it: a ``maybe``
    mention at that article's best unit when the cover probability is between the thresholds,
    an asserted one when it is above (a link the placement could not make: that unit is in
    another claim already). One per (claim, article), the most probable."""
    def claims_of(key: UnitKey) -> list[Target]:
        if isinstance(key, tuple):
            return [stored_units[key[0]][key[1]].claim_id]
        return [c for c, _ in placed[key]] or [key]

    def where(key: UnitKey) -> AlignedMention:
        return stored_units[key[0]][key[1]] if isinstance(key, tuple) else units[key]

    asserted: dict[Target, set[str]] = defaultdict(set)
    for k, m in enumerate(units):
        for c in claims_of(k):
            asserted[c].add(m.article_id)
    for aid, ms in stored_units.items():
        for m in ms:
            asserted[m.claim_id].add(aid)
    best: dict[tuple[Target, str], Maybe] = {}
    for (key, other), (score, at) in cover.items():
        if score < model.maybe:
            continue
        m = where(at)
        for claim in claims_of(key):
            if other in asserted[claim]:
                continue
            cur = best.get((claim, other))
            if cur is None or (score, -m.start) > (cur.score, -cur.start):
                best[(claim, other)] = Maybe(claim, other, m.start, m.end, round(score, 4),
                                             "asserts" if score >= model.asserts else "maybe")
    return list(best.values())


_WORDS = re.compile(r"[a-z0-9]+")
REWORD_MIN_SHARED = 3.5  # rarity a rewording must share: one rare word ("breakthrough", 4.1), not one common one ("long", 2.1)


def compared_quote(value: str, known: list[str]) -> str | None:
    """The value a quotation is compared on within a claim that already holds ``known`` ones
    (folded wordings), or None when it is another quotation, not this claim's.

    A quotation whose words run inside a known one, or hold one ("disgraceful" / "I thought her
    comments were disgraceful"), is the same quotation cut differently: it takes that value, so
    the outlets agree (more or less of a quote is detail, not a different value). One that
    rewords a known one (``reworded_of``) keeps its own value: the claim has a quote
    disagreement. Anything else is a different quotation ("We can call a national emergency" /
    "I may do it"): it is not compared."""
    words = " ".join(_WORDS.findall(value))
    for k in known:
        other = " ".join(_WORDS.findall(k))
        if words and other and (f" {words} " in f" {other} " or f" {other} " in f" {words} "):
            return k
    for k in known:
        if one_utterance(value, k):
            return k
    return value if reworded_of(value, known) is not None else None


MIN_OVERLAP = 4  # words two excerpts of one utterance must share where one runs past the other


def one_utterance(a: str, b: str) -> bool:
    """Are two folded quotations windows onto one utterance? Outlets begin and end a quotation
    where they like and skip words with an ellipsis: "defend our authorities in the Congress" /
    "Congress will defend our authorities"; "we would be remiss … if we did not challenge" / "we
    would be remiss in our duty to you if we did not challenge". They are when each piece of one
    (cut at its ellipses) is found in the other in order, the first piece allowed to begin before
    the other does and the last to run past its end, by at least ``MIN_OVERLAP`` shared words.
    Within what both quote the words must agree, so a real rewording is not one."""
    return _windows(a, b) or _windows(b, a)


def _windows(a: str, b: str) -> bool:
    pieces = [words for p in a.split(ELISION) if (words := _WORDS.findall(p))]
    wb = _WORDS.findall(b)
    if not pieces or not wb:
        return False
    pos = 0
    for n, piece in enumerate(pieces):
        at = _find(wb, piece, pos)
        if at >= 0:
            pos = at + len(piece)
            continue
        if n == 0 and pos == 0:  # begins before b does: its tail is b's head
            k = next((k for k in range(min(len(piece), len(wb)) - 1, MIN_OVERLAP - 1, -1) if piece[-k:] == wb[:k]), 0)
            if k:
                pos = k
                continue
        if n == len(pieces) - 1:  # runs past b's end: its head is b's tail
            room = len(wb) - pos
            if any(piece[:k] == wb[len(wb) - k:] for k in range(min(len(piece) - 1, room), MIN_OVERLAP - 1, -1)):
                continue
        return False
    return True


def _find(words: list[str], piece: list[str], start: int) -> int:
    for i in range(start, len(words) - len(piece) + 1):
        if words[i:i + len(piece)] == piece:
            return i
    return -1


def reworded_of(value: str, known: list[str]) -> str | None:
    """The known quotation ``value`` rewords: one sharing at least half the content words of the
    shorter of the two, weighed by how rare they are, neither holding the other ("We're asking
    the president to open the government" / "We are asking the president to open up
    government"). Function words do not count: "gross abuse of the power of the presidency" and
    "a power grab by a disappointed president" share "of", "the" and "power", and are two
    quotations. One common word is not enough ("as long as it takes" / "could be a long time"),
    one rare one is ("really a breakthrough document" / "truly a breakthrough")."""
    words = " ".join(_WORDS.findall(value))
    wa = set(words.split()) - STOP_WORDS
    for k in known:
        other = " ".join(_WORDS.findall(k))
        if not words or not other or f" {words} " in f" {other} " or f" {other} " in f" {words} " \
                or one_utterance(value, k):
            continue
        wb = set(other.split()) - STOP_WORDS
        shared = sum(rarity(w) for w in wa & wb)
        if shared >= max(REWORD_MIN_SHARED, 0.5 * min(sum(map(rarity, wa)), sum(map(rarity, wb)))):
            return k
    return None


def variant_value(kind: str, value: str, known: list[str]) -> tuple[str, str | None] | None:
    """How a variant is stored in a claim (``records.VariantValue``): a date or number as it is; a
    quotation with the value ``compared_quote`` gives it (None: not compared) and the known
    quotation it rewords, which the ``disagreements`` view compares it with."""
    if kind != "quote" or not known:
        return value, None
    compared = compared_quote(value, known)
    return None if compared is None else (compared, reworded_of(value, known))
