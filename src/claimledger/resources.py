"""Access to the project's versioned NLP resources in ``models/`` (lexicons, alias tables).

In a source checkout they sit at the repository root; a built wheel carries them inside the
package as ``claimledger/models``. Files are small, read once and cached.
"""

from __future__ import annotations

import functools
from pathlib import Path

from claimledger.errors import ResourceError


@functools.cache
def models_dir() -> Path:
    return find_models(Path(__file__).resolve().parent)


def find_models(package: Path) -> Path:
    """``models/`` inside the installed package, else at the root of the checkout around it."""
    for cand in (package / "models", package.parent.parent / "models"):
        if cand.is_dir():
            return cand
    raise ResourceError(f"claimledger's resources (models/) are not in {package} or its checkout")


@functools.cache
def lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a resource file."""
    text = (models_dir() / name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


@functools.cache
def word_set(name: str) -> frozenset[str]:
    """A lexicon file as a set of lower-case entries (one a line)."""
    return frozenset(line.lower() for line in lines(name))


@functools.cache
def table(name: str) -> dict[str, str]:
    """A tab-separated table ``canonical<TAB>variant<TAB>...`` as variant -> canonical.

    The canonical form maps to itself; keys are lower-case.
    """
    out: dict[str, str] = {}
    for line in lines(name):
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if not cells:
            continue
        canon = cells[0]
        for cell in cells:
            out[cell.lower()] = canon
    return out
