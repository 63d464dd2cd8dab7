"""Logging to stderr (journald under systemd), as plain or JSON lines.

The ``apprise`` logger hands only INFO and above to these handlers whatever
the level: at DEBUG its Slack plugin logs the webhook token
(:func:`monitor.notify.channels.quiet_apprise`, which also keeps its DEBUG
lines for the cause of a failed send).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def setup_logging(fmt: str | None = None, verbose: bool = False) -> None:
    """Configure the root logger once; ``fmt`` defaults to ``$MONITOR_LOG_FORMAT`` or plain."""
    fmt = fmt or os.environ.get("MONITOR_LOG_FORMAT", "plain")
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    elif os.environ.get("JOURNAL_STREAM"):  # journald adds its own time stamps
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    apprise = logging.getLogger("apprise")
    if apprise.propagate:  # no channel has quieted it yet (and kept its DEBUG to itself)
        apprise.setLevel(logging.INFO)
    if not verbose:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
