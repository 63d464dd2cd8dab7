"""How outcomes and events look on a terminal and as JSON lines.

JSON lines are a contract (tests and tooling read them); the text format is
for people: rule, outcome, title, and the evidence with the matched words
highlighted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.text import Text

from monitor.events import Outcome
from monitor.notify.mutes import MuteRow
from monitor.notify.projection import OutboxRow
from monitor.store.events import StoredEvent
from monitor.store.projections import OutcomeRow

_STYLE = {"raised": "bold red", "suppressed": "yellow"}


def outcome_record(row: OutcomeRow) -> dict[str, Any]:
    """The JSON object for one rule outcome (``monitor replay --format jsonl``)."""
    return {
        "rule": row.rule,
        "outcome": row.outcome,
        "reason": row.reason,
        "severity": row.severity,
        "source": row.source,
        "item": row.item,
        "title": row.title,
        "url": row.url,
        "key": row.key,
        "duplicate_of": row.duplicate_of_item,
        "evidence": list(row.evidence),
        "matched": list(row.matched),
        "seq": row.seq,
        "alert_seq": row.alert_seq,
    }


def outcome_of_record(rec: Mapping[str, Any]) -> Outcome:
    """The outcome one ``monitor replay --format jsonl`` object tells (:func:`outcome_record`
    read back; objects written by older versions lack some fields, which read as empty).

    The catalogue's :class:`~monitor.events.Outcome`, the one shape of an
    outcome, holding what the object carries (no links, spans or delivery).
    """
    return Outcome(
        rule=str(rec["rule"]),
        source=str(rec.get("source") or ""),
        item=str(rec.get("item")),
        outcome=str(rec["outcome"]),
        reason=rec.get("reason"),
        severity=str(rec.get("severity") or "medium"),
        title=str(rec.get("title") or ""),
        url=rec.get("url"),
        published=str(rec["published"]) if rec.get("published") else None,
        key=rec.get("key"),
        evidence=tuple(rec.get("evidence") or ()),
    )


def replay_record(row: OutcomeRow, published: datetime | None) -> dict[str, Any]:
    """``outcome_record`` plus the item's ``published`` time (``monitor replay --format jsonl``).

    Replay has the articles at hand, so it can say when each item was
    published; scoring a replay against labels needs that to date items no
    label covers (``monitor rules eval``, ``score.py --from/--to``). UTC, ISO
    8601, so its first ten characters are the UTC day a daily feed file is
    named after; null when the source gave no date.
    """
    return {**outcome_record(row), "published": published_text(published)}


def published_text(published: datetime | None) -> str | None:
    """A published time as replay output gives it: ISO 8601 in UTC (as given if naive)."""
    if published is None:
        return None
    if published.tzinfo is not None:
        published = published.astimezone(UTC)
    return published.isoformat()


def print_jsonl(records: Iterable[dict[str, Any]]) -> None:
    for rec in records:
        print(json.dumps(rec, ensure_ascii=False, default=str), flush=False)


def delivery_record(row: OutboxRow) -> dict[str, Any]:
    return {
        "channel": row.channel,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt": row.next_attempt,
        "last_error": row.last_error,
        "notification": row.notification,
        "digest": row.digest,
        "mute": row.mute,
        "note": delivery_note(row),
    }


def delivery_note(row: OutboxRow) -> str:
    """What a delivery waits for or why it was not sent, beyond its status (or "")."""
    if row.status == "muted" and row.mute:
        return f"rule muted by {row.mute}"
    if row.digest and row.status in ("queued", "failed"):
        return f"in the digest of {row.digest[:16].replace('T', ' ')} UTC"
    return ""


def mute_record(row: MuteRow, now: datetime) -> dict[str, Any]:
    return {
        "mute": row.mute,
        "seq": row.seq,
        "rule": row.rule,
        "starts": row.starts,
        "ends": row.ends,
        "ended": row.ended,
        "in_force": row.in_force_at(now),
        "reason": row.reason,
        "by": row.by,
        "ended_reason": row.ended_reason,
    }


def print_mutes(console: Console, rows: list[MuteRow], now: datetime) -> None:
    """One line per mute: rule, until when, by whom and why."""
    if not rows:
        console.print("no mutes in force")
        return
    for row in rows:
        line = Text()
        line.append(row.rule, style="bold cyan")
        state = "MUTED" if row.in_force_at(now) else "ended"
        line.append(f"  {state}", style="bold yellow" if state == "MUTED" else "dim")
        line.append(
            f"  {row.starts[:19].replace('T', ' ')} → {row.until[:19].replace('T', ' ')} UTC"
        )
        line.append(f"  by {row.by}" if row.by else "", style="dim")
        if row.reason:
            line.append(f"  — {row.reason}")
        console.print(line)


_DELIVERY_STYLE = {
    "sent": "green",
    "queued": "cyan",
    "failed": "yellow",
    "dead": "bold red",
    "muted": "magenta",
}


def alert_record(
    row: OutcomeRow,
    deliveries: list[OutboxRow],
    published: datetime | None,
    number: int | None = None,
) -> dict[str, Any]:
    """``monitor alerts --format jsonl``: replay's record (with ``published``), the alert's
    ``number`` (null for a suppressed outcome), when it was decided, its deliveries."""
    return {
        **replay_record(row, published),
        "number": number,
        "time": published_text(row.time),
        "deliveries": [delivery_record(d) for d in deliveries],
    }


def print_outcomes(
    console: Console,
    rows: list[OutcomeRow],
    deliveries: Mapping[int, list[OutboxRow]] | None = None,
    *,
    numbered: bool = False,
    numbers: Mapping[int, int] | None = None,
) -> None:
    """Human-readable outcomes: one block per rule outcome, with delivery state if given.

    ``numbered`` (``monitor alerts``): each block also gives the outcome's
    position in the log (what ``monitor retry`` takes) after a raised alert's
    number (``numbers``: "alert 3 #12"), when it was decided, the source and
    the link, which a stored alert has and an analyst acts on.
    """
    for row in rows:
        head = Text()
        if numbered:
            if numbers and row.seq in numbers:
                head.append(f"alert {numbers[row.seq]} ", style="bold")
            head.append(f"#{row.seq}", style="bold")
            head.append(f"  {row.time.strftime('%Y-%m-%d %H:%M:%S')}  ", style="dim")
        head.append(row.rule, style="bold cyan")
        head.append("  ")
        head.append(row.outcome.upper(), style=_STYLE.get(row.outcome, ""))
        if row.outcome == "suppressed":
            head.append(f" ({row.reason})", style="yellow")
            if row.duplicate_of_item:
                head.append(f" → repeats {row.duplicate_of_item}", style="yellow")
        head.append(f"  [{row.severity}]", style="dim")
        console.print(head)
        source = (f"{row.source}: ", "cyan") if numbered else ""
        console.print(Text.assemble("  ", source, (row.item, "bold"), " — ", row.title))
        if numbered and row.url:
            console.print(Text.assemble("  ", (row.url, "blue")))
        if row.key:
            console.print(Text(f"  story: {row.key.replace('|', ' · ')}", style="dim"))
        for d in (deliveries or {}).get(row.seq, []):
            line = Text("  delivery: ")
            line.append(f"{d.channel} {d.status.upper()}", style=_DELIVERY_STYLE.get(d.status, ""))
            line.append(f" after {d.attempts} attempt(s)" if d.attempts else "")
            if d.status == "dead":
                line.append(f" — retry with: monitor retry {row.seq}", style="dim")
            if d.last_error and d.status != "sent":
                line.append(f" ({d.last_error})", style="dim")
            if note := delivery_note(d):
                line.append(f" — {note}", style="dim")
            console.print(line)
        words = row.matched  # the text that satisfied the rule, highlighted
        for snippet in row.evidence:
            line = Text("  › " + snippet)
            line.highlight_words(words, style="bold magenta", case_sensitive=True)
            console.print(line)
        console.print()


def event_record(ev: StoredEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "type": ev.type,
        "stream": ev.stream,
        "time": ev.time.isoformat(),
        "key": ev.key,
        "payload": ev.payload,
        "hash": ev.hash,
    }


def print_event(console: Console, ev: StoredEvent) -> None:
    p = ev.payload
    summary = p.get("title") or p.get("rule") or p.get("version") or ""
    extra = p.get("outcome") or p.get("reason") or ""
    console.print(
        Text.assemble(
            (f"{ev.seq:>7} ", "dim"),
            (ev.time.strftime("%Y-%m-%d %H:%M:%S "), "dim"),
            (f"{ev.type:<18}", "bold"),
            (f" {ev.stream:<28} ", "cyan"),
            str(summary)[:80],
            (f" {extra}" if extra and extra not in str(summary) else "", "yellow"),
        ),
        soft_wrap=True,
    )
