"""Opening the event log's database: URL checks, engines and SQLite tuning.

Everything here runs once, when an :class:`~monitor.store.log.EventLog` is
opened; the log itself then only deals in transactions. Kept apart so that
the backend quirks — psycopg 3 for a bare ``postgresql://``, a connect
timeout, SQLite's WAL mode, busy timeout and ``BEGIN IMMEDIATE`` for writers,
one shared connection for ``sqlite://`` — live in one place and every
failure to open becomes a :class:`~monitor.errors.StoreError` naming the URL
with its password masked (by :func:`monitor.secrets.mask_url`, the masker the
notification channels use too).
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from monitor import secrets
from monitor.errors import StoreError

__all__ = [
    "PG_KEEPALIVES",
    "PG_SESSION_SETTINGS",
    "WRITER_OPTION",
    "create_log_engine",
    "mask_url",
]

_SQLITE_BUSY_TIMEOUT_MS = 10_000
# Execution option asking our SQLite BEGIN hook for IMMEDIATE: the log sets it
# on the connections it writes with, so the write lock is taken up front.
WRITER_OPTION = "monitor_writer"


def mask_url(url: str) -> str:
    """The store URL with its password (and ``?password=``-like parameters) masked.

    A database URL: its host, user and database are names, not tokens, so
    they stay readable in error messages, logs and ``monitor status``.
    """
    return secrets.mask_url(url, database=True)


def create_log_engine(
    url: str, *, create: bool = True
) -> tuple[Engine, AbstractContextManager[Any]]:
    """The engine for ``url`` and the guard every transaction on it must hold.

    The guard is a re-entrant lock for in-memory SQLite — its one connection
    is shared by all callers (``StaticPool``), so transactions must not
    interleave across threads — and a no-op for every other database.
    Without ``create``, a SQLite file that does not exist is an error naming
    the path, and SQLite is told never to create it (``mode=rw``): a reading
    command pointed at a mistyped backup path must fail, not leave an empty
    database there. Raises ``StoreError`` for a malformed, unsupported or
    unusable URL.
    """
    masked = mask_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {masked}: {exc}") from exc
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(parsed, masked, create)
        if backend == "postgresql":
            if parsed.drivername == "postgresql":
                parsed = parsed.set(drivername="postgresql+psycopg")
            engine = create_engine(
                parsed, pool_pre_ping=True, connect_args=_pg_connect_args(parsed)
            )
            return engine, nullcontext()
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {masked}: {exc}") from exc
    raise StoreError(f"unsupported database URL {masked}: use sqlite:// or postgresql://")


#: Bounded waits for every PostgreSQL session (docs/operations.md, "A frozen node"): a
#: node paused or cut off while it holds a lock or a transaction loses them within
#: seconds, and no session waits on another's lock for ever.
PG_SESSION_SETTINGS = {
    "lock_timeout": "5s",  # waiting for a lock another session holds (the append lock)
    "idle_in_transaction_session_timeout": "10s",  # a holder that stopped mid-transaction
    "statement_timeout": "120s",  # one statement, however slow the database
    # the server's side of the socket: a client that vanished is found as fast
    "tcp_keepalives_idle": "10",
    "tcp_keepalives_interval": "5",
    "tcp_keepalives_count": "3",
    "tcp_user_timeout": "30000",
}
#: TCP keepalives and an unacknowledged-data timeout: a peer that vanished (a partition,
#: a dead host) is found in about 25 s instead of the kernel's two hours.
PG_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,  # milliseconds
}


def _pg_connect_args(url: URL) -> dict[str, Any]:
    """libpq connection parameters: a connect timeout, keepalives and the session
    settings, each unless the URL sets it itself (its ``options`` are kept and come
    after ours, so they win)."""
    query = url.query
    args: dict[str, Any] = {} if "connect_timeout" in query else {"connect_timeout": 10}
    args.update({k: v for k, v in PG_KEEPALIVES.items() if k not in query})
    given = query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    ours = " ".join(
        f"-c {name}={value}" for name, value in PG_SESSION_SETTINGS.items() if name not in given
    )
    args["options"] = f"{ours} {given}".strip()
    return args


def _sqlite_engine(
    url: URL, masked: str, create: bool
) -> tuple[Engine, AbstractContextManager[Any]]:
    """A SQLite engine with WAL, a busy timeout and writer-aware BEGIN hooks.

    Without ``create`` the file must exist and the journal mode is left as
    it is: a reader does not convert someone's backup copy to WAL.
    """
    in_memory = url.database in (None, "", ":memory:")
    serial: AbstractContextManager[Any]
    if in_memory:
        serial = threading.RLock()
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif create:
        assert url.database is not None
        serial = nullcontext()
        try:
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the directory for {masked}: {exc}") from exc
        engine = create_engine(url)
    else:
        assert url.database is not None
        serial = nullcontext()
        path = Path(url.database)
        if not path.exists():
            raise StoreError(
                f"no event log at {path.absolute()}: the file does not exist (check the path; "
                "reading commands never create a store)"
            )
        # The URL stays as given (locks and the head file are named after it);
        # only the connection is opened read-write without create.
        uri = f"file:{quote(str(path.resolve()))}?mode=rw"
        engine = create_engine(
            url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that
        # the "begin" hook below decides between BEGIN and BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            if create:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writer = conn.get_execution_options().get(WRITER_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine, serial
