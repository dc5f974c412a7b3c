"""Query benchmark: build a synthetic ledger with >= 1,000,000 mentions, then time the queries
behind every read command (median of repeated runs on random stories, claims and sources).

usage: python bench/bench_queries.py [--db FILE] [--mentions 1000000] [--runs 25] [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import time
from pathlib import Path

from claimledger.store import queries
from claimledger.store.ledger import Ledger

SOURCES = 50
ARTICLES_PER_STORY = 5
CLAIMS_PER_STORY = 12
MENTIONS_PER_CLAIM = 4


def build(path: Path, mentions: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    n_claims = mentions // MENTIONS_PER_CLAIM
    n_stories = n_claims // CLAIMS_PER_STORY
    led = Ledger(path)
    c = led.conn
    now = "2026-01-01T00:00:00+00:00"
    with led.immediate():
        c.executemany("INSERT INTO sources(id, name) VALUES (?, ?)", [(i, f"outlet-{i:02d}") for i in range(SOURCES)])
        c.executemany("INSERT INTO stories(id, name, forced, created_at) VALUES (?, ?, 0, ?)",
                      [(f"s{i:06d}", f"story {i}", now) for i in range(n_stories)])
        arts, claims, ments, quotes, variants, regions = [], [], [], [], [], []
        for s in range(n_stories):
            srcs = rng.sample(range(SOURCES), ARTICLES_PER_STORY)
            aids = []
            for k, src in enumerate(srcs):
                text = f"Story {s} as told by outlet {src}. " + "The council met and voted. " * 6
                sha = hashlib.sha256(text.encode()).hexdigest()
                aid = sha[:16]
                aids.append((aid, src, text[:10]))
                arts.append((aid, src, f"s{s:06d}", f"/c/{s}/{k}.txt", f"Story {s}", "2026-01-01", None, sha,
                             40, now, text))
                regions.append((aid, 0, len(text), "body"))
            for j in range(CLAIMS_PER_STORY):
                cid = f"c{s:06d}{j:02d}"
                claims.append((cid, f"s{s:06d}", "quote" if j % 4 == 0 else "statement", f"claim {j} of {s}",
                               None, "positive", now))
                for aid, src, head in rng.sample(aids, MENTIONS_PER_CLAIM):
                    ments.append((cid, aid, src, 0, 10, head, "statement", "body", "positive",
                                  None, 0.5, "a b c", None))
                    if j % 4 == 0:
                        quotes.append((aid, 0, 10, ments[-1][5], "Speaker", "speaker", None, None, None, "said",
                                       None, None, cid))
                        variants.append((cid, len(ments), aid, src, "quote", f"w{rng.randint(0, 2)}", "x", 0, 10))
        c.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arts)
        c.executemany("INSERT INTO regions VALUES (?, ?, ?, ?)", regions)
        c.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)", claims)
        c.executemany("INSERT INTO mentions(claim_id, article_id, source_id, start_char, end_char, text, kind, role, "
                      "polarity, attribution, score, terms, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ments)
        c.executemany("INSERT INTO quotes(article_id, start_char, end_char, text, speaker, speaker_key, speaker_start, "
                      "speaker_end, speaker_text, cue, cue_start, cue_end, claim_id) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", quotes)
        c.executemany("INSERT INTO variants(claim_id, mention_id, article_id, source_id, kind, value, text, start_char, "
                      "end_char) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", variants)
        # the summaries that write_article keeps, filled in one go here
        c.execute("INSERT INTO story_sources(story_id, source_id, articles) "
                  "SELECT story_id, source_id, count(*) FROM articles GROUP BY story_id, source_id")
        c.execute("UPDATE stories SET n_articles = (SELECT count(*) FROM articles a WHERE a.story_id = stories.id), "
                  "n_claims = (SELECT count(*) FROM claims c WHERE c.story_id = stories.id)")
    problems = led.check()
    assert not problems, problems
    c.execute("ANALYZE")
    led.close()
    return {"stories": n_stories, "articles": len(arts), "claims": len(claims), "mentions": len(ments),
            "quotes": len(quotes), "variants": len(variants)}


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=Path("bench-1m.db"))
    ap.add_argument("--mentions", type=int, default=1_000_200)
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.db.exists():
        start = time.perf_counter()
        sizes = build(args.db, args.mentions)
        print(json.dumps({"built": sizes, "seconds": round(time.perf_counter() - start, 1)}), flush=True)
    rng = random.Random(2)
    with Ledger(args.db, read_only=True) as led:
        stories = [r["id"] for r in led.query("SELECT id FROM stories")]
        claims = [r["id"] for r in led.query("SELECT id FROM claims WHERE rowid % 97 = 0")]
        pairs = [(r["a"], r["b"], r["story_id"]) for r in led.query(
            "SELECT s1.name a, s2.name b, a1.story_id FROM articles a1 JOIN articles a2 ON a1.story_id = a2.story_id "
            "AND a1.source_id < a2.source_id JOIN sources s1 ON s1.id = a1.source_id "
            "JOIN sources s2 ON s2.id = a2.source_id WHERE a1.rowid % 211 = 0")]
        results = {
            "claims --story S": timed(lambda: queries.list_claims(led, rng.choice(stories)), args.runs),
            "show CLAIM": timed(lambda: queries.show_claim(led, rng.choice(claims)), args.runs),
            "diff A B --story S": timed(lambda: queries.diff(led, *rng.choice(pairs)), args.runs),
            "diff A B (all shared stories)": timed(lambda: queries.diff(led, *rng.choice(pairs)[:2]), max(3, args.runs // 5)),
            "coverage of a story (view)": timed(lambda: led.query(
                "SELECT * FROM coverage WHERE story_id = ?", (rng.choice(stories),)), args.runs),
            "sources omitting a claim (view)": timed(lambda: led.query(
                "SELECT source FROM coverage WHERE claim_id = ? AND status = 'omits'", (rng.choice(claims),)), args.runs),
            "stories (largest 50)": timed(lambda: queries.list_stories(led, 50), args.runs),
            "stories (all, --limit 0)": timed(lambda: queries.list_stories(led), 3),
        }
    print(json.dumps({"median_ms": results}, indent=2))
    if args.json:
        args.json.write_text(json.dumps({"median_ms": results}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
