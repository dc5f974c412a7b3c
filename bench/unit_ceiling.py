#!/usr/bin/env python3
"""How right can "B asserts X, here" be with a given unit, if the matching were perfect?

usage: python bench/unit_ceiling.py CORPUS_DIR [--cache FILE] [--parts] [--json]

CORPUS_DIR is a coverage corpus (``articles/`` and ``gold/``, as ``models/fit_same_fact.py``
reads it). The ledger answers per claim unit: every fact in a unit of A is asserted by B at the
passages the unit is linked to. So a unit that holds two facts of which B states one is a wrong
assertion for the other, however good the matcher is, and so is a fact B states in a sentence
the unit is not linked to.

This script gives the matcher the answers: for each unit of A's lead that holds a hard fact and
each other article B, it links the unit to the one (or two) units of B that hold the most of
its facts, or to none when no unit of B holds any. Assertion precision of that oracle (facts
asserted at a passage that states them / facts asserted) is the ceiling of the measure that
``score_coverage.py`` reports for the ledger, for that unit and that many passages per unit.

``--parts`` cuts each unit further at its clauses as the parser sees them (a verb heading a
relative, adverbial, coordinated, complement or parataxis clause of four words or more), to ask
the same of a finer unit. The figures are in docs/experiments.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import sys
from collections import defaultdict

from spacy.language import Language

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "models"))

import fit_same_fact as fit  # noqa: E402

from claimledger.extract.pipeline import load_nlp  # noqa: E402
from claimledger.records import ArticleRecords  # noqa: E402

PART_DEPS = frozenset({"advcl", "relcl", "acl", "conj", "ccomp", "xcomp", "parataxis"})
Span = tuple[int, int]


def clause_parts(nlp: Language, text: str, spans: list[Span]) -> list[Span]:
    """Each span cut at the clauses the parser finds in it (each token goes to the innermost
    clause head above it, or to the span's main clause)."""
    doc = nlp(text)
    out: list[Span] = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            out.append((s, e))
            continue
        heads = {t.i for t in span if t.dep_ in PART_DEPS and t.pos_ in {"VERB", "AUX"} and len(list(t.subtree)) >= 4}
        owner: defaultdict[int, list[int]] = defaultdict(list)
        for t in span:
            x, key = t, -1
            while True:
                if x.i in heads:
                    key = x.i
                    break
                if x.head.i == x.i or not span.start <= x.head.i < span.end:
                    break
                x = x.head
            owner[key].append(t.i)
        out += [(doc[min(ix)].idx, doc[max(ix)].idx + len(doc[max(ix)])) for ix in owner.values()]
    return out


def ceiling(gold: dict, recs: dict[str, ArticleRecords], units: dict[str, list[Span]],
            max_passages: tuple[int, ...] = (1, 2)) -> dict[int, list[int]]:
    """Per number of passages: [facts asserted, asserted at a passage that states them, facts B states,
    facts omitted, omitted that B does not state, decisions]."""
    docs, spans, lead = fit.gold_places(gold, recs)
    soft = set(gold.get("soft", []))

    def holds(d: str, u: Span, c: str) -> bool:
        return any(fit.overlaps(u[0], u[1], s, e) for s, e in spans.get((c, d), []))

    out = {k: [0, 0, 0, 0, 0, 0] for k in max_passages}
    for a in docs:
        lead_facts = [c for (c, d), sps in spans.items() if d == a and c not in soft
                      and any(fit.overlaps(s, e, ls, le) for s, e in sps for ls, le in lead[a])]
        for b in docs:
            if b == a:
                continue
            stated = [c for c in lead_facts if (c, b) in spans]
            for k in max_passages:
                # each unit of A with the k units of B that hold most of its facts
                cands: list[tuple[set[str], set[str]]] = []  # (facts it lies over, facts its passages hold)
                for u in units[a]:
                    facts = {c for c in lead_facts if holds(a, u, c)}
                    if not facts:
                        continue
                    held = [{c for c in facts if holds(b, v, c)} for v in units[b]]
                    best = max(itertools.combinations(range(len(held)), min(k, len(held))),
                               key=lambda combo: len(set().union(*(held[j] for j in combo))), default=())
                    got = set().union(*(held[j] for j in best))
                    if got:
                        cands.append((facts, got))
                # the oracle links units one at a time while that adds more right assertions than
                # wrong ones; a decision reads as the scorer's: a fact is asserted when a linked unit
                # lies over it, at a right passage when one of those links holds it
                linked: list[tuple[set[str], set[str]]] = []

                def net(links: list[tuple[set[str], set[str]]]) -> int:
                    asserted = set().union(*(f for f, _ in links)) if links else set()
                    right = set().union(*(g for _, g in links)) & asserted if links else set()
                    return 2 * len(right) - len(asserted)

                while True:
                    base = net(linked)
                    gains = [(net(linked + [c]) - base, n) for n, c in enumerate(cands) if c not in linked]
                    if not gains or max(gains)[0] <= 0:
                        break
                    linked.append(cands[max(gains)[1]])
                asserted = set().union(*(f for f, _ in linked)) if linked else set()
                right = set().union(*(g for _, g in linked)) & asserted if linked else set()
                out[k][0] += len(asserted)
                out[k][1] += len(right)
                out[k][2] += len(stated)
                # a unit left unlinked reads "maybe" when B states any of its facts, else "omits"
                maybe = {c for facts, got in cands if (facts, got) not in linked for c in facts} - asserted
                omitted = set(lead_facts) - asserted - maybe
                out[k][3] += len(omitted)
                out[k][4] += len(omitted - set(stated))
                out[k][5] += len(lead_facts)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("--cache", type=pathlib.Path, help="keep the parsed articles here between runs")
    ap.add_argument("--parts", action="store_true", help="cut units at the parser's clauses")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    recs = fit.load_records([args.corpus / "articles"], args.cache)
    units = {d: [(u.start, u.end) for u in r.units] for d, r in recs.items()}
    if args.parts:
        nlp = load_nlp()
        units = {d: clause_parts(nlp, recs[d].article.text, us) for d, us in units.items()}
    total = {1: [0] * 6, 2: [0] * 6}
    for gp in sorted((args.corpus / "gold").glob("*.json")):
        for k, counts in ceiling(json.loads(gp.read_text()), recs, units).items():
            total[k] = [t + c for t, c in zip(total[k], counts, strict=True)]
    res: dict[str, object] = {"unit": "clause parts" if args.parts else "claim units", "units": sum(map(len, units.values()))}
    for k, (n, ok, stated, om, om_ok, dec) in total.items():
        res[f"passages_{k}"] = {"asserted": n, "right_passage": ok, "stated": stated, "omitted": om,
                                "decisions": dec, "decided": round((n + om) / dec, 3) if dec else 0.0,
                                "assertion_precision": round(ok / n, 3) if n else 0.0,
                                "assertion_recall": round(ok / stated, 3) if stated else 0.0,
                                "omission_precision": round(om_ok / om, 3) if om else 0.0}
    if args.json:
        print(json.dumps(res, indent=1))
    else:
        for k in total:
            r = res[f"passages_{k}"]
            assert isinstance(r, dict)
            print(f"{res['unit']} ({res['units']}), perfect judge, up to {k} passage(s) per unit: assertion "
                  f"P {r['assertion_precision']:.3f} R {r['assertion_recall']:.3f}, omission P "
                  f"{r['omission_precision']:.3f}, decided {r['decided']:.3f} ({r['decisions']} decisions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
