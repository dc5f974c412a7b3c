"""From a parsed article to its records: entities, dates, quotes and claim units.

``extract(doc, article)`` is a pure function (no ledger, no global state beyond the read-only
lexicons), so it can run in worker processes or on another engine and its output merged later.

A claim unit is one proposition: a sentence, or each coordinated clause of one, with the actor
a clause shares with the first named in its ``canonical`` text (``claim_units``); a sentence
holding a quotation is one quote unit. Its ``terms`` are what alignment compares: canonical
entity keys, ``#`` number values and the lemmas of content words folded through
``models/synonyms.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LIKE_NUM, LOWER, POS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.extract.dates import extract_dates, governing_verb, synonym
from claimledger.extract.entities import entities_by_token, resolve_entities, title_case_spans
from claimledger.extract.quotes import SUBJECT_DEPS as QUOTE_SUBJECT_DEPS
from claimledger.extract.quotes import according_to, attribute_quotes
from claimledger.records import (
    Article,
    ArticleRecords,
    ClaimUnit,
    DateMention,
    Entity,
    NumberMention,
    Quote,
    Region,
)

CLAIM_ROLES = {"headline", "subhead", "body"}
CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN", "NUM"}
NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
SKIP_ENT_LABELS = {"DATE", "TIME", "ORDINAL"}
# reporting and light verbs: how a thing was said, not what was said
GENERIC = {"say", "tell", "add", "report", "note", "state", "announce", "accord", "describe", "call", "term",
           "remark", "comment", "be", "have", "do", "get", "make", "go", "also", "would", "could", "will",
           "may", "can"}
SUBJECT_DEPS = QUOTE_SUBJECT_DEPS | {"expl"}  # "There were ...": the clause has a subject
# a phrase of these kinds, set off by a comma or dash before the subject, sets the scene of its
# sentence (``fronted``); with npadvmod too, or without the comma, "Russia, DPRK agree on ..."
# would lose "Russia" as a scene
SCENE_DEPS = {"prep", "advcl", "advmod"}
SCENE_MARKS = {",", "-", "—", "–"}
MIN_PIECE = 4  # alphabetic tokens in each piece of a split sentence
WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def number_value(text: str) -> str:
    """Normalise a number expression: digits without separators, number words as digits."""
    low = text.lower().replace(",", "")
    low = re.sub(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", lambda m: WORD_NUMBERS[m[1]], low)
    return " ".join(low.split())


_NUMBER_WORD = re.compile(
    r"\d[\d,.]*|\b(?:" + "|".join(WORD_NUMBERS) + r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    r"|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?"
    r"|billions?|trillions?|dozens?|bn)\b",
    re.IGNORECASE,
)


def compared_number(text: str) -> str:
    """The value outlets are compared on: the number words of an expression, from the first to the
    last, normalised ("an estimated two million" -> "2 million", "205 yards" -> "205", "about 50"
    -> "50"). Hedges and units are left to the text and to ``NumberMention.measure``."""
    found = list(_NUMBER_WORD.finditer(text))
    if not found:
        return number_value(text)
    return number_value(text[found[0].start():found[-1].end()])


_CURRENCIES = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "usd": "dollar", "eur": "euro", "gbp": "pound"}
_CURRENCY_WORDS = {"dollar", "euro", "pound", "yen", "yuan", "rupee", "ruble"}
_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "dozen", "m", "bn", "k"}


def number_measure(ent: SpacySpan) -> str | None:
    """What a number counts, read from the parse: a currency ("$2.6m", "2 million euros"), a unit
    inside the expression ("205 yards", "93.87 percent", "6-foot"), or the noun the number
    modifies ("ten people", "26 Somali pirates"); None when the text leaves it open ("20-13")."""
    doc = ent.doc
    for tok in doc[max(ent.start - 1, 0):min(ent.end + 1, len(doc))]:  # the expression and a word either side
        lemma = tok.lemma_.lower()
        if tok.lower_ in _CURRENCIES or lemma in _CURRENCIES:
            return _CURRENCIES.get(tok.lower_) or _CURRENCIES[lemma]
        if lemma in _CURRENCY_WORDS or tok.is_currency:
            return lemma
    if "%" in ent.text:
        return "percent"
    nums = [t for t in ent if t.like_num]
    if not nums:
        return None
    last = nums[-1]
    for tok in ent:
        if tok.i > last.i and _counts(tok):
            return tok.lemma_.lower()
    head = last.head
    if last.dep_ in {"nummod", "compound", "quantmod"} and head.i >= ent.end and _counts(head):
        return head.lemma_.lower()
    return None


def _counts(tok: Token) -> bool:
    """Can this word be what a number counts? A noun, not a scale ("million") and not an
    abbreviation ("a.m." after a clock time the model took for a count)."""
    return tok.pos_ in {"NOUN", "PROPN"} and tok.lower_ not in _SCALES and "." not in tok.text


class TokenTable:
    """Per-token attributes of a Doc read once (``Doc.to_array``), as Python lists.

    Claim units overlap (sentence pieces, quotations inside them) and each is read several ways
    (terms, negation, vector, word counts); reading spaCy's Token objects again for every one of
    them was most of the extraction time.
    """

    def __init__(self, doc: Doc) -> None:
        cols = doc.to_array([IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM, POS, DEP, LOWER, LEMMA, ENT_TYPE])
        strings = doc.vocab.strings
        alpha = cols[:, 0].astype(np.int64)
        self.alpha_before = np.concatenate(([0], np.cumsum(alpha))).tolist()  # alphabetic tokens before i
        self.is_punct = cols[:, 1].astype(bool).tolist()
        self.is_space = cols[:, 2].astype(bool).tolist()
        self.is_stop = cols[:, 3].astype(bool).tolist()
        self.like_num = cols[:, 4].astype(bool).tolist()
        self.pos = [strings[int(h)] if h else "" for h in cols[:, 5]]
        self.dep = [strings[int(h)] if h else "" for h in cols[:, 6]]
        self.lower = [strings[int(h)] for h in cols[:, 7]]
        self.lemma = [strings[int(h)] for h in cols[:, 8]]
        self.ent_type = [strings[int(h)] if h else "" for h in cols[:, 9]]
        # content words for the unit vector: not punctuation, stop word or white space
        self.content = ~(cols[:, 1].astype(bool) | cols[:, 2].astype(bool) | cols[:, 3].astype(bool))
        self.negation = [d == "neg" or (lw in {"never", "no"} and d == "det") for d, lw in zip(self.dep, self.lower)]

    def alpha(self, start: int, end: int) -> int:
        """Alphabetic tokens in doc[start:end]."""
        return int(self.alpha_before[end] - self.alpha_before[start])


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


def split_clauses(span: SpacySpan, table: TokenTable | None = None) -> list[tuple[SpacySpan, Token | None]]:
    """Split a sentence at trailing coordinated clauses: "The senator resigned in March, and his
    deputy took over", "The bill funds the government until Feb. 8 and extends a health program".

    A relative, adverbial or participial clause, a condition or a purpose stays with the clause it
    qualifies: split off (as units of their own, or as the fragments v1 made of them) they matched
    other outlets' sentences worse on real news (measured in docs/experiments.md). Each piece
    comes with the verb it was cut at (None for the first), from which ``actor`` finds who it is
    about when it names no subject."""
    doc = span.doc
    tt = table or TokenTable(doc)
    last = span.end
    while last > span.start and (tt.is_punct[last - 1] or tt.is_space[last - 1]):
        last -= 1
    cuts: dict[int, Token] = {}
    for i in range(span.start, span.end):
        if tt.dep[i] != "conj" or tt.pos[i] not in {"VERB", "AUX"}:
            continue
        t = doc[i]
        left, right = t.left_edge.i, t.right_edge.i + 1
        if right < last or left <= span.start or doc[left].tag_ in {"WRB", "WDT", "WP", "IN"}:
            continue  # "... at the airport where the pair embraced": a misparse of a relative clause
        cut = _cut_before(span, left, tt)
        if tt.alpha(span.start, cut) >= MIN_PIECE and tt.alpha(cut, span.end) >= MIN_PIECE:
            cuts.setdefault(cut, t)
    return _pieces(span, cuts, tt)


def _cut_before(span: SpacySpan, left: int, tt: TokenTable) -> int:
    """Where to cut before a clause that begins at token ``left``: before the comma or conjunction
    that joins it, not before a quotation mark."""
    cut = left
    while cut > span.start and (tt.is_punct[cut - 1] or tt.dep[cut - 1] == "cc") and tt.lower[cut - 1] not in {'"', "“", "”"}:
        cut -= 1
    return cut


def _pieces(span: SpacySpan, cuts: dict[int, Token], tt: TokenTable) -> list[tuple[SpacySpan, Token | None]]:
    """A span cut at ``cuts`` (token -> the clause head cut at), every piece at least ``MIN_PIECE``
    words, each with the head it begins at (None for the first)."""
    doc = span.doc
    pieces: list[tuple[SpacySpan, Token | None]] = []
    start, head = span.start, None
    for cut in sorted(cuts):
        if tt.alpha(start, cut) >= MIN_PIECE and tt.alpha(cut, span.end) >= MIN_PIECE:
            pieces.append((_trim(doc[start:cut]), head))
            start, head = cut, cuts[cut]
    pieces.append((_trim(doc[start:span.end]), head))
    return pieces


def split_quotes(span: SpacySpan, quotes: list[Quote], table: TokenTable) -> list[tuple[SpacySpan, Token | None]]:
    """A sentence with quotations is one quote unit, unless it quotes twice in two clauses:
    '"It is really a breakthrough document," Putin said, adding that it provided, "among other
    things, for mutual assistance ..."' is two quote units, cut where the clause of the second
    quotation begins (a coordinated or adverbial clause of the first)."""
    doc = span.doc
    cuts: dict[int, Token] = {}
    for prev, q in zip(quotes, quotes[1:]):
        for i in range(span.start, span.end):
            t = doc[i]
            if t.dep_ not in {"advcl", "conj"} or t.pos_ not in {"VERB", "AUX"}:
                continue
            left = t.left_edge
            if left.idx < prev.end or not (left.idx <= q.start < t.right_edge.idx + len(t.right_edge)):
                continue
            if any(x.start <= left.idx < x.end or x.start <= t.idx < x.end for x in quotes):
                continue  # the clause must begin outside quotation marks: its own words, not the quote's
            cuts.setdefault(_cut_before(span, left.i, table), t)
            break
    return _pieces(span, cuts, table)


def actor(head: Token | None) -> Token | None:
    """Who a split-off clause is about when it names no subject of its own: the subject of the
    clause it was cut from ("The bill funds ... and extends ..." -> "The bill")."""
    if head is None or any(c.dep_ in {"nsubj", "nsubjpass"} for c in head.children):
        return None
    gov = head.head
    for _ in range(4):
        subj = next((c for c in gov.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            return subj
        if gov.head is gov:
            break
        gov = gov.head
    return None


def _trim(span: SpacySpan) -> SpacySpan:
    """Drop the joining comma or conjunction a split leaves at a piece's edges."""
    doc = span.doc
    a, b = span.start, span.end
    while a < b - 1 and (doc[a].dep_ == "cc" or doc[a].is_space or (doc[a].is_punct and doc[a].text not in {'"', "“"})):
        a += 1
    while b > a + 1 and (doc[b - 1].is_space or doc[b - 1].text in {",", ";", "-", "—", "–"}):
        b -= 1
    return doc[a:b]


_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""))


class _Context:
    """Per-article lookups shared by every unit."""

    def __init__(self, doc: Doc, entities: list[Entity], dates: list[DateMention], quotes: list[Quote],
                 text: str | None = None, titled: list[tuple[int, int]] | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text  # spaCy joins every token to build doc.text
        self.table = TokenTable(doc)
        self.ent_at = entities_by_token(doc, entities)
        self.dates = dates
        self.quotes = quotes
        self.numbers = [NumberMention(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_,
                                      value=compared_number(ent.text), measure=number_measure(ent), slot=_slot(ent))
                        for ent in doc.ents if ent.label_ in NUMBER_LABELS and not _named_day(ent)]
        self.quoted: set[int] = set()
        for q in quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                self.quoted.update(range(span.start, span.end))
        spans = title_case_spans(doc) if titled is None else titled
        self.titled: set[int] = {i for s, e in spans for i in range(s, e)}
        self.lemmas: dict[str, str] = {}  # word -> lemma, read where the text is not in title case
        if self.titled:
            for i, (low, lem) in enumerate(zip(self.table.lower, self.table.lemma)):
                if i not in self.titled:
                    self.lemmas.setdefault(low, lem.lower())
        self.known_lemmas = set(self.lemmas.values())
        self.token_term = [self._token_term(i) for i in range(len(doc))]

    def _title_lemma(self, word: str) -> str:
        """The lemma of a word of a title-case sentence, where the model took it for a name and
        gave none: as the rest of the article has it ("Checks" -> "check" next to "checked")."""
        if word in self.lemmas:
            return self.lemmas[word]
        for suffix, repl in _INFLECTIONS:
            if word.endswith(suffix) and word[:-len(suffix)] + repl in self.known_lemmas:
                return word[:-len(suffix)] + repl
        return word

    def _token_term(self, i: int) -> str | None:
        """The term token i gives a claim unit (None: it gives none); an entity's key is "@key"."""
        ent = self.ent_at.get(i)
        if ent is not None:
            return "@" + ent.key
        tt = self.table
        if tt.ent_type[i] in SKIP_ENT_LABELS or tt.is_stop[i] or tt.is_punct[i] or tt.is_space[i]:
            return None
        pos = tt.pos[i]
        if pos not in CONTENT_POS and tt.dep[i] != "neg" and not (pos == "ADV" and i in self.quoted):
            return None  # adverbs count inside quotations: "truly a breakthrough" is the quote
        if tt.like_num[i] or tt.ent_type[i] in NUMBER_LABELS:
            return "#" + number_value(self.doc[i].text)
        lemma = tt.lemma[i].lower() if i not in self.titled or pos != "PROPN" else self._title_lemma(tt.lower[i])
        if not lemma.isalpha() and "-" not in lemma:
            return None
        if lemma in GENERIC:
            return None
        return synonym(lemma)


def _terms(start: int, end: int, ctx: _Context) -> list[str]:
    """The terms of tokens ``start:end`` in order, each entity once however many tokens it spans."""
    terms: list[str] = []
    for term in ctx.token_term[start:end]:
        if term is None or (term[0] == "@" and term in terms):
            continue
        terms.append(term)
    return terms


def unit_vector(tokens: SpacySpan, table: TokenTable | None = None) -> bytes | None:
    """Mean of the pipeline's contextual token vectors (``doc.tensor``) over the content words,
    scaled to unit length, as float16 bytes: a cheap meaning signal that sees past different words
    for one idea. None when the pipeline keeps no tensor."""
    doc = tokens.doc
    tensor = getattr(doc, "tensor", None)
    if tensor is None or not getattr(tensor, "size", 0) or tensor.shape[0] != len(doc):
        return None
    content = (table or TokenTable(doc)).content[tokens.start:tokens.end]
    block = tensor[tokens.start:tokens.end]
    v = (block[content] if content.any() else block).mean(axis=0)
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float16).tobytes() if norm else None


_MONTH_DAY = re.compile(r"(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])")


def _named_day(ent: SpacySpan) -> bool:
    """A month/day the parser took for a number: "9/11" (the attacks), not "3/4 of the bills"."""
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return bool(_MONTH_DAY.fullmatch(ent.text)) and not (after is not None and after.lower_ == "of")


def _slot(span: SpacySpan) -> str | None:
    """The act a number or date belongs to: its governing verb's lemma, synonyms folded
    ("tell" -> "say"), so values are compared only between mentions of one act."""
    verb = governing_verb(span)
    return synonym(verb.lemma_.lower()) if verb is not None else None


def _numbers(tokens: SpacySpan, ctx: _Context) -> list[NumberMention]:
    s, e = tokens.start_char, tokens.end_char
    return [n for n in ctx.numbers if s <= n.start and n.end <= e]


def _attribution(tokens: SpacySpan, ctx: _Context) -> str | None:
    """Where a reported claim comes from: "according to Reuters", "per the AP", "X reported"."""
    doc = tokens.doc
    tt = ctx.table
    for i in range(tokens.start, tokens.end):
        if tt.lower[i] not in {"according", "per"} and tt.lemma[i] != "report":
            continue
        t = doc[i]
        obj: Token | None = None
        if t.lower_ == "according":
            obj = according_to(t, tokens.end)
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


def fronted(tokens: SpacySpan) -> int:
    """How many tokens at the start of ``tokens`` set the scene before the statement's subject.

    A fronted adverbial of the main verb set off by a comma ("Despite the grandeur of the signing
    ceremony, details of the agreement have not been made public"; "Under these circumstances,
    Russia ...") tells when, where or against what a statement stands, not what it states;
    outlets that report the statement seldom repeat it. 0 when the span has no subject or nothing
    stands before it.
    """
    root = tokens.root
    subj = next((c for c in root.children if c.dep_ in SUBJECT_DEPS and c.i >= tokens.start), None)
    if subj is None:
        return 0
    cut = tokens.start
    for c in root.children:
        end = c.right_edge.i + 1
        if (tokens.start <= c.i < subj.i and c.dep_ in SCENE_DEPS and end < subj.left_edge.i
                and tokens.doc[end].text in SCENE_MARKS):
            cut = max(cut, end)
    return cut - tokens.start


def _unit(tokens: SpacySpan, role: str, ctx: _Context, kind: str | None = None) -> ClaimUnit | None:
    skip = fronted(tokens) if kind is None else 0  # a quotation or an adjunct is compared whole
    before = _terms(tokens.start, tokens.start + skip, ctx) if skip else []
    core = _terms(tokens.start + skip, tokens.end, ctx)
    # the whole span's terms: an entity named on both sides of the cut counts once
    terms = before + [t for t in core if t[0] != "@" or t not in before]
    if len(terms) < 2:
        return None
    keys = [t[1:] for t in terms if t[0] == "@"]
    scene = 0
    if before and len(core) >= 2:
        terms, scene = before + core, len(before)
    s, e = tokens.start_char, tokens.end_char
    text = ctx.text[s:e]  # Span.text would build it token by token
    quote_ix = [i for i, q in enumerate(ctx.quotes) if q.start < e and s < q.end]
    quoted = sum(min(e, ctx.quotes[i].end) - max(s, ctx.quotes[i].start) for i in quote_ix)
    negative = any(ctx.table.negation[tokens.start:tokens.end])
    return ClaimUnit(
        start=s, end=e, text=text,
        kind=kind or ("quote" if quote_ix and quoted >= 0.3 * (e - s) else "statement"),  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        canonical=" ".join(text.split()),
        terms=terms,
        polarity="negative" if negative else "positive",
        entity_keys=sorted(set(keys)),
        dates=[d for d in ctx.dates if s <= d.start and d.end <= e],
        numbers=_numbers(tokens, ctx),
        quotes=quote_ix,
        speakers=list(dict.fromkeys(k for i in quote_ix if (k := ctx.quotes[i].speaker_key))),
        attribution=_attribution(tokens, ctx),
        scene=scene,
        vector=unit_vector(tokens, ctx.table),
    )


def claim_units(doc: Doc, article: Article, ctx: _Context) -> Iterator[ClaimUnit]:
    """One unit per sentence, or per coordinated clause with a subject of its own ("X did A, and Y
    did B"): a proposition readable on its own. A relative, adverbial or participial clause, a
    condition or a time adjunct stays with the clause it qualifies, and a sentence holding a
    quotation is one quote unit: split off, they were fragments ("to bypass Congress if
    necessary.") that matched nothing or the wrong thing on real cross-outlet news."""
    regions = [r for r in article.regions if r.role in CLAIM_ROLES]
    for sent in doc.sents:
        for region in regions:
            if not (region.start < sent.end_char and sent.start_char < region.end):
                continue
            span = _clip(doc, sent, region)
            if span is None or ctx.table.alpha(span.start, span.end) < 2:
                continue
            inside = [q for q in ctx.quotes if q.start < span.end_char and span.start_char < q.end]
            if region.role != "body":
                pieces: list[tuple[SpacySpan, Token | None]] = [(span, None)]
            elif inside:
                pieces = split_quotes(span, inside, ctx.table)
            else:
                pieces = split_clauses(span, ctx.table)
            for piece, head in pieces:
                unit = _unit(piece, region.role, ctx)
                if unit is not None:
                    yield _with_actor(unit, piece, head, ctx)


def _with_actor(unit: ClaimUnit, piece: SpacySpan, head: Token | None, ctx: _Context) -> ClaimUnit:
    """A clause split off its sentence made readable on its own (``canonical``): the joining
    word dropped, the actor it shares with the first clause named before it ("The bill extends
    ..." for "and extends ...", "Russia and North Korea vow ..." for a coordinated subject) and
    counted among its terms."""
    if head is None:
        return unit
    body = piece
    while len(body) > 1 and (body[0].dep_ in {"mark", "cc"} or body[0].is_punct):
        body = body[1:]
    text = " ".join(ctx.text[body.start_char:body.end_char].split())
    who = actor(head)
    if who is None or who.pos_ == "PRON" or piece.start <= who.i < piece.end:
        unit.canonical = text
        return unit
    coordinated = any(c.dep_ == "conj" for c in who.children)
    words = ctx.doc[who.left_edge.i:(who.right_edge.i if coordinated else who.i) + 1]
    if len(words) > 8:
        unit.canonical = text
        return unit
    ent = ctx.ent_at.get(who.i)
    name = ent.name if ent is not None and not coordinated else words.text
    keys = {"@" + e.key for i in range(words.start, words.end) if (e := ctx.ent_at.get(i)) is not None}
    unit.terms = [*sorted(keys - set(unit.terms)), *unit.terms]
    unit.actor = name
    unit.canonical = f"{name} {text}"
    return unit


def extract(doc: Doc, article: Article) -> ArticleRecords:
    """All records of one article from its parsed Doc."""
    titled = title_case_spans(doc)
    entities = resolve_entities(doc, titled)
    dates = extract_dates(doc, article.published)
    # the Doc is made from the article's text: that is doc.text without rebuilding it
    last = doc[-1] if len(doc) else None
    same = last is not None and last.idx + len(last.text_with_ws) == len(article.text)
    text = article.text if same else doc.text
    quotes = attribute_quotes(doc, entities, text=text)
    ctx = _Context(doc, entities, dates, quotes, text=text, titled=titled)
    units = list(claim_units(doc, article, ctx))
    return ArticleRecords(
        article=article, entities=entities, dates=dates, quotes=quotes, units=units,
        word_count=sum(1 for p, sp in zip(ctx.table.is_punct, ctx.table.is_space) if not p and not sp),
    )
