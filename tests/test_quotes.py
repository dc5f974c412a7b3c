"""Quote shapes: (sentence, quoted content, speaker or None, cue or None)."""

import pytest

from claimledger.claims import extract
from claimledger.models import Article
from claimledger.quotes import find_quote_spans
from claimledger.reader import make_article

SHAPES = [
    ('"We will win," Smith said.', "We will win,", "Smith", "said"),
    ('“We will win,” said John Smith.', "We will win,", "John Smith", "said"),
    ('John Smith said: "The plan is dead."', "The plan is dead.", "John Smith", "said"),
    ('Mayor Jane Doe added, “The budget is balanced."', "The budget is balanced.", "Jane Doe", "added"),
    ('Jane Doe met the press. "Nothing changes," she said.', "Nothing changes,", "Jane Doe", "said"),
    ('"It is over," Doe said, "and we move on."', "It is over,", "Doe", "said"),
    ('Smith called the deal "a disaster for workers."', "a disaster for workers.", "Smith", "called"),
    ('The country will not accept "blackmail," the paper wrote.', "blackmail,", None, "wrote"),
    ('They want a "fair" outcome.', "fair", None, None),
    ('Chancellor Olaf Scholz spoke in Berlin. The German chancellor said "no deal is better".',
     "no deal is better", "Olaf Scholz", "said"),
    ('Acme Corp said in a statement that profits were "robust."', "robust.", "Acme Corp", "said"),
    ('Kim Jong Un, who offered his "full support", smiled.', "full support", "Kim Jong Un", "offered"),
]


@pytest.mark.parametrize(("text", "content", "speaker", "cue"), SHAPES)
def test_quote_shapes(nlp, text: str, content: str, speaker: str | None, cue: str | None) -> None:
    art = make_article(text, name="t", source="t", path=None)
    rec = extract(nlp(art.text), art)
    q = next(q for q in rec.quotes if q.text == content)
    assert (q.speaker, q.cue if speaker else q.speaker) == (speaker, cue if speaker else None)


MARKS = [
    ('a "b c" d', ["b c"]),
    ("a “b c” d “e”", ["b c", "e"]),
    ('a “b c." d', ["b c."]),
    ('stray " mark\nnext line', []),
    ('“First para.\n“Second para.” end', ["First para.\n“Second para."]),
    ('" spaced quote , " he said', ["spaced quote ,"]),
]


@pytest.mark.parametrize(("text", "expected"), MARKS)
def test_quote_marks(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in find_quote_spans(text)] == expected


def test_article_model_offsets(nlp) -> None:
    art: Article = make_article('Putin said: "We agree."\n', name="t", source="t", path=None)
    rec = extract(nlp(art.text), art)
    for q in rec.quotes:
        assert art.text[q.start:q.end] == q.text
    for u in rec.units:
        assert art.text[u.start:u.end] == u.text
