"""Canonical entities: variants meet, different people stay apart."""

import pytest

from claimledger.entities import alias_key, normalize, resolve_entities

SAME = [
    # (name in one outlet, name in another): one canonical key
    ("Kim Jong-un", "Kim Jong Un"),
    ("DPRK", "North Korea"),
    ("Democratic People's Republic of Korea", "North Korea"),
    ("the U.S.", "United States"),
    ("U.N.", "United Nations"),
    ("Kiev", "Kyiv"),
    ("North Korea's", "North Korea"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_variants_share_a_key(a: str, b: str) -> None:
    assert alias_key(a)[0] == alias_key(b)[0]


@pytest.mark.parametrize(("surface", "key"), [("Kim Jong-un", "kim jong un"), ("the U.S.'s", "us"), ("Putin’s", "putin")])
def test_normalize(surface: str, key: str) -> None:
    assert normalize(surface) == key


def _keys(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.key) for e in resolve_entities(nlp(text)) if e.label == "PERSON"]


def test_short_name_takes_the_full_name(nlp) -> None:
    keys = dict(_keys(nlp, "Russian President Vladimir Putin arrived on Tuesday. Putin was greeted warmly."))
    assert keys["Putin"] == "vladimir putin"


def test_two_people_of_one_surname_stay_apart(nlp) -> None:
    text = ("Kim Jong Un met his sister Kim Yo Jong in Pyongyang. Kim Yo Jong later issued a statement. "
            "Kim Jong Un did not attend the dinner.")
    keys = {k for _, k in _keys(nlp, text)}
    assert {"kim jong un", "kim yo jong"} <= keys


ACRONYMS = [
    ("The European Central Bank raised rates on Thursday. The ECB said inflation was high.", "ECB"),
    ("The National Transportation Safety Board opened an inquiry. NTSB investigators arrived.", "NTSB"),
    ("The Federal Bureau of Investigation arrested him. The FBI said he was armed.", "FBI"),
]


@pytest.mark.parametrize(("text", "acronym"), ACRONYMS)
def test_acronym_takes_the_spelled_out_name(nlp, text: str, acronym: str) -> None:
    ents = resolve_entities(nlp(text))
    long_name = next(e for e in ents if len(e.text.split()) > 1)
    short = next(e for e in ents if e.text == acronym)
    assert short.key == long_name.key
