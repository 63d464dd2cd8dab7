"""Named exclusive sections across processes, with the database's own mechanisms.

The rule engine must not run in two processes at once: both would decide
"new story" for two reports of the same summit. On PostgreSQL that is a
session advisory lock (``pg_try_advisory_lock``) held on a dedicated
connection; on a SQLite file an ``flock`` on a file beside the database; in
memory a process-local lock. ``try_lock`` never waits: if another process is
doing the work, this one skips its turn.

:func:`claim` is the finer-grained sibling for work items (one notification)
that only several daemons sharing one PostgreSQL database compete for: the
same advisory lock there, and nothing elsewhere. Both name their locks by
text and hash the name to the 64-bit key PostgreSQL wants in one place,
:func:`lock_id`, so two callers can never disagree on a lock's key.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from monitor.store.log import EventLog

__all__ = ["claim", "lock_id", "try_lock"]

_LOCAL: weakref.WeakKeyDictionary[EventLog, dict[str, threading.Lock]] = weakref.WeakKeyDictionary()
_LOCAL_GUARD = threading.Lock()


def lock_id(name: str) -> int:
    """The PostgreSQL advisory-lock key for ``name``: 64 bits of its SHA-256, signed.

    Part of the contract between daemons of different versions sharing a
    database: changing it would let an old and a new daemon hold "the same"
    lock at once.
    """
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def try_lock(log: EventLog, name: str) -> Iterator[bool]:
    """Yield True while holding the lock ``name``, or False at once if someone else holds it."""
    if log.dialect == "postgresql":
        with _pg_try_lock(log, name) as got:
            yield got
        return
    database = log.engine.url.database
    if not database or database == ":memory:":  # one process by definition: a thread lock
        with _LOCAL_GUARD:
            local = _LOCAL.setdefault(log, {}).setdefault(name, threading.Lock())
        if not local.acquire(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            local.release()
        return
    path = Path(f"{database}.{name}.lock")
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def claim(log: EventLog, name: str) -> Iterator[bool]:
    """On PostgreSQL, :func:`try_lock` for one work item; elsewhere True at once.

    For work that only several daemons sharing one PostgreSQL database can
    compete for (delivering one notification): on SQLite one daemon per
    database file is assumed and the caller serialises its own threads, so
    a lock file per item would only litter the state directory.
    """
    if log.dialect != "postgresql":
        yield True
        return
    with _pg_try_lock(log, name) as got:
        yield got


@contextmanager
def _pg_try_lock(log: EventLog, name: str) -> Iterator[bool]:
    """A session advisory lock on a connection of its own, released on the way out.

    Session-level, not transaction-level: whatever the holder appends (on
    other connections) is committed before the lock is released, so the
    next process to take it sees the work as done.
    """
    key = lock_id(name)
    with log.engine.connect() as conn:
        got = bool(conn.execute(select(func.pg_try_advisory_lock(key))).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(select(func.pg_advisory_unlock(key)))
                conn.commit()
