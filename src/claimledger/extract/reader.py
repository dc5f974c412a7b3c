"""Read articles from files, folders, JSON Lines and standard input.

Accepted: ``.txt`` and ``.md`` (optional front matter between ``---`` lines with source, title,
published, url, story), ``.jsonl`` (one article a line: ``text`` plus those fields), folders of
them (walked in name order), and ``-`` for standard input. The article text is kept exactly
as given after front matter, so every offset the ledger stores indexes into it.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.extract.layout import find_regions
from claimledger.records import Article

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}  # saved web pages (extract/web.py)
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FIELDS = ("source", "title", "published", "url", "story")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
MAX_CHARS = 1_000_000  # spaCy's own limit for one text; no news article comes near it
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(
                f"cannot decode {name} as UTF-16 (byte {e.start})",
                hint="save the file as UTF-8",
            ) from None
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name} is not a text file (it holds binary data)",
            hint="ingest takes .txt, .md or .jsonl articles",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"cannot decode {name} as UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})",
            hint="save the file as UTF-8, e.g. iconv -f cp1252 -t utf-8",
        ) from None


def _parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in FIELDS:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def make_article(
    text: str,
    *,
    name: str,
    source: str,
    path: str | None,
    meta: dict[str, Any] | None = None,
    source_override: str | None = None,
    story: str | None = None,
) -> Article:
    """Build an Article from raw text and metadata, marking its regions."""
    meta = meta or {}
    if not text.strip():
        raise InputError(f"{name} is empty", hint="an article needs some text")
    if len(text) > MAX_CHARS:
        raise InputError(f"{name} has {len(text):,} characters, more than one article's limit of {MAX_CHARS:,}",
                         hint="split it into articles, e.g. one a line in a .jsonl file")
    regions, line_date = find_regions(text)
    published = str(meta.get("published") or "") or line_date
    if published and not _ISO_DATE.match(published):
        published = None
    title = meta.get("title")
    if not title:
        head = next((r for r in regions if r.role == "headline"), None)
        title = head.text if head else None
    src = source_override or str(meta.get("source") or "") or source
    return Article(
        text=text,
        source=src,
        path=path,
        title=title,
        published=published[:10] if published else None,
        url=meta.get("url") or None,
        story=story or meta.get("story") or None,
        regions=regions,
    )


def _read_jsonl(data: str, path: Path, source_override: str | None, story: str | None) -> Iterator[Article]:
    for lineno, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{where} is not valid JSON ({e.msg} at column {e.colno})",
                             hint="one JSON object a line") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(f"{where} has no \"text\" field", hint='each line needs {"text": "..."}')
        yield make_article(
            obj["text"],
            name=where,
            source=str(obj.get("source") or path.stem),
            path=str(obj.get("path") or f"{path}#{lineno}"),
            meta={k: obj.get(k) for k in FIELDS if obj.get(k)},
            source_override=source_override,
            story=story,
        )


def read_file(path: Path, source_override: str | None = None, story: str | None = None) -> Iterator[Article]:
    """Articles in one file (one for text files and web pages, one a line for JSON Lines)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}", hint="check the path and its permissions") from None
    if path.suffix.lower() in HTML_SUFFIXES:
        from claimledger.extract.web import page_article

        yield page_article(raw, url=None, path=str(path), name=str(path), source_override=source_override, story=story)
        return
    data = decode(raw, str(path))
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(data, path, source_override, story)
        return
    meta, text = _parse_front_matter(data)
    yield make_article(
        text, name=str(path), source=path.stem, path=str(path), meta=meta,
        source_override=source_override, story=story,
    )


def expand(paths: Iterable[str]) -> list[str | Path]:
    """Resolve the command-line paths into files (folders walked in order); '-' stays '-'."""
    out: list[str | Path] = []
    for p in paths:
        if p == "-":
            out.append("-")
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(
                f for f in path.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts)
                and f.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
            )
            if not files:
                raise InputError(f"no articles in folder {p}", hint="ingest reads .txt, .md, .jsonl and .html files")
            out.extend(files)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"no such file or folder: {p}", hint="check the path; use - to read standard input")
    return out


def read_paths(
    paths: Iterable[str],
    source: str | None = None,
    story: str | None = None,
    stdin_text: str | None = None,
) -> Iterator[Article]:
    """Every article under ``paths``, in order. Raises InputError on the first bad input."""
    for item in expand(paths):
        if item == "-":
            text = stdin_text if stdin_text is not None else sys.stdin.read()
            meta, body = _parse_front_matter(text)
            yield make_article(body, name="standard input", source="stdin", path=None, meta=meta,
                               source_override=source, story=story)
        else:
            assert isinstance(item, Path)
            yield from read_file(item, source, story)
