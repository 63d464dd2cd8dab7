"""Rule state plus an article in, outcomes out: the rules' decision, with no I/O.

:class:`Decider` holds what the decisions need to remember — per rule, the
stories raised (for ``same story``), the items raised (for ``revision``) and
the alert times (for ``throttle``) — and decides each article against it.
It reads and writes nothing: the log consumer around it
(:class:`monitor.rules.engine.RuleEngine`) feeds it the alerts the log holds
and appends what it decides; replay without a store uses it as it is.

Decisions, in order, for a rule that matches:

1. the same item already raised an alert on this rule (a revised or re-sent
   article) → suppressed, ``reason: revision``;
2. the rule's ``new_story`` has a ``recency`` and the event the item reports
   is dated outside it, or not as a fact (:mod:`monitor.rules.dating`) →
   suppressed, ``reason: recap``, ``preview``, ``cancelled``, ``elsewhere``,
   ``undated`` or ``unproven``: recorded with the words that dated it, never alerted
   (only ``AlertRaised`` is ever queued for notification);
3. the rule has ``new_story`` and the story key repeats a story raised at the
   same time (event dates within the tolerance, else published times within
   the window) → suppressed, ``reason: same story``, pointing at that alert;
4. the rule has ``throttle`` and its budget is spent → suppressed,
   ``reason: throttled``;
5. otherwise → raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.article import Article
from monitor.events import (
    ALERT_RAISED,
    DuplicateOf,
    LinkEvidence,
    MatchedSpan,
    NewEvent,
    Outcome,
    StoredEvent,
)
from monitor.rules.dating import EventTime
from monitor.rules.linking import describe, link_words
from monitor.rules.matcher import Doc, RuleMatch
from monitor.rules.story import Story, StoryIndex, date_story, format_key, story_key
from monitor.rules.watchlist import Rule, Watchlists

__all__ = ["MAX_EVIDENCE", "SNIPPET_CHARS", "Decider", "evidence", "links", "timeless"]

MAX_EVIDENCE = 6
SNIPPET_CHARS = 240


@dataclass
class _RuleState:
    stories: StoryIndex = field(default_factory=StoryIndex)
    items: dict[tuple[str, str], Story] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)


class Decider:
    """The rules' decisions for a stream of articles, remembering what they raised."""

    def __init__(self, watchlists: Watchlists) -> None:
        self.watchlists = watchlists
        self._state: dict[str, _RuleState] = {}

    def learn(self, events: Iterable[StoredEvent | NewEvent]) -> None:
        """Remember raised alerts: their stories, items and times (for the next decisions)."""
        for ev in events:
            if ev.type == ALERT_RAISED:
                self.learn_alert(Outcome.from_event(ev), ev.key, ev.time)

    def learn_alert(self, alert: Outcome, key: str, time: datetime | None) -> None:
        """Remember one raised alert (its idempotency key ``key``, recorded at ``time``)."""
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
            timeless=timeless(alert.published, alert.url),
        )
        state.stories.add(story)
        state.items.setdefault((story.source, story.item), story)

    def decide(self, article: Article, *, key: str, seq: int, time: datetime) -> list[NewEvent]:
        """The outcomes for one article version, as events to append; no I/O.

        ``key`` is its ``ArticleObserved`` event's idempotency key, ``seq`` the
        position it has (or would have) in a log, ``time`` when it was
        observed. A raised alert is learnt at once, so a repeat later in the
        same batch is already suppressed against it (referenced by its
        idempotency key, which is known before an append assigns sequence
        numbers).
        """
        doc, matches = self.watchlists.matcher.match(article)
        when = article.published or time
        outcomes = [
            self._outcome(self.watchlists.rules[match.index], match, doc, article, seq, time, when)
            for match in matches
        ]
        out = [o.to_event(article_key=key, time=time) for o in outcomes]
        for outcome, event in zip(outcomes, out, strict=True):
            if outcome.raised:
                self.learn_alert(outcome, event.key, event.time)
        return out

    def forget(self) -> None:
        """Drop everything learnt (the caller re-learns from the log)."""
        self._state.clear()

    def _outcome(
        self,
        rule: Rule,
        match: RuleMatch,
        doc: Doc,
        article: Article,
        seq: int,
        observed: datetime,
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
                key,
                when,
                ns.window,
                event=days,
                tolerance=ns.tolerance,
                timeless=timeless(article.published, article.url),
                observed=observed,
            )
            if dup is not None:
                reason = "same story"
        if reason is None and spec.throttle:
            since = observed - spec.throttle.per
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
            article_seq=seq,
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
            spans=tuple(MatchedSpan(doc.field_of(s), s, e, doc.text[s:e]) for s, e in match.spans),
            duplicate_of=DuplicateOf(dup.alert_key, dup.source, dup.item) if dup else None,
            notify=tuple(spec.notify) if spec.notify is not None else None,
            template=spec.template,
            digest=spec.digest.schedule if spec.digest is not None else None,
        )


def timeless(published: datetime | str | None, url: str | None) -> bool:
    """Whether an article has no time of its own: neither a publication time nor a link.

    A text (a file replayed or read from a fixtures directory) that states no
    time was read now, not then, so the time it was observed says nothing of
    when its story happened (:meth:`StoryIndex.find_repeat`). A feed's item
    without a date still has a link, and its observation on a live feed is
    close to its publication.
    """
    return published is None and not url


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
            # a link read across two sentences in a row is told after the second
            last = doc.sentence_of(max(link.left[0], link.right[0]))
            if link.sentence == sent or (link.sentence[0] <= sent[0] and sent == last):
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
