"""The application's store: the event log wired with every read model it keeps.

The store layer knows how to keep a read model, not which ones the
application has: the outbox's (:mod:`monitor.notify`) sits above it and the
``sources`` one is the sources' state. Wiring them together is the service
layer's job, so it is done here, once, for the daemon, the CLI, the web page
and the tests alike.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import SQLAlchemyError

from monitor.clock import Clock, utc_now
from monitor.errors import StoreError
from monitor.notify.mutes import MutesProjection
from monitor.notify.projection import OutboxProjection
from monitor.store.events import Projector
from monitor.store.log import EventLog
from monitor.store.projections import ReadModels
from monitor.store.readmodels import TableProjection
from monitor.store.source_state import SOURCE_CHECKS, SourcesProjection

__all__ = ["open_log"]

logger = logging.getLogger(__name__)


def open_log(url: str, *, create: bool = True, now: Clock = utc_now) -> EventLog:
    """The event log with every read model attached and its tables created.

    ``create=False`` is for reading commands: the store itself (the
    database, ``events``, ``checkpoints``) must exist already — see
    :class:`EventLog` — but read-model tables that are missing are still
    created, empty: they are derived data, and ``monitor rebuild`` fills them.
    ``now`` is the clock the log stamps with and its writers read (:mod:`monitor.clock`).
    Read models whose tables this version changed (a ``version`` other than
    the store's) are rebuilt from the log here, once.
    """
    from monitor.store.log import EventLog

    projectors = [ReadModels(), SourcesProjection(), OutboxProjection(), MutesProjection()]
    log = EventLog(url, projectors=projectors, create=create, now=now)
    try:
        with log.engine.connect() as conn:  # an up-to-date store is opened reading only
            ready = all(p.current(conn) for p in projectors) and inspect(conn).has_table(
                SOURCE_CHECKS.name
            )
        if not ready:
            # under the writers' lock: processes opening a new or upgraded store
            # together would otherwise race to create the same tables
            with log.transaction("creating the read models") as conn:
                stale = [p for p in projectors if not p.create(conn)]
                SOURCE_CHECKS.create(conn, checkfirst=True)  # not a projection, but set up here
            if stale:
                # a newer version changed these tables: refill them from the log
                names = ", ".join(p.name for p in stale)
                logger.warning("read models %s changed with this version: rebuilding them", names)
                applied = log.rebuild(stale, still=_stale)
                logger.warning("read models %s rebuilt from %d events", names, applied)
    except (SQLAlchemyError, StoreError) as exc:
        log.close()
        raise StoreError(f"creating the read models failed on {log.url}: {exc}") from exc
    return log


def _stale(conn: Connection, projector: Projector) -> bool:
    """Still to rebuild, asked under the writer lock: not if another process just did."""
    return isinstance(projector, TableProjection) and not projector.create(conn)
