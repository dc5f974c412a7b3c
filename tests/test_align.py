"""Claim alignment inside a story: the score of a unit against the story's mentions."""

from __future__ import annotations

import pytest

from claimledger.align import (
    ACTOR_FACTOR,
    NEGATION_FACTOR,
    NUMBER_FACTOR,
    AlignedMention,
    StoryIndex,
    assign,
    person_terms,
)
from claimledger.similarity import weighted_dice

WEIGHTS = {"@putin": 3.0, "@kim": 3.0, "sign": 1.0, "pact": 2.0, "defense": 2.0, "#2": 1.0, "#3": 1.0}


def weight(t: str) -> float:
    return WEIGHTS.get(t, 1.5)


def one_mention(terms: str, polarity: str = "positive", article: str = "a1") -> StoryIndex:
    index = StoryIndex()
    index.add(AlignedMention("c1", article, frozenset(terms.split()), polarity, "statement"))
    return index


@pytest.mark.parametrize(
    ("unit", "mention", "polarity", "factor"),
    [
        ("@putin @kim sign pact", "@putin @kim sign defense pact", "positive", 1.0),
        ("@putin sign pact", "@kim sign pact treaty", "positive", 1.0),
        ("@putin @kim sign pact", "@putin @kim sign pact", "negative", NEGATION_FACTOR),
        ("@putin sign #2 pact", "@putin sign #3 pact", "positive", NUMBER_FACTOR),
        ("@putin sign #2 pact", "@putin sign #2 #3 pact", "positive", 1.0),
    ],
)
def test_score_is_weighted_dice_times_its_factors(unit: str, mention: str, polarity: str, factor: float) -> None:
    index = one_mention(mention, polarity)
    got = index.candidates(frozenset(unit.split()), "positive", "a2", weight, threshold=0.0)
    assert got == {"c1": pytest.approx(factor * weighted_dice(unit.split(), mention.split(), weight))}


@pytest.mark.parametrize(
    ("unit_actors", "mention_actors", "factor"),
    [
        ({"@reggie bush"}, {"@pierre thomas"}, ACTOR_FACTOR),  # both name someone, no one in common
        ({"@reggie bush"}, {"@reggie bush"}, 1.0),
        ({"@reggie bush", "@sean payton"}, {"@sean payton"}, 1.0),
        (set(), {"@pierre thomas"}, 1.0),  # a sentence that names no one says nothing of who
        ({"@reggie bush"}, set(), 1.0),
    ],
)
def test_different_people_lower_the_score(unit_actors: set[str], mention_actors: set[str], factor: float) -> None:
    unit, mention = "@saints place injured reserve", "@saints place injured reserve knee"
    index = StoryIndex()
    index.add(AlignedMention("c1", "a1", frozenset(mention.split()) | mention_actors, "positive", "statement",
                             actors=frozenset(mention_actors)))
    got = index.candidates(frozenset(unit.split()) | unit_actors, "positive", "a2", weight, threshold=0.0,
                           actors=frozenset(unit_actors))
    dice = weighted_dice(set(unit.split()) | unit_actors, set(mention.split()) | mention_actors, weight)
    assert got == {"c1": pytest.approx(factor * dice)}


def test_person_terms_are_the_keys_of_people_only() -> None:
    pairs = [("reggie bush", "PERSON"), ("new orleans saints", "ORG"), ("bush", "GPE"), ("bush", "PERSON")]
    assert person_terms(pairs) == {"@reggie bush", "@bush"}


@pytest.mark.parametrize(
    ("unit", "mention", "article", "expected"),
    [
        ("@putin pact", "@putin @kim sign pact", "a2", {"c1"}),  # two shared terms: a candidate
        ("@putin visit", "@putin @kim sign pact", "a2", set()),  # one shared term is coincidence
        ("@putin @kim sign pact", "@putin @kim sign pact", "a1", set()),  # its own article
        ("@kim defense", "@putin @kim sign pact", "a2", set()),  # shares one term only
        ("@putin @kim deny", "@putin @kim sign pact", "a2", set()),  # the same actors, nothing said alike
        ("@putin #2 deny", "@putin #2 sign pact", "a2", set()),  # a name and a number are not a content word
        ("@putin @kim pact", "@putin @kim sign pact", "a2", {"c1"}),  # actors and one content word
    ],
)
def test_candidates_need_evidence_from_another_article(unit: str, mention: str, article: str, expected: set[str]) -> None:
    got = one_mention(mention).candidates(frozenset(unit.split()), "positive", article, weight, threshold=0.0)
    assert set(got) == expected


def test_mention_weights_cached_per_article_give_the_same_scores() -> None:
    index = one_mention("@putin @kim sign defense pact")
    mass: dict[int, float] = {}
    units = ["@putin @kim sign pact", "@kim sign defense"]
    fresh = [index.candidates(frozenset(u.split()), "positive", "a2", weight, threshold=0.0) for u in units]
    cached = [index.candidates(frozenset(u.split()), "positive", "a2", weight, threshold=0.0, mass=mass) for u in units]
    assert fresh == cached
    assert mass == {0: pytest.approx(11.0)}


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ([{"c1": 0.9}, {"c1": 0.8}], [[("c1", 0.9)], []]),  # a claim takes one sentence of an article
        ([{"c1": 0.9, "c2": 0.8}, {"c2": 0.5}], [[("c1", 0.9), ("c2", 0.8)], []]),  # close second claim
        ([{"c1": 0.9, "c2": 0.5}, {"c2": 0.5}], [[("c1", 0.9)], [("c2", 0.5)]]),  # weak second: left to the other
        ([{}, {"c3": 0.41}], [[], [("c3", 0.41)]]),
    ],
)
def test_assign_gives_each_claim_one_unit(candidates: list[dict[str, float]], expected: list) -> None:
    assert assign(candidates) == expected


@pytest.mark.parametrize(
    ("unit_kind", "mention_kind", "expected"),
    [
        ("statement", "statement", {"c1"}),
        ("adjunct", "statement", {"c1"}),  # a circumstance may meet the fact it names
        ("adjunct", "adjunct", {"c1"}),
        ("statement", "adjunct", set()),  # a sentence is not drawn to another outlet's circumstance
    ],
)
def test_only_adjuncts_join_an_adjunct(unit_kind: str, mention_kind: str, expected: set[str]) -> None:
    index = StoryIndex()
    index.add(AlignedMention("c1", "a1", frozenset("@putin visit @north_korea".split()), "positive", mention_kind))
    got = index.candidates(frozenset("@putin visit @north_korea".split()), "positive", "a2", weight,
                           threshold=0.0, kind=unit_kind)
    assert set(got) == expected


@pytest.mark.parametrize(
    ("candidates", "late", "expected"),
    [
        # the adjunct scores higher, but its sentence chooses first
        ([{"c1": 0.5}, {"c1": 0.9}], [False, True], [[("c1", 0.5)], []]),
        ([{"c1": 0.5}, {"c1": 0.9}], [False, False], [[], [("c1", 0.9)]]),
        ([{"c1": 0.5}, {"c2": 0.9}], [False, True], [[("c1", 0.5)], [("c2", 0.9)]]),
    ],
)
def test_late_units_choose_after_the_others(candidates: list[dict[str, float]], late: list[bool],
                                            expected: list) -> None:
    assert assign(candidates, late) == expected
