"""Ingest benchmark: claimledger end to end against the bare spaCy model, on the same texts.

usage: python bench/bench.py CORPUS_DIR [--scales 1 2 4 10] [--workers N] [--json OUT]

For each scale N the corpus is copied N times with names and numbers changed per copy (so the
copies neither dedupe nor fall into one story), and one fresh process measures, on those texts:
`ingest` into a new ledger (words/second, time per stage: read, pipeline, claims, stories,
alignment, ledger writes; peak memory), then the bare model's nlp.pipe words/second and the ratio.
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


def one(folder: Path, workers: int, bare_too: bool = True) -> dict:
    """Measure one corpus in this process (called in a fresh subprocess per scale)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from claimledger.ingest import BATCH_SIZE, ingest
    from claimledger.ledger import Ledger
    from claimledger.pipeline import load_nlp
    from claimledger.reader import read_paths

    nlp = load_nlp()
    warm = [a.text for a in read_paths([str(folder)])][:32]
    for _ in nlp.pipe(warm, batch_size=BATCH_SIZE):  # warm up caches before timing
        pass
    # Ingest runs first so that its peak memory is its own: the bare run below holds every text
    # in a list and grows spaCy's string store without a memory zone.
    with tempfile.TemporaryDirectory() as tmp:
        with Ledger(Path(tmp) / "bench.db") as ledger:
            start = time.perf_counter()
            report = ingest([str(folder)], ledger, nlp, n_process=workers)
            full = time.perf_counter() - start
    rss_ingest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    words = 0
    bare = 0.0
    if bare_too:
        texts = [a.text for a in read_paths([str(folder)])]
        start = time.perf_counter()
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=workers):
            words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        bare = time.perf_counter() - start
    words = words or report.words
    return {
        "articles": report.added, "words": words, "bare_s": round(bare, 2) if bare_too else None,
        "ingest_s": round(full, 2), "bare_words_per_s": round(words / bare) if bare_too else None,
        "ingest_words_per_s": round(words / full),
        "ratio_ingest_to_bare_speed": round(bare / full, 3) if bare_too else None,
        "stages_s": {k: round(v, 2) for k, v in report.timings.items()},
        "peak_rss_mb": round(rss_ingest / 1024),
        "peak_rss_with_bare_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_children_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "workers": workers,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--scales", type=int, nargs="+", default=[1])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--bare-at", type=int, nargs="*", help="scales at which to time the bare model too (default: all)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-bare", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.corpus, args.workers, bare_too=not args.no_bare)))
        return
    results = []
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            n = build(args.corpus, scale, Path(tmp))
            extra = [] if args.bare_at is None or scale in args.bare_at else ["--no-bare"]
            out = subprocess.run([sys.executable, __file__, tmp, "--one", "--workers", str(args.workers), *extra],
                                 capture_output=True, text=True, check=True)
            row = {"scale": scale, "files": n, **json.loads(out.stdout.strip().splitlines()[-1])}
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
