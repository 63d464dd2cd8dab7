"""``verify``: walk the hash chain, then hold its end against what was seen before.

The chain (``hash = sha256(prev_hash, fields)``) is unkeyed: anyone who can
write the database can recompute it. Walking it proves the log is one
unbroken sequence from event 1 — no event edited, removed from the middle or
re-linked — but not that it is *all* of the log. A log cut after event 7, or
rewritten wholesale with fresh hashes, is a valid chain. What catches those
is a **witness** recorded earlier, outside the rows that were cut:

* a head (``seq`` and ``hash``) kept outside the database — the head file
  beside a SQLite store, or one the operator kept (``--expect-head``);
* the consumers' checkpoints: a consumer saved "read up to event N" in the
  same transaction as its own appends, so ``N`` beyond the end proves that
  events up to ``N`` existed. (Someone who cuts the tail can also edit
  ``checkpoints``; that is why the head outside the database matters.)

Witnesses are read *before* the end of the log: each was true of the log at
some earlier moment, and an intact log only grows, so a witness ahead of the
end means events were removed — never a race with a concurrent append.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from monitor.store.events import Head, VerifyResult
from monitor.store.headfile import tail_problem
from monitor.store.schema import CHECKPOINTS, EVENTS, GENESIS_HASH, canonical_json, event_hash

__all__ = ["Witness", "verify_log"]

Read = Callable[[str], AbstractContextManager[Connection]]


@dataclass(frozen=True, slots=True)
class Witness:
    """A head seen earlier; ``says`` introduces it in a sentence ("… records")."""

    head: Head
    says: str
    name: str


def verify_log(read: Read, witnesses: Iterable[Witness], page_size: int) -> VerifyResult:
    """Check the chain from event 1 to the end, then the end against every witness.

    ``read(action)`` opens a short read transaction. The first fault wins: a
    broken chain is reported at the first bad event; a cut tail at the first
    missing event, naming the missing range and the witness that proves it.
    """
    known = list(witnesses)
    with read("reading checkpoints") as conn:
        rows = conn.execute(select(CHECKPOINTS.c.consumer, CHECKPOINTS.c.position)).all()
    positions = {row.consumer: int(row.position) for row in rows}
    for consumer, position in sorted(positions.items()):
        if position > 0:
            name = f"the checkpoint of consumer {consumer!r}"
            known.append(Witness(Head(position), f"consumer {consumer!r} has read up to", name))
    with read("reading the head") as conn:
        end = int(conn.execute(select(func.coalesce(func.max(EVENTS.c.seq), 0))).scalar_one())

    wanted = {w.head.seq for w in known if w.head.hash is not None and w.head.seq <= end}
    hashes: dict[int, str] = {}
    expected, prev, checked = 1, GENESIS_HASH, 0
    while expected <= end:
        with read("verifying the log") as conn:
            rows = conn.execute(
                select(EVENTS)
                .where(EVENTS.c.seq >= expected, EVENTS.c.seq <= end)
                .order_by(EVENTS.c.seq)
                .limit(page_size)
            ).all()
        for row in rows:
            checked += 1
            if row.seq != expected:
                return VerifyResult(checked, row.seq, "missing event(s) before this one")
            if row.prev_hash != prev:
                return VerifyResult(
                    checked, row.seq, f"prev_hash does not match event {row.seq - 1}"
                )
            # the bytes stored, exactly as they are: the log stores the canonical text it
            # hashed, so any edit of them — even one a JSON parser forgives, such as a
            # second copy of a key that readers keeping the first one would believe — fails
            digest = event_hash(
                row.prev_hash, row.seq, row.type, row.stream, row.key, row.time, row.payload
            )
            if digest != row.hash:
                return VerifyResult(checked, row.seq, _altered(row.payload, row.prev_hash, row))
            if row.seq in wanted:
                hashes[row.seq] = row.hash
            expected, prev = row.seq + 1, row.hash
        if len(rows) < page_size:
            break
    if expected <= end:  # the end row vanished while we walked: cut under our feet
        return VerifyResult(checked, expected, f"the log no longer reaches event {end}")

    beyond = [w for w in known if w.head.seq > end]
    if beyond:
        worst = max(beyond, key=lambda w: w.head.seq)
        return VerifyResult(checked, end + 1, tail_problem(end, None, worst.head, worst.says))
    for w in sorted(known, key=lambda w: w.head.seq):
        problem = tail_problem(end, hashes.get(w.head.seq), w.head, w.says)
        if problem:
            return VerifyResult(checked, w.head.seq, problem)
    anchors = tuple(f"{w.name} (event {w.head.seq})" for w in known)
    return VerifyResult(checked, head_hash=prev if end else None, anchors=anchors)


def _altered(stored: str, prev_hash: str, row: Any) -> str:
    """Why an event's hash does not match: its fields, or its payload's bytes only."""
    try:
        parsed = canonical_json(json.loads(stored))
    except ValueError:
        return "hash mismatch: payload or fields altered (the payload is not JSON)"
    same = event_hash(prev_hash, row.seq, row.type, row.stream, row.key, row.time, parsed)
    if same == row.hash:
        return (
            "hash mismatch: the payload's stored bytes were altered (they parse to the "
            "hashed payload, but are not the text that was stored: a duplicate key, "
            "re-encoding or whitespace)"
        )
    return "hash mismatch: payload or fields altered"
