"""Claim units of a sentence: the propositions a sentence gives, and the fronted phrase that sets a
sentence's scene, which alignment leaves out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimledger.extract.claims import NUMBER_LABELS, compared_number, extract, fronted, number_measure
from claimledger.extract.reader import make_article
from claimledger.group.align import compared_quote, reworded_of


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



def propositions(nlp, sentence: str) -> list[str]:
    """The claims a body sentence gives, as readable text (``canonical``)."""
    art = make_article("A headline\n\n" + sentence + "\n", name="t", source="t", path=None)
    return [u.canonical for u in extract(nlp(art.text), art).units if u.role == "body"]


# (sentence, the claims it must give): a proposition each, readable on its own; a circumstance
# (time, place, condition, purpose, a relative or participial clause) stays with its clause
PROPOSITIONS = [
    # relative clauses stay with their antecedent
    ("Michael Flynn, who pleaded guilty on Friday to lying to the FBI, is cooperating with prosecutors.",
     ["Michael Flynn, who pleaded guilty on Friday to lying to the FBI, is cooperating with prosecutors."]),
    ("Kim Jong Un, who met Putin in Pyongyang, pledged full support for the war in Ukraine.",
     ["Kim Jong Un, who met Putin in Pyongyang, pledged full support for the war in Ukraine."]),
    ("The company, which was founded in 1998, announced layoffs on Monday.",
     ["The company, which was founded in 1998, announced layoffs on Monday."]),
    ("The agency said it would review the policy, which critics have called discriminatory.",
     ["The agency said it would review the policy, which critics have called discriminatory."]),
    ("The protesters, many of whom carried signs, marched to the Capitol.",
     ["The protesters, many of whom carried signs, marched to the Capitol."]),
    ("Democrats passed legislation that would fund the whole government but not the wall.",
     ["Democrats passed legislation that would fund the whole government but not the wall."]),
    # conditions, purposes and limits belong to their proposition
    ("He said the government could reopen very quickly if they come to an agreement on the wall.",
     ["He said the government could reopen very quickly if they come to an agreement on the wall."]),
    ("If the North came under attack, Russia would provide military assistance.",
     ["If the North came under attack, Russia would provide military assistance."]),
    ("To bypass Congress, the president may declare a national emergency.",
     ["To bypass Congress, the president may declare a national emergency."]),
    ("Pelosi said Democrats cannot resolve the dispute until the government fully opens.",
     ["Pelosi said Democrats cannot resolve the dispute until the government fully opens."]),
    ("Although the deal passed, many liberals were furious.", ["Although the deal passed, many liberals were furious."]),
    # participial phrases and time adjuncts are circumstances of their clause
    ("Trump sent a letter to members of Congress, congratulating Pelosi on her election as speaker.",
     ["Trump sent a letter to members of Congress, congratulating Pelosi on her election as speaker."]),
    ("Facing pressure from the left, Schumer defended the deal as the best option.",
     ["Facing pressure from the left, Schumer defended the deal as the best option."]),
    ("Russia and North Korea signed a pact, vowing to offer mutual aid against aggression.",
     ["Russia and North Korea signed a pact, vowing to offer mutual aid against aggression."]),
    ("The actress checked into rehab before the premiere of her new film.",
     ["The actress checked into rehab before the premiere of her new film."]),
    ("Hutchinson signed a revised version of the bill after the legislature passed it.",
     ["Hutchinson signed a revised version of the bill after the legislature passed it."]),
    ("Police arrested the man in a house in Surrey on Tuesday morning.",
     ["Police arrested the man in a house in Surrey on Tuesday morning."]),
    ("Despite the grandeur of the ceremony, details of the agreement were not made public.",
     ["Despite the grandeur of the ceremony, details of the agreement were not made public."]),
    ("The vote was 81 to 18, with most Democrats joining Republicans.",
     ["The vote was 81 to 18, with most Democrats joining Republicans."]),
    # lists of facts: coordinated clauses, the shared actor named
    ("The senator resigned in March, and his deputy took over the office.",
     ["The senator resigned in March", "his deputy took over the office."]),
    ("Putin arrived in Pyongyang on Wednesday, and Kim greeted him at the airport.",
     ["Putin arrived in Pyongyang on Wednesday", "Kim greeted him at the airport."]),
    ("The bill funds the government until Feb. 8 and extends a children's health program for six years.",
     ["The bill funds the government until Feb. 8", "The bill extends a children's health program for six years."]),
    ("The storm killed 14 people and injured 19 others, officials said.",
     ["The storm killed 14 people and injured 19 others, officials said."]),
    ("Schumer agreed to end the shutdown in exchange for a promised vote on immigration.",
     ["Schumer agreed to end the shutdown in exchange for a promised vote on immigration."]),
    # reported speech is one fact about what was said
    ("The court ruled that the law was unconstitutional.", ["The court ruled that the law was unconstitutional."]),
    ("Trump tweeted Saturday that the wall would be built.", ["Trump tweeted Saturday that the wall would be built."]),
    ("Zinke, a former Navy SEAL, said the issue had been under study for years.",
     ["Zinke, a former Navy SEAL, said the issue had been under study for years."]),
    ("Officials said the fire started in the kitchen.", ["Officials said the fire started in the kitchen."]),
    # quotations: a quoted sentence is one quote claim; two quotations in two clauses are two
    ('"We are not playing games," Trump told reporters in the Rose Garden.',
     ['"We are not playing games," Trump told reporters in the Rose Garden.']),
    ('"It is really a breakthrough document," Putin said at a press conference, adding that it provided '
     '"mutual assistance in case of aggression against one of the parties," agencies reported.',
     ['"It is really a breakthrough document," Putin said at a press conference',
      'Putin adding that it provided "mutual assistance in case of aggression against one of the parties," '
      'agencies reported.']),
    ('Schumer said Trump told them "he would keep the government closed for a very long period of time."',
     ['Schumer said Trump told them "he would keep the government closed for a very long period of time."']),
    ('The president called the border a "dangerous, horrible disaster" and vowed to build the wall.',
     ['The president called the border a "dangerous, horrible disaster" and vowed to build the wall.']),
]


@pytest.mark.parametrize(("sentence", "expected"), PROPOSITIONS)
def test_a_sentence_gives_self_contained_propositions(nlp, sentence: str, expected: list[str]) -> None:
    assert propositions(nlp, sentence) == expected


def test_no_claim_of_the_table_is_a_fragment(nlp) -> None:
    # a proposition names who or what it is about: parsed alone, it has a subject, and it does not
    # open on the word that joined it to its sentence
    for sentence, _ in PROPOSITIONS:
        for claim in propositions(nlp, sentence):
            assert any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in nlp(claim)), claim
            if claim != sentence:
                assert claim.split()[0].lower() not in {"and", "but", "who", "which", "while", "saying"}, claim


@pytest.mark.parametrize(
    ("value", "known", "expected"),
    [
        # more or less of one quotation: the same value, so the outlets agree
        ("disgraceful", ["i thought her comments were disgraceful"], "i thought her comments were disgraceful"),
        ("let everybody participate good bad", ["let everybody participate good bad and we will all figure it out"],
         "let everybody participate good bad and we will all figure it out"),
        ("this despicable decision but", ["this despicable decision,but"], "this despicable decision,but"),
        # one quotation worded twice: its own value, a quote disagreement
        ("it is really a breakthrough document", ["truly a breakthrough"], "it is really a breakthrough document"),
        ("indefinite restrictive regime inspired by the us", ["indefinite restrictions regime"],
         "indefinite restrictive regime inspired by the us"),
        # another quotation in the same claim: not compared
        ("i may do it", ["we can call a national emergency"], None),
    ],
)
def test_quotations_compared_within_a_claim(value: str, known: list[str], expected: str | None) -> None:
    assert compared_quote(value, known) == expected


@pytest.mark.parametrize(("sentence", "numbers"), [
    ("Security has tightened since the 9/11 attacks on New York.", []),  # a named day, not a count
    ("The House passed 3/4 of the bills on its agenda.", ["3/4"]),
    ("Police made at least 47 arrests overnight in the city.", ["at least 47"]),
])
def test_named_days_are_not_numbers(nlp, sentence: str, numbers: list[str]) -> None:
    from claimledger.extract.reader import make_article

    art = make_article(f"Headline\n\n{sentence}\n", name="x", source="x", path=None)
    units = extract(nlp(art.text), art).units
    assert [n.text for u in units for n in u.numbers] == numbers


@pytest.mark.parametrize(("value", "known", "expected"), [
    ("we are asking the president to open up government", ["we re asking the president to open the government"],
     "we re asking the president to open the government"),
    ("it is really a breakthrough document", ["truly a breakthrough"], "truly a breakthrough"),
    # function words do not make two quotations one reworded
    ("gross abuse of the power of the presidency",
     ["this is plainly a power grab by a disappointed president who has gone outside the bounds of the law"], None),
    ("disgraceful", ["i thought her comments were disgraceful"], None),  # held inside: the same words, cut shorter
])
def test_a_quotation_rewords_another_when_their_content_words_agree(value: str, known: list[str],
                                                                      expected: str | None) -> None:
    assert reworded_of(value, known) == expected
