"""The `claimledger` command line: a thin typer layer over the library (``cli.commands``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimledger.cli.commands import app


def main() -> None:
    # `claimledger --version` answers before typer, rich and the library load: scripts and
    # package managers call it often, and it needs none of them
    if sys.argv[1:] == ["--version"]:
        from claimledger import __version__

        sys.stdout.write(f"claimledger {__version__}\n")
        return
    from claimledger.cli.commands import app

    app()


def __getattr__(name: str) -> Any:
    if name == "app":
        from claimledger.cli.commands import app

        return app
    raise AttributeError(f"module 'claimledger.cli' has no attribute {name!r}")


__all__ = ["app", "main"]
