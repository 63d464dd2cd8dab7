"""The rule engine: a consumer of ``ArticleObserved`` that appends rule outcomes.

It reads articles after its checkpoint, evaluates every rule in one pass per
article, decides raised / suppressed, and appends the outcomes *with* the new
checkpoint in one transaction: a crash between the two cannot lose or repeat
an outcome, and the idempotency key (rule + article version) makes a re-run
harmless anyway.

What is decided, and how, is :class:`monitor.rules.decider.Decider`'s, which
does no I/O; the engine feeds it the alerts the log holds (raised by any
process) and appends what it decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from monitor.events import (
    ALERT_RAISED,
    ARTICLE_OBSERVED,
    RULE_FAILED,
    WATCHLISTS_LOADED,
    ArticleObserved,
    RuleFailed,
    WatchlistsLoaded,
)
from monitor.rules.decider import Decider
from monitor.rules.watchlist import Watchlists
from monitor.store.consumer import consume
from monitor.store.events import NewEvent, StoredEvent
from monitor.store.locks import try_lock
from monitor.store.log import EventLog

__all__ = ["CONSUMER", "RULE_FAILED", "RuleEngine"]

CONSUMER = "rules"
log = logging.getLogger("monitor.rules")


class RuleEngine:
    """Evaluates watchlists against the log; one instance per process."""

    def __init__(self, log: EventLog, watchlists: Watchlists, *, batch: int = 500):
        self.log = log
        self.watchlists = watchlists
        self.batch = batch
        self.decider = Decider(watchlists)
        self._state_seq = 0
        #: called after each batch is recorded: a long catch-up is progress (the daemon's health)
        self.heartbeat: Callable[[], None] | None = None

    def record_watchlists(self) -> StoredEvent | None:
        """Append ``WatchlistsLoaded`` when this version differs from the last recorded one."""
        last: StoredEvent | None = None
        for ev in self.log.read(types=[WATCHLISTS_LOADED]):
            last = ev
        wl = self.watchlists
        if last is not None and WatchlistsLoaded.from_event(last).version == wl.version:
            return None
        rules = tuple(r.id for r in wl.rules)
        loaded = WatchlistsLoaded(wl.version, str(wl.directory), wl.files, rules)
        stored = self.log.append([loaded.to_event(after=last.seq if last else 0)])
        return stored[0] if stored else None

    def run(self) -> int:
        """Process every article after the checkpoint; returns outcomes appended.

        Only one process runs the engine at a time (a database lock), so
        several daemons on one store do not all evaluate the same articles;
        another process holding the lock means this one skips its turn.
        Correctness does not rest on the lock alone: every engine reads
        articles in log order from the shared checkpoint, which moves in the
        transaction that records the outcomes, and outcomes are keyed by rule
        and article version, so a second engine on the same batch appends
        nothing.
        """
        with try_lock(self.log, CONSUMER) as mine:
            return self._run() if mine else 0

    def _run(self) -> int:
        # The batch's alerts are learnt before the append, so that a repeat later
        # in the batch is suppressed against them. If the append fails (a held
        # lock, a dropped connection), they are forgotten: otherwise the next pass
        # would suppress the same articles as repeats of alerts never stored.
        return consume(
            self.log,
            CONSUMER,
            [ARTICLE_OBSERVED],
            self._decide_batch,
            batch=self.batch,
            on_failed_append=self._forget,
            on_batch=self.heartbeat,
        )

    def _decide_batch(self, articles: Sequence[StoredEvent]) -> list[NewEvent]:
        """The outcomes of one batch of articles; a failing article is recorded, not fatal."""
        self._refresh_state()
        events: list[NewEvent] = []
        for ev in articles:
            try:
                events.extend(self.evaluate(ev))
            except Exception as exc:  # one bad article must not stop all alerting
                log.exception("rule evaluation failed for event %d (%s)", ev.seq, ev.key)
                error = f"{type(exc).__name__}: {exc}"
                failed = RuleFailed(ev.seq, ev.key, error, self.watchlists.version)
                events.append(failed.to_event())
        return events

    def _forget(self) -> None:
        """Drop everything learnt; the next pass re-reads the raised alerts from the log.

        Re-reading rather than undoing the batch: if the failed append did in fact
        commit (a connection lost after COMMIT), the log is the only one who knows.
        """
        self.decider.forget()
        self._state_seq = 0

    def _refresh_state(self) -> None:
        """Catch up on alerts raised since we last looked (another process, a restart)."""
        fresh = list(self.log.read(self._state_seq, types=[ALERT_RAISED]))
        self.decider.learn(fresh)
        if fresh:
            self._state_seq = max(self._state_seq, fresh[-1].seq)

    def evaluate(self, ev: StoredEvent) -> list[NewEvent]:
        """Outcomes for one ``ArticleObserved`` event (no I/O: the decider's)."""
        article = ArticleObserved.from_event(ev).article
        return self.decider.decide(article, key=ev.key, seq=ev.seq, time=ev.time)
