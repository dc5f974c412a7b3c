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


# (sentence, publication day, the date's text, its value, the act it dates): the verb's tense says
# which way a weekday or a month-day without a year points, and an act to come is not one done
IN_CONTEXT = [
    ("Obama will meet with Sanders in Washington on Thursday.", "2016-06-07", "Thursday", "2016-06-09", "will meet"),
    ("Sanders met with President Obama on Thursday.", "2016-06-10", "Thursday", "2016-06-09", "meet"),
    ("The senator plans to hold a rally on Thursday.", "2016-06-07", "Thursday", "2016-06-09", "will hold"),
    ("He said he would compete in next Tuesday's primary.", "2016-06-07", "next Tuesday's", "2016-06-14", None),
    ("The Times published the interview Sunday.", "2016-07-13", "Sunday", "2016-07-10", "publish"),
    ("Congress will vote on the bill on March 3.", "2019-12-20", "March 3", "2020-03-03", "will vote"),
    ("Congress voted on the bill on March 3.", "2019-12-20", "March 3", "2019-03-03", "vote"),
    ("Democrats will still be able to use his promise to vote against the next bill on Feb. 8.", "2018-01-22",
     "Feb. 8", "2018-02-08", "will vote"),
    # a tense that points neither way: the nearest such month
    ("She will stand apart from the administration coming in January.", "2016-11-30", "January", "2017-01", None),
    ("The new administration takes office in January.", "2016-11-30", "January", "2017-01", None),
    ("The administration took office in January.", "2016-11-30", "January", "2016-01", None),
]


@pytest.mark.parametrize(("sentence", "published", "text", "value", "slot"), IN_CONTEXT)
def test_dates_in_context_resolve_with_the_tense_and_name_their_act(
        nlp, sentence: str, published: str, text: str, value: str, slot: str | None) -> None:
    from claimledger.extract.claims import extract
    from claimledger.extract.reader import make_article

    art = make_article(f"Headline\n\n{sentence}\n", name="x", source="x", path=None, meta={"published": published})
    dates = [d for d in extract(nlp(art.text), art).dates if text in d.text or d.text in text]
    assert [d.value for d in dates] == [value]
    if slot is not None:
        assert dates[0].slot == slot
