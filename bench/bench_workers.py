"""Parallel ingest benchmark: `ingest --workers N` against `--workers 1` on the same texts.

usage: python bench/bench_workers.py CORPUS_DIR [--workers 1 2] [--repeat 3] [--limit N] [--json OUT]

Each measurement is a fresh process ingesting the corpus into a new ledger (the model load
and the worker start-up included: that is what a user waits for). The runs alternate between
worker counts and the best time of each is kept (every run is in ``runs_s``); the speedup is
words/s at N workers over words/s at 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one(corpus: str, workers: int, limit: int) -> dict[str, object]:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from claimledger.build import ingest
    from claimledger.store.ledger import Ledger

    files = sorted(str(p) for p in Path(corpus).rglob("*.txt"))[: limit or None]
    assert files, f"no .txt files under {corpus}"
    with tempfile.TemporaryDirectory() as tmp, Ledger(Path(tmp) / "bench.db") as ledger:
        start = time.perf_counter()
        report = ingest(files, ledger, n_process=workers)
        took = time.perf_counter() - start
    return {"workers": workers, "articles": report.added, "words": report.words, "s": round(took, 2),
            "words_per_s": round(report.words / took), "stages_s": {k: round(v, 2) for k, v in report.timings.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (0: all)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.corpus, args.one, args.limit)))
        return
    runs: dict[int, list[dict[str, object]]] = {w: [] for w in args.workers}
    for _ in range(args.repeat):
        for w in args.workers:
            out = subprocess.run([sys.executable, __file__, args.corpus, "--one", str(w), "--limit", str(args.limit)],
                                 capture_output=True, text=True, check=True)
            runs[w].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[w][-1]), file=sys.stderr)
    best = {w: min(r, key=lambda x: float(str(x["s"]))) for w, r in runs.items()}
    base = float(str(best[args.workers[0]]["words_per_s"]))
    result = {
        "best": {str(w): b for w, b in best.items()},
        "runs_s": {str(w): [x["s"] for x in r] for w, r in runs.items()},
        "speedup": {str(w): round(float(str(b["words_per_s"])) / base, 3) for w, b in best.items()},
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
