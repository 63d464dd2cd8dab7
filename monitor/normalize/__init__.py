"""Turn a :class:`RawItem` into the :class:`Article` that rules match and the log records.

Normalization is a pure function of the raw item, so replaying the same input
always yields the same article and the same ``content_hash``.
"""

from __future__ import annotations

import hashlib

from monitor.article import Article, RawItem
from monitor.normalize.furniture import strip_furniture
from monitor.normalize.text import collapse, fold, split_sentences

__all__ = ["fold", "normalize", "split_sentences"]

_LEAD_MIN_WORDS = 12  # the lead runs up to the first paragraph this long


def _lines(text: str) -> list[str]:
    """Non-empty, folded, whitespace-collapsed lines: the unit furniture rules see."""
    return [line for line in map(collapse, fold(text).splitlines()) if line]


def normalize(raw: RawItem) -> Article:
    """Fold, de-furnish and split a raw item into an :class:`Article`.

    Without a source-given title the first content line is the title: page
    furniture above the headline ("Connect with us", section labels) has
    already been removed, so that line is the real headline.
    """
    content, furniture = strip_furniture(_lines(raw.text))
    if raw.title is not None and (title := collapse(fold(raw.title))):
        body = content
    else:
        title, body = (content[0], content[1:]) if content else ("", [])
    # Sites often repeat the headline as the first body line.
    if body and body[0].casefold() == title.casefold():
        body = body[1:]
    lead_end = 0
    if body:
        lead_end = next(
            (i + 1 for i, p in enumerate(body) if p.count(" ") + 1 >= _LEAD_MIN_WORDS), 1
        )
    digest = hashlib.sha256("\n".join([title, *body]).encode("utf-8")).hexdigest()
    return Article(
        source=raw.source,
        item_id=raw.item_id,
        title=title,
        paragraphs=tuple(body),
        content_hash=digest,
        url=raw.url,
        published=raw.published,
        furniture=tuple(furniture),
        lead_end=lead_end,
    )
