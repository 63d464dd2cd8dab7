"""The rule engine: a consumer of ``ArticleObserved`` that appends rule outcomes.

It reads articles after its checkpoint, evaluates every rule in one pass per
article, decides raised / suppressed, and appends the outcomes *with* the new
checkpoint in one transaction: a crash between the two cannot lose or repeat
an outcome, and the idempotency key (rule + article version) makes a re-run
harmless anyway.

Decisions, in order, for a rule that matches:

1. the same item already raised an alert on this rule (a revised or re-sent
   article) → suppressed, ``reason: revision``;
2. the rule's ``new_story`` has a ``recency`` and the event the item reports
   is dated outside it (:mod:`monitor.rules.dating`) → suppressed, ``reason:
   recap`` or ``reason: preview``: recorded with the words that dated it, never
   alerted (only ``AlertRaised`` is ever queued for notification);
3. the rule has ``new_story`` and the story key repeats a story raised at the
   same time (event dates within the tolerance, else published times within
   the window) → suppressed, ``reason: same story``, pointing at that alert;
4. the rule has ``throttle`` and its budget is spent → suppressed,
   ``reason: throttled``;
5. otherwise → raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.article import Article
from monitor.events import (
    ALERT_RAISED,
    ARTICLE_OBSERVED,
    RULE_FAILED,
    WATCHLISTS_LOADED,
    ArticleObserved,
    DuplicateOf,
    LinkEvidence,
    Outcome,
    RuleFailed,
    Span,
    WatchlistsLoaded,
)
from monitor.rules.dating import EventTime
from monitor.rules.linking import describe, link_words
from monitor.rules.matcher import Doc, RuleMatch
from monitor.rules.story import Story, StoryIndex, date_story, format_key, story_key
from monitor.rules.watchlist import Rule, Watchlists
from monitor.store.consumer import consume
from monitor.store.events import NewEvent, StoredEvent
from monitor.store.locks import try_lock
from monitor.store.log import EventLog

__all__ = [
    "CONSUMER",
    "MAX_EVIDENCE",
    "RULE_FAILED",
    "SNIPPET_CHARS",
    "RuleEngine",
    "evidence",
    "links",
]

CONSUMER = "rules"
log = logging.getLogger("monitor.rules")
MAX_EVIDENCE = 6
SNIPPET_CHARS = 240


@dataclass
class _RuleState:
    stories: StoryIndex = field(default_factory=StoryIndex)
    items: dict[tuple[str, str], Story] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)


class RuleEngine:
    """Evaluates watchlists against the log; one instance per process."""

    def __init__(self, log: EventLog, watchlists: Watchlists, *, batch: int = 500):
        self.log = log
        self.watchlists = watchlists
        self.batch = batch
        self._state: dict[str, _RuleState] = {}
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
        self._state.clear()
        self._state_seq = 0

    def _refresh_state(self) -> None:
        """Catch up on alerts raised since we last looked (another process, a restart)."""
        fresh = list(self.log.read(self._state_seq, types=[ALERT_RAISED]))
        self._learn(fresh)
        if fresh:
            self._state_seq = max(self._state_seq, fresh[-1].seq)

    def _learn(self, events: Iterable[StoredEvent | NewEvent]) -> None:
        """Remember raised alerts: their stories, items and times (for the next decisions)."""
        for ev in events:
            if ev.type == ALERT_RAISED:
                self._learn_alert(Outcome.from_event(ev), ev.key, ev.time)

    def _learn_alert(self, alert: Outcome, key: str, time: datetime | None) -> None:
        state = self._state.setdefault(alert.rule, _RuleState())
        if key in state.keys:
            return
        state.keys.add(key)
        # The engine writes every alert's story time; a hand-made one falls back on its event's.
        story_time = alert.story_time or time
        if story_time is None:
            raise ValueError(f"alert {key!r} has neither a story time nor an event time")
        story = Story(
            rule=alert.rule,
            key=alert.key_parts,
            time=story_time,
            alert_key=key,
            source=alert.source,
            item=alert.item,
            raised_at=time or story_time,
            event=alert.event_days,
        )
        state.stories.add(story)
        state.items.setdefault((story.source, story.item), story)

    def evaluate(self, ev: StoredEvent) -> list[NewEvent]:
        """Outcomes for one ``ArticleObserved`` event (no I/O).

        A raised alert is learnt at once, so a repeat later in the same batch
        is already suppressed against it (referenced by its idempotency key,
        which is known before the append assigns sequence numbers).
        """
        article = ArticleObserved.from_event(ev).article
        doc, matches = self.watchlists.matcher.match(article)
        when = article.published or ev.time
        outcomes = [
            self._outcome(self.watchlists.rules[match.index], match, doc, article, ev, when)
            for match in matches
        ]
        out = [o.to_event(article_key=ev.key, time=ev.time) for o in outcomes]
        for outcome, event in zip(outcomes, out, strict=True):
            if outcome.raised:
                self._learn_alert(outcome, event.key, event.time)
        return out

    def _outcome(
        self,
        rule: Rule,
        match: RuleMatch,
        doc: Doc,
        article: Article,
        ev: StoredEvent,
        when: datetime,
    ) -> Outcome:
        state = self._state.setdefault(rule.id, _RuleState())
        spec = rule.spec
        key: tuple[str, ...] = ()
        ns = spec.new_story
        event: EventTime | None = None
        if ns:
            event = date_story(doc, match.spans, ns, self.watchlists.gazetteer)
            key = story_key(doc, ns.key, self.watchlists.gazetteer, spans=match.spans, event=event)
        days = (event.lo, event.hi) if event is not None else None
        reason: str | None = None
        dup: Story | None = state.items.get((article.source, article.item_id))
        if dup is not None:
            reason = "revision"
        elif event is not None and event.status != "new":
            reason = event.status  # "recap", "preview", "cancelled" …: recorded, never alerts
        elif ns:
            dup = state.stories.find_repeat(
                key, when, ns.window, event=days, tolerance=ns.tolerance
            )
            if dup is not None:
                reason = "same story"
        if reason is None and spec.throttle:
            since = ev.time - spec.throttle.per
            recent = 0
            for st in reversed(state.stories.all):  # newest first: stop at the first old one
                if st.raised_at <= since:
                    break
                recent += 1
            if recent >= spec.throttle.max:
                reason = "throttled"
        return Outcome(
            rule=rule.id,
            outcome="suppressed" if reason else "raised",
            reason=reason,
            severity=rule.severity,
            watchlists=self.watchlists.version,
            article_seq=ev.seq,
            source=article.source,
            item=article.item_id,
            title=article.title,
            url=article.url,
            published=article.published.isoformat() if article.published else None,
            story_time=when,
            key=format_key(key) if key else None,
            key_parts=key,
            event_days=days,
            dated=event.explain() if event is not None else None,
            evidence=(*evidence(doc, match), *([event.describe()] if event is not None else [])),
            links=tuple(LinkEvidence.from_payload(link) for link in links(doc, match)),
            spans=tuple(Span(doc.field_of(s), s, e, doc.text[s:e]) for s, e in match.spans),
            duplicate_of=DuplicateOf(dup.alert_key, dup.source, dup.item) if dup else None,
            notify=tuple(spec.notify) if spec.notify is not None else None,
            template=spec.template,
            digest=spec.digest.schedule if spec.digest is not None else None,
        )


def evidence(doc: Doc, match: RuleMatch) -> list[str]:
    """The sentences holding the matched spans, each trimmed to a readable snippet.

    A sentence where ``LINK`` found its two sides linked ends with who did
    what to whom (``[linked by "greets": Putin (subject) — greets — Kim
    (object)]``), or the cue word when the parse could not be read
    (``[linked by "supplying": between]``), so the alert says why the
    sentence counts, not only where it is.
    """
    out: list[str] = []
    seen: set[tuple[int, int]] = set()
    cues = {span: link for span, link in doc.links.items() if span in set(match.spans)}
    for start, end in match.spans:
        sent = doc.sentence_of(start)
        if sent in seen:
            continue
        seen.add(sent)
        snippet = _snippet(doc.text, sent, (start, end))
        for link in cues.values():
            if link.sentence == sent:
                snippet += f" [{link_words(doc.text, link)}]"
                break
        out.append(snippet)
        if len(out) >= MAX_EVIDENCE:
            break
    return out


def links(doc: Doc, match: RuleMatch) -> list[dict[str, Any]]:
    """Each link ``LINK`` found for this match: sentence, cue, how, and the two actors."""
    spans = set(match.spans)
    found = sorted((cue, link) for cue, link in doc.links.items() if cue in spans)
    return [describe(doc.text, link) for _, link in found]


def _snippet(text: str, sent: tuple[int, int], span: tuple[int, int]) -> str:
    lo, hi = sent
    if hi - lo <= SNIPPET_CHARS:
        return text[lo:hi]
    half = SNIPPET_CHARS // 2
    a = max(lo, span[0] - half)
    b = min(hi, max(span[1] + half, a + SNIPPET_CHARS))
    a = text.rfind(" ", lo, a) + 1 if a > lo else lo
    b_space = text.find(" ", b, hi)
    b = hi if b_space < 0 else b_space
    return ("…" if a > lo else "") + text[a:b] + ("…" if b < hi else "")
