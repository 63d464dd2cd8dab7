"""What sources record: articles observed, polls, failures.

``ArticleObserved`` is the :class:`~monitor.article.Article` payload (its own
``to_payload`` / ``from_payload``); the read models index only its head
(:class:`ArticleHead`), so a body the rules cannot read never stops a
projection. ``SourcePolled`` comes in two shapes, both recorded by earlier
versions and kept: a feed poll carries what the HTTP exchange told
(:class:`FeedFetch`), a fixtures directory poll has no exchange and no such keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.article import Article
from monitor.events import names
from monitor.events.envelope import (
    ABSENT,
    FALLBACK,
    FLATTEN,
    NewEvent,
    Payload,
    Record,
    StoredEvent,
)

__all__ = ["ArticleHead", "ArticleObserved", "FeedFetch", "SourceFailed", "SourcePolled"]


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class ArticleObserved(Record):
    """One version of one item, normalized: what the rules match (stream ``source:{source}``)."""

    TYPES = (names.ARTICLE_OBSERVED,)

    article: Article

    @property
    def stream(self) -> str:
        return names.source_stream(self.article.source)

    @property
    def key(self) -> str:
        a = self.article
        return names.article_key(a.source, a.item_id, a.content_hash)

    def to_payload(self) -> dict[str, Any]:
        return self.article.to_payload()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> ArticleObserved:
        return cls(Article.from_payload(dict(payload)))

    def to_event(self, time: datetime | None = None) -> NewEvent:
        """``time`` is when it was observed; None lets the log stamp the append."""
        return self._event(self.key, time)


@dataclass(frozen=True, slots=True)
class ArticleHead:
    """The fields of an ``ArticleObserved`` payload that say which version of what it is.

    For readers that need no body (the ``articles`` read model): reading only
    these keys is cheaper, and an article whose body is malformed — recorded
    all the same, then skipped by the rule engine with ``RuleFailed`` — still
    gets its row.
    """

    source: str
    item: str
    content_hash: str
    title: str
    url: str | None
    published: datetime | None

    @classmethod
    def from_event(cls, event: NewEvent | StoredEvent) -> ArticleHead:
        if event.type != names.ARTICLE_OBSERVED:
            raise ValueError(f"{event.type} event {event.key!r} is not an ArticleObserved")
        p = event.payload
        return cls(
            source=p["source"],
            item=p["item"],
            content_hash=p["content_hash"],
            title=p["title"],
            url=p.get("url"),
            published=_when(p.get("published")),
        )


@dataclass(frozen=True, slots=True)
class FeedFetch(Payload):
    """What a feed poll's HTTP exchange told: absent from a fixtures directory's poll.

    Its keys are written among the poll's own (``final_url`` says it is there).
    """

    final_url: str
    etag: str | None
    last_modified: str | None
    elapsed_ms: int = field(metadata={ABSENT: 0})
    bytes: int = field(metadata={ABSENT: 0})


@dataclass(frozen=True, slots=True)
class SourcePolled(Record):
    """A poll worth recording: new entries or validators, or the end of a failure run.

    ``body_sha256`` is the feed body's digest (a fixtures directory: of its
    article keys); with ``etag`` and ``last_modified`` it is the validator
    the key carries, so an unchanged feed repeats its key and appends nothing.
    """

    TYPES = (names.SOURCE_POLLED,)

    source: str
    url: str
    http_status: int | None
    entries: int = field(metadata={ABSENT: 0})
    body_sha256: str | None = field(metadata={ABSENT: None})
    recovered: bool = field(metadata={ABSENT: False})
    fetch: FeedFetch | None = field(default=None, metadata={FLATTEN: "final_url"})

    @property
    def stream(self) -> str:
        return names.source_stream(self.source)

    @property
    def validator(self) -> str:
        etag = self.fetch.etag if self.fetch else None
        last_modified = self.fetch.last_modified if self.fetch else None
        return etag or (self.body_sha256 or last_modified or "none")[:16]

    def key(self, at: datetime) -> str:
        """The poll's key; ``at`` (the poll's time) only enters it for a recovery."""
        return names.poll_key(self.source, self.validator, at if self.recovered else None)

    def to_event(self, at: datetime, time: datetime | None = None) -> NewEvent:
        """``at``: the poll's time (in a recovery's key); ``time``: None lets the log stamp it."""
        return self._event(self.key(at), time)


@dataclass(frozen=True, slots=True)
class SourceFailed(Record):
    """A failed poll (or an unreadable fixture file) and, for feeds, when to try again.

    Every failure is one, so ``monitor status`` and a restarted daemon know
    the back-off. Payloads from before ``final_url`` was recorded read it as
    ``url``, as :func:`monitor.sources.poll.failed_event` defaults it.
    """

    TYPES = (names.SOURCE_FAILED,)

    source: str
    url: str | None
    final_url: str | None = field(metadata={FALLBACK: "url"})
    error: str
    http_status: int | None
    failures: int
    retry_at: datetime | None

    @property
    def stream(self) -> str:
        return names.source_stream(self.source)

    def to_event(self, key: str, time: datetime | None = None) -> NewEvent:
        """``key``: :func:`~monitor.events.names.failure_key` for a poll that failed,
        :func:`~monitor.events.names.file_failure_key` for a fixture file that cannot be read.
        """
        return self._event(key, time)
