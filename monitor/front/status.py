"""``monitor status``: what an operator checks first.

Each source's last poll, last error and back-off (from the ``sources`` read
model; the last poll is the later of the last recorded one and the last check
the daemon wrote to ``source_checks``, since a 304 appends no event), each
consumer's lag behind the log, and the outbox by state.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from monitor.app import Monitor
from monitor.config import Config
from monitor.front.output import mute_record


def status_report(app: Monitor, config: Config) -> dict[str, Any]:
    """``monitor status``'s report: the application's, with the mutes as records."""
    report = app.status(config)
    now = app.now()
    return {**report, "mutes": [mute_record(m, now) for m in report["mutes"]]}


def print_status(console: Console, report: dict[str, Any]) -> None:
    console.print(f"store {report['store']} — {report['head']} events")
    # "last check": any poll, a 304 or an empty inbox too; "last new item": when it last
    # brought something (a quiet feed is not a failing one)
    table = Table(
        "source", "last check", "last new item", "failures", "back-off until", "last error"
    )
    for s in report["sources"]:
        check = _when(s["last_poll"])
        table.add_row(
            s["name"],
            f"{check} {s['last_status']}" if s["last_status"] and check != "-" else check,
            _when(s["last_item_at"]),
            str(s["failures"]),
            _when(s["retry_at"]),
            s["last_error"] or "",  # whole: the reason is what the operator needs
        )
    console.print(table)
    for name, c in report["consumers"].items():
        console.print(f"consumer {name}: at {c['position']}, {c['lag']} event(s) behind")
    outbox = report["outbox"]
    console.print(
        "outbox: " + (", ".join(f"{k} {v}" for k, v in sorted(outbox.items())) or "empty")
    )
    for m in report.get("mutes", []):
        why = f": {m['reason']}" if m["reason"] else ""
        until = m["ends"][:19].replace("T", " ")
        console.print(f"muted: {m['rule']} until {until} UTC by {m['by']}{why}")


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"
