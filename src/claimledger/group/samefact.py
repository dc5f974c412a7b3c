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


@lru_cache(maxsize=20_000)
def char_grams(text: str, n: int = 4) -> frozenset[str]:
    """Character n-grams of the words run together ("fund-raiser" and "fundraiser" share all)."""
    flat = "".join(_WORD.findall(text.lower()))
    return frozenset(flat[i:i + n] for i in range(max(len(flat) - n + 1, 0)))


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
    """Process-wide integer ids of terms (with their weight and kind) and of 4-grams, so a pair of
    articles is compared on arrays built once per unit, not on dictionaries built per pair."""

    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.grams: dict[str, int] = {}
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
MAX_IDS = 2_000_000  # interned terms and 4-grams kept before the tables start over (~300 MB)


def trim_caches() -> None:
    """Start the id tables over once they are large: names and numbers keep coming in a long
    run, so they would grow without end. Call it between comparisons only (align_batch does,
    once a story): ids of the old tables and the new must never meet in one pair."""
    global _IDS
    if len(_IDS.terms) + len(_IDS.grams) > MAX_IDS:
        _IDS = _Ids()
        _term_ids.cache_clear()
        _gram_ids.cache_clear()


@lru_cache(maxsize=50_000)
def _term_ids(terms: frozenset[str]) -> np.ndarray:
    return np.array(sorted(_IDS.term(t) for t in terms), dtype=np.int64)


@lru_cache(maxsize=50_000)
def _gram_ids(text: str) -> np.ndarray:
    grams = _IDS.grams
    return np.array(sorted(grams.setdefault(g, len(grams)) for g in char_grams(text)), dtype=np.int64)


def _incidence(a_ids: list[np.ndarray], b_ids: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0/1 matrices of two articles' units over the ids either holds, and those ids."""
    ca, cb = np.concatenate(a_ids), np.concatenate(b_ids)
    u, inv = np.unique(np.concatenate([ca, cb]), return_inverse=True)
    ta = np.zeros((len(a_ids), len(u)))
    tb = np.zeros((len(b_ids), len(u)))
    ta[np.repeat(np.arange(len(a_ids)), [len(x) for x in a_ids]), inv[:len(ca)]] = 1.0
    tb[np.repeat(np.arange(len(b_ids)), [len(x) for x in b_ids]), inv[len(ca):]] = 1.0
    return ta, tb, u


def pair_matrix(a_sides: Sequence[Side], b_sides: Sequence[Side]) -> np.ndarray:
    """Features of every (a, b) pair of two articles' units: shape (len(a), len(b), FEATURES).
    Built from term and 4-gram incidence matrices over ids kept per unit, so a pair of articles
    costs a few matrix products, not a Python loop per pair. Each list is in its article's text
    order: the position features read where a unit stands."""
    na, nb = len(a_sides), len(b_sides)
    out = np.zeros((na, nb, len(FEATURES)), dtype=np.float64)
    if not na or not nb:
        return out
    ta, tb, u = _incidence([_term_ids(s.terms) for s in a_sides], [_term_ids(s.terms) for s in b_sides])
    w = _IDS.weight[u]
    kind = _IDS.kind[u]
    shared = (ta * w) @ tb.T
    wa, wb = (ta @ w)[:, None], (tb @ w)[None, :]
    # the same overlap with each term weighted by how few of the two articles' units hold it:
    # the story's own topic words ("shutdown", "wall") say little about which fact a unit states
    df = ta.sum(0) + tb.sum(0)
    local = w * np.log((na + nb + 1) / (df + 1))
    lshared = (ta * local) @ tb.T
    la_, lb_ = (ta @ local)[:, None], (tb @ local)[None, :]
    small, large = np.minimum(wa, wb), np.maximum(wa, wb)
    word, name, num = kind == 0, kind == 1, kind == 2
    names = (ta * name) @ tb.T
    na_, nb_ = (ta @ name)[:, None], (tb @ name)[None, :]
    nums = (ta * num) @ tb.T
    ka, kb = (ta @ num)[:, None], (tb @ num)[None, :]
    ga, gb, _ = _incidence([_gram_ids(s.text) for s in a_sides], [_gram_ids(s.text) for s in b_sides])
    ga, gb = ga.astype(np.float32), gb.astype(np.float32)
    ginter = (ga @ gb.T).astype(np.float64)
    gunion = ga.sum(1)[:, None] + gb.sum(1)[None, :] - ginter
    qa = np.array([s.kind == "quote" for s in a_sides])[:, None]
    qb = np.array([s.kind == "quote" for s in b_sides])[None, :]
    pa = np.array([s.polarity for s in a_sides])[:, None]
    pb = np.array([s.polarity for s in b_sides])[None, :]
    la = np.array([len(s.text) + 1.0 for s in a_sides])[:, None]
    lb = np.array([len(s.text) + 1.0 for s in b_sides])[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        cols = [
            np.ones((na, nb)),
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
    for k, col in enumerate(cols):
        out[:, :, k] = col
    # where b ranks among B's units for a, and a among A's for b, told the same whichever article
    # is A: a pair's probability must not hang on the order the articles came in
    base = out[:, :, 1] + out[:, :, 7] + out[:, :, 15]  # weighted Dice, 4-grams and local Dice rank them
    best_a, margin_a = _ranks(base)
    best_b, margin_b = (m.T for m in _ranks(base.T))
    n = len(cols)
    out[:, :, n] = best_a * best_b
    out[:, :, n + 1] = np.maximum(best_a, best_b)
    out[:, :, n + 2] = np.minimum(margin_a, margin_b)
    out[:, :, n + 3] = np.maximum(margin_a, margin_b)
    # where the two units stand in their articles (sides come in text order): news states its
    # facts early and in much the same order, so of two sentences that share A's words the one
    # at a like place is more often the same fact; symmetric, like the ranks
    ia, jb = np.arange(na)[:, None], np.arange(nb)[None, :]
    out[:, :, n + 4] = np.log1p(np.minimum(ia, jb))
    out[:, :, n + 5] = np.log1p(np.maximum(ia, jb))
    out[:, :, n + 6] = np.abs(ia / max(na - 1, 1) - jb / max(nb - 1, 1))
    return out


def _cosines(a_sides: Sequence[Side], b_sides: Sequence[Side]) -> np.ndarray:
    dim = next((len(s.vector) for s in (*a_sides, *b_sides) if s.vector is not None), 0)
    if not dim:
        return np.zeros((len(a_sides), len(b_sides)))

    def stack(sides: Sequence[Side]) -> np.ndarray:
        return np.array([s.vector if s.vector is not None and len(s.vector) == dim else np.zeros(dim) for s in sides])

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


def cover_matrix(a_sides: Sequence[Side], probs: np.ndarray, b_sides: Sequence[Side]) -> np.ndarray:
    """``COVER_FEATURES`` of "does article B state the fact of unit a?" for every unit of A,
    given the pair probabilities of A's units against B's (``probs``, shape (len(a), len(b)))."""
    na = len(a_sides)
    out = np.zeros((na, len(COVER_FEATURES)))
    if not na:
        return out
    ranked = -np.sort(-probs, axis=1) if probs.shape[1] else np.zeros((na, 1))
    # how much of a unit's weighted words the other article holds anywhere: a fact told across two
    # of B's sentences is in no one of them
    a_ids = [_term_ids(s.terms) for s in a_sides]
    flat = np.concatenate(a_ids)
    b_set = np.unique(np.concatenate([_term_ids(s.terms) for s in b_sides])) if b_sides else np.zeros(0, np.int64)
    wts = _IDS.weight[flat]
    held = wts * np.isin(flat, b_set)
    starts = np.cumsum([0] + [len(x) for x in a_ids[:-1]])
    sizes = np.array([len(x) for x in a_ids])
    total = np.where(sizes > 0, np.add.reduceat(wts, starts) if len(flat) else 0.0, 0.0)
    found = np.where(sizes > 0, np.add.reduceat(held, starts) if len(flat) else 0.0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.nan_to_num(found / total)
    out[:, 0] = 1.0
    out[:, 1] = ranked[:, 0]
    out[:, 2] = ranked[:, 1] if ranked.shape[1] > 1 else 0.0
    out[:, 3] = np.log1p((ranked >= 0.5).sum(axis=1))
    out[:, 4] = cover
    out[:, 5] = np.log1p(np.arange(na))
    out[:, 6] = [s.role == "headline" for s in a_sides]
    out[:, 7] = [s.kind == "quote" for s in a_sides]
    out[:, 8] = np.log1p(sizes)
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
        probs = self.prob(pair_matrix(a_sides, b_sides))
        return (probs, self.cover(cover_matrix(a_sides, probs, b_sides)),
                self.cover(cover_matrix(b_sides, probs.T, a_sides)))

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
