"""Direct quotations and who said them, as a chain of stages (after BBC R&D's citron):

1. marks   -> ``find_quote_spans``: pair quotation marks in the raw text (straight, curly,
              mixed, a quote running over paragraphs);
2. cue     -> the speech verb (``models/cue_verbs.txt``) that governs the quoted words in the
              parse, or stands beside a sentence-long quote, or "according to";
3. source  -> the cue's subject, climbing through "adding"/"calling" clauses and relative
              clauses ("Kim, who offered ...");
4. coreference -> a pronoun or a description ("he", "the Russian president") resolved to a
              person named earlier in the article (``Resolver``).
A quotation with no cue in reach keeps no speaker: scare quotes are not speech.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.extract.entities import alias_key, entities_by_token, normalize, person_descriptors
from claimledger.extract.pipeline import CLOSING, OPENING, QUOTE_CHARS
from claimledger.records import Entity, Quote, Span
from claimledger.resources import table, word_set

OPEN_ONLY, CLOSE_ONLY, MARKS = OPENING, CLOSING, QUOTE_CHARS
PRONOUNS = {"he", "she", "him", "her", "i", "we"}
PRONOUN_SEX = {"he": "m", "him": "m", "she": "f", "her": "f"}
HONORIFICS = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f", "miss": "f"}
NOT_SPEAKERS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}  # who says: a quote's speaker; claims.py adds "expl" for clauses
REPORTED_DEPS = {"ccomp", "dobj", "xcomp", "attr"}  # below a speech verb: what is said
INVERTED_CUES = {"say", "tweet", "write", "add", "post"}  # verbs that take no person as object
ATTRIBUTION_DEPS = {"advcl", "parataxis", "ccomp", "conj"}  # how a parse may hang "he said" below a quotation
CLIMB_DEPS = {"advcl", "xcomp", "conj", "pcomp", "acl", "ccomp"}


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted words (marks excluded), paired across the whole text.

    A straight mark opens when none is open and closes otherwise. A paragraph that ends inside
    a quotation continues it only if the next paragraph opens with a mark (the newspaper
    convention for long quotes); otherwise the stray mark is dropped. Some texts continue the
    quotation in the next paragraph without the mark: there the first straight mark after
    punctuation and before a lower-case word or the line's end ('pensioners, " he told') closes
    it, rather than opening a quotation of the attribution that follows.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    dangling: int | None = None  # start of the paragraph a dropped quotation may go on in
    dropped = (0, 0)  # where that quotation began and where its paragraph ended
    hops = 0  # paragraphs with no mark since then
    n = len(text)
    i = 0

    def add(s: int, e: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if any(c.isalnum() for c in text[s:e]):
            spans.append((s, e))

    while i < n:
        ch = text[i]
        if ch == "\n" and (open_at is not None or dangling is not None):
            j = i  # the next paragraph's first character, past blank lines
            while j < n and text[j].isspace():
                j += 1
            if open_at is not None:
                if j < n and text[j] in OPEN_ONLY | {'"'}:
                    i = j + 1  # continued paragraph: skip the re-opening mark
                    continue
                dropped = (open_at + 1, i)
                open_at = None
                dangling, hops = j, 0
            else:
                # a paragraph with no mark at all: the quotation may run on through it, a few at most
                hops += 1
                dangling = j if hops <= MAX_UNMARKED_PARAGRAPHS else None
            i = j
            continue
        elif ch in MARKS:
            if dangling is not None and ch in CLOSE_ONLY | {'"'} and _closes_unmarked(text, dangling, i):
                add(*dropped)  # the quotation was one after all: both its paragraphs
                add(dangling, i)
            elif ch in OPEN_ONLY or (ch == '"' and open_at is None):
                if ch in OPEN_ONLY or open_at is None:
                    open_at = i
            elif open_at is not None:
                add(open_at + 1, i)
                open_at = None
            dangling = None
        i += 1
    return spans


def _closes_unmarked(text: str, start: int, at: int) -> bool:
    """Does the mark at ``at`` close a quotation that went on from the paragraph before into the
    one at ``start`` without a mark: in that paragraph, after punctuation, and followed by a
    lower-case word or the end of the line ('...the rich, " he told Parliament')?"""
    before = text[start:at].rstrip()
    after = text[at + 1 : at + 40].lstrip(" \t")
    return bool(before) and before[-1] in ",.!?;:" and (not after or after[0] == "\n" or after[0].islower())


# documents that "say" things for someone: "the statement said" speaks for its issuer
DOCUMENTS = frozenset({"statement", "letter", "release", "memo", "email", "e-mail", "tweet", "post", "filing",
                       "note", "message", "announcement", "complaint", "lawsuit", "motion", "ruling", "opinion"})
REPORTER_REACH = 300  # characters: a reporter this close before a reported subject is "he"
MAX_UNMARKED_PARAGRAPHS = 3  # paragraphs a quotation may run on through without a mark
MIXED_QUOTE_WORDS = 6  # quoted words woven into a reporter's sentence ("its 'secrecy'"), not a quotation of its own
FRAME_WORDS = 8  # words of an attribution that stands apart from its quotation ("Mr. Lee said.")
LOOK_BACK = 120  # tokens back (a few sentences) to find where a document was brought in


class Resolver:
    """Resolves speaker noun phrases in one article to canonical persons (or organisations)."""

    def __init__(self, doc: Doc, entities: list[Entity], quoted: list[tuple[int, int]] | None = None) -> None:
        self.doc = doc
        self.entities = entities
        self.by_token = entities_by_token(doc, entities)
        self.descriptors = person_descriptors(doc, entities)
        self.names = {e.key: e.name for e in entities}
        self.titles = word_set("titles.txt")
        self.bare_titles = {t.rstrip(".") for t in self.titles}  # "Rep." and "Rep" alike
        # people named inside quotations ("'My son Seth signed the petition,' he said") are
        # what speakers talk about, not who "he" is
        spans = sorted(quoted or [])
        self.quoted = spans
        persons = [e for e in entities if e.label == "PERSON" and not _within(e.start, spans)]
        self.persons = sorted(persons + _untagged_surnames(doc, persons, self.by_token, spans), key=lambda e: e.start)

    @functools.cached_property
    def addressed(self) -> dict[str, str]:
        """Surname -> sex where the article writes "Mr. Lee" or "Ms. Lee": its own word on a
        person's sex, before any name list. Read once, and only for an article with a pronoun speaker."""
        out: dict[str, str] = {}
        for t in self.doc[:-1]:
            sex = HONORIFICS.get(t.lower_)
            if sex and self.doc[t.i + 1].pos_ == "PROPN":
                out.setdefault(self.doc[t.i + 1].lower_, sex)
        return out

    def sex(self, ent: Entity) -> str | None:
        """"f", "m" or None (unknown: agrees with any pronoun), from an honorific the article
        gives the person's surname, else from an unambiguous given name (models/given_names.tsv)."""
        words = ent.key.split()
        if not words:
            return None
        return self.addressed.get(words[-1]) or (table("given_names.tsv").get(words[0]) if len(words) > 1 else None)

    def entity_in(self, tokens: Iterable[Token], labels: set[str]) -> Entity | None:
        for t in tokens:
            ent = self.by_token.get(t.i)
            if ent is not None and ent.label in labels:
                return ent
        return None

    def _subject_persons_before(self, pos: int) -> list[Entity]:
        """Persons who were the subject of a clause before ``pos``, nearest last; of a person who
        is only the subject of words someone else reports ("Cole said Hill must apologize":
        Hill) and the reporter a sentence or two before, the reporter: "he said" next is the one
        who spoke in the narrative's own voice."""
        out: list[Entity] = []
        reported: list[bool] = []
        for ent in self.persons:
            if ent.start >= pos:
                break
            span = self.doc.char_span(ent.start, ent.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in SUBJECT_DEPS | {"appos", "compound"}:
                out.append(ent)
                reported.append(_reported(span.root))
        if reported and reported[-1]:
            voice = [k for k, r in enumerate(reported) if not r]
            if voice and out[-1].start - out[voice[-1]].start <= REPORTER_REACH:
                k = voice[-1]
                out.append(out.pop(k))
        return out

    def pronoun(self, tok: Token) -> Entity | None:
        """Most recent person who was a subject before the pronoun (``_subject_persons_before``),
        else the most recent person; either of a sex the pronoun agrees with ("she" is not Barack
        Obama; a person of unknown sex agrees with both). None when nobody before agrees: the
        text names no speaker."""
        want = PRONOUN_SEX.get(tok.lower_)

        def agrees(e: Entity) -> bool:
            return want is None or self.sex(e) in (None, want)

        subjects = [e for e in self._subject_persons_before(tok.idx) if agrees(e)]
        if subjects:
            return subjects[-1]
        before = [e for e in self.persons if e.start < tok.idx and agrees(e)]
        return before[-1] if before else None

    def description(self, np: list[Token], at: int) -> Entity | None:
        """A description such as "the North Korean leader": the earlier person whose titles and
        nationality words overlap it most (nationality counts double), nearest first on ties."""
        words = {t.lower_ for t in np if t.is_alpha}
        nationality = {t.lower_ for t in np if t.ent_type_ in {"NORP", "GPE"}}
        best: tuple[float, int] | None = None
        choice: Entity | None = None
        seen: set[str] = set()
        for ent in reversed([e for e in self.persons if e.start < at]):
            if ent.key in seen:
                continue
            seen.add(ent.key)
            desc = self.descriptors.get(ent.key, set())
            score = len(words & desc) + len(nationality & desc)
            rank = (score, -len(seen))
            if score > 0 and (best is None or rank > best):
                best, choice = rank, ent
        if choice is None:
            subjects = self._subject_persons_before(at)
            if subjects:
                return subjects[-1]
        return choice

    def author(self, document: Token) -> Entity | None:
        """Who issued a document that speaks ("the statement said", "the letter states"): its
        owner ("Twitter's statement", "a letter from her lawyer"), else the subject of the
        sentence that brought the same document in a few sentences before ("Zinke said in a
        statement", "the school sent Ryan a letter"). None when the text does not say."""
        lemma = document.lemma_.lower()
        for mention in [document, *reversed(self.doc[max(0, document.i - LOOK_BACK):document.i])]:
            if mention.lemma_.lower() != lemma:
                continue
            owner = next((c for c in mention.children if c.dep_ == "poss"), None)
            for prep in (c for c in mention.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}):
                owner = owner or next((o for o in prep.children if o.dep_ == "pobj"), None)
            if owner is None:  # "Rand issued a statement (calling ...)": who issued it
                verb = mention.head.head if mention.dep_ == "pobj" else mention.head
                if mention.dep_ in {"pobj", "dobj"} and verb.pos_ in {"VERB", "AUX"}:
                    owner = _subject(verb)
            if owner is not None and owner.lemma_.lower() != lemma:
                ent, _ = self.speaker(owner)
                if ent is not None:
                    return ent
        return None

    def speaker(self, subj: Token) -> tuple[Entity | None, Span | None]:
        """Canonical entity for a subject token, and the span of the words that named it."""
        doc = self.doc
        subtree = [t for t in subj.subtree if t.dep_ not in {"relcl", "acl"} and not _inside_clause(t, subj)]
        # "Reid's rep", "Smith's lawyer", "the company's spokesman": the possessor is not the one
        # who speaks, and the one who does is nobody named before
        possessor = {t.i for c in subj.children if c.dep_ == "poss" for t in c.subtree}
        ent = self.by_token.get(subj.i)
        if ent is None or ent.label not in {"PERSON", "ORG", "NORP", "GPE"}:
            appos = [t for c in subj.children if c.dep_ == "appos" for t in c.subtree]
            ent = self.entity_in([t for t in subtree if t.i not in possessor], {"PERSON"}) \
                or self.entity_in(appos, {"PERSON"}) or ent
        first, last = min(t.i for t in subtree), max(t.i for t in subtree)
        phrase = doc[first : last + 1]
        span = Span(start=phrase.start_char, end=phrase.end_char, text=phrase.text)
        if ent is not None and ent.label == "NORP" and subj.tag_ in {"NN", "NNP"} \
                and any(c.dep_ == "det" for c in subj.children):
            # "the Arizona Republican": a description of one person, not a party speaking
            return self.description(list(phrase), subj.idx), span
        if ent is not None and ent.label == "GPE" and _dateline(subj):
            return None, span  # "WASHINGTON ― President Trump ... said": the dateline says where, not who
        if ent is not None and ent.label in {"PERSON", "ORG", "GPE", "NORP"}:
            return ent, span
        if possessor and (named := next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)):
            return self.speaker(named)  # "Obama's chief of staff, Rahm Emanuel": the name speaks
        if subj.lower_ == "old" and any(c.lower_ in {"year", "years"} for c in subj.children) and not _indefinite(subj):
            # "the 43-year-old said": a description of a person named before, not a date
            return self.description(list(phrase), subj.idx), span
        if subj.ent_type_ in NOT_SPEAKERS:
            return None, span  # "seen that October praising ...": a date is nobody
        if subj.lower_ in PRONOUNS:
            return self.pronoun(subj), Span(start=subj.idx, end=subj.idx + len(subj.text), text=subj.text)
        if subj.lower_ in {"who", "that"} and subj.head.dep_ == "relcl":
            return self.speaker(subj.head.head)
        if subj.pos_ in {"NOUN", "PROPN"} and subj.tag_ not in {"NNS", "NNPS"} and not _indefinite(subj) \
                and not possessor and (subj.lemma_.lower() in self.titles or subj.lower_ in self.titles):
            # one titled person ("the senator"); "administration officials" are a group, below
            described = self.description(list(phrase), subj.idx)
            if described is not None:
                return described, span
        if subj.pos_ == "PROPN" and subj.text[:1].isupper():
            # a name the model did not tag: its compound words and itself, matched to a fuller name
            name_toks = [t for t in subj.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [subj]
            while len(name_toks) > 1 and name_toks[0].lower_.rstrip(".") in self.bare_titles:
                name_toks = name_toks[1:]  # "Representative Kurt Schrader" is Kurt Schrader
            name = " ".join(t.text for t in name_toks)
            key, canon = alias_key(name)
            if canon is None and len(key.split()) == 1:
                for ent in reversed([e for e in self.persons if e.start < subj.idx] or self.persons):
                    if key in ent.key.split():
                        return ent, span
            return Entity(start=name_toks[0].idx, end=subj.idx + len(subj.text), text=name,
                          label="PERSON", key=key, name=canon or name), span
        if subj.pos_ == "NOUN" and subj.lemma_.lower() in DOCUMENTS:
            # "the statement said": the statement speaks for whoever issued it
            author = self.author(subj)
            if author is not None:
                return author, span
        if (subj.pos_ == "NOUN" and subj.tag_ in {"NNS", "NN"}) or (subj.pos_ == "PROPN" and subj.text[:1].islower()):
            # an unnamed group, body or person ("Police", "residents", "the manager", a
            # "senator" no one was named as; "the communications ministry", which the tagger
            # took for a name): the phrase is all the text gives
            words = [t for t in phrase if (t.dep_ != "det" if possessor else t.dep_ not in {"det", "poss"})
                     and not t.is_punct]
            if len(words) > 8 or any("\n" in t.whitespace_ for t in words[:-1]):
                # a phrase the parse let run on ("Students who carried signs saying ... turned it
                # around"): the noun and the words that qualify it
                words = [t for t in subj.lefts if t.dep_ in {"amod", "compound", "nmod", "nummod"}] + [subj]
            if words:
                # "Reid's rep" as written; else the words without their articles ("Police")
                name = doc[words[0].i : words[-1].i + 1].text if possessor else " ".join(t.text for t in words)
                return Entity(start=words[0].idx, end=words[-1].idx + len(words[-1].text), text=name,
                              label="GROUP", key=normalize(name), name=name), span
        return None, span


def _untagged_surnames(doc: Doc, persons: list[Entity], by_token: dict[int, Entity],
                       spans: list[tuple[int, int]]) -> list[Entity]:
    """Subjects the tagger left untagged that are the surname of a person the article names
    ("Pelosi accused Republicans ..." after "Nancy Pelosi"): that person, so that "she said"
    next finds her and not whoever was tagged last."""
    full: dict[str, Entity] = {}
    shared: set[str] = set()  # a surname two people of the article share says nobody
    for e in persons:
        words = e.key.split()
        if len(words) >= 2:
            if words[-1] in full and full[words[-1]].key != e.key:
                shared.add(words[-1])
            full[words[-1]] = e
    for w in shared:
        del full[w]
    out = []
    for t in doc:
        if t.dep_ in SUBJECT_DEPS and t.pos_ == "PROPN" and t.i not in by_token and t.lower_ in full \
                and not _within(t.idx, spans):
            e = full[t.lower_]
            out.append(Entity(start=t.idx, end=t.idx + len(t.text), text=t.text, label="PERSON", key=e.key, name=e.name))
    return out


def _dateline(tok: Token) -> bool:
    """A place in capitals followed by a dash: the dateline that opens a news article."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return tok.text.isupper() and len(tok.text) > 3 and nxt is not None and nxt.text in {"―", "—", "–", "-", "--"}


def _indefinite(noun: Token) -> bool:
    """"one Democratic lawmaker", "a senior official": someone the text does not name, not a
    description of someone it did."""
    return any((c.dep_ == "det" and c.lower_ in {"a", "an", "another", "some", "one"}) or c.dep_ == "nummod"
               for c in noun.children)


def _within(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _reported(tok: Token) -> bool:
    """Is ``tok`` inside a clause that reports someone's words ("said [Hill must apologize]")?"""
    cues = _cue_lexicon()
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            return False
        if t.dep_ in REPORTED_DEPS and t.head.lemma_.lower() in cues and t.head.pos_ == "VERB":
            return True  # what a speech verb says (its complement or object), not who says it
        t = t.head
    return False


def _inside_clause(t: Token, root: Token) -> bool:
    """True if t hangs below a relative clause or apposition of root (not part of the name)."""
    while t != root and t.head != t:
        if t.dep_ in {"relcl", "acl", "appos"} and t.head == root:
            return True
        t = t.head
    return False


def _cue_lexicon() -> frozenset[str]:
    return word_set("cue_verbs.txt")


@functools.cache
def _judgement_verbs() -> frozenset[str]:
    """Verbs under which a few quoted words are their subject's (``_mixed_quote_verb``)."""
    return word_set("cue_verbs.txt") | word_set("judgement_verbs.txt")


def _subject(verb: Token) -> Token | None:
    """The verb's subject; of several (a parse that splits "Indivisible co-founder Ezra Levin"
    into three), the last name among them, which heads the phrase."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) > 1:
        names = [c for c in subjects if c.pos_ == "PROPN"]
        return names[-1] if names else subjects[0]
    return subjects[0] if subjects else None


def _agent(verb: Token) -> Token | None:
    """Who acts in a passive clause: the object of its "by" ("was called 'easy money' by aides")."""
    for c in verb.children:
        if c.dep_ == "agent":
            return next((o for o in c.children if o.dep_ == "pobj"), None)
    # the parser often hangs "by X" on the quoted words instead ("described as 'easy money' by X")
    for t in verb.subtree:
        if t.lower_ == "by" and t.dep_ == "prep":
            obj = next((o for o in t.children if o.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ == "PROPN":
                return obj
    return None


def _speaker_of_cue(verb: Token, res: Resolver) -> tuple[Entity | None, Span | None]:
    """The cue's subject; a verb with none (``adding``, ``calling``) borrows its head's.

    A place or group found by climbing ("Moscow and Pyongyang had ... and described") gives
    way to a person further up the chain ("Kim said ..."), since climbing can overshoot.
    """
    v = verb
    fallback: tuple[Entity | None, Span | None] = (None, None)
    climbed = False
    for _ in range(5):
        subj = _subject(v)
        found: tuple[Entity | None, Span | None] | None = None
        if not climbed and subj is not None and subj.dep_ == "nsubjpass" and v.lemma_.lower() in _cue_lexicon():
            # "That money has been described as 'easy money'": the subject of a passive speech
            # verb is what was spoken of (or to); the speaker is its agent, if the text names one
            agent = _agent(v)
            return res.speaker(agent) if agent is not None else (None, None)
        if subj is None and not climbed and v.lemma_.lower() in INVERTED_CUES:
            # '"...," tweeted the Brooklyn chapter of Indivisible': the parse took the speaker
            # after the verb for its object
            subj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i and not _within(c.idx, res.quoted)), None)
        if subj is not None:
            found = res.speaker(subj)
        elif v.dep_ == "relcl":
            found = res.speaker(v.head)
        if found is not None:
            ent = found[0]
            if ent is not None and (ent.label in {"PERSON", "ORG"} or not climbed):
                return found
            if fallback[0] is None:
                fallback = found
        if v.dep_ in CLIMB_DEPS and v.head != v:
            v = v.head
            climbed = True
            if v.pos_ == "NOUN" and v.lemma_.lower() in DOCUMENTS and _subject(v) is None:
                # "Rand issued a statement calling the article 'misleading'": the statement
                # speaks for whoever issued it
                author = res.author(v)
                if author is not None:
                    return author, Span(start=v.idx, end=v.idx + len(v.text), text=v.text)
            if v.pos_ in {"NOUN", "PROPN"} and v.dep_ in {"dobj", "attr"} and v.head != v:
                # "An official downplayed the unrest saying that ...": the parse hangs the
                # participle on the object; who speaks is the subject of the verb above it
                v = v.head
            continue
        break
    return fallback


def according_to(t: Token, end: int | None = None) -> Token | None:
    """The source ``t`` names when it starts "according to X" (X's head), else None; ``end``
    bounds where "to" may stand (the end of the clause)."""
    end = len(t.doc) if end is None else end
    if t.lower_ == "according" and t.i + 1 < end and t.doc[t.i + 1].lower_ == "to":
        return next((c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"), None)
    return None


def _according_to(tokens: Iterable[Token]) -> Token | None:
    return next((obj for t in tokens if (obj := according_to(t)) is not None), None)


def attribute_quotes(doc: Doc, entities: list[Entity], spans: list[tuple[int, int]] | None = None,
                     text: str | None = None) -> list[Quote]:
    """Quotes of the article with cue, speaker and the words that name the speaker.

    ``text`` is ``doc.text`` when the caller has it (spaCy joins every token to build it)."""
    text = doc.text if text is None else text
    spans = find_quote_spans(text) if spans is None else spans
    res = Resolver(doc, entities, spans)
    cues = _cue_lexicon()
    inside: set[int] = set()
    token_spans: list[SpacySpan | None] = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        token_spans.append(span)
        if span is not None:
            inside.update(t.i for t in span)
    quotes: list[Quote] = []
    own: list[bool] = []  # did the quotation's own sentence (or the one before) name its speaker?
    prev_para_speaker: tuple[Quote | None, int] = (None, -1)
    for (s, e), span in zip(spans, token_spans):
        q = Quote(start=s, end=e, text=text[s:e])
        own.append(False)
        if span is None:
            quotes.append(q)
            continue
        if _is_title(text, s, e, span):
            quotes.append(q)  # a show, book or slogan named in quotation marks: nobody's speech
            continue
        cue = (_find_cue(span, inside, cues) or _attribution_after(span, inside, cues)
               or _introduced_by_colon(text, s, span, inside, cues))
        ent: Entity | None = None
        who: Span | None = None
        if cue is None:
            cue = _mixed_quote_verb(span, inside, res)
        if cue is not None:
            ent, who = _speaker_of_cue(cue, res)
            q.cue = cue.text
            q.cue_span = Span(start=cue.idx, end=cue.idx + len(cue.text), text=cue.text)
        else:
            sent_tokens = [t for t in _sentences_tokens(span) if t.i not in inside]
            acc = _according_to(sent_tokens)
            if acc is not None:
                ent, who = res.speaker(acc)
                q.cue = "according to"
        if ent is None and cue is None:
            prev_cue = _previous_sentence_cue(span, inside, cues)
            if prev_cue is not None:
                ent, who = _speaker_of_cue(prev_cue, res)
                if ent is not None:
                    q.cue = prev_cue.text
                    q.cue_span = Span(start=prev_cue.idx, end=prev_cue.idx + len(prev_cue.text), text=prev_cue.text)
        own[-1] = ent is not None
        if ent is None and cue is None and _is_paragraph(text, s, e):
            prev, prev_end = prev_para_speaker
            lead = _lead_in_cue(span, inside, cues, prev_end)
            if lead is not None:
                # 'Lon Wood ... said he met Ben through his parents.' / '"They are a very close
                # family."': the paragraph before introduces the speaker, after the last quotation
                ent, who = _speaker_of_cue(lead, res)
                q.cue = lead.text if ent is not None else None
            if ent is None and prev is not None and prev.speaker and text[prev_end:s].count("\n") >= 1:
                q.speaker, q.speaker_key, q.cue = prev.speaker, prev.speaker_key, prev.cue
        elif ent is None and cue is None and _continues(span, inside, prev_para_speaker):
            # '"...," said Rubio, the son of Cuban immigrants. "He criticized ..."': a quotation
            # that fills the sentence after another one's attribution goes on with that speaker
            prev = prev_para_speaker[0]
            assert prev is not None
            q.speaker, q.speaker_key, q.cue, q.cue_span = prev.speaker, prev.speaker_key, prev.cue, prev.cue_span
        if ent is not None:
            q.speaker, q.speaker_key = ent.name, ent.key
            q.speaker_span = who
        quotes.append(q)
        prev_para_speaker = (q, e)
    for k in range(len(quotes) - 2, -1, -1):
        a, b = quotes[k], quotes[k + 1]
        gap = text[a.end:b.start]
        if not own[k] and b.speaker and "\n" in gap and not gap.strip():
            # two paragraphs of one quotation with no mark between (``find_quote_spans``): the
            # attribution after the second names who said the first
            a.speaker, a.speaker_key, a.cue, a.cue_span, a.speaker_span = (
                b.speaker, b.speaker_key, b.cue, b.cue_span, b.speaker_span)
    return quotes


def _sentences_tokens(span: SpacySpan) -> list[Token]:
    doc = span.doc
    first = span[0].sent.start
    last = span[-1].sent.end
    return list(doc[first:last])


def _is_paragraph(text: str, s: int, e: int) -> bool:
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    outside = text[line_start:s] + text[e:line_end]
    return sum(c.isalpha() for c in outside) == 0


def _find_cue(span: SpacySpan, inside: set[int], cues: frozenset[str]) -> Token | None:
    """The speech verb for a quotation, or None.

    First the governing verb: climb from the quoted words' root through heads outside the
    quotation to the first cue lemma. Failing that, for a quotation that fills most of its
    sentence, a cue verb in the rest of the sentence (``"...," the president added.``).
    """
    roots = [t for t in span if t.head.i not in range(span.start, span.end) or t.head == t]
    for root in roots:
        if root.head == root:
            # the parser made the quoted words the sentence's main clause and hung the
            # attribution below them ("Trump later confirmed ..., 'Absolutely I said that,' ...";
            # "'People said, "...",' he said at one point")
            aside = next((c for c in root.children if c.i not in inside and c.dep_ in ATTRIBUTION_DEPS
                          and c.lemma_.lower() in cues and c.pos_ == "VERB" and _subject(c) is not None), None)
            if aside is not None:
                return aside
        t = root
        for _ in range(6):
            if t.head == t:
                break
            child, t = t, t.head
            if t.i in inside:
                continue
            if t.lemma_.lower() in cues and t.pos_ in {"VERB", "AUX"}:
                return t
            # the quotation is the clausal complement of a verb with a subject: the parse says
            # that verb introduces it, whatever it is ("gushed", "implored", "interjected")
            if child.dep_ == "ccomp" and child.i in inside and t.pos_ == "VERB" and _subject(t) is not None \
                    and not any(c.dep_ == "dobj" for c in t.children) and any(x.pos_ in {"VERB", "AUX"} for x in span):
                return t  # (a quoted name or term, with no verb, is no clause: "Dubbed 'Bridgegate,' ...")
            # "... is an important issue, he said, but 'it is not ...'": the quotation continues
            # a clause whose attribution stands beside it
            aside = next((c for c in t.children if c.dep_ == "parataxis" and c.i not in inside
                          and c.lemma_.lower() in cues and _subject(c) is not None), None)
            if aside is not None:
                return aside
    sent_tokens = _sentences_tokens(span)
    words_in = sum(1 for t in span if t.is_alpha)
    frame = [t for t in sent_tokens if t.i not in inside]
    words_out = sum(1 for t in frame if t.is_alpha)
    if words_in >= 3 and words_in >= words_out:
        cands = [t for t in frame if t.lemma_.lower() in cues and t.pos_ in {"VERB", "AUX"}]
        if cands:
            return min(cands, key=lambda t: min(abs(t.i - span.start), abs(t.i - span.end)))
    return None


def _continues(span: SpacySpan, inside: set[int], previous: tuple[Quote | None, int]) -> bool:
    """Does a quotation that fills its sentence follow, in the same paragraph, a quotation with a
    speaker whose sentence is the one just before?"""
    prev, prev_end = previous
    if prev is None or not prev.speaker or prev_end < 0:
        return False
    sent = span[0].sent
    words_in = sum(1 for t in span if t.is_alpha)
    words_out = sum(1 for t in sent if t.is_alpha and t.i not in inside)
    if words_in < 3 or words_out > 0 or sent.start == 0:
        return False
    doc = span.doc
    before = doc[sent.start - 1].sent
    if any("\n" in t.text_with_ws for t in doc[before.start:sent.start]):
        return False
    return before.start_char <= prev_end <= before.end_char + 2


def _mixed_quote_verb(span: SpacySpan, inside: set[int], res: Resolver) -> Token | None:
    """For a few quoted words inside a reporter's sentence with no speech verb ("Clinton criticized
    the administration for its 'secrecy'", "Trump has referred to it as 'discriminatory and
    illegal'"): the first verb above them whose subject is a named person or organisation, whose
    words they are, when the verb carries words or a judgement (``_judgement_verbs``). A subject
    that is not a name ("the scandal", "they") leaves them nobody's: scare quotes and terms stay
    unattributed."""
    if sum(1 for t in span if t.is_alpha) > MIXED_QUOTE_WORDS:
        return None
    t = span.root
    judged = False  # the verb nearest the words carries words or a judgement ("calling us ...")
    for _ in range(6):
        if t.head.i == t.i:
            return None
        t = t.head
        if t.i in inside or t.pos_ not in {"VERB", "AUX"}:
            continue
        if t.lemma_.lower() == "be":
            return None  # "The Obama Doctrine is a version of 'Don't Do Stupid Stuff'": a comparison, not speech
        judged = judged or t.lemma_.lower() in _judgement_verbs()
        subj = _subject(t)
        if subj is None:
            continue
        if not judged or subj.dep_ == "nsubjpass":
            # "Pattinson will star in 'Moon'", "he is known as 'the Hammer'": a title, a
            # nickname, a term; the subject of a passive is spoken of, not speaking
            return None
        ent = res.by_token.get(subj.i)
        named = ent is not None and ent.label in {"PERSON", "ORG"}
        return t if named or subj.lower_ in {"he", "she"} else None
    return None


def _previous_sentence_cue(span: SpacySpan, inside: set[int], cues: frozenset[str]) -> Token | None:
    """For a quotation that fills its sentence with no cue of its own, the cue verb at the root
    of the sentence just before it in the same paragraph ("Putin noted that ... . Given these
    circumstances, "Russia does not ...")."""
    sent = span[0].sent
    words_in = sum(1 for t in span if t.is_alpha)
    words_out = sum(1 for t in sent if t.is_alpha and t.i not in inside)
    if words_in < 3 or words_in < words_out or sent.start == 0:
        return None
    doc = span.doc
    gap = doc[sent.start - 1]
    if "\n" in gap.whitespace_ or (gap.is_space and "\n" in gap.text):
        return None
    prev = doc[sent.start - 1].sent
    root = prev.root
    if root.lemma_.lower() in cues and root.i not in inside and _subject(root) is not None:
        return root
    return None


def _lead_in_cue(span: SpacySpan, inside: set[int], cues: frozenset[str], after: int) -> Token | None:
    """For a quotation that fills its paragraph: the cue verb at the root of the last sentence of
    the paragraph before, when that sentence comes after the previous quotation (``after``, its end)
    and names who speaks ("Lon Wood said he met Ben through his parents.")."""
    doc = span.doc
    k = span[0].sent.start - 1
    while k >= 0 and (doc[k].is_space or doc[k].is_punct or k in inside):
        k -= 1
    if k < 0:
        return None
    prev = doc[k].sent
    if prev.start_char < after or any(t.i in inside or any(c in MARKS for c in t.text) for t in prev):
        return None  # quoted words of its own: it is speech, or a quotation that runs on
    root = prev.root
    subj = _subject(root)
    if root.lemma_.lower() in cues and subj is not None and subj.lower_ not in {"i", "we", "you"}:
        return root
    return None


def _speech_frame_verb(tokens: list[Token]) -> Token | None:
    """In the words around a quotation that fills its sentence, a verb whose subject is a person or
    a noun and that has no object of its own: the frame says it introduces the quotation, whatever
    the verb ('"...," gushed Senator Rubio', '"...!" the manager responded'), so the cue lexicon
    need not list every way of speaking."""
    for t in tokens:
        if t.pos_ != "VERB":
            continue
        kids = list(t.children)
        subj = next((c for c in kids if c.dep_ in SUBJECT_DEPS), None)
        if subj is None or subj.pos_ not in {"PROPN", "NOUN", "PRON"}:
            continue
        if any(c.dep_ in {"dobj", "attr", "acomp", "oprd"} for c in kids):
            continue
        return t
    return None


def _attribution_after(span: SpacySpan, inside: set[int], cues: frozenset[str]) -> Token | None:
    """The cue of a quotation whose sentence ends inside it (at "?" or "!") and whose attribution
    follows as a sentence of its own: '"Why would we?" Mr. Lee said.' """
    doc = span.doc
    if span[-1].sent.end >= len(doc):
        return None
    # the quotation must end its sentence (only marks and punctuation after it)
    rest = [t for t in doc[span.end:span[-1].sent.end] if not t.is_punct and not t.is_space]
    if rest:
        # the parser left the attribution in the quotation's sentence: it must open that
        # sentence and the frame must be short, or a verb of a later clause ("calls for them to
        # 'stand strong' on Sunday, when McConnell suggested ...") would take the quotation
        lead = [t for t in doc[span[0].sent.start:span.start] if not t.is_punct and not t.is_space]
        if not lead and sum(t.is_alpha for t in rest) <= FRAME_WORDS:
            return _frame_cue(rest, inside, cues)
        # else only a speech verb with no subject of its own, which speaks for its clause's
        # subject ("took aim at them for 'discriminating' -- saying that ...")
        return next((t for t in rest if t.lemma_.lower() in cues and t.pos_ == "VERB" and t.i not in inside
                     and _subject(t) is None and t.dep_ in CLIMB_DEPS), None)
    nxt = doc[span[-1].sent.end].sent
    opens = not any(not t.is_punct and not t.is_space for t in doc[span[0].sent.start:span.start])
    gap = doc[span.end:nxt.start]
    if any("\n" in t.text_with_ws for t in gap):
        return None
    frame = [t for t in nxt if t.i not in inside]
    if not frame or frame[0].i in inside:
        return None
    if any(t.i in inside for t in nxt):  # the next sentence quotes again: its cue is its own
        return None
    if sum(t.is_alpha for t in frame) <= FRAME_WORDS:
        return _frame_cue(frame, inside, cues)
    # a longer frame is an attribution only when it is one: a speech verb whose subject opens
    # the sentence and that has nothing said of its own ('"...?" Representative Kevin Marsh of
    # Ohio, the Republican leader, asked at a news conference.')
    verb = nxt.root
    subj = _subject(verb)
    if (opens and verb.lemma_.lower() in cues and subj is not None and subj.left_edge.i == frame[0].i
            and not any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children)):
        return verb
    return None


def _frame_cue(frame: list[Token], inside: set[int], cues: frozenset[str]) -> Token | None:
    lexical = [t for t in frame if t.lemma_.lower() in cues and t.pos_ in {"VERB", "AUX"} and t.i not in inside]
    return lexical[0] if lexical else _speech_frame_verb(frame)


def _introduced_by_colon(text: str, s: int, span: SpacySpan, inside: set[int], cues: frozenset[str]) -> Token | None:
    """A quotation after a colon takes the cue of the clause before it ("That was how Schiff
    described it: '...'", "He sighed: '...'"): a cue verb there, or a verb of that clause with a
    subject and no object."""
    before = text[:s].rstrip().rstrip("\"'“‘«„").rstrip()
    if not before.endswith(":"):
        return None
    doc = span.doc
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None:
        return None
    clause = [t for t in doc[colon.start].sent if t.i < colon.start and t.i not in inside]
    lexical = [t for t in clause if t.lemma_.lower() in cues and t.pos_ in {"VERB", "AUX"}]
    if lexical:
        return lexical[-1]
    verbs = [t for t in clause if t.pos_ == "VERB" and _subject(t) is not None]
    if not verbs:
        return None
    objects = [c for c in verbs[-1].children if c.dep_ == "dobj"]
    # "The committee issued a brief statement:": the document it issued says the quotation
    if not objects or any(o.lemma_.lower() in DOCUMENTS for o in objects):
        return verbs[-1]
    return None


def _is_title(text: str, s: int, e: int, span: SpacySpan) -> bool:
    """Quotation marks around a name, not speech: every word capitalised, a few words, no verb of
    its own ("Face the Nation", "Make America Great Again" as a slogan is caught by its capitals)."""
    words = [t for t in span if t.is_alpha]
    if not words or len(words) > 6:
        return False
    doc = span.doc
    before = doc[span.start - 2] if span.start >= 2 else None
    after = doc[span.end + 1] if span.end + 1 < len(doc) else None
    if len(words) <= 2 and before is not None and after is not None and before.pos_ == "PROPN" and after.pos_ == "PROPN":
        return True  # a nickname inside a name: William "Mo" Cowan
    small = {"the", "a", "an", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by"}
    if not all(t.text[0].isupper() for t in words if t.lower_ not in small):
        return False
    if len(words) == 1:
        return False  # a one-word quote ("Disgraceful") is speech as often as not
    return not (text[s:e].rstrip().endswith((".", "!", "?", ",")) and len(words) > 3)
