"""Canonical entities: one key for every way outlets name the same person, place or body.

The rules (also in models/README.md): normalise the surface form; look it up in the alias
table; within an article, a short person name takes the key of the nearest earlier fuller name
containing it, and an acronym takes the key of a longer name whose initials spell it; otherwise
the normalised form is the key. Keys are plain strings, comparable across articles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimledger.records import Entity
from claimledger.resources import table, word_set

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "‐": "-", "–": "-", "—": "-"})
_POSSESSIVE = re.compile(r"['’]s?$")


def normalize(surface: str) -> str:
    """Fold a name to its comparison form: "the U.S.'s" -> "us", "Kim Jong-un" -> "kim jong un"."""
    s = unicodedata.normalize("NFKC", surface).translate(_FOLD).strip()
    s = _POSSESSIVE.sub("", s).strip(" -,:;\"'")
    s = re.sub(r"^(?i:the)\s+", "", s)
    s = s.replace(".", "")
    s = re.sub(r"[-\s]+", " ", s)
    return s.casefold().strip()


def alias_key(surface: str) -> tuple[str, str | None]:
    """(key, canonical display name if the alias table knows the name)."""
    aliases = table("aliases.tsv")
    raw = unicodedata.normalize("NFKC", surface).translate(_FOLD).strip().strip(" -,")
    raw = _POSSESSIVE.sub("", raw)
    for cand in (raw, re.sub(r"^(?i:the)\s+", "", raw)):
        canon = aliases.get(cand.lower()) or aliases.get(cand.replace(".", "").lower())
        if canon:
            return normalize(canon), canon
    norm = normalize(surface)
    canon = aliases.get(norm)
    if canon:
        return normalize(canon), canon
    return norm, None


def clean_span(ent: SpacySpan) -> SpacySpan:
    """Trim possessive endings, dashes, and a leading 'the' that the model leaves on names."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'"}):
        end -= 1
    if end > start + 1 and doc[start].lower_ == "the":
        start += 1
    return doc[start:end]


def _titled(span: SpacySpan) -> bool:
    """A capitalised title word right before or at the start of a short name ("Chancellor X")."""
    titles = word_set("titles.txt")
    doc = span.doc
    first = doc[span.start]
    before = doc[span.start - 1] if span.start > 0 else None
    return len(span) <= 4 and (
        (first.lower_ in titles and first.text[:1].isupper() and len(span) > 1)
        or (before is not None and before.lower_ in titles and before.text[:1].isupper())
    )


def _as_person_if_titled(span: SpacySpan) -> SpacySpan:
    """The small model sometimes tags a titled person as an organisation; the title decides."""
    if span.label_ in {"ORG", "GPE", "NORP"} and _titled(span) and all(t.text[:1].isupper() for t in span):
        return SpacySpan(span.doc, span.start, span.end, label="PERSON")
    return span


def _strip_titles(span: SpacySpan, label: str) -> SpacySpan:
    """"Chancellor Olaf Scholz" -> "Olaf Scholz": the title describes, the name identifies."""
    if label != "PERSON":
        return span
    titles = word_set("titles.txt")
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in titles:
        start += 1
    return span.doc[start:span.end]


def person_key(key: str) -> str:
    """A person's key with the given name in its canonical form and middle initials dropped:
    "donald j trump" -> "donald trump", "bob goodlatte" -> "robert goodlatte"
    (``models/nicknames.tsv``), a leading initial dropped ("a barry rand" -> "barry rand"), so
    the outlets' ways of writing one name meet. "Jr." stays:
    Donald Trump Jr. is not his father."""
    # brackets and stray marks are not part of a name ("[George W.] Bush")
    words = [w for w in (re.sub(r"[^\w'-]", "", w) for w in key.split()) if w]
    if len(words) >= 3 and len(words[0]) == 1 and len(words[1]) > 1:
        words = words[1:]  # a leading initial before the name used: "K. Michael Conaway", "A. Barry Rand"
    if len(words) < 2 or len(words[0]) < 2:
        return " ".join(words)
    first = table("nicknames.tsv").get(words[0], words[0]).lower()
    middle = [w for w in words[1:-1] if len(w) > 1]
    return " ".join([first, *middle, words[-1]])


def _not_a_person(span: SpacySpan) -> SpacySpan:
    """A "person" whose last word names a building, place or body ("Trump Tower", "Betty Ford
    Center") is that place or body: FAC or ORG (``models/name_heads.tsv``)."""
    label = table("name_heads.tsv").get(span[-1].lower_) if span.label_ == "PERSON" and len(span) >= 2 else None
    return SpacySpan(span.doc, span.start, span.end, label=label) if label in {"FAC", "ORG"} else span


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isalpha() and w.lower() not in {"of", "the", "and", "for"}]
    return "".join(w[0] for w in words).upper()


def _words(key: str) -> list[str]:
    return key.split()


TITLE_MIN_WORDS = 3  # content words a sentence needs before its capitals say "title case"


def title_case_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences written in title case ("Lindsay Lohan Checks Into Rehab"):
    every content word capitalised. There the small model reads every capital as a name and
    tags runs of words as one entity ("Church Damaged In Suspicious Fire", ORG), and gives
    "Checks" no lemma. One lower-case word is enough to rule a sentence out: a lede full of
    names ("Russian President Vladimir Putin arrived on Tuesday") is not a title. A sentence in
    capitals throughout is left as it is."""
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        words, shouted = 0, True
        for t in sent:
            if t.is_alpha and not t.is_stop:
                if not t.text[0].isupper():
                    break  # most sentences end here, at their first lower-case word
                words += 1
                shouted = shouted and t.is_upper
        else:
            if words >= TITLE_MIN_WORDS and not shouted:
                out.append((sent.start, sent.end))
    return out


def _names_in_title_case(doc: Doc, spans: list[SpacySpan], titled: list[tuple[int, int]]) -> list[SpacySpan]:
    """Entities of title-case sentences cut down to the names the rest of the article uses.

    An entity there is kept when the article names it elsewhere (its key), else narrowed to the
    longest runs of its words that are such a name or a known person's surname ("Lindsay Lohan
    Checks Into Rehab" -> "Lindsay Lohan", labelled as elsewhere), else dropped: its words
    count as words. Cost: O(entity length^2) per entity of a title-case sentence.
    """
    def inside(span: SpacySpan) -> bool:
        return any(s <= span.start and span.end <= e for s, e in titled)

    known: dict[str, str] = {}
    for span in spans:
        if not inside(span):
            known.setdefault(alias_key(span.text)[0], span.label_)
    surnames = {k.split()[-1]: "PERSON" for k, label in known.items() if label == "PERSON" and len(k.split()) > 1}
    out: list[SpacySpan] = []
    for span in spans:
        if not inside(span) or alias_key(span.text)[0] in known:
            out.append(span)
            continue
        taken: list[SpacySpan] = []
        for n in range(len(span), 0, -1):
            for a in range(span.start, span.end - n + 1):
                if any(a < t.end and t.start < a + n for t in taken):
                    continue
                key = alias_key(doc[a:a + n].text)[0]
                label = known.get(key) or (surnames.get(key) if n == 1 else None)
                if label:
                    taken.append(SpacySpan(doc, a, a + n, label=label))
        out.extend(sorted(taken, key=lambda t: t.start))
    return out


def resolve_entities(doc: Doc, titled: list[tuple[int, int]] | None = None) -> list[Entity]:
    """The article's named entities with canonical keys, in text order; ``titled`` are the
    title-case sentences (``title_case_spans``), found here when not given."""
    out: list[Entity] = []
    persons: list[tuple[int, str, str]] = []  # (char offset, key, display) of full person names
    long_names: dict[str, tuple[str, str]] = {}  # initials -> (key, display)
    spans = [_as_person_if_titled(SpacySpan(doc, c.start, c.end, label=e.label_))
             for e in doc.ents if e.label_ in ENTITY_LABELS
             for c in [_strip_titles(clean_span(e), "PERSON" if _titled(e) else e.label_)]]
    titled = title_case_spans(doc) if titled is None else titled
    if titled:
        spans = _names_in_title_case(doc, spans, titled)
    spans = [_not_a_person(sp) for sp in spans]
    # first pass: full names and initials, so a short form later resolves to the fuller name
    for span in spans:
        key, canon = _key(span)
        if span.label_ == "PERSON" and len(_words(key)) >= 2 and canon is None:
            persons.append((span.start_char, key, span.text))
        if len(span) >= 2 and span.label_ in {"ORG", "GPE", "LOC", "FAC", "EVENT", "LAW"}:
            long_names.setdefault(_initials(span.text), (key, canon or span.text))
    for span in spans:
        key, canon = _key(span)
        name = canon or span.text
        words = _words(key)
        label = span.label_
        if canon is None and label in {"PERSON", "ORG", "GPE", "NORP"} and len(words) == 1:
            match = _fuller_person(persons, words[0], span.start_char)
            if match:
                # the surname of a person the article names in full is that person, whatever
                # the tagger called this mention ("Tlaib" as a place, "Trump" as a company)
                key, name = match
                label = "PERSON"
            elif span.text.isupper() and span.text in long_names:
                key, name = long_names[span.text]
        elif span.label_ == "PERSON" and canon is None:
            # a full name seen before with more words ("Jong Un" -> "Kim Jong Un")
            match = _fuller_person(persons, key, span.start_char, whole=True)
            if match:
                key, name = match
        if not key:
            continue
        out.append(Entity(start=span.start_char, end=span.end_char, text=span.text,
                          label=label, key=key, name=name))
    # one word the tagger calls a person in one place and a company or place in another is the
    # person throughout ("Trump said ... Trump later confirmed")
    people = {e.key for e in out if e.label == "PERSON"}
    for e in out:
        if e.label in {"ORG", "GPE", "NORP"} and e.key in people and len(_words(e.key)) == 1:
            e.label = "PERSON"
    return out


def _key(span: SpacySpan) -> tuple[str, str | None]:
    """``alias_key``, a person's key made canonical (``person_key``) when no alias names it."""
    key, canon = alias_key(span.text)
    return (person_key(key) if span.label_ == "PERSON" and canon is None else key), canon


def _fuller_person(
    persons: list[tuple[int, str, str]], short: str, at: int, whole: bool = False
) -> tuple[str, str] | None:
    """The nearest earlier (else first later) full person name containing ``short`` as words."""
    def contains(key: str) -> bool:
        if whole:
            return key != short and f" {short} " in f" {key} "
        return short in key.split()

    def surname(key: str) -> bool:  # "Mr. Trump" is Donald Trump before Donald Trump Jr.
        return key.split()[-1] == short.split()[-1]

    earlier = [p for p in persons if p[0] < at and contains(p[1])]
    if earlier:
        best = ([p for p in earlier if surname(p[1])] or earlier)[-1]
    else:
        # named in full only later: that name must end in this one ("Trump" early in an article
        # is not the "Donald Trump Jr." it names further down)
        later = [p for p in persons if contains(p[1]) and surname(p[1])]
        if not later:
            return None
        best = later[0]
    return best[1], best[2]


def person_descriptors(doc: Doc, entities: Iterable[Entity]) -> dict[str, set[str]]:
    """Words that describe each person in this article: titles and nationality in front of
    the name ("Russian President Vladimir Putin") and appositions ("his counterpart, Kim")."""
    titles = word_set("titles.txt")
    out: dict[str, set[str]] = {}
    for ent in entities:
        if ent.label != "PERSON":
            continue
        span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
        if span is None:
            continue
        words = out.setdefault(ent.key, set())
        # compound/amod words before the name inside its noun phrase
        i = span.start - 1
        while i >= 0 and not doc[i].is_space and (doc[i].pos_ in {"PROPN", "ADJ", "NOUN"} or doc[i].text in {".", "-"}):
            if doc[i].is_alpha:
                words.add(doc[i].lower_)
            if doc[i].is_sent_start:
                break
            i -= 1
        # apposition: "X, the Russian leader," / "his counterpart, X"
        root = span.root
        for tok in [root.head] if root.dep_ == "appos" else [c for c in root.children if c.dep_ == "appos"]:
            for t in tok.subtree:
                if t.is_alpha and (t.lower_ in titles or t.pos_ in {"ADJ", "PROPN", "NOUN"}) and t.ent_type_ != "PERSON":
                    words.add(t.lower_)
    return out


def entities_by_token(doc: Doc, entities: Iterable[Entity]) -> dict[int, Entity]:
    """Token index -> the entity that token belongs to."""
    out: dict[int, Entity] = {}
    for ent in entities:
        span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                out[t.i] = ent
    return out
