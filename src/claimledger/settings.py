"""Every tunable of claimledger in one typed object.

The defaults are the measured best (docs/quality.md says on what). A run takes them, or a TOML
or JSON file given with ``--config FILE`` (or $CLAIMLEDGER_CONFIG) that overrides some:

    [stories]
    threshold = 0.15

    [align]
    maybe = 0.25

Each ingest and rebuild stores the settings it ran with in the ledger's ``runs`` table. What the
fitted same-fact model computes (its features and weights) lives with the model in models/,
not here: changing those means fitting again (models/fit_same_fact.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import tomllib
from pydantic import BaseModel, ConfigDict, ValidationError

from claimledger.errors import SettingsError

CONFIG_ENV = "CLAIMLEDGER_CONFIG"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class StorySettings(_Section):
    """Grouping articles into stories (group/stories.py)."""

    threshold: float = 0.12
    """Score (cosine mix) an article needs to join a story; below it, it starts a story of its own."""
    seed_threshold: float = 0.35
    """Bar of the first greedy pass over a batch: only clear matches join early, so two events of one kind do not fuse."""
    merge_threshold: float = 0.45
    """Score at which two whole groups of a batch merge (their centroids agree this well)."""
    merge_same_leader: float = 0.3
    """Lower merge bar for two groups whose articles are about the same person (by surname)."""
    merge_rounds: int = 4
    """Most rounds of group merging per batch."""
    refine_passes: int = 3
    """Passes that move each article of a batch to the story whose centroid suits it best."""
    stored_cost: float = 0.15
    """Extra score an article ingested alone needs to join a stored story (its first choice is final)."""
    anchor_mix: float = 0.5
    """Share of the score that comes from entity and date terms alone (who, where, when)."""
    idf_power: float = 1.25
    """Power IDF is raised to, so rare words (names) weigh more against a kind of event's shared vocabulary."""
    probes: int = 12
    """An article's heaviest terms used to find candidate stories."""
    per_term: int = 5
    """Stored stories read per probe term (those where it weighs most): bounds the work per article."""
    centroid_terms: int = 120
    """A stored story is compared by its heaviest terms only."""
    signature_terms: int = 40
    """An article's heaviest terms kept in its signature."""
    entity_weight: float = 3.0
    """Weight of a word of an entity's name in a signature (a content word weighs ``content_weight``)."""
    content_weight: float = 1.0
    """Weight of a content word of a claim in a signature."""
    clash_share: float = 0.8
    """A side is led by a person when this share of its articles with a protagonist are about them."""
    clash_other: float = 0.2
    """... and the other side's person leads at most this share of them: then the two do not join."""
    clash_articles: int = 3
    """Articles a side needs before it turns anyone away by protagonist."""
    max_gap_days: int = 1000
    """An article published this many days away from all of a story's articles does not join it."""
    gap_penalty: float = 0.1
    """Score taken off a story published ``gap_scale_days`` or more away from an article (less for nearer ones)."""
    gap_scale_days: int = 30
    """Days from a story's span over which ``gap_penalty`` grows to its full size."""


class EventSettings(_Section):
    """Each story's event claim: the sentences that state its central happening (group/events.py)."""

    lead_units: int = 3
    """An article's first claims (and any headline) make its lead."""
    candidates: int = 7
    """An article states its event among its first this many claims."""
    per_article: int = 3
    """Event sentences an article gives at most (headline, lede and a recap)."""
    position_decay: float = 0.95
    """Of two sentences holding the lead's terms alike, the earlier states the event: score x decay^position."""
    top_terms: int = 4
    """Terms that make "what happened" (actor, action, object, place): the score's denominator."""
    threshold: float = 0.3
    """Score a sentence needs to state the event."""
    min_articles: int = 2
    """Once a story has two articles, a term must lead in this many of them to count."""
    fact_articles: int = 2
    """A fact that this many articles state among their event sentences joins the event with all its sentences."""


class AlignSettings(_Section):
    """Aligning claims across the articles of a story (group/align.py) with the same-fact model."""

    asserts: float | None = None
    """Probability at which another article asserts a claim; None takes the fitted model's (models/same_fact.json)."""
    maybe: float | None = None
    """Probability from which it may state it in other words (a 'maybe' mention); below, it omits it. None: the model's."""
    second_factor: float = 0.9
    """A unit also joins a second claim scoring this close to its first (a sentence stating two facts)."""
    link_mean: float = 0.3
    """Two groups of units join only when their pairs average this probability (no link counts 0)."""
    max_compared: int = 60
    """Stored articles of a story a new article is compared with, most recent first."""


class IngestSettings(_Section):
    """How ingest runs (not what it finds)."""

    batch_size: int = 16
    """Texts per spaCy ``nlp.pipe`` batch (16 is faster than 256 and uses a seventh of the memory)."""
    chunk: int = 256
    """Articles whose stories are chosen together; memory holds one chunk (two with workers: they
    parse the next one while this process writes one). On ECB+ dev 256 and 1024 group and align
    alike (story F1 0.919 / 0.922, alignment F1 0.861 / 0.853); 64 splits stories (0.910)."""
    auto_workers_from: int = 200
    """With --workers auto, a run of this many articles or more parses in one process per core."""
    fetch_timeout: float = 20.0
    """Seconds to wait for a web page or feed before giving up on it."""
    fetch_retries: int = 2
    """Times a page is fetched again after a network error (not after an HTTP error status)."""
    max_page_bytes: int = 5_000_000
    """A fetched page or feed larger than this is skipped."""


class Settings(_Section):
    """Every tunable, by stage. ``Settings()`` is the measured default."""

    stories: StorySettings = StorySettings()
    events: EventSettings = EventSettings()
    align: AlignSettings = AlignSettings()
    ingest: IngestSettings = IngestSettings()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Settings:
        """The defaults overridden by a TOML or JSON file: ``path``, else $CLAIMLEDGER_CONFIG, else none."""
        name = path or os.environ.get(CONFIG_ENV)
        if not name:
            return cls()
        p = Path(name)
        try:
            raw = p.read_text(encoding="utf-8")
        except OSError as e:
            raise SettingsError(f"cannot read settings file {p}: {e.strerror or e}") from None
        try:
            data: dict[str, Any] = json.loads(raw) if p.suffix == ".json" else tomllib.loads(raw)
        except (ValueError, tomllib.TOMLDecodeError) as e:
            raise SettingsError(f"{p} is not valid {'JSON' if p.suffix == '.json' else 'TOML'}: {e}") from None
        return cls.parse(data, str(p))

    @classmethod
    def parse(cls, data: dict[str, Any], where: str = "settings") -> Settings:
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(x) for x in err["loc"])
            raise SettingsError(f"{where}: {field}: {err['msg']}") from None

    def to_json(self) -> str:
        return self.model_dump_json()


DEFAULT = Settings()


def settings_doc() -> str:
    """docs/settings.md: every setting, its type, default and docstring (a test checks the file)."""
    lines = ["# Settings", "",
             "<!-- generated by `python -m claimledger.docgen settings > docs/settings.md`; a test checks it -->", "",
             "Every tunable of claimledger. The defaults are the measured best (docs/quality.md). Override",
             "some in a TOML or JSON file and pass it with `--config FILE` (or `CLAIMLEDGER_CONFIG`) to",
             "`ingest` or `rebuild`; `claimledger settings` prints the settings a run would use, and",
             "`claimledger settings --db LEDGER` those the ledger was last built with (table `runs`).",
             "", "```toml", "[stories]", "threshold = 0.15", "", "[align]", "maybe = 0.25", "```", ""]
    for section, info in Settings.model_fields.items():
        cls = info.annotation
        assert isinstance(cls, type) and issubclass(cls, _Section)
        lines += [f"## `[{section}]`", "", (cls.__doc__ or "").strip(), "", "| setting | type | default | what it does |",
                  "| --- | --- | --- | --- |"]
        for name, f in cls.model_fields.items():
            typ = str(f.annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")
            lines.append(f"| `{name}` | {typ} | {f.default} | {f.description or ''} |")
        lines.append("")
    return "\n".join(lines)
