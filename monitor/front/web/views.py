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

from datetime import UTC, datetime
from typing import Any

from monitor.app import Monitor
from monitor.config import Config
from monitor.front.output import delivery_record, replay_record
from monitor.notify.templates import safe_link
from monitor.rules.watchlist import Watchlists

__all__ = ["alerts", "iso", "log_state", "rules", "sources"]


def iso(when: datetime | None) -> str | None:
    """ISO-8601 text in UTC to the second; a naive time is the store's UTC."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


# -- alerts -----------------------------------------------------------------------


def alerts(app: Monitor, *, limit: int = 50, everything: bool = False) -> list[dict[str, Any]]:
    """The most recent outcomes, newest first: raised only, or ``everything`` (suppressed too).

    Each record is ``monitor alerts --format jsonl``'s (the same contract)
    plus its ``time`` and ``link`` (the URL when safe to link to) and, for a
    raised alert, its deliveries — each channel's state in the outbox.
    """
    found = app.alerts(show_all=everything, limit=limit)
    return [
        {
            **replay_record(r, found.published_of(r)),
            "time": iso(r.time),
            "link": safe_link(r.url),
            "deliveries": [delivery_record(d) for d in found.deliveries.get(r.seq, [])],
        }
        for r in found.rows
    ]


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
