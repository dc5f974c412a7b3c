"""Weighted term overlap, the one similarity both story grouping and claim alignment use.

Terms are weighted by inverse document frequency over the ledger's articles, so shared rare
words and names count and shared common words barely do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

DF = Callable[[str], int]


def idf(df: int, n_docs: int) -> float:
    return math.log((n_docs + 1) / (df + 1)) + 1.0


def weighted_dice(a: Iterable[str], b: Iterable[str], weight: Callable[[str], float]) -> float:
    """2 * weight(shared) / (weight(a) + weight(b)) over the distinct terms of a and b."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    wa = sum(weight(t) for t in sa)
    wb = sum(weight(t) for t in sb)
    shared = sum(weight(t) for t in sa & sb)
    return 2.0 * shared / (wa + wb) if wa + wb else 0.0


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)
