"""The outbox: every notification is an event before it is sent, and after.

Two consumers of the log, all of their state in the log itself:

* :meth:`Outbox.queue` (consumer ``notify-queue``) turns each ``AlertRaised``
  into one ``NotificationQueued`` per target channel, with its checkpoint in
  the same transaction — a crash can neither lose nor duplicate a queued
  notification.
* :meth:`Outbox.deliver` sends what is due and records ``NotificationSent``,
  ``NotificationFailed`` (with the next attempt, exponential back-off capped
  at ``max_delay``) or, after ``max_attempts``, ``NotificationDeadLettered``.
  An operator re-queues dead letters with :meth:`Outbox.retry`
  (``NotificationRetried``, which starts a new *round* of attempts).

:class:`~monitor.notify.projection.OutboxProjection` (in
:mod:`monitor.notify.projection`) folds those events into the ``outbox`` table
that ``deliver`` reads and ``monitor alerts`` / ``monitor status`` show;
callers import its names from there.

Delivery guarantee, honestly: *at least once*, and exactly once unless the
process dies in the instant between the channel accepting a message and
``NotificationSent`` being committed — then that one notification is sent
again after the restart. No outbox can close that window without the
channel's cooperation (SMTP and Slack webhooks have no idempotency keys).
When the process does *not* die but the write of ``NotificationSent`` fails
(a store locked past its busy timeout, a dropped connection), the outcome is
kept in memory and retried as a write before anything else is delivered: the
message is never sent a second time for that.

Each send runs on a thread of its own and is waited for at most
``send_timeout``. A send that outlives it is abandoned and recorded as a
failure (retried with back-off like any other); while it is still running
the channel counts as busy and its other notifications wait for the next
pass instead of piling up threads behind it. Should the abandoned send
complete after all and the channel accept the message, ``NotificationSent``
is recorded then, so the retry does not send it again.
Everything else is exactly once: the ``sent:`` idempotency key, and on
PostgreSQL a per-notification advisory lock held across send-and-record, so
several daemons sharing one database never send the same notification twice.
(An advisory lock rather than ``SELECT … FOR UPDATE SKIP LOCKED`` on the
outbox row: the row is updated by the projector inside the log's append
transaction, on another connection, which would wait forever on our own row
lock.) On SQLite one daemon per database file is assumed; within a process a
lock serialises ``deliver``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import Connection

from monitor.backoff import exponential_backoff
from monitor.clock import Clock
from monitor.errors import ConfigError, TemplateError
from monitor.events import (
    ALERT_RAISED,
    NOTIFICATION_SENT,
    NotificationDeadLettered,
    NotificationFailed,
    NotificationMuted,
    NotificationQueued,
    NotificationRetried,
    NotificationSent,
    Outcome,
)
from monitor.notify.channels import Channel, ConsoleChannel, DeliveryResult
from monitor.notify.mutes import MutesProjection, in_force
from monitor.notify.projection import (
    OutboxProjection,
    OutboxRow,
    digest_members,
    for_alerts,
    get,
    pending,
    unit_name,
)
from monitor.notify.templates import Rendered, Templates
from monitor.store.consumer import consume
from monitor.store.events import NewEvent, StoredEvent
from monitor.store.locks import claim, try_lock
from monitor.store.log import EventLog, iso_utc
from monitor.store.projections import alert_numbers

__all__ = ["QUEUE_CONSUMER", "Outbox", "check_routes"]

log = logging.getLogger(__name__)

QUEUE_CONSUMER = "notify-queue"
_LOCK_SPACE = "monitor-outbox:"  # prefixes each notification's advisory-lock name


def routes_apply(channels: Mapping[str, Channel]) -> bool:
    """Whether rules' ``notify:`` lists must name configured channels: not when only the
    console fallback stands in for "no ``[channels]``" (every route leads to it)."""
    return not all(isinstance(c, ConsoleChannel) and c.fallback for c in channels.values())


def check_routes(
    rule_notify_lists: Mapping[str, Sequence[str] | None], channels: Mapping[str, Channel]
) -> None:
    """Fail at load when a rule's ``notify:`` names a channel the config lacks.

    With only the console fallback (no ``[channels]`` at all) every route
    leads to the console, so a watchlist written for production still runs
    on a laptop.
    """
    if not routes_apply(channels):
        return
    for rule, names in rule_notify_lists.items():
        for name in names or ():
            if name not in channels:
                known = ", ".join(sorted(channels)) or "none"
                raise ConfigError(
                    f"rule {rule!r} routes to unknown channel {name!r} (configured: {known})",
                    key="notify",
                )


class Outbox:
    """Queues notifications for raised alerts and delivers them, recording every step."""

    def __init__(
        self,
        log: EventLog,
        channels: Mapping[str, Channel],
        templates: Templates,
        *,
        max_attempts: int = 8,
        base_delay: timedelta = timedelta(seconds=30),
        max_delay: timedelta = timedelta(hours=1),
        clock: Clock | None = None,
        batch: int = 100,
        send_timeout: float = 30.0,
    ) -> None:
        for needed in (OutboxProjection, MutesProjection):
            if not any(isinstance(p, needed) for p in log.projectors):
                raise ValueError(f"the event log needs a {needed.__name__} among its projectors")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.log = log
        self.channels = dict(channels)
        self.templates = templates
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.clock = clock or log.now  # the log's clock unless a test gives its own
        self.batch = batch
        self.send_timeout = send_timeout
        self._lock = threading.Lock()
        #: called after each notification (the daemon's watchdog)
        self.heartbeat: Callable[[], None] | None = None
        #: set to abandon the send being waited for and end ``deliver`` (shutdown)
        self.interrupt = threading.Event()
        #: outcomes of sends the channel accepted whose append failed: written, never resent
        self._unrecorded: dict[str, list[NewEvent]] = {}
        #: per channel, the send abandoned after ``send_timeout`` and the notifications it was for
        self._abandoned: dict[str, tuple[str, list[OutboxRow], Future[DeliveryResult]]] = {}
        with log.transaction("creating the outbox's tables") as conn:
            OutboxProjection().create(conn)
            MutesProjection().create(conn)

    # -- queueing -----------------------------------------------------------

    def targets(self, notify: Sequence[str] | None) -> list[str]:
        """The channels an alert goes to: its rule's ``notify:`` list, else every channel."""
        if all(isinstance(c, ConsoleChannel) and c.fallback for c in self.channels.values()):
            return sorted(self.channels)
        return list(dict.fromkeys(notify)) if notify else sorted(self.channels)

    def queue(self) -> int:
        """Queue notifications for alerts raised since the checkpoint; returns how many will
        be sent (a muted alert's ``NotificationMuted`` is recorded, not counted: "1
        notification queued" for an alert nobody will get would mislead the operator)."""
        before = self.log.head()
        consume(self.log, QUEUE_CONSUMER, [ALERT_RAISED], self._queue_batch, batch=self.batch)
        return sum(1 for _ in self.log.read(before, types=NotificationQueued.TYPES))

    def _queue_batch(self, alerts: Sequence[StoredEvent]) -> list[NewEvent]:
        """A batch of alerts' notifications, the mutes read on one connection."""
        with self.log.engine.connect() as conn:
            return [ev for alert in alerts for ev in self._queued(conn, alert)]

    def _queued(self, conn: Connection, alert: StoredEvent) -> list[NewEvent]:
        """One notification per target channel: muted, held for a digest, or due now.

        Both choices are made from the log alone — the mutes recorded before
        the alert, the digest schedule the alert carries and its time — so
        queueing the same alert again decides the same.
        """
        raised = Outcome.from_event(alert)
        rule, template = raised.rule, raised.template
        channels = self.targets(raised.notify)
        mute = in_force(conn, rule, alert.seq, alert.time)
        if mute is not None:
            until = datetime.fromisoformat(mute.until)
            log.info("alert #%d (%s) is muted until %s: not sent", alert.seq, rule, mute.until)
            return [
                NotificationMuted(alert.seq, alert.key, rule, channel, mute.mute, until).to_event()
                for channel in channels
            ]
        digest = None
        if raised.digest is not None:
            try:
                digest = raised.digest.next_after(alert.time)
            except ValueError as exc:  # a zone this host's tzdata lacks: send, do not stall
                log.error("alert #%d (%s): digest ignored, sent now: %s", alert.seq, rule, exc)
        return [
            NotificationQueued(
                alert.seq, alert.key, rule, channel, template, digest=digest
            ).to_event()
            for channel in channels
        ]

    # -- delivering ---------------------------------------------------------

    def backoff(self, attempt: int) -> timedelta:
        """Delay after failed attempt ``attempt`` (1-based): doubling from ``base_delay``.

        No jitter: retries are per notification and already spread by when
        each alert was raised.
        """
        return exponential_backoff(self.base_delay, attempt, self.max_delay)

    def deliver(self, now: datetime | None = None) -> int:
        """Send every notification due at ``now``; returns how many were delivered.

        On SQLite a file lock keeps a second process (``monitor poll`` beside
        the daemon) from sending the same notifications; PostgreSQL claims
        each notification with its own advisory lock instead.
        """
        if self.log.dialect == "postgresql":
            return self._deliver(now)
        with try_lock(self.log, "notify") as mine:
            return self._deliver(now) if mine else 0

    def _deliver(self, now: datetime | None) -> int:
        delivered = 0
        with self._lock:
            delivered += self._record_pending()
            now = now or self.clock()
            with self.log.engine.connect() as conn:
                due = pending(conn, now, limit=self.batch)
            rendered: dict[tuple[str, str | None], Rendered | TemplateError] = {}
            busy: set[str] = set()
            done: set[str] = set()
            for row in due:
                if self.interrupt.is_set():
                    break
                name = unit_name(row)
                if name in self._unrecorded or name in done or row.channel in busy:
                    continue
                if self._busy(row.channel):
                    busy.add(row.channel)
                    log.warning(
                        "channel %s: an abandoned send has not returned; "
                        "its notifications wait for the next pass",
                        row.channel,
                    )
                    continue
                done.add(name)
                with self._claim(name) as claimed:
                    if not claimed:
                        continue  # another daemon has it in hand
                    rows = self._current(row, now)
                    if not rows:
                        continue  # handled meanwhile
                    result = self._send(name, rows, rendered)
                    if result is None:
                        break  # interrupted: the notification stays due, retried after restart
                    events = [ev for r in rows for ev in self._outcome(r, result, now)]
                    self._append_outcome(name, events, result.ok)
                    delivered += len(rows) if result.ok else 0
                    if self.heartbeat is not None:
                        self.heartbeat()  # a slow channel is progress, not a hang
        return delivered

    def _current(self, row: OutboxRow, now: datetime) -> list[OutboxRow]:
        """What to send for ``row``, re-read under its claim: [] if it was handled meanwhile.

        A digest member stands for its whole digest: every member still due.
        """
        with self.log.engine.connect() as conn:
            if row.digest is not None:
                return digest_members(conn, row, now=now)
            current = get(conn, row.notification)
        if current is None or (current.status, current.attempts, current.round) != (
            row.status,
            row.attempts,
            row.round,
        ):
            return []
        return [current]

    def _append_outcome(self, notification: str, events: list[NewEvent], sent: bool) -> None:
        """Record a send's outcome; a sent message whose record fails is kept to be written.

        A failed send whose record fails is simply due again: sending it again
        is right, since the channel did not take it.
        """
        try:
            self.log.append(events)
        except Exception:
            if sent:
                self._unrecorded[notification] = events
                log.error(
                    "notification %s was sent but could not be recorded; "
                    "the record is retried, the message is not sent again",
                    notification,
                )
            raise

    def _record_pending(self) -> int:
        """Write outcomes that could not be recorded before, and late results of abandoned sends.

        Returns how many of them were deliveries. Raises (leaving them kept) if
        the store still refuses: nothing else is sent until they are written.
        """
        delivered = 0
        for name, events in list(self._unrecorded.items()):
            self.log.append(events)
            del self._unrecorded[name]
            delivered += sum(ev.type == NOTIFICATION_SENT for ev in events)
        for channel, (name, rows, future) in list(self._abandoned.items()):
            if not future.done():
                continue
            del self._abandoned[channel]
            result = future.result()
            if not result.ok:
                continue
            late = DeliveryResult(
                True, f"{result.detail} after its {self.send_timeout:g} s timeout"
            )
            events = []
            with self.log.engine.connect() as conn:
                currents = [(row, get(conn, row.notification)) for row in rows]
            for row, current in currents:
                if current is None or current.status == "sent" or current.round != row.round:
                    continue
                # the attempt that timed out is the one that got through
                got_through = row.model_copy(update={"attempts": current.attempts - 1})
                events += self._outcome(got_through, late, self.clock())
            if events:
                self._append_outcome(name, events, True)
                delivered += sum(ev.type == NOTIFICATION_SENT for ev in events)
        return delivered

    def _busy(self, channel: str) -> bool:
        held = self._abandoned.get(channel)
        return held is not None and not held[2].done()

    def _send(
        self,
        name: str,
        rows: list[OutboxRow],
        cache: dict[tuple[str, str | None], Rendered | TemplateError],
    ) -> DeliveryResult | None:
        """Render (once per alert or digest and template set) and send within ``send_timeout``.

        ``rows`` is one notification, or the members of one digest (one
        message for all of them). Never raises; returns None when
        :attr:`interrupt` was set while waiting.
        """
        first = rows[0]
        channel = self.channels.get(first.channel)
        if channel is None:
            return DeliveryResult(False, f"channel {first.channel!r} is not configured")
        key = (name if first.digest is not None else first.alert_key, first.template)
        if key not in cache:
            cache[key] = self._render(rows)
        rendered = cache[key]
        if isinstance(rendered, TemplateError):
            return DeliveryResult(False, str(rendered))
        future = _start_send(channel, rendered, first.channel)
        deadline = time.monotonic() + self.send_timeout
        while not future.done():
            left = deadline - time.monotonic()
            if left <= 0:
                self._abandoned[first.channel] = (name, rows, future)
                return DeliveryResult(
                    False,
                    f"{first.channel}: no answer within {self.send_timeout:g} s; send abandoned",
                )
            if self.interrupt.wait(min(left, 0.1)):
                self._abandoned[first.channel] = (name, rows, future)
                return None
        return future.result()

    def _render(self, rows: list[OutboxRow]) -> Rendered | TemplateError:
        """The message for one notification, or one digest of several alerts."""
        first = rows[0]
        try:
            alerts: list[tuple[Outcome, StoredEvent]] = []
            for row in rows:
                alert = self.log.get_by_key(row.alert_key)
                if alert is None:
                    raise TemplateError("the alert event is missing", name=row.alert_key)
                alerts.append((Outcome.from_event(alert), alert))
            with self.log.engine.connect() as conn:
                numbers = alert_numbers(conn, [alert.seq for _, alert in alerts])
            if first.digest is None:
                outcome, alert = alerts[0]
                return self.templates.render(
                    outcome,
                    first.template,
                    seq=alert.seq,
                    time=alert.time,
                    number=numbers[alert.seq],
                )
            return self.templates.render_digest(
                [(outcome, alert.seq, alert.time) for outcome, alert in alerts],
                first.template,
                time=datetime.fromisoformat(first.digest),
                schedule=alerts[-1][0].digest,
                numbers=numbers,
            )
        except TemplateError as exc:
            return exc
        except (KeyError, TypeError, ValueError) as exc:  # a payload no record can read
            reason = f"the alert's payload cannot be read: {type(exc).__name__}: {exc}"
            return TemplateError(reason, name=first.alert_key)

    def _outcome(self, row: OutboxRow, result: DeliveryResult, now: datetime) -> list[NewEvent]:
        attempt = row.attempts + 1
        base = (row.notification, row.alert_seq, row.rule, row.channel, attempt, row.round)
        if result.ok:
            log.info(
                "alert #%d (%s) sent to %s: %s", row.alert_seq, row.rule, row.channel, result.detail
            )
            return [NotificationSent(*base, detail=result.detail).to_event()]
        dead = attempt >= self.max_attempts
        next_attempt = None if dead else iso_utc(now + self.backoff(attempt))
        log.warning(
            "alert #%d (%s) to %s failed (attempt %d/%d): %s",
            row.alert_seq,
            row.rule,
            row.channel,
            attempt,
            self.max_attempts,
            result.detail,
        )
        failed = NotificationFailed(*base, error=result.detail, next_attempt=next_attempt)
        events = [failed.to_event()]
        if dead:
            events.append(NotificationDeadLettered(*base, error=result.detail).to_event())
        return events

    def _claim(self, notification: str) -> AbstractContextManager[bool]:
        """Hold a per-notification (or per-digest) PostgreSQL advisory lock across send and record.

        A session-level lock (:func:`monitor.store.locks.claim`), so the append
        (on another connection) is committed before the lock is released and
        the next daemon to take it sees the notification as sent. On SQLite
        it is always True: ``deliver`` holds the file lock already.
        """
        return claim(self.log, _LOCK_SPACE + notification)

    # -- operating ----------------------------------------------------------

    def retry(self, target: int | str) -> int:
        """Re-queue dead letters: all of an alert's (by alert seq) or one (by notification key).

        Returns how many were re-queued; notifications that are not dead are
        left alone, so retrying twice is harmless. A digest failed as one
        message, so retrying one of its alerts retries the digest.
        """
        with self.log.engine.connect() as conn:
            if isinstance(target, int) or target.isdigit():
                rows = for_alerts(conn, [int(target)]).get(int(target), [])
            else:
                found = get(conn, target)
                rows = [found] if found is not None else []
            # a digest failed as one message: its dead members are retried together
            rows += [
                member
                for row in rows
                if row.digest is not None and row.status == "dead"
                for member in digest_members(conn, row, dead=True)
            ]
        rows = list({row.notification: row for row in rows}.values())
        events = [
            NotificationRetried(
                row.notification, row.alert_seq, row.rule, row.channel, row.round + 1
            ).to_event()
            for row in rows
            if row.status == "dead"
        ]
        return len(self.log.append(events)) if events else 0

    def adopt(self, previous: Outbox) -> None:
        """Take over what a replaced outbox (before a reload) still has in hand."""
        with previous._lock:
            self._unrecorded.update(previous._unrecorded)
            self._abandoned.update(previous._abandoned)

    def run(self, now: datetime | None = None) -> tuple[int, int]:
        """Queue, then deliver: one pass of the outbox (``monitor poll``, the daemon's timer)."""
        return self.queue(), self.deliver(now)


def _start_send(channel: Channel, rendered: Rendered, name: str) -> Future[DeliveryResult]:
    """Send on a daemon thread of its own: a send that hangs can be abandoned, never joined.

    A daemon thread, not a pool: an abandoned send must not keep the process
    alive at exit, and a pool would queue the next sends behind a hung one.
    """
    future: Future[DeliveryResult] = Future()

    def work() -> None:
        try:
            result = channel.send(rendered)
        except Exception as exc:  # a broken channel must not stop the others
            result = DeliveryResult(False, channel.scrub(f"{name}: {type(exc).__name__}: {exc}"))
        future.set_result(result)

    threading.Thread(target=work, name=f"send-{name}", daemon=True).start()
    return future
