"""``/metrics``: Prometheus metrics from the log, the read models and the daemon's memory.

Where each number comes from, and why:

* **Facts the log records are counted from the log** — items observed and
  source failures per source, outcomes per rule, outcome and reason,
  deliveries per channel and result. They survive restarts, agree with
  ``monitor events``/``monitor alerts``, and cannot drift from what was
  recorded. :class:`LogTally` keeps them as in-memory totals advanced by a
  ``GROUP BY`` over only the events appended since the last scrape (a range
  of the primary key), so a scrape costs the new events, not the log; the
  first scrape after start counts the whole log once.
* **Polls are counted in the daemon's memory** (``monitor_polls_total``):
  the log deliberately records no event for a poll that found nothing new
  (facts, not heartbeats), so only the process that polled knows. It
  starts at 0 with the process, as Prometheus counters may.
* **States are gauges read at scrape time** from the read models: consumer
  lag, the outbox by channel and status (its depth), each source's
  consecutive failures and last poll/success/new-item times, the log head,
  the daemon's health.

Several daemons sharing one PostgreSQL store all report the same log-derived
totals (each reports its own polls): aggregate those with ``max``, not
``sum``. A store that cannot be read gives ``monitor_store_up 0`` and the
in-process metrics only, never a failed scrape.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from prometheus_client import CollectorRegistry, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from monitor import __version__
from monitor.app import Monitor
from monitor.events import (
    ARTICLE_OBSERVED,
    NOTIFICATION_DEAD,
    NOTIFICATION_FAILED,
    NOTIFICATION_MUTED,
    NOTIFICATION_SENT,
    SOURCE_FAILED,
)
from monitor.front.web import views
from monitor.front.web.context import WebContext

__all__ = ["LogTally", "StoreCollector", "registry_for"]

log = logging.getLogger("monitor.front.web")

#: event type → delivery result label
DELIVERY_RESULTS = {
    NOTIFICATION_SENT: "sent",
    NOTIFICATION_FAILED: "failed",
    NOTIFICATION_DEAD: "dead",
    NOTIFICATION_MUTED: "muted",  # not sent: the alert's rule was muted when it was raised
}
COUNTED = (ARTICLE_OBSERVED, SOURCE_FAILED, *DELIVERY_RESULTS)


class LogTally:
    """Totals of counted events by (type, stream) and of outcomes, advanced incrementally."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # scrapes run in a thread pool, possibly two at once
        self._after = 0
        self.events: Counter[tuple[str, str]] = Counter()
        self.outcomes: Counter[tuple[str, str, str]] = Counter()

    def advance(self, app: Monitor) -> int:
        """Count the events appended since the last call; returns the log's head.

        Bounded by the head read first: everything up to it is committed
        (appends commit in ``seq`` order under the writer lock), so no event
        is counted twice or missed. A head below the last one seen means the
        store was restored from an older backup: the totals start over, and
        Prometheus reads the drop as a counter reset.
        """
        with self._lock:
            end = app.head_seq()
            if end < self._after:
                self._after = 0
                self.events.clear()
                self.outcomes.clear()
            if end > self._after:
                events, outcomes = app.counts_between(self._after, end, COUNTED)
                for type_, stream, n in events:
                    self.events[(type_, stream)] += n
                for rule, outcome, reason, n in outcomes:
                    self.outcomes[(rule, outcome, reason)] += n
                self._after = end
            return end

    def snapshot(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str, str], int]]:
        with self._lock:
            return dict(self.events), dict(self.outcomes)


class StoreCollector(Collector):
    """Collects every ``monitor_*`` metric at scrape time (see the module docstring)."""

    def __init__(self, context: WebContext) -> None:
        self.context = context
        self.tally = LogTally()

    def collect(self) -> Iterable[Metric]:
        yield InfoMetricFamily(
            "monitor_build", "The running monitor.", value={"version": __version__}
        )
        yield from self._daemon()
        try:
            metrics = list(self._store())
        except Exception as exc:  # a locked or unreachable store: say so, keep the rest
            log.warning("metrics: cannot read the store: %s", exc)
            metrics = []
        up = GaugeMetricFamily(
            "monitor_store_up", "1 when the store could be read for this scrape."
        )
        up.add_metric([], 1 if metrics else 0)
        yield up
        yield from metrics

    def _daemon(self) -> Iterable[Metric]:
        ctx = self.context
        if ctx.polls is not None:
            polls = CounterMetricFamily(
                "monitor_polls",
                "Source polls by this process, by result (ok, not_modified, error); "
                "counted in memory since the log records no unchanged poll.",
                labels=["source", "result"],
            )
            for (source, result), n in sorted(ctx.polls().items()):
                polls.add_metric([source, result], n)
            yield polls
        if ctx.health is not None:
            health = ctx.health()
            healthy = GaugeMetricFamily(
                "monitor_healthy",
                "1 while /healthz answers 200 (scheduler running, consumers live).",
            )
            healthy.add_metric([], 1 if health.get("healthy") else 0)
            yield healthy
            age = health.get("consumer_progress_age")
            if isinstance(age, int | float):
                g = GaugeMetricFamily(
                    "monitor_consumer_progress_age_seconds",
                    "Seconds since the decider or deliverer last completed a pass.",
                )
                g.add_metric([], float(age))
                yield g

    def _store(self) -> Iterable[Metric]:
        ctx = self.context
        app = ctx.app
        head = self.tally.advance(app)
        sources = views.sources(app, ctx.config())
        outbox = app.outbox_by_channel()
        muted = app.rule_counts().mutes
        state = views.log_state(app)
        events, outcomes = self.tally.snapshot()

        g = GaugeMetricFamily("monitor_log_head", "The sequence number of the log's last event.")
        g.add_metric([], head)
        yield g
        tail = GaugeMetricFamily(
            "monitor_log_tail_ok",
            "1 when the log's end agrees with its head file and checkpoints and the "
            "append-only triggers are in place (not a full verify).",
        )
        tail.add_metric([], 1 if state["tail_check"]["ok"] else 0)
        yield tail

        items = CounterMetricFamily(
            "monitor_items_observed",
            "Article versions observed (ArticleObserved events), by source.",
            labels=["source"],
        )
        failures = CounterMetricFamily(
            "monitor_source_failures",
            "Failed polls recorded in the log (SourceFailed events), by source.",
            labels=["source"],
        )
        deliveries = CounterMetricFamily(
            "monitor_deliveries",
            "Delivery attempts recorded in the log, by channel and result (sent, failed, dead),"
            " and notifications not sent because their rule was muted (muted).",
            labels=["channel", "result"],
        )
        for (type_, stream), n in sorted(events.items()):
            name = stream.partition(":")[2] or stream
            if type_ == ARTICLE_OBSERVED:
                items.add_metric([name], n)
            elif type_ == SOURCE_FAILED:
                failures.add_metric([name], n)
            else:
                deliveries.add_metric([name, DELIVERY_RESULTS[type_]], n)
        yield from (items, failures, deliveries)

        by_rule = CounterMetricFamily(
            "monitor_outcomes",
            "Rule outcomes by rule, outcome (raised, suppressed) and suppression reason.",
            labels=["rule", "outcome", "reason"],
        )
        for (rule, outcome, reason), n in sorted(outcomes.items()):
            by_rule.add_metric([rule, outcome, reason], n)
        yield by_rule

        mutes = GaugeMetricFamily(
            "monitor_rule_muted_until_timestamp_seconds",
            "When the mute in force on a rule ends (a rule without one has no sample).",
            labels=["rule"],
        )
        for rule, mute in sorted(muted.items()):
            mutes.add_metric([rule], datetime.fromisoformat(mute.ends).timestamp())
        yield mutes

        lag = GaugeMetricFamily(
            "monitor_consumer_lag_events",
            "Events of a consumer's type after its checkpoint.",
            labels=["consumer"],
        )
        for consumer, c in state["consumers"].items():
            lag.add_metric([consumer], c["lag"])
        yield lag

        notifications = GaugeMetricFamily(
            "monitor_outbox_notifications",
            "Notifications in the outbox by channel and status.",
            labels=["channel", "status"],
        )
        depth = 0
        for channel, status, n in sorted(outbox):
            notifications.add_metric([str(channel), str(status)], int(n))
            if status in ("queued", "failed"):
                depth += int(n)
        yield notifications
        d = GaugeMetricFamily(
            "monitor_outbox_depth",
            "Notifications not yet sent nor dead: queued, or failed and awaiting a retry.",
        )
        d.add_metric([], depth)
        yield d

        yield from _source_gauges(sources)


def _source_gauges(sources: list[dict[str, object]]) -> Iterable[Metric]:
    consecutive = GaugeMetricFamily(
        "monitor_source_consecutive_failures",
        "Failures in a row (0 once a poll succeeds); back-off grows with it.",
        labels=["source"],
    )
    times = {
        "last_poll": GaugeMetricFamily(
            "monitor_source_last_poll_timestamp_seconds",
            "When the source was last polled (Unix time).",
            labels=["source"],
        ),
        "last_success": GaugeMetricFamily(
            "monitor_source_last_success_timestamp_seconds",
            "When a poll of the source last succeeded (Unix time).",
            labels=["source"],
        ),
    }
    last_item = GaugeMetricFamily(
        "monitor_source_last_item_timestamp_seconds",
        "When the source last brought a new item or version (Unix time).",
        labels=["source"],
    )
    for s in sources:
        name = str(s["name"])
        consecutive.add_metric([name], float(s["failures"]))  # type: ignore[arg-type]
        for key, family in times.items():
            when = s.get(key)
            if isinstance(when, str):
                family.add_metric([name], datetime.fromisoformat(when).timestamp())
        item = s.get("last_item")
        if isinstance(item, dict) and item.get("observed"):
            last_item.add_metric([name], datetime.fromisoformat(item["observed"]).timestamp())
    yield consecutive
    yield from times.values()
    yield last_item


def registry_for(context: WebContext) -> CollectorRegistry:
    """A registry of its own (not the global one): each app, and each test, has its numbers."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(context))
    ProcessCollector(registry=registry)  # memory, CPU, open files of the daemon
    return registry
