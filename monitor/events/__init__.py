"""The event catalogue: every type of fact the log holds, each with its typed payload.

One record class per payload (:class:`Outcome` serves ``AlertRaised`` and
``AlertSuppressed``), following :class:`~monitor.article.Article`: a frozen
dataclass with ``to_payload`` / ``from_payload`` (generic, from its fields:
:class:`~monitor.events.envelope.Record`), plus the event's ``stream``
and a ``to_event`` that builds the :class:`NewEvent` with its idempotency
key. A writer builds a record and appends ``record.to_event(...)``; a reader
selects events by type and gets the record back with
``Record.from_event(event)``. So mypy checks the rule engine's
``AlertRaised`` against the outbox, the templates and the read models that
read it, and the type names and key formats are written once, in
:mod:`monitor.events.names`. ``from_payload`` reads every payload an earlier
version stored (newer keys get defaults): the log is append-only, and old
stores are still read and rebuilt.

This package sits at the bottom of the layers: it imports the standard
library, :mod:`monitor.article` and :mod:`monitor.schedules` (the digest
schedule an alert carries), nothing of the store, the rules, the outbox or
the service. :data:`CATALOGUE` lists every type with its stream
and key formats; ``docs/architecture.md`` shows it as :func:`catalogue_table`
writes it (a test keeps the two equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from monitor.events.daemon import DaemonStarted, DaemonStopped
from monitor.events.envelope import NewEvent, Record, StoredEvent
from monitor.events.mutes import RuleMuted, RuleUnmuted
from monitor.events.names import (
    ALERT_RAISED,
    ALERT_SUPPRESSED,
    ARTICLE_KEY,
    ARTICLE_OBSERVED,
    DAEMON_KEY,
    DAEMON_STARTED,
    DAEMON_STOPPED,
    DAEMON_STREAM,
    DEAD_KEY,
    FAILED_KEY,
    FAILURE_KEY,
    FILE_FAILURE_KEY,
    MUTE_KEY,
    MUTED_KEY,
    NOTIFICATION_DEAD,
    NOTIFICATION_FAILED,
    NOTIFICATION_MUTED,
    NOTIFICATION_QUEUED,
    NOTIFICATION_RETRIED,
    NOTIFICATION_SENT,
    NOTIFY_STREAM,
    OUTCOME_KEY,
    POLL_KEY,
    QUEUED_KEY,
    RECOVERY_KEY,
    RETRIED_KEY,
    RULE_FAILED,
    RULE_FAILED_KEY,
    RULE_MUTED,
    RULE_STREAM,
    RULE_UNMUTED,
    RULES_STREAM,
    SENT_KEY,
    SOURCE_FAILED,
    SOURCE_POLLED,
    SOURCE_STREAM,
    UNMUTE_KEY,
    WATCHLISTS_KEY,
    WATCHLISTS_LOADED,
    WATCHLISTS_STREAM,
)
from monitor.events.notifications import (
    NotificationDeadLettered,
    NotificationFailed,
    NotificationMuted,
    NotificationQueued,
    NotificationRetried,
    NotificationSent,
)
from monitor.events.outcomes import (
    DuplicateOf,
    LinkEvidence,
    MatchedSpan,
    Outcome,
    RuleFailed,
    WatchlistsLoaded,
)
from monitor.events.sources import (
    ArticleHead,
    ArticleObserved,
    FeedFetch,
    SourceFailed,
    SourcePolled,
)

__all__ = [
    "ALERT_RAISED",
    "ALERT_SUPPRESSED",
    "ARTICLE_OBSERVED",
    "CATALOGUE",
    "DAEMON_STARTED",
    "DAEMON_STOPPED",
    "EVENT_TYPES",
    "NOTIFICATION_DEAD",
    "NOTIFICATION_FAILED",
    "NOTIFICATION_MUTED",
    "NOTIFICATION_QUEUED",
    "NOTIFICATION_RETRIED",
    "NOTIFICATION_SENT",
    "NOTIFICATION_TYPES",
    "OUTCOME_TYPES",
    "MUTE_TYPES",
    "RULE_FAILED",
    "RULE_MUTED",
    "RULE_UNMUTED",
    "SOURCE_FAILED",
    "SOURCE_POLLED",
    "WATCHLISTS_LOADED",
    "ArticleHead",
    "ArticleObserved",
    "DaemonStarted",
    "DaemonStopped",
    "DuplicateOf",
    "EventType",
    "FeedFetch",
    "LinkEvidence",
    "NewEvent",
    "NotificationDeadLettered",
    "NotificationFailed",
    "NotificationMuted",
    "NotificationQueued",
    "NotificationRetried",
    "NotificationSent",
    "Outcome",
    "Record",
    "RuleFailed",
    "RuleMuted",
    "RuleUnmuted",
    "SourceFailed",
    "SourcePolled",
    "MatchedSpan",
    "StoredEvent",
    "WatchlistsLoaded",
    "catalogue_table",
    "decode",
]

OUTCOME_TYPES = Outcome.TYPES
NOTIFICATION_TYPES = (
    NOTIFICATION_QUEUED,
    NOTIFICATION_SENT,
    NOTIFICATION_FAILED,
    NOTIFICATION_DEAD,
    NOTIFICATION_RETRIED,
    NOTIFICATION_MUTED,
)
MUTE_TYPES = (RULE_MUTED, RULE_UNMUTED)


@dataclass(frozen=True, slots=True)
class EventType:
    """One entry of the catalogue: a type, its payload record, its stream and key formats."""

    name: str
    record: type[Record]
    stream: str
    keys: tuple[str, ...]
    writer: str


CATALOGUE: tuple[EventType, ...] = (
    EventType(ARTICLE_OBSERVED, ArticleObserved, SOURCE_STREAM, (ARTICLE_KEY,), "sources, replay"),
    EventType(SOURCE_POLLED, SourcePolled, SOURCE_STREAM, (POLL_KEY, RECOVERY_KEY), "sources"),
    EventType(
        SOURCE_FAILED, SourceFailed, SOURCE_STREAM, (FAILURE_KEY, FILE_FAILURE_KEY), "sources"
    ),
    EventType(
        WATCHLISTS_LOADED, WatchlistsLoaded, WATCHLISTS_STREAM, (WATCHLISTS_KEY,), "rule engine"
    ),
    EventType(ALERT_RAISED, Outcome, RULE_STREAM, (OUTCOME_KEY,), "rule engine"),
    EventType(ALERT_SUPPRESSED, Outcome, RULE_STREAM, (OUTCOME_KEY,), "rule engine"),
    EventType(RULE_FAILED, RuleFailed, RULES_STREAM, (RULE_FAILED_KEY,), "rule engine"),
    EventType(NOTIFICATION_QUEUED, NotificationQueued, NOTIFY_STREAM, (QUEUED_KEY,), "outbox"),
    EventType(NOTIFICATION_SENT, NotificationSent, NOTIFY_STREAM, (SENT_KEY,), "outbox"),
    EventType(NOTIFICATION_FAILED, NotificationFailed, NOTIFY_STREAM, (FAILED_KEY,), "outbox"),
    EventType(NOTIFICATION_DEAD, NotificationDeadLettered, NOTIFY_STREAM, (DEAD_KEY,), "outbox"),
    EventType(NOTIFICATION_RETRIED, NotificationRetried, NOTIFY_STREAM, (RETRIED_KEY,), "outbox"),
    EventType(NOTIFICATION_MUTED, NotificationMuted, NOTIFY_STREAM, (MUTED_KEY,), "outbox"),
    EventType(RULE_MUTED, RuleMuted, RULE_STREAM, (MUTE_KEY,), "`monitor mute`"),
    EventType(RULE_UNMUTED, RuleUnmuted, RULE_STREAM, (UNMUTE_KEY,), "`monitor unmute`"),
    EventType(DAEMON_STARTED, DaemonStarted, DAEMON_STREAM, (DAEMON_KEY,), "daemon"),
    EventType(DAEMON_STOPPED, DaemonStopped, DAEMON_STREAM, (DAEMON_KEY,), "daemon"),
)

#: Every event type this version appends. ``monitor events --type`` accepts these
#: and any type already in the log (a newer version's, a retired one's).
EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in CATALOGUE)

_BY_NAME: Mapping[str, EventType] = {t.name: t for t in CATALOGUE}


def decode(event: NewEvent | StoredEvent) -> Record:
    """The typed record of any catalogued event; ValueError for a type not in the catalogue."""
    entry = _BY_NAME.get(event.type)
    if entry is None:
        raise ValueError(f"{event.type!r} is not an event type of this version")
    return entry.record.from_event(event)


def catalogue_table() -> str:
    """The catalogue as the Markdown table ``docs/architecture.md`` shows."""
    rows = [
        "| type | payload record | stream | idempotency key | appended by |",
        "|---|---|---|---|---|",
    ]
    for t in CATALOGUE:
        keys = " or ".join(f"`{k}`" for k in t.keys)
        rows.append(f"| `{t.name}` | `{t.record.__name__}` | `{t.stream}` | {keys} | {t.writer} |")
    return "\n".join(rows) + "\n"
