"""Inverse document frequency over the ledger's articles: shared rare words and names count,
shared common words barely do. Story grouping and event choice weigh terms by it."""

from __future__ import annotations

import math


def idf(df: int, n_docs: int) -> float:
    return math.log((n_docs + 1) / (df + 1)) + 1.0
