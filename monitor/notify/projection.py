"""The outbox read model: the ``outbox`` table and the queries over it.

:class:`OutboxProjection` folds the notification events that
:class:`monitor.notify.outbox.Outbox` records into one row per notification
— its current status, attempts, round and next attempt — inside the log's
append transaction, so the table never disagrees with the log and can be
rebuilt from it alone. The query helpers below are what ``Outbox.deliver``
reads to find due work and what ``monitor alerts`` / ``monitor status`` show.

Kept apart from the outbox's sending logic so that read-only callers (the CLI,
status reports, :func:`monitor.wiring.open_log`) need neither
channels nor templates to see the notifications' state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)

from monitor.events import (
    NOTIFICATION_DEAD,
    NOTIFICATION_FAILED,
    NOTIFICATION_QUEUED,
    NOTIFICATION_RETRIED,
    NOTIFICATION_SENT,
    NOTIFICATION_TYPES,
    NotificationDeadLettered,
    NotificationFailed,
    NotificationQueued,
    NotificationRetried,
    NotificationSent,
)
from monitor.store.events import StoredEvent, TableProjection
from monitor.store.schema import iso_utc

__all__ = [
    "NOTIFICATION_DEAD",
    "NOTIFICATION_FAILED",
    "NOTIFICATION_QUEUED",
    "NOTIFICATION_RETRIED",
    "NOTIFICATION_SENT",
    "NOTIFICATION_TYPES",
    "OUTBOX",
    "STATUSES",
    "OutboxProjection",
    "OutboxRow",
    "for_alerts",
    "get",
    "pending",
    "summary",
]

# The event types and their payloads are the catalogue's (monitor.events); the
# names are re-exported here for the code that imported them from this module.
STATUSES = ("queued", "failed", "sent", "dead")

OUTBOX = Table(
    "outbox",
    MetaData(),
    Column("notification", String(1000), primary_key=True),  # the NotificationQueued key
    Column("alert_seq", BigInteger, nullable=False, index=True),
    Column("alert_key", Text, nullable=False),
    Column("rule", String(200), nullable=False),
    Column("channel", String(200), nullable=False),
    Column("template", String(200)),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("round", Integer, nullable=False),
    Column("next_attempt", String(32)),  # fixed-width UTC ISO text: sorts as it compares
    Column("last_error", Text),
    Column("updated", String(32), nullable=False),
)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One notification's current state, as the projection holds it."""

    notification: str
    alert_seq: int
    alert_key: str
    rule: str
    channel: str
    template: str | None
    status: str
    attempts: int
    round: int
    next_attempt: str | None
    last_error: str | None
    updated: str


def _row(r: Any) -> OutboxRow:
    """A typed, immutable copy of a result row, so callers never hold a live row."""
    return OutboxRow(**dict(r._mapping))


class OutboxProjection(TableProjection):
    """Projector keeping the ``outbox`` table in step with the notification events."""

    tables = (OUTBOX,)

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        for ev in events:
            if ev.type not in NOTIFICATION_TYPES:
                continue
            when = iso_utc(ev.time)
            if ev.type == NOTIFICATION_QUEUED:
                queued = NotificationQueued.from_event(ev)
                conn.execute(
                    insert(OUTBOX).values(
                        notification=ev.key,
                        alert_seq=queued.alert_seq,
                        alert_key=queued.alert_key,
                        rule=queued.rule,
                        channel=queued.channel,
                        template=queued.template,
                        status="queued",
                        attempts=0,
                        round=0,
                        updated=when,
                    )
                )
                continue
            values: dict[str, Any] = {"updated": when}
            if ev.type == NOTIFICATION_SENT:
                sent = NotificationSent.from_event(ev)
                notification = sent.notification
                values.update(status="sent", attempts=sent.attempt, next_attempt=None)
            elif ev.type == NOTIFICATION_FAILED:
                failed = NotificationFailed.from_event(ev)
                notification = failed.notification
                values.update(
                    status="failed",
                    attempts=failed.attempt,
                    next_attempt=failed.next_attempt,
                    last_error=failed.error,
                )
            elif ev.type == NOTIFICATION_DEAD:
                notification = NotificationDeadLettered.from_event(ev).notification
                values.update(status="dead", next_attempt=None)
            else:
                retried = NotificationRetried.from_event(ev)
                notification = retried.notification
                values.update(status="queued", attempts=0, round=retried.round, next_attempt=None)
            conn.execute(update(OUTBOX).where(OUTBOX.c.notification == notification).values(values))


def pending(conn: Connection, now: datetime, *, limit: int = 100) -> list[OutboxRow]:
    """Notifications due at ``now``: queued, or failed with their next attempt reached."""
    due = (OUTBOX.c.status == "queued") | (
        (OUTBOX.c.status == "failed") & (OUTBOX.c.next_attempt <= iso_utc(now))
    )
    query = select(OUTBOX).where(due).order_by(OUTBOX.c.alert_seq, OUTBOX.c.channel).limit(limit)
    return [_row(r) for r in conn.execute(query)]


def summary(conn: Connection) -> dict[str, int]:
    """How many notifications are in each status (every status present, zeros included)."""
    counts = dict.fromkeys(STATUSES, 0)
    rows = conn.execute(select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status))
    counts.update({status: int(n) for status, n in rows})
    return counts


def for_alerts(conn: Connection, alert_seqs: Sequence[int]) -> dict[int, list[OutboxRow]]:
    """Each alert's notifications, by channel (for ``monitor alerts``)."""
    found: dict[int, list[OutboxRow]] = {}
    seqs = list(alert_seqs)
    for start in range(0, len(seqs), 500):
        chunk = seqs[start : start + 500]
        query = select(OUTBOX).where(OUTBOX.c.alert_seq.in_(chunk)).order_by(OUTBOX.c.channel)
        for r in conn.execute(query):
            row = _row(r)
            found.setdefault(row.alert_seq, []).append(row)
    return found


def get(conn: Connection, notification: str) -> OutboxRow | None:
    """One notification's row, re-read before sending to see whether it was handled meanwhile."""
    r = conn.execute(select(OUTBOX).where(OUTBOX.c.notification == notification)).first()
    return _row(r) if r is not None else None
