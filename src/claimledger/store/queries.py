"""Read-side library functions behind the CLI's read commands; each returns plain data.

Every query here is served by an index (see schema.py); none scans a whole table per row.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from claimledger.errors import NotFoundError, QueryError, ReadOnlyError
from claimledger.records import Claim, Mention
from claimledger.store.ledger import Ledger

Row = dict[str, Any]
_ISO_VALUE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
_DATE_GRAINS = {4: "date (year)", 7: "date (month)"}  # by the length of the ISO value; a day stays "date"


def list_stories(ledger: Ledger, limit: int | None = None) -> list[Row]:
    """Stories with their article count, their outlets (a list) and claim count, largest first
    (``limit`` rows)."""
    rows = ledger.query(
        """
        SELECT s.id AS story, s.name AS name, s.n_articles AS articles,
               (SELECT group_concat(src.name, char(31)) FROM story_sources ss JOIN sources src ON src.id = ss.source_id
                WHERE ss.story_id = s.id) AS sources,
               s.n_claims AS claims
        FROM stories s ORDER BY s.n_articles DESC, s.created_at
        """ + (" LIMIT ?" if limit else ""),
        (limit,) if limit else (),
    )
    for r in rows:  # unit separator: an outlet's name may hold a comma
        r["sources"] = sorted(r["sources"].split("\x1f")) if r["sources"] else []
    return rows


def count_stories(ledger: Ledger) -> int:
    return int(ledger.query("SELECT count(*) AS n FROM stories")[0]["n"])


def resolve_story(ledger: Ledger, story: str) -> str:
    """A story id from an id, a unique id prefix, its name, or a part of its name found in no
    other story's (any case: "rehab" for "Lindsay Lohan Checks Into Rehab")."""
    rows = ledger.query("SELECT id, name FROM stories WHERE id = ?", (story,))
    if not rows:
        rows = ledger.query("SELECT id, name FROM stories WHERE name = ? LIMIT 2", (story,))
    if not rows:
        rows = ledger.query("SELECT id, name FROM stories WHERE id >= ? AND id < ? LIMIT 2", (story, story + "\uffff"))
    if not rows and story.strip():
        # instr over the names: a scan of the stories table, which holds one row a story
        rows = ledger.query("SELECT id, name FROM stories WHERE instr(lower(name), lower(?)) > 0 LIMIT 6", (story,))
    if len(rows) != 1:
        if not rows:
            raise NotFoundError(f"no story '{story}'", hint="'claimledger stories' lists them")
        names = ", ".join(f"{r['id']} ({r['name'][:40]})" for r in rows[:5])
        raise NotFoundError(f"story '{story}' could be any of {names}", hint="give more of its name or its id")
    return str(rows[0]["id"])


def sources_of_story(ledger: Ledger, story_id: str) -> list[str]:
    return [r["name"] for r in ledger.query(
        "SELECT s.name FROM story_sources ss JOIN sources s ON s.id = ss.source_id "
        "WHERE ss.story_id = ? ORDER BY s.name", (story_id,))]


def list_claims(ledger: Ledger, story: str | None = None, kind: str | None = None) -> list[Row]:
    """Claims (of a story) with the sources that assert, may state (``maybe``: in other words, the
    same-fact model is unsure) and omit each, and those that give a date, number or quoted
    wording the others do not (``disagree``), most asserted first."""
    story_ids = [resolve_story(ledger, story)] if story else [r["id"] for r in ledger.query("SELECT id FROM stories")]
    out: list[Row] = []
    for sid in story_ids:
        sources = sources_of_story(ledger, sid)
        sql = ("SELECT c.id, c.kind, c.canonical, c.speaker, c.polarity, "
               "(SELECT group_concat(DISTINCT s.name) FROM mentions m JOIN sources s ON s.id = m.source_id "
               " WHERE m.claim_id = c.id AND m.status = 'asserts') AS asserted, "
               "(SELECT group_concat(DISTINCT s.name) FROM mentions m JOIN sources s ON s.id = m.source_id "
               " WHERE m.claim_id = c.id AND m.status = 'maybe') AS maybe "
               "FROM claims c WHERE c.story_id = ?" + (" AND c.kind = ?" if kind else ""))
        variants: dict[str, list[Row]] = {}
        for v in ledger.query(
                "SELECT v.claim_id, v.kind, v.measure, v.slot, v.rewords, s.name AS source, v.value, v.text FROM claims c "
                "JOIN variants v ON v.claim_id = c.id JOIN sources s ON s.id = v.source_id WHERE c.story_id = ?", (sid,)):
            variants.setdefault(v.pop("claim_id"), []).append(v)
        differ = {cid: {src for d in disagreements_of(vs) for src in d["values"]} for cid, vs in variants.items()}
        for r in ledger.query(sql, (sid, kind) if kind else (sid,)):
            asserted, maybe_in = r.pop("asserted"), r.pop("maybe")
            asserts = sorted(set(asserted.split(","))) if asserted else []
            maybe = sorted(set(maybe_in.split(",")) - set(asserts)) if maybe_in else []
            cid = r.pop("id")
            out.append({"claim": cid, "story": sid, **r, "asserts": asserts, "maybe": maybe,
                        "omits": [s for s in sources if s not in asserts and s not in maybe],
                        "disagree": sorted(differ.get(cid, ()))})
    out.sort(key=lambda r: (r["story"], -len(r["asserts"]), r["claim"]))
    return out


def show_claim(ledger: Ledger, claim: str) -> Row:
    """A claim with every outlet's own wording (spans), its quotes and its variants."""
    rows = ledger.query("SELECT * FROM claims WHERE id = ?", (claim,))
    if not rows:  # a unique prefix, found through the primary key's index (a range, not LIKE)
        rows = ledger.query("SELECT * FROM claims WHERE id >= ? AND id < ? LIMIT 2", (claim, claim + "\uffff"))
    if len(rows) != 1:
        raise NotFoundError(f"no claim '{claim}'" if not rows else f"claim '{claim}' is ambiguous",
                            hint="'claimledger claims --story S' lists claim ids")
    c = rows[0]
    mentions = [Mention(**r) for r in ledger.query(
        "SELECT m.id, m.claim_id, s.name AS source, m.article_id, m.start_char, m.end_char, m.text, m.kind, "
        "m.role, m.polarity, m.attribution, m.score, m.status FROM mentions m JOIN sources s ON s.id = m.source_id "
        "WHERE m.claim_id = ? ORDER BY m.status, s.name, m.start_char", (c["id"],))]
    quotes = ledger.query(
        "SELECT q.article_id, s.name AS source, q.start_char, q.end_char, q.text, q.speaker, q.speaker_text, q.cue "
        "FROM quotes q JOIN articles a ON a.id = q.article_id JOIN sources s ON s.id = a.source_id "
        "WHERE q.claim_id = ? ORDER BY s.name, q.start_char", (c["id"],))
    variants = ledger.query(
        "SELECT v.kind, v.measure, v.slot, v.rewords, s.name AS source, v.value, v.text, v.start_char, v.end_char FROM variants v "
        "JOIN sources s ON s.id = v.source_id WHERE v.claim_id = ? ORDER BY v.kind, s.name", (c["id"],))
    sources = sources_of_story(ledger, c["story_id"])
    asserting = sorted({m.source for m in mentions if m.status == "asserts"})
    maybe = sorted({m.source for m in mentions if m.status == "maybe"} - set(asserting))
    claim_model = Claim(id=c["id"], story_id=c["story_id"], kind=c["kind"], canonical=c["canonical"],
                        speaker=c["speaker"], polarity=c["polarity"], asserts=asserting, maybe=maybe,
                        omits=[s for s in sources if s not in asserting and s not in maybe], mentions=mentions)
    data = claim_model.model_dump()
    return {"claim": data.pop("id"), "story": data.pop("story_id"), **data, "quotes": quotes,
            "variants": variants, "disagreements": disagreements_of(variants)}


def disagreements_of(variants: list[Row], only: tuple[str, str] | None = None) -> list[Row]:
    """Kinds (date, number of one measure, quote) on which sources that both report one give
    different values for the same act (``slot``); the same kinds as the ``disagreements`` view."""
    by_kind: dict[tuple[str, str], dict[str, set[str]]] = {}
    texts: dict[tuple[tuple[str, str], str], list[str]] = {}
    quotes = [v for v in variants if v["kind"] == "quote"]
    reworded = {v.get("rewords") for v in quotes} - {None}
    for v in variants:
        if v["kind"] == "quote" and v.get("rewords") is None and v["value"] not in reworded and not any(
                w["value"] == v["value"] and w["source"] != v["source"] for w in quotes):
            continue  # a fragment only one outlet quotes is no difference (as the view has it)
        # a resolved date (ISO) and an unresolved one ("today") are not comparable: separate kinds;
        # so are a year, a month and a day ("1998" and "June 1998" agree), and numbers of different
        # measures ("2,290 points", "two students")
        kind = v["kind"]
        if kind == "date" and not _ISO_VALUE.match(v["value"]):
            kind = "date (as written)"
        elif kind == "date" and len(v["value"]) in _DATE_GRAINS:
            kind = _DATE_GRAINS[len(v["value"])]
        elif kind == "number" and v.get("measure"):
            kind = f"number ({v['measure']})"
        key = (kind, v.get("slot") or "")
        by_kind.setdefault(key, {}).setdefault(v["source"], set()).add(v["value"])
        texts.setdefault((key, v["source"]), []).append(v["text"])
    out = []
    for key, per_source in by_kind.items():
        kind = key[0]
        if only:
            per_source = {s: vals for s, vals in per_source.items() if s in only}
        if len(per_source) < 2:
            continue
        value_sets = {frozenset(v) for v in per_source.values()}
        if len(value_sets) > 1:
            out.append({"kind": kind, "values": {s: sorted(set(texts[(key, s)])) for s in sorted(per_source)}})
    return out


def source_exists(ledger: Ledger, name: str) -> bool:
    return bool(ledger.query("SELECT 1 FROM sources WHERE name = ?", (name,)))


def resolve_source(ledger: Ledger, name: str) -> str:
    """The outlet a user means: its exact name, the name in any case, or a unique prefix of it
    ("fox" for "Fox News"); an ambiguous prefix names the candidates."""
    names = [r["name"] for r in ledger.query("SELECT name FROM sources ORDER BY name")]
    if name in names:
        return name
    folded = name.casefold()
    for match in ([n for n in names if n.casefold() == folded], [n for n in names if n.casefold().startswith(folded)]):
        if len(match) == 1:
            return match[0]
        if len(match) > 1:
            raise NotFoundError(f"'{name}' could be any of {', '.join(repr(m) for m in match[:8])}",
                                hint="type more of the name")
    raise NotFoundError(f"no source '{name}' in the ledger", hint="'claimledger sources' lists them")


def list_sources(ledger: Ledger) -> list[Row]:
    """Every outlet with its article and story counts, most articles first."""
    return ledger.query(
        "SELECT s.name AS source, count(DISTINCT a.id) AS articles, count(DISTINCT a.story_id) AS stories "
        "FROM sources s LEFT JOIN articles a ON a.source_id = s.id GROUP BY s.id ORDER BY articles DESC, s.name")


def _once(src: str, sections: tuple[list[Row], ...]) -> None:
    """Each sentence of ``src`` listed once: a claim whose sentences an earlier item (or an
    earlier section) already shows is folded into that item's ``also``. A sentence that states two
    facts joins two claims; the reader should see it once."""
    seen: dict[tuple[int, int], Row] = {}
    for items in sections:
        keep = []
        for it in items:
            if it["kind"] == "event":  # the story's event groups sentences of its facts: listed apart
                keep.append(it)
                continue
            spans = [(s, e) for s, e in it["spans"].get(src, [])]
            first = next((seen[sp] for sp in spans if sp in seen), None) if spans and all(sp in seen for sp in spans) \
                else None
            if first is None:
                seen.update((sp, it) for sp in spans)
                keep.append(it)
            else:
                first.setdefault("also", []).append(it["claim"])
        items[:] = keep


def diff(ledger: Ledger, a: str, b: str, story: str | None = None, include_shared: bool = False,
         min_maybe: float = 0.0) -> Row:
    """What source ``a`` asserts that ``b`` omits, the reverse, what one asserts and the other may
    state in other words (``maybe_a``, ``maybe_b``: with the other's candidate sentence), and where
    they disagree. ``min_maybe``: a candidate less probable than this counts as omitted. Each
    sentence is listed once (``_once``)."""
    a, b = resolve_source(ledger, a), resolve_source(ledger, b)
    if a == b:
        raise NotFoundError(f"'{a}' against itself: a diff compares two outlets", hint="name another outlet")
    if story:
        story_ids = [resolve_story(ledger, story)]
    else:
        story_ids = [r["story_id"] for r in ledger.query(
            "SELECT ss.story_id FROM story_sources ss JOIN sources s ON s.id = ss.source_id AND s.name = ? "
            "INTERSECT SELECT ss.story_id FROM story_sources ss JOIN sources s ON s.id = ss.source_id AND s.name = ?",
            (a, b))]
    only_a: list[Row] = []
    only_b: list[Row] = []
    maybe_a: list[Row] = []  # A asserts, B may state it in other words
    maybe_b: list[Row] = []
    shared: list[Row] = []
    disagree: list[Row] = []
    for sid in story_ids:
        rows = ledger.query(
            "SELECT m.claim_id, s.name AS source, m.text, coalesce(m.canonical, m.text) AS proposition, m.start_char, "
            "m.end_char, m.status, m.score, c.kind, c.speaker FROM claims c JOIN mentions m ON m.claim_id = c.id "
            "JOIN sources s ON s.id = m.source_id "
            "WHERE c.story_id = ? AND s.name IN (?, ?) ORDER BY m.article_id, m.start_char", (sid, a, b))
        claims: dict[str, dict[str, list[Row]]] = {}
        for r in rows:
            claims.setdefault(r["claim_id"], {}).setdefault(r["source"], []).append(r)
        for cid, per in claims.items():
            first = next(iter(per.values()))[0]
            says = {s for s, ms in per.items() if any(m["status"] == "asserts" for m in ms)}
            item = {"claim": cid, "story": sid, "kind": first["kind"], "speaker": first["speaker"],
                    "wording": {s: [m["text"] for m in ms if m["status"] == "asserts"] for s, ms in per.items()
                                if s in says},
                    "propositions": {s: [m["proposition"] for m in ms if m["status"] == "asserts"]
                                     for s, ms in per.items() if s in says},
                    "spans": {s: [[m["start_char"], m["end_char"]] for m in ms if m["status"] == "asserts"]
                              for s, ms in per.items() if s in says}}
            if a in says and b in says:
                shared.append(item)
                variants = ledger.query(
                    "SELECT v.kind, v.measure, v.slot, v.rewords, s.name AS source, v.value, v.text FROM variants v "
                    "JOIN sources s ON s.id = v.source_id WHERE v.claim_id = ?", (cid,))
                dis = disagreements_of(variants, only=(a, b))
                if dis:
                    disagree.append({**item, "disagreements": dis})
                continue
            for mine, other, only, maybe in ((a, b, only_a, maybe_a), (b, a, only_b, maybe_b)):
                if mine not in says:
                    continue
                cand = per[other][0] if other in per else None
                if cand is not None and (cand["score"] or 0.0) >= min_maybe:
                    # the other outlet may state it: its candidate sentence, to check by eye
                    maybe.append({**item, "candidate": {"source": other, "text": cand["text"], "start": cand["start_char"],
                                                        "end": cand["end_char"], "probability": cand["score"]}})
                else:
                    only.append(item)
    _once(a, (shared, maybe_a, only_a))
    _once(b, ([dict(it) for it in shared], maybe_b, only_b))  # B's sentences once; the shared list stays A's
    out: Row = {"a": a, "b": b, "stories": story_ids, "only_a": only_a, "only_b": only_b,
                "maybe_a": maybe_a, "maybe_b": maybe_b, "disagreements": disagree, "shared_count": len(shared)}
    if include_shared:
        out["shared"] = shared
    return out


_DENY = {
    sqlite3.SQLITE_ATTACH: "ATTACH", sqlite3.SQLITE_DETACH: "DETACH",
    sqlite3.SQLITE_INSERT: "INSERT", sqlite3.SQLITE_UPDATE: "UPDATE", sqlite3.SQLITE_DELETE: "DELETE",
    sqlite3.SQLITE_CREATE_TABLE: "CREATE", sqlite3.SQLITE_DROP_TABLE: "DROP",
    sqlite3.SQLITE_CREATE_INDEX: "CREATE", sqlite3.SQLITE_DROP_INDEX: "DROP",
    sqlite3.SQLITE_CREATE_VIEW: "CREATE", sqlite3.SQLITE_DROP_VIEW: "DROP",
    sqlite3.SQLITE_CREATE_TRIGGER: "CREATE", sqlite3.SQLITE_DROP_TRIGGER: "DROP",
    sqlite3.SQLITE_ALTER_TABLE: "ALTER", sqlite3.SQLITE_TRANSACTION: "transaction control",
}
_VERBS = {"INSERT", "UPDATE", "DELETE", "REPLACE", "DROP", "CREATE", "ALTER", "ATTACH", "DETACH", "PRAGMA",
          "VACUUM", "REINDEX", "BEGIN", "COMMIT", "SAVEPOINT"}
_READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "foreign_key_list", "table_list",
                 "database_list", "compile_options", "user_version", "schema_version"}


def run_sql(ledger: Ledger, sql: str, params: tuple[Any, ...] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement; anything that would write or attach is refused."""
    refused: list[str] = []

    def authorizer(action: int, arg1: str | None, arg2: str | None, dbname: str | None, source: str | None) -> int:
        if action in _DENY:
            refused.append(_DENY[action])
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and ((arg1 or "").lower() not in _READ_PRAGMAS or arg2 is not None):
            refused.append("PRAGMA")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
            refused.append("load_extension")
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    conn = ledger.conn
    conn.set_authorizer(authorizer)
    try:
        cur = conn.execute(sql, params)
        cols = [d[0] for d in cur.description or []]
        return cols, cur.fetchall()
    except sqlite3.Warning:
        raise QueryError("only one SQL statement at a time", hint="drop the trailing statements") from None
    except sqlite3.DatabaseError as e:
        if "one statement at a time" in str(e):
            raise QueryError("only one SQL statement at a time", hint="drop the trailing statements") from None
        if refused or "readonly" in str(e) or "not authorized" in str(e):
            # name the statement ("DROP"), not the first side effect the authorizer saw
            first = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
            what = first if first in _VERBS else (refused[0] if refused else "writing")
            raise ReadOnlyError(f"{what} is not allowed: the ledger is opened read-only") from None
        raise QueryError(f"SQL error: {e}", hint="'claimledger sql --help' shows examples") from None
    finally:
        conn.set_authorizer(None)
