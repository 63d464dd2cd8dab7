"""``monitor backtest``: what changed watchlists would have alerted on, against what was.

The log holds every article the daemon observed and every outcome the rule
engine recorded. A backtest re-decides the articles observed since a given
time with other watchlists (an edited rule, a new one) and compares, rule by
rule and article by article, with the alerts actually raised:

* **new** — raised now, not raised then (suppressed, or no match);
* **lost** — raised then, not now;
* **key** — raised both times under different story keys.

It answers "had I deployed this change a month ago, what would have been
different?", so the engine starts from the alerts actually raised before that
time — as a daemon reloading its watchlists then would have: its story
windows, revisions and throttles see the real earlier alerts, and a rule
left unchanged shows no difference.

The store is opened read-only and nothing is appended to it. The decisions
are the rule engine's own: its pure :class:`~monitor.rules.decider.Decider`,
told the earlier alerts, decides the period's articles in log order with
their observation times, streamed from the store (memory holds one article
at a time however long the period). Articles the daemon has not decided yet
(after the engine's checkpoint) are left out and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.text import Text

from monitor.app import Monitor
from monitor.events import ALERT_RAISED, ARTICLE_OBSERVED, OUTCOME_TYPES, ArticleObserved, Outcome
from monitor.rules.decider import Decider
from monitor.rules.engine import CONSUMER
from monitor.rules.watchlist import Watchlists
from monitor.store.log import EventLog

NO_OUTCOME = "no outcome"


@dataclass(frozen=True, slots=True)
class Change:
    """One alert that differs: ``kind`` is new, lost or key."""

    kind: str
    rule: str
    article_seq: int
    then: Outcome | None
    now: Outcome | None

    @property
    def shown(self) -> Outcome:
        shown = self.now if self.now is not None else self.then
        assert shown is not None
        return shown

    def record(self) -> dict[str, Any]:
        """The JSON object ``backtest --format jsonl`` prints."""
        o = self.shown
        return {
            "rule": self.rule,
            "change": self.kind,
            "source": o.source,
            "item": o.item,
            "title": o.title,
            "url": o.url,
            "published": o.published,
            "article_seq": self.article_seq,
            "was": self.then.describe() if self.then else NO_OUTCOME,
            "now": self.now.describe() if self.now else NO_OUTCOME,
            "key": self.now.key if self.now else None,
            "old_key": self.then.key if self.then else None,
        }


@dataclass
class Report:
    """A backtest's result: the period, the changes, and the alerts counted both ways."""

    since: datetime
    articles: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    undecided: int = 0
    changes: list[Change] = field(default_factory=list)
    raised_then: Counter[str] = field(default_factory=Counter)
    raised_now: Counter[str] = field(default_factory=Counter)
    recorded_with: set[str] = field(default_factory=set)  # watchlist versions of the outcomes
    failed: int = 0  # articles the engine could not evaluate (RuleFailed), now

    @property
    def rules(self) -> list[str]:
        return sorted({*self.raised_then, *self.raised_now, *(c.rule for c in self.changes)})

    def changes_of(self, rule: str) -> list[Change]:
        return [c for c in self.changes if c.rule == rule]


def backtest(app: Monitor, watchlists: Watchlists, since: datetime) -> Report:
    """Re-decide the articles observed since ``since`` with ``watchlists``; appends nothing."""
    report = Report(since)
    store = app.log
    decided_up_to = store.checkpoint(CONSUMER)
    first, last, count, report.undecided = app.observed_since(since, decided_up_to)
    if not count:
        return report
    report.first_seq, report.last_seq, report.articles = first, last, count
    then: dict[str, tuple[int, Outcome]] = {}  # outcome key -> (article seq, outcome)
    decider = Decider(watchlists)  # its memory: the alerts raised before the period
    for ev in store.read(types=list(OUTCOME_TYPES)):
        outcome = Outcome.from_event(ev)
        article_seq = outcome.article_seq
        if article_seq < first:
            if ev.type == ALERT_RAISED:
                decider.learn_alert(outcome, ev.key, ev.time)
        elif article_seq <= last:
            then[ev.key] = (article_seq, outcome)
            report.recorded_with.add(str(ev.payload.get("watchlists", "?")))
            if ev.type == ALERT_RAISED:
                report.raised_then[outcome.rule] += 1
    for article_seq, key, now in _redecide(store, decider, report):
        old = then.pop(key, None)
        _compare(report, article_seq, old[1] if old else None, now)
    for article_seq, old_outcome in then.values():  # decided then, no outcome now
        _compare(report, article_seq, old_outcome, None)
    report.changes.sort(key=lambda c: (c.rule, c.article_seq))
    return report


def _redecide(
    store: EventLog, decider: Decider, report: Report
) -> Iterator[tuple[int, str, Outcome]]:
    """The decider's outcomes for the period's articles: (article seq, outcome key, outcome).

    The articles are decided in log order with their observation times, as
    the engine decided them; the outcome keys are the store's
    (``outcome:RULE:ARTICLE-KEY``). An article the rules cannot evaluate is
    counted, as the engine's ``RuleFailed`` would be.
    """
    assert report.first_seq is not None and report.last_seq is not None
    for ev in store.read(report.first_seq - 1, types=[ARTICLE_OBSERVED]):
        if ev.seq > report.last_seq:
            return
        article = ArticleObserved.from_event(ev).article
        try:
            outcomes = decider.decide(article, key=ev.key, seq=ev.seq, time=ev.time)
        except Exception:  # as the engine: one bad article must not stop the others
            report.failed += 1
            continue
        for new in outcomes:
            yield ev.seq, new.key, Outcome.from_event(new)


def _compare(report: Report, article_seq: int, then: Outcome | None, now: Outcome | None) -> None:
    """Count an alert raised now; record a change when the alert is new, lost or re-keyed."""
    raised_then = then is not None and then.outcome == "raised"
    raised_now = now is not None and now.outcome == "raised"
    rule = now.rule if now is not None else then.rule if then is not None else "?"
    if raised_now:
        report.raised_now[rule] += 1
    if raised_now and not raised_then:
        kind = "new"
    elif raised_then and not raised_now:
        kind = "lost"
    elif raised_now and then is not None and now is not None and now.key != then.key:
        kind = "key"
    else:
        return
    report.changes.append(Change(kind, rule, article_seq, then, now))


def print_report(console: Console, report: Report, watchlists: Watchlists) -> None:
    """The text report: the period, then per rule the alerts counted both ways and each change."""
    since = report.since.strftime("%Y-%m-%d %H:%M UTC")
    if report.first_seq is None:
        console.print(f"no articles observed since {since} that the rule engine has decided")
    else:
        versions = ", ".join(v[:12] for v in sorted(report.recorded_with)) or "none"
        console.print(
            f"{report.articles} articles observed since {since} (events {report.first_seq}-"
            f"{report.last_seq}); watchlists {watchlists.version[:12]} against the alerts "
            f"recorded (watchlists {versions})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if report.undecided:
        console.print(
            f"{report.undecided} later articles are not decided by the rule engine yet: left out",
            style="yellow",
        )
    if report.failed:
        console.print(f"{report.failed} articles could not be evaluated (see the log)", style="red")
    defined = {rule.id for rule in watchlists.rules}
    for rule in report.rules:
        changes = report.changes_of(rule)
        kinds = Counter(c.kind for c in changes)
        head = Text()
        head.append(rule, style="bold cyan")
        if rule not in defined:
            head.append(" (not in these watchlists)", style="yellow")
        head.append(
            f"  {report.raised_then[rule]} → {report.raised_now[rule]} alerts: "
            f"{kinds['new']} new, {kinds['lost']} lost, {kinds['key']} changed story keys"
        )
        console.print(head, soft_wrap=True)
        for change in changes:
            _print_change(console, change)
    if not report.changes and report.first_seq is not None:
        console.print("no alert would change", style="bold")


_MARK = {
    "new": ("+ new ", "bold green"),
    "lost": ("- lost", "bold red"),
    "key": ("~ key ", "yellow"),
}


def _print_change(console: Console, change: Change) -> None:
    mark, style = _MARK[change.kind]
    o = change.shown
    console.print(
        Text.assemble("  ", (mark, style), "  ", (o.item, "bold"), " — ", o.title), soft_wrap=True
    )
    was = change.then.describe() if change.then else NO_OUTCOME
    now = change.now.describe() if change.now else NO_OUTCOME
    line = f"          was {was}, now {now}"
    if change.kind == "key" and change.then and change.now:
        line += f"; story {change.then.key} → {change.now.key}"
    elif change.kind == "new" and change.now and change.now.key:
        line += f"; story {change.now.key}"
    console.print(Text(line, style="dim"), soft_wrap=True)
