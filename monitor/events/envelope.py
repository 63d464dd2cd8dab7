"""The envelope every event travels in, and the base of the typed payload records.

An event is an immutable fact: a global sequence number, a type, a stream
(``source:seeds``, ``rule:japan-korea-summit``), a time, a JSON payload and an
idempotency key. Appending an event whose key is already stored is a no-op,
so re-polling an item or re-running a consumer never records a fact twice.

:class:`NewEvent` and :class:`StoredEvent` live here, below the store, so that
the catalogue's records can build and read them without importing the store
(:mod:`monitor.store.events` re-exports both for the code that always
imported them from there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

__all__ = ["NewEvent", "Record", "StoredEvent"]


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append; the log assigns ``seq``, the hashes and (if absent) ``time``."""

    type: str
    stream: str
    key: str
    payload: dict[str, Any]
    time: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: ``hash`` covers every field and ``prev_hash``."""

    seq: int
    type: str
    stream: str
    key: str
    time: datetime
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class Record:
    """The typed payload of one event type: what a writer builds and a reader gets back.

    A subclass is a frozen dataclass that names the type(s) it records in
    ``TYPES``, knows its ``stream``, writes its payload with ``to_payload``
    (the exact JSON the log hashes, so the shape of a stored payload never
    changes by accident) and reads any payload an earlier version stored
    with ``from_payload`` (keys added since get their defaults: the log is
    append-only and old stores are still read and rebuilt). It builds its
    :class:`NewEvent` with ``to_event``, whose arguments are what the
    idempotency key needs beyond the payload (see :mod:`monitor.events.names`).
    """

    __slots__ = ()

    #: the event type(s) this record is the payload of; the first is the default
    TYPES: ClassVar[tuple[str, ...]]

    @property
    def event_type(self) -> str:
        """The type of the event this record becomes."""
        return self.TYPES[0]

    @property
    def stream(self) -> str:
        raise NotImplementedError

    def to_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        raise NotImplementedError

    @classmethod
    def from_event(cls, event: NewEvent | StoredEvent) -> Self:
        """The record an event holds; ValueError for an event of another type."""
        return cls.from_payload(cls.payload_of(event))

    @classmethod
    def payload_of(cls, event: NewEvent | StoredEvent) -> dict[str, Any]:
        """The event's payload, once it is known to be one of ours."""
        if event.type not in cls.TYPES:
            raise ValueError(f"{event.type} event {event.key!r} does not hold a {cls.__name__}")
        return event.payload

    def _event(self, key: str, time: datetime | None = None) -> NewEvent:
        return NewEvent(self.event_type, self.stream, key, self.to_payload(), time)
