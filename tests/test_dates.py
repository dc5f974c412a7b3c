"""Date expressions: (text, publication date, expected ISO value, granularity)."""

import pytest

from claimledger.extract.dates import resolve

DATES = [
    ("June 19, 2024", None, "2024-06-19", "day"),
    ("19 June 2024", None, "2024-06-19", "day"),
    ("2024-06-19", None, "2024-06-19", "day"),
    ("2022", None, "2022", "year"),
    ("September", "2024-06-19", "2023-09", "month"),
    ("September", None, None, "month"),
    ("Wednesday", None, None, "day"),  # no anchor: stays unresolved rather than guessed
    ("Wednesday", "2024-06-19", "2024-06-19", "day"),  # the anchor is itself a Wednesday
    ("Tuesday", "2024-06-19", "2024-06-18", "day"),
    ("Thursday", "2024-06-19", "2024-06-13", "day"),
    ("yesterday", "2024-06-19", "2024-06-18", "day"),
    ("today", "2025-03-28", "2025-03-28", "day"),
    ("24 years", "2024-06-19", None, "relative"),
    ("this week", "2024-06-19", None, "relative"),
    ("February 30, 2024", None, None, "unknown"),
]


@pytest.mark.parametrize(("text", "published", "value", "granularity"), DATES)
def test_resolve(text: str, published: str | None, value: str | None, granularity: str) -> None:
    assert resolve(text, published) == (value, granularity)
