"""Polling the configured sources into the log: the I/O shell around the deciders.

A fixtures source re-reads its directory (unchanged files append nothing:
their idempotency keys are already stored). A feed source is fetched with
the shared HTTP client, and :func:`monitor.sources.poll.decide` turns the
result into events and the source's next state (validators, back-off). Each
source is polled on its own, so one slow or broken source never holds up
another, and every failure is an event.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx

from monitor.config import Config, SourceConfig
from monitor.errors import SourceError
from monitor.normalize import normalize
from monitor.replay import observed_event
from monitor.sources.fixtures import FixtureSource
from monitor.sources.http import FeedConfig, fetch, make_client
from monitor.sources.poll import (
    SOURCE_FAILED,
    SOURCE_POLLED,
    SourceState,
    decide,
    due,
    load_states,
)
from monitor.store.events import NewEvent
from monitor.store.log import EventLog

log = logging.getLogger("monitor.poller")


class Poller:
    """Polls sources by name; keeps each source's state (ETag, back-off) across polls."""

    def __init__(
        self,
        events: EventLog,
        config: Config,
        client: httpx.Client | None = None,
        *,
        processes: int | None = None,
    ):
        self.events = events
        self.config = config
        self.client = client or make_client()
        self._guard = threading.Lock()
        count = config.daemon.parse_processes if processes is None else processes
        # "spawn", not fork: forking a process that runs threads can deadlock.
        self.pool = (
            ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"))
            if count
            else None
        )
        with events.engine.connect() as conn:
            self.states: dict[str, SourceState] = load_states(conn)

    def close(self) -> None:
        self.client.close()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def poll(self, source: SourceConfig, *, force: bool = False) -> int:
        """Poll one source; returns the number of events appended. Never raises."""
        now = datetime.now(UTC)
        try:
            if source.type == "fixtures":
                return self._fixtures(source, now)
            return self._feed(source, now, force=force)
        except Exception as exc:  # a bad source must never stop the daemon
            log.exception("source %s: unexpected error while polling", source.name)
            return self._record_failure(source, now, f"internal error: {exc}")

    def _fixtures(self, source: SourceConfig, now: datetime) -> int:
        path = self.config.resolve(source.path or "")
        try:
            items = FixtureSource(source.name, Path(path)).poll()
        except SourceError as exc:
            log.error("%s", exc)
            return self._record_failure(source, now, exc.message)
        events = [observed_event(normalize(raw)) for raw in items]
        recovered = self.states.get(source.name, SourceState()).failures > 0
        if events:
            # a poll is recorded when it brought something new (or ended a failure run)
            digest = hashlib.sha256("\n".join(e.key for e in events).encode()).hexdigest()
            events.append(
                NewEvent(
                    type=SOURCE_POLLED,
                    stream=f"source:{source.name}",
                    key=f"poll:{source.name}:{digest[:16]}"
                    + (f":recovered:{now.isoformat()}" if recovered else ""),
                    payload={
                        "source": source.name,
                        "url": str(path),
                        "http_status": None,
                        "entries": len(items),
                        "body_sha256": digest,
                        "recovered": recovered,
                    },
                )
            )
        stored = self.events.append(events)
        with self._guard:
            self.states[source.name] = SourceState(last_poll=now, last_success=now)
        if stored:
            log.info(
                "source %s: %d new event(s) from %d item(s)", source.name, len(stored), len(items)
            )
        return len(stored)

    def _feed(self, source: SourceConfig, now: datetime, *, force: bool) -> int:
        feed = feed_config(source)
        with self._guard:
            state = self.states.get(source.name, SourceState())
        if not force and not due(state, feed, now):
            return 0
        result = fetch(self.client, feed, etag=state.etag, last_modified=state.last_modified)
        if self.pool is not None and result.status == "ok":  # parsing is the CPU-bound part
            events, new_state = self.pool.submit(decide, feed, state, result, now).result()
        else:
            events, new_state = decide(feed, state, result, now)
        stored = self.events.append(events)
        with self._guard:
            self.states[source.name] = new_state
        if result.status == "error" or new_state.failures:
            log.warning(
                "source %s (%s): %s; failure %d, next try %s",
                source.name,
                source.url,
                new_state.last_error or result.error,
                new_state.failures,
                new_state.retry_at.isoformat(timespec="seconds") if new_state.retry_at else "-",
            )
        elif stored:
            log.info("source %s: %d new event(s)", source.name, len(stored))
        return len(stored)

    def _record_failure(self, source: SourceConfig, now: datetime, reason: str) -> int:
        with self._guard:
            state = self.states.setdefault(source.name, SourceState())
            state.failures += 1
            state.last_error = reason
        event = NewEvent(
            type=SOURCE_FAILED,
            stream=f"source:{source.name}",
            key=f"fail:{source.name}:{state.failures}:{now.isoformat()}",
            payload={
                "source": source.name,
                "url": source.url or source.path,
                "error": reason,
                "http_status": None,
                "failures": state.failures,
                "retry_at": None,
            },
        )
        return len(self.events.append([event]))


def feed_config(source: SourceConfig) -> FeedConfig:
    assert source.url is not None
    return FeedConfig(
        name=source.name,
        url=source.url,
        interval=source.interval,
        timeout=source.timeout,
        read_timeout=source.timeout,
        total_timeout=max(3 * source.timeout, 30.0),
        max_bytes=source.max_bytes,
    )
