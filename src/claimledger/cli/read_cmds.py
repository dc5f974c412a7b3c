"""Read commands: stories, claims, show, diff, sql. Each is a thin wrapper over queries.py."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from claimledger.cli.common import (
    DEFAULT_DB,
    CsvOption,
    DbOption,
    JsonOption,
    MinMaybeOption,
    err,
    errors,
    open_ledger,
    out,
    print_json,
    print_rows,
)
from claimledger.store import queries


def stories_command(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=0, help="Show the largest N stories; 0 shows all.")] = 50,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the stories found, largest first: articles, outlets and claims of each."""
    with errors(), open_ledger(db) as ledger:
        rows = queries.list_stories(ledger, limit or None)
        total = queries.count_stories(ledger) if limit and len(rows) == limit else len(rows)
        print_rows(rows, ["story", "articles", "sources", "claims", "name"], as_json=as_json, as_csv=as_csv)
    if total > len(rows) and not (as_json or as_csv):
        err.print(f"(the largest {len(rows)} of {total} stories; --limit 0 lists all)")


class ClaimKind(str, Enum):
    statement = "statement"
    quote = "quote"
    event = "event"


def sources_command(
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the outlets in the ledger with their article and story counts.

    Any command that takes an outlet accepts its name in any case or a unique prefix ("fox").
    """
    with errors(), open_ledger(db) as ledger:
        rows = queries.list_sources(ledger)
    print_rows(rows, ["source", "articles", "stories"], as_json=as_json, as_csv=as_csv)


def claims_command(
    story: Annotated[Optional[str], typer.Option("--story", "-s", help="Story id, id prefix or name.")] = None,
    kind: Annotated[Optional[ClaimKind], typer.Option(
        help="Only claims of this kind (event: each story's central happening).")] = None,
    limit: Annotated[int, typer.Option(min=0, help="Show the first N claims, most asserted first; 0 shows all.")] = 50,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List claims with the outlets that assert, may state (in other words: check by eye) and omit each.

    Example: claimledger claims --story 3f2a --kind quote --limit 20
    """
    with errors(), open_ledger(db) as ledger:
        rows = queries.list_claims(ledger, story, kind.value if kind else None)
    total = len(rows)
    if limit:
        rows = rows[:limit]
    if as_json or as_csv:
        print_rows(rows, ["claim", "kind", "asserts", "maybe", "omits", "disagree", "canonical"], as_json=as_json,
                   as_csv=as_csv)
        return
    table = [{"claim": r["claim"][:10], "kind": r["kind"],
              "outlets": f"{len(r['asserts'])}/{len(r['asserts']) + len(r['maybe']) + len(r['omits'])}",
              "maybe": ", ".join(r["maybe"]), "omitted by": ", ".join(r["omits"]),
              "disagree": ", ".join(r["disagree"]), "claim text": r["canonical"]} for r in rows]
    # the whole text: a terminal folds it inside its column, a pipe gets it on one line for grep
    print_rows(table, ["claim", "kind", "outlets", "maybe", "omitted by", "disagree", "claim text"], as_json=False,
               as_csv=False)
    if total > len(rows):
        err.print(f"(the first {len(rows)} of {total} claims; --limit 0 lists all)")


def show_command(
    claim: Annotated[str, typer.Argument(help="Claim id (or a unique prefix).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show a claim: every outlet's own wording with character spans, its quotes and disagreements."""
    with errors(), open_ledger(db) as ledger:
        data = queries.show_claim(ledger, claim)
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]claim {data['claim']}[/] ({data['kind']}, story {data['story']})")
    out.print(f"asserts: {', '.join(data['asserts']) or '-'}", markup=False)
    out.print(f"maybe:   {', '.join(data['maybe']) or '-'}", markup=False)
    out.print(f"omits:   {', '.join(data['omits']) or '-'}", markup=False)
    for m in data["mentions"]:
        how = "" if m["status"] == "asserts" else f" may state it in other words (probability {m['score']})"
        out.print(f"\n[bold]{m['source']}[/] \\[{m['start_char']}:{m['end_char']}]{how}")
        out.print(f"  {m['text']}", markup=False)
    for q in data["quotes"]:
        out.print(f"\nquote in {q['source']} [{q['start_char']}:{q['end_char']}] "
                  f"speaker: {q['speaker'] or '-'} (\"{q['speaker_text'] or ''}\", cue: {q['cue'] or '-'})", markup=False)
        out.print(f"  “{q['text']}”", markup=False)
    for d in data["disagreements"]:
        out.print(f"\n[bold]disagreement on {d['kind']}[/]")
        for src, vals in d["values"].items():
            out.print(f"  {src}: {' | '.join(vals)}", markup=False)


def diff_command(
    a: Annotated[str, typer.Argument(help="First source (outlet) name.")],
    b: Annotated[str, typer.Argument(help="Second source name.")],
    story: Annotated[Optional[str], typer.Option("--story", "-s", help="Limit to one story.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also list the claims both assert.")] = False,
    min_maybe: MinMaybeOption = 0.0,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """What A asserts that B omits, the reverse, what one asserts and the other may state in
    other words (with its candidate sentence, to check by eye), and where they disagree.

    Example: claimledger diff reuters ap --all
    """
    with errors(), open_ledger(db) as ledger:
        data = queries.diff(ledger, a, b, story, include_shared=show_all, min_maybe=min_maybe)
        a, b = data["a"], data["b"]  # the outlets' full names, whatever prefix or case was typed
    if as_json:
        print_json(data)
        return

    def section(title: str, items: list[dict], src: str | None) -> None:
        out.print(f"\n[bold]{title}[/] ({len(items)})")
        for it in items:
            texts = it["propositions"].get(src) if src else next(iter(it["propositions"].values()))
            spk = f" [{it['speaker']}]" if it.get("speaker") else ""
            out.print(f"  {it['claim']}{spk}  {texts[0] if texts else ''}", markup=False)

    out.print(f"diff {a} vs {b}: {len(data['stories'])} shared stor{'y' if len(data['stories']) == 1 else 'ies'}, "
              f"{data['shared_count']} claims both assert", markup=False)
    section(f"only in {a}", data["only_a"], a)
    section(f"only in {b}", data["only_b"], b)
    maybe = [(it, a) for it in data["maybe_a"]] + [(it, b) for it in data["maybe_b"]]
    out.print(f"\n[bold]may be stated in other words[/] ({len(maybe)})")
    for it, src in maybe:
        cand = it["candidate"]
        texts = it["propositions"].get(src) or [""]
        out.print(f"  {it['claim']}  {src}: {texts[0]}", markup=False)
        out.print(f"    {cand['source']} ({cand['probability']}): {cand['text']}", markup=False)
    out.print(f"\n[bold]disagreements[/] ({len(data['disagreements'])})")
    for it in data["disagreements"]:
        out.print(f"  {it['claim']}", markup=False)
        for d in it["disagreements"]:
            for src, vals in d["values"].items():
                out.print(f"    {d['kind']:6} {src}: {' | '.join(vals)}", markup=False)
                for sentence in it["propositions"].get(src, [])[:1]:  # where the value comes from
                    out.print(f"      in: {sentence}", markup=False)
    if show_all:
        section("both assert", data.get("shared", []), a)


def sql_command(
    query: Annotated[str, typer.Argument(help="One SELECT statement.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Run read-only SQL on the ledger (tables and views: docs/schema.md).

    Example: claimledger sql "select source, status, count(*) from coverage group by 1, 2"
    """
    with errors(), open_ledger(db) as ledger:
        cols, rows = queries.run_sql(ledger, query)
    print_rows([dict(zip(cols, r)) for r in rows], cols, as_json=as_json, as_csv=as_csv)


def check_command(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Check the ledger: SQLite's integrity check and the schema's invariants. Exit 1 on a problem."""
    with errors(), open_ledger(db) as ledger:
        problems = ledger.check()
    if as_json:
        print_json({"ok": not problems, "problems": problems})
    else:
        for p in problems:
            typer.echo(f"problem: {p}")
        if not problems:
            typer.echo("ok")
    if problems:
        raise typer.Exit(1)
