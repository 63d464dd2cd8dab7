"""What the log says happened lately, by day, and one alert's whole story.

The status page draws these (``/api/activity``, ``/alerts/<seq>``); they are
read here, from the log and its read models, so that the front door never
sees a table. Every query is bounded by the period, not the log: the first
event of the period is found by a binary search on positions (event times
grow with positions but for outcomes and clock skew: :func:`first_seq_since`),
and the counts read only the events after it — a page on a log of millions of events
still costs a few indexed reads plus the period's own events.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, func, select

from monitor.events import (
    ARTICLE_OBSERVED,
    NOTIFICATION_DEAD,
    SOURCE_FAILED,
    SOURCE_POLLED,
    Outcome,
    RuleFailed,
    names,
)
from monitor.notify.projection import OUTBOX, OutboxRow
from monitor.store.events import StoredEvent
from monitor.store.projections import OUTCOMES, OutcomeRow, alert_numbers
from monitor.store.schema import EVENTS, in_batches, iso_utc, row_to_event, rows_as

__all__ = ["DAYS", "Activity", "Trail", "activity", "alert_trail", "first_seq_since"]

#: The period the page's charts cover, in UTC days ending today.
DAYS = 14

#: How far a node's clock, or a poll's start, may run behind the log's order of appends.
CLOCK_MARGIN = timedelta(hours=1)

#: What a source's events count as, in the order the page draws them.
SOURCE_SERIES = {
    SOURCE_POLLED: "fetched",  # a poll that brought new entries or validators
    ARTICLE_OBSERVED: "new items",  # new items and new versions of items
    SOURCE_FAILED: "failures",
}


@dataclass(frozen=True, slots=True)
class DayLatency:
    """The notifications sent on one day and how long after their alert they went out."""

    sent: int
    median_s: float | None
    max_s: float | None


@dataclass(frozen=True, slots=True)
class Activity:
    """Counts per UTC day, oldest first; every series has one number per day."""

    days: list[date]
    #: rule → alerts raised per day
    alerts: dict[str, list[int]]
    #: source → series name (:data:`SOURCE_SERIES`) → events per day
    sources: dict[str, dict[str, list[int]]]
    #: per day: notifications sent (digests excluded) and their delay after the alert
    latency: list[DayLatency]


@dataclass(frozen=True, slots=True)
class Trail:
    """One outcome and every event of its story, in log order."""

    outcome: OutcomeRow
    #: the article's observation, the decision, and each notification's events
    events: list[StoredEvent]
    notifications: list[OutboxRow]
    #: a raised alert's number (:func:`~monitor.store.projections.alert_numbers`)
    number: int | None = None


def first_seq_since(conn: Connection, since: datetime) -> int:
    """A position at or before the first event of the period that starts at ``since``
    (one past the end when there is none): a binary search over positions, a few
    indexed reads; callers still filter what they count by day.

    Event times do not quite grow with positions, so the search is made on the
    times that nearly do: an outcome is stamped with its article's observation
    time (a rule engine catching up after a day down appends yesterday's
    times today), so outcomes are left out of the search — each comes after
    its article, which is searched — and a poll is stamped when it began,
    on its node's clock, so the search aims :data:`CLOCK_MARGIN` early.
    """
    target = iso_utc(since - CLOCK_MARGIN)
    end = int(conn.execute(select(func.coalesce(func.max(EVENTS.c.seq), 0))).scalar_one())
    searched = EVENTS.c.type.not_in(Outcome.TYPES + RuleFailed.TYPES)
    lo, hi = 1, end + 1
    while lo < hi:
        mid = (lo + hi) // 2
        first = conn.execute(
            select(EVENTS.c.time)
            .where((EVENTS.c.seq >= mid) & searched)
            .order_by(EVENTS.c.seq)
            .limit(1)
        ).scalar()
        if first is not None and str(first) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def activity(conn: Connection, today: date, days: int = DAYS) -> Activity:
    """Alerts per rule, source events per source and delivery delays, per day for ``days``
    UTC days up to ``today``."""
    period = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    start = datetime.combine(period[0], time(), tzinfo=UTC)
    first = first_seq_since(conn, start)
    index = {d.isoformat(): i for i, d in enumerate(period)}
    day = func.substr(EVENTS.c.time, 1, 10)

    alerts: dict[str, list[int]] = {}
    raised = (
        select(day, OUTCOMES.c.rule, func.count())
        .join(EVENTS, EVENTS.c.seq == OUTCOMES.c.seq)
        .where((OUTCOMES.c.seq >= first) & (OUTCOMES.c.outcome == "raised"))
        .group_by(day, OUTCOMES.c.rule)
    )
    for when, rule, n in conn.execute(raised):
        if str(when) in index:
            alerts.setdefault(str(rule), [0] * days)[index[str(when)]] += int(n)

    sources: dict[str, dict[str, list[int]]] = {}
    source_events = (
        select(day, EVENTS.c.type, EVENTS.c.stream, func.count())
        .where((EVENTS.c.seq >= first) & EVENTS.c.type.in_(list(SOURCE_SERIES)))
        .group_by(day, EVENTS.c.type, EVENTS.c.stream)
    )
    for when, kind, stream, n in conn.execute(source_events):
        source = names.source_of_stream(str(stream))
        if source is None or str(when) not in index:
            continue
        series = sources.setdefault(source, {name: [0] * days for name in SOURCE_SERIES.values()})
        series[SOURCE_SERIES[str(kind)]][index[str(when)]] += int(n)

    delays: list[list[float]] = [[] for _ in period]
    sent = (
        select(OUTBOX.c.updated, EVENTS.c.time)
        .join(EVENTS, EVENTS.c.seq == OUTBOX.c.alert_seq)
        .where(
            (OUTBOX.c.alert_seq >= first)
            & (OUTBOX.c.status == "sent")
            & OUTBOX.c.digest.is_(None)  # a digest waits for its time by design
        )
    )
    for sent_at, raised_at in conn.execute(sent):
        at = index.get(str(sent_at)[:10])
        if at is not None:
            gone = datetime.fromisoformat(str(sent_at)) - datetime.fromisoformat(str(raised_at))
            delays[at].append(max(gone.total_seconds(), 0.0))
    latency = [
        DayLatency(len(d), statistics.median(d) if d else None, max(d) if d else None)
        for d in delays
    ]
    return Activity(period, dict(sorted(alerts.items())), dict(sorted(sources.items())), latency)


def alert_trail(conn: Connection, seq: int, max_attempts: int) -> Trail | None:
    """The outcome at ``seq`` with its story: the article observed, the decision, and each
    notification queued, tried, failed, dead-lettered, retried, muted or sent.

    The notification events are found by their idempotency keys (indexed),
    built from the outbox's rows: every round up to the current one and
    every attempt up to ``max_attempts`` (or more, if the row's round made
    more, or an earlier round's dead letter says it did).
    """
    found = rows_as(OutcomeRow, conn.execute(select(OUTCOMES).where(OUTCOMES.c.seq == seq)))
    if not found:
        return None
    outcome = found[0]
    rows = rows_as(
        OutboxRow,
        conn.execute(
            select(OUTBOX).where(OUTBOX.c.alert_seq == seq).order_by(OUTBOX.c.notification)
        ),
    )
    alert_key = conn.execute(select(EVENTS.c.key).where(EVENTS.c.seq == seq)).scalar()
    keys: list[str] = []
    for row in rows:
        keys += _notification_keys(row, max_attempts)
        if alert_key is not None:
            keys.append(names.muted_key(str(alert_key), row.channel))
    positions = [seq] + ([outcome.article_seq] if outcome.article_seq > 0 else [])
    events = [
        row_to_event(r) for r in conn.execute(select(EVENTS).where(EVENTS.c.seq.in_(positions)))
    ]
    events += _by_keys(conn, keys)
    # a round that ended dead-lettered says how many attempts it made: more than
    # max_attempts when the setting was lowered since, and those are found too
    more: list[str] = []
    for e in events:
        if e.type == NOTIFICATION_DEAD and int(e.payload.get("attempt", 0)) > max_attempts:
            n, round_ = str(e.payload["notification"]), int(e.payload.get("round", 0))
            more += [
                names.failed_key(n, round_, a)
                for a in range(max_attempts + 1, int(e.payload["attempt"]) + 1)
            ]
    events += _by_keys(conn, more)
    unique = {e.seq: e for e in events}
    number = alert_numbers(conn, [seq])[seq] if outcome.outcome == "raised" else None
    return Trail(outcome, [unique[s] for s in sorted(unique)], rows, number)


def _by_keys(conn: Connection, keys: list[str]) -> list[StoredEvent]:
    found: list[StoredEvent] = []
    for batch in in_batches(keys):
        found += [
            row_to_event(r) for r in conn.execute(select(EVENTS).where(EVENTS.c.key.in_(batch)))
        ]
    return found


def _notification_keys(row: OutboxRow, max_attempts: int) -> list[str]:
    n = row.notification
    keys = [n, names.sent_key(n)]
    for round_ in range(row.round + 1):
        keys += [names.dead_key(n, round_), names.retried_key(n, round_)]
        keys += [
            names.failed_key(n, round_, attempt)
            for attempt in range(1, max(max_attempts, row.attempts) + 1)
        ]
    return keys
