"""What the status page and ``/api/*`` show, read from the store as plain records.

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

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from monitor.app import CONSUMERS, source_health
from monitor.config import Config
from monitor.errors import StoreError
from monitor.front.output import delivery_record, outcome_record
from monitor.notify.mutes import in_force_by_rule
from monitor.notify.projection import OUTBOX, for_alerts, summary
from monitor.notify.templates import safe_link
from monitor.rules.watchlist import Watchlists
from monitor.store.events import Head
from monitor.store.headfile import HeadFile, tail_problem
from monitor.store.log import EventLog, count_events
from monitor.store.projections import ARTICLES, OUTCOMES, list_outcomes
from monitor.store.schema import CHECKPOINTS, EVENTS

__all__ = ["alerts", "iso", "log_state", "rules", "sources"]


def iso(when: datetime | None) -> str | None:
    """ISO-8601 text in UTC to the second; a naive time is the store's UTC."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


# -- alerts -----------------------------------------------------------------------


def alerts(conn: Connection, *, limit: int = 50, everything: bool = False) -> list[dict[str, Any]]:
    """The most recent outcomes, newest first: raised only, or ``everything`` (suppressed too).

    Each record is ``monitor alerts --format jsonl``'s (the same contract)
    plus its ``time`` and ``link`` (the URL when safe to link to) and, for a
    raised alert, its deliveries — each channel's state in the outbox.
    """
    rows = list_outcomes(conn, outcome=None if everything else "raised", limit=limit)
    deliveries = for_alerts(conn, [r.seq for r in rows if r.outcome == "raised"])
    return [
        {
            **outcome_record(r),
            "time": iso(r.time),
            "link": safe_link(r.url),
            "deliveries": [delivery_record(d) for d in deliveries.get(r.seq, [])],
        }
        for r in rows
    ]


# -- sources ----------------------------------------------------------------------


def sources(conn: Connection, config: Config) -> list[dict[str, Any]]:
    """Each configured source's health (as in ``monitor status``) and its last new item."""
    latest = _latest_items(conn)
    times = ("last_poll", "last_success", "retry_at")
    return [
        {
            **{k: iso(v) if k in times else v for k, v in row.items()},
            **latest.get(row["name"], {"items": 0, "versions": 0, "last_item": None}),
        }
        for row in source_health(conn, config)
    ]


def _latest_items(conn: Connection) -> dict[str, dict[str, Any]]:
    """Per source: items and versions seen, and the newest observation (the last new item)."""
    counts = conn.execute(
        select(ARTICLES.c.source, func.count(), func.sum(ARTICLES.c.versions)).group_by(
            ARTICLES.c.source
        )
    ).all()
    newest = select(func.max(ARTICLES.c.seq)).group_by(ARTICLES.c.source)
    last = {
        row.source: row
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
    out: dict[str, dict[str, Any]] = {}
    for source, items, versions in counts:
        row = last.get(source)
        out[source] = {
            "items": int(items),
            "versions": int(versions or 0),
            "last_item": None
            if row is None
            else {
                "item": row.item,
                "title": row.title,
                "link": safe_link(row.url),
                "observed": iso(row.observed),
                "seq": row.seq,
            },
        }
    return out


# -- rules ------------------------------------------------------------------------


def rules(conn: Connection, watchlists: Watchlists | None) -> list[dict[str, Any]]:
    """Each rule's outcomes: raised, and suppressed by reason (revision, same story, …).

    Also how many raised alerts were muted (recorded, not sent) and the mute
    in force now, if any.

    Rules that are loaded come first, in file order, with zero counts if they
    never fired; rules with outcomes in the log but no longer loaded follow,
    marked ``loaded: false`` — their history is still the log's.
    """
    counts: dict[str, dict[str, Any]] = {}
    query = select(
        OUTCOMES.c.rule,
        OUTCOMES.c.outcome,
        OUTCOMES.c.reason,
        func.count(),
        func.max(OUTCOMES.c.time),
    ).group_by(OUTCOMES.c.rule, OUTCOMES.c.outcome, OUTCOMES.c.reason)
    for rule, outcome, reason, n, last in conn.execute(query):
        entry = counts.setdefault(rule, _empty_counts())
        if outcome == "raised":
            entry["raised"] += int(n)
            entry["last_raised"] = _later(entry["last_raised"], iso(last))
        else:
            key = reason or "unspecified"
            entry["suppressed"][key] = entry["suppressed"].get(key, 0) + int(n)
            entry["suppressed_total"] += int(n)
        entry["last_outcome"] = _later(entry["last_outcome"], iso(last))
    muted = select(OUTBOX.c.rule, func.count(func.distinct(OUTBOX.c.alert_seq))).where(
        OUTBOX.c.status == "muted"
    )
    for rule, n in conn.execute(muted.group_by(OUTBOX.c.rule)):
        counts.setdefault(rule, _empty_counts())["muted"] = int(n)
    for rule, mute in in_force_by_rule(conn, datetime.now(UTC)).items():
        entry = counts.setdefault(rule, _empty_counts())
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
    for rule_id in sorted(counts):
        out.append(
            {
                "rule": rule_id,
                "loaded": False,
                "enabled": None,
                "severity": None,
                "description": "",
                "file": None,
                "digest": None,
                **counts[rule_id],
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


def log_state(log: EventLog) -> dict[str, Any]:
    """The log's head, its consumers' positions and the tail check (see the module docstring).

    The witnesses (head file, checkpoints) are read *before* the end of the
    log, like ``verify`` does: each was true of the log earlier and an intact
    log only grows, so a concurrent append can never look like a cut tail.
    """
    head_file = HeadFile(str(log.head_path).removesuffix(".head")) if log.head_path else None
    recorded: Head | None = None
    problems: list[str] = []
    file_problem = ""
    if head_file is not None:
        try:
            recorded = head_file.read()
        except StoreError as exc:  # an unreadable head file is itself a finding
            file_problem = str(exc)
    with log.engine.connect() as conn:
        positions = {
            str(r.consumer): int(r.position)
            for r in conn.execute(select(CHECKPOINTS.c.consumer, CHECKPOINTS.c.position))
        }
        last = select(EVENTS.c.seq, EVENTS.c.hash, EVENTS.c.time)
        end = conn.execute(last.order_by(EVENTS.c.seq.desc()).limit(1)).first()
        end_seq = int(end.seq) if end is not None else 0
        if head_file is not None and recorded is not None:
            at = conn.execute(select(EVENTS.c.hash).where(EVENTS.c.seq == recorded.seq)).scalar()
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
    missing = log.missing_guards()
    if missing:
        problems.append("append-only trigger(s) missing or disabled: " + ", ".join(missing))
    return {
        "store": log.url,
        "head": {
            "seq": end_seq,
            "hash": end.hash if end is not None else None,
            "time": iso(datetime.fromisoformat(end.time)) if end is not None else None,
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
