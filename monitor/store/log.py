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
reordered after the fact.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import StoreError
from monitor.store.connect import WRITER_OPTION, create_log_engine, mask_url
from monitor.store.events import NewEvent, Projector, StoredEvent, VerifyResult
from monitor.store.schema import (
    APPEND_ONLY_MESSAGE,
    CHECKPOINTS,
    EVENTS,
    GENESIS_HASH,
    canonical_json,
    create_schema,
    event_hash,
    iso_utc,
    row_to_event,
)

__all__ = ["APPEND_ONLY_MESSAGE", "GENESIS_HASH", "EventLog", "event_hash"]

WRITER_LOCK_ID = 0x6D6F6E69746F72  # "monitor" in ASCII: the advisory lock appenders share
PAGE_SIZE = 1000


class EventLog:
    """The append-only event log on SQLite (file or in-memory) or PostgreSQL.

    ``url`` is a SQLAlchemy URL: ``sqlite://`` (in-memory),
    ``sqlite:///path/state.db`` or ``postgresql+psycopg://user:pw@host/db``
    (plain ``postgresql://`` means psycopg 3 too). Opening creates the tables
    and triggers if needed. ``projectors`` are kept in step with every append.
    """

    def __init__(self, url: str, projectors: Sequence[Projector] = ()) -> None:
        self.url = mask_url(url)
        self.projectors: tuple[Projector, ...] = tuple(projectors)
        # ``_serial`` guards every transaction: a lock for in-memory SQLite,
        # whose single connection all threads share; a no-op otherwise.
        self.engine: Engine
        self._serial: AbstractContextManager[Any]
        self.engine, self._serial = create_log_engine(url)
        self.dialect: str = self.engine.dialect.name
        try:
            with self._write() as conn:
                create_schema(conn)
        except StoreError:
            self.engine.dispose()
            raise

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
                    conn.execute(select(func.pg_advisory_xact_lock(WRITER_LOCK_ID)))
                yield conn

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
        that re-ran still moves on.
        """
        if (consumer is None) != (position is None):
            raise ValueError("consumer and position must be given together")
        with self._write("appending events") as conn:
            fresh = self._new_only(conn, events)
            inserted = self._insert(conn, fresh) if fresh else []
            if consumer is not None and position is not None:
                self._save_checkpoint(conn, consumer, position)
            if inserted:
                for projector in self.projectors:
                    projector.apply(conn, inserted)
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
        now = datetime.now(UTC)
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
        values = {"consumer": consumer, "position": position, "updated": iso_utc(datetime.now(UTC))}
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

    def verify(self) -> VerifyResult:
        """Walk the chain from event 1 and report the first event that does not hold.

        Catches altered fields (hash mismatch), removed events (a gap in
        ``seq``) and reordered or forged events (a broken ``prev_hash``
        link). Removing events from the *end* leaves a valid shorter chain;
        compare ``head()`` with a copy kept elsewhere to catch that.
        """
        expected, prev, checked = 1, GENESIS_HASH, 0
        while True:
            with self._read("verifying the log") as conn:
                rows = conn.execute(
                    select(EVENTS)
                    .where(EVENTS.c.seq >= expected)
                    .order_by(EVENTS.c.seq)
                    .limit(PAGE_SIZE)
                ).all()
            for row in rows:
                checked += 1
                if row.seq != expected:
                    return VerifyResult(checked, row.seq, "missing event(s) before this one")
                if row.prev_hash != prev:
                    reason = f"prev_hash does not match event {row.seq - 1}"
                    return VerifyResult(checked, row.seq, reason)
                try:
                    payload = canonical_json(json.loads(row.payload))
                except ValueError:
                    payload = row.payload  # not JSON any more: the hash will not match
                digest = event_hash(
                    row.prev_hash, row.seq, row.type, row.stream, row.key, row.time, payload
                )
                if digest != row.hash:
                    reason = "hash mismatch: payload or fields altered"
                    return VerifyResult(checked, row.seq, reason)
                expected, prev = row.seq + 1, row.hash
            if len(rows) < PAGE_SIZE:
                return VerifyResult(checked)

    def rebuild(self) -> int:
        """Reset every projector and re-apply the whole log; returns events applied.

        One transaction under the writer lock: readers of the projections see
        either the old or the new read model, and no append slips in between.
        Consumers' checkpoints are untouched — they are consumer state stored
        with the log, not a projection of it.
        """
        applied = 0
        with self._write("rebuilding projections") as conn:
            for projector in self.projectors:
                projector.reset(conn)
            after = 0
            while page := _fetch(conn, after, None, None, PAGE_SIZE):
                for projector in self.projectors:
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
