"""The event log: an append-only, hash-chained table shared by every stage.

Every append runs in one transaction under a single writer lock (SQLite
``BEGIN IMMEDIATE``, PostgreSQL ``pg_advisory_xact_lock``) so that several
threads or daemon processes sharing one database still produce contiguous
sequence numbers and one unbroken hash chain. Inside that transaction the
log drops events whose idempotency key is already stored, saves the
consumer's checkpoint and lets every projector update its read model — so a
consumer that crashes either recorded its output *and* its progress, or
neither.

Each event's ``hash`` is a SHA-256 over its predecessor's hash and all of its
own fields, so ``verify`` can prove that nothing was altered, removed or
reordered after the fact. What the chain cannot show — events removed from
the *end* — is caught against a head kept outside the database: the head file
beside a SQLite store (:mod:`monitor.store.headfile`), an expected head the
operator kept, and consumer checkpoints that point past the end.

An append that would write nothing (no new key, no checkpoint) does not take
the writer lock at all: every unchanged feed poll is such an append, and it
must not queue behind, or hold up, a backup or another daemon's write.

PostgreSQL's advisory locks belong to the whole database, not to a schema;
stores in different schemas of one database (a staging and a production
monitor, or the test suite's parallel workers) must not share them, so
every key is scoped by the store's schema (:meth:`EventLog.lock_key`). The
default ``public`` schema keeps the keys it always had, so daemons of an
older version sharing that store still exclude each other.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from monitor.clock import Clock, utc_now
from monitor.errors import StoreError
from monitor.store.audit import Witness, verify_log
from monitor.store.connect import WRITER_OPTION, create_log_engine, mask_url
from monitor.store.events import Head, NewEvent, Projector, StoredEvent, VerifyResult
from monitor.store.gate import AppendGate
from monitor.store.headfile import HeadFile
from monitor.store.schema import (
    APPEND_ONLY_MESSAGE,
    CHECKPOINTS,
    EVENTS,
    GENESIS_HASH,
    canonical_json,
    create_schema,
    event_hash,
    iso_utc,
    missing_guards,
    missing_tables,
    row_to_event,
)

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "GENESIS_HASH",
    "EventLog",
    "count_events",
    "event_hash",
    "lock_id",
    "lock_scope",
]

#: The appenders' advisory lock in the ``public`` schema ("monitor" in ASCII).
WRITER_LOCK_ID = 0x6D6F6E69746F72
#: The schema whose lock keys are unscoped (those of the versions before scoping).
_DEFAULT_SCHEMA = "public"


def lock_id(name: str) -> int:
    """The PostgreSQL advisory-lock key for ``name``: 64 bits of its SHA-256, signed.

    Part of the contract between daemons of different versions sharing a
    database: changing it would let an old and a new daemon hold "the same"
    lock at once. Callers name a lock through :meth:`EventLog.lock_key`,
    which scopes the name by the store's schema.
    """
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock_scope(schema: str | None) -> str:
    """What prefixes the lock names of a store in ``schema``: nothing in the default one."""
    return "" if schema in (None, _DEFAULT_SCHEMA) else f"{schema}:"


PAGE_SIZE = 1000


class EventLog:
    """The append-only event log on SQLite (file or in-memory) or PostgreSQL.

    ``url`` is a SQLAlchemy URL: ``sqlite://`` (in-memory),
    ``sqlite:///path/state.db`` or ``postgresql+psycopg://user:pw@host/db``
    (plain ``postgresql://`` means psycopg 3 too). ``projectors`` are kept in
    step with every append.

    With ``create`` (the daemon, ``poll``, ``replay --store``) opening creates
    the database, its tables and triggers if needed. Without it (``verify``,
    ``status``, ``events``, ``alerts``) opening creates nothing: a SQLite
    file that does not exist, or a database without the log's tables, is a
    ``StoreError`` — a mistyped path or a dropped table must not look like
    an empty, intact log.
    """

    def __init__(
        self,
        url: str,
        projectors: Sequence[Projector] = (),
        *,
        create: bool = True,
        now: Clock = utc_now,
    ) -> None:
        #: the clock that stamps appends and checkpoints, and that the log's writers read
        self.now = now
        self.url = mask_url(url)
        self.projectors: tuple[Projector, ...] = tuple(projectors)
        # ``_serial`` guards every transaction: a lock for in-memory SQLite,
        # whose single connection all threads share; a no-op otherwise.
        self.engine: Engine
        self._serial: AbstractContextManager[Any]
        self.engine, self._serial = create_log_engine(url, create=create)
        self.dialect: str = self.engine.dialect.name
        database = self.engine.url.database if self.dialect == "sqlite" else None
        self._head_file = HeadFile(database) if database and database != ":memory:" else None
        self._gate = AppendGate(self.url)
        try:
            #: prefixes every advisory-lock name: "" in the public schema, else "<schema>:"
            self.lock_scope = self._lock_scope()
            if create:
                with self._write() as conn:
                    create_schema(conn)
            else:
                with self._read("opening the event log") as conn:
                    missing = missing_tables(conn)
                if missing:
                    raise StoreError(
                        f"no {missing[0]} table: not a monitor store, or the table was dropped "
                        f"({self.url})"
                    )
        except StoreError:
            self.engine.dispose()
            raise

    def _lock_scope(self) -> str:
        if self.dialect != "postgresql":
            return ""
        with self._errors("opening the event log"), self.engine.connect() as conn:
            return lock_scope(conn.execute(select(func.current_schema())).scalar())

    def lock_key(self, name: str) -> int:
        """The advisory-lock key of the lock ``name`` in this store (PostgreSQL).

        Scoped by the store's schema, so that stores in other schemas of the
        same database never wait on, or skip their turn for, this one's locks.
        """
        return lock_id(self.lock_scope + name)

    @property
    def writer_lock_key(self) -> int:
        """The advisory lock every append to this store holds (PostgreSQL)."""
        return WRITER_LOCK_ID if not self.lock_scope else self.lock_key("event-log-writer")

    @property
    def head_path(self) -> Path | None:
        """The head file beside a SQLite file store; ``None`` in memory and on PostgreSQL."""
        return self._head_file.path if self._head_file is not None else None

    # -- transactions -------------------------------------------------------

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn database failures into ``StoreError`` naming the (masked) URL."""
        try:
            yield
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None)
            cause: BaseException = orig if isinstance(orig, BaseException) else exc
            reason = str(cause).strip().splitlines()[0] if str(cause).strip() else repr(cause)
            if APPEND_ONLY_MESSAGE in str(cause):
                reason = APPEND_ONLY_MESSAGE
            raise StoreError(f"{action} failed on {self.url}: {reason}") from exc

    @contextmanager
    def _write(self, action: str = "opening the event log") -> Iterator[Connection]:
        """One transaction holding the writer lock; commits on success."""
        with self._serial, self._errors(action), self.engine.connect() as conn:
            conn.execution_options(**{WRITER_OPTION: True})
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(select(func.pg_advisory_xact_lock(self.writer_lock_key)))
                yield conn

    def transaction(self, action: str) -> AbstractContextManager[Connection]:
        """One transaction holding the writer lock, for setting up what the log's users keep.

        ``open_log`` creates and upgrades the read models' tables in one: on
        SQLite a deferred transaction that turns into a write fails at once
        with "database is locked" when another process does the same, where
        ``BEGIN IMMEDIATE`` waits its turn.
        """
        return self._write(action)

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with self._serial, self._errors(action), self.engine.connect() as conn, conn.begin():
            yield conn

    # -- appending ----------------------------------------------------------

    def append(
        self,
        events: Sequence[NewEvent],
        *,
        consumer: str | None = None,
        position: int | None = None,
    ) -> list[StoredEvent]:
        """Append the events whose keys are new; return only those, as stored.

        With ``consumer``, its checkpoint is set to ``position`` in the same
        transaction — also when every event was a duplicate, so a consumer
        that re-ran still moves on. Without one, a batch whose keys are all
        stored already (or an empty batch) returns ``[]`` after a short read,
        without waiting for the writer lock. After :meth:`append_final`,
        raises ``StoreError``.
        """
        if (consumer is None) != (position is None):
            raise ValueError("consumer and position must be given together")
        with self._gate.ordinary():
            return self._append(events, consumer, position)

    def append_final(self, events: Sequence[NewEvent]) -> list[StoredEvent]:
        """Append ``events`` as the last ones this log object will ever append.

        Appends already in progress in other threads finish first; every
        ``append`` that starts after this call began raises ``StoreError``
        ("the event log is closed: …"), so nothing this process appends can
        follow the final events (the daemon's ``DaemonStopped``). If the
        final append itself fails, ordinary appends stay refused and it may
        be retried.
        """
        what = ", ".join(dict.fromkeys(e.type for e in events)) or "an empty final append"
        with self._gate.final(what):
            return self._append(events, None, None)

    def _append(
        self, events: Sequence[NewEvent], consumer: str | None, position: int | None
    ) -> list[StoredEvent]:
        if consumer is None:
            if not events:
                return []
            # Unchanged polls land here with keys that are all stored: answer
            # them from a read transaction, which a writer does not block.
            # One key decides most batches: if it is new, there is work to do
            # (and the write re-checks every key under the lock anyway).
            with self._read("checking for new events") as conn:
                probe = select(EVENTS.c.seq).where(EVENTS.c.key == events[-1].key)
                if conn.execute(probe).first() is not None and not self._new_only(conn, events):
                    return []
        record: Head | None = None
        with self._write("appending events") as conn:
            fresh = self._new_only(conn, events)
            inserted = self._insert(conn, fresh) if fresh else []
            if consumer is not None and position is not None:
                self._save_checkpoint(conn, consumer, position)
            if inserted:
                for projector in self.projectors:
                    projector.apply(conn, inserted)
                # Under the writer lock the log can only have grown since any
                # head file was written; one that does not fit is evidence.
                first = inserted[0]
                if self._head_file is not None and self._head_file.fits(
                    first.seq - 1, first.prev_hash, functools.partial(_hash_at, conn)
                ):
                    record = Head(inserted[-1].seq, inserted[-1].hash)
        if record is not None and self._head_file is not None:
            self._head_file.record(record)  # after the commit: never ahead of the log
        return inserted

    def _new_only(self, conn: Connection, events: Sequence[NewEvent]) -> list[NewEvent]:
        """Drop events whose key is stored already or repeated earlier in the batch."""
        keys = [e.key for e in events]
        seen: set[str] = set()
        if keys:
            # One bound parameter holding all the keys: expanding ``IN (?, ?, …)``
            # costs SQLAlchemy more per key than the whole lookup costs SQLite.
            if self.dialect == "postgresql":
                lookup = "SELECT key FROM events WHERE key = ANY(:keys)"
                param: object = keys
            else:
                lookup = "SELECT key FROM events WHERE key IN (SELECT value FROM json_each(:keys))"
                param = json.dumps(keys)
            seen.update(conn.execute(text(lookup), {"keys": param}).scalars())
        fresh = []
        for e in events:
            if e.key not in seen:
                seen.add(e.key)
                fresh.append(e)
        return fresh

    def _insert(self, conn: Connection, events: list[NewEvent]) -> list[StoredEvent]:
        last = conn.execute(
            select(EVENTS.c.seq, EVENTS.c.hash).order_by(EVENTS.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (last.seq, last.hash) if last else (0, GENESIS_HASH)
        now = self.now()
        now_text = iso_utc(now)
        encode, digest_of = canonical_json, event_hash  # hot loop: skip global lookups
        rows: list[dict[str, Any]] = []
        stored: list[StoredEvent] = []
        for e in events:
            seq += 1
            time_text = now_text if e.time is None else iso_utc(e.time)
            try:
                payload = encode(e.payload)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"event {e.key!r}: payload is not JSON: {exc}") from exc
            digest = digest_of(prev, seq, e.type, e.stream, e.key, time_text, payload)
            rows.append(
                {
                    "seq": seq,
                    "type": e.type,
                    "stream": e.stream,
                    "key": e.key,
                    "time": time_text,
                    "payload": payload,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            # The caller's payload object itself: re-parsing the stored JSON
            # would cost a third of the append time (read() returns fresh dicts).
            time = now if e.time is None else datetime.fromisoformat(time_text)
            stored.append(StoredEvent(seq, e.type, e.stream, e.key, time, e.payload, prev, digest))
            prev = digest
        conn.execute(insert(EVENTS), rows)
        return stored

    def _save_checkpoint(self, conn: Connection, consumer: str, position: int) -> None:
        values = {"consumer": consumer, "position": position, "updated": iso_utc(self.now())}
        stmt = (pg_insert if self.dialect == "postgresql" else sqlite_insert)(CHECKPOINTS)
        conn.execute(
            stmt.values(values).on_conflict_do_update(
                index_elements=[CHECKPOINTS.c.consumer],
                set_={"position": values["position"], "updated": values["updated"]},
            )
        )

    # -- reading ------------------------------------------------------------

    def read(
        self,
        after: int = 0,
        *,
        types: Collection[str] | None = None,
        stream: str | None = None,
        limit: int | None = None,
    ) -> Iterator[StoredEvent]:
        """Events with ``seq > after`` in order, optionally filtered and capped.

        Fetched a page at a time, each page in its own short transaction, so a
        slow consumer of a huge log neither holds memory nor blocks writers.
        """
        remaining = limit
        while remaining is None or remaining > 0:
            size = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
            with self._read("reading events") as conn:
                page = _fetch(conn, after, types, stream, size)
            yield from page
            if len(page) < size:
                return
            after = page[-1].seq
            if remaining is not None:
                remaining -= len(page)

    def get_by_key(self, key: str) -> StoredEvent | None:
        """The stored event with this idempotency key, if any."""
        with self._read("looking up an event") as conn:
            row = conn.execute(select(EVENTS).where(EVENTS.c.key == key)).first()
        return row_to_event(row) if row is not None else None

    def count(self, after: int = 0, *, types: Collection[str] | None = None) -> int:
        """How many events (of ``types``) come after ``after``: a consumer's lag.

        A count, not a read: the type index answers it without touching the
        payloads, however far behind the consumer is.
        """
        with self._read("counting events") as conn:
            return count_events(conn, after, types)

    def head(self) -> int:
        """The last sequence number, 0 for an empty log."""
        with self._read("reading the head") as conn:
            return int(conn.execute(select(func.coalesce(func.max(EVENTS.c.seq), 0))).scalar_one())

    def checkpoint(self, consumer: str) -> int:
        """The consumer's saved position, 0 if it never saved one."""
        with self._read("reading a checkpoint") as conn:
            position = conn.execute(
                select(CHECKPOINTS.c.position).where(CHECKPOINTS.c.consumer == consumer)
            ).scalar()
        return int(position) if position is not None else 0

    def checkpoints(self) -> dict[str, int]:
        """Every consumer's saved position."""
        with self._read("reading checkpoints") as conn:
            rows = conn.execute(select(CHECKPOINTS.c.consumer, CHECKPOINTS.c.position)).all()
        return {row.consumer: int(row.position) for row in rows}

    # -- auditing and rebuilding ---------------------------------------------

    def verify(self, expected: Head | None = None) -> VerifyResult:
        """Walk the chain from event 1 and report the first event that does not hold.

        Catches altered fields (hash mismatch), removed events (a gap in
        ``seq``) and reordered or forged events (a broken ``prev_hash``
        link). Then holds the end of the log against the witnesses of where
        it once ended — ``expected`` (a head the caller kept), the head file
        of a SQLite file store, and consumer checkpoints — to catch events
        removed from the end, which leave a valid shorter chain (see
        :mod:`monitor.store.audit`).
        """
        witnesses: list[Witness] = []
        if expected is not None:
            witnesses.append(Witness(expected, "the expected head is", "the expected head"))
        if self._head_file is not None:
            recorded = self._head_file.read()  # before the log's end: see audit
            if recorded is not None:
                path = self._head_file.path
                witnesses.append(
                    Witness(recorded, f"its head file {path} records", f"head file {path}")
                )
        return verify_log(self._read, witnesses, PAGE_SIZE)

    def missing_guards(self) -> list[str]:
        """The append-only triggers that are missing or disabled (a creating open restores them)."""
        with self._read("checking the append-only triggers") as conn:
            return missing_guards(conn)

    def rebuild(
        self,
        projectors: Sequence[Projector] | None = None,
        *,
        still: Callable[[Connection, Projector], bool] | None = None,
    ) -> int:
        """Reset every projector (or those given), re-apply the whole log; returns events applied.

        One transaction under the writer lock: readers of the projections see
        either the old or the new read model, and no append slips in between.
        ``still`` is asked again under the lock which of them need it (another
        process may have rebuilt them meanwhile). Consumers' checkpoints are
        untouched — they are consumer state stored with the log, not a
        projection of it.
        """
        chosen = list(self.projectors if projectors is None else projectors)
        applied = 0
        with self._write("rebuilding projections") as conn:
            if still is not None:
                chosen = [p for p in chosen if still(conn, p)]
                if not chosen:
                    return 0
            for projector in chosen:
                projector.reset(conn)
            after = 0
            while page := _fetch(conn, after, None, None, PAGE_SIZE):
                for projector in chosen:
                    projector.apply(conn, page)
                applied += len(page)
                after = page[-1].seq
        return applied

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Release every pooled connection (an in-memory database is lost)."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EventLog({self.url!r})"


def count_events(conn: Connection, after: int, types: Collection[str] | None = None) -> int:
    """Events (of ``types``) after ``after`` on ``conn``: see :meth:`EventLog.count`."""
    query = select(func.count()).select_from(EVENTS).where(EVENTS.c.seq > after)
    if types is not None:
        query = query.where(EVENTS.c.type.in_(list(types)))
    return int(conn.execute(query).scalar_one())


def _fetch(
    conn: Connection,
    after: int,
    types: Collection[str] | None,
    stream: str | None,
    limit: int,
) -> list[StoredEvent]:
    query = select(EVENTS).where(EVENTS.c.seq > after)
    if types is not None:
        query = query.where(EVENTS.c.type.in_(list(types)))
    if stream is not None:
        query = query.where(EVENTS.c.stream == stream)
    rows = conn.execute(query.order_by(EVENTS.c.seq).limit(limit)).all()
    return [row_to_event(row) for row in rows]


def _hash_at(conn: Connection, seq: int) -> str | None:
    hash_: str | None = conn.execute(select(EVENTS.c.hash).where(EVENTS.c.seq == seq)).scalar()
    return hash_
