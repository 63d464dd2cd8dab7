"""The application in front of the log: the use cases the front door calls.

A command should say what it wants — the recent alerts, a mute, a verified
chain — not how the store keeps it. :class:`Monitor` owns the
:class:`~monitor.store.log.EventLog` with its read models (wired once, in
:mod:`monitor.wiring`) and answers in the application's own records
(``OutcomeRow``, ``OutboxRow``, ``MuteRow``, events); the SQL behind them
stays in the store and the read models. The command line reaches the store
only through here: an import contract (``pyproject.toml``) forbids
``monitor.front.cli`` to import SQLAlchemy or the store's schema.

Time comes from one clock, passed in (``now``): a mute starts "now", the
mutes in force are those of "now", and a test fixes the clock instead of
patching module globals.
"""

from __future__ import annotations

import difflib
import glob
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from monitor.config import Config
from monitor.errors import MonitorError
from monitor.events import (
    ALERT_RAISED,
    ARTICLE_OBSERVED,
    EVENT_TYPES,
    RuleMuted,
    RuleUnmuted,
)
from monitor.notify.mutes import MuteRow, listing
from monitor.notify.projection import OutboxRow, for_alerts, summary
from monitor.store.events import Head, StoredEvent, VerifyResult
from monitor.store.log import EventLog
from monitor.store.projections import OutcomeRow, list_outcomes
from monitor.store.schema import EVENTS
from monitor.store.source_state import load_checks, load_states
from monitor.wiring import open_log

__all__ = [
    "CONSUMERS",
    "Alerts",
    "Monitor",
    "UnknownEventType",
    "discard_new_store_on_failure",
    "source_health",
    "utc_now",
]

#: consumer → the event type it reads (its lag is counted in events of that type)
CONSUMERS = {"rules": ARTICLE_OBSERVED, "notify-queue": ALERT_RAISED}


def utc_now() -> datetime:
    """The application's clock: the current time, in UTC."""
    return datetime.now(UTC)


class UnknownEventType(MonitorError):
    """A ``--type`` that is neither a known event type nor in the log."""


@dataclass(frozen=True, slots=True)
class Alerts:
    """Recent outcomes, newest first, with each raised alert's notifications."""

    rows: list[OutcomeRow]
    deliveries: dict[int, list[OutboxRow]]


class Monitor:
    """One store and the use cases on it: read the alerts, events, mutes and status; mute,
    unmute; verify and rebuild."""

    def __init__(self, log: EventLog, *, now: Callable[[], datetime] = utc_now) -> None:
        self.log = log
        self.now = now

    @classmethod
    def open(
        cls,
        url: str,
        *,
        create: bool = False,
        read_models: bool = True,
        now: Callable[[], datetime] = utc_now,
    ) -> Monitor:
        """The store at ``url`` with every read model (``create=False``: it must exist).

        ``read_models=False`` opens the bare log (``verify`` reads the chain
        only, and must not create or upgrade a table).
        """
        log = open_log(url, create=create) if read_models else EventLog(url, create=False)
        return cls(log, now=now)

    def close(self) -> None:
        self.log.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------

    def check_event_types(self, types: Sequence[str]) -> None:
        """Refuse a type that is neither known nor in the log, naming the ones there are."""
        unknown = [t for t in types if t not in EVENT_TYPES]
        if not unknown:
            return
        with self.log.engine.connect() as conn:  # only for a type we do not know: one scan
            present = set(conn.execute(select(EVENTS.c.type).distinct()).scalars())
        unknown = [t for t in unknown if t not in present]
        if unknown:
            known = sorted({*EVENT_TYPES, *present})
            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UnknownEventType(
                f"unknown event type {unknown[0]!r}{hint}; the types are {', '.join(known)}"
            )

    def events(
        self,
        after: int = 0,
        *,
        types: Sequence[str] = (),
        stream: str | None = None,
        limit: int | None = None,
    ) -> Iterator[StoredEvent]:
        """Events after position ``after``, in log order (of ``types`` and ``stream``)."""
        self.check_event_types(types)
        return self.log.read(after, types=list(types) or None, stream=stream, limit=limit)

    def alerts(
        self,
        *,
        show_all: bool = False,
        limit: int = 50,
        rules: Sequence[str] = (),
        since: datetime | None = None,
    ) -> Alerts:
        """Recent outcomes (only raised ones unless ``show_all``), newest first."""
        with self.log.engine.connect() as conn:
            rows = list_outcomes(
                conn,
                outcome=None if show_all else "raised",
                limit=limit,
                rules=rules,
                since=since,
            )
            deliveries = for_alerts(conn, [r.seq for r in rows if r.outcome == "raised"])
        return Alerts(rows, deliveries)

    def mutes(self, *, rule: str | None = None, past: bool = False) -> list[MuteRow]:
        """The mutes in force now (with ``past``, every one recorded), newest first."""
        with self.log.engine.connect() as conn:
            return listing(conn, self.now(), rule=rule, past=past)

    def status(self, config: Config) -> dict[str, Any]:
        """Sources, consumer lag, the outbox and the mutes in force (``monitor status``)."""
        with self.log.engine.connect() as conn:
            sources = source_health(conn, config)
            outbox = summary(conn)
            mutes = listing(conn, self.now())
        checkpoints = self.log.checkpoints()
        consumers = {}
        for name, event_type in CONSUMERS.items():
            position = checkpoints.get(name, 0)
            consumers[name] = {
                "position": position,
                "lag": self.log.count(position, types=[event_type]),
            }
        return {
            "store": self.log.url,
            "head": self.log.head(),
            "sources": sources,
            "consumers": consumers,
            "outbox": outbox,
            "mutes": mutes,
        }

    def verify(self, expected: Head | None = None) -> tuple[VerifyResult, list[str]]:
        """The hash chain checked (against ``expected`` too), and the append-only guards
        someone removed."""
        return self.log.verify(expected), self.log.missing_guards()

    # -- acting --------------------------------------------------------------------

    def rebuild(self) -> int:
        """Drop the read models and refill them from the log; the events applied."""
        return self.log.rebuild()

    def mute(self, rule: str, duration: timedelta, reason: str, who: str) -> RuleMuted:
        """Mute ``rule``'s notifications from now for ``duration`` (an event in the log)."""
        starts = self.now()
        mute = RuleMuted(rule, starts, starts + duration, reason, who)
        self.log.append([mute.to_event()])
        return mute

    def unmute(self, rule: str, reason: str, who: str) -> int:
        """End every mute of ``rule`` in force now; how many ended (an error if none)."""
        mutes = self.mutes(rule=rule)
        if not mutes:
            raise MonitorError(f"{rule} is not muted (monitor mutes lists the mutes in force)")
        self.log.append([RuleUnmuted(m.mute, rule, reason, who).to_event() for m in mutes])
        return len(mutes)


def source_health(conn: Connection, config: Config) -> list[dict[str, Any]]:
    """Each configured source's state, as ``monitor status`` and the web page show it.

    The last poll is the later of the last recorded one (``sources``) and the
    daemon's last check (``source_checks``): a poll that found nothing new
    appends no event, yet it was a poll, and a healthy quiet feed must not
    look stalled. Times are datetimes (the caller formats them).
    """
    states = load_states(conn)
    checks = load_checks(conn)
    out = []
    for source in config.sources:
        st = states.get(source.name)
        check = checks.get(source.name)
        last_poll = st.last_poll if st else None
        if check is not None and (last_poll is None or check[0] > last_poll):
            last_poll = check[0]
        failures = st.failures if st else 0
        retry_at = st.retry_at if st else None
        if not source.enabled:
            health = "disabled"
        elif last_poll is None:
            health = "never polled"
        elif failures:
            health = "backing off" if retry_at is not None else "failing"
        else:
            health = "ok"
        out.append(
            {
                "name": source.name,
                "type": source.type,
                "where": source.url or source.path,
                "enabled": source.enabled,
                "interval": source.interval.total_seconds(),
                "health": health,
                "last_poll": last_poll,
                "last_status": (check[1] if check and check[0] == last_poll else None)
                or (st.last_status if st else None),
                "last_success": st.last_success if st else None,
                "failures": failures,
                "retry_at": retry_at,
                "last_error": st.last_error if st else None,
            }
        )
    return out


@contextmanager
def discard_new_store_on_failure(url: str) -> Iterator[None]:
    """Remove the SQLite store this command created if it fails before logging anything.

    A command that failed leaves nothing on disk: most failures (config,
    watchlists, templates, secrets) are found before the store is opened
    (:func:`monitor.daemon.load_parts`), but some only after (the web
    address is taken). Only a file that did not exist when the command
    started and holds no event is removed — with its ``-wal``, ``-shm``, head
    and lock files and the directories made for it; a store with even one
    event is never touched.
    """
    try:
        parsed = make_url(url)
    except Exception:  # the open itself reports a bad URL
        yield
        return
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        yield
        return
    path = Path(parsed.database).expanduser().absolute()
    if path.exists():
        yield
        return
    made = [d for d in (path.parent, *path.parent.parents) if not d.exists()]  # deepest first
    try:
        yield
    except BaseException:
        if path.exists():
            try:
                con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
                try:
                    empty = con.execute("SELECT NOT EXISTS (SELECT 1 FROM events)").fetchone()[0]
                finally:
                    con.close()
            except sqlite3.Error:
                empty = True  # no events table: nothing was logged
            if not empty:
                raise
            for leftover in ("", "-wal", "-shm", ".head"):
                Path(f"{path}{leftover}").unlink(missing_ok=True)
            for lock in path.parent.glob(f"{glob.escape(path.name)}.*.lock"):
                lock.unlink(missing_ok=True)
        for directory in made:
            try:
                directory.rmdir()
            except OSError:  # not empty: something else is there now
                break
        raise
