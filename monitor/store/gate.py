"""The final append: once it begins, no other append of this log object may start.

The daemon records ``DaemonStopped`` as its last event. Checking a flag before
each append is not enough — an append already past the check in another
thread could still commit after the final one — so appends pass through a
gate that counts those in progress. :meth:`AppendGate.final` closes the gate,
waits until the appends in progress have finished, and only then lets the
final append run; every append that comes later is refused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from monitor.errors import StoreError

__all__ = ["AppendGate"]


class AppendGate:
    """Admits appends until a final append begins; process-local, per log object."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._cond = threading.Condition()
        self._active = 0
        self._closed: str | None = None  # why, once a final append has begun
        self._final_busy = False
        self._final_done = False

    @contextmanager
    def ordinary(self) -> Iterator[None]:
        """Hold the gate open for one append, or raise if it is closed."""
        with self._cond:
            if self._closed is not None:
                raise self._refusal()
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                if self._active == 0:
                    self._cond.notify_all()

    @contextmanager
    def final(self, what: str) -> Iterator[None]:
        """Close the gate for good, wait for appends in progress, then run the final one.

        If the final append fails, the gate stays closed to ordinary appends
        but another final append may be tried.
        """
        with self._cond:
            if self._final_done or self._final_busy:
                raise self._refusal()
            self._closed = f"{what} was appended last"
            self._final_busy = True
            self._cond.wait_for(lambda: self._active == 0)
        try:
            yield
            with self._cond:
                self._final_done = True
        finally:
            with self._cond:
                self._final_busy = False

    def _refusal(self) -> StoreError:
        return StoreError(f"the event log is closed: {self._closed} ({self._label})")
