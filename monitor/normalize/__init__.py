"""Turn a :class:`RawItem` into the :class:`Article` that rules match and the log records.

Normalization is a pure function of the raw item, so replaying the same input
always yields the same article and the same ``content_hash``. It is also where
hostile text stops: control and bidi characters are deleted and every field is
bounded (:mod:`monitor.normalize.bounds`), so nothing downstream — the log, the
matcher, the templates, apprise — ever sees a two-megabyte title.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from monitor.article import Article, RawItem
from monitor.normalize.bounds import (
    TITLE_MAX_CHARS,
    URL_MAX_CHARS,
    bound_item_id,
    bound_lines,
    clean_link,
    shorten,
    strip_hostile,
)
from monitor.normalize.furniture import strip_furniture
from monitor.normalize.text import collapse, fold, split_sentences

__all__ = ["FUTURE_SLACK", "fold", "normalize", "split_sentences"]

_LEAD_MIN_WORDS = 12  # the lead runs up to the first paragraph this long
#: How far after its observation an item's publication time may lie and still be
#: believed: a day covers every time zone and a sloppy server clock.
FUTURE_SLACK = timedelta(days=1)


def _lines(text: str) -> list[str]:
    """Non-empty, cleaned, folded, whitespace-collapsed lines: the unit furniture rules see."""
    return [line for line in map(collapse, fold(strip_hostile(text)).splitlines()) if line]


def normalize(raw: RawItem, observed: datetime | None = None) -> Article:
    """Fold, de-furnish and split a raw item into an :class:`Article`.

    ``observed`` is when the item was read. A publication time more than
    :data:`FUTURE_SLACK` after it is not believed: it is kept as
    ``published_suspect`` and the article is undated, so story windows and
    relative dates use the observation time (a repeat dated 9999 is still a
    repeat).

    Without a source-given title the first content line is the title: page
    furniture above the headline ("Connect with us", section labels) has
    already been removed, so that line is the real headline.

    Bounds apply after furniture removal and the repeated-headline check, so
    both see whole lines; what was cut or dropped is named in
    ``Article.truncated``.
    """
    content, furniture = strip_furniture(_lines(raw.text))
    if raw.title is not None and (title := collapse(fold(strip_hostile(raw.title)))):
        body = content
    else:
        title, body = (content[0], content[1:]) if content else ("", [])
    # Sites often repeat the headline as the first body line.
    if body and body[0].casefold() == title.casefold():
        body = body[1:]
    truncated: list[str] = []
    if len(title) > TITLE_MAX_CHARS:
        title = shorten(title, TITLE_MAX_CHARS)
        truncated.append("title")
    body, cut = bound_lines(body)
    if cut:
        truncated.append("text")
    furniture, cut = bound_lines(furniture)
    if cut:
        truncated.append("furniture")
    url = clean_link(raw.url)
    if url is not None and len(url) > URL_MAX_CHARS:
        url = None  # a cut link would lead somewhere else
        truncated.append("url")
    item_id, cut = bound_item_id(raw.item_id)
    if cut:
        truncated.append("item")
    lead_end = 0
    if body:
        lead_end = next(
            (i + 1 for i, p in enumerate(body) if p.count(" ") + 1 >= _LEAD_MIN_WORDS), 1
        )
    published: datetime | None = raw.published
    suspect: str | None = None
    if published is not None and observed is not None and published > observed + FUTURE_SLACK:
        suspect = published.isoformat()
        published = None
    digest = hashlib.sha256("\n".join([title, *body]).encode("utf-8")).hexdigest()
    return Article(
        source=raw.source,
        item_id=item_id,
        title=title,
        paragraphs=tuple(body),
        content_hash=digest,
        url=url,
        published=published,
        furniture=tuple(furniture),
        lead_end=lead_end,
        truncated=tuple(truncated),
        published_suspect=suspect,
    )
