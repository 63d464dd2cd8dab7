"""Every string the log is indexed by: event types, streams and idempotency keys.

Kept in one module so that a reviewer sees every format at once. A key
format is a promise to every store already written: the log refuses a key it
holds, so the same fact must give the same key forever. Change a format and
re-polling a feed, re-running the rule engine or re-queueing an alert records
the fact a second time. ``tests/test_events.py`` pins each builder's output.

Each format is a plain ``str.format`` template (the text the catalogue and
``docs/architecture.md`` show) and a typed builder that fills it in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

# -- event types -------------------------------------------------------------------

ARTICLE_OBSERVED: Final = "ArticleObserved"
SOURCE_POLLED: Final = "SourcePolled"
SOURCE_FAILED: Final = "SourceFailed"
WATCHLISTS_LOADED: Final = "WatchlistsLoaded"
ALERT_RAISED: Final = "AlertRaised"
ALERT_SUPPRESSED: Final = "AlertSuppressed"
RULE_FAILED: Final = "RuleFailed"
NOTIFICATION_QUEUED: Final = "NotificationQueued"
NOTIFICATION_SENT: Final = "NotificationSent"
NOTIFICATION_FAILED: Final = "NotificationFailed"
NOTIFICATION_DEAD: Final = "NotificationDeadLettered"
NOTIFICATION_RETRIED: Final = "NotificationRetried"
NOTIFICATION_MUTED: Final = "NotificationMuted"
RULE_MUTED: Final = "RuleMuted"
RULE_UNMUTED: Final = "RuleUnmuted"
DAEMON_STARTED: Final = "DaemonStarted"
DAEMON_STOPPED: Final = "DaemonStopped"

# -- streams -----------------------------------------------------------------------

SOURCE_STREAM: Final = "source:{source}"
RULE_STREAM: Final = "rule:{rule}"
NOTIFY_STREAM: Final = "notify:{channel}"
WATCHLISTS_STREAM: Final = "watchlists"
RULES_STREAM: Final = "rules"  # a rule evaluation that failed: not one rule's
DAEMON_STREAM: Final = "daemon"


def source_stream(source: str) -> str:
    return SOURCE_STREAM.format(source=source)


def source_of_stream(stream: str) -> str | None:
    """The source a ``source:{source}`` stream belongs to (None for other streams)."""
    prefix = SOURCE_STREAM.removesuffix("{source}")
    return stream[len(prefix) :] if stream.startswith(prefix) else None


def rule_stream(rule: str) -> str:
    return RULE_STREAM.format(rule=rule)


def notify_stream(channel: str) -> str:
    return NOTIFY_STREAM.format(channel=channel)


# -- idempotency keys --------------------------------------------------------------

#: an article version: a changed text (content hash) is a new fact
ARTICLE_KEY: Final = "article:{source}:{item}:{content_hash}"
#: a feed poll worth recording: new entries or validators (the validator repeats otherwise)
POLL_KEY: Final = "poll:{source}:{validator}"
#: a poll that ended a run of failures: news even when the validator is an old one
RECOVERY_KEY: Final = "poll:{source}:{validator}:recovered:{time}"
#: the n-th failure in a row of a source, at the time of the poll
FAILURE_KEY: Final = "fail:{source}:{failures}:{time}"
#: a fixture file that cannot be read: once per file and problem while it persists
FILE_FAILURE_KEY: Final = "fail:{source}:{url}:{message}"
#: a watchlist version, once after each earlier WatchlistsLoaded (a revert is recorded)
WATCHLISTS_KEY: Final = "watchlists:{version}:after:{after}"
#: one rule's outcome for one article version (AlertRaised or AlertSuppressed)
OUTCOME_KEY: Final = "outcome:{rule}:{article_key}"
RULE_FAILED_KEY: Final = "rule-failed:{article_key}"
#: a raised alert for one channel: also the notification's name in the outbox
QUEUED_KEY: Final = "notify:{alert_key}:{channel}"
SENT_KEY: Final = "sent:{notification}"
FAILED_KEY: Final = "failed:{notification}:r{round}:{attempt}"
DEAD_KEY: Final = "dead:{notification}:r{round}"
RETRIED_KEY: Final = "retried:{notification}:r{round}"
#: a raised alert not sent to one channel because its rule was muted when it was raised
MUTED_KEY: Final = "muted:{alert_key}:{channel}"
#: an operator muted a rule, at the time the mute was asked for (its start)
MUTE_KEY: Final = "mute:{rule}:{time}"
#: a mute ended before its time (``monitor unmute``): once per mute
UNMUTE_KEY: Final = "unmute:{mute}"
#: DaemonStarted / DaemonStopped: one per process life, keyed by its pid and clock
DAEMON_KEY: Final = "{type}:{pid}:{time}"


def article_key(source: str, item: str, content_hash: str) -> str:
    return ARTICLE_KEY.format(source=source, item=item, content_hash=content_hash)


def poll_key(source: str, validator: str, recovered_at: datetime | None = None) -> str:
    if recovered_at is None:
        return POLL_KEY.format(source=source, validator=validator)
    return RECOVERY_KEY.format(source=source, validator=validator, time=recovered_at.isoformat())


def failure_key(source: str, failures: int, at: datetime) -> str:
    return FAILURE_KEY.format(source=source, failures=failures, time=at.isoformat())


def file_failure_key(source: str, url: str | None, message: str) -> str:
    return FILE_FAILURE_KEY.format(source=source, url=url, message=message)


def watchlists_key(version: str, after: int) -> str:
    return WATCHLISTS_KEY.format(version=version, after=after)


def outcome_key(rule: str, article_key: str) -> str:
    return OUTCOME_KEY.format(rule=rule, article_key=article_key)


def rule_failed_key(article_key: str) -> str:
    return RULE_FAILED_KEY.format(article_key=article_key)


def queued_key(alert_key: str, channel: str) -> str:
    return QUEUED_KEY.format(alert_key=alert_key, channel=channel)


def sent_key(notification: str) -> str:
    return SENT_KEY.format(notification=notification)


def failed_key(notification: str, round: int, attempt: int) -> str:
    return FAILED_KEY.format(notification=notification, round=round, attempt=attempt)


def dead_key(notification: str, round: int) -> str:
    return DEAD_KEY.format(notification=notification, round=round)


def retried_key(notification: str, round: int) -> str:
    return RETRIED_KEY.format(notification=notification, round=round)


def muted_key(alert_key: str, channel: str) -> str:
    return MUTED_KEY.format(alert_key=alert_key, channel=channel)


def mute_key(rule: str, at: datetime) -> str:
    return MUTE_KEY.format(rule=rule, time=at.isoformat())


def unmute_key(mute: str) -> str:
    return UNMUTE_KEY.format(mute=mute)


def daemon_key(type: str, pid: int, at: datetime) -> str:
    return DAEMON_KEY.format(type=type, pid=pid, time=at.isoformat())
