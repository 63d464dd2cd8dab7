"""Value types of the log itself, shared by the log, its consumers and its projections.

An event is an immutable fact: a global sequence number, a type, a stream
(``source:seeds``, ``rule:japan-korea-summit``), a time, a JSON payload and an
idempotency key. Appending an event whose key is already stored is a no-op,
so re-polling an item or re-running a consumer never records a fact twice.

:class:`NewEvent` and :class:`StoredEvent` are defined in
:mod:`monitor.events.envelope`, below the store, with the catalogue of event
types whose records build and read them; they are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

from monitor.events.envelope import NewEvent, StoredEvent

__all__ = [
    "Head",
    "NewEvent",
    "Projector",
    "StoredEvent",
    "VerifyResult",
]


@dataclass(frozen=True, slots=True)
class Head:
    """Where the log ended when someone looked: the last ``seq`` and, if known, its ``hash``.

    Kept outside the database (a head file beside a SQLite store, an
    operator's note, ``monitor verify --expect-head``), it is what lets
    ``verify`` notice events removed from the end, which a hash chain alone
    cannot: a log cut after event 7 is a valid chain of 7 events.
    """

    seq: int
    hash: str | None = None

    @classmethod
    def parse(cls, text: str) -> Head:
        """``SEQ`` or ``SEQ:HASH`` (the form ``monitor verify`` prints); ValueError otherwise."""
        seq_text, sep, digest = text.strip().partition(":")
        if not seq_text.isdigit() or int(seq_text) < 1:
            raise ValueError(f"{text!r}: expected SEQ or SEQ:HASH with SEQ a positive integer")
        if sep and not (len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
            raise ValueError(f"{text!r}: HASH must be the 64 lower-case hex digits verify prints")
        return cls(int(seq_text), digest if sep else None)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}" if self.hash else str(self.seq)


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of ``monitor verify``: ``first_bad`` is ``None`` when the log holds.

    ``checked`` is the number of events walked; when the log holds it is the
    head's ``seq`` and ``head_hash`` its hash (``None`` for an empty log).
    ``anchors`` says what the end of the log was compared with (a head file,
    an expected head, consumer checkpoints), so an operator can tell a
    verified tail from an unverifiable one.
    """

    checked: int
    first_bad: int | None = None
    reason: str | None = None
    head_hash: str | None = None
    anchors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.first_bad is None


class Projector(Protocol):
    """A read model kept in step with the log, inside the append transaction.

    ``apply`` sees exactly the events an append inserted, on the same
    connection, so a projection is never ahead of or behind the log.
    ``reset`` drops and recreates its tables (``monitor rebuild``).
    """

    def reset(self, conn: Connection) -> None: ...

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None: ...
