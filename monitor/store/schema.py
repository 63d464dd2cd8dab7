"""How events are stored: tables, append-only triggers and the hashed encoding.

The log is the source of truth, so its immutability is enforced by the
database rather than by convention: SQLite gets ``BEFORE UPDATE`` /
``BEFORE DELETE`` triggers that abort, PostgreSQL a trigger function that
raises on ``UPDATE``/``DELETE`` and a statement trigger on ``TRUNCATE``. Any
path that changes a stored event — our code, a projector, an operator's
``psql`` session — gets :data:`APPEND_ONLY_MESSAGE` from the database.

``time`` is stored as fixed-width ISO-8601 text in UTC rather than as a
database timestamp: it is part of the hashed content, so it must come back
byte-for-byte identical on every backend, and timestamp types differ in
precision and time-zone handling between SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    Row,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)
from sqlmodel import Field, SQLModel

from monitor.errors import StoreError
from monitor.store.events import StoredEvent

_Row = TypeVar("_Row", bound=SQLModel)
_V = TypeVar("_V")

APPEND_ONLY_MESSAGE = "events are append-only"
"""The error text the database raises when anything updates or deletes an event."""

# SQLite only makes ``INTEGER PRIMARY KEY`` an alias of the rowid (the fast
# path); PostgreSQL wants 64 bits so a long-lived log never runs out.
_SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class EventRow(SQLModel, table=True):
    """One stored event; ``seq`` is assigned by the log, never by the database."""

    __tablename__ = "events"

    seq: int = Field(sa_column=Column(_SEQ_TYPE, primary_key=True, autoincrement=False))
    type: str = Field(sa_column=Column(Text, nullable=False, index=True))
    stream: str = Field(sa_column=Column(Text, nullable=False, index=True))
    key: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    time: str = Field(sa_column=Column(String(32), nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))


class CheckpointRow(SQLModel, table=True):
    """How far a consumer has read; saved in the transaction of its appends."""

    __tablename__ = "checkpoints"

    consumer: str = Field(sa_column=Column(Text, primary_key=True))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    updated: str = Field(sa_column=Column(String(32), nullable=False))


GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of event 1."""

_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(payload: dict[str, Any]) -> str:
    """The one JSON text of a payload that is stored and hashed.

    Sorted keys, no whitespace, UTF-8 rather than ``\\u`` escapes, no NaN.
    """
    return _CANONICAL.encode(payload)


def iso_utc(time: datetime) -> str:
    """Fixed-width UTC ISO-8601 text, so stored times sort and hash identically everywhere."""
    if time.tzinfo is None or time.utcoffset() is None:
        raise StoreError(f"event time must be timezone-aware, got naive {time.isoformat()}")
    return time.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    prev_hash: str, seq: int, type: str, stream: str, key: str, time: str, payload: str
) -> str:
    """SHA-256 over an unambiguous encoding of an event and its predecessor's hash.

    ``time`` is the stored ISO text and ``payload`` the canonical JSON text.
    Each field is written as ``<length>:<text>,`` (a netstring), so no choice
    of field contents can make two different events encode alike.
    """
    n = str(seq)
    material = (
        f"{len(prev_hash)}:{prev_hash},{len(n)}:{n},{len(type)}:{type},{len(stream)}:{stream},"
        f"{len(key)}:{key},{len(time)}:{time},{len(payload)}:{payload},"
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


#: The most values one ``IN (…)`` list binds: far below every backend's limit on bound
#: parameters (SQLite's 32,766, PostgreSQL's 65,535), and queries stay short.
IN_BATCH = 500


def in_batches(values: Iterable[_V]) -> Iterator[list[_V]]:
    """``values`` in lists of at most :data:`IN_BATCH`, for ``column.in_(batch)`` queries."""
    batch: list[_V] = []
    for value in values:
        batch.append(value)
        if len(batch) >= IN_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def seqs_of_keys(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    """The sequence number of each stored event key (keys not stored are left out)."""
    found: dict[str, int] = {}
    for batch in in_batches(dict.fromkeys(keys)):
        query = select(EVENTS.c.key, EVENTS.c.seq).where(EVENTS.c.key.in_(batch))
        found.update((key, seq) for key, seq in conn.execute(query))
    return found


def row_to_event(row: Any) -> StoredEvent:
    """A fetched ``events`` row as the value callers see."""
    return StoredEvent(
        seq=row.seq,
        type=row.type,
        stream=row.stream,
        key=row.key,
        time=datetime.fromisoformat(row.time),
        payload=json.loads(row.payload),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of an SQLModel table class, for ``insert()``, ``select()`` and DDL.

    Every table of the store is declared once, as an SQLModel class: the class
    is the schema and the typed row readers get back
    (``Model.model_validate(dict(row._mapping))``), its table is what Core
    statements use. SQLModel sets ``__table__`` at class creation without
    declaring it to type checkers, so this is the one place that reads it.
    """
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table), f"{model.__name__} is not a table=True model"
    return table


def rows_as(model: type[_Row], result: Iterable[Row[Any]]) -> list[_Row]:
    """Fetched rows of ``model``'s table as instances of it, the typed rows readers get."""
    return [model.model_validate(dict(r._mapping)) for r in result]


EVENTS: Table = table_of(EventRow)
CHECKPOINTS: Table = table_of(CheckpointRow)

_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END""",
]

_SQLITE_TRIGGER_NAMES = ("events_no_update", "events_no_delete")

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION monitor_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'restrict_violation';
END
$$"""

_PG_TRIGGERS = {
    "events_no_update_delete": """CREATE TRIGGER events_no_update_delete
        BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION monitor_events_append_only()""",
    "events_no_truncate": """CREATE TRIGGER events_no_truncate
        BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION monitor_events_append_only()""",
}


def create_schema(conn: Connection) -> None:
    """Create the tables and the append-only triggers if they are missing.

    Idempotent, and meant to run inside the caller's writer-locked
    transaction so that several processes opening the same PostgreSQL
    database at once do not race on the DDL. Only our two tables are
    created, never the whole shared ``SQLModel.metadata``, which also holds
    other modules' projection tables.
    """
    SQLModel.metadata.create_all(conn, tables=[EVENTS, CHECKPOINTS])
    if conn.dialect.name == "sqlite":
        for ddl in _SQLITE_TRIGGERS:
            conn.exec_driver_sql(ddl)
        return
    # Not CREATE OR REPLACE TRIGGER: that needs PostgreSQL 14 and takes a
    # heavier lock on ``events`` on every open.
    # Only when missing: replacing a function needs its owner, and the
    # daemon may run as a less privileged role than the one that created it.
    found = conn.execute(text("SELECT to_regprocedure('monitor_events_append_only()')"))
    if found.scalar() is None:
        conn.exec_driver_sql(_PG_FUNCTION)
    existing = set(
        conn.execute(
            text(
                "SELECT tgname FROM pg_trigger"
                " WHERE tgrelid = CAST('events' AS regclass) AND NOT tgisinternal"
            )
        ).scalars()
    )
    for name, ddl in _PG_TRIGGERS.items():
        if name not in existing:
            conn.exec_driver_sql(ddl)


def missing_tables(conn: Connection) -> list[str]:
    """Which of the log's own tables (``events``, ``checkpoints``) do not exist.

    For opening without creating: a reader must not mistake a dropped table,
    or a database that never was a monitor store, for an empty log.
    """
    inspector = inspect(conn)
    return [t.name for t in (EVENTS, CHECKPOINTS) if not inspector.has_table(t.name)]


def missing_guards(conn: Connection) -> list[str]:
    """The append-only triggers that are missing or disabled on ``events``.

    A creating open puts them back, so one missing at ``verify`` time was
    dropped (or disabled) since a writer last opened the store.
    """
    if conn.dialect.name == "sqlite":
        present = set(
            conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
                )
            ).scalars()
        )
        return [name for name in _SQLITE_TRIGGER_NAMES if name not in present]
    rows = conn.execute(
        text(
            "SELECT tgname, tgenabled FROM pg_trigger"
            " WHERE tgrelid = CAST('events' AS regclass) AND NOT tgisinternal"
        )
    ).all()
    enabled = {str(name): str(state) for name, state in rows}
    return [
        f"{name} (disabled)" if name in enabled else name
        for name in _PG_TRIGGERS
        if enabled.get(name, "D") == "D"
    ]
