"""Group articles into stories: one event told by several outlets.

An article's signature is a bag of the words of its entities' names (weighted up: who and where
tell two events of one kind apart; ``name_terms``), its claim terms, and its resolved dates. Each
story keeps the sum of its articles' signatures (``story_terms``). An article is compared, by
cosine over IDF-weighted terms, with the stories that share one of its rarest terms (an inverted
index), joins the best one above ``threshold``, or starts a story of its own.

A batch of new articles is grouped together (``Clusterer``): a first greedy pass, then
``refine_passes`` passes that move each article to the story whose centroid (without the
article itself) suits it best. The early centroid of a story built from its first article is
a poor guide; the refined one is not (on ECB+, 98% of articles are closer to their own story's
centroid than to the other event of the same kind).

The score is a mix of the cosine over all terms and the cosine over anchor terms alone (entity
keys and dates, ``anchor_mix``): two earthquakes share their vocabulary, not their places.

Two events of one kind are often told about different people: one running back put on injured
reserve, then another; one receiver arrested, then a teammate. Each article's *protagonist* is
the person it names most (``protagonist``), and each story counts its articles' protagonists.
While stories form, an article (first pass) or a group (merge) does not join a story led by
someone else (``clash``): the story's articles are mostly about one person, most of the
newcomers about another, and neither person leads the other side. So one article about the
other running back no longer glues the two events together early. The refine passes, which
move each article to the centroid that suits it best, leave protagonists aside and have the
last word: with the veto there as well, stories broke into pieces, since
an article's most-named person is often not the one its story is about. The other way round,
two groups led by one person (``leader``, by surname) merge at a lower bar (``merge_same_leader``):
the office shooting told as "Detroit office shooter charged" and as "Sacked worker shoots
ex-colleagues" is one story.

Cost per article and pass: O(k * p) to find candidates (k = ``probes`` heaviest terms, p <= ``per_term``
stored stories per term, read from an index on (term, weight), plus the batch's own groups) and
O(c * a) to score c candidates against an article of a terms (centroid norms are kept up to date
incrementally; a stored story brings its ``centroid_terms`` heaviest terms). Both are bounded, so a
batch costs O(batch) whatever the size of the ledger; no comparison across the whole corpus.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol

from claimledger.group.similarity import idf
from claimledger.records import ADJUNCT_KIND, ArticleRecords
from claimledger.settings import StorySettings

DEFAULT = StorySettings()

STORY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "NORP"}


def signature(rec: ArticleRecords, s: StorySettings = DEFAULT) -> dict[str, float]:
    """Term -> weight for one article (log-scaled counts)."""
    counts: defaultdict[str, float] = defaultdict(float)
    for ent in rec.entities:
        if ent.label in STORY_LABELS:
            w = s.entity_weight if ent.label != "NORP" else 1.0
            for term in name_terms(ent.key, ent.label):
                counts[term] += w
    named = {t[1:] for t in counts}  # a name the model missed in one sentence is still that name
    for unit in rec.units:
        if unit.kind == ADJUNCT_KIND:
            continue  # its words are its sentence's, counted there
        for term in unit.terms:
            if term.startswith("@"):
                continue
            if term in named:
                counts["@" + term] += s.content_weight
            else:
                counts[term] += s.content_weight
    for term in _date_terms(rec):
        counts[term] += 1.0
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:s.signature_terms]
    return {t: 1.0 + math.log(c) if c >= 1 else c for t, c in top}


_NAME_WORD = re.compile(r"[^\W\d_]{2,}")
_NAME_STOPWORDS = frozenset({"the", "of", "and", "for", "in", "on", "at", "to", "de", "del", "la", "le", "von", "van"})


def name_terms(key: str, label: str) -> list[str]:
    """``@`` terms of an entity's canonical key for story grouping: the words of its name.

    The small model names one place or body differently from article to article ("Banstead,
    Surrey", "Banstead", "Surrey Police"), so whole keys seldom meet where their words do. A
    person gives the surname and the whole name, not the first name: "Mark" is shared by
    strangers (docs/experiments.md has what it gained).
    """
    words = [w for w in _NAME_WORD.findall(key) if w not in _NAME_STOPWORDS]
    if not words:
        return ["@" + key]
    if label == "PERSON":
        return ["@" + words[-1]] if len(words) == 1 else ["@" + words[-1], "@" + key]
    return ["@" + w for w in dict.fromkeys(words)]


def protagonist(rec: ArticleRecords, sig: Mapping[str, float]) -> str | None:
    """The key of the person an article is about: of the people it names in full and also by one
    word ("Pierre Thomas ... Thomas", which entity resolution gives one key), the one its
    signature weighs most; None when there is none. News names a person in full, then by
    surname; a place or a firm the model takes for a person ("Bandar Abbas", "Betty Ford
    Center") is not named that way."""
    full = {e.key for e in rec.entities if e.label == "PERSON" and " " in e.key}
    short = {e.key for e in rec.entities if e.label == "PERSON" and " " not in e.text.strip()}
    best, best_w = None, 0.0
    for key in sorted(full & short):
        w = sig.get("@" + key, 0.0)
        if w > best_w:
            best, best_w = key, w
    return best


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def surnames(people: Mapping[str, int]) -> dict[str, int]:
    """Protagonist -> articles, summed by surname (the last word but a generational suffix), so
    "Anthony LaCalamita III", "Anthony LaCalamita" and "deputy LaCalamita" count as one person."""
    out: dict[str, int] = {}
    for key, n in people.items():
        words = [w for w in key.split() if w not in _GENERATIONS]
        if words:
            out[words[-1]] = out.get(words[-1], 0) + n
    return out


def clash(a: Mapping[str, int], b: Mapping[str, int], s: StorySettings = DEFAULT) -> bool:
    """Are two sides (protagonist -> articles) led by different people? See the module doc.

    People are compared by surname (``surnames``), as ``leader`` does: "jerry ortiz" and
    "deputy ortiz" are one person named two ways.
    """
    na, nb = sum(a.values()), sum(b.values())
    if not na or not nb or max(na, nb) < s.clash_articles:
        return False
    sa, sb = surnames(a), surnames(b)
    if not sa or not sb:
        return False
    ta = max(sa, key=lambda t: (sa[t], t))
    tb = max(sb, key=lambda t: (sb[t], t))
    if ta == tb or sa[ta] < s.clash_share * na or sb[tb] < s.clash_share * nb:
        return False
    return sa.get(tb, 0) <= s.clash_other * na and sb.get(ta, 0) <= s.clash_other * nb


def leader(people: Mapping[str, int], s: StorySettings = DEFAULT) -> str | None:
    """The surname of the person a side (protagonist -> articles) is led by: held by ``clash_share`` of
    its articles with a protagonist, two at least."""
    counts = surnames(people)
    if not counts:
        return None
    top = max(counts, key=lambda w: (counts[w], w))
    return top if counts[top] >= max(2, s.clash_share * sum(people.values())) else None


def _date_terms(rec: ArticleRecords) -> list[str]:
    """``D:`` terms of an article's resolved dates: each day and month, and the month of each day.

    Outlets name different days of one event ("arrived Tuesday", "the talks on Wednesday"), so
    exact days seldom match across articles; the month they fall in does, and still tells this
    spring's check-in from last year's.
    """
    out: list[str] = []
    for d in rec.dates:
        if d.value and d.granularity in {"day", "month"}:
            out.append("D:" + d.value)
            if d.granularity == "day":
                out.append("D:" + d.value[:7])
    return out


def article_terms(rec: ArticleRecords) -> set[str]:
    """Every term of an article, for document frequencies (the signature keeps only the heaviest)."""
    words = {t for unit in rec.units for t in unit.terms}
    names = {t for e in rec.entities if e.label in STORY_LABELS for t in name_terms(e.key, e.label)}
    words.update(names)
    words.update("@" + t for t in list(words) if "@" + t in names)  # as signature() counts them
    words.update(_date_terms(rec))
    return words


class StoryStore(Protocol):
    """What grouping needs from the ledger (or any other store)."""

    def n_articles(self) -> int: ...
    def df(self, term: str) -> int: ...
    def stories_with_terms(self, terms: Iterable[str], limit: int = 200) -> set[str]: ...
    def story_centroid(self, story_id: str, limit: int = -1) -> Mapping[str, float]: ...
    def story_dates(self, story_id: str) -> tuple[str, str] | None: ...
    def story_protagonists(self, story_id: str) -> Mapping[str, int]: ...


def _gap_days(published: str | None, span: tuple[str, str] | None) -> int | None:
    """Days between a publication day and a story's span of days (0 inside it); None if unknown."""
    if not published or not span:
        return None
    try:
        day = dt.date.fromisoformat(published)
        first, last = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
    except ValueError:
        return None
    return (first - day).days if day < first else (day - last).days if day > last else 0




def _is_anchor(term: str) -> bool:
    """Entity and date terms: who, where and when, which tell two events of one kind apart."""
    return term.startswith(("@", "D:"))


class _Cluster:
    __slots__ = ("terms", "wterms", "norm2", "anorm2", "members", "dates", "people")

    def __init__(self) -> None:
        self.terms: dict[str, float] = {}
        self.wterms: dict[str, float] = {}  # terms times IDF, what articles are compared with
        self.norm2 = 0.0
        self.anorm2 = 0.0  # the part of norm2 from anchor terms
        self.members: set[int] = set()
        self.dates: list[str] = []
        self.people: dict[str, int] = {}  # protagonist -> articles (see ``clash``)


class Clusterer:
    """Groups a batch of article signatures into existing and new stories (see module doc)."""

    def __init__(self, store: StoryStore, settings: StorySettings = DEFAULT) -> None:
        self.store = store
        self.s = settings
        self.threshold = settings.threshold
        n = max(store.n_articles(), 1)
        self._idf: dict[str, float] = {}
        self._df: dict[str, int] = {}
        self._n = n
        self.clusters: dict[str, _Cluster] = {}
        self.postings: dict[str, set[str]] = {}
        self._known_existing: set[str] = set()
        self._stored: dict[str, set[str]] = {}  # probe term -> stored stories holding it
        self._alone = False  # a batch of one article (see ``stored_cost``)
        self._people: list[str | None] = []  # the protagonist of each article of the batch

    def idf(self, t: str) -> float:
        w = self._idf.get(t)
        if w is None:
            df = self._df[t] = self.store.df(t)
            w = self._idf[t] = idf(df, self._n) ** self.s.idf_power
        return w

    def _shared(self, t: str) -> bool:
        """Does another article (stored or in the batch) hold term ``t``? (Its document frequency
        is read once, with its IDF.)"""
        if t not in self._df:
            self.idf(t)
        return self._df[t] > 1

    def _add(self, cid: str, sig: Mapping[str, float], sign: float, index: bool = True) -> None:
        """Add (sign 1) or take away (-1) a signature; ``index`` posts its terms for lookups (a stored
        story is found through the ledger's capped lookup instead, so its centroid is not posted)."""
        c = self.clusters[cid]
        terms, wterms = c.terms, c.wterms
        for t, w in sig.items():
            f = self.idf(t)
            old = terms.get(t, 0.0)
            new = old + sign * w
            delta = (new * f) ** 2 - (old * f) ** 2
            c.norm2 += delta
            if _is_anchor(t):
                c.anorm2 += delta
            if new > 1e-9:
                terms[t] = new
                wterms[t] = new * f
                if index:
                    self.postings.setdefault(t, set()).add(cid)
            else:
                terms.pop(t, None)
                wterms.pop(t, None)
        c.norm2 = max(c.norm2, 0.0)
        c.anorm2 = max(c.anorm2, 0.0)

    def _load_existing(self, sid: str) -> None:
        if sid in self._known_existing:
            return
        self._known_existing.add(sid)
        self.clusters.setdefault(sid, _Cluster())
        self._add(sid, self.store.story_centroid(sid, self.s.centroid_terms), 1.0, index=False)
        span = self.store.story_dates(sid)
        if span:
            self.clusters[sid].dates.extend(span)
        self.clusters[sid].people.update(self.store.story_protagonists(sid))

    def _best(self, vec: Mapping[str, float], published: str | None, exclude: str | None = None,
              people: Mapping[str, int] | None = None) -> tuple[str | None, float]:
        """The best story for ``vec`` and its score; with ``people`` (the protagonists of what
        would join), stories led by someone else (``clash``) are passed over."""
        # candidates come through the heaviest terms some other article holds too: a name only
        # this article mentions weighs most and finds nothing
        probes = sorted((t for t in vec if self._shared(t)), key=lambda t: -vec[t])[:self.s.probes]
        cands: set[str] = set()
        for t in probes:
            cands.update(self.postings.get(t, ()))
        for t in probes:
            stored = self._stored.get(t)
            if stored is None:
                stored = self._stored[t] = self.store.stories_with_terms([t], self.s.per_term)
            for sid in stored:
                self._load_existing(sid)
                cands.add(sid)
        na = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        avec = {t: w for t, w in vec.items() if _is_anchor(t)}
        naa = math.sqrt(sum(w * w for w in avec.values()))
        best, best_score = None, 0.0
        for cid in sorted(cands):
            c = self.clusters.get(cid)
            if c is None or c.norm2 <= 0 or cid == exclude:
                continue
            gap = _gap_days(published, (min(c.dates), max(c.dates))) if c.dates else None
            if gap is not None and gap > self.s.max_gap_days:
                continue
            if people and c.people and clash(people, c.people, self.s):
                continue
            dot, adot = self._dot(vec, c), self._dot(avec, c)
            score = dot / (na * math.sqrt(c.norm2))
            mix = self.s.anchor_mix
            if mix and naa > 0 and c.anorm2 > 0:
                anchor = adot / (naa * math.sqrt(c.anorm2))
                score = (1 - mix) * score + mix * anchor
            if gap and self.s.gap_penalty:
                score -= self.s.gap_penalty * min(gap, self.s.gap_scale_days) / self.s.gap_scale_days
            if score > best_score:
                best, best_score = cid, score
        return best, best_score

    def _needed(self, cid: str, threshold: float) -> float:
        """The score that joins ``cid``: for an article ingested alone, a stored story needs
        ``stored_cost`` more: a batch is refined together before its
        choices are final, a lone article's first choice is final."""
        if self._alone and cid in self._known_existing:
            return threshold + self.s.stored_cost
        return threshold

    @staticmethod
    def _dot(vec: Mapping[str, float], c: _Cluster) -> float:
        """vec . (IDF-weighted centroid), walking the shorter side."""
        w = c.wterms
        if len(vec) <= len(w):
            return sum(a * w[t] for t, a in vec.items() if t in w)
        return sum(b * vec[t] for t, b in w.items() if t in vec)

    def assign(self, sigs: list[Mapping[str, float]], new_ids: list[str], published: list[str | None],
               people: list[str | None] | None = None) -> list[str]:
        """Story id for each signature; ``new_ids[i]`` names the story article i would start and
        ``people[i]`` is its protagonist (``protagonist``), if known."""
        self._people = people if people is not None else [None] * len(sigs)
        vecs = [{t: w * self.idf(t) for t, w in sig.items()} for sig in sigs]
        where: list[str] = []
        final = self.threshold
        self.threshold = max(self.s.seed_threshold, final)
        self._alone = len(sigs) == 1
        for i, vec in enumerate(vecs):
            who = self._people[i]
            cid, score = self._best(vec, published[i], people={who: 1} if who else None)
            if cid is None or score < self._needed(cid, self.threshold):
                cid = new_ids[i]
                self.clusters.setdefault(cid, _Cluster())
            self._join(cid, i, sigs[i], published[i])
            where.append(cid)
        self._refine(vecs, sigs, new_ids, published, where)
        self._merge(sigs, published, where)
        self.threshold = final
        self._refine(vecs, sigs, new_ids, published, where)
        return where

    def _merge(self, sigs: list[Mapping[str, float]], published: list[str | None], where: list[str]) -> None:
        """Join each new group into the group (new or stored) whose centroid is most like its own,
        best pairs first, a few rounds at most (each round is one pass over the new groups)."""
        for _ in range(self.s.merge_rounds):
            proposals: list[tuple[float, str, str]] = []
            for cid in sorted({c for c in where if c not in self._known_existing and self.clusters[c].members}):
                c = self.clusters[cid]
                vec = {t: w * self.idf(t) for t, w in c.terms.items()}
                other, score = self._best(vec, min(c.dates) if c.dates else None, exclude=cid, people=c.people)
                if other is None:
                    continue
                led_by = leader(c.people, self.s)
                same = led_by is not None and led_by == leader(self.clusters[other].people, self.s)
                if score >= self._needed(other, self.s.merge_same_leader if same else self.s.merge_threshold):
                    proposals.append((score, cid, other))
            touched: set[str] = set()
            merged = 0
            for _, src, dst in sorted(proposals, reverse=True):
                if src in touched or dst in touched:
                    continue
                if len(self.clusters[src].members) > len(self.clusters[dst].members) and dst not in self._known_existing:
                    src, dst = dst, src
                for i in sorted(self.clusters[src].members):
                    self._leave(src, i, sigs[i], published[i])
                    self._join(dst, i, sigs[i], published[i])
                    where[i] = dst
                touched.update((src, dst))
                merged += 1
            if not merged:
                return

    def _refine(self, vecs: list[dict[str, float]], sigs: list[Mapping[str, float]], new_ids: list[str],
                published: list[str | None], where: list[str]) -> None:
        for _ in range(self.s.refine_passes):
            moved = 0
            for i, vec in enumerate(vecs):
                cur = where[i]
                self._leave(cur, i, sigs[i], published[i])
                cid, score = self._best(vec, published[i])
                if cid is None or score < self._needed(cid, self.threshold):
                    cid = cur if not self.clusters[cur].members and cur not in self._known_existing else new_ids[i]
                    self.clusters.setdefault(cid, _Cluster())
                self._join(cid, i, sigs[i], published[i])
                if cid != cur:
                    moved += 1
                where[i] = cid
            if not moved:
                break

    def _join(self, cid: str, i: int, sig: Mapping[str, float], published: str | None) -> None:
        self._add(cid, sig, 1.0)
        c = self.clusters[cid]
        c.members.add(i)
        who = self._people[i]
        if who:
            c.people[who] = c.people.get(who, 0) + 1
        if published:
            c.dates.append(published)

    def _leave(self, cid: str, i: int, sig: Mapping[str, float], published: str | None) -> None:
        self._add(cid, sig, -1.0)
        c = self.clusters[cid]
        c.members.discard(i)
        who = self._people[i]
        if who:
            c.people[who] -= 1
            if not c.people[who]:
                del c.people[who]
        if published and published in c.dates:
            c.dates.remove(published)
