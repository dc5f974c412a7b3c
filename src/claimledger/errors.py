"""The one exception family of claimledger.

Every error a user can cause is a ``ClaimLedgerError``; its ``message`` is one line and its
``hint`` says what to do next. The CLI prints ``Error: <message>`` and the hint, exits 1, and
never shows a traceback for these.
"""

from __future__ import annotations


class ClaimLedgerError(Exception):
    """Base class: a one-line message and an optional hint."""

    hint: str = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(ClaimLedgerError):
    """An article could not be read: missing path, empty, binary or undecodable."""


class ModelError(ClaimLedgerError):
    """The spaCy pipeline named by --model / CLAIMLEDGER_MODEL is not installed."""

    hint = "install it with pip, or pick another with --model NAME"


class LedgerError(ClaimLedgerError):
    """The ledger file cannot be opened or is not a claimledger ledger."""


class NotFoundError(ClaimLedgerError):
    """A story, claim or source named on the command line is not in the ledger."""


class ReadOnlyError(ClaimLedgerError):
    """SQL given to `claimledger sql` tried to change the ledger."""

    hint = "claimledger sql only reads; use sqlite3 on a copy to change data"


class QueryError(ClaimLedgerError):
    """SQL given to `claimledger sql` is not valid."""


class ResourceError(ClaimLedgerError):
    """The project's own NLP resources (models/: lexicons, alias tables) are missing."""

    hint = "reinstall claimledger: pip install -e . in a checkout, or pip install the wheel"


class ExtraError(ClaimLedgerError):
    """A command needs an optional dependency that is not installed."""


class SettingsError(ClaimLedgerError):
    """A settings file (--config / CLAIMLEDGER_CONFIG) cannot be read or names an unknown or invalid setting."""

    hint = "see docs/settings.md for every setting, its type and its default"
