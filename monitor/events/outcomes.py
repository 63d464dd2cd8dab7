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
from datetime import date, datetime
from typing import Any

from monitor.events import names
from monitor.events.envelope import ABSENT, NewEvent, Record, StoredEvent
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
class MatchedSpan:
    """A stretch of the article text that satisfied the rule (``field``: title or body)."""

    field: str
    start: int
    end: int
    text: str

    def to_payload(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> MatchedSpan:
        return cls(p.get("field", ""), int(p.get("start", 0)), int(p.get("end", 0)), p["text"])


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    """One link ``LINK`` found: the sentence, the cue, how it linked, the two actors."""

    sentence: str
    cue: str
    how: str
    actors: tuple[str, ...]
    #: the two actors' roles when a parse read them ("subject", "object"); written only when
    #: set, so links the cue words found (and outcomes recorded before) keep their payload
    roles: tuple[str, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sentence": self.sentence,
            "cue": self.cue,
            "how": self.how,
            "actors": list(self.actors),
        }
        if self.roles:
            out["roles"] = list(self.roles)
        return out

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> LinkEvidence:
        return cls(
            p["sentence"],
            p["cue"],
            p["how"],
            tuple(p.get("actors") or ()),
            tuple(p.get("roles") or ()),
        )


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """The alert a suppressed outcome repeats, by its idempotency key (known before its seq)."""

    alert: str
    source: str | None
    item: str | None

    def to_payload(self) -> dict[str, Any]:
        return {"alert": self.alert, "source": self.source, "item": self.item}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> DuplicateOf:
        return cls(p["alert"], p.get("source"), p.get("item"))


@dataclass(frozen=True, slots=True)
class Outcome(Record):
    """One rule's decision about one article version: raised, or suppressed and why.

    ``reason`` (suppressed only): ``revision``, an event status other than
    ``new`` (``recap``, ``preview``, ``cancelled``, ``elsewhere``,
    ``undated``: :mod:`monitor.rules.dating`), ``same story`` or
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
    event_days: tuple[date, date] | None = None
    dated: Mapping[str, Any] | None = None
    evidence: tuple[str, ...] = ()
    links: tuple[LinkEvidence, ...] = ()
    spans: tuple[MatchedSpan, ...] = ()
    duplicate_of: DuplicateOf | None = None
    notify: tuple[str, ...] | None = None
    template: str | None = None
    digest: DigestSchedule | None = None

    @property
    def raised(self) -> bool:
        return self.outcome == "raised"

    @property
    def event_type(self) -> str:
        return names.ALERT_RAISED if self.raised else names.ALERT_SUPPRESSED

    @property
    def stream(self) -> str:
        return names.rule_stream(self.rule)

    def to_payload(self) -> dict[str, Any]:
        days = self.event_days
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "reason": self.reason,
            "severity": self.severity,
            "watchlists": self.watchlists,
            "article_seq": self.article_seq,
            "source": self.source,
            "item": self.item,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "story_time": self.story_time.isoformat() if self.story_time else None,
            "key": self.key,
            "key_parts": list(self.key_parts),
            "event": {"from": days[0].isoformat(), "to": days[1].isoformat()} if days else None,
            "dated": dict(self.dated) if self.dated is not None else None,
            "evidence": list(self.evidence),
            "links": [link.to_payload() for link in self.links],
            "spans": [span.to_payload() for span in self.spans],
            "duplicate_of": self.duplicate_of.to_payload() if self.duplicate_of else None,
            "notify": list(self.notify) if self.notify is not None else None,
            "template": self.template,
            # only when the rule batches its alerts: other payloads are as they were
            **({"digest": self.digest.to_payload()} if self.digest is not None else {}),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Outcome:
        p = payload
        dup = p.get("duplicate_of")
        notify = p.get("notify")
        story_time = p.get("story_time")
        reason = p.get("reason")
        return cls(
            rule=p["rule"],
            source=p["source"],
            item=p["item"],
            outcome=p.get("outcome") or ("suppressed" if reason else "raised"),
            reason=reason,
            severity=p.get("severity") or "medium",
            watchlists=p.get("watchlists"),
            article_seq=int(p.get("article_seq") or 0),
            title=p.get("title") or "",
            url=p.get("url"),
            published=p.get("published"),
            story_time=datetime.fromisoformat(story_time) if story_time else None,
            key=p.get("key"),
            key_parts=tuple(p.get("key_parts") or ()),
            event_days=_event_days(p.get("event")),
            dated=p.get("dated"),
            evidence=tuple(p.get("evidence") or ()),
            links=tuple(LinkEvidence.from_payload(x) for x in p.get("links") or ()),
            spans=tuple(MatchedSpan.from_payload(x) for x in p.get("spans") or ()),
            duplicate_of=DuplicateOf.from_payload(dup) if dup else None,
            notify=tuple(notify) if notify is not None else None,
            template=p.get("template"),
            digest=DigestSchedule.parse(p["digest"], check_zone=False) if p.get("digest") else None,
        )

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


def _event_days(raw: Any) -> tuple[date, date] | None:
    """The ``event`` of an outcome payload (absent before event dating; ``to`` optional)."""
    if not isinstance(raw, Mapping) or not raw.get("from"):
        return None
    return date.fromisoformat(raw["from"]), date.fromisoformat(raw.get("to") or raw["from"])


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
