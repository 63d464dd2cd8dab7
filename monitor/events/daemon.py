"""What the daemon records about itself: a process started, and stopped.

``DaemonStopped`` is appended with ``EventLog.append_final``, so it is the
process's last event; a ``DaemonStarted`` without one means the process died.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.events import names
from monitor.events.envelope import NewEvent, Record

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

    version: str

    def to_payload(self) -> dict[str, Any]:
        return {"pid": self.pid, "version": self.version}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> DaemonStarted:
        return cls(int(payload["pid"]), payload.get("version", ""))


@dataclass(frozen=True, slots=True)
class DaemonStopped(_Life):
    """``clean``: no poll job or worker thread was still running when the grace ended."""

    TYPES = (names.DAEMON_STOPPED,)

    clean: bool

    def to_payload(self) -> dict[str, Any]:
        return {"pid": self.pid, "clean": self.clean}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> DaemonStopped:
        return cls(int(payload["pid"]), bool(payload.get("clean", False)))
