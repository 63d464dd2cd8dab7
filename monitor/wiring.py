"""The application's store: the event log wired with every read model it keeps.

The store layer knows how to keep a read model, not which ones the
application has: the outbox's (:mod:`monitor.notify`) sits above it and the
``sources`` one is the sources' state. Wiring them together is the service
layer's job, so it is done here, once, for the daemon, the CLI, the web page
and the tests alike.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import StoreError
from monitor.notify.projection import OutboxProjection
from monitor.store.log import WRITER_LOCK_ID, EventLog
from monitor.store.projections import ReadModels
from monitor.store.source_state import SOURCE_CHECKS, SourcesProjection

__all__ = ["open_log"]


def open_log(url: str, *, create: bool = True) -> EventLog:
    """The event log with every read model attached and its tables created.

    ``create=False`` is for reading commands: the store itself (the
    database, ``events``, ``checkpoints``) must exist already — see
    :class:`EventLog` — but read-model tables that are missing are still
    created, empty: they are derived data, and ``monitor rebuild`` fills them.
    """
    from monitor.store.log import EventLog

    models = ReadModels()
    sources = SourcesProjection()
    outbox = OutboxProjection()
    log = EventLog(url, projectors=[models, sources, outbox], create=create)
    try:
        with log.engine.begin() as conn:
            if log.dialect == "postgresql":
                # under the writers' lock: daemons starting together on a new
                # database would otherwise race to create the same tables
                conn.execute(select(func.pg_advisory_xact_lock(WRITER_LOCK_ID)))
            models.create(conn)
            sources.create(conn)
            outbox.create(conn)
            SOURCE_CHECKS.create(conn, checkfirst=True)  # not a projection, but set up here
    except SQLAlchemyError as exc:
        log.close()
        raise StoreError(f"creating the read models failed on {log.url}: {exc}") from exc
    return log
