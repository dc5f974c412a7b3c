"""Quote shapes: (sentence, quoted content, speaker or None, cue or None)."""

import pytest

from claimledger.extract.claims import extract
from claimledger.extract.quotes import find_quote_spans
from claimledger.extract.reader import make_article
from claimledger.records import Article

# (text, quoted content, speaker or None, cue or None): written for this project, one shape a row
SHAPES = [
    ('"We will win," Smith said.', "We will win,", "Smith", "said"),
    ('“We will win,” said John Smith.', "We will win,", "John Smith", "said"),
    ('John Smith said: "The plan is dead."', "The plan is dead.", "John Smith", "said"),
    ('Mayor Jane Doe added, “The budget is balanced."', "The budget is balanced.", "Jane Doe", "added"),
    ('Jane Doe met the press. "Nothing changes," she said.', "Nothing changes,", "Jane Doe", "said"),
    ('"It is over," Doe said, "and we move on."', "It is over,", "Doe", "said"),
    ('"It is over," Doe said, "and we move on."', "and we move on.", "Doe", "said"),
    ('Smith called the deal "a disaster for workers."', "a disaster for workers.", "Smith", "called"),
    ('The country will not accept "blackmail," the paper wrote.', "blackmail,", "paper", "wrote"),
    ('The two countries would not tolerate "blackmail," and Putin called for talks.', "blackmail,", None, None),
    ('They want a "fair" outcome.', "fair", None, None),
    ('Chancellor Olaf Scholz spoke in Berlin. The German chancellor said "no deal is better".',
     "no deal is better", "Olaf Scholz", "said"),
    ('Acme Corp said in a statement that profits were "robust."', "robust.", "Acme Corp", "said"),
    # a pronoun goes to the nearest person it agrees with
    ('Nancy Pelosi met Barack Obama on Monday. Obama left early. "We have the votes," she said.',
     "We have the votes,", "Nancy Pelosi", "said"),
    ('Barack Obama met Nancy Pelosi on Monday. Pelosi left early. "We have the votes," he said.',
     "We have the votes,", "Barack Obama", "said"),
    ('Mr. Graham spoke to Hillary Clinton. "You tweet at your own peril," he said.',
     "You tweet at your own peril,", "Graham", "said"),
    ('Ms. Lee met Tom Hill. Hill left. "I will stay," she said.', "I will stay,", "Lee", "said"),
    # a document speaks for whoever issued it
    ('Interior Secretary Ryan Zinke said in a statement on Friday that the ban stays. '
     '"Conservation is critical," the statement said.', "Conservation is critical,", "Ryan Zinke", "said"),
    ('Georgetown University sent Paul Ryan a letter on Tuesday. "We must challenge you," the letter states.',
     "We must challenge you,", "Georgetown University", "states"),
    ('"She has committed no crime," the letter from her lawyer, William Taylor, reads.',
     "She has committed no crime,", "William Taylor", "reads"),
    ('"We do not ban anyone," Twitter\'s statement said.', "We do not ban anyone,", "Twitter", "said"),
    ('The Egyptian communications ministry said that repairs will take "several days".', "several days",
     "Egyptian communications ministry", "said"),
    ('An official downplayed the unrest saying that "strikes come and go."', "strikes come and go.", "official",
     "saying"),
    # a quotation that runs on into a paragraph without its mark keeps its speaker there
    ('A police spokeswoman said: "The store is destroyed.\nIt is being treated as suspicious. "\nCall 101.',
     "It is being treated as suspicious.", "police spokeswoman", "said"),
    ('Producers Craig Zadan and Neil Meron spoke. “We are thrilled,” said Zadan.\n“I am so excited to host.\n'
     'You know what they say, ” said Ellen DeGeneres.', "I am so excited to host.", "Ellen DeGeneres", "said"),
    # a quotation that fills its paragraph: the paragraph before introduces its speaker
    ('"We will appeal," said Richard Fowler, a lawyer.\nLon Wood, a journalist who knew the family, said he met Ben '
     'through his parents.\n"They are a very close family."', "They are a very close family.", "Lon Wood", "said"),
    # a possessor is not the one who speaks ("Reid's rep"), nor is the person named before
    ('Actress Tara Reid entered rehab. "She is fine," Reid\'s rep told reporters.', "She is fine,", "Reid's rep", "told"),
    ('Senator John Smith spoke. "It is over," Smith\'s lawyer said.', "It is over,", "Smith's lawyer", "said"),
    ('Donald Trump met reporters. Apple shares fell. "We are looking into it," the company\'s spokesman said.',
     "We are looking into it,", "company's spokesman", "said"),
    ('Barack Obama spoke on Monday. "It will pass," Obama\'s chief of staff, Rahm Emanuel, said.', "It will pass,",
     "Rahm Emanuel", "said"),
    ('Kim Jong Un, who offered his "full support", smiled.', "full support", "Kim Jong Un", "offered"),
    ('"We are ready," according to General Robert Lee.', "We are ready,", "Robert Lee", "according to"),
    ('"The talks failed," Reuters reported.', "The talks failed,", "Reuters", "reported"),
    ('Finance Minister Ana Ruiz arrived late. The minister told reporters: "We will not resign."',
     "We will not resign.", "Ana Ruiz", "told"),
    ('"This is a crime," Ana Ruiz told the BBC.', "This is a crime,", "Ana Ruiz", "told"),
    ('Ana Ruiz warned that the plan "will fail."', "will fail.", "Ana Ruiz", "warned"),
    ('Ana Ruiz denied the report, insisting it was "pure fiction."', "pure fiction.", "Ana Ruiz", "insisting"),
    ('Peter Grant was charged on Monday. "I did not do it," he insisted.', "I did not do it,", "Peter Grant", "insisted"),
    ('Peter Grant spoke first.\n“The first part.\n“The second part,” Grant said.',
     "The first part.\n“The second part,", "Peter Grant", "said"),
    ('Judge Amy Stone ruled on Friday. She said the decision was "final" and "binding."', "final", "Amy Stone", "said"),
    ('Judge Amy Stone ruled on Friday. She said the decision was "final" and "binding."', "binding.", "Amy Stone", "said"),
    ('“We are here to stay,” the senator, Tom Hill, said.', "We are here to stay,", "Tom Hill", "said"),
    ('Tom Hill, a Democrat, said: “Enough is enough.”', "Enough is enough.", "Tom Hill", "said"),
    ('"Let us go now," Hill shouted.', "Let us go now,", "Hill", "shouted"),
    ('Tom Hill, in turn, voiced his "strong support."', "strong support.", "Tom Hill", "voiced"),
    ('The vote ended.\n"No comment."', "No comment.", None, None),
    ('Tom Hill said: "We won." Then he added: "We will win again."', "We will win again.", "Tom Hill", "added"),
    ('Police said the suspect was "armed and dangerous."', "armed and dangerous.", "Police", "said"),
    ('"We need help," residents told the radio station.', "We need help,", "residents", "told"),
    ('The phrase "to be or not to be" is famous.', "to be or not to be", None, None),
    ('Barack Obama said he was "deeply saddened" by the news.', "deeply saddened", "Barack Obama", "said"),
    ('President Barack Obama spoke. "We grieve," the president said.', "We grieve,", "Barack Obama", "said"),
    ('"Prices will rise," predicted economist Jane Roe.', "Prices will rise,", "Jane Roe", "predicted"),
    ('Jane Roe, speaking on Monday, said it was "a bad sign."', "a bad sign.", "Jane Roe", "said"),
    ('Mayor Tim Black opened the bridge. He called it “a historic day” and said he was “proud.”',
     "a historic day", "Tim Black", "called"),
    ('Mayor Tim Black opened the bridge. He called it “a historic day” and said he was “proud.”',
     "proud.", "Tim Black", "said"),
    ('Putin described the agreement as "truly a breakthrough."', "truly a breakthrough.", "Putin", "described"),
    ('Kim said his country "expresses full support" to Russia.', "expresses full support", "Kim", "said"),
    ('Putin, in turn, thanked Kim, saying Moscow appreciated the "consistent and unwavering" support.',
     "consistent and unwavering", "Putin", "saying"),
    ('U.S. Secretary of State Antony Blinken said Moscow is “in desperation” to find friends.',
     "in desperation", "Antony Blinken", "said"),
    ('"It is a new era," Lisa Wong wrote on Monday.', "It is a new era,", "Lisa Wong", "wrote"),
    ('"We must act now," the UN chief, Antonio Guterres, said.', "We must act now,", "Antonio Guterres", "said"),
    # a pronoun is not someone named inside the quotation
    ('Gov. Asa Hutchinson signed the bill. "My son Seth signed the petition," he said.',
     "My son Seth signed the petition,", "Asa Hutchinson", "said"),
    # a show's title in quotation marks is nobody's speech; the quote before it keeps its speaker
    ('Senator Lindsey Graham spoke on Sunday. "You tweet at your own peril," he said on CBS\' "Face the Nation."',
     "You tweet at your own peril,", "Lindsey Graham", "said"),
    ('Senator Lindsey Graham spoke on Sunday. "You tweet at your own peril," he said on CBS\' "Face the Nation."',
     "Face the Nation.", None, None),
    ('The campaign slogan "Make America Great Again" was everywhere.', "Make America Great Again", None, None),
    # a question or exclamation mark ends the sentence inside the quotation: the attribution follows
    ('Mr. Lee was asked about the deal. "Why would we do that?" Mr. Lee said.', "Why would we do that?", "Lee", "said"),
    ('"Get out of my store!" the manager responded.', "Get out of my store!", "manager", "responded"),
    # the parse, not a word list, says a verb introduces the quotation
    ('"This is a wonderful day for America," gushed Senator Marco Rubio.', "This is a wonderful day for America,",
     "Marco Rubio", "gushed"),
    ('"Please reconsider," implored Nancy Pelosi.', "Please reconsider,", "Nancy Pelosi", "implored"),
    ('"We will win," exclaimed Bernie Sanders.', "We will win,", "Bernie Sanders", "exclaimed"),
    # a colon introduces the quotation: the clause before it says who
    ('That was how Adam Schiff described it: "a betrayal of the public trust."', "a betrayal of the public trust.",
     "Adam Schiff", "described"),
    # a building is not a person
    ('Trump Tower was quiet. "We are open," Trump said.', "We are open,", "Trump", "said"),
    # "he" is who spoke in the narrative's voice, not the subject of the words he reported
    ('Senator Jim Dole would not go that far but said Tom Hill must apologize. "Hill owes the troops an apology," '
     'he said.', "Hill owes the troops an apology,", "Jim Dole", "said"),
    ('Rep. Dana Kell spoke on Friday. Kell, doubling down on her remarks, said on Friday that she would stay. '
     '"This is about all of us," she said.', "This is about all of us,", "Dana Kell", "said"),
    # a description of one person, not a party or a date, speaks
    ('Sen. John Reed, R-Ariz., criticized the plan. The Arizona Republican said it was "a grave mistake."',
     "a grave mistake.", "John Reed", "said"),
    ('Instead, Lisa Marsh was seen that October praising the mayor for his "leadership" in the storm.',
     "leadership", "Lisa Marsh", "praising"),
    # a plural is a group, not the last person named
    ('Senator Mitch Carl spoke first. Administration officials insisted that the order was "lawful and necessary."',
     "lawful and necessary.", "Administration officials", "insisted"),
    # a quoted name with no verb is no clause a verb can introduce
    ('Dubbed "Bridgegate," the scandal caused his ratings to fall sharply.', "Bridgegate,", None, None),
    # a long attribution after a question that ends its sentence
    ('"Is this the behavior we can expect?" Representative Kevin Marsh of Ohio, the Republican leader, asked at a '
     'news conference.', "Is this the behavior we can expect?", "Kevin Marsh", "asked"),
    # a quotation that continues a paraphrase whose attribution stands beside it
    ('Senator Byron Lake spoke in Ohio. The program is an important issue, he said, but "it is not what wins '
     'elections."', "it is not what wins elections.", "Byron Lake", "said"),
    # a later clause's speech verb does not take a quotation of the clause before it
    ('Activists called for senators to "stand strong" on Sunday night, when Senate Leader Mitch Carl suggested '
     'a deal was near.', "stand strong", "Activists", "called"),
    # the subject of a passive speech verb is spoken of; its agent, if any, speaks
    ('That fund has been described as "easy money" for the agency.', "easy money", None, None),
    ('The fund was described as "easy money" by Senator Ann Holt.', "easy money", "Ann Holt", "described"),
    # a parse that splits the speaker's phrase: the name speaks, not the group in front of it
    ('"He failed in that today," said Indivisible co-founder Ezra Levin.', "He failed in that today,",
     "Ezra Levin", "said"),
    # a quotation that fills the sentence after another's attribution goes on with its speaker
    ('"He showed disdain for our purpose," said Senator Rob Dale, the son of farmers. "He criticized America '
     'for its arrogance."', "He criticized America for its arrogance.", "Rob Dale", "said"),
    # a colon after issuing a document: the issuer speaks
    ('The National Committee issued a brief statement after the speech: "This policy is stuck in the past."',
     "This policy is stuck in the past.", "National Committee", "issued"),
    # "Mr. Trump" is the man himself, not his son named earlier
    ('Donald Trump Jr. went hunting. Donald Trump was angry. "Put it on hold," Mr. Trump tweeted.',
     "Put it on hold,", "Donald Trump", "tweeted"),
    ('"Put it on hold," Mr. Trump tweeted. His son Donald Trump Jr. hunts elephants.',
     "Put it on hold,", "Trump", "tweeted"),
    # a description of someone named before speaks for them; an unnamed one does not
    ('Senator Rob Dale spoke in Iowa. "We will win," the presidential hopeful said.', "We will win,", "Rob Dale", "said"),
    ('Senator Rob Dale spoke in Iowa. "She will lose," one Democratic lawmaker told reporters.', "She will lose,",
     "one Democratic lawmaker", "told"),
    # a document that speaks in a participle speaks for whoever issued it
    ('Chief executive Barry Rand later issued a statement calling the article "misleading."', "misleading.",
     "Barry Rand", "calling"),
    ('Senator Rob Dale spoke in Iowa. "We can win," the 43-year-old said.', "We can win,", "Rob Dale", "said"),
    # a few quoted words in a reporter's sentence are the words of its named subject; a comparison or
    # a nickname is nobody's
    ('While a senator, Hillary Clinton criticized the administration for its "secrecy," according to The Hill.',
     "secrecy,", "Hillary Clinton", "criticized"),
    ('Rep. Mike Conaway attacked Schiff for driving a "false narrative" about collusion.', "false narrative",
     "Mike Conaway", "attacked"),
    ('The Obama Doctrine is a saltier version of "Don\'t do stupid stuff."', "Don't do stupid stuff.", None, None),
    ('Governor Deval Patrick appointed William "Mo" Cowan to the Senate.', "Mo", None, None),
    # ... and only under a verb that carries words or a judgement: a title, a nickname, a term
    ('Robert Pattinson and Kristen Stewart will star in "Moon," the sequel.', "Moon,", None, None),
    ('Fred LaRue was known as the "bagman" of the campaign.', "bagman", None, None),
    ('Vincent Gigante was nicknamed "Chin" by his mother.', "Chin", None, None),
    ('Senator Ted Cruz called the plan "a disaster" on Sunday.', "a disaster", "Ted Cruz", "called"),
    ('President Trump has referred to it as "a witch hunt."', "a witch hunt.", "Trump", "referred"),
    # a title is not part of the name
    ('"We are very worried," said Representative Kurt Schrader of Oregon.', "We are very worried,", "Kurt Schrader",
     "said"),
]


@pytest.mark.parametrize(("text", "word", "dateline"), [
    ("WASHINGTON ― President Donald Trump renewed his attack.", "WASHINGTON", True),
    ("BEIJING -- China said it would respond.", "BEIJING", True),
    ("China said it would respond.", "China", False),
    ("The U.S. said it would respond.", "U.S.", False),
])
def test_a_dateline_says_where_not_who(nlp, text: str, word: str, dateline: bool) -> None:
    from claimledger.extract.quotes import _dateline

    doc = nlp(text)
    assert _dateline(next(t for t in doc if t.text == word)) is dateline


@pytest.mark.parametrize(("text", "content", "speaker", "cue"), SHAPES)
def test_quote_shapes(nlp, text: str, content: str, speaker: str | None, cue: str | None) -> None:
    art = make_article(text, name="t", source="t", path=None)
    rec = extract(nlp(art.text), art)
    q = next(q for q in rec.quotes if q.text == content)
    assert (q.speaker, q.cue if speaker else None) == (speaker, cue)
    if q.speaker_span is not None:
        assert art.text[q.speaker_span.start:q.speaker_span.end] == q.speaker_span.text


MARKS = [
    ('a "b c" d', ["b c"]),
    ("a “b c” d “e”", ["b c", "e"]),
    ('a “b c." d', ["b c."]),
    ('stray " mark\nnext line', []),
    ('“First para.\n“Second para.” end', ["First para.\n“Second para."]),
    ('" spaced quote , " he said', ["spaced quote ,"]),
    ('The CEO said "we are done.\nNext paragraph.', []),
    ('nested “outer ‘inner’ words” end', ["outer ‘inner’ words"]),
    # a quotation that runs on into a paragraph without its mark closes there, after punctuation
    ('"There was one solution.\nAnd it would hurt workers, " he told Parliament.\n"That was real. "',
     ["There was one solution.", "And it would hurt workers,", "That was real."]),
    ('"We are done.\nAnd that is final. "\nShe left.', ["We are done.", "And that is final."]),
    ('"We are done.\nHe said, "No more." Then he left.', ["No more."]),
    ('"The government should resign.\nIt failed.\nWe will not open, " she said.', ["The government should resign.",
                                                                                  "We will not open,"]),
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


def test_one_person_has_one_name_across_the_ledger(nlp, tmp_path) -> None:
    from claimledger.build import ingest
    from claimledger.store.ledger import Ledger

    texts = {
        "a.txt": 'Wall talks stall\n\nDonald J. Trump met Representative Robert W. Goodlatte on Monday. '
                 '"We will build the wall," Trump said. "The House will act," Goodlatte said.\n',
        "b.txt": 'Trump digs in\n\nTrump spoke to reporters on Monday. "The wall is coming," Trump said.\n',
        "c.txt": 'Goodlatte speaks\n\nRepresentative Bob Goodlatte spoke on Monday. "We need a vote," Goodlatte said.\n',
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    with Ledger(tmp_path / "l.db") as ledger:
        ingest([str(tmp_path / n) for n in texts], ledger, nlp, story="wall")
        speakers = dict(ledger.conn.execute("SELECT speaker, quotes FROM quotes_by_speaker").fetchall())
    assert speakers == {"Donald J. Trump": 2, "Robert W. Goodlatte": 2}


def test_a_surname_its_story_never_gives_in_full_joins_the_one_person_of_the_ledger(nlp, tmp_path) -> None:
    from claimledger.build import ingest
    from claimledger.store.ledger import Ledger

    texts = {
        "one": 'Obama signs the bill\n\nPresident Barack Obama signed the bill on Monday. "It is a good day," Obama said.\n',
        "two": 'Obama on trade\n\nObama spoke about trade on Friday. "Trade must be fair," Obama said.\n',
        "three": 'Budget fight\n\nPaul Ryan and Tim Ryan spoke on Friday. "We need a deal," Paul Ryan said.\n',
        "four": 'Ryan speaks\n\nRyan spoke to reporters. "No comment," Ryan said.\n',  # two Ryans: stays apart
    }
    with Ledger(tmp_path / "l.db") as ledger:
        for story, text in texts.items():
            (tmp_path / f"{story}.txt").write_text(text)
            ingest([str(tmp_path / f"{story}.txt")], ledger, nlp, story=story)
        speakers = dict(ledger.conn.execute("SELECT speaker, quotes FROM quotes_by_speaker").fetchall())
    assert speakers["Barack Obama"] == 2 and "Obama" not in speakers
    assert speakers.get("Ryan") == 1 and speakers.get("Paul Ryan") == 1


def test_a_middle_name_joins_the_ledger_s_person_without_it(nlp, tmp_path) -> None:
    from claimledger.build import ingest
    from claimledger.store.ledger import Ledger

    texts = {
        "one": 'Briefing\n\nSarah Sanders spoke on Monday. "We have no comment," Sarah Sanders said.\n',
        "two": 'Another briefing\n\nSarah Huckabee Sanders spoke on Friday. "The president is happy," '
               'Sarah Huckabee Sanders said.\n',
    }
    with Ledger(tmp_path / "l.db") as ledger:
        for story, text in texts.items():
            (tmp_path / f"{story}.txt").write_text(text)
            ingest([str(tmp_path / f"{story}.txt")], ledger, nlp, story=story)
        speakers = dict(ledger.conn.execute("SELECT speaker, quotes FROM quotes_by_speaker").fetchall())
        keys = {k for (k,) in ledger.conn.execute("SELECT key FROM entities WHERE label = 'PERSON'")}
    assert speakers == {"Sarah Sanders": 2}
    assert keys == {"sarah sanders"}
