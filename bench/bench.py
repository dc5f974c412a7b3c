"""Ingest benchmark: claimledger end to end against the bare spaCy model, on the same texts.

usage: python bench/bench.py CORPUS_DIR [--scales 1 2 4 10] [--bare-at 1] [--repeat N] [--workers N] [--json OUT]

For each scale N the corpus is copied N times with names and numbers changed per copy (so the
copies neither dedupe nor fall into one story). On those texts, in one run, a fresh process
times the bare model's nlp.pipe (words/second) and another times `ingest` into a new ledger
(words/second, time per stage: read, pipeline, claims, stories, alignment, ledger writes; peak
memory); the row gives their ratio. With --repeat N each side is measured N times, in
alternating order, and the best time of each is kept (the spread is in *_runs_s).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = ["", "son", "ez", "ova", "berg", "ton", "ski", "ini", "er", "ock", "ard", "ius"]
_NAME = re.compile(r"\b([A-Z][a-z]{2,})\b")
WARM_UP = 64  # articles parsed before timing, in every measuring process


def vary(text: str, k: int) -> str:
    """Copy k of a text: capitalised words get a suffix, digits shift by k (copy 0 is the text)."""
    if k == 0:
        return text
    suffix = SUFFIXES[k % len(SUFFIXES)] or "an"
    text = _NAME.sub(lambda m: m.group(1) + suffix, text)
    return re.sub(r"\d", lambda m: str((int(m.group(0)) + k) % 10), text)


def build(corpus: Path, scale: int, out: Path) -> int:
    files = sorted(p for p in corpus.rglob("*.txt"))
    n = 0
    for k in range(scale):
        for f in files:
            dest = out / f"c{k:02d}" / f.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(vary(f.read_text(encoding="utf-8"), k), encoding="utf-8")
            n += 1
    return n


def one(folder: Path, workers: int, what: str) -> dict:
    """Measure ``what`` (ingest or bare) over one corpus in this process, a fresh one per measure.

    Ingest and the bare model run in separate processes with the same warm-up, so neither gains
    from the other's warm caches, mapped memory or learnt strings, and ingest's peak memory is
    its own.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from claimledger.build import ingest
    from claimledger.settings import DEFAULT

    BATCH_SIZE = DEFAULT.ingest.batch_size
    from claimledger.extract.pipeline import load_nlp
    from claimledger.extract.reader import read_paths
    from claimledger.store.ledger import Ledger

    nlp = load_nlp()
    texts = [a.text for a in read_paths([str(folder)])]
    for _ in nlp.pipe(texts[:WARM_UP], batch_size=BATCH_SIZE):
        pass
    if what == "bare":
        words = 0
        start = time.perf_counter()
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=workers):
            words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        bare = time.perf_counter() - start
        return {"bare_s": round(bare, 2), "bare_words": words, "bare_words_per_s": round(words / bare),
                "peak_rss_bare_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    del texts
    with tempfile.TemporaryDirectory() as tmp:
        with Ledger(Path(tmp) / "bench.db") as ledger:
            start = time.perf_counter()
            report = ingest([str(folder)], ledger, nlp, n_process=workers)
            full = time.perf_counter() - start
    return {
        "articles": report.added, "words": report.words, "ingest_s": round(full, 2),
        "ingest_words_per_s": round(report.words / full),
        "stages_s": {k: round(v, 2) for k, v in report.timings.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_children_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "workers": workers,
    }


def _measure(folder: str, workers: int, what: str) -> dict:
    out = subprocess.run([sys.executable, __file__, folder, "--one", what, "--workers", str(workers)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--scales", type=int, nargs="+", default=[1])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--bare-at", type=int, nargs="*", help="scales at which to time the bare model too (default: all)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="measure each side this many times (order alternating) and keep the best")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--one", choices=["bare", "ingest"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.corpus, args.workers, args.one)))
        return
    results = []
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            n = build(args.corpus, scale, Path(tmp))
            row: dict = {"scale": scale, "files": n}
            bare_too = args.bare_at is None or scale in args.bare_at
            bares: list[dict] = []
            ingests: list[dict] = []
            for r in range(args.repeat):
                # alternate the order, so that neither side always runs on a fresher machine
                order = ["bare", "ingest"] if r % 2 == 0 else ["ingest", "bare"]
                for what in order:
                    if what == "bare" and bare_too:
                        bares.append(_measure(tmp, args.workers, "bare"))
                    elif what == "ingest":
                        ingests.append(_measure(tmp, args.workers, "ingest"))
            row.update(min(ingests, key=lambda m: m["ingest_s"]))
            row["ingest_runs_s"] = [m["ingest_s"] for m in ingests]
            row["peak_rss_mb"] = max(m["peak_rss_mb"] for m in ingests)
            if bares:
                row.update(min(bares, key=lambda m: m["bare_s"]))
                row["bare_runs_s"] = [m["bare_s"] for m in bares]
                row["ratio_ingest_to_bare_speed"] = round(row["bare_s"] / row["ingest_s"], 3)
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
