"""``monitor status``: what an operator checks first.

Each source's last poll, last error and back-off (from the ``sources`` read
model; the last poll is the later of the last recorded one and the last check
the daemon wrote to ``source_checks``, since a 304 appends no event), each
consumer's lag behind the log, and the outbox by state.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection

from monitor.config import Config
from monitor.events import ALERT_RAISED, ARTICLE_OBSERVED
from monitor.front.output import mute_record
from monitor.notify.mutes import listing
from monitor.notify.projection import summary
from monitor.store.log import EventLog
from monitor.store.source_state import load_checks, load_states

#: consumer → the event type it reads
CONSUMERS = {"rules": ARTICLE_OBSERVED, "notify-queue": ALERT_RAISED}


def source_health(conn: Connection, config: Config) -> list[dict[str, Any]]:
    """Each configured source's state, as ``monitor status`` and the web page show it.

    The last poll is the later of the last recorded one (``sources``) and the
    daemon's last check (``source_checks``): a poll that found nothing new
    appends no event, yet it was a poll, and a healthy quiet feed must not
    look stalled. Times are datetimes (the caller formats them).
    """
    states = load_states(conn)
    checks = load_checks(conn)
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
                "failures": failures,
                "retry_at": retry_at,
                "last_error": st.last_error if st else None,
            }
        )
    return out


def collect_status(log: EventLog, config: Config) -> dict[str, Any]:
    with log.engine.connect() as conn:
        sources = source_health(conn, config)
        outbox = summary(conn)
        now = datetime.now(UTC)
        mutes = [mute_record(m, now) for m in listing(conn, now)]
    checkpoints = log.checkpoints()
    consumers = {}
    for name, event_type in CONSUMERS.items():
        position = checkpoints.get(name, 0)
        behind = log.count(position, types=[event_type])
        consumers[name] = {"position": position, "lag": behind}
    return {
        "store": log.url,
        "head": log.head(),
        "sources": sources,
        "consumers": consumers,
        "outbox": outbox,
        "mutes": mutes,
    }


def print_status(console: Console, report: dict[str, Any]) -> None:
    console.print(f"store {report['store']} — {report['head']} events")
    table = Table("source", "last poll", "last success", "failures", "back-off until", "last error")
    for s in report["sources"]:
        table.add_row(
            s["name"],
            _when(s["last_poll"]),
            _when(s["last_success"]),
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
