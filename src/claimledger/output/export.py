"""Exports of a story or a diff as JSON, CSV or Markdown: stable formats for spreadsheets,
notebooks and newsroom tools.

A story export is a ``StoryExport`` (format ``claimledger.story/1``): the story, its outlets, every
claim with each outlet's status (``asserts``; ``maybe``: may state it in other words, the same-fact
model is unsure; ``omits``; or ``disagrees``: asserts it with another date, number or quoted
wording than most outlets), each outlet's wording with character spans (``maybe`` spans are the
candidate sentence, flagged ``status``),
the disagreements, and the quotes with their speakers. ``read_story_json`` reads a JSON export
back into the same model, so an export round-trips. Fields are only ever added, never renamed,
within one format version.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from claimledger.errors import InputError
from claimledger.records import EVENT_KIND
from claimledger.store import queries
from claimledger.store.ledger import Ledger

FORMAT: Literal["claimledger.story/1"] = "claimledger.story/1"
Status = Literal["asserts", "maybe", "omits", "disagrees"]
Format = Literal["json", "csv", "markdown"]
FORMATS: tuple[str, ...] = ("json", "csv", "markdown")


class ExportSpan(BaseModel):
    """One outlet's words for a claim: where they are in which article."""

    source: str
    article_id: str
    start: int
    end: int
    text: str
    status: Literal["asserts", "maybe"] = "asserts"


class ExportDisagreement(BaseModel):
    kind: str  # date, date (month), date (year), date (as written), number, number (MEASURE) such as "number (people)", quote
    values: dict[str, list[str]]  # source -> the words it uses


class ExportClaim(BaseModel):
    id: str
    kind: str
    canonical: str
    speaker: str | None = None
    polarity: str = "positive"
    status: dict[str, Status]  # source -> asserts / maybe / omits / disagrees, for every outlet of the story
    mentions: list[ExportSpan] = Field(default_factory=list)
    disagreements: list[ExportDisagreement] = Field(default_factory=list)


class ExportQuote(BaseModel):
    source: str
    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    claim_id: str | None = None


class StoryExport(BaseModel):
    """A whole story as exported (and as the HTML report draws it)."""

    format: Literal["claimledger.story/1"] = FORMAT
    story_id: str
    name: str
    sources: list[str]
    claims: list[ExportClaim]
    quotes: list[ExportQuote] = Field(default_factory=list)


def story_export(ledger: Ledger, story: str) -> StoryExport:
    """Everything about one story (id, id prefix or name), claims most asserted first."""
    sid = queries.resolve_story(ledger, story)
    name = ledger.query("SELECT name FROM stories WHERE id = ?", (sid,))[0]["name"]
    sources = queries.sources_of_story(ledger, sid)
    mentions: dict[str, list[ExportSpan]] = {}
    for r in ledger.query(
            "SELECT m.claim_id, s.name AS source, m.article_id, m.start_char, m.end_char, m.text, m.status "
            "FROM claims c JOIN mentions m ON m.claim_id = c.id JOIN sources s ON s.id = m.source_id "
            "WHERE c.story_id = ? ORDER BY s.name, m.article_id, m.start_char", (sid,)):
        mentions.setdefault(r["claim_id"], []).append(ExportSpan(
            source=r["source"], article_id=r["article_id"], start=r["start_char"], end=r["end_char"], text=r["text"],
            status=r["status"]))
    variants: dict[str, list[dict[str, Any]]] = {}
    for r in ledger.query(
            "SELECT v.claim_id, v.kind, v.measure, v.slot, v.rewords, s.name AS source, v.value, v.text FROM claims c "
            "JOIN variants v ON v.claim_id = c.id JOIN sources s ON s.id = v.source_id "
            "WHERE c.story_id = ? ORDER BY v.id", (sid,)):
        variants.setdefault(r.pop("claim_id"), []).append(r)
    claims = []
    for row in queries.list_claims(ledger, sid):
        dis = [ExportDisagreement(**d) for d in queries.disagreements_of(variants.get(row["claim"], []))]
        odd = _dissenters(dis)
        status: dict[str, Status] = {
            s: ("disagrees" if s in odd else "asserts") if s in row["asserts"] else "maybe" if s in row["maybe"]
            else "omits" for s in sources}
        claims.append(ExportClaim(id=row["claim"], kind=row["kind"], canonical=row["canonical"], speaker=row["speaker"],
                                  polarity=row["polarity"], status=status, mentions=mentions.get(row["claim"], []),
                                  disagreements=dis))
    quotes = [ExportQuote(source=r["source"], article_id=r["article_id"], start=r["start_char"], end=r["end_char"],
                          text=r["text"], speaker=r["speaker"], claim_id=r["claim_id"])
              for r in ledger.query(
                  "SELECT s.name AS source, q.article_id, q.start_char, q.end_char, q.text, q.speaker, q.claim_id "
                  "FROM articles a JOIN quotes q ON q.article_id = a.id JOIN sources s ON s.id = a.source_id "
                  "WHERE a.story_id = ? ORDER BY s.name, q.start_char", (sid,))]
    return StoryExport(story_id=sid, name=name, sources=sources, claims=claims, quotes=quotes)


def _dissenters(disagreements: list[ExportDisagreement]) -> set[str]:
    """Sources whose values differ from the most common ones (all of them on a tie)."""
    odd: set[str] = set()
    for d in disagreements:
        sets = {s: frozenset(v) for s, v in d.values.items()}
        counts = Counter(sets.values())
        top = max(counts.values())
        majority = [v for v, n in counts.items() if n == top]
        if len(majority) > 1:
            odd.update(sets)
        else:
            odd.update(s for s, v in sets.items() if v != majority[0])
    return odd


def read_story_json(text: str) -> StoryExport:
    """A story JSON export read back (the inverse of ``render_story(..., "json")``)."""
    try:
        return StoryExport.model_validate_json(text)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(f"not a {FORMAT} export: {where}: {first['msg']}") from None


def render_story(export: StoryExport, fmt: str) -> str:
    """A story export as ``json``, ``csv`` (a row per mention: each sentence with its own span; an
    outlet that omits a claim gets one row with no span) or ``markdown``."""
    if fmt == "json":
        return export.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["story_id", "claim_id", "kind", "speaker", "source", "status", "text", "article_id", "start", "end",
                    "canonical"])
        for c in export.claims:
            for src in export.sources:
                spans = [m for m in c.mentions if m.source == src]
                for m in spans:
                    w.writerow([export.story_id, c.id, c.kind, c.speaker or "", src, c.status[src], m.text,
                                m.article_id, m.start, m.end, c.canonical])
                if not spans:
                    w.writerow([export.story_id, c.id, c.kind, c.speaker or "", src, c.status[src], "", "", "", "",
                                c.canonical])
        return buf.getvalue()
    if fmt == "markdown":
        return _story_markdown(export)
    raise InputError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(FORMATS))


MARK = {"asserts": "✓", "maybe": "?", "omits": "–", "disagrees": "≠"}


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _story_markdown(export: StoryExport) -> str:
    lines = [f"# {_md(export.name)}", "", f"Story `{export.story_id}`: {len(export.sources)} outlets, "
             f"{len(export.claims)} claims. ✓ asserts, ? may state it in other words, – omits, ≠ disagrees.", "",
             "| claim | " + " | ".join(_md(s) for s in export.sources) + " | text |",
             "|---|" + "---|" * len(export.sources) + "---|"]
    for c in export.claims:
        what = "**event:** " if c.kind == EVENT_KIND else ""
        lines.append(f"| `{c.id[:10]}` | " + " | ".join(MARK[c.status[s]] for s in export.sources)
                     + f" | {what}{_md(c.canonical)} |")
    dis = [c for c in export.claims if c.disagreements]
    if dis:
        lines += ["", "## Disagreements", ""]
        for c in dis:
            lines.append(f"- `{c.id[:10]}` {_md(c.canonical)}")
            for d in c.disagreements:
                for src, vals in d.values.items():
                    lines.append(f"  - {d.kind}, {_md(src)}: {_md(' | '.join(vals))}")
    if export.quotes:
        lines += ["", "## Quotes", "", "| speaker | source | quote |", "|---|---|---|"]
        for q in export.quotes:
            lines.append(f"| {_md(q.speaker or '(unattributed)')} | {_md(q.source)} | “{_md(q.text)}” |")
    return "\n".join(lines) + "\n"


def render_diff(data: dict[str, Any], fmt: str) -> str:
    """A diff (``queries.diff``) as ``json``, ``csv`` (a row per claim and side) or ``markdown``."""
    a, b = data["a"], data["b"]
    sections = [("only_a", f"only in {a}"), ("only_b", f"only in {b}"),
                ("maybe_a", f"in {a}, may be stated in other words by {b}"),
                ("maybe_b", f"in {b}, may be stated in other words by {a}"),
                ("disagreements", "disagreements"), ("shared", "both assert")]
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "story_id", "claim_id", "kind", "speaker", "source", "text"])
        for key, _ in sections:
            for it in data.get(key, []):
                for src, texts in it["wording"].items():
                    w.writerow([key, it["story"], it["claim"], it["kind"], it.get("speaker") or "", src, " | ".join(texts)])
                if "candidate" in it:
                    cand = it["candidate"]
                    w.writerow([key, it["story"], it["claim"], it["kind"], it.get("speaker") or "", cand["source"],
                                cand["text"]])
        return buf.getvalue()
    if fmt == "markdown":
        n = len(data["stories"])
        lines = [f"# {_md(a)} vs {_md(b)}", "", f"{n} shared stor{'y' if n == 1 else 'ies'}, {data['shared_count']} claims "
                 "both assert."]
        for key, title in sections:
            if key not in data:
                continue
            lines += ["", f"## {_md(title)} ({len(data[key])})", ""]
            for it in data[key]:
                lines.append(f"- `{it['claim'][:10]}`" + (f" [{_md(it['speaker'])}]" if it.get("speaker") else ""))
                for src, texts in it["wording"].items():
                    lines.append(f"  - {_md(src)}: {_md(' | '.join(texts))}")
                if "candidate" in it:
                    cand = it["candidate"]
                    lines.append(f"  - {_md(cand['source'])}, perhaps ({cand['probability']}): {_md(cand['text'])}")
                for d in it.get("disagreements", []):
                    for src, vals in d["values"].items():
                        lines.append(f"  - {d['kind']} in {_md(src)}: {_md(' | '.join(vals))}")
        return "\n".join(lines) + "\n"
    raise InputError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(FORMATS))
