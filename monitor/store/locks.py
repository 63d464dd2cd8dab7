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
:meth:`EventLog.lock_key` (the store's schema and :func:`lock_id`), so two
callers can never disagree on a lock's key.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.store.log import EventLog, lock_id

log_ = logging.getLogger("monitor.store.locks")

__all__ = ["claim", "lock_id", "try_lock"]

_LOCAL: weakref.WeakKeyDictionary[EventLog, dict[str, threading.Lock]] = weakref.WeakKeyDictionary()
_LOCAL_GUARD = threading.Lock()


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


#: A held lock's connection is ended by the server after this long without a word
#: (``idle_session_timeout``): a holder that froze loses the lock within it.
LOCK_IDLE_TIMEOUT_S = 10
#: How often a live holder speaks on its lock's connection.
LOCK_KEEPALIVE_S = 2.0


@contextmanager
def _pg_try_lock(log: EventLog, name: str) -> Iterator[bool]:
    """A session advisory lock on a connection of its own, released on the way out.

    Session-level, not transaction-level: whatever the holder appends (on
    other connections) is committed before the lock is released, so the
    next process to take it sees the work as done. While it is held, the
    server ends the connection after :data:`LOCK_IDLE_TIMEOUT_S` of silence
    and a thread of the holder speaks on it every :data:`LOCK_KEEPALIVE_S`:
    a holder paused (SIGSTOP, a stalled VM) or cut off loses the lock within
    seconds and the other nodes carry on, where a live one keeps it however
    long its work takes. A holder that comes back to a lost lock finds its
    connection closed; what it appends then is checked by the log as every
    append is (idempotency keys), so nothing is recorded twice.
    """
    key = log.lock_key(name)
    with log.engine.connect() as conn:
        got = bool(conn.execute(select(func.pg_try_advisory_lock(key))).scalar())
        conn.commit()
        if got:
            try:
                conn.execute(text(f"SET idle_session_timeout = '{LOCK_IDLE_TIMEOUT_S}s'"))
                conn.commit()
            except SQLAlchemyError:  # PostgreSQL before 14: kept only by TCP keepalives
                conn.rollback()  # a session lock outlives the failed transaction
        if not got:
            yield False
            return
        stop = threading.Event()
        alive = threading.Thread(
            target=_keep_alive, args=(conn, stop), name=f"lock {name}", daemon=True
        )
        alive.start()
        try:
            yield True
        finally:
            stop.set()
            alive.join()
            try:
                conn.execute(select(func.pg_advisory_unlock(key)))
                conn.commit()
            except SQLAlchemyError as exc:  # ended while we were away: the lock went with it
                log_.warning("lock %s was lost while held (%s)", name, _first_line(exc))
                conn.invalidate()


def _keep_alive(conn: Connection, stop: threading.Event) -> None:
    """Speak on a held lock's connection until ``stop``; give up once it is gone."""
    while not stop.wait(LOCK_KEEPALIVE_S):
        try:
            conn.execute(text("SELECT 1"))
            conn.commit()
        except SQLAlchemyError:
            return  # the holder learns it at release


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return text_.splitlines()[0] if text_ else repr(exc)
