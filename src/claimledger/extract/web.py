"""Articles from the web: saved pages, URLs and feeds.

A page's main text, title, publication day, author and outlet come from trafilatura, a library
made for news pages (it drops navigation, comments, boilerplate and embedded social posts, and
reads og:, JSON-LD and meta tags); the ledger keeps the extracted text, so every span indexes
into it, and the URL. The outlet is the page's own publisher name (og:site_name, JSON-LD), else
the domain through ``models/outlets.tsv`` (foxnews.com -> Fox News), else the file name. Feeds
(RSS, Atom) are read by feedparser; each item's page is fetched. Fetching uses the standard
library: a timeout, a few retries on network errors, a User-Agent that says who we are,
redirects followed, a size cap, a content-type check.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from claimledger.errors import InputError
from claimledger.extract.reader import make_article
from claimledger.records import Article
from claimledger.resources import table

HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
USER_AGENT = "claimledger (news coverage comparison; +https://pypi.org/project/claimledger/)"


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def fetch(url: str, timeout: float = 20.0, retries: int = 2, max_bytes: int = 5_000_000) -> tuple[bytes, str, str]:
    """(body, content type, final URL) of ``url``; InputError with the reason on failure. A network
    error is retried ``retries`` times; an HTTP error status is not."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,"
                                                   "application/rss+xml,application/atom+xml,application/xml;q=0.9"})
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                ctype = resp.headers.get_content_type() or ""
                body = resp.read(max_bytes + 1)
                if len(body) > max_bytes:
                    raise InputError(f"{url}: the page is larger than {max_bytes:,} bytes",
                                     hint="save the article itself and ingest the file")
                return body, ctype, resp.geturl()
        except urllib.error.HTTPError as e:
            raise InputError(f"{url}: HTTP {e.code} {e.reason}", hint="check the address") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            if attempt == retries:
                reason = getattr(e, "reason", e)
                raise InputError(f"{url}: {'timed out' if isinstance(reason, TimeoutError) else reason}",
                                 hint="check the address and the network, then run again") from None
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def looks_like_feed(body: bytes, ctype: str) -> bool:
    head = body[:500].lstrip().lower()
    return "rss" in ctype or "atom" in ctype or head.startswith((b"<rss", b"<feed")) or (
        head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head))


def feed_links(body: bytes) -> list[str]:
    """The item links of an RSS or Atom feed, in feed order."""
    import feedparser  # loaded only when a feed is read

    parsed = feedparser.parse(body)
    return [e.link for e in parsed.entries if getattr(e, "link", None)]


def outlet_of(url: str | None) -> str | None:
    """The outlet a domain belongs to (``models/outlets.tsv``), trying parent domains too."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    outlets = table("outlets.tsv")
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = outlets.get(".".join(parts[i:]))
        if name:
            return name
    return None


def page_article(html: bytes | str, *, url: str | None, path: str | None, name: str,
                 source_override: str | None = None, story: str | None = None) -> Article:
    """An article from a web page: main text, title, day, outlet (module doc)."""
    import trafilatura  # loaded only when a page is read

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (data.get("text") or "").strip()
    if not text:
        raise InputError(f"{name}: no article text found in the page", hint="is it an article page?")
    title = (data.get("title") or "").strip()
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"  # the headline first, as every article reads
    source = (data.get("sitename") or "").strip() or outlet_of(url or data.get("url")) or \
        (Path(path).stem if path else urlparse(url or "").hostname or "web")
    return make_article(text + "\n", name=name, source=source, path=path or url,
                        meta={"title": title or None, "published": data.get("date"), "url": url or data.get("url")},
                        source_override=source_override, story=story)
