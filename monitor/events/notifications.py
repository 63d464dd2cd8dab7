"""What the outbox records: every notification is an event before it is sent, and after.

A notification is named by the key of its ``NotificationQueued`` (one per
raised alert and channel); the later events carry that name as
``notification``. Attempts count within a *round*; ``NotificationRetried``
(an operator re-queueing a dead letter) starts the next round, so the keys of
its attempts differ from the first round's. All stream to ``notify:{channel}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.events import names
from monitor.events.envelope import NewEvent, Record

__all__ = [
    "NotificationDeadLettered",
    "NotificationFailed",
    "NotificationMuted",
    "NotificationQueued",
    "NotificationRetried",
    "NotificationSent",
]


@dataclass(frozen=True, slots=True)
class _ForAlert(Record):
    """What a notification is before any attempt: one raised alert, one channel."""

    alert_seq: int
    alert_key: str
    rule: str
    channel: str

    @property
    def stream(self) -> str:
        return names.notify_stream(self.channel)

    def _alert(self) -> dict[str, Any]:
        return {
            "alert_seq": self.alert_seq,
            "alert_key": self.alert_key,
            "rule": self.rule,
            "channel": self.channel,
        }

    @staticmethod
    def _alert_fields(p: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "alert_seq": int(p["alert_seq"]),
            "alert_key": p["alert_key"],
            "rule": p["rule"],
            "channel": p["channel"],
        }


@dataclass(frozen=True, slots=True)
class NotificationQueued(_ForAlert):
    """A raised alert to send to one channel, with the template set its rule names.

    ``digest`` is set when the rule batches its alerts: the time of the
    digest the alert belongs to, which sends it (with the other alerts of the
    rule for that channel and time) no earlier than then. Written to the
    payload only when set, so other notifications' payloads are as they were.
    """

    TYPES = (names.NOTIFICATION_QUEUED,)

    template: str | None = None
    attempt: int = 0
    digest: datetime | None = None

    @property
    def key(self) -> str:
        """The notification's name, which every later event about it carries."""
        return names.queued_key(self.alert_key, self.channel)

    def to_payload(self) -> dict[str, Any]:
        return {
            **self._alert(),
            "template": self.template,
            "attempt": self.attempt,
            **({"digest": self.digest.isoformat()} if self.digest is not None else {}),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotificationQueued:
        p = payload
        digest = p.get("digest")
        return cls(
            **cls._alert_fields(p),
            template=p.get("template"),
            attempt=int(p.get("attempt") or 0),
            digest=datetime.fromisoformat(digest) if digest else None,
        )

    def to_event(self) -> NewEvent:
        return self._event(self.key)


@dataclass(frozen=True, slots=True)
class NotificationMuted(_ForAlert):
    """A raised alert not sent to one channel: its rule was muted (``mute``) when it was raised.

    Recorded in place of its ``NotificationQueued``, under its own key, so
    the outbox shows the alert as muted on that channel and ``monitor
    alerts`` can say by which mute; nothing sends it later.
    """

    TYPES = (names.NOTIFICATION_MUTED,)

    mute: str
    until: datetime

    def to_payload(self) -> dict[str, Any]:
        return {**self._alert(), "mute": self.mute, "until": self.until.isoformat()}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotificationMuted:
        p = payload
        return cls(**cls._alert_fields(p), mute=p["mute"], until=datetime.fromisoformat(p["until"]))

    def to_event(self) -> NewEvent:
        return self._event(names.muted_key(self.alert_key, self.channel))


@dataclass(frozen=True, slots=True)
class _Attempt(Record):
    """What every delivery outcome says: which notification, which attempt of which round."""

    notification: str
    alert_seq: int
    rule: str
    channel: str
    attempt: int
    round: int

    @property
    def stream(self) -> str:
        return names.notify_stream(self.channel)

    def _base(self) -> dict[str, Any]:
        return {
            "notification": self.notification,
            "alert_seq": self.alert_seq,
            "rule": self.rule,
            "channel": self.channel,
            "attempt": self.attempt,
            "round": self.round,
        }

    @staticmethod
    def _fields(p: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "notification": p["notification"],
            "alert_seq": int(p["alert_seq"]),
            "rule": p["rule"],
            "channel": p["channel"],
            "attempt": int(p["attempt"]),
            "round": int(p.get("round") or 0),
        }


@dataclass(frozen=True, slots=True)
class NotificationSent(_Attempt):
    """The channel accepted the message; ``detail`` is what it said."""

    TYPES = (names.NOTIFICATION_SENT,)

    detail: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {**self._base(), "detail": self.detail}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotificationSent:
        return cls(**cls._fields(payload), detail=payload.get("detail") or "")

    def to_event(self) -> NewEvent:
        """Keyed by the notification alone: sent once, whatever the round."""
        return self._event(names.sent_key(self.notification))


@dataclass(frozen=True, slots=True)
class NotificationFailed(_Attempt):
    """An attempt failed; ``next_attempt`` (fixed-width UTC text) is None when it was the last."""

    TYPES = (names.NOTIFICATION_FAILED,)

    error: str = ""
    next_attempt: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return {**self._base(), "error": self.error, "next_attempt": self.next_attempt}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotificationFailed:
        p = payload
        return cls(**cls._fields(p), error=p.get("error") or "", next_attempt=p.get("next_attempt"))

    def to_event(self) -> NewEvent:
        return self._event(names.failed_key(self.notification, self.round, self.attempt))


@dataclass(frozen=True, slots=True)
class NotificationDeadLettered(_Attempt):
    """The round's last attempt failed: nothing more is tried until an operator retries."""

    TYPES = (names.NOTIFICATION_DEAD,)

    error: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {**self._base(), "error": self.error}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotificationDeadLettered:
        return cls(**cls._fields(payload), error=payload.get("error") or "")

    def to_event(self) -> NewEvent:
        return self._event(names.dead_key(self.notification, self.round))


@dataclass(frozen=True, slots=True)
class NotificationRetried(Record):
    """An operator re-queued a dead letter: ``round`` is the new round, attempts start again."""

    TYPES = (names.NOTIFICATION_RETRIED,)

    notification: str
    alert_seq: int
    rule: str
    channel: str
    round: int

    @property
    def stream(self) -> str:
        return names.notify_stream(self.channel)

    def to_payload(self) -> dict[str, Any]:
        return {
            "notification": self.notification,
            "alert_seq": self.alert_seq,
            "rule": self.rule,
            "channel": self.channel,
            "round": self.round,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotificationRetried:
        p = payload
        return cls(p["notification"], int(p["alert_seq"]), p["rule"], p["channel"], int(p["round"]))

    def to_event(self) -> NewEvent:
        return self._event(names.retried_key(self.notification, self.round))
