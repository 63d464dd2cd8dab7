"""The regression guard of issue 8: the shipped watchlists scored on real news.

The development corpus (``../shared/realnews/``: half a year of real feed
items and hand labels) is read at run time — its texts belong to their
outlets and are never copied here — and the test is skipped where it is
absent. Replaying all of it takes minutes, so the guard replays a subset that
gives the same figures:

* every labelled item, and
* every other item whose title or description names Korea (see
  :func:`select`: the gazetteer's words for either Korea, or a Korean
  leader's surname beside a word for Japan or Russia). Both shipped rules
  need a Korean side (North Korea for ``north-korea-russia``, South Korea
  for ``japan-korea-summit``), so an alert either could raise on an
  unlabelled item is in the subset, and a false alert outside the labels is
  caught as it would be on the full replay (on the rules of the day the
  subset's outcomes were exactly the full replay's).

The subset is laid out as the full replay is (one feed file a UTC day, items
in published order, guid = link), replayed through the shipped watchlists,
and scored with :mod:`monitor.front.evaluate` against ``labels-2023H1/``.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import ahocorasick
import pytest
import yaml
from conftest import ROOT, WATCHLISTS

from monitor.front.evaluate import (
    Bars,
    LinkScore,
    Report,
    StoryScore,
    evaluate,
    from_replay,
    load_labels,
    shortfalls,
)
from monitor.front.output import replay_record
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.wiring import open_log

# --------------------------------------------------------------------------- the bars, in one place
# Issue 15's targets for every relation and summit rule (the bar for a user's rule as much as
# for ours): relations precision and recall at least 0.90; every summit raised once, at most
# one false alert. On the full six months with LINK read from a parse, north-korea-russia is
# at precision 1.00 (46/46), recall 0.92 (46/50) — it was 1.00/0.98 with cue words fitted to
# this half-year, which were 0.83 on news kept apart; japan-korea-summit 3 of 3 occasions,
# 0 duplicate alerts, 0 false alerts.
TARGETS = Bars(min_precision=0.90, min_recall=0.90, max_missed=0, max_duplicates=0, max_false=1)
# --------------------------------------------------------------------------- the corpus

# the corpus beside the checkout, or where $MONITOR_REALNEWS says
REALNEWS = Path(os.environ.get("MONITOR_REALNEWS") or ROOT.parent / "shared" / "realnews")
ITEMS = REALNEWS / "rss-2023H1.jsonl.gz"
LABELS = REALNEWS / "labels-2023H1"

pytestmark = pytest.mark.skipif(
    not (ITEMS.is_file() and LABELS.is_dir()),
    reason=f"the real-news development corpus is absent ({REALNEWS})",
)


@dataclass(frozen=True)
class Words:
    """How a side of a rule is named, from the gazetteer (see :func:`words_of`)."""

    folded: list[str]  # names, adjectives, metonyms, capitals, leaders' full names
    acronyms: list[str]  # as written (ROK, DPRK): matched case-sensitively
    surnames: re.Pattern[str]  # leaders' ambiguous surnames, capitalised


def words_of(data: dict[str, Any], countries: tuple[str, ...], extra: tuple[str, ...]) -> Words:
    """The words naming ``countries`` in the gazetteer ``data`` (plus ``extra``), folded.

    A word containing another is dropped (``north korea`` goes with
    ``korea``): any text naming it names the shorter one too.
    """
    words: set[str] = set(extra)
    surnames: set[str] = set()
    for country in countries:
        spec = data["countries"][country]
        words.update(*(spec.get(k) or () for k in ("names", "adjectives", "metonyms")))
        words.update(data["cities"][spec["capital"]]["names"])
    for leader in data["leaders"].values():
        if leader.get("country") in countries:
            words.update(leader["names"])
            surnames.update(leader.get("ambiguous") or ())
    acronyms = sorted(w for w in words if w.replace(".", "").isupper())
    folded = {fold(w) for w in words if w not in acronyms}
    return Words(
        folded=sorted(w for w in folded if not any(o in w for o in folded if o != w)),
        acronyms=acronyms,
        surnames=re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(surnames)))})\b"),
    )


def fold(text: str) -> str:
    """Lower case, hyphens as spaces: the matcher treats "Kim Jong-un" as "Kim Jong Un"."""
    return text.lower().replace("-", " ")


def automaton(words: list[str]) -> Any:
    """One Aho-Corasick pass per text instead of one substring search per word."""
    auto = ahocorasick.Automaton()
    for word in words:
        auto.add_word(word, word)
    auto.make_automaton()
    return auto


def select(items: Path, labelled: set[str], entities: Path) -> list[dict[str, Any]]:
    """The labelled items and every item naming Korea, in the corpus's order.

    Naming Korea: a name, adjective, metonym, capital or leader's full name of
    either Korea, or a Korean leader's bare surname ("Yoon", "Moon") beside a
    word naming Japan or Russia — the other sides of the two rules. Bare
    surnames alone are left out: Lee, Kim and Park name half the world's news.
    """
    data = yaml.safe_load(entities.read_text(encoding="utf-8"))
    korea = words_of(data, ("south-korea", "north-korea"), ("korea",))
    others = words_of(data, ("japan", "russia"), ())
    korea_auto, others_auto = automaton(korea.folded), automaton(others.folded)
    chosen = []
    with gzip.open(items, "rt", encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            text = f"{entry.get('title') or ''}\n{entry.get('description') or ''}"
            folded = fold(text)
            if (
                entry["link"] in labelled
                or next(korea_auto.iter(folded), None) is not None
                or any(a in text for a in korea.acronyms)
                or (
                    (
                        next(others_auto.iter(folded), None) is not None
                        or any(a in text for a in others.acronyms)
                    )
                    and korea.surnames.search(text)
                )
            ):
                chosen.append(entry)
    return chosen


def lay_out(entries: list[dict[str, Any]], directory: Path) -> list[Path]:
    """One RSS file per UTC day, items in published order, guid = link (as the full replay)."""
    days: dict[str, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    for entry in entries:
        when = datetime.fromisoformat(str(entry["date_published"]).replace("Z", "+00:00"))
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        days[when.astimezone(UTC).date().isoformat()].append((when, entry))
    paths = []
    for day, dated in sorted(days.items()):
        dated.sort(key=lambda pair: pair[0])
        path = directory / f"{day}.xml"
        with path.open("w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>')
            fh.write(f"<title>{day}</title><link>https://example.invalid/</link>\n")
            for when, e in dated:
                esc = html.escape
                fh.write(
                    f'<item><guid isPermaLink="false">{esc(e["link"])}</guid>'
                    f"<link>{esc(e['link'])}</link><title>{esc(e.get('title') or '')}</title>"
                    f"<pubDate>{format_datetime(when)}</pubDate>"
                    f"<description>{esc(e.get('description') or '')}</description></item>\n"
                )
            fh.write("</channel></rss>\n")
        paths.append(path)
    return paths


@dataclass
class Guard:
    report: Report
    replay_jsonl: Path
    items: int
    seconds: float

    def score(self, rule: str) -> LinkScore | StoryScore:
        return next(s for s in self.report.scores if s.rule == rule)

    def figures(self) -> str:
        return "; ".join(s.line() for s in self.report.scores)


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory, shipped: Watchlists) -> Guard:
    """Select, lay out, replay and score the subset once for the tests below."""
    start = time.perf_counter()
    labels = load_labels(LABELS)
    labelled = {link for rule in labels.rules.values() for link in rule.labels}
    entries = select(ITEMS, labelled, WATCHLISTS / "entities.yaml")
    feeds = lay_out(entries, tmp_path_factory.mktemp("realnews-feeds"))
    with open_log("sqlite://") as log:
        result = replay(feeds, shipped, log)
    assert not result.skipped, result.skipped
    outcomes, items = from_replay(result)
    report = evaluate(labels, outcomes, items=items)
    assert not [w for w in report.warnings if "not in the replay" in w], report.warnings
    replay_jsonl = tmp_path_factory.mktemp("realnews-replay") / "replay.jsonl"
    with replay_jsonl.open("w", encoding="utf-8") as fh:
        for row in result.outcomes:
            fh.write(json.dumps(replay_record(row, result.published(row)), default=str) + "\n")
    return Guard(report, replay_jsonl, len(entries), time.perf_counter() - start)


def below(guard: Guard, bars: Bars) -> list[str]:
    return [f"{s.rule}: {why}" for s in guard.report.scores for why in shortfalls(s, bars)]


def test_every_labelled_rule_is_scored(guard: Guard) -> None:
    assert {s.rule for s in guard.report.scores} == {"north-korea-russia", "japan-korea-summit"}
    assert {s.kind for s in guard.report.scores} == {"link", "story"}


def test_the_rules_reach_the_issue_15_targets(guard: Guard) -> None:
    failures = below(guard, TARGETS)
    assert not failures, f"{failures} — now: {guard.figures()}"


def test_score_py_gives_the_same_figures_on_the_same_replay(guard: Guard) -> None:
    score_py = REALNEWS / "score.py"
    res = subprocess.run(
        [sys.executable, str(score_py), str(LABELS), str(guard.replay_jsonl)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    by_rule = {s.rule: s.line() for s in guard.report.scores}
    ours = f"{by_rule['north-korea-russia']}; {by_rule['japan-korea-summit']}"
    assert ours == res.stdout.strip().splitlines()[-1]
