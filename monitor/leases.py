"""Shared polling on PostgreSQL: one node per due poll, through a lease row per source.

Several daemons on one PostgreSQL store would otherwise each fetch every
feed. Instead, each feed has a row in ``source_leases`` with the time it is
next due (``next_poll``, on the database's clock, so the nodes' clocks need
not agree). A node's poll job *claims* the row before fetching: one
``UPDATE … WHERE name = (SELECT … WHERE next_poll <= now() AND the lease is
free FOR UPDATE SKIP LOCKED)``, so of several nodes whose jobs fire together
exactly one gets it and the others move on without waiting. The claim is its
own short transaction — nothing is held open across the HTTP fetch — and it
reads the source's state (validators, failures, back-off) from the
``sources`` read model in the same transaction, because another node may have
polled the feed last. After the poll the node *releases* the row, setting
``next_poll`` from the claim time plus the interval, or plus the back-off.

A node that dies holding a claim (``kill -9``, a lost host) leaves
``leased_until`` behind: once it passes, the row is free again and the next
node whose job fires polls the feed. The lease is the fetch deadline plus a
margin (:func:`lease_for`), so a live node's fetch never outlasts it; one
that does (a parse or append that took longer still) costs at most one more
fetch by another node, never a duplicate event (idempotency keys). A node
only ever holds the leases of the polls it has in hand: between polls a
feed belongs to no one, so a dead node's other feeds are polled by the
others when they fall due, as if nothing happened.

``source_leases`` is coordination state, not a projection: nothing in the log
derives it and ``monitor rebuild`` leaves it alone. The table is created when
a daemon starts; a row when its source is first claimed, so deleting rows is
harmless (the sources are due at once, with the back-off the read model
holds). On SQLite there is one daemon per database file and none of this is
used.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    String,
    Table,
    Text,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, SQLModel

from monitor.errors import StoreError
from monitor.sources.http import FeedConfig
from monitor.sources.poll import SourceState
from monitor.store.log import EventLog
from monitor.store.schema import table_of
from monitor.store.source_state import state_from_row

__all__ = [
    "LEASE_MARGIN",
    "SOURCE_LEASES",
    "Claim",
    "Deferred",
    "SourceLeaseRow",
    "SourceLeases",
    "lease_for",
]

log = logging.getLogger("monitor.leases")

#: Added to a feed's fetch deadline for its lease: the parse and the append after the fetch.
LEASE_MARGIN = timedelta(seconds=30)


class SourceLeaseRow(SQLModel, table=True):
    """One source's turn: when it is next due, and who holds its poll until when.

    The times are ``timestamp with time zone`` (``DateTime(timezone=True)``),
    not the ISO text of the log and of ``sources``: they are written and
    compared in SQL against ``now()``, the database's clock, and only on
    PostgreSQL, which stores them as instants whatever the nodes' time zones.
    """

    __tablename__ = "source_leases"

    name: str = Field(sa_column=Column(String(200), primary_key=True))
    #: when the source is next due; the database's clock, as every time here
    next_poll: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    #: who holds it now (while ``token`` is set) or held it last: "host:pid"
    holder: str | None = Field(default=None, sa_column=Column(Text))
    #: this claim's id while it is held; NULL when free
    token: str | None = Field(default=None, sa_column=Column(String(32)))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    #: a held claim lapses here (the holder died or hung): NULL when free
    leased_until: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


SOURCE_LEASES: Table = table_of(SourceLeaseRow)


#: Claim ``:name`` for ``:holder``: an existing row if it is due and free, or a new row
#: (nobody has polled the source yet). One row comes back either way: whether it was
#: claimed, the source's state from the ``sources`` read model, and otherwise how many
#: seconds until it may be claimable — its next poll, or the end of the poll another node
#: has in hand (the interval after that claim, or its lease if that is past). ``NOT
#: EXISTS`` keeps the insert from even trying (and waiting on a conflict) when the row is
#: there. Data-modifying CTEs run once, whether or not the outer query reads them.
_CLAIM = text(
    """
    WITH taken AS (
        UPDATE source_leases
        SET holder = :holder, token = :token, claimed_at = now(), leased_until = now() + :lease
        WHERE name = (
            SELECT name FROM source_leases
            WHERE name = :name AND next_poll <= now()
              AND (leased_until IS NULL OR leased_until <= now())
            FOR UPDATE SKIP LOCKED
        )
        RETURNING name
    ), born AS (
        INSERT INTO source_leases (name, next_poll, holder, token, claimed_at, leased_until)
        SELECT :name, now(), :holder, :token, now(), now() + :lease
        WHERE NOT EXISTS (SELECT 1 FROM source_leases WHERE name = :name)
        ON CONFLICT (name) DO NOTHING
        RETURNING name
    )
    SELECT
        EXISTS (SELECT 1 FROM taken UNION ALL SELECT 1 FROM born) AS claimed,
        EXTRACT(EPOCH FROM (
            CASE
                WHEN lease.token IS NULL THEN lease.next_poll
                WHEN lease.claimed_at + :interval > now()
                    THEN LEAST(lease.leased_until, lease.claimed_at + :interval)
                ELSE lease.leased_until
            END - now()
        )) AS wait,
        sources.name IS NOT NULL AS known, sources.etag, sources.last_modified,
        sources.failures, sources.retry_at, sources.last_error, sources.last_success,
        sources.last_polled, sources.last_status, sources.body_hash
    FROM (SELECT CAST(:name AS text) AS name) AS this
    LEFT JOIN source_leases AS lease ON lease.name = this.name
    LEFT JOIN sources ON sources.name = this.name
    """
)


#: Whether the connected role may claim and release (each privilege: the function's list
#: means "any of").
_PRIVILEGES = text(
    "SELECT has_table_privilege('source_leases', 'SELECT')"
    " AND has_table_privilege('source_leases', 'INSERT')"
    " AND has_table_privilege('source_leases', 'UPDATE')"
)


def lease_for(feed: FeedConfig) -> timedelta:
    """How long one poll of ``feed`` may hold its lease: the fetch deadline and a margin.

    The deadline (``total_timeout``: three times the source's ``timeout``, at
    least 30 s) bounds the whole fetch, so a node that is alive always
    releases within it and the margin; a shorter lease would hand a slow
    but healthy fetch to a second node.
    """
    return timedelta(seconds=feed.total_timeout) + LEASE_MARGIN


@dataclass(frozen=True)
class Claim:
    """One held poll: the source, this claim's token and the state to poll it from."""

    name: str
    token: str
    #: the source as the ``sources`` read model has it (whichever node polled it last)
    state: SourceState


@dataclass(frozen=True)
class Deferred:
    """A poll not claimed: not due yet, or another node has it in hand."""

    name: str
    #: until the poll may be claimable: its due time, or when the holder should be done
    wait: timedelta


class SourceLeases:
    """Claims and releases polls of the sources in ``source_leases`` (PostgreSQL only).

    One per process (the :class:`~monitor.poller.Poller` makes it); thread-safe:
    each call is its own transaction on a pooled connection.
    """

    def __init__(self, events: EventLog, holder: str | None = None) -> None:
        if events.dialect != "postgresql":
            raise ValueError("shared polling needs PostgreSQL")
        self.engine = events.engine
        self._lock = events.lock_key("source_leases")
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}"
        self._url = events.url  # masked
        self._guard = threading.Lock()
        self._held: dict[str, str] = {}  # token -> name, for release_all

    def create(self) -> None:
        """Create ``source_leases`` if missing and check this role may claim in it.

        Under a lock: nodes may start together. A table this role may not
        update would fail every claim, and so every poll; better to know at
        start (the caller then polls without leases).
        """
        try:
            with self.engine.begin() as conn:
                conn.execute(select(func.pg_advisory_xact_lock(self._lock)))
                SOURCE_LEASES.create(conn, checkfirst=True)
                allowed = conn.execute(_PRIVILEGES).scalar()
        except SQLAlchemyError as exc:
            raise StoreError(
                f"creating source_leases failed on {self._url}: {_reason(exc)}"
            ) from exc
        if not allowed:
            raise StoreError(
                f"creating source_leases failed on {self._url}: this role lacks SELECT, "
                "INSERT or UPDATE on it"
            )

    def claim(self, name: str, lease: timedelta, interval: timedelta) -> Claim | Deferred:
        """Take the poll of ``name`` if it is due and nobody holds it, else say how long to wait.

        One statement (:data:`_CLAIM`), one round trip. It does not wait for
        other nodes: a row another node is claiming or releasing right now is
        skipped (``SKIP LOCKED``), and that node's poll is the one that counts.
        A source without a row (new, or the row was deleted) gets one, born
        claimed by this node. ``interval`` is how long after another node's
        claim its poll should be due again (the ``wait`` of a deferral).
        """
        token = uuid.uuid4().hex
        params = {
            "name": name,
            "holder": self.holder,
            "token": token,
            "lease": lease,
            "interval": interval,
        }
        try:
            with self.engine.begin() as conn:
                row = conn.execute(_CLAIM, params).one()
        except SQLAlchemyError as exc:
            raise StoreError(f"claiming {name} failed on {self._url}: {_reason(exc)}") from exc
        if not row.claimed:  # not due, or in another node's hand (no row: being created)
            return Deferred(name, timedelta(seconds=max(float(row.wait or 0.0), 0.0)))
        with self._guard:
            self._held[token] = name
        # no ``sources`` row yet: never polled (or failed before any event)
        state = state_from_row(row) if row.known else SourceState()
        return Claim(name, token, state)

    def release(self, claim: Claim, after: timedelta) -> bool:
        """Give the poll back, due again ``after`` the claim; False if the lease had lapsed.

        A lapsed lease may have been claimed by another node since: its
        ``next_poll`` is then that node's to set, so nothing is written.
        """
        with self._guard:
            self._held.pop(claim.token, None)
        done = (
            update(SOURCE_LEASES)
            .where(SOURCE_LEASES.c.name == claim.name, SOURCE_LEASES.c.token == claim.token)
            .values(
                next_poll=SOURCE_LEASES.c.claimed_at + after,
                token=None,
                leased_until=None,
            )
        )
        try:
            with self.engine.begin() as conn:
                return conn.execute(done).rowcount == 1
        except SQLAlchemyError as exc:
            raise StoreError(
                f"releasing {claim.name} failed on {self._url}: {_reason(exc)}"
            ) from exc

    def release_all(self) -> int:
        """Free every claim still held (a stopping node), due at once for the others.

        The polls in hand were abandoned; without this their feeds would wait
        for the leases to lapse. Returns how many were freed.
        """
        with self._guard:
            tokens, self._held = list(self._held), {}
        if not tokens:
            return 0
        free = (
            update(SOURCE_LEASES)
            .where(SOURCE_LEASES.c.token.in_(tokens))
            .values(token=None, leased_until=None)
        )
        try:
            with self.engine.begin() as conn:
                return conn.execute(free).rowcount
        except SQLAlchemyError as exc:
            log.warning("could not free %d lease(s), they lapse on their own: %s", len(tokens), exc)
            return 0


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc).strip()
    return message.splitlines()[0] if message else repr(exc)
