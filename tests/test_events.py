"""A story's event claim: the lead profile, the units chosen from each article, the ledger rows."""

from __future__ import annotations

import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from claimledger.group.events import DEFAULT, LeadProfile, event_units, lead_terms
from claimledger.records import ClaimUnit
from claimledger.store.ledger import Ledger

EVENT_FACT_ARTICLES, PER_ARTICLE, THRESHOLD = DEFAULT.fact_articles, DEFAULT.per_article, DEFAULT.threshold


def unit(terms: str, role: str = "body") -> ClaimUnit:
    return ClaimUnit(start=0, end=1, text="x", canonical="x", role=role, terms=terms.split())  # type: ignore[arg-type]


def weight(term: str) -> float:
    return 1.0


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        # the first three units, numbers left out: outlets differ on them
        (["@reid check rehab", "@reid #33 actress", "@people tell", "@promises malibu"],
         {"@reid", "check", "rehab", "actress", "@people", "tell"}),
        # a headline counts wherever it stands
        (["a b", "c d", "e f", "g h"], {"a", "b", "c", "d", "e", "f"}),
    ],
)
def test_lead_terms(units: list[str], expected: set[str]) -> None:
    assert lead_terms([unit(u) for u in units]) == expected


def test_lead_terms_take_a_late_headline() -> None:
    units = [unit("a b"), unit("c d"), unit("e f"), unit("g h", role="headline")]
    assert lead_terms(units) == {"a", "b", "c", "d", "e", "f", "g", "h"}


@pytest.mark.parametrize(
    ("leads", "lead", "expected"),
    [
        ([], {"a", "b"}, {"a": 1.0, "b": 1.0}),  # a story's first article defines its event alone
        ([{"a", "b"}], {"a", "c"}, {"a": 1.0}),  # from two articles on, a term must lead in two
        ([{"a", "b"}, {"a", "b"}, {"a", "c"}], None, {"a": 1.0, "b": 2 / 3}),  # share of articles
        ([{"a", "b"}, {"a", "b"}], set(), {"a": 2 / 3, "b": 2 / 3}),  # an article with no lead still counts
    ],
)
def test_profile_weights(leads: list[set[str]], lead: set[str] | None, expected: dict[str, float]) -> None:
    prof = LeadProfile()
    for terms in leads:
        prof.add(terms)
    assert prof.weights(weight, lead) == pytest.approx(expected)


def test_profile_loaded_from_counts_knows_its_frequent_terms() -> None:
    built = _profile("a b", "a c", "a b d")
    loaded = LeadProfile(counts=dict(built.counts), articles=built.articles)
    assert loaded.frequent == built.frequent == {"a", "b"}
    assert loaded.weights(weight, {"c"}) == built.weights(weight, {"c"})


def _profile(*leads: str) -> LeadProfile:
    prof = LeadProfile()
    for lead in leads:
        prof.add(lead.split())
    return prof


@pytest.mark.parametrize(
    ("written", "later", "lead"),
    [
        ([], ["a b", "a c"], {"a", "d"}),  # a batch's first article weighs the batch's other leads
        (["a b"], ["b c"], {"c"}),  # a term leading once stored and once later reaches two
        (["a b", "a b"], [], {"b"}),
        ([], [], {"a"}),
    ],
)
def test_leads_still_to_be_written_count_as_written_ones(written: list[str], later: list[str],
                                                          lead: set[str]) -> None:
    got = _profile(*written).weights(weight, lead, ahead=_profile(*later))
    assert got == pytest.approx(_profile(*written, *later).weights(weight, lead))


def test_remove_takes_back_add() -> None:
    prof = _profile("a b", "a c")
    prof.add(["a", "c", "d"])
    prof.remove(["a", "c", "d"])
    assert (prof.counts, prof.articles, prof.frequent) == ({"a": 2, "b": 1, "c": 1}, 2, {"a"})


@pytest.mark.parametrize(
    ("story_leads", "article", "expected"),
    [
        # the two sentences stating the check-in join; the one about the actress's film does not
        (["@reid check rehab @promises", "@reid rehab @promises enter"],
         ["@reid check rehab", "@reid enter @promises rehab", "film @american_pie star"], [1, 0]),
        # at most PER_ARTICLE, best first
        (["a b c d", "a b c d"], ["a b c d", "a b c", "a b c d e", "a b"], [0, 2, 1]),
        # news states its event first: the lede before a later recap that holds a little more
        (["a b c d", "a b c d"], ["a b c", "x1 y1", "x2 y2", "x3 y3", "x4 y4", "x5 y5", "a b c d"], [0, 6]),
        # nothing in common with what the story leads with: no event sentence
        (["a b c d", "a b c d"], ["x y z", "w v u"], []),
    ],
)
def test_event_units(story_leads: list[str], article: list[str], expected: list[int]) -> None:
    got = event_units([unit(u) for u in article], _profile(*story_leads), weight)
    assert [i for i, _ in got] == expected
    assert len(got) <= PER_ARTICLE and all(score >= THRESHOLD for _, score in got)


def test_event_claim_of_the_seed_story(seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as con:
        claims = con.execute("select id, story_id from claims where kind = 'event'").fetchall()
        assert len(claims) == 1
        rows = con.execute(
            "select s.name, m.text from mentions m join sources s on s.id = m.source_id where m.claim_id = ?",
            (claims[0][0],)).fetchall()
        variants = con.execute("select count(*) from variants where claim_id = ?", (claims[0][0],)).fetchone()[0]
    by_source: dict[str, list[str]] = {}
    for source, text in rows:
        by_source.setdefault(source, []).append(text)
    assert len(by_source) == 5
    assert any("signed a mutual defense agreement" in t for t in by_source["Summit Report"])
    assert variants == 0  # dates and numbers are compared in the fact claims, not across the event's sentences


def test_event_claim_is_closed_over_fact_alignment(seed_db: Path, tmp_path: Path) -> None:
    """Every sentence of a fact that two articles state among their event sentences is an event
    sentence too (a sentence that only may state it is not); the seed story has such facts, and
    closing it again adds nothing."""
    with sqlite3.connect(seed_db) as con:
        event, story = con.execute("select id, story_id from claims where kind = 'event'").fetchone()
        spans = set(con.execute("select article_id, start_char, end_char from mentions where claim_id = ?", (event,)))
        rows = con.execute("select m.claim_id, m.article_id, m.start_char, m.end_char, m.kind from mentions m "
                           "join claims c on c.id = m.claim_id where c.kind != 'event' and m.status = 'asserts'").fetchall()
    facts: dict[str, list[tuple[tuple[str, int, int], str]]] = defaultdict(list)
    for claim, article, start, end, kind in rows:
        facts[claim].append(((article, start, end), kind))
    closed = [ms for ms in facts.values() if len({span[0] for span, _ in ms if span in spans}) >= EVENT_FACT_ARTICLES]
    assert len(closed) >= 2
    assert all(span in spans for ms in closed for span, kind in ms if kind != "adjunct")
    db = tmp_path / "copy.db"
    shutil.copy(seed_db, db)
    with Ledger(db) as ledger:
        assert ledger.close_event(story, event, EVENT_FACT_ARTICLES) == 0


def test_adjuncts_are_neither_lead_nor_event() -> None:
    adj = unit("visit @dprk")
    adj.kind = "adjunct"
    units = [unit("a b"), adj, unit("c d"), unit("e f"), unit("g h")]
    assert lead_terms(units) == {"a", "b", "c", "d", "e", "f"}
    got = event_units(units, _profile("visit @dprk", "visit @dprk"), weight)
    assert got == []
