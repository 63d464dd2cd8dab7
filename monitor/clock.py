"""The one clock: what "now" is, passed in rather than read from the system everywhere.

Every reader of the time takes a :data:`Clock` (the way lemon24/reader's
``Reader._now`` works): the event log stamps appends and checkpoints with
its ``now``, and the daemon, the poller and the outbox read the log's, so a
test that fixes or advances one clock fixes what all of them see, instead
of sleeping in real time. :func:`utc_now` is the system clock, in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "utc_now"]

#: A source of the current time (timezone-aware, UTC).
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The system clock: the current time, in UTC."""
    return datetime.now(UTC)
