"""Deciding what a feed poll means: the pure half of the feed source.

``decide(feed, state, result, now)`` turns the remembered state of a source and
what :func:`monitor.sources.http.fetch` brought back into the events to append
and the state to remember next. No I/O and no clock: the same inputs give the
same events, so polls can be tested and replayed without a network.

The log stays quiet for a quiet feed. A 304, or a 200 whose body hashes the
same as last time, appends nothing (the body is not even parsed); entries
seen before append nothing because ``ArticleObserved`` keys carry the content
hash; ``SourcePolled`` is keyed by the validator, so only a changed feed or a
recovery after failures records a poll. Every failure is a ``SourceFailed``
event carrying the back-off, so ``monitor status`` and a restarted daemon
know when to try again.

The caller must keep the returned state only after the events are appended:
otherwise a crash between the two would remember an ETag whose entries were
never recorded, and the next 304 would hide them for good.

The ``sources`` read model kept from those events, and read back on start so
that conditional GET and back-off survive restarts, is
:mod:`monitor.store.source_state`: persistence sits above the sources.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from monitor.backoff import exponential_backoff
from monitor.errors import SourceError
from monitor.events import (
    SOURCE_FAILED,
    SOURCE_POLLED,
    ArticleObserved,
    FeedFetch,
    NewEvent,
    SourceFailed,
    SourcePolled,
)
from monitor.events.names import failure_key
from monitor.normalize import normalize
from monitor.sources.feed import FeedConfig, FetchResult
from monitor.sources.feedfile import parse_feed

if TYPE_CHECKING:
    import httpx

__all__ = [
    "MAX_BACKOFF",
    "SOURCE_FAILED",
    "SOURCE_POLLED",
    "FeedSource",
    "SourceState",
    "backoff",
    "decide",
    "due",
]

MAX_BACKOFF = timedelta(hours=6)
#: A ``Retry-After`` beyond this is treated as this: a broken header must not stop a source.
MAX_RETRY_AFTER = timedelta(hours=24)
JITTER = 0.10
#: ``due`` accepts a poll this fraction of the interval early: the scheduler jitters too.
DUE_SLACK = 0.10


@dataclass
class SourceState:
    """What we remember about one source between polls (and, via the log, restarts)."""

    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    retry_at: datetime | None = None
    last_error: str | None = None
    last_success: datetime | None = None
    last_poll: datetime | None = None
    last_status: str | None = None
    body_hash: str | None = None


@dataclass(frozen=True)
class FeedSource:
    """A feed by stage: the fetch (:mod:`monitor.sources.http`), then :func:`decide`.

    A plain value (its :class:`FeedConfig`), so that the poller's parse
    workers can run its ``decide``; the fetch module, and httpx with it, is
    imported only by ``retrieve``, which runs in the poller.
    """

    feed: FeedConfig

    @property
    def name(self) -> str:
        return self.feed.name

    @property
    def shared(self) -> FeedConfig | None:
        return self.feed

    def due(self, state: SourceState, now: datetime) -> bool:
        return due(state, self.feed, now)

    def retrieve(self, client: httpx.Client, state: SourceState) -> FetchResult:
        from monitor.sources import http

        return http.fetch(client, self.feed, etag=state.etag, last_modified=state.last_modified)

    def offload(self, retrieved: FetchResult) -> bool:
        return retrieved.status == "ok"  # only a body is worth parsing elsewhere

    def timed_out(self, retrieved: FetchResult, error: str) -> FetchResult:
        return replace(retrieved, status="error", body=None, error=error)

    def decide(
        self, state: SourceState, retrieved: FetchResult, now: datetime
    ) -> tuple[list[NewEvent], SourceState]:
        return decide(self.feed, state, retrieved, now)

    def report(
        self, log: logging.Logger, retrieved: FetchResult, new: SourceState, stored: int
    ) -> None:
        if retrieved.status == "error" or new.failures:
            # the recorded error names the source and its URL already: once is enough
            error = new.last_error or str(
                SourceError(retrieved.error or "error", source=self.feed.name, url=self.feed.url)
            )
            log.warning(
                "%s; failure %d, next try %s",
                error,
                new.failures,
                new.retry_at.isoformat(timespec="seconds") if new.retry_at else "-",
            )
        elif stored:
            log.info("source %s: %d new event(s)", self.feed.name, stored)


def decide(
    feed: FeedConfig,
    state: SourceState,
    result: FetchResult,
    now: datetime,
    *,
    rng: random.Random | None = None,
    cap: timedelta = MAX_BACKOFF,
) -> tuple[list[NewEvent], SourceState]:
    """The events one fetch result means, and the source's next state.

    ``rng`` draws the back-off jitter; by default it is seeded from the source
    name and failure count, so the decision is reproducible yet different
    sources failing together do not retry in lockstep.
    """
    polled = replace(state, last_poll=now, last_status=result.status)
    if result.status == "error" or (result.status == "ok" and result.body is None):
        reason = result.error or "no response body"
        return _failure(feed, polled, reason, result, now, rng, cap)
    recovered = state.failures > 0
    healthy = replace(polled, failures=0, retry_at=None, last_success=now)
    if result.status == "not_modified":
        new = replace(healthy, etag=result.etag, last_modified=result.last_modified)
        if not recovered:
            return [], new
        return [_polled(feed, new, result, now, entries=0, size=0, recovered=True)], new
    body = result.body or b""
    digest = hashlib.sha256(body).hexdigest()
    new = replace(healthy, etag=result.etag, last_modified=result.last_modified, body_hash=digest)
    if digest == state.body_hash:
        if not recovered:
            return [], new
        return [_polled(feed, new, result, now, entries=0, size=len(body), recovered=True)], new
    try:
        items = parse_feed(
            body, source=feed.name, url=result.url or feed.url, headers=result.headers
        )
    except SourceError as exc:
        return _failure(feed, polled, exc.message, result, now, rng, cap)
    events = [ArticleObserved(normalize(raw, now)).to_event() for raw in items]
    events.append(
        _polled(feed, new, result, now, entries=len(items), size=len(body), recovered=recovered)
    )
    return events, new


def backoff(
    feed: FeedConfig,
    failures: int,
    *,
    retry_after: float | None = None,
    rng: random.Random | None = None,
    cap: timedelta = MAX_BACKOFF,
) -> timedelta:
    """How long to wait after the ``failures``-th failure in a row.

    ``interval * 2**(failures-1)`` with ±10 % jitter, never above ``cap``
    (:func:`monitor.backoff.exponential_backoff`, shared with the outbox);
    a server's ``Retry-After`` wins when it asks for longer, up to
    ``MAX_RETRY_AFTER`` however long it asks for; a negative or NaN one is
    ignored.
    """
    rng = rng or random.Random(f"{feed.name}:{failures}")
    delay = exponential_backoff(feed.interval, failures, cap, jitter=JITTER, rng=rng)
    if retry_after is not None and retry_after > 0:  # False for NaN too
        # Capped in seconds first: timedelta(seconds=1e20) itself overflows.
        seconds = min(retry_after, MAX_RETRY_AFTER.total_seconds())
        delay = max(delay, timedelta(seconds=seconds))
    return delay


def due(state: SourceState, feed: FeedConfig, now: datetime) -> bool:
    """Whether to poll now: never during back-off, else once per interval."""
    if state.retry_at is not None and now < state.retry_at:
        return False
    if state.failures or state.last_poll is None:
        return True
    return now >= state.last_poll + feed.interval * (1 - DUE_SLACK)


def failed_event(
    source: str,
    url: str | None,
    error: str,
    failures: int,
    *,
    key: str,
    final_url: str | None = None,
    http_status: int | None = None,
    retry_at: datetime | None = None,
    time: datetime | None = None,
) -> NewEvent:
    """The one shape of ``SourceFailed``, for feeds and fixture directories alike.

    ``key``: :func:`monitor.events.names.failure_key` for a poll that failed,
    :func:`~monitor.events.names.file_failure_key` for a fixture file that
    cannot be read.
    """
    failed = SourceFailed(
        source, url, final_url or url, error, http_status, failures, retry_at=retry_at
    )
    return failed.to_event(key, time)


def _failure(
    feed: FeedConfig,
    polled: SourceState,
    reason: str,
    result: FetchResult,
    now: datetime,
    rng: random.Random | None,
    cap: timedelta,
) -> tuple[list[NewEvent], SourceState]:
    failures = polled.failures + 1
    retry_at = now + backoff(feed, failures, retry_after=result.retry_after, rng=rng, cap=cap)
    url = result.url or feed.url
    error = str(SourceError(reason, source=feed.name, url=url))
    event = failed_event(
        feed.name,
        feed.url,
        error,
        failures,
        key=failure_key(feed.name, failures, now),
        final_url=url,
        http_status=result.http_status,
        retry_at=retry_at,
        time=now,
    )
    new = replace(
        polled, failures=failures, retry_at=retry_at, last_error=error, last_status="error"
    )
    return [event], new


def _polled(
    feed: FeedConfig,
    new: SourceState,
    result: FetchResult,
    now: datetime,
    *,
    entries: int,
    size: int,
    recovered: bool,
) -> NewEvent:
    fetch = FeedFetch(
        final_url=result.url or feed.url,
        etag=new.etag,
        last_modified=new.last_modified,
        elapsed_ms=round(result.elapsed * 1000),
        bytes=size,
    )
    polled = SourcePolled(
        feed.name, feed.url, result.http_status, entries, new.body_hash, recovered, fetch
    )
    # keyed by the validator (etag, else body hash or Last-Modified): an unchanged feed
    # repeats its key; a recovery's key has the time, since its validator may be an old one
    return polled.to_event(now, time=now)
