"""Mark the parts of an article that are not reporting: headline, section labels, date lines,
bylines, subheads and page furniture ("Cover photo: ...", "Read more: ...").

The text is never changed; regions are character ranges with a role, so offsets stay exact.
Claims come from headline, subhead and body regions only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .models import Region, RegionRole
from .resources import lines

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_DATE_LINE = re.compile(
    r"^\s*(?:date|published|updated|posted)\s*:?\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:]+Z?)?\s*",
    re.IGNORECASE,
)
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


def find_regions(text: str) -> tuple[list[Region], str | None]:
    """Split ``text`` into role-tagged regions; also return an ISO date found in a date line."""
    regions: list[Region] = []
    published: str | None = None
    spans = list(_lines(text))

    def add(start: int, end: int, role: RegionRole) -> None:
        if end > start:
            regions.append(Region(start=start, end=end, text=text[start:end], role=role))

    seen_content = False
    for i, (start, end) in enumerate(spans):
        line = text[start:end]
        m = _DATE_LINE.match(line)
        if m:
            published = published or m.group(1)
            add(start, start + m.end(), "metadata")
            start += m.end()
            line = text[start:end]
            if not line.strip():
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
    return regions, published
