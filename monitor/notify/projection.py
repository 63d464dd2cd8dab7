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
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Table, Text, func, insert, select, update
from sqlmodel import Field, SQLModel

from monitor.events import (
    NOTIFICATION_DEAD,
    NOTIFICATION_FAILED,
    NOTIFICATION_MUTED,
    NOTIFICATION_QUEUED,
    NOTIFICATION_RETRIED,
    NOTIFICATION_SENT,
    NOTIFICATION_TYPES,
    NotificationDeadLettered,
    NotificationFailed,
    NotificationMuted,
    NotificationQueued,
    NotificationRetried,
    NotificationSent,
)
from monitor.store.events import StoredEvent
from monitor.store.readmodels import TableProjection
from monitor.store.schema import in_batches, iso_utc, table_of

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
    "digest_members",
    "for_alerts",
    "get",
    "pending",
    "unit_name",
    "summary",
]

# The event types and their payloads are the catalogue's (monitor.events); the
# names are re-exported here for the code that imported them from this module.
#: a notification's states: ``muted`` ones were never queued (their rule was muted)
STATUSES = ("queued", "failed", "sent", "dead", "muted")


class OutboxRow(SQLModel, table=True):
    """One notification's current state, as the projection holds it.

    Times are fixed-width UTC ISO text, which sorts as it compares.
    ``next_attempt`` is when a queued or failed notification is due (None:
    now); a digest member's is its digest's time until it is first tried.
    ``digest`` names the digest a notification belongs to (its time), and
    ``mute`` the mute that kept a ``muted`` one from being queued.
    """

    __tablename__ = "outbox"
    notification: str = Field(primary_key=True, max_length=1000)  # the NotificationQueued key
    alert_seq: int = Field(sa_type=BigInteger, index=True)
    alert_key: str = Field(sa_type=Text)
    rule: str = Field(max_length=200)
    channel: str = Field(max_length=200)
    template: str | None = Field(default=None, max_length=200)
    status: str = Field(max_length=16, index=True)
    attempts: int = 0
    round: int = 0
    next_attempt: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, sa_type=Text)
    updated: str = Field(max_length=32)
    digest: str | None = Field(default=None, max_length=32)
    mute: str | None = Field(default=None, sa_type=Text)


OUTBOX: Table = table_of(OutboxRow)


def _row(r: Any) -> OutboxRow:
    """A typed copy of a result row, so callers never hold a live row."""
    return OutboxRow.model_validate(dict(r._mapping))


class OutboxProjection(TableProjection):
    """Projector keeping the ``outbox`` table in step with the notification events."""

    tables = (OUTBOX,)
    version = 2  # 2: digest and mute columns, the muted status

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        for ev in events:
            if ev.type not in NOTIFICATION_TYPES:
                continue
            when = iso_utc(ev.time)
            if ev.type in (NOTIFICATION_QUEUED, NOTIFICATION_MUTED):
                conn.execute(insert(OUTBOX).values(_new_row(ev, when)))
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


def _new_row(ev: StoredEvent, when: str) -> dict[str, Any]:
    """A notification's first row: queued (due now, or at its digest's time), or muted."""
    new: NotificationQueued | NotificationMuted
    if ev.type == NOTIFICATION_QUEUED:
        new = NotificationQueued.from_event(ev)
        digest = iso_utc(new.digest) if new.digest is not None else None
        state = {
            "status": "queued",
            "template": new.template,
            "next_attempt": digest,
            "digest": digest,
        }
    else:
        new = NotificationMuted.from_event(ev)
        state = {"status": "muted", "mute": new.mute}
    return {
        "notification": ev.key,
        "alert_seq": new.alert_seq,
        "alert_key": new.alert_key,
        "rule": new.rule,
        "channel": new.channel,
        "attempts": 0,
        "round": 0,
        "updated": when,
        **state,
    }


def _due(now: datetime) -> Any:
    """Queued or failed, and the next attempt (a digest's time, a retry's) reached or unset."""
    return OUTBOX.c.status.in_(("queued", "failed")) & (
        OUTBOX.c.next_attempt.is_(None) | (OUTBOX.c.next_attempt <= iso_utc(now))
    )


def pending(conn: Connection, now: datetime, *, limit: int = 100) -> list[OutboxRow]:
    """Notifications due at ``now``: queued, or failed with their next attempt reached."""
    query = (
        select(OUTBOX).where(_due(now)).order_by(OUTBOX.c.alert_seq, OUTBOX.c.channel).limit(limit)
    )
    return [_row(r) for r in conn.execute(query)]


def unit_name(row: OutboxRow) -> str:
    """What is sent as one message: the notification, or its digest (rule, channel, time).

    The digest's name is also its claim's lock name on PostgreSQL.
    """
    if row.digest is None:
        return row.notification
    return f"digest:{row.rule}:{row.channel}:{row.digest}"


def digest_members(
    conn: Connection, row: OutboxRow, *, now: datetime | None = None, dead: bool = False
) -> list[OutboxRow]:
    """``row``'s digest's notifications (same rule, channel and time): due at ``now``, or dead."""
    if dead:
        state = OUTBOX.c.status == "dead"
    else:
        state = _due(now) if now is not None else OUTBOX.c.status.in_(("queued", "failed"))
    query = (
        select(OUTBOX)
        .where(
            state,
            OUTBOX.c.rule == row.rule,
            OUTBOX.c.channel == row.channel,
            OUTBOX.c.digest == row.digest,
        )
        .order_by(OUTBOX.c.alert_seq)
    )
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
    for chunk in in_batches(alert_seqs):
        query = select(OUTBOX).where(OUTBOX.c.alert_seq.in_(chunk)).order_by(OUTBOX.c.channel)
        for r in conn.execute(query):
            row = _row(r)
            found.setdefault(row.alert_seq, []).append(row)
    return found


def get(conn: Connection, notification: str) -> OutboxRow | None:
    """One notification's row, re-read before sending to see whether it was handled meanwhile."""
    r = conn.execute(select(OUTBOX).where(OUTBOX.c.notification == notification)).first()
    return _row(r) if r is not None else None
