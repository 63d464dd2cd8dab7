"""Read models kept as tables: their base class, and which version of their tables a store holds.

A read model is derived data: when a new version of the code changes its
tables (a column added to ``outbox``), the old tables are not migrated but
dropped and refilled from the log. Each :class:`TableProjection` names its
``version``; the ``read_models`` table records the version a store holds.
Opening a store (:func:`monitor.wiring.open_log`) compares the two and
rebuilds the read models whose version changed, in one transaction under
the writer lock, so an operator upgrading never meets "no such column".
Tables that existed before versions were recorded count as version 1.
(:class:`~monitor.store.events.Projector` is the interface the log drives;
:class:`TableProjection` is the base of every read model made of tables.)
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Table, inspect, select
from sqlmodel import Field, SQLModel

from monitor.store.events import StoredEvent
from monitor.store.schema import table_of

__all__ = ["READ_MODELS", "ReadModelVersion", "TableProjection", "record_version", "stored_version"]


class ReadModelVersion(SQLModel, table=True):
    """One row per read model: the version of its tables this store holds."""

    __tablename__ = "read_models"
    name: str = Field(primary_key=True, max_length=200)
    version: int


READ_MODELS: Table = table_of(ReadModelVersion)


def stored_version(conn: Connection, name: str, tables: list[str]) -> tuple[int | None, bool]:
    """The version the store holds, and whether ``read_models`` records it.

    Unrecorded, it is 1 if any of ``tables`` exists (a store from before
    versions were recorded) and None if none does (a new store).
    """
    if not inspect(conn).has_table(READ_MODELS.name):
        found = None
    else:
        found = conn.execute(
            select(READ_MODELS.c.version).where(READ_MODELS.c.name == name)
        ).scalar_one_or_none()
    if found is not None:
        return int(found), True
    inspector = inspect(conn)  # has_table, as checkfirst asks: search_path aware on PostgreSQL
    return (1 if any(inspector.has_table(t) for t in tables) else None), False


def record_version(conn: Connection, name: str, version: int) -> None:
    READ_MODELS.create(conn, checkfirst=True)
    conn.execute(READ_MODELS.delete().where(READ_MODELS.c.name == name))
    conn.execute(READ_MODELS.insert().values(name=name, version=version))


class TableProjection:
    """Base for projectors whose read model is a fixed set of tables.

    Creating and resetting (``monitor rebuild``) is the same for all of them;
    subclasses list their ``tables`` and implement ``apply``. A subclass that
    changes its tables raises ``version``: a store holding another version
    is rebuilt when opened (:mod:`monitor.store.readmodels`).
    """

    tables: tuple[Table, ...] = ()
    #: the version of ``tables``' schema; raise it with every change to them
    version: int = 1

    @property
    def name(self) -> str:
        """The read model's name in ``read_models``: its first table's."""
        return self.tables[0].name

    def current(self, conn: Connection) -> bool:
        """True when the store holds this version, recorded, with every table and column.

        Reads only: an up-to-date store is opened without taking the writer lock.
        """
        held, recorded = stored_version(conn, self.name, [t.name for t in self.tables])
        return recorded and held == self.version and self._columns_present(conn)

    def create(self, conn: Connection) -> bool:
        """Create missing tables; False if the store holds another version (rebuild it).

        Also False when a table lacks a column this version declares (a
        previous version's ``monitor rebuild`` run on an upgraded store
        recreates the old tables under the new version number).
        """
        held, recorded = stored_version(conn, self.name, [t.name for t in self.tables])
        for table in self.tables:
            table.create(conn, checkfirst=True)
        if not recorded:
            record_version(conn, self.name, held or self.version)
        return held in (None, self.version) and self._columns_present(conn)

    def _columns_present(self, conn: Connection) -> bool:
        inspector = inspect(conn)
        for table in self.tables:
            if not inspector.has_table(table.name):
                return False
            have = {c["name"] for c in inspector.get_columns(table.name)}
            if not {c.name for c in table.columns} <= have:
                return False
        return True

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        raise NotImplementedError

    def reset(self, conn: Connection) -> None:
        for table in reversed(self.tables):
            table.drop(conn, checkfirst=True)
        for table in self.tables:
            table.create(conn)
        record_version(conn, self.name, self.version)
