"""Pydantic records that flow from the reader through extraction into the ledger.

Every record that points into an article carries character offsets into ``Article.text``
(the text exactly as read), so each claim traces back to the words that made it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

RegionRole = Literal["headline", "subhead", "body", "metadata", "boilerplate"]


def content_id(*parts: str, length: int = 16) -> str:
    """A stable id from content, so re-ingesting the same text yields the same ids."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:length]


class Span(BaseModel):
    """A stretch of an article's text: [start, end) in characters, and the text itself."""

    start: int
    end: int
    text: str


class Region(Span):
    """A part of the article with a role; claims come only from headline, subhead and body."""

    role: RegionRole


class Article(BaseModel):
    """One article as read: the text is kept verbatim, metadata beside it."""

    text: str
    source: str
    path: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    url: str | None = None
    story: str | None = None  # forced story name (``--story``), else grouped automatically
    regions: list[Region] = Field(default_factory=list)

    @property
    def sha256(self) -> str:
        cached: str | None = self.__dict__.get("_sha256")
        if cached is None:
            cached = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
            self.__dict__["_sha256"] = cached
        return cached

    @property
    def id(self) -> str:
        """Content hash of the text: the same text is the same article, whatever its path."""
        return self.sha256[:16]


class Entity(Span):
    """A named entity mention with its canonical key (shared across articles) and display name."""

    label: str
    key: str
    name: str


class DateMention(Span):
    """A date expression; ``value`` is ISO (YYYY, YYYY-MM or YYYY-MM-DD) when it can be resolved."""

    value: str | None = None
    granularity: Literal["day", "month", "year", "relative", "unknown"] = "unknown"
    anchor: str | None = None  # the publication date used to resolve it, if any
    slot: str | None = None  # the act it dates: its governing verb's lemma ("publish" for "published Sunday")


class NumberMention(Span):
    """A number, amount or quantity with a normalised value string and, when the text says it, what
    it counts (``measure``: "people", "point", "euro", "percent"), so that only numbers of one
    measure are compared."""

    label: str
    value: str
    measure: str | None = None
    slot: str | None = None  # the act it counts in: its governing verb's lemma ("make" for "made 47 arrests")


class Quote(Span):
    """A direct quotation: span of the quoted words; speaker as a canonical name when known."""

    speaker: str | None = None
    speaker_key: str | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    cue_span: Span | None = None
    attribution: str | None = None  # "according to Reuters", "per the AP", ...


ADJUNCT_KIND = "adjunct"  # a circumstance unit; 0.1 ledgers hold them, extraction makes none since 0.2
EVENT_KIND = "event"  # the kind of a story's event claim: its central happening (group/events.py)


class ClaimUnit(Span):
    """One statement an article makes (a clause, or a quotation with its attribution).

    ``terms`` is the canonical bag of content words and entity keys that alignment compares;
    ``polarity`` is negative when the clause is negated ("does not rule out").
    """

    kind: Literal["statement", "quote", "adjunct"] = "statement"
    role: RegionRole = "body"
    canonical: str
    terms: list[str]
    polarity: Literal["positive", "negative"] = "positive"
    entity_keys: list[str] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    numbers: list[NumberMention] = Field(default_factory=list)
    quotes: list[int] = Field(default_factory=list)  # indexes into ArticleRecords.quotes
    attribution: str | None = None
    # who a clause split off its sentence is about, named in ``canonical`` ("Flynn" for "who
    # pleaded guilty"); None when the unit names its own subject
    actor: str | None = None
    # how many of ``terms`` come first from a fronted phrase that sets the scene ("Despite the
    # grandeur of the ceremony, details ... were not made public"): alignment compares the rest
    scene: int = 0
    # entity keys of the people its quotations are attributed to ("he said" included), in order
    speakers: list[str] = Field(default_factory=list)
    # float16 unit vector (claims.unit_vector); base64 in JSON, so records shipped between
    # machines align exactly as those made in process
    vector: bytes | None = Field(default=None, repr=False)

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")


TERM_SEP = "\t"  # an entity term holds spaces ("@mark felt"), never a tab


def pack_terms(terms: list[str]) -> str:
    """A unit's terms as stored in ``mentions.terms``: tab-separated, so names stay whole."""
    return TERM_SEP.join(terms)


def unpack_terms(stored: str) -> list[str]:
    """Inverse of ``pack_terms``. Rows from before m007 were space-separated; m007 rewrites them."""
    return stored.split(TERM_SEP) if TERM_SEP in stored else stored.split()


def context_terms(unit: ClaimUnit) -> list[str]:
    """What alignment compares beyond a unit's own words:

    - its dates resolved to a day or a month ("#2019-01-04"): two outlets that date one act alike
      say the same thing, though "Friday" and "Jan. 4" share no word; counted with numbers, so
      two different dates read as a conflict;
    - the people its quotations are attributed to ("@donald trump"): "'...,' he said" names
      nobody in its words, and one person's words are not another's.
    """
    out: list[str] = []
    terms = [*("#" + d.value for d in unit.dates if d.value and d.granularity in {"day", "month"}),
             *("@" + k for k in unit.speakers)]
    for term in terms:
        if term not in out and term not in unit.terms:
            out.append(term)
    return out


def compared_terms(unit: ClaimUnit) -> list[str]:
    """The terms alignment compares for a unit: all of them but its scene (``ClaimUnit.scene``),
    and its dates and speakers (``context_terms``)."""
    return unit.terms[unit.scene:] + context_terms(unit)


class ArticleRecords(BaseModel):
    """Everything extraction finds in one article: the pure output of ``extract``."""

    article: Article
    entities: list[Entity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    units: list[ClaimUnit] = Field(default_factory=list)
    word_count: int = 0


class Mention(BaseModel):
    """Where one article asserts a ledger claim, or may state it in other words (``status``): a
    row of ``mentions``, with its source's name."""

    id: int
    claim_id: str
    article_id: str
    source: str
    start_char: int
    end_char: int
    text: str
    kind: str
    role: str
    polarity: str
    attribution: str | None = None
    score: float | None = None  # the same-fact model's probability that joined it (None: it founded the claim)
    status: Literal["asserts", "maybe"] = "asserts"


class Claim(BaseModel):
    """A ledger claim: one statement merged across outlets, with who asserts and who omits it."""

    id: str
    story_id: str
    kind: str  # statement, quote, adjunct, or event (the story's central happening, events.py)
    canonical: str
    speaker: str | None = None
    polarity: str
    asserts: list[str] = Field(default_factory=list)
    maybe: list[str] = Field(default_factory=list)  # outlets that may state it in other words
    omits: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class Placement(NamedTuple):
    """One mention to write: ``unit`` asserts ``claim_id`` (a claim it starts when ``new``).

    ``score`` is the probability that joined it (None for a claim's first mention); ``kind`` the
    claim's kind when it is not the unit's own (``EVENT_KIND``).
    """

    unit: ClaimUnit
    claim_id: str
    new: bool
    score: float | None
    kind: str | None = None


class StoredMention(NamedTuple):
    """An asserted mention of a fact claim as the ledger gives it back to alignment."""

    claim_id: str
    article_id: str
    text: str
    terms: frozenset[str]  # compared terms and scene terms together
    polarity: str
    kind: str
    role: str
    vector: bytes | None
    start: int
    end: int


# how a claim stores the value of a variant (kind, value, the quotations it holds already):
# (the value itself or another one it is the same as, the known quotation it rewords if any),
# or None when it is not compared there
VariantValue = Callable[[str, str, list[str]], "tuple[str, str | None] | None"]


def new_claim_id(story_id: str, article_id: str, unit: ClaimUnit) -> str:
    """The id of the claim a unit founds: a hash of where it stands."""
    return content_id("claim", story_id, article_id, str(unit.start), str(unit.end))


ELISION = "…"  # kept in a folded wording where the outlet left words out


def fold_wording(text: str) -> str:
    """Quote wording for comparison: case, quote marks, punctuation and spacing folded; an
    editor's insertion in square brackets dropped ("if they [Democrats] don't" is the speaker's
    "if they don't"); "&" is "and" and "okay" is "ok" (a tweet's and a transcript's spelling of one
    word is no rewording); an ellipsis inside the quotation stays, as "…": words left out."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = re.sub(r"\[[^\]]*\]", " ", t).replace("&", " and ")
    t = re.sub(r"\.{3,}", f" {ELISION} ", t)  # NFKC wrote "…" as "..."
    t = "".join(c if c.isalnum() or c.isspace() or c == ELISION else " " for c in t)
    words = ["ok" if w == "okay" else w for w in t.split()]
    while words and words[0] == ELISION:
        words.pop(0)
    while words and words[-1] == ELISION:
        words.pop()
    return " ".join(words)
