"""Does another outlet state this fact? Fitted answers, with their probabilities.

Each unit is seen as a ``Side``: its readable text, its terms (content lemmas folded through the
synonym table, ``@entity`` keys, ``#number`` values; and ``records.context_terms``: its dates
as ``#2019-01-04``, the people its quotations are attributed to as ``@`` keys), its kind,
polarity and the parser's sentence vector. Two fitted logistic regressions (``models/fit_same_fact.py``, weights in
``models/same_fact.json``) answer two questions:

- ``pair_matrix`` + ``SameFactModel.prob``: do unit a of article A and unit b of article B state
  one fact? From word overlap weighted by how rare each word is in English at large
  (``wordfreq``: a weight that does not depend on what the ledger happens to hold), how much of
  the shorter side the longer one contains, names and numbers in common or in conflict,
  character 4-grams (spelling variants: "fund-raiser" / "fundraiser", "Tex." / "Texas"), quote
  flags, the vectors' cosine, where b ranks among B's units for a (and a among A's for b), and
  where each stands in its article.
- ``cover_matrix`` + ``SameFactModel.cover``: does article B state a's fact at all? From a's best
  pair probabilities in B, how much of a's weighted words B holds anywhere (a fact told across
  two of B's sentences is in no one of them), a's place in A, and its kind and size.

The second probability is what the ledger's three answers read: at or above ``asserts`` B
states the fact (at its best unit), below ``maybe`` B omits it, in between B may state it in
other words. Hand-set thresholds on one similarity were right about half the time on real news.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from claimledger.errors import ResourceError
from claimledger.records import ClaimUnit, context_terms
from claimledger.resources import models_dir

FEATURES = (
    "bias", "wdice", "cover_small", "cover_large", "shared_words", "shared_names", "name_conflict",
    "grams", "numbers_shared", "numbers_conflict", "both_quotes", "one_quote", "vector_cos",
    "polarity_differs", "length_ratio", "wdice_local", "cover_local", "best_both_ways", "best_one_way", "margin_low", "margin_high",
    "early_low", "early_high", "position_gap",
)
COVER_FEATURES = (
    "bias", "best", "second", "above_half", "article_cover", "position", "headline", "quote", "size",
    "articles_track", "unmatched_in_tracking",
)
TRACK = 0.7  # a unit whose best pair in the other article is this probable has a counterpart there
ENTITY_WEIGHT = 6.0  # a named entity counts as a rare word ...
NUMBER_WEIGHT = 4.0  # ... and a number as a fairly rare one
_WORD = re.compile(r"[a-z0-9]+")
MODEL_ENV = "CLAIMLEDGER_SAME_FACT_MODEL"


@lru_cache(maxsize=200_000)
def rarity(term: str) -> float:
    """How much a shared term says: 8 minus its Zipf frequency in English (about 1 for "the",
    4.4 for "shutdown"), a name or a number a fixed amount."""
    if term[:1] == "@":
        return ENTITY_WEIGHT
    if term[:1] == "#":
        return NUMBER_WEIGHT
    if not term.isalpha():  # hyphenated: wordfreq splits and combines it as it does any text
        from wordfreq import zipf_frequency

        return max(0.5, 8.0 - zipf_frequency(term, "en"))
    freq = _frequencies().get(term)
    # the Zipf scale (log10 of frequency per billion words); an unknown word scores 0, as in wordfreq
    return 8.0 if freq is None else max(0.5, 8.0 - (math.log10(freq) + 9.0))


@cache
def _frequencies() -> dict[str, float]:
    """English word frequencies (``wordfreq``), loaded once (~0.1 s) on first use: a dictionary
    lookup instead of wordfreq's per-call tokenising, which was most of alignment's time."""
    from wordfreq import get_frequency_dict  # imported on first use: the read commands never need it

    return get_frequency_dict("en")


def char_grams(text: str, n: int = 4) -> frozenset[str]:
    """Character n-grams of the words run together ("fund-raiser" and "fundraiser" share all)."""
    flat = "".join(_WORD.findall(text.lower()))
    return frozenset(flat[i:i + n] for i in range(max(len(flat) - n + 1, 0)))


_GRAM_DIGIT = np.zeros(128, dtype=np.int64)  # the 36 letters and digits of _WORD as base-36 digits
_GRAM_DIGIT[np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", np.uint8)] = np.arange(36)


@lru_cache(maxsize=50_000)
def _gram_ids(text: str) -> np.ndarray:
    """``char_grams(text)`` as sorted integers: each 4-gram read as a base-36 number, so no
    table of them is kept and building them is a few array operations, not a loop per gram."""
    d = _GRAM_DIGIT[np.frombuffer("".join(_WORD.findall(text.lower())).encode("ascii"), np.uint8)]
    return np.unique(((d[:-3] * 36 + d[1:-2]) * 36 + d[2:-1]) * 36 + d[3:])


@dataclass(frozen=True)
class Side:
    """One unit as the same-fact model sees it."""

    text: str
    terms: frozenset[str]
    kind: str = "statement"
    polarity: str = "positive"
    vector: np.ndarray | None = None
    role: str = "body"


def unpack_vector(b: bytes | None) -> np.ndarray | None:
    """A stored float16 unit vector (``claims.unit_vector``) as float32."""
    return np.frombuffer(b, dtype=np.float16).astype(np.float32) if b else None


def side_of(unit: ClaimUnit) -> Side:
    """A freshly extracted unit as a ``Side``: its own words (as stored in ``mentions.text``) and
    its terms, the actor of a split-off clause included, with its dates and speakers
    (``context_terms``, as ``mentions.terms`` holds them)."""
    terms = frozenset(unit.terms) | frozenset(context_terms(unit))
    return Side(unit.text, terms, unit.kind, unit.polarity, unpack_vector(unit.vector), unit.role)


@cache
def default_model() -> SameFactModel:
    """The model in ``models/same_fact.json``, or the file named by $CLAIMLEDGER_SAME_FACT_MODEL
    (how cross-validation runs a model fitted without the event it scores)."""
    override = os.environ.get(MODEL_ENV)
    return SameFactModel.load(Path(override) if override else None)


class _Ids:
    """Process-wide integer ids of terms (with their weight and kind), so a pair of articles is
    compared on arrays built once per unit, not on dictionaries built per pair."""

    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.weight = np.zeros(1024)
        self.kind = np.zeros(1024, dtype=np.int8)  # 0 a word, 1 a name (@), 2 a number (#)

    def term(self, t: str) -> int:
        i = self.terms.get(t)
        if i is None:
            i = self.terms[t] = len(self.terms)
            if i >= len(self.weight):
                self.weight = np.concatenate([self.weight, np.zeros(len(self.weight))])
                self.kind = np.concatenate([self.kind, np.zeros(len(self.kind), dtype=np.int8)])
            self.weight[i] = rarity(t)
            self.kind[i] = 1 if t[:1] == "@" else 2 if t[:1] == "#" else 0
        return i


_IDS = _Ids()
MAX_IDS = 2_000_000  # interned terms kept before the table starts over (~300 MB)


def trim_caches() -> None:
    """Start the id tables over once they are large: names and numbers keep coming in a long
    run, so they would grow without end. Call it between comparisons only (align_batch does,
    once a story): ids of the old tables and the new must never meet in one pair."""
    global _IDS
    if len(_IDS.terms) > MAX_IDS:
        _IDS = _Ids()
        _term_ids.cache_clear()


@lru_cache(maxsize=50_000)
def _term_ids(terms: frozenset[str]) -> np.ndarray:
    return np.array(sorted(_IDS.term(t) for t in terms), dtype=np.int64)


def _rows(ids: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The ids of several units run together, and the unit each one belongs to."""
    flat = np.concatenate(ids) if len(ids) else np.zeros(0, np.int64)
    return flat, np.repeat(np.arange(len(ids)), [len(x) for x in ids])


def _against(a_ids: Sequence[np.ndarray], b_ids: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A's units and B's units as 0/1 matrices over the ids A holds (only those can be shared),
    those ids, and for each of B's ids run together its column there (-1: not one of A's)."""
    flat_a, row_a = _rows(a_ids)
    u = np.unique(flat_a)
    ta = np.zeros((len(a_ids), len(u)))
    ta[row_a, np.searchsorted(u, flat_a)] = 1.0
    flat_b, row_b = _rows(b_ids)
    col = np.searchsorted(u, flat_b)
    col[col == len(u)] = 0
    col = np.where(u[col] == flat_b, col, -1) if len(u) else np.full(len(flat_b), -1)
    tb = np.zeros((len(b_ids), len(u)))
    hit = col >= 0
    tb[row_b[hit], col[hit]] = 1.0
    return ta, tb, u, col


def _segment_sum(values: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(rows, weights=values, minlength=n).astype(np.float64)


def pair_matrix(a_sides: Sequence[Side], b_sides: Sequence[Side]) -> np.ndarray:
    """Features of every (a, b) pair of two articles' units: shape (len(a), len(b), FEATURES).
    Each list is in its article's text order: the position features read where a unit stands."""
    return pair_matrices(a_sides, [b_sides])[0]


def pair_matrices(a_sides: Sequence[Side], articles: Sequence[Sequence[Side]]) -> list[np.ndarray]:
    """``pair_matrix`` of article A against each of several articles, computed together: the
    units of all of them are compared with A's in one set of matrix products over the term and
    4-gram ids A holds (ids kept per unit), so a story's comparisons cost a few array operations
    per new article, not a Python loop per pair nor a round of them per other article."""
    return _features(a_sides, articles)[0]


def _features(a_sides: Sequence[Side], articles: Sequence[Sequence[Side]]
              ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """``pair_matrices``, with the ``held_share`` of A's units in each article (len(a), articles)
    and of the articles' units (run together) in A."""
    na = len(a_sides)
    sizes = [len(b) for b in articles]
    nall = sum(sizes)
    if not na or not nall:
        return ([np.zeros((na, n, len(FEATURES))) for n in sizes], np.zeros((na, len(articles))), np.zeros(nall))
    b_sides = [s for b in articles for s in b]
    art = np.repeat(np.arange(len(articles)), sizes)  # the article of each of B's units
    b_sizes = np.array(sizes, dtype=np.float64)
    a_ids = [_term_ids(s.terms) for s in a_sides]
    b_ids = [_term_ids(s.terms) for s in b_sides]
    ta, tb, u, col = _against(a_ids, b_ids)
    w, kind = _IDS.weight[u], _IDS.kind[u]
    flat_b, row_b = _rows(b_ids)
    shared = (ta * w) @ tb.T
    wa = (ta @ w)[:, None]
    wb = _segment_sum(_IDS.weight[flat_b], row_b, nall)[None, :]
    # the same overlap with each term weighted by how few of the two articles' units hold it:
    # the story's own topic words ("shutdown", "wall") say little about which fact a unit states
    df_a = ta.sum(0)
    df_ab = np.zeros((len(u), len(articles)))  # units of each other article holding each of A's terms
    hit = col >= 0
    np.add.at(df_ab, (col[hit], art[row_b[hit]]), 1.0)
    local_a = w[:, None] * np.log((na + b_sizes[None, :] + 1) / (df_a[:, None] + df_ab + 1))
    lshared = ta @ (tb * local_a.T[art]).T
    la_ = (ta @ local_a)[:, art]
    # B's own terms: held by how many units of its article (and of A's, when A holds them too)
    key = art[row_b].astype(np.int64) * (int(flat_b.max(initial=0)) + 1) + flat_b
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    df_b = counts[inverse] + np.where(hit, df_a[np.maximum(col, 0)], 0.0)
    lb_ = _segment_sum(_IDS.weight[flat_b] * np.log((na + b_sizes[art[row_b]] + 1) / (df_b + 1)), row_b, nall)[None, :]
    small, large = np.minimum(wa, wb), np.maximum(wa, wb)
    word, name, num = kind == 0, kind == 1, kind == 2
    names = (ta * name) @ tb.T
    na_ = (ta @ name)[:, None]
    nb_ = _segment_sum((_IDS.kind[flat_b] == 1).astype(np.float64), row_b, nall)[None, :]
    nums = (ta * num) @ tb.T
    ka = (ta @ num)[:, None]
    kb = _segment_sum((_IDS.kind[flat_b] == 2).astype(np.float64), row_b, nall)[None, :]
    a_grams = [_gram_ids(s.text) for s in a_sides]
    b_grams = [_gram_ids(s.text) for s in b_sides]
    ga, gb, _, _ = _against(a_grams, b_grams)
    ginter = (ga.astype(np.float32) @ gb.astype(np.float32).T).astype(np.float64)
    gunion = np.array([len(g) for g in a_grams], dtype=np.float64)[:, None] \
        + np.array([len(g) for g in b_grams], dtype=np.float64)[None, :] - ginter
    qa = np.array([s.kind == "quote" for s in a_sides])[:, None]
    qb = np.array([s.kind == "quote" for s in b_sides])[None, :]
    pa = np.array([s.polarity for s in a_sides])[:, None]
    pb = np.array([s.polarity for s in b_sides])[None, :]
    la = np.array([len(s.text) + 1.0 for s in a_sides])[:, None]
    lb = np.array([len(s.text) + 1.0 for s in b_sides])[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        cols = [
            np.ones((na, nall)),
            np.nan_to_num(2 * shared / (wa + wb)),
            np.nan_to_num(shared / small),
            np.nan_to_num(shared / large),
            np.log1p((ta * word) @ tb.T),
            names / np.maximum(1, np.minimum(na_, nb_)),
            ((na_ > 0) & (nb_ > 0) & (names == 0)).astype(float),
            np.nan_to_num(ginter / gunion),
            (nums > 0).astype(float),
            ((ka > 0) & (kb > 0) & (nums == 0)).astype(float),
            (qa & qb).astype(float),
            (qa != qb).astype(float),
            _cosines(a_sides, b_sides),
            (pa != pb).astype(float),
            np.abs(np.log(la / lb)),
            np.nan_to_num(2 * lshared / (la_ + lb_)),
            np.nan_to_num(lshared / np.minimum(la_, lb_)),
        ]
    full = np.empty((na, nall, len(FEATURES)))
    for k, c in enumerate(cols):
        full[:, :, k] = c
    n = len(cols)
    out = []
    at = 0
    ia = np.arange(na)[:, None]
    for nb in sizes:
        x = full[:, at:at + nb]
        at += nb
        if not nb:
            out.append(x)
            continue
        # where b ranks among B's units for a, and a among A's for b, told the same whichever
        # article is A: a pair's probability must not hang on the order the articles came in
        base = x[:, :, 1] + x[:, :, 7] + x[:, :, 15]  # weighted Dice, 4-grams and local Dice rank them
        best_a, margin_a = _ranks(base)
        best_b, margin_b = (m.T for m in _ranks(base.T))
        x[:, :, n] = best_a * best_b
        x[:, :, n + 1] = np.maximum(best_a, best_b)
        x[:, :, n + 2] = np.minimum(margin_a, margin_b)
        x[:, :, n + 3] = np.maximum(margin_a, margin_b)
        # where the two units stand in their articles (sides come in text order): news states
        # its facts early and in much the same order, so of two sentences that share A's words
        # the one at a like place is more often the same fact; symmetric, like the ranks
        jb = np.arange(nb)[None, :]
        x[:, :, n + 4] = np.log1p(np.minimum(ia, jb))
        x[:, :, n + 5] = np.log1p(np.maximum(ia, jb))
        x[:, :, n + 6] = np.abs(ia / max(na - 1, 1) - jb / max(nb - 1, 1))
        out.append(x)
    # how much of a unit's weighted terms the other article holds anywhere (``cover_matrix``)
    held_a = (df_ab > 0)[np.searchsorted(u, _rows(a_ids)[0])]
    return out, _share(a_ids, held_a), _share(b_ids, hit[:, None])[:, 0]


def _cosines(a_sides: Sequence[Side], b_sides: Sequence[Side]) -> np.ndarray:
    # in float64: products of the stored float16 values sum (all but) exactly, so a pair's
    # cosine does not hang on which other units are compared in the same product
    dim = next((len(s.vector) for s in (*a_sides, *b_sides) if s.vector is not None), 0)
    if not dim:
        return np.zeros((len(a_sides), len(b_sides)))

    def stack(sides: Sequence[Side]) -> np.ndarray:
        return np.array([s.vector if s.vector is not None and len(s.vector) == dim else np.zeros(dim) for s in sides],
                        dtype=np.float64)

    return stack(a_sides) @ stack(b_sides).T


def _ranks(base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``base``: is a column the row's best (1/0), and its score less the best
    other one's."""
    n_rows, n_cols = base.shape
    rows = np.arange(n_rows)
    order = np.argsort(-base, axis=1, kind="stable")
    top = order[:, 0]
    best = np.zeros_like(base)
    best[rows, top] = 1.0
    top_score = base[rows, top]
    second = base[rows, order[:, 1]] if n_cols > 1 else np.zeros(n_rows)
    margin = base - top_score[:, None]
    margin[rows, top] = top_score - second
    return best, margin


def held_share(a_sides: Sequence[Side], b_sides: Sequence[Side]) -> np.ndarray:
    """For each unit of A, the share of its weighted terms that article B holds anywhere."""
    a_ids = [_term_ids(s.terms) for s in a_sides]
    b_set = np.unique(np.concatenate([_term_ids(s.terms) for s in b_sides])) if b_sides else np.zeros(0, np.int64)
    return _share(a_ids, np.isin(_rows(a_ids)[0], b_set)[:, None])[:, 0]


def _share(a_ids: Sequence[np.ndarray], held: np.ndarray) -> np.ndarray:
    """Per unit (rows) and article (columns of ``held``, one row per id of the units run
    together): the weight of the unit's ids held over the weight of all of them."""
    flat, rows = _rows(a_ids)
    wts = _IDS.weight[flat]
    total = _segment_sum(wts, rows, len(a_ids))
    found = np.stack([_segment_sum(wts * held[:, k], rows, len(a_ids)) for k in range(held.shape[1])], axis=1) \
        if held.shape[1] else np.zeros((len(a_ids), 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(found / total[:, None])


def cover_matrix(a_sides: Sequence[Side], probs: np.ndarray, b_sides: Sequence[Side],
                 share: np.ndarray | None = None) -> np.ndarray:
    """``COVER_FEATURES`` of "does article B state the fact of unit a?" for every unit of A,
    given the pair probabilities of A's units against B's (``probs``, shape (len(a), len(b)))
    and (when known) ``held_share(a_sides, b_sides)``."""
    na = len(a_sides)
    out = np.zeros((na, len(COVER_FEATURES)))
    if not na:
        return out
    ranked = -np.sort(-probs, axis=1) if probs.shape[1] else np.zeros((na, 1))
    out[:, 0] = 1.0
    out[:, 1] = ranked[:, 0]
    out[:, 2] = ranked[:, 1] if ranked.shape[1] > 1 else 0.0
    out[:, 3] = np.log1p((ranked >= 0.5).sum(axis=1))
    # how much of a unit's weighted words the other article holds anywhere: a fact told across two
    # of B's sentences is in no one of them
    out[:, 4] = held_share(a_sides, b_sides) if share is None else share
    out[:, 5] = np.log1p(np.arange(na))
    out[:, 6] = [s.role == "headline" for s in a_sides]
    out[:, 7] = [s.kind == "quote" for s in a_sides]
    out[:, 8] = np.log1p([len(s.terms) for s in a_sides])
    # how closely the two articles track each other: in two near-copies, a unit without a close
    # counterpart is left out, where between two outlets' own reports it may be said otherwise
    track = float((ranked[:, 0] >= TRACK).mean())
    out[:, 9] = track
    out[:, 10] = track * (1.0 - ranked[:, 0])
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True)
class SameFactModel:
    """The two fitted regressions and the thresholds of the three answers."""

    weights: tuple[float, ...]
    cover_weights: tuple[float, ...]
    asserts: float  # cover probability at or above which the other outlet states the fact
    maybe: float  # at or above (and below ``asserts``) it may, in other words; below, it omits it
    version: str = "0"

    def prob(self, feats: np.ndarray) -> np.ndarray:
        """Probability that each pair (last axis: ``FEATURES``) states one fact."""
        return _sigmoid(feats @ np.asarray(self.weights))

    def cover(self, feats: np.ndarray) -> np.ndarray:
        """Probability that an article states a unit's fact (last axis: ``COVER_FEATURES``)."""
        return _sigmoid(feats @ np.asarray(self.cover_weights))

    def compare(self, a_sides: Sequence[Side], b_sides: Sequence[Side]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pair probabilities (len(a), len(b)); per unit of A, the probability that B states it;
        per unit of B, the probability that A states it."""
        return self.compare_many(a_sides, [b_sides])[0]

    def compare_many(self, a_sides: Sequence[Side], articles: Sequence[Sequence[Side]]
                     ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """``compare`` of article A with each of several articles, computed together."""
        feats, shares_a, shares_b = _features(a_sides, articles)
        out = []
        at = 0
        for k, (b_sides, x) in enumerate(zip(articles, feats, strict=True)):
            probs = self.prob(x)
            out.append((probs, self.cover(cover_matrix(a_sides, probs, b_sides, shares_a[:, k])),
                        self.cover(cover_matrix(b_sides, probs.T, a_sides, shares_b[at:at + len(b_sides)]))))
            at += len(b_sides)
        return out

    def with_thresholds(self, asserts: float | None, maybe: float | None) -> SameFactModel:
        """This model with its thresholds moved (``AlignSettings``); None keeps the fitted one."""
        return dataclasses.replace(self, asserts=self.asserts if asserts is None else asserts,
                                   maybe=self.maybe if maybe is None else maybe)

    @classmethod
    def load(cls, path: Path | None = None) -> SameFactModel:
        path = path or models_dir() / "same_fact.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ResourceError(f"cannot read the same-fact model {path.name}: {e}") from None
        if tuple(data["features"]) != FEATURES or tuple(data["cover_features"]) != COVER_FEATURES:
            raise ResourceError(f"{path.name} was fitted for other features (run models/fit_same_fact.py)")
        return cls(tuple(data["weights"]), tuple(data["cover_weights"]), data["asserts"], data["maybe"],
                   str(data.get("version", "0")))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    """Weights of an L2-regularised logistic regression (Newton's method; the bias, column 0,
    unpenalised)."""
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = _sigmoid(x @ w)
        grad = x.T @ (p - y) + reg * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w
