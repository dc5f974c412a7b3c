"""Story signatures: which terms an article brings to story grouping."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from claimledger.group.stories import (
    DEFAULT,
    Clusterer,
    article_terms,
    clash,
    leader,
    name_terms,
    protagonist,
    signature,
)
from claimledger.records import Article, ArticleRecords, ClaimUnit, DateMention, Entity
from claimledger.settings import StorySettings

THRESHOLD, STORED_COST = DEFAULT.threshold, DEFAULT.stored_cost


def record(dates: list[tuple[str, str]]) -> ArticleRecords:
    text = "Lindsay Lohan checked into rehab."
    return ArticleRecords(
        article=Article(text=text, source="test"),
        entities=[Entity(start=0, end=13, text="Lindsay Lohan", label="PERSON", key="lindsay lohan", name="Lindsay Lohan")],
        dates=[DateMention(start=0, end=1, text="x", value=v, granularity=g) for v, g in dates],  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([("2013-05-02", "day")], {"D:2013-05-02", "D:2013-05"}),  # a day also counts for its month
        ([("2013-05-02", "day"), ("2013-05-03", "day")], {"D:2013-05-02", "D:2013-05-03", "D:2013-05"}),
        ([("2013-05", "month")], {"D:2013-05"}),
        ([("2013", "year"), (None, "relative")], set()),  # too coarse or unresolved: no anchor
    ],
)
def test_date_terms(dates: list[tuple[str, str]], expected: set[str]) -> None:
    rec = record(dates)
    assert {t for t in signature(rec) if t.startswith("D:")} == expected
    assert {t for t in article_terms(rec) if t.startswith("D:")} == expected


def test_two_days_of_one_month_weigh_the_month_up() -> None:
    sig = signature(record([("2013-05-02", "day"), ("2013-05-03", "day")]))
    assert sig["D:2013-05"] > sig["D:2013-05-02"] == sig["D:2013-05-03"]
    assert sig["@lohan"] > sig["D:2013-05-02"]  # who outweighs one date


@pytest.mark.parametrize(
    ("key", "label", "expected"),
    [
        ("banstead, surrey", "GPE", ["@banstead", "@surrey"]),  # meets "Banstead" and "Surrey" alone
        ("surrey police", "ORG", ["@surrey", "@police"]),
        ("bank of england", "ORG", ["@bank", "@england"]),  # function words are no names
        ("mark felt", "PERSON", ["@felt", "@mark felt"]),  # "Mark" alone is shared by strangers
        ("lohan", "PERSON", ["@lohan"]),
        ("7-eleven", "ORG", ["@eleven"]),
        ("4", "ORG", ["@4"]),  # no word at all: the key itself
    ],
)
def test_name_terms(key: str, label: str, expected: list[str]) -> None:
    assert name_terms(key, label) == expected


def test_a_name_the_model_missed_in_one_sentence_counts_as_that_name() -> None:
    text = "Fire destroyed a Waitrose store. Waitrose staff were evacuated."
    rec = ArticleRecords(
        article=Article(text=text, source="test"),
        entities=[Entity(start=17, end=25, text="Waitrose", label="ORG", key="waitrose", name="Waitrose")],
        units=[ClaimUnit(start=0, end=32, text=text[:32], canonical=text[:32], terms=["fire", "destroy", "@waitrose", "store"]),
               ClaimUnit(start=33, end=63, text=text[33:], canonical=text[33:], terms=["waitrose", "staff", "evacuate"])],
    )
    sig = signature(rec)
    assert "waitrose" not in sig and "@waitrose" in sig
    assert {"@waitrose", "waitrose", "staff"} <= article_terms(rec)


def test_an_adjunct_adds_nothing_to_the_signature() -> None:
    text = "Staff left after the fire alarm."
    sentence = ClaimUnit(start=0, end=32, text=text, canonical=text, terms=["staff", "leave", "fire", "alarm"])
    adjunct = ClaimUnit(start=11, end=31, text=text[11:31], canonical=text[11:31], terms=["fire", "alarm"],
                        kind="adjunct")
    alone = ArticleRecords(article=Article(text=text, source="test"), units=[sentence])
    both = ArticleRecords(article=Article(text=text, source="test"), units=[sentence, adjunct])
    assert signature(both) == signature(alone)


class _OneStoredStory:
    """A ledger holding one story, for the Clusterer (the StoryStore protocol)."""

    centroid = {"b": 1.0, "c": 1.0, "d": 1.0, "e": 1.0}

    def n_articles(self) -> int:
        return 100

    def df(self, term: str) -> int:
        return 2  # the stored story's article and the new one

    def stories_with_terms(self, terms: Iterable[str], limit: int = 200) -> set[str]:
        return {"stored"} if set(terms) & set(self.centroid) else set()

    def story_centroid(self, story_id: str, limit: int = -1) -> Mapping[str, float]:
        return self.centroid

    def story_dates(self, story_id: str) -> tuple[str, str] | None:
        return None

    def story_protagonists(self, story_id: str) -> Mapping[str, int]:
        return {}


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (["b", "c", "d", "x"], "stored"),  # cosine 0.75
        (["b", "x1", "x2", "x3", "x4", "x5"], "new"),  # cosine 0.20: above THRESHOLD, below it + STORED_COST
        (["x1", "x2"], "new"),
    ],
)
def test_an_article_alone_joins_a_stored_story_only_by_a_margin(terms: list[str], expected: str) -> None:
    assert THRESHOLD < 0.2 < THRESHOLD + STORED_COST
    assert Clusterer(_OneStoredStory()).assign([dict.fromkeys(terms, 1.0)], ["new"], [None]) == [expected]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (["reggie bush"] * 3 + ["pierre thomas"] * 3, [0, 0, 0, 3, 3, 3]),
        ([None] * 6, [0] * 6),  # no protagonists: the shared terms glue the two events early
        (["reggie bush"] * 3 + ["bush"] * 3, [0] * 6),  # one man named two ways
        (["reggie bush", "pierre thomas"] * 3, [0] * 6),  # nobody leads: no clash
    ],
)
def test_articles_about_someone_else_start_a_story_of_their_own(people: list[str | None], expected: list[int]) -> None:
    sigs = [{"saints": 1.0, "injured": 1.0, "reserve": 1.0, "back": 1.0, "@bush": 1.0}] * 3 + \
           [{"saints": 1.0, "injured": 1.0, "reserve": 1.0, "back": 1.0, "@thomas": 1.0}] * 3
    ids = [f"s{i}" for i in range(6)]
    where = Clusterer(_OneStoredStory()).assign(sigs, ids, [None] * 6, people)
    assert where == [ids[i] for i in expected]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"reggie bush": 12, "pierre thomas": 2}, {"pierre thomas": 10, "chris ivory": 1}, True),
        ({"reggie bush": 1}, {"pierre thomas": 3}, True),  # one article against a story of three
        ({"reggie bush": 1}, {"pierre thomas": 2}, False),  # too few articles to lead anyone
        ({"reggie bush": 5, "pierre thomas": 2}, {"pierre thomas": 5}, False),  # Thomas leads 2 of 7 on a
        ({"reggie bush": 3, "sean payton": 2}, {"pierre thomas": 5}, False),  # a led by no one: 3 of 5
        ({"jerry ortiz": 5}, {"deputy ortiz": 3}, False),  # one man, two names
        ({"anthony lacalamita iii": 2, "anthony lacalamita": 2}, {"pierre thomas": 4}, True),  # one man leads 4 of 4
        ({"john smith": 4}, {"john doe": 4}, True),  # a first name in common is not one person
        ({"tara reid": 6}, {"tara reid": 4, "lindsay lohan": 1}, False),
        ({}, {"pierre thomas": 5}, False),
    ],
)
def test_clash(a: dict[str, int], b: dict[str, int], expected: bool) -> None:
    assert clash(a, b) is expected
    assert clash(b, a) is expected


def test_the_protagonist_is_a_person_named_in_full_and_by_surname_that_weighs_most() -> None:
    text = "Pierre Thomas was placed on injured reserve. Thomas joins Reggie Bush. Bush and Sean Payton agree."
    ents = [("Pierre Thomas", 0, "pierre thomas"), ("Thomas", 45, "pierre thomas"), ("Reggie Bush", 58, "reggie bush"),
            ("Bush", 71, "reggie bush"), ("Sean Payton", 80, "sean payton")]
    rec = ArticleRecords(
        article=Article(text=text, source="test"),
        entities=[Entity(start=s, end=s + len(t), text=t, label="PERSON", key=k, name=t) for t, s, k in ents],
    )
    assert protagonist(rec, {"@pierre thomas": 2.0, "@reggie bush": 1.0, "@sean payton": 3.0}) == "pierre thomas"
    assert protagonist(rec, {"@pierre thomas": 1.0, "@reggie bush": 1.0}) == "pierre thomas"  # ties: by key
    assert protagonist(rec, {"@sean payton": 3.0}) is None  # named in full only, never "Payton"
    assert protagonist(rec, {}) is None


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ({"anthony lacalamita": 3, "anthony lacalamita iii": 2}, "lacalamita"),  # one man, two keys
        ({"reggie bush": 4, "pierre thomas": 1}, "bush"),
        ({"reggie bush": 3, "pierre thomas": 2}, None),  # 3 of 5: nobody leads
        ({"reggie bush": 1}, None),  # one article leads nothing
        ({}, None),
    ],
)
def test_leader(people: dict[str, int], expected: str | None) -> None:
    assert leader(people) == expected


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (["anthony lacalamita"] * 2 + ["anthony lacalamita iii"] * 2, [0, 0, 0, 0]),  # one leader: merged
        ([None] * 4, [0, 0, 2, 2]),  # no leader: too far apart to merge
        (["anthony lacalamita"] * 2 + ["eric kirkpatrick"] * 2, [0, 0, 2, 2]),
    ],
)
def test_groups_led_by_one_person_merge_at_a_lower_bar(people: list[str | None], expected: list[int]) -> None:
    # two pairs of articles sharing 3 of their 9 terms: cosine 0.33, below the seed and merge bars
    a = dict.fromkeys(["s1", "s2", "s3", "a1", "a2", "a3", "a4", "a5", "a6"], 1.0)
    b = dict.fromkeys(["s1", "s2", "s3", "b1", "b2", "b3", "b4", "b5", "b6"], 1.0)
    ids = [f"s{i}" for i in range(4)]
    where = Clusterer(_OneStoredStory()).assign([a, a, b, b], ids, [None] * 4, people)
    assert where == [ids[i] for i in expected]


class _Pooled(_OneStoredStory):
    """No stored story; document frequencies of the batch itself."""

    def __init__(self, sigs: list[dict[str, float]]) -> None:
        self.counts: dict[str, int] = {}
        for sig in sigs:
            for t in sig:
                self.counts[t] = self.counts.get(t, 0) + 1

    def df(self, term: str) -> int:
        return self.counts.get(term, 0)

    def stories_with_terms(self, terms: Iterable[str], limit: int = 200) -> set[str]:
        return set()


def test_an_article_whose_rarest_names_are_its_own_still_finds_its_story() -> None:
    # its heaviest terms are names no other article has: candidates come through the shared ones
    shared = {"@schumer": 1.0, "@senate": 1.0, "vote": 1.0, "shutdown": 1.0}
    own = {f"@senator{i}": 1.5 for i in range(12)}
    other = {"@pelosi": 1.0, "@house": 1.0, "budget": 1.0, "wall": 1.0}
    sigs = [shared | {"deal": 1.0}, shared | {"liberal": 1.0}, shared | own, other, other | {"x": 1.0}]
    where = Clusterer(_Pooled(sigs)).assign(sigs, ["a", "b", "c", "d", "e"], [None] * 5)
    assert where[2] == where[0] == where[1] and where[3] == where[4] != where[0]


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2019-01-03", "near"),  # the same words a day away and six weeks away: the near story
        ("2019-02-14", "far"),
        (None, None),  # no date: nothing to prefer
    ],
)
def test_of_two_stories_alike_the_one_published_nearer_wins(published: str | None, expected: str | None) -> None:
    shared = {"@trump": 1.0, "wall": 1.0, "@border": 1.0, "emergency": 1.0, "shutdown": 1.0}
    near = [shared | {"meeting": 2.0, "@pelosi": 2.0, "deal": 2.0}] * 2
    far = [shared | {"declare": 2.0, "@mexico": 2.0, "funding": 2.0}] * 2
    new = shared | {"meeting": 1.0, "declare": 1.0}  # as close to one as to the other
    sigs = [*near, *far, new]
    days = ["2019-01-02", "2019-01-04", "2019-02-15", "2019-02-15", published]
    settings = StorySettings(merge_threshold=0.99)  # keep the two stories apart whatever the new article does
    where = Clusterer(_Pooled(sigs), settings).assign(sigs, ["n1", "n2", "f1", "f2", "x"], days)
    assert where[0] == where[1] != where[2] == where[3]
    if expected == "near":
        assert where[4] == where[0]
    elif expected == "far":
        assert where[4] == where[2]
