"""What an operator records about a rule's notifications: a mute, and its early end.

A mute is Alertmanager's *silence* for one rule: while it is in force the
rule's alerts are still raised and recorded (a muted summit is still the
first report of its story), but the outbox records them as
``NotificationMuted`` instead of sending them. A mute is in force from the
time it was recorded (``starts``) until ``ends``, unless a ``RuleUnmuted``
for it comes first. Whether an alert was muted is decided from the log alone
(the mutes recorded before the alert, at the alert's time), so re-running
the outbox after a crash or a rebuild decides the same. Both stream to the
rule's stream, beside the rule's outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.events import names
from monitor.events.envelope import NewEvent, Record

__all__ = ["RuleMuted", "RuleUnmuted"]


@dataclass(frozen=True, slots=True)
class RuleMuted(Record):
    """``rule``'s notifications are muted from ``starts`` to ``ends``; ``by`` who, and why."""

    TYPES = (names.RULE_MUTED,)

    rule: str
    starts: datetime
    ends: datetime
    reason: str = ""
    by: str = ""

    @property
    def stream(self) -> str:
        return names.rule_stream(self.rule)

    @property
    def key(self) -> str:
        """The mute's name, which its ``RuleUnmuted`` and the muted notifications carry."""
        return names.mute_key(self.rule, self.starts)

    def to_event(self) -> NewEvent:
        """Timed at its start, so the log's time and the mute's agree."""
        return self._event(self.key, self.starts)


@dataclass(frozen=True, slots=True)
class RuleUnmuted(Record):
    """The mute named ``mute`` (a ``RuleMuted`` key) ended before its time."""

    TYPES = (names.RULE_UNMUTED,)

    mute: str
    rule: str
    reason: str = ""
    by: str = ""

    @property
    def stream(self) -> str:
        return names.rule_stream(self.rule)

    def to_event(self) -> NewEvent:
        return self._event(names.unmute_key(self.mute))
