"""Source state: the ``sources`` read model and the ``source_checks`` table.

What a feed source remembers between polls (validators, back-off, the last
error) is kept by :class:`SourcesProjection` from the ``SourcePolled`` and
``SourceFailed`` events, and :func:`load_states` reads it back on start, so
conditional GET and back-off survive restarts. It lives in the store layer,
not in :mod:`monitor.sources`, because it is persistence: the sources (the
pure decider, fetching and parsing) import nothing of the store, so a parse
worker loads no SQLAlchemy.

Times here are ISO-8601 text (``String(40)``), as the log's own: the values
come from events' times, and text keeps their UTC offset on every backend —
SQLite has no time-zone-aware timestamp and would give a ``DateTime`` back
naive, which the decider could not compare with its aware clock. The lease
claim (:mod:`monitor.leases`) reads these columns in SQL and parses them
with :func:`state_from_row`, like :func:`load_states`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    String,
    Table,
    Text,
    insert,
    inspect,
    select,
    update,
)
from sqlmodel import Field, SQLModel

from monitor.events import SOURCE_FAILED, SOURCE_POLLED, SourceFailed, SourcePolled, StoredEvent
from monitor.sources.poll import SourceState
from monitor.store.readmodels import TableProjection
from monitor.store.schema import rows_as, table_of

__all__ = [
    "SOURCES",
    "SOURCE_CHECKS",
    "SourceCheckRow",
    "SourceRow",
    "SourcesProjection",
    "load_checks",
    "load_states",
    "record_checks",
    "state_from_row",
]


# -- the ``sources`` read model ---------------------------------------------------

#: A stored ISO-8601 time: ``isoformat()`` of an aware time, at most 32 characters.
_ISO_TEXT = String(40)


class SourceRow(SQLModel, table=True):
    """One source's remembered state: validators, back-off, the last poll and error."""

    __tablename__ = "sources"

    name: str = Field(sa_column=Column(String(200), primary_key=True))
    url: str = Field(sa_column=Column(Text, nullable=False))
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, sa_column=Column(String(64)))
    body_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    retry_at: str | None = Field(default=None, sa_column=Column(_ISO_TEXT))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_success: str | None = Field(default=None, sa_column=Column(_ISO_TEXT))
    last_polled: str | None = Field(default=None, sa_column=Column(_ISO_TEXT))
    #: ok, not_modified, error
    last_status: str | None = Field(default=None, sa_column=Column(String(20)))


SOURCES: Table = table_of(SourceRow)


class SourcesProjection(TableProjection):
    """Projector for ``sources``: one row per source, from its poll and failure events."""

    tables = (SOURCES,)

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        for ev in events:
            if ev.type == SOURCE_POLLED:
                polled = SourcePolled.from_event(ev)
                self._upsert(conn, polled.source, _polled_row(polled, ev))
            elif ev.type == SOURCE_FAILED:
                failed = SourceFailed.from_event(ev)
                self._upsert(conn, failed.source, _failed_row(failed, ev))

    @staticmethod
    def _upsert(conn: Connection, name: str, values: dict[str, Any]) -> None:
        # Portable update-then-insert: this runs under the log's writer lock.
        done = conn.execute(update(SOURCES).where(SOURCES.c.name == name).values(**values))
        if done.rowcount == 0:
            conn.execute(insert(SOURCES).values(name=name, **values))


def _polled_row(polled: SourcePolled, ev: StoredEvent) -> dict[str, Any]:
    when = ev.time.isoformat()
    fetch = polled.fetch
    return {
        "url": polled.url,
        "etag": fetch.etag if fetch else None,
        "last_modified": fetch.last_modified if fetch else None,
        "body_hash": polled.body_sha256,
        "failures": 0,
        "retry_at": None,
        "last_success": when,
        "last_polled": when,
        "last_status": "not_modified" if polled.http_status == 304 else "ok",
    }


def _failed_row(failed: SourceFailed, ev: StoredEvent) -> dict[str, Any]:
    return {
        "url": failed.url,
        "failures": failed.failures,
        "retry_at": failed.retry_at.isoformat() if failed.retry_at else None,
        "last_error": failed.error,
        "last_polled": ev.time.isoformat(),
        "last_status": "error",
    }


def load_states(conn: Connection) -> dict[str, SourceState]:
    """Every source's remembered state from the read model ({} before the first poll)."""
    if not inspect(conn).has_table(SOURCES.name):
        return {}
    rows = rows_as(SourceRow, conn.execute(select(SOURCES)))
    return {row.name: state_from_row(row) for row in rows}


def state_from_row(row: Any) -> SourceState:
    """A ``sources`` row as the state a poll starts from.

    ``row`` is a :class:`SourceRow`, or any row with its state columns by
    name: the lease claim's, which reads them in the same statement.
    """
    return SourceState(
        etag=row.etag,
        last_modified=row.last_modified,
        failures=row.failures or 0,
        retry_at=_when(row.retry_at),
        last_error=row.last_error,
        last_success=_when(row.last_success),
        last_poll=_when(row.last_polled),
        last_status=row.last_status,
        body_hash=row.body_hash,
    )


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# -- the ``source_checks`` table: when each source was last looked at --------------


class SourceCheckRow(SQLModel, table=True):
    """When a source was last looked at, and how it went."""

    __tablename__ = "source_checks"

    name: str = Field(sa_column=Column(String(200), primary_key=True))
    checked: str = Field(sa_column=Column(_ISO_TEXT, nullable=False))
    #: ok, not_modified, error
    status: str = Field(sa_column=Column(String(20), nullable=False))


SOURCE_CHECKS: Table = table_of(SourceCheckRow)


def record_checks(conn: Connection, checks: Mapping[str, tuple[datetime, str]]) -> None:
    """Remember when each source was last checked, and how it went.

    Not a projection and not in the log: a poll that found nothing new is not a
    fact worth an event (the log records facts, not heartbeats), yet an operator
    must see that a quiet feed *was* checked. The daemon writes these in one
    short transaction per interval, not one per poll; ``monitor rebuild`` leaves
    them alone.
    """
    SOURCE_CHECKS.create(conn, checkfirst=True)
    for name, (when, status) in checks.items():
        values = {"checked": when.isoformat(), "status": status}
        done = conn.execute(
            update(SOURCE_CHECKS).where(SOURCE_CHECKS.c.name == name).values(**values)
        )
        if done.rowcount == 0:
            conn.execute(insert(SOURCE_CHECKS).values(name=name, **values))


def load_checks(conn: Connection) -> dict[str, tuple[datetime, str]]:
    """Each source's last check ({} when the daemon never recorded one)."""
    if not inspect(conn).has_table(SOURCE_CHECKS.name):
        return {}
    rows = rows_as(SourceCheckRow, conn.execute(select(SOURCE_CHECKS)))
    return {row.name: (datetime.fromisoformat(row.checked), row.status) for row in rows}
