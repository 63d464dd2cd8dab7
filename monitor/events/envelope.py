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

import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar, Self

__all__ = [
    "ABSENT",
    "CODEC",
    "FALLBACK",
    "FLATTEN",
    "KEY",
    "OMIT_EMPTY",
    "OMIT_NONE",
    "NewEvent",
    "Payload",
    "Record",
    "StoredEvent",
]

#: Field metadata: the field is written only when it is set (a key added in a later
#: version, so that every other payload stays as it was: ``{"omit_none": True}``).
OMIT_NONE = "omit_none"
#: Field metadata: what a payload stored before the field existed (or stored as null)
#: reads as, for a field that has no default (``{"absent": 0}``).
ABSENT = "absent"
#: Field metadata: the payload's key for the field, where it is not the field's name
#: (``Outcome.event_days`` is stored as ``event``).
KEY = "key"
#: Field metadata: ``(encode, decode)`` for a value whose payload has a shape of its own
#: (a pair of days as ``{"from", "to"}``, a digest schedule as its text).
CODEC = "codec"
#: Field metadata: the field is written only when it is not empty (``()``, ``""``).
OMIT_EMPTY = "omit_empty"
#: Field metadata: a nested record whose keys are written into this payload's own; it
#: reads as None when the key named here (one of its required keys) is absent.
FLATTEN = "flatten"
#: Field metadata: the key a missing value is read from instead (a key added since,
#: whose value older payloads stored under another name).
FALLBACK = "fallback"


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


class Payload:
    """A frozen dataclass written as a JSON payload and read back, generically.

    Both ways are generic, from the dataclass's fields, each written once: a
    field is a key of the same name (or ``KEY``'s); a datetime or a date is its
    ``isoformat()`` text, a tuple a list, a mapping an object, a nested
    :class:`Payload` its own payload (or, with ``FLATTEN``, its keys among
    this one's); a ``CODEC`` field is written and read by its pair of
    functions. Reading converts back by the field's type. A key missing or
    null reads as the field's default, else its ``ABSENT`` metadata, else
    None for an optional field; ``OMIT_NONE`` and ``OMIT_EMPTY`` leave a
    field out, so that a key added in a later version changes no other
    payload's bytes.
    """

    __slots__ = ()

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            meta = f.metadata
            if value is None and meta.get(OMIT_NONE):
                continue
            if meta.get(OMIT_EMPTY) and not value:
                continue
            if FLATTEN in meta:
                if value is not None:
                    out.update(value.to_payload())
                continue
            codec = meta.get(CODEC)
            out[meta.get(KEY, f.name)] = (
                codec[0](value) if codec is not None and value is not None else _encode(value)
            )
        return out

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        hints = _field_types(cls)  # type: ignore[arg-type]
        values: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            kind, optional = hints[f.name]
            meta = f.metadata
            if FLATTEN in meta:
                values[f.name] = kind.from_payload(payload) if meta[FLATTEN] in payload else None
                continue
            value = payload.get(meta.get(KEY, f.name))
            if value is None and FALLBACK in meta:
                value = payload.get(meta[FALLBACK])
            if value is not None:
                codec = meta.get(CODEC)
                values[f.name] = codec[1](value) if codec is not None else _decode(kind, value)
            elif f.default is not MISSING:
                values[f.name] = f.default
            elif ABSENT in f.metadata:
                values[f.name] = _decode(kind, f.metadata[ABSENT])  # a fresh {} each time
            elif optional:
                values[f.name] = None
            else:
                raise KeyError(f.name)
        return cls(**values)


class Record(Payload):
    """The typed payload of one event type: what a writer builds and a reader gets back.

    A subclass is a frozen dataclass that names the type(s) it records in
    ``TYPES``, knows its ``stream``, writes its payload with ``to_payload``
    (the exact JSON the log hashes, so the shape of a stored payload never
    changes by accident) and reads any payload an earlier version stored
    with ``from_payload`` (keys added since get their defaults: the log is
    append-only and old stores are still read and rebuilt) — both generic
    (:class:`Payload`). It builds its :class:`NewEvent` with ``to_event``,
    whose arguments are what the idempotency key needs beyond the payload
    (see :mod:`monitor.events.names`).
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


def _encode(value: Any) -> Any:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Payload):
        return value.to_payload()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind) or kind
    if origin is datetime:
        return datetime.fromisoformat(value)
    if origin is date:
        return date.fromisoformat(value)
    if isinstance(origin, type) and issubclass(origin, Payload):
        return origin.from_payload(value)
    if origin is bool:
        return bool(value)
    if origin is int:
        return int(value)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis and args[0] is not Any:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(value)
    if origin in (dict, Mapping):
        return dict(value)
    return value


@cache
def _field_types(cls: type) -> dict[str, tuple[Any, bool]]:
    """Each field's type, without ``| None``, and whether it is optional."""
    out: dict[str, tuple[Any, bool]] = {}
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        kind = hints[f.name]
        args = typing.get_args(kind)
        optional = typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in args
        if optional:
            (kind,) = [a for a in args if a is not type(None)]
        out[f.name] = (kind, optional)
    return out
