from pathlib import Path

import pytest

from claimledger.errors import InputError
from claimledger.extract.reader import make_article, read_paths

BAD_INPUTS = [
    # (file name, bytes, expected message)
    ("empty.txt", b"", "{p} is empty"),
    ("blank.txt", b"  \n\n ", "{p} is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "{p} is not a text file (it holds binary data)"),
    ("latin.txt", b"caf\xe9 au lait", "cannot decode {p} as UTF-8 (byte 0xe9 at offset 3)"),
    ("nofield.jsonl", b'{"title": "x"}\n', '{p}:1 has no "text" field'),
    ("badjson.jsonl", b'{"text": \n', "{p}:1 is not valid JSON (Expecting value at column 10)"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS)
def test_bad_input_messages(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError) as exc:
        list(read_paths([str(p)]))
    assert exc.value.message == message.format(p=p)


def test_missing_path() -> None:
    with pytest.raises(InputError) as exc:
        list(read_paths(["no/such/file.txt"]))
    assert exc.value.message == "no such file or folder: no/such/file.txt"


def test_front_matter_and_regions(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("---\nsource: Daily Planet\npublished: 2024-06-19\n---\nBig summit ends\n"
                 "Leaders met on Wednesday.\nRead more: other news\n", encoding="utf-8")
    (art,) = read_paths([str(p)])
    assert (art.source, art.published, art.title) == ("Daily Planet", "2024-06-19", "Big summit ends")
    assert art.text.startswith("Big summit ends")
    assert [(r.role, r.text) for r in art.regions] == [
        ("headline", "Big summit ends"), ("body", "Leaders met on Wednesday."), ("boilerplate", "Read more: other news")]


LAYOUTS = [
    # (text, expected (role, text) of regions)
    ("Defense\n\nPutin and Kim sign deal\n\nThey signed it today.\n",
     [("metadata", "Defense"), ("headline", "Putin and Kim sign deal"), ("body", "They signed it today.")]),
    (" date 2025-03-28 Pyongyang has the right to defend itself\n\nMoscow said so.\n",
     [("metadata", "date 2025-03-28 "), ("headline", "Pyongyang has the right to defend itself"),
      ("body", "Moscow said so.")]),
    ("One sentence article.\nCover photo: via REUTERS\n",
     [("body", "One sentence article."), ("boilerplate", "Cover photo: via REUTERS")]),
    ("Reid checked into rehab, her rep said.\nShe is fine, the rep added.\n",
     [("body", "Reid checked into rehab, her rep said."), ("body", "She is fine, the rep added.")]),
]


@pytest.mark.parametrize(("text", "expected"), LAYOUTS)
def test_layout(tmp_path: Path, text: str, expected: list) -> None:
    p = tmp_path / "x.txt"
    p.write_text(text, encoding="utf-8")
    (art,) = read_paths([str(p)])
    assert [(r.role, r.text) for r in art.regions] == expected
    assert all(art.text[r.start:r.end] == r.text for r in art.regions)


PUBLISHED = [
    # (text, publication day found in its first lines)
    ("http: / / gothamist. com / 2013 / 03 / 11 / dozens _ riot\nDozens riot\nThey did.\n", "2013-03-11"),
    ("http://usatoday30.usatoday.com/news/nation/2007-04-09-office-shooting\nOne dead\nHe fled.\n", "2007-04-09"),
    ("http: / / mlb. com / news / article. jsp? ymd=20081216&content _ id=3718580\nOffer made\nIt was.\n",
     "2008-12-16"),
    ("http: / / www. bbc. co. uk / news / world - europe - 24021843\nRobbers ram shop\nThey did.\n", None),
    ("http: / / example. com / 2008 / 12 / offer. html\nOffer made\nIt was.\n", None),  # a month, not a day
    ("Sox extend offer\n12 / 16 / 08 1: 30 AM EST\nThe Red Sox made an offer.\n", "2008-12-16"),
    ("Fire guts store\nUpdated 4 / 9 / 2007 6: 04 PM\nA fire broke out.\n", "2007-04-09"),
    ("Heist in Paris\n26/09/2013\nThieves struck.\n", "2013-09-26"),
    # a date line says it better than the address
    ("http: / / example. com / 2013 / 03 / 12 / vigil\nVigil turns violent\nMarch 11, 2013\nIt did.\n",
     "2013-03-11"),
]


@pytest.mark.parametrize(("text", "published"), PUBLISHED)
def test_publication_day(tmp_path: Path, text: str, published: str | None) -> None:
    p = tmp_path / "x.txt"
    p.write_text(text, encoding="utf-8")
    (art,) = read_paths([str(p)])
    assert art.published == published


def test_jsonl_and_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Text b here.", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"text": "One.", "source": "wire"}\n\n{"text": "Two."}\n', encoding="utf-8")
    arts = list(read_paths([str(tmp_path)]))
    assert [(a.source, a.text) for a in arts] == [("wire", "One."), ("a", "Two."), ("b", "Text b here.")]


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "u.txt"
    p.write_bytes("Café news.".encode("utf-16"))
    (art,) = read_paths([str(p)])
    assert art.text == "Café news."


@pytest.mark.parametrize(("line", "not_text", "text"), [
    ("<tweet id=123 author=realDonaldTrump>The Wall is being built!</tweet>",
     ["<tweet id=123 author=realDonaldTrump>", "</tweet>"], "The Wall is being built!"),
    ("</blockquote>", ["</blockquote>"], None),
    ("MR. WALLACE: Will you sign the bill?", ["MR. WALLACE: "], "Will you sign the bill?"),
    ("Q: Did you speak to him?", ["Q: "], "Did you speak to him?"),
    ("CHRIS WALLACE: And the wall?", ["CHRIS WALLACE: "], "And the wall?"),
    ("The senator said: the bill is dead.", [], "The senator said: the bill is dead."),  # not a label
    ("Mr. Smith: a profile of the mayor.", [], "Mr. Smith: a profile of the mayor."),  # not in capitals
])
def test_markup_and_transcript_labels_are_not_text(line: str, not_text: list[str], text: str | None) -> None:
    from claimledger.extract.layout import find_regions

    regions, _ = find_regions("A headline for the story\n" + line + "\nThe last line of the body text.\n")
    assert [r.text for r in regions if r.role == "metadata"] == not_text
    body = [r.text for r in regions if r.role == "body"]
    assert body == ([text] if text else []) + ["The last line of the body text."]
    assert regions == sorted(regions, key=lambda r: r.start)


def test_no_claim_holds_markup_or_a_speaker_label(nlp) -> None:
    from claimledger.extract.claims import extract

    text = ("Trump defends the wall at a rally\n<tweet id=1 author=realDonaldTrump>The wall is being built "
            "in Texas this week!</tweet>\nMR. WALLACE: Will the president sign the spending bill?\n")
    art = make_article(text, name="t", source="s", path=None)
    units = [u.text for u in extract(nlp(text), art).units]
    assert "The wall is being built in Texas this week!" in units
    assert "Will the president sign the spending bill?" in units
    assert not any("<" in u or ">" in u or "WALLACE" in u for u in units)
