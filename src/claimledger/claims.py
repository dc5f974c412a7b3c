"""From a parsed article to its records: entities, dates, quotes and claim units.

``extract(doc, article)`` is a pure function (no ledger, no global state beyond the read-only
lexicons), so it can run in worker processes or on another engine and its output merged later.

A claim unit is one statement: a sentence, split at a trailing relative, adverbial or
coordinated clause that carries a statement of its own ("..., who offered his full support"),
plus each long quotation inside a longer sentence. Its ``terms`` are what alignment compares:
canonical entity keys, and the lemmas of content words folded through ``models/synonyms.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .dates import extract_dates
from .entities import entities_by_token, resolve_entities
from .models import (
    Article,
    ArticleRecords,
    ClaimUnit,
    DateMention,
    Entity,
    NumberMention,
    Quote,
    Region,
)
from .quotes import attribute_quotes
from .resources import table

CLAIM_ROLES = {"headline", "subhead", "body"}
CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN", "NUM"}
NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
SKIP_ENT_LABELS = {"DATE", "TIME", "ORDINAL"}
# reporting and light verbs: how a thing was said, not what was said
GENERIC = {"say", "tell", "add", "report", "note", "state", "announce", "accord", "describe", "call", "term",
           "remark", "comment", "be", "have", "do", "get", "make", "go", "also", "would", "could", "will",
           "may", "can"}
SPLIT_DEPS = {"relcl", "advcl", "conj"}
MIN_PIECE = 4  # alphabetic tokens in each piece of a split sentence
MIN_QUOTE_UNIT = 6  # words in a quotation that makes a unit of its own
WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def synonym(lemma: str) -> str:
    return table("synonyms.tsv").get(lemma, lemma).lower()


def number_value(text: str) -> str:
    """Normalise a number expression: digits without separators, number words as digits."""
    low = text.lower().replace(",", "")
    low = re.sub(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", lambda m: WORD_NUMBERS[m[1]], low)
    return " ".join(low.split())


def _alpha(tokens: SpacySpan | list[Token]) -> int:
    return sum(1 for t in tokens if t.is_alpha)


def _clip(doc: Doc, sent: SpacySpan, region: Region) -> SpacySpan | None:
    s = max(sent.start_char, region.start)
    e = min(sent.end_char, region.end)
    span = doc.char_span(s, e, alignment_mode="contract")
    if span is None or len(span) == 0:
        return None
    # trim white space and leading/trailing punctuation-only tokens other than quote marks
    a, b = span.start, span.end
    while a < b and doc[a].is_space:
        a += 1
    while b > a and doc[b - 1].is_space:
        b -= 1
    return doc[a:b] if b > a else None


def split_clauses(span: SpacySpan) -> list[SpacySpan]:
    """Split a sentence at trailing clauses that state something of their own."""
    doc = span.doc
    last = span.end
    while last > span.start and (doc[last - 1].is_punct or doc[last - 1].is_space):
        last -= 1
    cuts: list[int] = []
    for t in span:
        if t.dep_ not in SPLIT_DEPS or t.pos_ not in {"VERB", "AUX"}:
            continue
        left, right = t.left_edge.i, t.right_edge.i + 1
        if right < last or left <= span.start:
            continue
        cut = left
        while cut > span.start and (doc[cut - 1].is_punct or doc[cut - 1].dep_ == "cc") and doc[cut - 1].text not in {'"', "“", "”"}:
            cut -= 1
        if t.dep_ == "conj" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children):
            continue  # "signed and ratified": one statement
        if _alpha(doc[span.start:cut]) >= MIN_PIECE and _alpha(doc[cut:span.end]) >= MIN_PIECE:
            cuts.append(cut)
    pieces = []
    start = span.start
    for cut in sorted(set(cuts)):
        if _alpha(doc[start:cut]) >= MIN_PIECE and _alpha(doc[cut:span.end]) >= MIN_PIECE:
            pieces.append(doc[start:cut])
            start = cut
    pieces.append(doc[start:span.end])
    return [_trim(p) for p in pieces]


def _trim(span: SpacySpan) -> SpacySpan:
    """Drop the joining comma or conjunction a split leaves at a piece's edges."""
    doc = span.doc
    a, b = span.start, span.end
    while a < b - 1 and (doc[a].dep_ == "cc" or doc[a].is_space or (doc[a].is_punct and doc[a].text not in {'"', "“"})):
        a += 1
    while b > a + 1 and (doc[b - 1].is_space or doc[b - 1].text in {",", ";", "-", "—", "–"}):
        b -= 1
    return doc[a:b]


class _Context:
    """Per-article lookups shared by every unit."""

    def __init__(self, doc: Doc, entities: list[Entity], dates: list[DateMention], quotes: list[Quote]):
        self.doc = doc
        self.ent_at = entities_by_token(doc, entities)
        self.dates = dates
        self.quotes = quotes
        self.numbers = [NumberMention(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_,
                                      value=number_value(ent.text)) for ent in doc.ents if ent.label_ in NUMBER_LABELS]
        self.quoted: set[int] = set()
        for q in quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                self.quoted.update(range(span.start, span.end))


def _terms(tokens: SpacySpan, ctx: _Context) -> tuple[list[str], list[str]]:
    terms: list[str] = []
    keys: list[str] = []
    for t in tokens:
        ent = ctx.ent_at.get(t.i)
        if ent is not None:
            key = "@" + ent.key
            if key not in terms:
                terms.append(key)
                keys.append(ent.key)
            continue
        if t.ent_type_ in SKIP_ENT_LABELS or t.is_stop or t.is_punct or t.is_space:
            continue
        if t.pos_ not in CONTENT_POS and t.dep_ != "neg" and not (t.pos_ == "ADV" and t.i in ctx.quoted):
            continue  # adverbs count inside quotations: "truly a breakthrough" is the quote
        if t.like_num or t.ent_type_ in NUMBER_LABELS:
            terms.append("#" + number_value(t.text))
            continue
        lemma = t.lemma_.lower()
        if not lemma.isalpha() and "-" not in lemma:
            continue
        if lemma in GENERIC:
            continue
        terms.append(synonym(lemma))
    return terms, keys


def unit_vector(tokens: SpacySpan) -> bytes | None:
    """Mean of the pipeline's contextual token vectors (``doc.tensor``) over the content words,
    scaled to unit length, as float16 bytes: a cheap meaning signal that sees past different words
    for one idea. None when the pipeline keeps no tensor."""
    doc = tokens.doc
    tensor = getattr(doc, "tensor", None)
    if tensor is None or not getattr(tensor, "size", 0) or tensor.shape[0] != len(doc):
        return None
    idx = [t.i for t in tokens if not (t.is_punct or t.is_stop or t.is_space)] or [t.i for t in tokens]
    v = tensor[idx].mean(axis=0)
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float16).tobytes() if norm else None


def _numbers(tokens: SpacySpan, ctx: _Context) -> list[NumberMention]:
    s, e = tokens.start_char, tokens.end_char
    return [n for n in ctx.numbers if s <= n.start and n.end <= e]


def _attribution(tokens: SpacySpan, ctx: _Context) -> str | None:
    """Where a reported claim comes from: "according to Reuters", "per the AP", "X reported"."""
    doc = tokens.doc
    for t in tokens:
        obj: Token | None = None
        if t.lower_ == "according" and t.i + 1 < tokens.end and doc[t.i + 1].lower_ == "to":
            obj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
        elif t.lower_ == "per" and t.dep_ == "prep":
            obj = next((c for c in t.children if c.dep_ == "pobj"), None)
        elif t.lemma_ == "report" and t.pos_ == "VERB":
            obj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if obj is None:
            continue
        ent = ctx.ent_at.get(obj.i) or next((ctx.ent_at[x.i] for x in obj.subtree if x.i in ctx.ent_at), None)
        if ent is not None and ent.label in {"ORG", "PERSON", "NORP", "GPE"}:
            return ent.name
        if t.lemma_ == "report":
            words = [x.text for x in obj.subtree]
            return " ".join(words)
    return None


def _unit(tokens: SpacySpan, role: str, ctx: _Context, kind: str | None = None) -> ClaimUnit | None:
    terms, keys = _terms(tokens, ctx)
    if len(terms) < 2:
        return None
    s, e = tokens.start_char, tokens.end_char
    quote_ix = [i for i, q in enumerate(ctx.quotes) if q.start < e and s < q.end]
    quoted = sum(min(e, ctx.quotes[i].end) - max(s, ctx.quotes[i].start) for i in quote_ix)
    negative = any(t.dep_ == "neg" or t.lower_ in {"never", "no"} and t.dep_ == "det" for t in tokens)
    return ClaimUnit(
        start=s, end=e, text=tokens.text,
        kind=kind or ("quote" if quote_ix and quoted >= 0.3 * (e - s) else "statement"),  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        canonical=" ".join(tokens.text.split()),
        terms=terms,
        polarity="negative" if negative else "positive",
        entity_keys=sorted(set(keys)),
        dates=[d for d in ctx.dates if s <= d.start and d.end <= e],
        numbers=_numbers(tokens, ctx),
        quotes=quote_ix,
        attribution=_attribution(tokens, ctx),
        vector=unit_vector(tokens),
    )


def claim_units(doc: Doc, article: Article, ctx: _Context) -> Iterator[ClaimUnit]:
    regions = [r for r in article.regions if r.role in CLAIM_ROLES]
    for sent in doc.sents:
        for region in regions:
            if not (region.start < sent.end_char and sent.start_char < region.end):
                continue
            span = _clip(doc, sent, region)
            if span is None or _alpha(span) < 2:
                continue
            pieces = split_clauses(span) if region.role == "body" else [span]
            for piece in pieces:
                unit = _unit(piece, region.role, ctx)
                if unit is not None:
                    yield unit
                # a long quotation sharing its sentence with other statements is a unit too
                for i in unit.quotes if unit is not None else []:
                    q = ctx.quotes[i]
                    if q.start >= piece.start_char and q.end <= piece.end_char and len(q.text.split()) >= MIN_QUOTE_UNIT \
                            and (q.end - q.start) < 0.7 * (piece.end_char - piece.start_char):
                        qspan = doc.char_span(q.start, q.end, alignment_mode="contract")
                        if qspan is not None:
                            qu = _unit(qspan, region.role, ctx, kind="quote")
                            if qu is not None:
                                qu.quotes = [i]
                                yield qu


def extract(doc: Doc, article: Article) -> ArticleRecords:
    """All records of one article from its parsed Doc."""
    entities = resolve_entities(doc)
    dates = extract_dates(doc, article.published)
    quotes = attribute_quotes(doc, entities)
    ctx = _Context(doc, entities, dates, quotes)
    units = list(claim_units(doc, article, ctx))
    return ArticleRecords(
        article=article, entities=entities, dates=dates, quotes=quotes, units=units,
        word_count=sum(1 for t in doc if not t.is_space and not t.is_punct),
    )
