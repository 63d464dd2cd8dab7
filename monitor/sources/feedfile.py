"""Feed bytes (RSS, Atom, JSON Feed) to raw items: the pure half of the feed source.

No I/O here: the HTTP fetch lives in :mod:`monitor.sources.http`, replay reads
files. feedparser is always given a *file-like object*, never raw bytes or a
string (it may treat those as a path or URL and read it), and its HTTP fetch
is never used (no timeout). Entry HTML becomes plain text with one line per
block element, so the normalizer sees the same shape as a fixture file.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
from lxml import etree

from monitor.article import RawItem
from monitor.errors import SourceError

log = logging.getLogger(__name__)

#: Query parameters that only track the reader; dropped so one story has one URL.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ocid", "cmpid", "ref"}
)
_BLOCKS = frozenset(
    {
        *("p", "div", "br", "li", "ul", "ol", "dd", "dt", "hr", "pre", "tr", "table"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article"),
        *("header", "footer", "figure", "figcaption", "aside", "nav"),
    }
)
_DROP = ("script", "style", "noscript", "iframe", "template")
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCKS)) + r")\b[^>]*>", re.IGNORECASE)


def strip_tracking(url: str | None) -> str | None:
    """Drop ``utm_*`` and click-id parameters and the fragment from a link.

    A link that is not a URL at all (``http://[bad/x``) is dropped (None):
    the item is still observed, only without a link.
    """
    if not url:
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def html_to_text(html: str) -> str:
    """Plain text with a line break at every block element, scripts and styles removed.

    Block boundaries are marked by one C-level regex pass over the markup
    (a newline before each block tag), then lxml parses, drops scripts and
    styles and decodes entities: per element Python work would cost more
    than the whole feed parse.
    """
    if "<" not in html:
        # still HTML: "North Korea&#039;s" without a tag is "North Korea's"
        return unescape(html) if "&" in html else html
    marked = _BLOCK_TAG.sub(lambda m: "\n" + m.group(0), html)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    etree.strip_elements(root, *_DROP, with_tail=False)
    return str(root.text_content())


def parse_feed(
    body: bytes, *, source: str, url: str, headers: Mapping[str, str] | None = None
) -> list[RawItem]:
    """Parse feed bytes into raw items in published order (undated ones last, in feed order).

    Raises :class:`SourceError` naming the source and URL when the bytes are
    not a feed at all (an HTML page, garbage); a feed that is merely malformed
    (``bozo``) but still has entries is accepted.
    """
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return parse_json_feed(body, source=source, url=url)
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    # No content-location: feedparser would resolve every element against it
    # (a fifth of the parse); the one URL we keep, the entry link, is joined below.
    # Entry HTML only ever becomes plain text here (lxml drops scripts and
    # styles) and is never rendered, so feedparser's sanitizer and relative-URI
    # rewriting would cost a third of the parse for nothing.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed structure found"
        raise SourceError(f"not a feed: {reason}", source=source, url=url)
    items: list[RawItem] = []
    for entry in parsed.entries:
        try:
            items.append(_entry(entry, source, url))
        except Exception as exc:  # one bad entry fails alone: the feed's others are read
            log.warning("source %s: an entry of %s skipped: %r", source, url, exc)
    return _published_order(items)


def _published_order(items: list[RawItem]) -> list[RawItem]:
    """Published order, undated items last in feed order: replay must be deterministic."""
    order = sorted(
        range(len(items)),
        key=lambda i: (
            items[i].published is None,
            items[i].published or datetime.min.replace(tzinfo=UTC),
            i,
        ),
    )
    return [items[i] for i in order]


def parse_json_feed(body: bytes, *, source: str, url: str) -> list[RawItem]:
    """A JSON Feed (https://jsonfeed.org, 1.0 and 1.1): feedparser 6 does not read them."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"not a feed: invalid JSON ({exc})", source=source, url=url) from exc
    version = data.get("version", "") if isinstance(data, dict) else ""
    if not str(version).startswith("https://jsonfeed.org/version/"):
        raise SourceError("not a feed: JSON without a JSON Feed version", source=source, url=url)
    items = []
    for i, item in enumerate(data.get("items") or []):
        if not isinstance(item, dict):
            continue
        link = strip_tracking(item.get("url") or item.get("external_url"))
        html = item.get("content_html") or ""
        text = (
            html_to_text(html)
            if html
            else str(item.get("content_text") or item.get("summary") or "")
        )
        when = item.get("date_published") or item.get("date_modified")
        published = None
        if isinstance(when, str):
            try:
                published = _utc(datetime.fromisoformat(when.replace("Z", "+00:00")))
            except ValueError:
                published = None
        items.append(
            RawItem(
                source=source,
                item_id=str(item.get("id") or link or i),
                title=(str(item["title"]).strip() or None) if item.get("title") else None,
                text=text,
                url=link,
                published=published,
            )
        )
    return _published_order(items)


def _entry(entry: Any, source: str, base: str) -> RawItem:
    link = entry.get("link")
    try:
        link = strip_tracking(urljoin(base, link) if link else None)
    except ValueError:  # a base or link that is not a URL: keep the entry, drop the link
        link = None
    html = ""
    if entry.get("content"):
        html = max((c.get("value", "") for c in entry.content), key=len)
    if len(html) < len(entry.get("summary", "")):
        html = entry.get("summary", "")
    title = html_to_text(entry.get("title", "")).strip() or None
    published = _when(entry.get("published_parsed") or entry.get("updated_parsed"))
    item_id = entry.get("id") or link
    if not item_id:
        item_id = hashlib.sha256(f"{title}\n{published}".encode()).hexdigest()[:16]
    return RawItem(
        source=source,
        item_id=str(item_id),
        title=title,
        text=html_to_text(html),
        url=link,
        published=published,
    )


def _when(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (ValueError, OverflowError, OSError):
        # beyond what a datetime holds ("9999-12-31T23:59:59-14:00" is year 10000 in
        # UTC): the last instant, which normalization then distrusts; before year 1, none
        return datetime.max.replace(tzinfo=UTC) if parsed[0] > 1 else None


def _utc(when: datetime) -> datetime:
    """``when`` in UTC; an aware time past the last UTC instant is that instant."""
    try:
        return when.astimezone(UTC)
    except OverflowError:
        return (
            datetime.max.replace(tzinfo=UTC) if when.year > 1 else datetime.min.replace(tzinfo=UTC)
        )
