"""Claim alignment inside a story: the same-fact features, the placement and its three answers."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from claimledger.build import ingest
from claimledger.extract.claims import extract
from claimledger.extract.reader import make_article
from claimledger.group.align import AlignedMention, Maybe, StoryIndex, Target, align_batch
from claimledger.group.samefact import FEATURES, Side, char_grams, pair_matrix, rarity, side_of
from claimledger.records import ClaimUnit, DateMention, compared_terms, context_terms
from claimledger.store.ledger import Ledger

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def side(text: str, terms: str = "", kind: str = "statement", polarity: str = "positive") -> Side:
    return Side(text, frozenset((terms or text.lower()).split()), kind, polarity)


def feature(a: Side, b: Side, name: str) -> float:
    return float(pair_matrix([a], [b])[0, 0, FEATURES.index(name)])


@pytest.mark.parametrize(
    ("a", "b", "name", "expected"),
    [
        # spelling variants share their 4-grams though not their terms
        (side("a fund-raiser in Texas", "fund-raiser @texas"), side("a fundraiser in Texas", "fundraiser @texas"),
         "grams", 1.0),
        (side("a fund-raiser", "fund-raiser"), side("a fundraiser", "fundraiser"), "wdice", 0.0),
        # both name people, none in common: another person's deed
        (side("Smith died", "@smith die"), side("Jones died", "@jones die"), "name_conflict", 1.0),
        (side("Smith died", "@smith die"), side("Smith and Jones died", "@smith @jones die"), "name_conflict", 0.0),
        # numbers in common, or numbers that differ
        (side("14 injured", "#14 injure"), side("14 people injured", "#14 people injure"), "numbers_shared", 1.0),
        (side("14 injured", "#14 injure"), side("19 injured", "#19 injure"), "numbers_conflict", 1.0),
        (side("it passed", "pass", polarity="negative"), side("it passed", "pass"), "polarity_differs", 1.0),
        (side("x", "a", kind="quote"), side("y", "a", kind="quote"), "both_quotes", 1.0),
        (side("x", "a", kind="quote"), side("y", "a"), "one_quote", 1.0),
        # the shorter side wholly inside the longer one
        (side("vote end shutdown"), side("senate vote end shutdown monday deal"), "cover_small", 1.0),
    ],
)
def test_pair_features(a: Side, b: Side, name: str, expected: float) -> None:
    assert feature(a, b, name) == pytest.approx(expected)


def test_rare_words_weigh_more_than_common_ones() -> None:
    assert rarity("shutdown") > rarity("house") > rarity("the")
    assert rarity("@anyone") > rarity("shutdown")


@pytest.mark.parametrize(("a", "b"), [
    ("Fund-Raiser", "fundraiser"), ("Tex.", "Texas"), ("ab", "abc"), ("", "x"),
    ("Über naïve 2019 plan", "uber naive 2019 plan"), ("zzzz 9999", "9999 zzzz"),
])
def test_gram_ids_count_what_char_grams_share(a: str, b: str) -> None:
    from claimledger.group.samefact import _gram_ids

    ga, gb = _gram_ids(a), _gram_ids(b)
    assert len(ga) == len(char_grams(a)) and len(gb) == len(char_grams(b))
    assert len(np.intersect1d(ga, gb)) == len(char_grams(a) & char_grams(b))


def test_char_grams_ignore_punctuation_and_case() -> None:
    assert char_grams("Fund-Raiser") == char_grams("fundraiser")


def test_ranks_mark_the_best_candidate_each_way() -> None:
    a = [side("senate vote end shutdown")]
    b = [side("senate vote end shutdown"), side("senate recess"), side("weather cold")]
    x = pair_matrix(a, b)
    assert x[0, :, FEATURES.index("best_both_ways")].tolist() == [1.0, 0.0, 0.0]
    assert x[0, :, FEATURES.index("best_one_way")].tolist() == [1.0, 1.0, 1.0]  # a is every b's best
    assert x[0, 0, FEATURES.index("margin_low")] > 0 > x[0, 1, FEATURES.index("margin_low")]


def test_position_features_read_where_each_unit_stands() -> None:
    a = [side("senate vote"), side("democrats cave"), side("weather cold")]
    b = [side("senate vote"), side("weather cold")]
    x = pair_matrix(a, b)
    gap, low, high = (x[:, :, FEATURES.index(n)] for n in ("position_gap", "early_low", "early_high"))
    assert gap.tolist() == [[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]  # first and last of each article: like places
    assert low[2, 1] == pytest.approx(np.log1p(1)) and high[2, 1] == pytest.approx(np.log1p(2))
    assert low[0, 0] == high[0, 0] == 0.0


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([("2019-01-04", "day")], ["#2019-01-04"]),
        ([("2019-01", "month"), ("2019-01", "month")], ["#2019-01"]),  # once
        ([("2019", "year"), (None, "relative"), (None, "day")], []),  # a bare year or an unresolved date says little
    ],
)
def test_dates_are_compared_as_terms(dates: list[tuple[str | None, str]], expected: list[str]) -> None:
    unit = ClaimUnit(start=0, end=20, text="It met on Friday", canonical="It met on Friday", terms=["meet"],
                     dates=[DateMention(start=10, end=16, text="Friday", value=v, granularity=g)  # type: ignore[arg-type]
                            for v, g in dates])
    assert context_terms(unit) == expected
    assert compared_terms(unit) == ["meet", *expected]
    assert side_of(unit).terms == frozenset(["meet", *expected])


@pytest.mark.parametrize(
    ("terms", "speakers", "expected"),
    [
        (["wall", "build"], ["donald trump"], ["@donald trump"]),  # "'We will build the wall,' he said"
        (["@donald trump", "wall"], ["donald trump"], []),  # named in its words already
        (["wall"], ["donald trump", "mike pence", "donald trump"], ["@donald trump", "@mike pence"]),
    ],
)
def test_speakers_are_compared_as_names(terms: list[str], speakers: list[str], expected: list[str]) -> None:
    unit = ClaimUnit(start=0, end=9, text="x", canonical="x", terms=terms, speakers=speakers, kind="quote")
    assert context_terms(unit) == expected


def test_a_quotation_names_its_speaker_in_its_unit(nlp: Language) -> None:
    art = make_article('Headline\n\nDonald Trump spoke on Monday. "We will build the wall," he said.\n',
                       name="t", source="t", path=None)
    quote = next(u for u in extract(nlp(art.text), art).units if u.kind == "quote")
    assert quote.speakers == ["donald trump"]
    assert "@donald trump" in compared_terms(quote) and "@donald trump" not in quote.terms


def test_two_dates_of_one_act_read_as_shared_or_conflicting_numbers() -> None:
    a = side("met friday", "meet #2019-01-04")
    assert feature(a, side("met jan 4", "meet #2019-01-04"), "numbers_shared") == 1.0
    assert feature(a, side("met jan 5", "meet #2019-01-05"), "numbers_conflict") == 1.0


def test_a_pair_reads_the_same_whichever_article_comes_first() -> None:
    a = [side("senate vote end shutdown"), side("democrats cave")]
    b = [side("senate vote end shutdown monday"), side("liberal groups angry"), side("democrats cave pressure")]
    assert np.allclose(pair_matrix(a, b), pair_matrix(b, a).transpose(1, 0, 2))


class TableModel:
    """A stand-in for the fitted model: a pair's probability from a table of text pairs; an
    article states a unit's fact with the unit's best pair probability."""

    asserts, maybe = 0.6, 0.3

    def __init__(self, table: dict[tuple[str, str], float]) -> None:
        self.table = {**table, **{(b, a): p for (a, b), p in table.items()}}

    def compare(self, a: Sequence[Side], b: Sequence[Side]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        probs = np.array([[self.table.get((x.text, y.text), 0.0) for y in b] for x in a]).reshape(len(a), len(b))
        return probs, probs.max(axis=1) if len(b) else np.zeros(len(a)), probs.max(axis=0) if len(a) else np.zeros(len(b))

    def compare_many(self, a: Sequence[Side], bs: Sequence[Sequence[Side]]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return [self.compare(a, b) for b in bs]


Unit = tuple[str, str]  # article, text
Stored = tuple[str, str, str]  # claim, article, text


def place(units: list[Unit], table: dict[tuple[str, str], float],
          stored: list[Stored] | None = None) -> tuple[list[list[tuple[Target, float]]], list[tuple[Target, str, str]]]:
    index = StoryIndex()
    starts: dict[str, int] = {}
    texts: dict[tuple[str, int], str] = {}
    for claim, article, text in stored or []:
        start = starts.get(article, 0)
        index.add(AlignedMention(claim, article, side(text), start, start + len(text)))
        texts[(article, start)] = text
        starts[article] = start + len(text) + 1
    batch = []
    for article, text in units:
        start = starts.get(article, 0)
        batch.append(AlignedMention("", article, side(text), start, start + len(text)))
        texts[(article, start)] = text
        starts[article] = start + len(text) + 1
    placed, maybes = align_batch(index, batch, TableModel(table))
    return ([[(c, round(s, 3)) for c, s in joins] for joins in placed],
            sorted(((m.claim, m.article_id, texts[(m.article_id, m.start)]) for m in maybes if m.status == "maybe"),
                   key=str))


@pytest.mark.parametrize(
    ("units", "table", "stored", "expected", "maybes"),
    [
        # one fact in two articles: the first unit founds the claim, the other joins it
        ([("a1", "signed pact"), ("a2", "pact signed")], {("signed pact", "pact signed"): 0.9}, [],
         [[(0, 0.9)], [(0, 0.9)]], []),
        # not sure: each keeps its claim and each article may state the other's, at that unit
        ([("a1", "signed pact"), ("a2", "deal agreed")], {("signed pact", "deal agreed"): 0.4}, [],
         [[], []], [(0, "a2", "deal agreed"), (1, "a1", "signed pact")]),
        # unlikely: two claims, each omitted by the other article
        ([("a1", "signed pact"), ("a2", "it rained")], {("signed pact", "it rained"): 0.1}, [],
         [[], []], []),
        # a claim takes one unit of an article: the closer one
        ([("a1", "signed pact"), ("a1", "pact was signed"), ("a2", "pact signed")],
         {("signed pact", "pact signed"): 0.9, ("pact was signed", "pact signed"): 0.8}, [],
         [[(0, 0.9)], [], [(0, 0.9)]], []),
        # two pairs linked by one loose pair: two claims, not one chained claim
        ([("a1", "A"), ("a2", "A2"), ("a3", "B"), ("a4", "B2")],
         {("A", "A2"): 0.95, ("B", "B2"): 0.95, ("A2", "B"): 0.65}, [],
         [[(0, 0.95)], [(0, 0.95)], [(2, 0.95)], [(2, 0.95)]], []),
        # a stored claim is joined by its id
        ([("a1", "signed pact")], {("signed pact", "pact signed"): 0.9}, [("c1", "s1", "pact signed")],
         [[("c1", 0.9)]], []),
        # a stored claim the new article may state: a maybe mention at its unit
        ([("a1", "deal agreed")], {("deal agreed", "pact signed"): 0.45}, [("c1", "s1", "pact signed")],
         [[]], [("c1", "a1", "deal agreed"), (0, "s1", "pact signed")]),
    ],
)
def test_align_batch(units: list[Unit], table: dict, stored: list[Stored], expected: list, maybes: list) -> None:
    placed, maybe = place(units, table, stored)
    assert placed == expected
    assert maybe == maybes


def test_a_confident_link_the_placement_cannot_make_is_still_an_assertion() -> None:
    # a2's one unit states a1's two facts: it joins the first, and asserts the second as well
    index = StoryIndex()
    batch = [AlignedMention("", "a1", side("signed pact"), 0, 11), AlignedMention("", "a1", side("held talks"), 12, 22),
             AlignedMention("", "a2", side("signed pact after talks"), 0, 23)]
    table = {("signed pact", "signed pact after talks"): 0.9, ("held talks", "signed pact after talks"): 0.7}
    placed, maybes = align_batch(index, batch, TableModel(table))
    assert placed[0] == placed[2] == [(0, 0.9)]
    assert Maybe(1, "a2", 0, 23, 0.7, "asserts") in maybes


def claims_in(db: Path) -> set[frozenset[tuple[str, int, int, str]]]:
    """A ledger's claims as sets of (article hash, start, end, status): comparable across ledgers."""
    groups: dict[str, set[tuple[str, int, int, str]]] = {}
    with sqlite3.connect(db) as con:
        for claim, sha, start, end, status in con.execute(
                "SELECT m.claim_id, a.sha256, m.start_char, m.end_char, m.status FROM mentions m "
                "JOIN articles a ON a.id = m.article_id"):
            groups.setdefault(claim, set()).add((sha, start, end, status))
    return {frozenset(g) for g in groups.values()}


def test_seed_claims_do_not_hang_on_the_order_of_the_files(nlp, tmp_path: Path) -> None:
    files = sorted(str(p) for p in RAW.iterdir())
    got = []
    for k, order in enumerate([files, files[::-1], files[2:] + files[:2]]):
        with Ledger(tmp_path / f"{k}.db") as ledger:
            ingest(order, ledger, nlp)
        got.append(claims_in(tmp_path / f"{k}.db"))
    assert got[0] == got[1] == got[2]
    assert len(got[0]) < sum(len(c) for c in got[0])  # some claim is told by several outlets


def test_the_id_tables_start_over_between_stories_without_changing_a_comparison(monkeypatch) -> None:
    from claimledger.group import samefact

    a = [samefact.Side("Flynn pleaded guilty to lying to the FBI.", frozenset({"@flynn", "plead", "guilty", "lie", "@fbi"}))]
    b = [samefact.Side("Michael Flynn admitted lying to the F.B.I.", frozenset({"@flynn", "admit", "lie", "@fbi"}))]
    before = samefact.pair_matrix(a, b)
    monkeypatch.setattr(samefact, "MAX_IDS", 0)
    old = samefact._IDS
    samefact.trim_caches()
    assert samefact._IDS is not old and not samefact._IDS.terms
    assert (samefact.pair_matrix(a, b) == before).all()
    assert samefact._IDS.terms  # the new tables filled again


@pytest.mark.parametrize(("a", "b", "same"), [
    ("some good & some bad", "some good and some bad", True),  # a tweet's ampersand
    ("If they [Democrats] don't pass this bill", "If they don't pass this bill", True),  # an editor's insertion
    ("I don't think that's okay", "I don't think that's OK", True),
    ("“We Will win,”", '"we will WIN"', True),  # quote marks and case
    ("I don't think that's okay", "I don't think it's OK", False),  # a real rewording
    ("as long as it takes", "as long as it took", False),
])
def test_quote_wordings_fold_spelling_not_words(a: str, b: str, same: bool) -> None:
    from claimledger.records import fold_wording

    assert (fold_wording(a) == fold_wording(b)) is same


@pytest.mark.parametrize(("a", "b", "same"), [
    # one outlet begins earlier, the other runs on: two windows onto one utterance
    ("Congress will defend our constitutional authorities.",
     "defend our constitutional authorities in the Congress, in the Courts, and in the public", True),
    ("that's the one thing you don't do is engage in a land war in Afghanistan",
     "you don't do is engage in a land war in Afghanistan, alright, because everyone who's tried has failed", True),
    # an ellipsis skips words
    ("However, we would be remiss … if we did not challenge your continuing misuse of Catholic teaching",
     "We would be remiss in our duty to you and our students if we did not challenge your continuing misuse of "
     "Catholic teaching", True),
    # within what both quote, the words differ: a rewording, not a window
    ("and we'll win in the Supreme Court", "and we'll win at the Supreme Court just like the ban", False),
    ("Your actions are incompatible with your duty as chairman", "Your actions are incompatible with your duties as "
     "chairman", False),
    # too little shared to say
    ("we have an invasion of drugs", "an invasion of our country", False),
])
def test_excerpts_of_one_utterance_agree(a: str, b: str, same: bool) -> None:
    from claimledger.group.align import one_utterance
    from claimledger.records import fold_wording

    assert one_utterance(fold_wording(a), fold_wording(b)) is same


@pytest.mark.parametrize(("a", "b", "rewords"), [
    ("It is really a breakthrough document,", "truly a breakthrough.", True),  # one rare word shared
    ("as long as it takes", "Could be a long time, or it could be quickly", False),  # one common word
    ("We're asking the president to open the government", "We are asking the president to open up government", True),
    ("gross abuse of the power of the presidency", "a power grab by a disappointed president", False),
    ("disgraceful", "I thought her comments were disgraceful", False),  # a cut of the same quote, not a rewording
])
def test_a_rewording_shares_rare_words(a: str, b: str, rewords: bool) -> None:
    from claimledger.group.align import reworded_of
    from claimledger.records import fold_wording

    assert (reworded_of(fold_wording(a), [fold_wording(b)]) is not None) is rewords


def test_an_article_compared_with_several_at_once_reads_as_with_each_alone() -> None:
    from claimledger.group import samefact

    a = [side("senate vote end shutdown", "senate vote end shutdown @senate"), side("democrats cave pressure")]
    others = [
        [side("senate vote end shutdown monday"), side("liberal groups angry"), side("democrats cave")],
        [],
        [side("house passes bill #2019-01-25", "house pass bill #2019-01-25 @house")],
        [side("democrats cave"), side("wall funding fight", "wall fund fight"), side("senate vote")],
    ]
    together = samefact.pair_matrices(a, others)
    model = samefact.default_model()
    compared = model.compare_many(a, others)
    for b, x, (probs, cov_a, cov_b) in zip(others, together, compared, strict=True):
        alone = samefact.pair_matrix(a, b)
        assert x.shape == alone.shape == (len(a), len(b), len(samefact.FEATURES))
        assert np.allclose(x, alone)
        p, ca, cb = model.compare(a, b)
        assert np.allclose(probs, p) and np.allclose(cov_a, ca) and np.allclose(cov_b, cb)
