"""Scoring: a replay's outcomes against a rule's labels, as pure functions.

The conventions are those of the corpus's reference scorer (``score.py``), so
the two give the same figures on the same replay (docs/evaluation.md):

* items are matched by link: the outcome's ``item`` (a feed entry's id), or
  its ``url`` when only that is labelled;
* **link labels** — precision is linked among raised, recall raised among
  linked; borderline items count neither way;
* **story labels** — per occasion, exactly one raised item is a hit, none a
  miss, more than one duplicate alerts; a repeat raised when its first report
  was not is a (late) hit, not a false alert; a borderline item counts
  neither way;
* an alert on an item no label of its rule covers is a false alert: a labels
  directory labels every item that names both sides of its rules, so an
  unlabelled alert is one on an item the labeller saw no reason to consider.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from monitor.events import Outcome
from monitor.front.evaluate.labels import Kind, Label, LabelSet, RuleLabels


@dataclass(frozen=True, slots=True)
class Item:
    """A replayed item, whether or not any rule had an outcome on it (for dates and titles)."""

    link: str
    title: str = ""
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One item an analyst should read: a false alert, a miss, a duplicate or a late hit.

    ``did`` says what the rule did with the item (``raised``, ``suppressed
    (same story)``, ``no outcome``, ``not replayed``) so a miss can be told
    from an item the replay never saw.
    """

    link: str
    title: str
    label: str
    reason: str
    did: str
    day: str | None = None
    occasion: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkScore:
    """Figures of a rule with link labels (the line score.py prints, and the items behind it)."""

    rule: str
    files: tuple[str, ...]
    linked: int
    not_linked: int
    borderline: int
    raised: int
    true_positives: int
    false_positives: int
    precision: float
    recall: float
    false_alerts: tuple[Finding, ...]
    misses: tuple[Finding, ...]
    kind: Kind = "link"

    def line(self) -> str:
        """The figures exactly as score.py words them, so the two can be compared by eye."""
        tp, fp = self.true_positives, self.false_positives
        return (
            f"{self.rule}: {self.linked} linked, {self.not_linked} not; raised {self.raised}: "
            f"precision {self.precision:.2f} ({tp}/{tp + fp}), "
            f"recall {self.recall:.2f} ({tp}/{self.linked})"
        )


@dataclass(frozen=True)
class StoryScore:
    """Figures of a rule with story labels: occasions hit, missed, duplicated; false alerts."""

    rule: str
    files: tuple[str, ...]
    occasions: int
    hit: int
    missed: int
    duplicate_alerts: int
    late_hits: int
    none: int
    borderline: int
    false_alerts: tuple[Finding, ...]
    misses: tuple[Finding, ...]
    duplicates: tuple[Finding, ...]
    late: tuple[Finding, ...]
    kind: Kind = "story"

    def line(self) -> str:
        """The figures exactly as score.py words them."""
        return (
            f"{self.rule}: {self.occasions} occasions: {self.hit} hit, {self.missed} missed, "
            f"{self.duplicate_alerts} duplicate alerts, {len(self.false_alerts)} false alerts"
        )


Score = LinkScore | StoryScore


@dataclass(frozen=True)
class Bars:
    """The figures a rule must reach; ``None`` leaves a figure unchecked."""

    min_precision: float | None = None
    min_recall: float | None = None
    max_false: int | None = None
    max_missed: int | None = None
    max_duplicates: int | None = None


def shortfalls(score: Score, bars: Bars) -> list[str]:
    """Each bar ``score`` does not reach, worded for the report (empty: it passes).

    Precision and recall bars apply to link-labelled rules, the others to
    story-labelled ones: a bar that does not fit a rule's kind is not a
    failure of that rule.
    """
    out: list[str] = []
    if isinstance(score, LinkScore):
        tp, fp = score.true_positives, score.false_positives
        # the fraction too: 0.9496 prints as 0.95 and is still below a bar of 0.95
        if bars.min_precision is not None and score.precision < bars.min_precision:
            out.append(
                f"precision {score.precision:.2f} ({tp}/{tp + fp}) < {bars.min_precision:.2f}"
            )
        if bars.min_recall is not None and score.recall < bars.min_recall:
            out.append(f"recall {score.recall:.2f} ({tp}/{score.linked}) < {bars.min_recall:.2f}")
        return out
    if bars.max_false is not None and len(score.false_alerts) > bars.max_false:
        out.append(f"{len(score.false_alerts)} false alerts > {bars.max_false}")
    if bars.max_missed is not None and score.missed > bars.max_missed:
        out.append(f"{score.missed} occasions missed > {bars.max_missed}")
    if bars.max_duplicates is not None and score.duplicate_alerts > bars.max_duplicates:
        out.append(f"{score.duplicate_alerts} duplicate alerts > {bars.max_duplicates}")
    return out


@dataclass(frozen=True)
class Period:
    """Inclusive UTC days (``YYYY-MM-DD``) to score; open ends when ``None``."""

    first: str | None = None
    last: str | None = None

    @property
    def bounded(self) -> bool:
        return self.first is not None or self.last is not None

    def holds(self, day: str | None) -> bool | None:
        """Whether ``day`` is in the period; ``None`` when the item's day is unknown."""
        if day is None:
            return None
        return (self.first or "0000") <= day <= (self.last or "9999")


class _Items:
    """What is known of each item: its day, title, outcomes and whether it was replayed.

    Days come from the candidate files first (the labeller's record), then
    from the items replayed, then from the outcomes' ``published``; titles
    from the replay or the outcomes.
    """

    def __init__(
        self,
        labels: LabelSet,
        outcomes: Sequence[Outcome],
        items: Iterable[Item] | None,
    ) -> None:
        self.replayed: dict[str, Item] | None = None
        self.days: dict[str, str] = dict(labels.dates)
        self.titles: dict[str, str] = {}
        if items is not None:
            self.replayed = {}
            for item in items:
                self.replayed[item.link] = item
                self.titles.setdefault(item.link, item.title)
                if item.published:
                    self.days.setdefault(item.link, item.published[:10])
        for o in outcomes:
            self.titles.setdefault(o.item, o.title)
            if o.published:
                self.days.setdefault(o.item, o.published[:10])

    def title(self, link: str) -> str:
        return self.titles.get(link, "")


def _link_of(o: Outcome, labelled: Mapping[str, Label]) -> str:
    """The link an outcome is scored under: its item id, or its URL if only that is labelled."""
    if o.item not in labelled and o.url and o.url in labelled:
        return o.url
    return o.item


def _per_item(outcomes: Sequence[Outcome], labelled: Mapping[str, Label]) -> dict[str, Outcome]:
    """One outcome per link, the raised one if any: the analyst got that alert.

    (score.py keeps the last outcome of a link; the two agree whenever each
    link is replayed once, as in a feed-per-day layout.)
    """
    by_link: dict[str, Outcome] = {}
    for o in outcomes:
        link = _link_of(o, labelled)
        if link not in by_link or (o.outcome == "raised" and by_link[link].outcome != "raised"):
            by_link[link] = o
    return by_link


def _did(link: str, got: Mapping[str, Outcome], known: _Items) -> str:
    o = got.get(link)
    if o is not None:
        return o.describe()
    if known.replayed is not None and link not in known.replayed:
        return "not replayed"
    return "no outcome"


def _finding(link: str, label: Label | None, got: Mapping[str, Outcome], known: _Items) -> Finding:
    o = got.get(link)
    return Finding(
        link=link,
        title=(o.title if o else "") or known.title(link),
        label=label.label if label else "unlabelled",
        reason=label.reason if label else "",
        did=_did(link, got, known),
        day=known.days.get(link),
        occasion=label.occasion if label else "",
        evidence=o.evidence if o else (),
    )


def _in_scope(period: Period, known: _Items, link: str) -> bool:
    """Whether a labelled item counts: its day is in the period, or unknown and no period set."""
    held = period.holds(known.days.get(link))
    return bool(held) if held is not None else not period.bounded


def _by_day(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.day or "", f.link)))


def score_links(
    rule: RuleLabels, outcomes: Sequence[Outcome], known: _Items, period: Period
) -> LinkScore:
    """Precision and recall of a rule with link labels."""
    got = _per_item([o for o in outcomes if o.rule == rule.rule], rule.labels)
    raised = {
        link
        for link, o in got.items()
        if o.outcome == "raised" and period.holds(known.days.get(link)) is not False
    }
    labels = rule.labels
    linked = {k for k, v in labels.items() if v.label == "linked" and _in_scope(period, known, k)}
    not_linked = {k for k, v in labels.items() if v.label == "not" and _in_scope(period, known, k)}
    borderline = {k for k, v in labels.items() if v.label == "borderline"}
    tp = len(raised & linked)
    false = raised - linked - borderline
    fp = len(false)
    return LinkScore(
        rule=rule.rule,
        files=rule.files,
        linked=len(linked),
        not_linked=len(not_linked),
        borderline=len(borderline),
        raised=len(raised),
        true_positives=tp,
        false_positives=fp,
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=tp / len(linked) if linked else 0.0,
        false_alerts=_by_day(_finding(k, labels.get(k), got, known) for k in false),
        misses=_by_day(_finding(k, labels[k], got, known) for k in linked - raised),
    )


def score_stories(
    rule: RuleLabels, outcomes: Sequence[Outcome], known: _Items, period: Period
) -> StoryScore:
    """Occasions hit, missed and duplicated, and false alerts, of a rule with story labels.

    A borderline item neither hits nor counts as a false alert. An occasion
    counts when any of its labelled items is in the period.
    """
    got = _per_item([o for o in outcomes if o.rule == rule.rule], rule.labels)
    labels = rule.labels
    raised = {
        link
        for link, o in got.items()
        if o.outcome == "raised" and period.holds(known.days.get(link)) is not False
    }
    occasions: dict[str, list[str]] = {}
    for link, lab in labels.items():
        if lab.label in ("new", "repeat") and _in_scope(period, known, link):
            occasions.setdefault(lab.occasion, []).append(link)
    hit = missed = duplicate_alerts = 0
    misses: list[Finding] = []
    duplicates: list[Finding] = []
    late: list[Finding] = []
    for _, links in sorted(occasions.items()):
        alerts = sorted(set(links) & raised, key=lambda k: (known.days.get(k) or "", k))
        if not alerts:
            missed += 1
            misses.extend(_finding(k, labels[k], got, known) for k in links)
            continue
        hit += 1
        duplicate_alerts += len(alerts) - 1
        if len(alerts) > 1:
            duplicates.extend(_finding(k, labels[k], got, known) for k in alerts)
        if not any(labels[k].label == "new" for k in alerts):
            late.append(_finding(alerts[0], labels[alerts[0]], got, known))
    false = [k for k in raised if k not in labels or labels[k].label == "none"]
    return StoryScore(
        rule=rule.rule,
        files=rule.files,
        occasions=len(occasions),
        hit=hit,
        missed=missed,
        duplicate_alerts=duplicate_alerts,
        late_hits=len(late),
        none=sum(1 for k, v in labels.items() if v.label == "none" and _in_scope(period, known, k)),
        borderline=sum(1 for v in labels.values() if v.label == "borderline"),
        false_alerts=_by_day(_finding(k, labels.get(k), got, known) for k in false),
        misses=tuple(misses),
        duplicates=tuple(duplicates),
        late=tuple(late),
    )


@dataclass(frozen=True)
class Report:
    """Scores per labelled rule, and what an analyst must know before reading them."""

    scores: tuple[Score, ...]
    warnings: tuple[str, ...] = ()


def evaluate(
    labels: LabelSet,
    outcomes: Iterable[Outcome],
    *,
    period: Period | None = None,
    items: Iterable[Item] | None = None,
    rules: Sequence[str] | None = None,
) -> Report:
    """Score every labelled rule (or only ``rules``) on ``outcomes``.

    ``items`` are the items replayed, when known (``rules eval`` replays them
    itself; a saved replay only has outcomes): they date and title the items
    no outcome names, and let a miss the replay never saw be reported as
    such — it still counts as a miss, as in score.py, and the warnings say so.
    """
    period = period or Period()
    outcome_list = list(outcomes)
    known = _Items(labels, outcome_list, items)
    chosen = [labels.rules[r] for r in rules] if rules is not None else labels.rules.values()
    scores: list[Score] = []
    warnings: list[str] = []
    for rule in chosen:
        if rule.kind == "link":
            scores.append(score_links(rule, outcome_list, known, period))
        else:
            scores.append(score_stories(rule, outcome_list, known, period))
        if not any(o.rule == rule.rule for o in outcome_list):
            warnings.append(f"{rule.rule}: no outcome at all in the replay")
        if known.replayed is not None:
            absent = [
                k
                for k, v in rule.labels.items()
                if v.label in ("linked", "new", "repeat")
                and k not in known.replayed
                and _in_scope(period, known, k)
            ]
            if absent:
                warnings.append(
                    f"{rule.rule}: {len(absent)} labelled item(s) are not in the replay and "
                    "count as missed (replay every file of the period, or pass --from/--to)"
                )
    return Report(tuple(scores), tuple(warnings))
