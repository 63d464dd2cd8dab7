"""The two shapes an item takes: raw from a source, normalized for the rules.

Both are plain frozen dataclasses rather than pydantic models: replay builds
thousands per second and validation already happened at the edge (the source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

#: A range of characters in a text, ``(start, end)``: where a name, a word or a
#: sentence stands (every layer that points into an article's text uses it).
Span: TypeAlias = tuple[int, int]


@dataclass(frozen=True, slots=True)
class RawItem:
    """One item as a source delivered it, before normalization.

    ``title`` is set when the source knows it (a feed entry); for fixture files
    it is ``None`` and the normalizer takes the first line that is not page
    furniture. ``text`` is plain text with line breaks between blocks (feed
    HTML is converted before it gets here).
    """

    source: str
    item_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A normalized article: what the rules match and what the log records.

    ``paragraphs`` is the clean body, quotes folded, whitespace collapsed, page
    furniture removed (it is kept apart in ``furniture`` so nothing is hidden
    from an auditor). ``lead`` is the index range of the lead paragraph(s).
    ``truncated`` names the fields normalization cut or dropped to keep within
    :mod:`monitor.normalize.bounds` (``"title"``, ``"text"``, ``"furniture"``,
    ``"url"``, ``"item"``), so nobody mistakes a cut article for the whole one.
    ``published_suspect`` keeps a publication time that was too far ahead of
    the observation to trust (:func:`monitor.normalize.normalize`).
    """

    source: str
    item_id: str
    title: str
    paragraphs: tuple[str, ...]
    content_hash: str
    url: str | None = None
    published: datetime | None = None
    furniture: tuple[str, ...] = ()
    lead_end: int = 1
    truncated: tuple[str, ...] = ()
    #: a publication time the source gave that lies too far after the observation to be
    #: true (ISO 8601, as given): kept for the auditor, never used (``published`` is None)
    published_suspect: str | None = None

    @property
    def sentences(self) -> tuple[tuple[str, ...], ...]:
        """Each paragraph split into sentences, computed on demand.

        Not stored: most articles match no rule and never need them, and
        splitting costs a third of normalization.
        """
        # imported here, a module of the same (bottom) layer: what imports Article
        # alone (the event catalogue, its readers) loads no sentence regexes
        from monitor.sentences import split_sentences

        return tuple(split_sentences(p) for p in self.paragraphs)

    @property
    def lead(self) -> tuple[str, ...]:
        """The lead: the body paragraphs up to and including the first substantial one."""
        return self.paragraphs[: self.lead_end]

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    def to_payload(self) -> dict[str, Any]:
        """The JSON payload of the ``ArticleObserved`` event."""
        payload: dict[str, Any] = {
            "source": self.source,
            "item": self.item_id,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "paragraphs": list(self.paragraphs),
            "lead_end": self.lead_end,
            "furniture": list(self.furniture),
            "content_hash": self.content_hash,
            "truncated": list(self.truncated),
        }
        if self.published_suspect is not None:  # only then: older payloads stay as they were
            payload["published_suspect"] = self.published_suspect
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Article:
        """Rebuild an article from its event payload (projections, rule engine).

        Sentences are not stored; the matcher splits them only when it needs
        them (evidence, story places), which most articles never do. Payloads
        recorded before normalization bounded its fields have no ``truncated``.
        """
        published = payload.get("published")
        paragraphs = tuple(payload["paragraphs"])
        return cls(
            source=payload["source"],
            item_id=payload["item"],
            url=payload.get("url"),
            title=payload["title"],
            published=datetime.fromisoformat(published) if published else None,
            paragraphs=paragraphs,
            lead_end=int(payload.get("lead_end", 1)),
            furniture=tuple(payload.get("furniture", ())),
            content_hash=payload["content_hash"],
            truncated=tuple(payload.get("truncated", ())),
            published_suspect=payload.get("published_suspect"),
        )
