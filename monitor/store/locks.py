"""Named exclusive sections across processes, with the database's own mechanisms.

The rule engine must not run in two processes at once: both would decide
"new story" for two reports of the same summit. On PostgreSQL that is a
session advisory lock (``pg_try_advisory_lock``) held on a dedicated
connection; on a SQLite file an ``flock`` on a file beside the database; in
memory a process-local lock. ``try_lock`` never waits: if another process is
doing the work, this one skips its turn.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func as sql_func
from sqlalchemy import select, text

from monitor.store.log import EventLog

_LOCAL: weakref.WeakKeyDictionary[EventLog, dict[str, threading.Lock]] = weakref.WeakKeyDictionary()
_LOCAL_GUARD = threading.Lock()


def _lock_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def try_lock(log: EventLog, name: str) -> Iterator[bool]:
    """Yield True while holding the lock ``name``, or False at once if someone else holds it."""
    if log.dialect == "postgresql":
        yield from _pg_lock(log, name)
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


def _pg_lock(log: EventLog, name: str) -> Iterator[bool]:
    """A session advisory lock on a connection of its own, released on the way out."""
    with log.engine.connect() as conn:
        key = _lock_id(name)
        got = bool(conn.execute(select(sql_func.pg_try_advisory_lock(key))).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
