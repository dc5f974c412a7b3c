"""Merge benchmark: the single writer's throughput as the ledger grows.

usage: python bench/bench_merge.py RECORDS_DIR [--copies 130] [--minutes 60] [--db FILE] [--start K] [--json OUT]

RECORDS_DIR is a folder `claimledger extract` wrote (ECB+ dev: 772 articles). Copy k of its
records has every capitalised word of each article changed in two letters (the same length,
so every span stays valid), in the text, the terms and the entity keys alike: the copies
neither dedupe nor fall into one story, as bench/bench.py's copies of the texts do. Copies are
merged one after another into one ledger (`merge_from`'s writer, a chunk of
`ingest.chunk` articles at a time); the time of each copy gives articles/s at that ledger
size. Stops after --copies or when --minutes have passed; --start K --db FILE goes on from copy
K in a ledger an earlier run left.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import tempfile
import time
from pathlib import Path

from claimledger.build import IngestReport, write_chunks
from claimledger.records import ArticleRecords
from claimledger.scaleout import check_folder, read_folder
from claimledger.settings import DEFAULT
from claimledger.store.ledger import Ledger

_CAP = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _shift(c: str, by: int) -> str:
    return chr((ord(c) - 97 + by) % 26 + 97) if "a" <= c <= "z" else c


# fields whose values are words of a closed vocabulary ("year", "body", "statement"), not text
CLOSED = {"kind", "role", "polarity", "granularity", "label", "status", "slot", "vector", "value", "anchor",
          "published"}


def vary(line: str, text: str, k: int) -> str:
    """Copy k of one record's JSON (copy 0 is the record)."""
    if k == 0:
        return line
    a, b = 1 + k % 25, k // 25
    names = {w: w[0] + _shift(w[1], a) + _shift(w[2], b) + w[3:] for w in set(_CAP.findall(text))}
    names.update({w.lower(): v.lower() for w, v in list(names.items())})
    if not names:
        return line
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b")

    def walk(value: object, key: str = "") -> object:
        if isinstance(value, str):
            return value if key in CLOSED else pattern.sub(lambda m: names[m.group(0)], value)
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, dict):
            return {kk: walk(v, kk) for kk, v in value.items()}
        return value

    return json.dumps(walk(json.loads(line)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("records", type=Path)
    ap.add_argument("--copies", type=int, default=130)
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--db", type=Path, help="ledger to write (default: a temporary file)")
    ap.add_argument("--start", type=int, default=0, help="first copy (to go on in --db after an earlier run)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    manifest = check_folder(args.records)
    base = [(r.model_dump_json(), r.article.text) for r in read_folder(args.records, manifest)]
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "merge.db"
    rows: list[dict[str, object]] = []
    start = time.perf_counter()
    with Ledger(db) as ledger:
        total = ledger.n_articles()
        for k in range(args.start, args.copies):
            records = [ArticleRecords.model_validate_json(vary(line, text, k)) for line, text in base]
            report = IngestReport(read=len(records))
            clock = time.perf_counter()
            size = DEFAULT.ingest.chunk
            chunks = (records[i:i + size] for i in range(0, len(records), size))
            write_chunks(chunks, ledger, report, command="merge")
            took = time.perf_counter() - clock
            total += report.added
            rows.append({"copy": k, "ledger_articles": total, "added": report.added, "s": round(took, 2),
                         "articles_per_s": round(report.added / took, 1),
                         "stages_s": {s: round(v, 2) for s, v in report.timings.items()},
                         "db_mb": round(db.stat().st_size / 1e6, 1),
                         "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})
            print(json.dumps(rows[-1]), flush=True)
            if time.perf_counter() - start > args.minutes * 60:
                break
    result = {"records": str(args.records), "copies": len(rows), "articles": total, "runs": rows}
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    tmp.cleanup()


if __name__ == "__main__":
    main()
