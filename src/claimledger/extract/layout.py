"""Mark the parts of an article that are not reporting: headline, section labels, date lines,
bylines, subheads and page furniture ("Cover photo: ...", "Read more: ...").

The text is never changed; regions are character ranges with a role, so offsets stay exact.
Claims come from headline, subhead and body regions only.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator

from claimledger.extract.dates import resolve
from claimledger.records import Region, RegionRole
from claimledger.resources import lines

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_DATE_LINE = re.compile(
    r"^\s*(?:date|published|updated|posted)\s*:?\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:]+Z?)?\s*",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^\s*(?:https?\s*:\s*/\s*/|www\s*\.\s*\w)", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_IN_LINE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"  # December 15th, 2008 / Sat Nov 12 2011
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b"  # 26 September 2013
    rf"|\b{_MONTH},?\s+\d{{4}}\b"  # May 2013
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}\b",  # 05 / 02 / 07 (month first)
    re.IGNORECASE,
)
# words a date line may carry besides the date: weekdays, times, zones, "posted", "updated", ...
_DATE_LINE_WORDS = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:am|pm|a\.m|p\.m|hrs|gmt|bst|utc|ist|edt|est|pdt|pst|cet|et|pt)\b"
    r"|\b(?:posted|published|updated|first|last|on|at|date|time)\b|\d+(?:st|nd|rd|th)?|[^\w\s]",
    re.IGNORECASE,
)
# a day in an address: /2013/03/11/, 2007-04-09, "2013 - 03 - 11" (spaced copies), ymd=20081216
_URL_DAY = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*([/_-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)"
    r"|(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)"
)
_NUMERIC_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
# markup left in a text (an embedded tweet: <tweet id=... author=...>, </blockquote>): not text
_OPEN_TAG = re.compile(r"^(?:<[a-zA-Z][\w-]*(?:\s[^<>]*)?>\s*)+")
_CLOSE_TAG = re.compile(r"(?:\s*</[a-zA-Z][\w-]*>)+\s*$")
# an interview transcript's speaker label: "MR. SMITH:", "CHRIS WALLACE:", "Q:" at a line's start
_SPEAKER_LABEL = re.compile(r"^(?:[A-Z][A-Z.'-]*\s){0,3}[A-Z][A-Z.'-]*:\s+(?=\S)")
_BYLINE = re.compile(r"^\s*by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*,.*)?\s*$")


@functools.cache
def _boilerplate() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in lines("boilerplate.txt"))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding white space."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            yield start, start + len(stripped)
        pos += len(raw)


def _words(s: str) -> int:
    return len(s.split())


def date_line(line: str) -> str | None:
    """The date written in a dateline ("Sat Nov 12 2011, 01: 19 hrs", "Published April 11, 2007",
    "Reuters Sep 18, 2013, 02. 16PM IST"): a short line that is a date and little else."""
    if _words(line) > 16:
        return None
    m = _DATE_IN_LINE.search(line)
    if not m:
        return None
    rest = _DATE_LINE_WORDS.sub(" ", line[: m.start()] + " " + line[m.end() :])
    rest = re.sub(r"\b" + _MONTH + r"\b", " ", rest, flags=re.IGNORECASE)
    return m.group(0) if len(rest.split()) <= 2 else None


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def url_day(line: str) -> str | None:
    """The day a news address carries ("/2013/03/11/", "2007-04-09", "ymd=20081216"), ISO; most
    outlets put the publication day in the path, and for articles with no date line it is the
    only anchor their "on Tuesday" has."""
    for m in _URL_DAY.finditer(line):
        if m[1]:
            day = _day(int(m[1]), int(m[3]), int(m[4]))
        else:
            day = _day(int(m[5]), int(m[6]), int(m[7]))
        if day:
            return day
    return None


def numeric_day(written: str) -> str | None:
    """A date line's all-number date ("12 / 16 / 08", "4/9/2007"), ISO: month first, as in the US
    datelines that write it so, unless the first number cannot be a month ("26/09/2013")."""
    m = _NUMERIC_DAY.match(re.sub(r"\s+", "", written))
    if not m:
        return None
    a, b, y = int(m[1]), int(m[2]), int(m[3])
    year = y + (2000 if y < 70 else 1900) if len(m[3]) == 2 else y
    return _day(year, a, b) if a <= 12 else _day(year, b, a)


def find_regions(text: str) -> tuple[list[Region], str | None]:
    """Split ``text`` into role-tagged regions; also return the publication day (ISO) that a date
    line gives, or failing one, the article's address (``url_day``)."""
    regions: list[Region] = []
    published: str | None = None
    from_url: str | None = None  # a date line, when there is one, says it better
    spans = list(_lines(text))

    def add(start: int, end: int, role: RegionRole) -> None:
        if end > start:
            regions.append(Region(start=start, end=end, text=text[start:end], role=role))

    seen_content = False
    for i, (start, end) in enumerate(spans):
        line = text[start:end]
        for pattern in (_OPEN_TAG, _SPEAKER_LABEL):  # markup and labels before the words
            m = pattern.match(line)
            if m:
                add(start, start + m.end(), "metadata")
                start += m.end()
                line = text[start:end]
        m = _CLOSE_TAG.search(line)
        if m:
            add(start + m.start(), end, "metadata")
            end = start + m.start()
            line = text[start:end]
        if not line.strip():
            continue
        m = _DATE_LINE.match(line)
        if m:
            published = published or m.group(1)
            add(start, start + m.end(), "metadata")
            start += m.end()
            line = text[start:end]
            if not line.strip():
                continue
        if _URL_LINE.match(line):
            from_url = from_url or url_day(line)
            add(start, end, "metadata")
            continue
        written = date_line(line) if i < 6 or i >= len(spans) - 2 else None
        if written:
            if published is None:
                value, gran = resolve(re.sub(r"\s*/\s*", "/", written), None)
                published = value if value and gran == "day" else numeric_day(written)
            add(start, end, "metadata")
            continue
        if any(p.search(line) for p in _boilerplate()):
            add(start, end, "boilerplate")
            continue
        if _BYLINE.match(line) and _words(line) <= 8:
            add(start, end, "metadata")
            continue
        ends_sentence = bool(_SENTENCE_END.search(line))
        more_follow = i + 1 < len(spans)
        if not seen_content:
            next_line = text[spans[i + 1][0]:spans[i + 1][1]] if more_follow else ""
            if more_follow and _words(line) <= 3 and not ends_sentence and not any(
                c in line for c in ',:"“'
            ) and not _SENTENCE_END.search(next_line):
                add(start, end, "metadata")  # a section label such as "Defense"
                continue
            seen_content = True
            if more_follow and not ends_sentence and _words(line) <= 25:
                add(start, end, "headline")
                continue
        elif more_follow and not ends_sentence and _words(line) <= 10 and ":" not in line[-1:]:
            add(start, end, "subhead")
            continue
        add(start, end, "body")
    regions.sort(key=lambda r: r.start)  # a closing tag is marked before the words it closes
    return regions, published or from_url
