"""Claim units of a sentence: the time adjuncts that become units of their own."""

from __future__ import annotations

import pytest

from claimledger.claims import adjuncts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the occasion as a circumstance of another statement, its closing bracket kept
        ("Moscow and Pyongyang have vowed to support each other, Putin said during his visit to the "
         "Democratic People's Republic of Korea (DPRK) on Wednesday.",
         ["during his visit to the Democratic People's Republic of Korea (DPRK) on Wednesday"]),
        ("The actress checked into rehab before the premiere of her new film.",
         ["before the premiere of her new film"]),
        ("During the summit, Kim pledged full support for Russia's war in Ukraine.", ["During the summit"]),
        # hanging on a noun, not on the verb: part of what is said, not its occasion
        ("The talks after the summit were cancelled by the foreign ministry.", []),
        # too short to compare
        ("Kim spoke after talks.", []),
        # other prepositions are not occasions
        ("Police arrested the man in a house in Surrey on Tuesday morning.", []),
    ],
)
def test_adjuncts(nlp, sentence: str, expected: list[str]) -> None:
    doc = nlp(sentence)
    assert [a.text for a in adjuncts(doc[:])] == expected
