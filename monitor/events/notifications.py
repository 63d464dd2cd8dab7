"""What the outbox records: every notification is an event before it is sent, and after.

A notification is named by the key of its ``NotificationQueued`` (one per
raised alert and channel); the later events carry that name as
``notification``. Attempts count within a *round*; ``NotificationRetried``
(an operator re-queueing a dead letter) starts the next round, so the keys of
its attempts differ from the first round's. All stream to ``notify:{channel}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor.events import names
from monitor.events.envelope import ABSENT, OMIT_NONE, NewEvent, Record

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
    digest: datetime | None = field(default=None, metadata={OMIT_NONE: True})

    @property
    def key(self) -> str:
        """The notification's name, which every later event about it carries."""
        return names.queued_key(self.alert_key, self.channel)

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
    round: int = field(metadata={ABSENT: 0})  # payloads from before rounds were counted

    @property
    def stream(self) -> str:
        return names.notify_stream(self.channel)


@dataclass(frozen=True, slots=True)
class NotificationSent(_Attempt):
    """The channel accepted the message; ``detail`` is what it said."""

    TYPES = (names.NOTIFICATION_SENT,)

    detail: str = ""

    def to_event(self) -> NewEvent:
        """Keyed by the notification alone: sent once, whatever the round."""
        return self._event(names.sent_key(self.notification))


@dataclass(frozen=True, slots=True)
class NotificationFailed(_Attempt):
    """An attempt failed; ``next_attempt`` (fixed-width UTC text) is None when it was the last."""

    TYPES = (names.NOTIFICATION_FAILED,)

    error: str = ""
    next_attempt: str | None = None

    def to_event(self) -> NewEvent:
        return self._event(names.failed_key(self.notification, self.round, self.attempt))


@dataclass(frozen=True, slots=True)
class NotificationDeadLettered(_Attempt):
    """The round's last attempt failed: nothing more is tried until an operator retries."""

    TYPES = (names.NOTIFICATION_DEAD,)

    error: str = ""

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

    def to_event(self) -> NewEvent:
        return self._event(names.retried_key(self.notification, self.round))
