#!/usr/bin/env python3
"""Fit the same-fact model (``claimledger.group.samefact``) to labelled cross-outlet pairs.

usage: python models/fit_same_fact.py CORPUS_DIR [--also ARTICLES GOLD]... [--cache FILE] [--out FILE]

CORPUS_DIR holds ``articles/<event>_<outlet>.txt`` and ``gold/<event>.json`` in the coverage
format (BASIL-style: every fact of each article's first six sentences, and every passage of each
outlet that states it). Each article is parsed and cut into units exactly as ``ingest`` does; a
pair (unit a of A, unit b of B) is labelled

  same      a and b overlap passages of one fact (or of one family of facts);
  different a lies in A's judged lead and overlaps a fact's passage, b states none of a's facts;
  unknown   otherwise (a fact outside the leads was never annotated): left out.

Reported: leave-one-event-out figures (each event scored by a model fitted on the others), the
pairwise AUC and the three-answer decisions at the chosen thresholds, then the final fit on all
events is written with its thresholds. The thresholds are chosen on the cross-validated
probabilities: ``maybe`` is the highest value at which "omits" is right at least ``--omit-precision``
of the time, ``asserts`` the highest at which at least ``--min-decided`` of the decisions are
asserts or omits (the rest, "maybe", a reader checks by eye).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from claimledger.extract.claims import extract
from claimledger.extract.pipeline import load_nlp
from claimledger.extract.reader import read_paths
from claimledger.group.samefact import (
    COVER_FEATURES,
    FEATURES,
    SameFactModel,
    cover_matrix,
    fit_logistic,
    pair_matrix,
    side_of,
)
from claimledger.records import ArticleRecords

QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


def fold(text: str) -> tuple[str, list[int]]:
    """Quote- and space-folded text with the original offset of each kept character."""
    nt = text.translate(QUOTES)
    idx: list[int] = []
    out: list[str] = []
    for k, ch in enumerate(nt):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        idx.append(k)
        out.append(ch)
    return "".join(out), idx


def locate(text: str, folded: tuple[str, list[int]], snip: str) -> tuple[int, int] | None:
    i = text.find(snip)
    if i >= 0:
        return i, i + len(snip)
    flat, idx = folded
    ns = " ".join(unicodedata.normalize("NFKC", snip).translate(QUOTES).split())
    i = flat.find(ns) if ns else -1
    return (idx[i], idx[i + len(ns) - 1] + 1) if i >= 0 else None


def overlaps(s: int, e: int, gs: int, ge: int) -> bool:
    ov = min(e, ge) - max(s, gs)
    return ov > 0 and ov >= 0.5 * min(e - s, ge - gs)


def load_records(articles: list[pathlib.Path], cache: pathlib.Path | None) -> dict[str, ArticleRecords]:
    if cache and cache.exists():
        return {k: ArticleRecords.model_validate_json(v) for k, v in json.loads(cache.read_text()).items()}
    nlp = load_nlp()
    arts = list(read_paths([str(a) for a in articles]))
    out = {}
    for doc, art in nlp.pipe(((a.text, a) for a in arts), as_tuples=True, batch_size=16):
        out[pathlib.PurePath(art.path or "").stem] = extract(doc, art)
    if cache:
        cache.write_text(json.dumps({k: r.model_dump_json() for k, r in out.items()}))
    return out


def gold_places(gold: dict, recs: dict[str, ArticleRecords]) -> tuple[
        list[str], dict[tuple[str, str], list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
    """An event's docs found among ``recs``, where each states each fact ((fact, doc) -> spans),
    and each doc's judged lead (the whole text where the gold judges every passage, as the seeds')."""
    judged = gold.get("judged")  # None: every passage of every doc is judged (the seed gold)
    docs = sorted(d for d in set(judged or ()) | {d for ds in gold["claims"].values() for d in ds} if d in recs)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    lead: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d in docs:
        text = recs[d].article.text
        folded = fold(text)
        for c, ds in gold["claims"].items():
            for snip in ds.get(d, []):
                loc = locate(text, folded, snip)
                if loc:
                    spans[(c, d)].append(loc)
        if judged is None:
            lead[d].append((0, len(text)))
        for snip in (judged or {}).get(d, []):
            loc = locate(text, folded, snip)
            if loc:
                lead[d].append(loc)
    return docs, spans, lead


def event_data(gold: dict, recs: dict[str, ArticleRecords]) -> list[dict]:
    """Per ordered doc pair of one event: the feature tensor, labels and what decisions need."""
    docs, spans, lead = gold_places(gold, recs)
    fam: dict[str, set[str]] = defaultdict(set)
    for f in gold.get("families", []):
        for c in f:
            fam[c].update(f)

    def facts_at(d: str, s: int, e: int) -> set[str]:
        return {c for (c, dd), sps in spans.items() if dd == d for gs, ge in sps if overlaps(s, e, gs, ge)}

    out = []
    sides = {d: [side_of(u) for u in recs[d].units] for d in docs}
    facts = {d: [facts_at(d, u.start, u.end) for u in recs[d].units] for d in docs}
    in_lead = {d: [any(overlaps(u.start, u.end, ls, le) for ls, le in lead[d]) for u in recs[d].units] for d in docs}
    soft = set(gold.get("soft", []))
    for a in docs:
        for b in docs:
            if a == b:
                continue
            x = pair_matrix(sides[a], sides[b])
            y = np.full(x.shape[:2], -1.0)
            for i, fa in enumerate(facts[a]):
                if not fa:
                    continue
                for j, fb in enumerate(facts[b]):
                    same = any((fam.get(c, set()) | {c}) & fb for c in fa)
                    if same:
                        y[i, j] = 1.0
                    elif in_lead[a][i] and not (fa - soft) <= set():
                        y[i, j] = 0.0
            # decisions: every hard fact with a passage in A's lead, against B
            decisions = []
            for (c, d), sps in spans.items():
                if d != a or c in soft or not any(overlaps(s, e, ls, le) for s, e in sps for ls, le in lead[a]):
                    continue
                units = [i for i, u in enumerate(recs[a].units) if any(overlaps(u.start, u.end, s, e) for s, e in sps)]
                if not units:
                    continue
                targets = [j for j, u in enumerate(recs[b].units)
                           if any(overlaps(u.start, u.end, s, e) for s, e in spans.get((c, b), []))]
                decisions.append((units, (c, b) in spans, targets))
            out.append({"pair": (a, b), "x": x, "y": y, "decisions": decisions, "a_sides": sides[a],
                        "b_sides": sides[b]})
    return out


def auc(p: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else 0.0


def cover_rows(pr: dict, p: np.ndarray) -> list[tuple[np.ndarray, bool, bool]]:
    """Per decision of a doc pair: the coverage features of A's unit with the best candidate in B,
    whether B states the fact, and whether that candidate is one of its passages."""
    rows: list[tuple[np.ndarray, bool, bool]] = []
    if p.shape[1] == 0:
        return rows
    feats = cover_matrix(pr["a_sides"], p, pr["b_sides"])
    for units, truth, targets in pr["decisions"]:
        i = max(units, key=lambda k: p[k].max())
        rows.append((feats[i], truth, truth and int(np.argmax(p[i])) in targets))
    return rows


def fit_both(pairs: list[dict], l2: float) -> tuple[np.ndarray, np.ndarray]:
    x, y = stack(pairs)
    w1 = fit_logistic(x, y, l2)
    m1 = SameFactModel(tuple(w1), (), 1.0, 0.0)
    rows = [r for pr in pairs for r in cover_rows(pr, m1.prob(pr["x"]))]
    w2 = fit_logistic(np.array([r[0] for r in rows]), np.array([float(r[1]) for r in rows]), l2)
    return w1, w2


def decide(scored: list[tuple[float, bool, bool]], hi: float, lo: float) -> dict[str, float]:
    """The three answers at thresholds ``hi``/``lo`` over (probability, truth, right passage)."""
    t: dict[str, int] = defaultdict(int)
    for q, truth, right in scored:
        t["n"] += 1
        t["true_assert"] += truth
        if q >= hi:
            t["pa"] += 1
            t["pa_ok"] += right
        elif q < lo:
            t["po"] += 1
            t["po_ok"] += not truth
        else:
            t["maybe"] += 1
    r = lambda a, b: round(a / b, 3) if b else 0.0  # noqa: E731
    return {"omission_precision": r(t["po_ok"], t["po"]), "omission_recall": r(t["po_ok"], t["n"] - t["true_assert"]),
            "assertion_precision": r(t["pa_ok"], t["pa"]), "assertion_recall": r(t["pa_ok"], t["true_assert"]),
            "decided": r(t["pa"] + t["po"], t["n"]), "decisions": t["n"]}


def thresholds(scored: list[tuple[float, bool, bool]], omit_p: float, min_decided: float) -> tuple[float, float]:
    """``maybe``: the highest threshold at which "omits" is still right ``omit_p`` of the time;
    ``asserts``: the highest at which at least ``min_decided`` of the decisions are asserts or
    omits, so that at most the rest is left to the reader as "maybe"."""
    grid = [round(v, 3) for v in np.linspace(0.01, 0.99, 99)]
    lo = max((v for v in grid if decide(scored, 1.01, v)["omission_precision"] >= omit_p), default=0.01)
    hi = max((v for v in grid if v >= lo and decide(scored, v, lo)["decided"] >= min_decided), default=lo)
    return hi, lo


def stack(pairs: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for pr in pairs:
        keep = pr["y"] >= 0
        xs.append(pr["x"][keep])
        ys.append(pr["y"][keep])
    return np.concatenate(xs), np.concatenate(ys)


def cross_validate(events: dict[str, list[dict]], l2: float,
                   scored_events: set[str] | None = None) -> tuple[list[tuple[float, bool, bool]], float]:
    """Leave one event out: each event of ``scored_events`` (default all) scored by models fitted
    on all the others; returns (probability, truth, right passage) per decision and the pair AUC."""
    scored: list[tuple[float, bool, bool]] = []
    p_all, y_all = [], []
    for held in sorted(scored_events or events):
        w1, w2 = fit_both([p for e, ps in events.items() if e != held for p in ps], l2)
        model = SameFactModel(tuple(w1), tuple(w2), 1.0, 0.0)
        for pr in events[held]:
            p = model.prob(pr["x"])
            p_all.append(p[pr["y"] >= 0])
            y_all.append(pr["y"][pr["y"] >= 0])
            for feats, truth, right in cover_rows(pr, p):
                scored.append((float(model.cover(feats)), truth, right))
    return scored, auc(np.concatenate(p_all), np.concatenate(y_all))


def fit_model(events: dict[str, list[dict]], l2: float, omit_p: float, min_decided: float,
              scored_events: set[str] | None = None) -> dict:
    """The model file's content: weights fitted on all ``events``, thresholds chosen on the
    leave-one-event-out probabilities of ``scored_events`` (default all), and those figures."""
    scored, pair_auc = cross_validate(events, l2, scored_events)
    hi, lo = thresholds(scored, omit_p, min_decided)
    q = np.array([s[0] for s in scored])
    truth = np.array([float(s[1]) for s in scored])
    w1, w2 = fit_both([p for ps in events.values() for p in ps], l2)
    return {
        "version": "2", "features": list(FEATURES), "weights": [round(float(v), 5) for v in w1],
        "cover_features": list(COVER_FEATURES), "cover_weights": [round(float(v), 5) for v in w2],
        "asserts": hi, "maybe": lo,
        "cv": {"events": len(events), "cv_pair_auc": round(pair_auc, 3), "cv_decision_auc": round(auc(q, truth), 3),
               "cv_decisions": decide(scored, hi, lo)},
    }


def load_events(corpus: pathlib.Path, cache: pathlib.Path | None,
                also: Sequence[tuple[pathlib.Path, pathlib.Path]] = ()) -> tuple[dict[str, list[dict]], set[str]]:
    """Every event's doc pairs: CORPUS_DIR's events, then each (articles, gold file) of ``also``.
    Returns them with the names of CORPUS_DIR's own events (the ones cross-validation reports)."""
    recs = load_records([corpus / "articles", *(a for a, _ in also)], cache)
    events = {}
    for gp in sorted((corpus / "gold").glob("*.json")):
        g = json.loads(gp.read_text())
        events[g["story"]] = event_data(g, recs)
    main_events = set(events)
    for _, gp in also:
        g = json.loads(gp.read_text())
        events[g.get("story") or gp.stem] = event_data(g, recs)
    return events, main_events


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("--cache", type=pathlib.Path, help="keep the parsed articles here between runs")
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path(__file__).parent / "same_fact.json")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--omit-precision", type=float, default=0.88)
    ap.add_argument("--min-decided", type=float, default=0.75)
    ap.add_argument("--also", nargs=2, action="append", type=pathlib.Path, default=[], metavar=("ARTICLES", "GOLD"),
                    help="another labelled set to fit on (a folder of articles and its gold file); not scored")
    args = ap.parse_args()
    events, main_events = load_events(args.corpus, args.cache, args.also)
    model = fit_model(events, args.l2, args.omit_precision, args.min_decided, main_events)
    model["fitted_on"] = f"{args.corpus.name}: weights on every event, thresholds from leave-one-event-out"
    args.out.write_text(json.dumps(model, indent=1) + "\n")
    print(json.dumps(model["cv"], indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
