"""Story signatures: which terms an article brings to story grouping."""

from __future__ import annotations

import pytest

from claimledger.models import Article, ArticleRecords, DateMention, Entity
from claimledger.stories import article_terms, signature


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
    assert sig["@lindsay lohan"] > sig["D:2013-05-02"]  # who outweighs one date
