"""Claim units of a sentence: the time adjuncts that become units of their own, and the fronted
phrase that sets a sentence's scene, which alignment leaves out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimledger.claims import NUMBER_LABELS, compared_number, fronted, number_measure


@pytest.mark.parametrize(
    ("sentence", "scene"),
    [
        ("Despite the grandeur of the signing ceremony, details of the agreement have not been made public.",
         "Despite the grandeur of the signing ceremony"),
        ("Under these circumstances, Russia does not rule out military cooperation with the DPRK.",
         "Under these circumstances"),
        ("Before reaching their convoy of cars, the leaders stopped and engaged in a lively discussion.",
         "Before reaching their convoy of cars"),
        ("Earlier on Tuesday, Putin arrived in the DPRK for a state visit.", "Earlier on Tuesday"),
        ("According to AP, analysts predict that Kim will leverage this partnership.", "According to AP"),
        # a name before the subject is no scene, whatever the parse calls it
        ("Russia, DPRK agree on mutual aid against aggression", ""),
        # a phrase after the subject is part of the statement
        ("Putin, in turn, thanked his host Kim.", ""),
        ("Police arrested the man in a house in Surrey on Tuesday morning.", ""),
        # not set off by a comma: read as part of the statement
        ("On Tuesday police arrested the man.", ""),
    ],
)
def test_fronted_scene(nlp, sentence: str, scene: str) -> None:
    doc = nlp(sentence)
    assert doc[:fronted(doc[:])].text == scene


def test_a_statement_is_aligned_without_its_scene(seed_db: Path) -> None:
    """"Despite the grandeur of the signing ceremony, details of the agreement have not been made
    public" states what "Details of the deal were not immediately clear" states; its scene is
    stored apart from the terms alignment compared."""
    with sqlite3.connect(seed_db) as con:
        rows = dict(con.execute(
            "select text, claim_id from mentions where kind = 'statement' and "
            "(text like 'Details of the deal were not%' or text like 'Despite the grandeur%')").fetchall())
        scene, terms = con.execute(
            "select scene_terms, terms from mentions where text like 'Despite the grandeur%'").fetchone()
    assert len(rows) == 2 and len(set(rows.values())) == 1
    assert scene.split("\t") == ["grandeur", "signing", "ceremony"] and "grandeur" not in terms.split("\t")


NUMBERS = [
    # (sentence, [(number as written, value compared, measure)])
    ("Ten people were killed.", [("Ten", "10", "people")]),
    ("An Indian warship intercepted three boats with 26 Somali pirates.", [("three", "3", "boat"), ("26", "26", "pirate")]),
    ("Ford finished his career in 1978 with 2,290 points.", [("2,290", "2290", "point")]),
    ("Jewellery worth an estimated two million euros was taken.", [("an estimated two million", "2 million", "euro")]),
    ("The deal is worth $160 million over eight years.", [("$160 million", "160 million", "dollar")]),
    ("Luck throws for 205 yards.", [("205 yards", "205", "yard")]),
    ("Turnout reached 93.87 percent.", [("93.87 percent", "93.87", "percent")]),
    ("At least 12 people died.", [("At least 12", "12", "people")]),
    ("Ten people were killed and about 50 injured.", [("Ten", "10", "people"), ("about 50", "50", None)]),  # left open
    ("The call came at 3: 33 a. m. from someone.", [("3", "3", None), ("33 a. m.", "33", None)]),  # a clock time
]


@pytest.mark.parametrize(("sentence", "expected"), NUMBERS)
def test_numbers_are_compared_by_value_within_what_they_count(nlp, sentence: str, expected: list) -> None:
    doc = nlp(sentence)
    found = [(e.text, compared_number(e.text), number_measure(e)) for e in doc.ents if e.label_ in NUMBER_LABELS]
    assert found == expected

