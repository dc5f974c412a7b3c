"""Date expressions with an ISO value, a granularity and the anchor used to resolve them.

Only the article's publication date anchors relative expressions ("Wednesday", "yesterday");
with no anchor they stay unresolved rather than guessed. The tense of the verb a date governs
says which way it points: a weekday resolves to the latest such day on or before the anchor
(news reports the past; "on Wednesday" written on a Wednesday is that day), or, for a future
act ("will meet on Thursday", "plans to vote Friday", "next Tuesday"), to the first on or
after it. Absolute dates ("June 19, 2024", "2024-06-19", "2022") need no anchor; a month or
day without a year is the nearest one on the tense's side of the anchor, or, when the tense
points neither way ("the administration coming in January"), the nearest one.

Each date also names its *slot*: the lemma of the verb it dates ("publish" for "published
Sunday"; "will vote" for an act to come), so that two outlets' dates are compared only when they
date the same act.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.records import DateMention
from claimledger.resources import table

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
RELATIVE = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")


def _anchor(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo"}  # "wo" is "won't" as the parser splits it
TENSE_REACH = 5  # words above a date's verb to look for the tense of a verb that has none
FUTURE_VERBS = {"plan", "schedule", "slate", "set", "expect", "intend", "aim", "hope", "prepare", "due"}


def synonym(lemma: str) -> str:
    """A verb's lemma with synonyms folded (``models/synonyms.tsv``: "tell" -> "say"), so an
    act is one slot however outlets word it."""
    return table("synonyms.tsv").get(lemma, lemma).lower()


def governing_verb(span: SpacySpan) -> Token | None:
    """The nearest verb above a span in the parse (outside it): the act a date or number belongs to."""
    inside = {t.i for t in span}
    root = min(span, key=lambda t: len(list(t.ancestors)))
    for pos in ("VERB", "AUX"):
        for a in root.ancestors:
            if a.pos_ == pos and a.i not in inside:
                return a
    return None


def is_future(verb: Token | None, span: SpacySpan | None = None) -> bool:
    """Does the act point forward: "will meet", "is going to vote", "plans to hold", "next week"?"""
    if span is not None and any(t.lower_ in {"next", "coming", "upcoming"} for t in span):
        return True
    # the verb, then the words it hangs from up to the first that has a tense of its own ("will
    # still be able to use his promise to vote on Feb. 8": "vote" has none, "be" takes "will")
    chain = [verb, *(list(verb.ancestors)[:TENSE_REACH] if verb is not None else [])]
    for n, v in enumerate(chain):
        if v is None:
            continue
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in FUTURE_AUX for c in v.children):
            return True
        if v.lemma_.lower() in FUTURE_VERBS:
            return True
        if v.lower_ == "going" and any(c.dep_ == "xcomp" for c in v.children):
            return True
        finite = v.tag_ in {"VBD", "VBZ", "VBP", "MD"} or any(c.dep_ in {"aux", "auxpass"} and c.lower_ != "to" for c in v.children)
        if n >= 2 and (finite or v.dep_ in {"ccomp", "parataxis"}):
            break  # a clause with a tense of its own, or someone's reported words, decides for itself
    return False


def is_past(verb: Token | None) -> bool:
    """Does the verb's tense put the act before the publication day ("voted", "had met", "was
    held")?"""
    if verb is None:
        return False
    if verb.tag_ == "VBD":
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in verb.children)


def resolve(expr: str, published: str | None, future: bool = False, nearest: bool = False) -> tuple[str | None, str]:
    """(ISO value or None, granularity) for one date expression; ``future``: the act it dates
    lies ahead of the publication day (``is_future``); ``nearest``: the tense says neither way
    ("the administration coming in January"), so a month or day without a year is the one
    nearest the publication day."""
    low = expr.lower()
    anchor = _anchor(published)
    m = _ISO.search(low)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), "day"
        except ValueError:
            return None, "unknown"
    words = re.findall(r"[a-z]+", low)
    month = next((MONTHS[w] for w in words if w in MONTHS and w != "may" or (w == "may" and len(words) <= 3)), None)
    ym = _YEAR.search(low)
    year = int(ym[1]) if ym else None
    rest = _YEAR.sub(" ", low)
    dm = _DAY.search(rest)
    day = int(dm[1]) if dm and month else None
    if month:
        if year is None and anchor is not None:
            if nearest and not future:
                def gap(y: int) -> int:
                    try:
                        return abs((dt.date(y, month, day or 15) - anchor).days)
                    except ValueError:
                        return 10**6
                year = min((anchor.year - 1, anchor.year, anchor.year + 1), key=gap)
            elif future:
                year = anchor.year if (month, day or 31) >= (anchor.month, anchor.day) else anchor.year + 1
            else:
                year = anchor.year if (month, day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
        if year is None:
            return None, "day" if day else "month"
        if day:
            try:
                return dt.date(year, month, day).isoformat(), "day"
            except ValueError:
                return None, "unknown"
        return f"{year:04d}-{month:02d}", "month"
    if year is not None and len(words) <= 2:
        return f"{year:04d}", "year"
    for w in words:
        if w in WEEKDAYS:
            if anchor is None:
                return None, "day"
            if future:
                ahead = (WEEKDAYS[w] - anchor.weekday()) % 7 or (7 if "next" in words else 0)
                return (anchor + dt.timedelta(days=ahead)).isoformat(), "day"
            back = (anchor.weekday() - WEEKDAYS[w]) % 7 or (7 if "last" in words else 0)
            return (anchor - dt.timedelta(days=back)).isoformat(), "day"
        if w in RELATIVE:
            if anchor is None:
                return None, "day"
            return (anchor + dt.timedelta(days=RELATIVE[w])).isoformat(), "day"
    return None, "relative"


def extract_dates(doc: Doc, published: str | None) -> list[DateMention]:
    """Every DATE entity of the doc, resolved against the publication date."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        verb = governing_verb(ent)
        future = is_future(verb, ent)
        value, gran = resolve(ent.text, published, future, nearest=not future and not is_past(verb))
        out.append(DateMention(
            start=ent.start_char, end=ent.end_char, text=ent.text, value=value,
            granularity=gran,  # type: ignore[arg-type]
            anchor=published if value and gran in {"day", "month"} and not _YEAR.search(ent.text) else None,
            # an act to come is another act than one done ("voted Friday" / "to vote on Feb. 8")
            slot=(("will " if future else "") + synonym(verb.lemma_.lower())) if verb is not None else None,
        ))
    return out
