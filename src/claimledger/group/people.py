"""One person, one key across a story: a surname alone joins the full name the story knows,
and a name with a middle name joins the same name without it.

Within an article a short name already takes the fullest name the article gives
(extract/entities.py). An article that names someone only by surname ("Trump said ...", a
headline style) is resolved here against the people of its story, those stored and those of the
same batch: when exactly one of them has that surname, the short name is that person; two
people sharing a surname in one story (Paul Ryan and Tim Ryan) stay apart. A surname its story
does not name in full is resolved the same way against the whole ledger (build.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from claimledger.records import ArticleRecords


def join_surnames(rec: ArticleRecords, people: Mapping[str, str]) -> ArticleRecords:
    """``rec`` with each one-word person key that names exactly one of ``people`` (full key ->
    display name) replaced by that person's key and name, in its entities and quote speakers."""
    by_surname: dict[str, list[str]] = {}
    for key in people:
        words = key.split()
        if len(words) >= 2:
            by_surname.setdefault(words[-1], []).append(key)
    # one-word person keys: of named entities, and of speakers the parser alone named ("Obama
    # said", the model tagging no entity there)
    short = {e.key for e in rec.entities if e.label == "PERSON" and " " not in e.key}
    short |= {q.speaker_key for q in rec.quotes if q.speaker_key and " " not in q.speaker_key
              and not any(e.key == q.speaker_key and e.label != "PERSON" for e in rec.entities)}
    moved: dict[str, str] = {}
    for key in short:
        full = by_surname.get(key, [])
        if len(full) == 1:
            moved[key] = full[0]
    # a middle name one outlet gives and another leaves out: "Hillary Rodham Clinton" is the
    # "Hillary Clinton" of the same story (always towards the shorter form, so that two articles
    # never swap names; middle initials are already dropped by the key)
    longer = {e.key for e in rec.entities if e.label == "PERSON" and len(e.key.split()) >= 3}
    longer |= {q.speaker_key for q in rec.quotes if q.speaker_key and len(q.speaker_key.split()) >= 3}
    for key in longer:
        words = key.split()
        plain = f"{words[0]} {words[-1]}"
        if plain in people and words[-1] not in {"jr", "sr", "ii", "iii"}:
            moved[key] = plain
    if not moved:
        return rec
    # a new record with new entities and quotes where they change; the rest (units, vectors) shared
    entities = [e.model_copy(update={"key": moved[e.key], "name": people[moved[e.key]]})
                if e.label == "PERSON" and e.key in moved else e for e in rec.entities]
    quotes = [q.model_copy(update={"speaker_key": moved[q.speaker_key], "speaker": people[moved[q.speaker_key]]})
              if q.speaker_key in moved else q for q in rec.quotes]
    return rec.model_copy(update={"entities": entities, "quotes": quotes})
