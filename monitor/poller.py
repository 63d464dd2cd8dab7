"""Polling the configured sources into the log: the I/O shell around the deciders.

Every source is polled through the :class:`~monitor.sources.source.Source`
protocol, by stage, whatever its type (:func:`source_for` builds it from the
configuration): ``retrieve`` (a fixtures directory re-read, whose unchanged
files append nothing since their idempotency keys are already stored; a feed
fetched with the shared HTTP client), then the pure ``decide``, in a parse
worker when it is worth one, which turns the retrieval into events and the
source's next state (validators, back-off). The poller keeps the state, the
leases, the workers, appending and the checks. Each source is polled on its
own, so one slow or broken source never holds up another, and every failure
is an event.

On PostgreSQL the daemons sharing the store share the feeds: a feed is
fetched only by the node that claims its due poll in ``source_leases``
(:mod:`monitor.leases`), from the state the ``sources`` read model
holds, whichever node polled it last. On SQLite (one daemon per file) the
state in memory decides, as it always did.
"""

from __future__ import annotations

import logging
import multiprocessing
import random
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from monitor.backoff import exponential_backoff
from monitor.config import Config, SourceConfig
from monitor.errors import Repeats, StoreError
from monitor.events import NewEvent, names
from monitor.leases import Claim, Deferred, SourceLeases, lease_for
from monitor.sources.directory import FixturesSource
from monitor.sources.http import FeedConfig, make_client
from monitor.sources.poll import JITTER, MAX_BACKOFF, FeedSource, SourceState, failed_event
from monitor.sources.source import Source
from monitor.store.log import EventLog
from monitor.store.source_state import load_states, record_checks

log = logging.getLogger("monitor.poller")

R = TypeVar("R")

#: A feed whose parse takes longer than this in a worker is a failed poll.
PARSE_TIMEOUT = 120.0


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
        self._repeats = Repeats()  # one traceback per kind of unexpected failure and source
        self._processes = config.daemon.parse_processes if processes is None else processes
        self.pool = self._new_pool()
        with events.engine.connect() as conn:
            self.states: dict[str, SourceState] = load_states(conn)
        #: when each source was last checked and how it went, not yet written
        self._checks: dict[str, tuple[datetime, str]] = {}
        #: feeds shared with the other daemons on this PostgreSQL store; None on SQLite
        self.leases = self._share(events)
        #: when each shared feed is next claimable (``time.monotonic()``), as its lease said
        self._claimable: dict[str, float] = {}

    @staticmethod
    def _share(events: EventLog) -> SourceLeases | None:
        """The lease table on PostgreSQL; None elsewhere, or when it cannot be created.

        A daemon role not allowed to create the table, or to claim in it,
        still polls, alone as before (every node fetching every feed):
        duplicate fetches cost the feeds' servers, not the log, whose keys
        drop the repeats.
        """
        if events.dialect != "postgresql":
            return None
        leases = SourceLeases(events)
        try:
            leases.create()
        except StoreError as exc:
            log.error("%s; polling every feed from this node (see operations.md)", exc)
            return None
        log.info("feeds shared with the other daemons on this store (source_leases)")
        return leases

    def _new_pool(self) -> ProcessPoolExecutor | None:
        # "spawn", not fork: forking a process that runs threads can deadlock.
        if not self._processes:
            return None
        return ProcessPoolExecutor(self._processes, mp_context=multiprocessing.get_context("spawn"))

    def _decide(
        self, source: Source[R], state: SourceState, retrieved: R, now: datetime
    ) -> tuple[list[NewEvent], SourceState]:
        """``source.decide`` in a worker process when there are any and the retrieval is
        worth one; a broken pool is replaced."""
        pool = self.pool
        if pool is None or not source.offload(retrieved):
            return source.decide(state, retrieved, now)
        try:
            return pool.submit(source.decide, state, retrieved, now).result(timeout=PARSE_TIMEOUT)
        except BrokenProcessPool:
            log.error("a parse worker died; starting new ones (parsing %s here)", source.name)
            with self._guard:
                if self.pool is pool:
                    self.pool = self._new_pool()
            pool.shutdown(wait=False, cancel_futures=True)
            return source.decide(state, retrieved, now)
        except FutureTimeout:
            failed = source.timed_out(retrieved, f"parsing took longer than {PARSE_TIMEOUT:.0f} s")
            return source.decide(state, failed, now)

    def close(self) -> None:
        if self.leases is not None:  # polls abandoned in hand: due at once for the others
            self.leases.release_all()
        self.client.close()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def poll(self, source: SourceConfig, *, force: bool = False) -> int:
        """Poll one source; returns the number of events appended. Never raises."""
        now = self.events.now()
        try:
            stored = self._poll(source_for(self.config, source), now, force=force)
            self._repeats.clear(source.name)
            return stored
        except Exception as exc:  # a bad source must never stop the daemon
            # the traceback once per kind of failure, not at every retry
            message = f"source {source.name}: unexpected error while polling"
            self._repeats.failed(log, source.name, exc, message)
            return self._record_failure(source, now, f"internal error: {exc}")
        finally:
            with self._guard:
                state = self.states.get(source.name)
                if state is not None and state.last_poll == now:  # it was checked, not skipped
                    self._checks[source.name] = (now, state.last_status or "ok")

    def due_in(self, name: str) -> float | None:
        """Seconds until the shared feed ``name`` is due again, by its lease; None if unknown.

        The daemon aims its next try at this (plus its jitter): every node
        then tries shortly after the due time, in random order, so the polls
        spread over the nodes instead of sticking to whichever node's
        schedule happens to come first.
        """
        with self._guard:
            at = self._claimable.get(name)
        return None if at is None else max(0.0, at - time.monotonic())

    def flush_checks(self) -> int:
        """Write the sources checked since the last flush (``monitor status``'s "last poll").

        One short transaction for all of them, called by the daemon on a timer,
        so a quiet feed polled every few seconds does not take the store's write
        lock each time. Returns how many were written.
        """
        with self._guard:
            checks, self._checks = self._checks, {}
        if not checks or self.events.engine.url.database in ("", ":memory:"):
            return 0  # an in-memory store is never looked at by `monitor status`
        try:
            # holding the writer lock from the start (SQLite: BEGIN IMMEDIATE): a deferred
            # transaction that reads first fails at once when another writer committed
            with self.events.transaction("recording source checks") as conn:
                record_checks(conn, checks)
        except Exception:
            with self._guard:  # keep them (newer checks win) for the next flush
                self._checks = {**checks, **self._checks}
            raise
        return len(checks)

    def _poll(self, source: Source[Any], now: datetime, *, force: bool) -> int:
        """Through the lease when the source is shared and this is not a forced poll."""
        feed = source.shared
        if feed is not None and self.leases is not None and not force:
            return self._shared_feed(self.leases, source, feed, now)
        with self._guard:
            state = self.states.get(source.name, SourceState())
        if not force and not source.due(state, now):
            return 0
        return self._run(source, state, now)[0]

    def _shared_feed(
        self, leases: SourceLeases, source: Source[Any], feed: FeedConfig, now: datetime
    ) -> int:
        """Poll a feed the daemons on this store share, if this node claims its due poll.

        The claim is one short transaction and brings the source's state from
        the read model; no transaction stays open across the fetch. The poll
        is given back with the next due time — an interval on, or the
        back-off — counted from the claim on the database's clock.
        """
        try:
            claim = leases.claim(source.name, lease_for(feed), feed.interval)
        except StoreError as exc:  # the store, not the source: no SourceFailed
            log.warning("source %s: not polled: %s", source.name, exc)
            return 0
        claimed = time.monotonic()
        if isinstance(claim, Deferred):  # not due, or another node is polling it
            with self._guard:
                self._claimable[source.name] = claimed + claim.wait.total_seconds()
            return 0
        after = feed.interval
        try:
            state = claim.state
            if state.retry_at is not None and now < state.retry_at:
                after = state.retry_at - now  # backing off, as another node decided
                return 0
            stored, new_state = self._run(source, state, now)
            if new_state.retry_at is not None:
                after = max(new_state.retry_at - now, timedelta(0))
            return stored
        finally:
            self._release(leases, claim, after)
            with self._guard:
                self._claimable[source.name] = claimed + after.total_seconds()

    @staticmethod
    def _release(leases: SourceLeases, claim: Claim, after: timedelta) -> None:
        try:
            if not leases.release(claim, after):
                log.warning("source %s: its lease lapsed during the poll", claim.name)
        except StoreError as exc:  # the lease lapses by itself; then another node polls
            log.warning("source %s: %s", claim.name, exc)

    def _run(self, source: Source[R], state: SourceState, now: datetime) -> tuple[int, SourceState]:
        """Retrieve, decide, append, then remember the new state; the events stored and it.

        The new state is kept only once its events are appended (see
        :mod:`monitor.sources.poll`).
        """
        retrieved = source.retrieve(self.client, state)
        events, new_state = self._decide(source, state, retrieved, now)
        stored = self.events.append(events)
        with self._guard:
            self.states[source.name] = new_state
        source.report(log, retrieved, new_state, len(stored))
        return len(stored), new_state

    def _record_failure(self, source: SourceConfig, now: datetime, reason: str) -> int:
        """Record a failure the source's own path could not (an internal error), and back
        off as after any other failure: a source that fails at every poll is not retried
        at every tick."""
        with self._guard:
            state = self.states.setdefault(source.name, SourceState())
            state.failures += 1
            state.last_error = reason
            state.last_poll, state.last_status = now, "error"
            rng = random.Random(f"{source.name}:{state.failures}")
            wait = exponential_backoff(
                source.interval, state.failures, MAX_BACKOFF, jitter=JITTER, rng=rng
            )
            state.retry_at = now + wait
        key = names.failure_key(source.name, state.failures, now)
        event = failed_event(
            source.name, source.url or source.path, reason, state.failures, key=key
        )
        return len(self.events.append([event]))


def source_for(config: Config, source: SourceConfig) -> Source[Any]:
    """The :class:`~monitor.sources.source.Source` a configured source is polled through."""
    if source.type == "fixtures":
        path = Path(config.resolve(source.path or ""))
        return FixturesSource(source.name, path, source.url or source.path)
    return FeedSource(feed_config(source))


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
