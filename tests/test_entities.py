"""Canonical entities: variants meet, different people stay apart."""

import pytest

from claimledger.extract.entities import alias_key, normalize, resolve_entities, title_case_spans

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lindsay Lohan Checks Into Rehab at Betty Ford Center", [True]),
        ("Russian President Vladimir Putin arrived on Tuesday.", [False]),  # names, then one plain word
        ("PUTIN ARRIVES IN PYONGYANG", [False]),  # capitals throughout
        ("Putin Arrives.", [False]),  # too short to tell
    ],
)
def test_title_case_sentences(nlp, text: str, expected: list[bool]) -> None:
    doc = nlp(text)
    spans = title_case_spans(doc)
    assert [any(s <= sent.start and sent.end <= e for s, e in spans) for sent in doc.sents] == expected


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        # the model tags "Lindsay Lohan Checks Into Rehab" as one name; the body names her
        ("Lindsay Lohan Checks Into Rehab At Clinic", [("Lindsay Lohan", "lindsay lohan")]),
        # a surname the body gives a full name to
        ("Lohan Offer Reportedly Bumped To New High", [("Lohan", "lindsay lohan")]),
        # "Palin" (tagged a place) is the body's Sarah Palin; "Church Damaged In Suspicious Fire"
        # (tagged an organisation) is named nowhere else: words again
        ("Palin's Church Damaged In Suspicious Fire", [("Palin", "sarah palin")]),
    ],
)
def test_names_in_a_title_case_headline_are_the_names_the_body_uses(nlp, headline: str,
                                                                     expected: list[tuple[str, str]]) -> None:
    text = headline + ("\n\nActress Lindsay Lohan checked into a clinic on Friday, her lawyer said. "
                       "The church that Sarah Palin attends was damaged by fire.")
    doc = nlp(text)
    in_headline = [(e.text, e.key) for e in resolve_entities(doc) if e.end <= len(headline)]
    assert in_headline == expected


@pytest.mark.parametrize(("key", "expected"), [
    ("donald j trump", "donald trump"),  # a middle initial
    ("adam b schiff", "adam schiff"),
    ("bob goodlatte", "robert goodlatte"),  # a short given name (models/nicknames.tsv)
    ("robert w goodlatte", "robert goodlatte"),
    ("k michael conaway", "michael conaway"),  # a leading initial before the name used
    ("a barry rand", "barry rand"),
    ("donald trump jr", "donald trump jr"),  # the son is not the father
    ("j k rowling", "j k rowling"),  # initials first: nothing to drop
    ("trump", "trump"),
    ("george w] bush", "george bush"),  # a bracket of an editor's insertion is not part of the name
])
def test_one_person_one_key(key: str, expected: str) -> None:
    from claimledger.extract.entities import person_key

    assert person_key(key) == expected


def test_a_surname_alone_joins_the_one_person_of_the_story_with_it() -> None:
    from claimledger.group.people import join_surnames
    from claimledger.records import Article, ArticleRecords, Entity, Quote

    def rec(*keys: str) -> ArticleRecords:
        ents = [Entity(start=0, end=5, text=k.title(), label="PERSON", key=k, name=k.title()) for k in keys]
        return ArticleRecords(article=Article(text="x", source="s"), entities=ents,
                              quotes=[Quote(start=0, end=1, text="x", speaker=ents[0].name, speaker_key=keys[0])])

    people = {"donald trump": "Donald J. Trump", "paul ryan": "Paul Ryan", "tim ryan": "Tim Ryan"}
    out = join_surnames(rec("trump", "ryan"), people)
    assert [(e.key, e.name) for e in out.entities] == [("donald trump", "Donald J. Trump"), ("ryan", "Ryan")]
    assert (out.quotes[0].speaker, out.quotes[0].speaker_key) == ("Donald J. Trump", "donald trump")
    assert join_surnames(rec("pelosi"), people).entities[0].key == "pelosi"  # nobody of that name: as it was


@pytest.mark.parametrize(("key", "people", "expected"), [
    ("hillary rodham clinton", {"hillary clinton": "Hillary Clinton"}, "hillary clinton"),
    ("sarah huckabee sanders", {"sarah sanders": "Sarah Sanders"}, "sarah sanders"),
    ("hillary clinton", {"hillary rodham clinton": "Hillary Rodham Clinton"}, "hillary clinton"),  # never lengthened
    ("john paul jones", {"john jones": "John Jones", "john paul jones": "John Paul Jones"}, "john jones"),
    ("donald trump jr", {"donald jr": "Donald Jr"}, "donald trump jr"),  # a suffix is not a surname
    ("mary ann smith", {"mary smith": "Mary Smith"}, "mary smith"),
    ("ruth bader ginsburg", {"ruth ginsberg": "Ruth Ginsberg"}, "ruth bader ginsburg"),  # another spelling: apart
])
def test_a_middle_name_left_out_is_the_same_person(key: str, people: dict[str, str], expected: str) -> None:
    from claimledger.group.people import join_surnames
    from claimledger.records import Article, ArticleRecords, Entity, Quote

    ent = Entity(start=0, end=5, text=key.title(), label="PERSON", key=key, name=key.title())
    rec = ArticleRecords(article=Article(text="x", source="s"), entities=[ent],
                         quotes=[Quote(start=0, end=1, text="x", speaker=ent.name, speaker_key=key)])
    out = join_surnames(rec, people)
    assert out.entities[0].key == expected
    assert out.quotes[0].speaker_key == expected
