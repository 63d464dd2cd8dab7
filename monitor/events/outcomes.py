"""What the rule engine records: watchlist versions, outcomes, failures.

:class:`Outcome` is the payload of ``AlertRaised`` and ``AlertSuppressed``:
the rule engine (:mod:`monitor.rules.engine`) builds it; the read models, the
outbox, the templates and backtest read it. Its fields are every key the
engine writes. Outcomes recorded before ``links`` (LINK) or ``event`` /
``dated`` (event dating) existed read those as empty; the identity of an
outcome (``rule``, ``source``, ``item``) is required, the rest has defaults,
since hand-made alerts (tests, template samples) carry only what they show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from dataclasses import field as _field
from datetime import date, datetime
from typing import Any

from monitor.events import names
from monitor.events.envelope import (
    ABSENT,
    CODEC,
    KEY,
    OMIT_EMPTY,
    OMIT_NONE,
    NewEvent,
    Payload,
    Record,
    StoredEvent,
)
from monitor.schedules import DigestSchedule

__all__ = [
    "DuplicateOf",
    "LinkEvidence",
    "MatchedSpan",
    "Outcome",
    "RuleFailed",
    "WatchlistsLoaded",
]


@dataclass(frozen=True, slots=True)
class WatchlistsLoaded(Record):
    """The watchlist version the engine decides with from now on (files by SHA-256).

    No outcome is recorded for a non-match; with this event and the articles
    a non-match can be re-derived.
    """

    TYPES = (names.WATCHLISTS_LOADED,)

    version: str
    directory: str = field(metadata={ABSENT: ""})
    files: Mapping[str, str] = field(metadata={ABSENT: {}})
    rules: tuple[str, ...] = field(metadata={ABSENT: ()})

    @property
    def stream(self) -> str:
        return names.WATCHLISTS_STREAM

    def to_event(self, after: int) -> NewEvent:
        """``after``: the last ``WatchlistsLoaded``'s seq (0: none), so a revert is recorded."""
        return self._event(names.watchlists_key(self.version, after))


@dataclass(frozen=True, slots=True)
class MatchedSpan(Payload):
    """A stretch of the article text that satisfied the rule (``field``: title or body)."""

    # (``field`` is also a field's name here: ``dataclasses.field`` is spelt ``_field``)
    field: str = _field(metadata={ABSENT: ""})
    start: int = _field(metadata={ABSENT: 0})
    end: int = _field(metadata={ABSENT: 0})
    text: str


@dataclass(frozen=True, slots=True)
class LinkEvidence(Payload):
    """One link ``LINK`` found: the sentence, the cue, how it linked, the two actors."""

    sentence: str
    cue: str
    how: str
    actors: tuple[str, ...] = field(metadata={ABSENT: ()})
    #: the two actors' roles when a parse read them ("subject", "object"); written only when
    #: set, so links the cue words found (and outcomes recorded before) keep their payload
    roles: tuple[str, ...] = field(default=(), metadata={OMIT_EMPTY: True})


@dataclass(frozen=True, slots=True)
class DuplicateOf(Payload):
    """The alert a suppressed outcome repeats, by its idempotency key (known before its seq)."""

    alert: str
    source: str | None
    item: str | None


def _event_days(raw: Any) -> tuple[date, date] | None:
    """The ``event`` of an outcome payload (absent before event dating; ``to`` optional)."""
    if not isinstance(raw, Mapping) or not raw.get("from"):
        return None
    return date.fromisoformat(raw["from"]), date.fromisoformat(raw.get("to") or raw["from"])


def _days_payload(days: tuple[date, date]) -> dict[str, str]:
    return {"from": days[0].isoformat(), "to": days[1].isoformat()}


#: ``event_days`` is stored as ``event``, ``{"from": …, "to": …}``
_EVENT_DAYS = {KEY: "event", CODEC: (_days_payload, _event_days)}
#: written only when the rule batches its alerts: other payloads are as they were
_DIGEST = {
    OMIT_NONE: True,
    CODEC: (lambda d: d.to_payload(), lambda raw: DigestSchedule.parse(raw, check_zone=False)),
}


@dataclass(frozen=True, slots=True)
class Outcome(Record):
    """One rule's decision about one article version: raised, or suppressed and why.

    ``reason`` (suppressed only): ``revision``, an event status other than
    ``new`` (``recap``, ``preview``, ``cancelled``, ``elsewhere``,
    ``undated``, ``unproven``: :mod:`monitor.rules.dating`), ``same story`` or
    ``throttled``. ``published`` is kept as the text the
    article gave (ISO 8601), since it is only shown; ``story_time`` (the
    published time, else the observation time) is what story windows compare.
    ``event_days`` is the payload's ``event`` and ``dated`` the dating's
    explanation for people (:meth:`monitor.rules.dating.EventTime.explain`,
    whose keys vary with what was found; no code reads it back).
    ``article_seq`` is 0 only in hand-made alerts (template samples).
    ``notify``, ``template`` and ``digest`` are the rule's delivery settings
    when it raised the alert (``digest``: when a rule that batches its alerts
    sends them), so the outbox decides from the log alone.
    """

    TYPES = (names.ALERT_RAISED, names.ALERT_SUPPRESSED)

    rule: str
    source: str
    item: str
    outcome: str = "raised"
    reason: str | None = None
    severity: str = "medium"
    watchlists: str | None = None
    article_seq: int = 0
    title: str = ""
    url: str | None = None
    published: str | None = None
    story_time: datetime | None = None
    key: str | None = None
    key_parts: tuple[str, ...] = ()
    event_days: tuple[date, date] | None = field(default=None, metadata=_EVENT_DAYS)
    dated: Mapping[str, Any] | None = None
    evidence: tuple[str, ...] = ()
    links: tuple[LinkEvidence, ...] = ()
    spans: tuple[MatchedSpan, ...] = ()
    duplicate_of: DuplicateOf | None = None
    notify: tuple[str, ...] | None = None
    template: str | None = None
    digest: DigestSchedule | None = field(default=None, metadata=_DIGEST)

    @property
    def raised(self) -> bool:
        return self.outcome == "raised"

    def describe(self) -> str:
        """The decision in words: "raised", "suppressed (same story)"."""
        return self.outcome + (f" ({self.reason})" if self.reason else "")

    @property
    def event_type(self) -> str:
        return names.ALERT_RAISED if self.raised else names.ALERT_SUPPRESSED

    @property
    def stream(self) -> str:
        return names.rule_stream(self.rule)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Outcome:
        """Generic (:class:`Payload`); a payload from before ``outcome`` was written says
        it by its reason."""
        outcome: Outcome = Payload.from_payload.__func__(cls, payload)  # type: ignore[attr-defined]
        if not payload.get("outcome") and outcome.reason:
            return replace(outcome, outcome="suppressed")
        return outcome

    @classmethod
    def from_event(cls, event: NewEvent | StoredEvent) -> Outcome:
        """As :meth:`Record.from_event`; the event's type (what readers select by) decides."""
        outcome = cls.from_payload(cls.payload_of(event))
        raised = event.type == names.ALERT_RAISED
        if outcome.raised == raised:
            return outcome
        return replace(outcome, outcome="raised" if raised else "suppressed")

    def to_event(self, article_key: str, time: datetime | None = None) -> NewEvent:
        """``article_key``: the ``ArticleObserved`` key decided; ``time``: its observation."""
        return self._event(names.outcome_key(self.rule, article_key), time)


@dataclass(frozen=True, slots=True)
class RuleFailed(Record):
    """An article the rules could not evaluate: recorded, skipped, never fatal."""

    TYPES = (names.RULE_FAILED,)

    article_seq: int
    article: str  # the ArticleObserved key
    error: str
    watchlists: str | None

    @property
    def stream(self) -> str:
        return names.RULES_STREAM

    def to_event(self) -> NewEvent:
        return self._event(names.rule_failed_key(self.article))
