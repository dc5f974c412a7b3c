"""CLI start-up benchmark: wall time of `claimledger --version`, `--help` and `stories` on the
seed ledger, each a fresh process (what a user or a script waits for).

usage: python bench/bench_cli.py [--runs 15] [--json OUT]

The seed ledger is ingested first (not timed); each command then runs once to warm the disk
cache and write bytecode, and --runs more times; the median and the range are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], runs: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as users run it
    subprocess.run(args, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3), "max_s": round(max(times), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("claimledger"))
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "seed.db")
        subprocess.run([exe, "ingest", str(ROOT / "data" / "raw"), "--db", db, "-q"], check=True)
        result = {
            "--version": timed([exe, "--version"], args.runs),
            "--help": timed([exe, "--help"], args.runs),
            "stories (seed ledger)": timed([exe, "stories", "--db", db], args.runs),
            "runs": args.runs,
        }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
