"""Where the project's resources are found: inside the wheel's package, else the checkout root."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.errors import ResourceError
from claimledger.resources import find_models, models_dir


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (["src/claimledger/models", "models"], "src/claimledger/models"),  # a wheel's copy wins
        (["models"], "models"),  # a source checkout
    ],
)
def test_find_models(tmp_path: Path, made: list[str], expected: str) -> None:
    package = tmp_path / "src" / "claimledger"
    package.mkdir(parents=True)
    for d in made:
        (tmp_path / d).mkdir(parents=True, exist_ok=True)
    assert find_models(package) == tmp_path / expected


def test_missing_models_is_a_claimledger_error(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "claimledger"
    package.mkdir(parents=True)
    with pytest.raises(ResourceError) as e:
        find_models(package)
    assert str(e.value) == f"claimledger's resources (models/) are not in {package} or its checkout"
    assert e.value.hint == "reinstall claimledger: pip install -e . in a checkout, or pip install the wheel"


def test_this_checkout_has_its_resources() -> None:
    assert (models_dir() / "aliases.tsv").is_file()
