"""What the status page and ``/api/*`` show, read through the application as plain records.

Each function returns JSON-able dicts (times as ISO-8601 text in UTC), so
one reading serves both the HTML page and the JSON API and the two never
disagree. Everything comes from read models, checkpoints and the head file —
never from a walk over the log — so a page costs a few indexed queries even
on a log of millions of events, and stays quick while the daemon is behind,
which is when an operator looks.

The log's integrity shown here is the *tail check*, not ``monitor verify``:
the end of the log held against its witnesses (the head file beside a
SQLite store, the consumers' checkpoints) and the append-only triggers. It
catches a cut or rewritten tail and a dropped trigger in a few queries; a
full chain walk reads every event and stays an operator's command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from monitor.app import Monitor
from monitor.config import Config
from monitor.events import ARTICLE_OBSERVED, ArticleHead, names
from monitor.front.output import delivery_record, replay_record
from monitor.front.web import charts as draw
from monitor.notify.templates import safe_link
from monitor.rules.watchlist import Watchlists
from monitor.store.events import StoredEvent

__all__ = [
    "AlertFilter",
    "activity",
    "alerts",
    "charts",
    "iso",
    "log_state",
    "rules",
    "sources",
    "trail",
]


def iso(when: datetime | None) -> str | None:
    """ISO-8601 text in UTC to the second; a naive time is the store's UTC."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


# -- alerts -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which outcomes a list shows: the page's and ``/api/alerts``' query parameters."""

    limit: int = 50
    #: raised, suppressed, or None for both
    outcome: str | None = "raised"
    rule: str | None = None
    #: UTC days, both included
    since: date | None = None
    until: date | None = None


def alerts(app: Monitor, where: AlertFilter | None = None) -> list[dict[str, Any]]:
    """The most recent outcomes that pass ``where``, newest first (raised ones by default).

    Each record is ``monitor alerts --format jsonl``'s (the same contract)
    plus its ``time`` and ``link`` (the URL when safe to link to) and, for a
    raised alert, its deliveries — each channel's state in the outbox.
    """
    where = where or AlertFilter()
    found = app.alerts(
        show_all=where.outcome is None,
        outcome=where.outcome,
        limit=where.limit,
        rules=[where.rule] if where.rule else [],
        since=_midnight(where.since),
        until=_midnight(where.until + timedelta(days=1) if where.until else None),
    )
    return [
        {
            **replay_record(r, found.published_of(r)),
            "number": found.numbers.get(r.seq),
            "time": iso(r.time),
            "link": safe_link(r.url),
            "deliveries": [delivery_record(d) for d in found.deliveries.get(r.seq, [])],
        }
        for r in found.rows
    ]


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day is not None else None


def trail(app: Monitor, seq: int, max_attempts: int) -> dict[str, Any] | None:
    """One outcome (as in :func:`alerts`) with ``trail``: every event of its story, in log
    order — observed, decided, queued, each attempt, sent — each with its position."""
    found = app.alert_trail(seq, max_attempts)
    if found is None:
        return None
    row = found.outcome
    heads = [h for e in found.events if (h := _article(e)) is not None]
    return {
        **replay_record(row, heads[0].published if heads else None),
        "number": found.number,
        "time": iso(row.time),
        "link": safe_link(row.url),
        "deliveries": [delivery_record(d) for d in found.notifications],
        "trail": [
            {"seq": e.seq, "time": iso(e.time), "type": e.type, "what": _step(e)}
            for e in found.events
        ],
    }


def _step(event: StoredEvent) -> str:
    """What one event of an alert's story says, in a few words."""
    p = event.payload
    channel = p.get("channel", "")
    attempt = f"attempt {p.get('attempt')}" if p.get("attempt") else ""
    match event.type:
        case names.ARTICLE_OBSERVED:
            head = _article(event)
            return f"observed: item {head.item} of source {head.source}" if head else "observed"
        case names.ALERT_RAISED:
            return "decided: raised"
        case names.ALERT_SUPPRESSED:
            return f"decided: suppressed ({p.get('reason') or 'no reason given'})"
        case names.NOTIFICATION_QUEUED:
            return f"queued for {channel}"
        case names.NOTIFICATION_MUTED:
            return f"not sent to {channel}: the rule was muted"
        case names.NOTIFICATION_FAILED:
            return f"{attempt} to {channel} failed: {p.get('error', '')}".strip()
        case names.NOTIFICATION_DEAD:
            return f"dead-lettered for {channel} after {attempt}: {p.get('error', '')}".strip()
        case names.NOTIFICATION_RETRIED:
            return f"retried by an operator for {channel} (round {p.get('round')})"
        case names.NOTIFICATION_SENT:
            return f"sent to {channel} ({attempt})"
    return event.type


def _article(event: StoredEvent) -> ArticleHead | None:
    """The article an ``ArticleObserved`` event holds (None for another event, or a payload
    too malformed to read: the trail still shows the event)."""
    if event.type != ARTICLE_OBSERVED:
        return None
    try:
        return ArticleHead.from_event(event)
    except (KeyError, TypeError, ValueError):
        return None


def activity(app: Monitor) -> dict[str, Any]:
    """The charts' numbers: per UTC day, alerts per rule, each source's fetches, new items
    and failures, and how long after its alert each notification was sent."""
    found = app.activity()
    return {
        "days": [d.isoformat() for d in found.days],
        "alerts": found.alerts,
        "sources": found.sources,
        "latency": [
            {"sent": d.sent, "median_s": d.median_s, "max_s": d.max_s} for d in found.latency
        ],
    }


def charts(found: dict[str, Any]) -> dict[str, Any]:
    """The page's charts drawn from :func:`activity`'s numbers (:mod:`.charts`)."""
    days = found["days"]
    colours = {"fetched": "c1", "new items": "c0", "failures": "fail"}
    return {
        "days": len(days),
        "alerts": draw.stacked(days, found["alerts"], "alert(s)"),
        "sources": {
            name: draw.grouped(days, series, colours) for name, series in found["sources"].items()
        },
        "latency": draw.latency(days, found["latency"]),
    }


# -- sources ----------------------------------------------------------------------


def sources(app: Monitor, config: Config) -> list[dict[str, Any]]:
    """Each configured source's health (as in ``monitor status``) and its last new item."""
    times = ("last_poll", "last_success", "last_item_at", "retry_at")
    out = []
    for row in app.sources(config):
        latest = row.pop("latest")
        out.append(
            {
                **{k: iso(v) if k in times else v for k, v in row.items()},
                "last_item": None
                if latest is None
                else {
                    "item": latest.item,
                    "title": latest.title,
                    "link": safe_link(latest.url),
                    "observed": iso(latest.observed),
                    "seq": latest.seq,
                },
            }
        )
    return out


# -- rules ------------------------------------------------------------------------


def rules(app: Monitor, watchlists: Watchlists | None) -> list[dict[str, Any]]:
    """Each rule's outcomes: raised, and suppressed by reason (revision, same story, …).

    Also how many raised alerts were muted (recorded, not sent) and the mute
    in force now, if any.

    Rules that are loaded come first, in file order, with zero counts if they
    never fired; rules with outcomes in the log but no longer loaded follow,
    marked ``loaded: false`` — their history is still the log's.
    """
    found = app.rule_counts()
    counts: dict[str, dict[str, Any]] = {}
    for rule_id, outcome, reason, n, last in found.outcomes:
        entry = counts.setdefault(rule_id, _empty_counts())
        if outcome == "raised":
            entry["raised"] += n
            entry["last_raised"] = _later(entry["last_raised"], iso(last))
        else:
            key = reason or "unspecified"
            entry["suppressed"][key] = entry["suppressed"].get(key, 0) + n
            entry["suppressed_total"] += n
        entry["last_outcome"] = _later(entry["last_outcome"], iso(last))
    for rule_id, n in found.muted.items():
        counts.setdefault(rule_id, _empty_counts())["muted"] = n
    for rule_id, mute in found.mutes.items():
        entry = counts.setdefault(rule_id, _empty_counts())
        entry["mute"] = {"until": mute.ends, "reason": mute.reason, "by": mute.by}
    out = []
    loaded = watchlists.rules if watchlists is not None else []
    for rule in loaded:
        out.append(
            {
                "rule": rule.id,
                "loaded": True,
                "enabled": rule.spec.enabled,
                "severity": rule.severity,
                "description": rule.spec.description,
                "file": rule.path.name,
                "digest": rule.spec.digest.schedule.describe() if rule.spec.digest else None,
                **counts.pop(rule.id, _empty_counts()),
            }
        )
    for unloaded in sorted(counts):
        out.append(
            {
                "rule": unloaded,
                "loaded": False,
                "enabled": None,
                "severity": None,
                "description": "",
                "file": None,
                "digest": None,
                **counts[unloaded],
            }
        )
    return out


def _empty_counts() -> dict[str, Any]:
    return {
        "raised": 0,
        "muted": 0,  # raised alerts not sent: their rule was muted
        "mute": None,  # the mute in force: until, reason, by
        "suppressed": {},
        "suppressed_total": 0,
        "last_raised": None,
        "last_outcome": None,
    }


def _later(a: str | None, b: str | None) -> str | None:
    return max(a, b) if a and b else a or b  # same-width ISO text compares as time


# -- the log ----------------------------------------------------------------------


def log_state(app: Monitor) -> dict[str, Any]:
    """The log's head, its consumers' positions and the tail check (see the module docstring
    and :meth:`monitor.app.Monitor.log_state`), times as ISO text."""
    state = app.log_state()
    return {**state, "head": {**state["head"], "time": iso(state["head"]["time"])}}
