"""Generated documents: ``python -m claimledger.docgen schema > docs/schema.md`` and
``python -m claimledger.docgen settings > docs/settings.md``. Tests compare the checked-in files
with what this prints, so the docs cannot drift from the migrations and the settings."""

from __future__ import annotations

import sys

from claimledger.settings import settings_doc
from claimledger.store.schema_doc import generate as schema_doc

DOCS = {"schema": schema_doc, "settings": settings_doc}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in DOCS:
        print(f"usage: python -m claimledger.docgen {{{','.join(DOCS)}}}", file=sys.stderr)
        return 2
    sys.stdout.write(DOCS[argv[0]]())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
