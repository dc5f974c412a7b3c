#!/usr/bin/env python3
"""Leave-one-event-out coverage figures for a labelled corpus, through the real ledger.

usage: python bench/coverage_cv.py CORPUS_DIR SCORER [--workers 2] [--cache FILE] [--json]

For each event of CORPUS_DIR (``articles/`` and ``gold/`` as ``models/fit_same_fact.py`` reads
them), a same-fact model is fitted on the OTHER events (weights, and thresholds from their own
leave-one-event-out), every article of the corpus is ingested into one fresh ledger with that
model (``$CLAIMLEDGER_SAME_FACT_MODEL``), and SCORER (a coverage scorer taking ``LEDGER GOLD
--json``) scores the held-out event alone. The counts of all events are summed and the ratios
printed, so no figure comes from a model that saw the event it is scored on.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "models"))

import fit_same_fact as fit  # noqa: E402


def run_event(held: str, model: dict, corpus: pathlib.Path, scorer: pathlib.Path, tmp: pathlib.Path) -> Counter[str]:
    path = tmp / f"{held}.json"
    path.write_text(json.dumps(model))
    db = tmp / f"{held}.db"
    env = {**os.environ, "CLAIMLEDGER_SAME_FACT_MODEL": str(path), "OPENBLAS_NUM_THREADS": "1"}
    exe = pathlib.Path(sys.executable).parent / "claimledger"
    subprocess.run([str(exe), "ingest", str(corpus / "articles"), "--db", str(db), "--quiet", "--workers", "1"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, str(scorer), str(db), str(corpus / "gold" / f"{held}.json"), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return Counter(json.loads(out[:out.rindex("}") + 1])["counts"])


def ratios(t: Counter[str]) -> dict[str, float]:
    def r(a: float, b: float) -> float:
        return round(a / b, 3) if b else 0.0

    return {
        "omission_precision": r(t["true_omit_pred_omit"], t["pred_omit"]),
        "omission_recall": r(t["true_omit_pred_omit"], t["true_omit"]),
        "assertion_precision": r(t["pred_assert_ok"], t["pred_assert"]),
        "assertion_recall": r(t["pred_assert_ok"], t["true_assert"]),
        "decided": r(t["pred_assert"] + t["pred_omit"], t["decisions"]),
        "unplaced": r(t["unplaced"], t["decisions"]),
        "link_precision": r(t["links_ok"], t["links"]),
        "disagreement_precision": r(t["dis_pred_ok"], t["dis_pred"]),
        "disagreement_recall": r(t["dis_gold_found"], t["dis_gold"]),
        "decisions": t["decisions"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("scorer", type=pathlib.Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=pathlib.Path)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--omit-precision", type=float, default=0.88)
    ap.add_argument("--min-decided", type=float, default=0.75)
    ap.add_argument("--also", nargs=2, action="append", type=pathlib.Path, default=[], metavar=("ARTICLES", "GOLD"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    events, main_events = fit.load_events(args.corpus, args.cache, args.also)
    models = {held: fit.fit_model({e: ps for e, ps in events.items() if e != held}, args.l2, args.omit_precision,
                                  args.min_decided, main_events - {held}) for held in sorted(main_events)}
    total: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.workers) as pool:
        jobs = [pool.submit(run_event, held, m, args.corpus, args.scorer, pathlib.Path(tmp)) for held, m in models.items()]
        for job in jobs:
            total.update(job.result())
    res = ratios(total)
    print(json.dumps(res, indent=1) if args.json else
          " | ".join(f"{k} {v}" for k, v in res.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
