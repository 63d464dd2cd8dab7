"""Generality as a test: the example watchlists a user would write, scored on real news.

``examples/watchlists/`` holds rules written the way an analyst writes
them from docs/watchlists.md — relations (``iran-russia``, ``india-china``
…) and leaders' summits (``us-japan-summit``, ``us-india-summit`` …, copies
of the shipped summit rule with the countries changed); BARS names them all. ``tests/labels/examples-2023H1/`` labels, by link only, every item
of the development corpus whose title and description name both sides
(``bench/candidates.py``; for summits, with a leader word), with the
labelling guide's definitions. The texts are read from the corpus at run time
and never copied here.

The candidates are every item any of these rules could raise (a LINK needs
both sides in one sentence; a summit needs both sides' leaders, named or by
office), so replaying only them gives the full replay's figures.

The bars are in one place, :data:`BARS`: the figures this version reaches,
so that a change to the matching that makes a user's rule worse fails here,
as one that makes a shipped rule worse fails the guard. The summit rules' bars
are the issue's targets (every occasion once, at most one false alert); the
relations' are below theirs (0.90/0.90): see docs/evaluation.md for what is
missed and why.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from test_realnews_guard import ITEMS, lay_out

from monitor.front.evaluate import Bars, evaluate, from_replay, load_labels, shortfalls
from monitor.replay import replay
from monitor.rules.watchlist import load_watchlists
from monitor.wiring import open_log

EXAMPLES = ROOT / "examples" / "watchlists"
LABELS = ROOT / "tests" / "labels" / "examples-2023H1"

# --------------------------------------------------------------------------- the bars, in one place
BARS: dict[str, Bars] = {
    "iran-russia": Bars(min_precision=0.975, min_recall=0.915),
    "india-china": Bars(min_precision=0.895, min_recall=0.735),
    # labelled blind: the labeller never saw what the rule raised
    "north-korea-china": Bars(min_precision=0.915, min_recall=0.715),
    "philippines-china": Bars(min_precision=0.975, min_recall=0.915),
    # labelled blind after the mechanisms were built, as the kept-apart news is
    "germany-china": Bars(min_precision=0.925, min_recall=0.875),
    "iran-china": Bars(min_precision=0.985, min_recall=0.855),
    "saudi-arabia-iran": Bars(min_precision=0.985, min_recall=0.955),
    "india-russia": Bars(min_precision=0.775, min_recall=0.765),
    "japan-russia": Bars(min_precision=0.89, min_recall=0.735),
    "saudi-arabia-china": Bars(min_precision=0.975, min_recall=0.805),
    "south-korea-china": Bars(min_precision=0.935, min_recall=0.735),
    "south-korea-russia": Bars(min_precision=0.66, min_recall=0.665),
    "south-africa-russia": Bars(min_precision=0.98, min_recall=0.80),
    "ukraine-iran": Bars(min_precision=0.885, min_recall=0.705),
    "brazil-russia": Bars(min_precision=0.845, min_recall=0.715),
    "italy-china": Bars(min_precision=0.93, min_recall=0.87),
    "netherlands-china": Bars(min_precision=0.945, min_recall=0.765),
    "brazil-china": Bars(min_precision=0.975, min_recall=0.96),
    "canada-china": Bars(min_precision=0.97, min_recall=0.69),
    "iran-united-states": Bars(min_precision=0.935, min_recall=0.825),
    "vietnam-china": Bars(min_precision=0.83, min_recall=0.995),
    "indonesia-china": Bars(min_precision=0.995, min_recall=0.795),
    "australia-china": Bars(min_precision=0.96, min_recall=0.755),
    "japan-south-korea": Bars(min_precision=0.965, min_recall=0.89),
    # labelled blind in part 21, first figures as measured; turkey is a world-layer country
    "pakistan-india": Bars(min_precision=0.905, min_recall=0.755),
    "turkey-russia": Bars(min_precision=0.87, min_recall=0.735),
    "us-japan-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "us-india-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "france-china-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "china-russia-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "brazil-china-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "india-ukraine-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "us-brazil-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    # labelled blind on the items with a word of meeting, visit or journey; the rest none
    "us-china-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
    "us-ukraine-summit": Bars(max_missed=0, max_duplicates=0, max_false=1),
}

pytestmark = pytest.mark.skipif(
    not ITEMS.is_file(), reason=f"the real-news development corpus is absent ({ITEMS})"
)


def candidates() -> set[str]:
    with (LABELS / "candidates.tsv").open(encoding="utf-8") as fh:
        return {row["link"] for row in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    wanted = candidates()
    entries: list[dict[str, Any]] = []
    with gzip.open(ITEMS, "rt", encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            if entry["link"] in wanted:
                entries.append(entry)
                wanted.discard(entry["link"])  # unique by link, as the full replay
    feeds = lay_out(entries, tmp_path_factory.mktemp("examples-feeds"))
    watchlists = load_watchlists(EXAMPLES)
    with open_log("sqlite://") as log:
        result = replay(feeds, watchlists, log)
    assert not result.skipped, result.skipped
    outcomes, items = from_replay(result)
    return evaluate(load_labels(LABELS), outcomes, items=items)


def test_the_example_watchlists_load_and_every_one_is_labelled(report: Any) -> None:
    rules = {r.id for r in load_watchlists(EXAMPLES).rules}
    assert rules == set(BARS) == {s.rule for s in report.scores}
    assert not [w for w in report.warnings if "not in the replay" in w], report.warnings


@pytest.mark.parametrize("rule", sorted(BARS))
def test_each_example_rule_keeps_its_figures(report: Any, rule: str) -> None:
    score = next(s for s in report.scores if s.rule == rule)
    failures = shortfalls(score, BARS[rule])
    assert not failures, f"{rule}: {failures} — now: {score.line()}"


def test_the_labels_hold_links_and_words_of_our_own_only() -> None:
    """Labels by link, never outlet text: reasons are the labeller's short paraphrases."""
    for path in LABELS.glob("*.tsv"):
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        assert rows, path
        for row in rows:
            assert row["link"].startswith("http"), (path, row)
            assert len(row.get("reason") or "") <= 120, (path, row["link"])


def test_examples_share_the_shipped_gazetteer_and_cues() -> None:
    for name in ("entities.yaml", "cues.yaml"):
        assert (EXAMPLES / name).resolve() == (ROOT / "watchlists" / name).resolve()
        assert Path(EXAMPLES / name).is_symlink()
