"""What the daemon records about itself: a process started, and stopped.

``DaemonStopped`` is appended with ``EventLog.append_final``, so it is the
process's last event; a ``DaemonStarted`` without one means the process died.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor.events import names
from monitor.events.envelope import ABSENT, NewEvent, Record

__all__ = ["DaemonStarted", "DaemonStopped"]


@dataclass(frozen=True, slots=True)
class _Life(Record):
    pid: int

    @property
    def stream(self) -> str:
        return names.DAEMON_STREAM

    def to_event(self, at: datetime, time: datetime | None = None) -> NewEvent:
        """``at``: the process's clock, in the key; ``time``: the event's (None: the log's)."""
        return self._event(names.daemon_key(self.event_type, self.pid, at), time)


@dataclass(frozen=True, slots=True)
class DaemonStarted(_Life):
    TYPES = (names.DAEMON_STARTED,)

    version: str = field(metadata={ABSENT: ""})


@dataclass(frozen=True, slots=True)
class DaemonStopped(_Life):
    """``clean``: no poll job or worker thread was still running when the grace ended."""

    TYPES = (names.DAEMON_STOPPED,)

    clean: bool = field(metadata={ABSENT: False})
