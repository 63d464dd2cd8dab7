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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from monitor.activity import DAYS, Activity, Trail, activity, alert_trail
from monitor.clock import Clock, utc_now
from monitor.config import Config
from monitor.errors import MonitorError, StoreError
from monitor.events import (
    ALERT_RAISED,
    ARTICLE_OBSERVED,
    EVENT_TYPES,
    RuleMuted,
    RuleUnmuted,
)
from monitor.notify.mutes import MuteRow, in_force_by_rule, listing
from monitor.notify.projection import OUTBOX, OutboxRow, for_alerts, summary
from monitor.store.events import Head, StoredEvent, VerifyResult
from monitor.store.headfile import HeadFile, tail_problem
from monitor.store.log import EventLog, count_events
from monitor.store.projections import (
    ARTICLES,
    OUTCOMES,
    OutcomeRow,
    alert_numbers,
    list_outcomes,
)
from monitor.store.schema import CHECKPOINTS, EVENTS, in_batches, iso_utc
from monitor.store.source_state import load_checks, load_states
from monitor.wiring import open_log

__all__ = [
    "CONSUMERS",
    "Alerts",
    "Holdings",
    "LatestItem",
    "Monitor",
    "RuleCounts",
    "UnknownEventType",
    "discard_new_store_on_failure",
    "source_health",
]

#: consumer → the event type it reads (its lag is counted in events of that type)
CONSUMERS = {"rules": ARTICLE_OBSERVED, "notify-queue": ALERT_RAISED}


def _published(conn: Connection, items: set[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    """When each item was published, from the articles read model (its latest version)."""
    found: dict[tuple[str, str], datetime] = {}
    for source in {s for s, _ in items}:
        for chunk in in_batches(i for s, i in items if s == source):
            rows = conn.execute(
                select(ARTICLES.c.item, ARTICLES.c.published).where(
                    ARTICLES.c.source == source, ARTICLES.c.item.in_(chunk)
                )
            )
            found.update({(source, r.item): r.published for r in rows if r.published})
    return found


@dataclass(frozen=True, slots=True)
class Holdings:
    """How much the log holds: events, alerts raised, the time of the last alert."""

    events: int
    alerts: int
    last_alert: datetime | None

    def describe(self) -> str:
        """One clause for a log line: "the log holds 21 events and 6 alerts (the last
        2025-06-01 08:00 UTC; `monitor alerts` lists them)"."""
        if not self.events:
            return "the log is empty"
        text = f"the log holds {self.events:,} event(s) and {self.alerts:,} alert(s)"
        if self.last_alert is not None:
            text += f" (the last {self.last_alert:%Y-%m-%d %H:%M} UTC; `monitor alerts` lists them)"
        return text


class UnknownEventType(MonitorError):
    """A ``--type`` that is neither a known event type nor in the log."""


@dataclass(frozen=True, slots=True)
class Alerts:
    """Recent outcomes, newest first, with each raised alert's notifications."""

    rows: list[OutcomeRow]
    deliveries: dict[int, list[OutboxRow]]
    #: (source, item) → when the item was published (absent: the source gave no time)
    published: dict[tuple[str, str], datetime] = field(default_factory=dict)
    #: a raised alert's seq → its number (:func:`~monitor.store.projections.alert_numbers`)
    numbers: dict[int, int] = field(default_factory=dict)

    def published_of(self, row: OutcomeRow) -> datetime | None:
        return self.published.get((row.source, row.item))


@dataclass(frozen=True, slots=True)
class LatestItem:
    """A source's newest observation (its last new item)."""

    item: str
    title: str
    url: str | None
    observed: datetime | None
    seq: int


@dataclass(frozen=True, slots=True)
class RuleCounts:
    """Each rule's outcomes by kind, its muted alerts and the mute in force."""

    #: (rule, outcome, reason, count, time of the last) for every kind of outcome
    outcomes: list[tuple[str, str, str | None, int, datetime | None]]
    #: rule → raised alerts recorded while it was muted (not sent)
    muted: dict[str, int]
    #: rule → the mute in force now
    mutes: dict[str, MuteRow]


class Monitor:
    """One store and the use cases on it: read the alerts, events, mutes and status; mute,
    unmute; verify and rebuild."""

    def __init__(self, log: EventLog, *, now: Clock = utc_now) -> None:
        self.log = log
        self.now = now

    @classmethod
    def open(
        cls,
        url: str,
        *,
        create: bool = False,
        read_models: bool = True,
        now: Clock = utc_now,
    ) -> Monitor:
        """The store at ``url`` with every read model (``create=False``: it must exist).

        ``read_models=False`` opens the bare log (``verify`` reads the chain
        only, and must not create or upgrade a table).
        """
        log = (
            open_log(url, create=create, now=now)
            if read_models
            else EventLog(url, create=False, now=now)
        )
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

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a few reads; a store that cannot be read is a
        :class:`~monitor.errors.StoreError` (the page answers 503 with it)."""
        with _store_errors(), self.log.engine.connect() as conn:
            yield conn

    def check_event_types(self, types: Sequence[str]) -> None:
        """Refuse a type that is neither known nor in the log, naming the ones there are."""
        unknown = [t for t in types if t not in EVENT_TYPES]
        if not unknown:
            return
        with self.reading() as conn:  # only for a type we do not know: one scan
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
        until: datetime | None = None,
        outcome: str | None = None,
    ) -> Alerts:
        """Recent outcomes (only raised ones unless ``show_all``, or only ``outcome``'s:
        ``raised`` or ``suppressed``), newest first, decided in ``[since, until)``."""
        with self.reading() as conn:
            rows = list_outcomes(
                conn,
                outcome=outcome or (None if show_all else "raised"),
                limit=limit,
                rules=rules,
                since=since,
                until=until,
            )
            alerts = [r.seq for r in rows if r.outcome == "raised"]
            deliveries = for_alerts(conn, alerts)
            published = _published(conn, {(r.source, r.item) for r in rows})
            numbers = alert_numbers(conn, alerts)
        return Alerts(rows, deliveries, published, numbers)

    def activity(self, days: int = DAYS) -> Activity:
        """Alerts per rule, source events and delivery delays per UTC day, the last ``days``
        up to today (:func:`monitor.activity.activity`)."""
        with self.reading() as conn:
            return activity(conn, self.now().astimezone(UTC).date(), days)

    def alert_trail(self, seq: int, max_attempts: int) -> Trail | None:
        """The outcome at position ``seq`` and every event of its story, or None when no
        outcome is there (:func:`monitor.activity.alert_trail`)."""
        with self.reading() as conn:
            return alert_trail(conn, seq, max_attempts)

    def mutes(self, *, rule: str | None = None, past: bool = False) -> list[MuteRow]:
        """The mutes in force now (with ``past``, every one recorded), newest first."""
        with self.reading() as conn:
            return listing(conn, self.now(), rule=rule, past=past)

    def status(self, config: Config) -> dict[str, Any]:
        """Sources, consumer lag, the outbox and the mutes in force (``monitor status``)."""
        with self.reading() as conn:
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

    def sources(self, config: Config) -> list[dict[str, Any]]:
        """Each configured source's health (:func:`source_health`) with its items and versions
        seen and its last new item (``latest``, a :class:`LatestItem` or ``None``)."""
        with self.reading() as conn:
            health = source_health(conn, config)
            counts = conn.execute(
                select(ARTICLES.c.source, func.count(), func.sum(ARTICLES.c.versions)).group_by(
                    ARTICLES.c.source
                )
            ).all()
            newest = select(func.max(ARTICLES.c.seq)).group_by(ARTICLES.c.source)
            last = {
                row.source: LatestItem(row.item, row.title, row.url, row.observed, row.seq)
                for row in conn.execute(
                    select(
                        ARTICLES.c.source,
                        ARTICLES.c.item,
                        ARTICLES.c.title,
                        ARTICLES.c.url,
                        ARTICLES.c.observed,
                        ARTICLES.c.seq,
                    ).where(ARTICLES.c.seq.in_(newest))
                )
            }
        seen = {str(src): (int(items), int(versions or 0)) for src, items, versions in counts}
        return [
            {
                **row,
                "items": seen.get(row["name"], (0, 0))[0],
                "versions": seen.get(row["name"], (0, 0))[1],
                "latest": last.get(row["name"]),
            }
            for row in health
        ]

    def rule_counts(self) -> RuleCounts:
        """Every rule's outcomes by kind, muted alerts and the mute in force now."""
        query = select(
            OUTCOMES.c.rule,
            OUTCOMES.c.outcome,
            OUTCOMES.c.reason,
            func.count(),
            func.max(OUTCOMES.c.time),
        ).group_by(OUTCOMES.c.rule, OUTCOMES.c.outcome, OUTCOMES.c.reason)
        muted = select(OUTBOX.c.rule, func.count(func.distinct(OUTBOX.c.alert_seq))).where(
            OUTBOX.c.status == "muted"
        )
        with self.reading() as conn:
            outcomes = [
                (str(rule), str(outcome), reason, int(n), last)
                for rule, outcome, reason, n, last in conn.execute(query)
            ]
            counts = {str(r): int(n) for r, n in conn.execute(muted.group_by(OUTBOX.c.rule))}
            mutes = in_force_by_rule(conn, self.now())
        return RuleCounts(outcomes, counts, mutes)

    def outbox_by_channel(self) -> list[tuple[str, str, int]]:
        """(channel, status, notifications) for every pair there is (the outbox's depth)."""
        with self.reading() as conn:
            rows = conn.execute(
                select(OUTBOX.c.channel, OUTBOX.c.status, func.count()).group_by(
                    OUTBOX.c.channel, OUTBOX.c.status
                )
            ).all()
        return [(str(c), str(st), int(n)) for c, st, n in rows]

    def holdings(self) -> Holdings:
        """What the log holds, for the daemon's start line: its events, the alerts raised
        and when the last one was (a second ``make run`` decides nothing new and would
        otherwise say nothing about the alerts already there)."""
        with self.reading() as conn:
            events = int(conn.execute(select(func.count()).select_from(EVENTS)).scalar_one())
            alerts, last = conn.execute(
                select(func.count(), func.max(OUTCOMES.c.time)).where(
                    OUTCOMES.c.outcome == "raised"
                )
            ).one()
        return Holdings(events, int(alerts), last)

    def head_seq(self) -> int:
        """The position of the log's last event (0 when empty)."""
        with self.reading() as conn:
            return int(conn.execute(select(func.coalesce(func.max(EVENTS.c.seq), 0))).scalar_one())

    def counts_between(
        self, after: int, end: int, types: Sequence[str]
    ) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, str, int]]]:
        """Events of ``types`` by (type, stream), and outcomes by (rule, outcome, reason),
        with positions in ``(after, end]``: a range of the primary key, so a count costs the
        events in it, not the log (``/metrics`` advances its totals this way)."""
        span = (EVENTS.c.seq > after) & (EVENTS.c.seq <= end)
        within = (OUTCOMES.c.seq > after) & (OUTCOMES.c.seq <= end)
        with self.reading() as conn:
            events = conn.execute(
                select(EVENTS.c.type, EVENTS.c.stream, func.count())
                .where(span & EVENTS.c.type.in_(list(types)))
                .group_by(EVENTS.c.type, EVENTS.c.stream)
            ).all()
            outcomes = conn.execute(
                select(OUTCOMES.c.rule, OUTCOMES.c.outcome, OUTCOMES.c.reason, func.count())
                .where(within)
                .group_by(OUTCOMES.c.rule, OUTCOMES.c.outcome, OUTCOMES.c.reason)
            ).all()
        return (
            [(str(t), str(st), int(n)) for t, st, n in events],
            [(str(r), str(o), reason or "", int(n)) for r, o, reason, n in outcomes],
        )

    def observed_since(self, since: datetime, decided_up_to: int) -> tuple[int, int, int, int]:
        """The articles observed since ``since``: the first and last position and how many
        the rule engine has decided (up to ``decided_up_to``), and how many it has not yet
        (0s when none): the period ``monitor backtest`` re-decides."""
        observed = (EVENTS.c.type == ARTICLE_OBSERVED) & (EVENTS.c.time >= iso_utc(since))
        with self.reading() as conn:
            first, last, count = conn.execute(
                select(func.min(EVENTS.c.seq), func.max(EVENTS.c.seq), func.count()).where(
                    observed & (EVENTS.c.seq <= decided_up_to)
                )
            ).one()
            undecided = conn.execute(
                select(func.count()).where(observed & (EVENTS.c.seq > decided_up_to))
            ).scalar_one()
        return int(first or 0), int(last or 0), int(count), int(undecided)

    def log_state(self) -> dict[str, Any]:
        """The log's head, its consumers' positions and lag, the outbox, and the *tail
        check*: the end of the log held against its witnesses (the head file beside a
        SQLite store, the consumers' checkpoints) and the append-only triggers.

        Not ``verify``: a few queries, never a walk over the chain. The
        witnesses are read *before* the end of the log, like ``verify`` does:
        each was true of the log earlier and an intact log only grows, so a
        concurrent append can never look like a cut tail. Times are datetimes.
        """
        log = self.log
        head_file = HeadFile(str(log.head_path).removesuffix(".head")) if log.head_path else None
        recorded: Head | None = None
        problems: list[str] = []
        file_problem = ""
        if head_file is not None:
            try:
                recorded = head_file.read()
            except StoreError as exc:  # an unreadable head file is itself a finding
                file_problem = str(exc)
        with self.reading() as conn:
            positions = {
                str(r.consumer): int(r.position)
                for r in conn.execute(select(CHECKPOINTS.c.consumer, CHECKPOINTS.c.position))
            }
            last = select(EVENTS.c.seq, EVENTS.c.hash, EVENTS.c.time)
            end = conn.execute(last.order_by(EVENTS.c.seq.desc()).limit(1)).first()
            end_seq = int(end.seq) if end is not None else 0
            if head_file is not None and recorded is not None:
                at = conn.execute(
                    select(EVENTS.c.hash).where(EVENTS.c.seq == recorded.seq)
                ).scalar()
                says = f"its head file {head_file.path} records"
                file_problem = tail_problem(end_seq, at, recorded, says)
            consumers = {}
            for name, position in sorted(positions.items()):
                if position > end_seq:
                    says = f"consumer {name!r} has read up to"
                    problems.append(tail_problem(end_seq, None, Head(position), says))
                event_type = CONSUMERS.get(name)
                lag = count_events(conn, position, [event_type] if event_type else None)
                consumers[name] = {"position": position, "lag": lag}
            outbox = summary(conn)
        if file_problem:
            problems.insert(0, file_problem)
        with _store_errors():
            missing = log.missing_guards()
        if missing:
            problems.append("append-only trigger(s) missing or disabled: " + ", ".join(missing))
        return {
            "store": log.url,
            "head": {
                "seq": end_seq,
                "hash": end.hash if end is not None else None,
                "time": datetime.fromisoformat(end.time) if end is not None else None,
            },
            "head_file": None
            if head_file is None
            else {
                "path": str(head_file.path),
                "seq": recorded.seq if recorded else None,
                "hash": recorded.hash if recorded else None,
                # None: nothing recorded yet (no append since the store was created here)
                "agrees": not file_problem if recorded is not None or file_problem else None,
            },
            "consumers": consumers,
            "outbox": outbox,
            "missing_guards": missing,
            "tail_check": {"ok": not problems, "problems": problems},
            "full_verify": "not run by the web page: `monitor verify` walks the whole chain",
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


@contextmanager
def _store_errors() -> Iterator[None]:
    """The database's own errors (locked past the timeout, unreachable) as a
    :class:`~monitor.errors.StoreError`, the one error the front door handles."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreError(str(exc)) from exc


def source_health(conn: Connection, config: Config) -> list[dict[str, Any]]:
    """Each configured source's state, as ``monitor status`` and the web page show it.

    The last poll is the later of the last recorded one (``sources``) and the
    daemon's last check (``source_checks``): a poll that found nothing new
    appends no event, yet it was a poll, and a healthy quiet feed must not
    look stalled. ``last_item_at`` is when the source last brought a new item or
    version (the newest observation in ``articles``): what "last success" was
    mistaken for, since a feed answering 304 is polling fine with nothing new.
    Times are datetimes (the caller formats them).
    """
    states = load_states(conn)
    checks = load_checks(conn)
    newest = dict(
        conn.execute(
            select(ARTICLES.c.source, func.max(ARTICLES.c.observed)).group_by(ARTICLES.c.source)
        ).all()
    )
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
                "last_item_at": newest.get(source.name),
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
