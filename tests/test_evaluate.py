"""``monitor rules eval``: labels directories, scoring conventions, agreement with score.py.

The agreement tests run the corpus's reference scorer (``score.py`` in
``../shared/realnews``) on the same replay output as the evaluator and
compare the figures line for line; they are skipped where that directory is
absent. Every link and title here is invented.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from conftest import ROOT, SEEDS

from monitor.events import Outcome
from monitor.front.evaluate import (
    Bars,
    Item,
    LabelsError,
    LabelSet,
    LinkScore,
    Period,
    StoryScore,
    evaluate,
    from_jsonl,
    load_labels,
    shortfalls,
)
from monitor.front.output import outcome_of_record
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.wiring import open_log

REALNEWS = Path(os.environ.get("MONITOR_REALNEWS") or ROOT.parent / "shared" / "realnews")
SCORE_PY = REALNEWS / "score.py"
NK, SUMMIT = "north-korea-russia", "japan-korea-summit"
Run = Callable[..., CompletedProcess[str]]


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def tsv(*rows: Sequence[str]) -> str:
    return "".join("\t".join(row) + "\n" for row in rows)


def link(name: str) -> str:
    return f"https://news.example/{name}"


# An invented corpus exercising every convention: a miss, a borderline and an
# unlabelled alert for the link rule; a hit, a duplicate, a late hit, a miss,
# a borderline and false alerts (labelled none, unlabelled) for the story rule.
NK_LABELS = [
    ("a1", "linked"),
    ("a2", "linked"),
    ("a3", "linked"),  # missed
    ("b1", "not"),  # raised: a false alert
    ("b2", "not"),
    ("c1", "borderline"),  # raised: counts neither way
    ("d1", "linked"),  # raised, dated outside the period tests use
]
SUMMIT_LABELS = [
    ("x-new", "new", "occ-x"),
    ("x-rep1", "repeat", "occ-x"),  # raised too: a duplicate alert
    ("x-rep2", "repeat", "occ-x"),
    ("y-new", "new", "occ-y"),  # suppressed; its repeat raised: a late hit
    ("y-rep", "repeat", "occ-y"),
    ("y-bl", "borderline", "occ-y"),  # raised: counts neither way
    ("z-new", "new", "occ-z"),  # no outcome: a miss
    ("n1", "none", ""),  # raised: a false alert
    ("n2", "none", ""),
]
DAYS = {"d1": "2030-06-20", "x-rep2": "2030-06-20"}


def synthetic_labels(directory: Path) -> Path:
    """The invented labels in score.py's layout (labels_nkru, labels_summit, candidates)."""
    names = [n for n, _ in NK_LABELS] + [n for n, *_ in SUMMIT_LABELS]
    return write(
        directory,
        {
            "candidates.tsv": tsv(
                ("link", "date", "source"),
                *[(link(n), f"{DAYS.get(n, '2030-03-10')} 08:00:00+00:00", "feed") for n in names],
            ),
            "labels_nkru.tsv": tsv(
                ("link", "label", "reason"), *[(link(n), v, "why") for n, v in NK_LABELS]
            ),
            "labels_summit.tsv": tsv(
                ("link", "label", "occasion", "first_link", "reason"),
                *[(link(n), v, o, "", "why") for n, v, o in SUMMIT_LABELS],
            ),
        },
    )


def record(rule: str, name: str, outcome: str, day: str = "2030-03-10") -> dict[str, Any]:
    return {
        "rule": rule,
        "outcome": outcome,
        "reason": "same story" if outcome == "suppressed" else None,
        "item": link(name),
        "url": link(name),
        "title": f"title of {name}",
        "evidence": [f"sentence of {name}"],
        "published": f"{day}T08:00:00+00:00",
    }


SYNTHETIC_OUTCOMES = [
    *(record(NK, n, "raised") for n in ("a1", "a2", "b1", "c1", "u1")),
    record(NK, "d1", "raised", "2030-06-20"),
    record(NK, "u-late", "raised", "2030-06-21"),  # unlabelled, dated by its outcome only
    record(NK, "b2", "suppressed"),
    *(record(SUMMIT, n, "raised") for n in ("x-new", "x-rep1", "y-rep", "y-bl", "n1", "u2")),
    *(record(SUMMIT, n, "suppressed") for n in ("y-new", "n2")),
    record(SUMMIT, "x-rep2", "suppressed", "2030-06-20"),
]


def outcomes(records: Sequence[dict[str, Any]]) -> list[Outcome]:
    return [outcome_of_record(r) for r in records]


def by_rule(labels: LabelSet, outs: list[Outcome], **kw: Any) -> dict[str, Any]:
    return {s.rule: s for s in evaluate(labels, outs, **kw).scores}


# --------------------------------------------------------------------------- labels


def test_score_py_layout_maps_its_file_names_to_the_shipped_rules(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    assert labels.rules[NK].kind == "link" and labels.rules[NK].files == ("labels_nkru.tsv",)
    assert labels.rules[SUMMIT].kind == "story"
    assert labels.dates[link("d1")] == "2030-06-20"


def test_a_file_named_after_its_rule_and_later_files_correct_earlier_ones(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "my-rule.tsv": tsv(("link", "label"), ("l1", "linked"), ("l2", "not")),
            "my-rule.fixes.tsv": tsv(("link", "label"), ("l2", "linked")),
        },
    )
    rule = load_labels(tmp_path).rules["my-rule"]
    assert rule.files == ("my-rule.fixes.tsv", "my-rule.tsv")  # read in name order
    assert rule.labels["l2"].label == "not"  # my-rule.tsv sorts after my-rule.fixes.tsv


def test_a_manifest_names_the_rule_of_each_file_and_is_the_only_mapping(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "rules.tsv": tsv(("file", "rule"), ("links-*.tsv", "my-rule")),
            "links-june.tsv": tsv(("link", "label"), ("l1", "linked")),
        },
    )
    assert set(load_labels(tmp_path).rules) == {"my-rule"}
    write(tmp_path, {"other-rule.tsv": tsv(("link", "label"), ("l2", "linked"))})
    with pytest.raises(LabelsError, match=r"other-rule.tsv: no rule for this label file"):
        load_labels(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (tsv(("link", "label"), ("l1", "linkd")), r"x.tsv:2: label 'linkd' is not one of"),
        (tsv(("link", "label", "occasion"), ("l1", "new", "")), r"x.tsv:2: a new item needs"),
        (tsv(("link", "reason"), ("l1", "r")), r"x.tsv:1: a label file needs the columns"),
        (
            tsv(("link", "label"), ("l1", "linked"), ("l1", "not")),
            r"x.tsv:3: .*l1 is labelled twice, differently \(first at .*x.tsv:2\)",
        ),
    ],
)
def test_label_mistakes_are_errors_naming_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    write(tmp_path, {"x.tsv": text})
    with pytest.raises(LabelsError, match=message):
        load_labels(tmp_path)


def test_a_label_file_no_rule_claims_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"Notes For Me.tsv": tsv(("link", "label"), ("l1", "linked"))})
    with pytest.raises(LabelsError, match="no rule for this label file"):
        load_labels(tmp_path)


def test_a_directory_without_label_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"candidates.tsv": tsv(("link", "date"), ("l1", "2030-01-01"))})
    with pytest.raises(LabelsError, match="no label files here"):
        load_labels(tmp_path)


def test_link_and_story_labels_for_one_rule_are_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "r.a.tsv": tsv(("link", "label"), ("l1", "linked")),
            "r.b.tsv": tsv(("link", "label", "occasion"), ("l2", "new", "o")),
        },
    )
    with pytest.raises(LabelsError, match="story labels, but r.a.tsv holds link labels"):
        load_labels(tmp_path)


# --------------------------------------------------------------------------- scoring


def test_link_rule_precision_recall_borderline_and_unlabelled(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    nk = by_rule(labels, outcomes(SYNTHETIC_OUTCOMES))[NK]
    assert isinstance(nk, LinkScore)
    # raised: a1 a2 b1 c1 u1 d1 u-late; linked: a1 a2 a3 d1
    assert (nk.raised, nk.true_positives, nk.false_positives) == (7, 3, 3)
    assert (round(nk.precision, 2), nk.recall) == (0.5, 0.75)
    assert {f.link: f.label for f in nk.false_alerts} == {
        link("b1"): "not",
        link("u1"): "unlabelled",
        link("u-late"): "unlabelled",
    }
    [miss] = nk.misses
    assert (miss.link, miss.did) == (link("a3"), "no outcome")


def test_story_rule_hits_misses_duplicates_late_hits_and_false_alerts(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    summit = by_rule(labels, outcomes(SYNTHETIC_OUTCOMES))[SUMMIT]
    assert isinstance(summit, StoryScore)
    assert (summit.occasions, summit.hit, summit.missed, summit.duplicate_alerts) == (3, 2, 1, 1)
    assert [f.link for f in summit.late] == [link("y-rep")]
    assert {f.link for f in summit.false_alerts} == {link("n1"), link("u2")}
    assert {f.link for f in summit.duplicates} == {link("x-new"), link("x-rep1")}
    assert [f.link for f in summit.misses] == [link("z-new")]


def test_a_period_keeps_labels_dated_inside_and_alerts_not_dated_outside(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    scores = by_rule(labels, outcomes(SYNTHETIC_OUTCOMES), period=Period("2030-06-01", None))
    nk, summit = scores[NK], scores[SUMMIT]
    assert (nk.linked, nk.raised, nk.true_positives) == (1, 2, 1)  # d1; d1 and u-late
    assert (summit.occasions, summit.hit, summit.missed) == (1, 0, 1)  # occ-x, by x-rep2


def test_an_item_counts_as_raised_if_any_of_its_outcomes_raised(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    twice = [record(NK, "a3", "raised"), record(NK, "a3", "suppressed")]
    nk = by_rule(labels, outcomes([*SYNTHETIC_OUTCOMES, *twice]))[NK]
    assert nk.recall == 1.0


def test_an_entry_whose_id_is_not_its_link_is_matched_by_url(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    guid = {**record(NK, "a3", "raised"), "item": "tag:news.example,2030:a3"}
    nk = by_rule(labels, outcomes([*SYNTHETIC_OUTCOMES, guid]))[NK]
    assert nk.recall == 1.0 and nk.false_positives == 3


def test_items_replayed_tell_a_miss_from_an_item_never_replayed(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    seen = [Item(link(n)) for n, _ in NK_LABELS if n != "a3"]
    report = evaluate(labels, outcomes(SYNTHETIC_OUTCOMES), items=seen, rules=[NK])
    [nk] = report.scores
    assert isinstance(nk, LinkScore)
    assert [m.did for m in nk.misses] == ["not replayed"]
    assert any("1 labelled item(s) are not in the replay" in w for w in report.warnings)


def test_bars_fit_the_kind_of_each_rule(tmp_path: Path) -> None:
    labels = load_labels(synthetic_labels(tmp_path))
    scores = by_rule(labels, outcomes(SYNTHETIC_OUTCOMES))
    bars = Bars(min_precision=0.9, min_recall=0.5, max_false=2, max_missed=0)
    assert shortfalls(scores[NK], bars) == ["precision 0.50 (3/6) < 0.90"]
    assert shortfalls(scores[SUMMIT], bars) == ["1 occasions missed > 0"]
    assert shortfalls(scores[SUMMIT], Bars(max_false=1)) == ["2 false alerts > 1"]


# --------------------------------------------------------------------------- agreement with score.py

needs_score_py = pytest.mark.skipif(
    not SCORE_PY.is_file(), reason=f"{SCORE_PY} is absent (the shared real-news corpus)"
)


def score_py_line(labels: Path, replay_jsonl: Path, *args: str) -> str:
    res = subprocess.run(
        [sys.executable, str(SCORE_PY), str(labels), str(replay_jsonl), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return res.stdout.strip().splitlines()[-1]


def evaluator_line(labels: Path, replay_jsonl: Path, period: Period | None = None) -> str:
    """The evaluator's figures joined as score.py joins them (north-korea-russia first)."""
    with replay_jsonl.open(encoding="utf-8") as fh:
        outs = from_jsonl(fh)
    scores = by_rule(load_labels(labels), outs, period=period)
    return "; ".join(scores[rule].line() for rule in (NK, SUMMIT))


@needs_score_py
@pytest.mark.parametrize(
    "period", [Period(), Period("2030-06-01", None), Period(None, "2030-03-31")]
)
def test_agrees_with_score_py_on_every_convention(tmp_path: Path, period: Period) -> None:
    labels = synthetic_labels(tmp_path / "labels")
    replayed = tmp_path / "replay.jsonl"
    replayed.write_text("".join(json.dumps(r) + "\n" for r in SYNTHETIC_OUTCOMES))
    args = [
        *(("--from", period.first) if period.first else ()),
        *(("--to", period.last) if period.last else ()),
    ]
    assert evaluator_line(labels, replayed, period) == score_py_line(labels, replayed, *args)


@needs_score_py
def test_agrees_with_score_py_on_a_real_replay_of_the_seeds(tmp_path: Path, cli: Run) -> None:
    """``monitor replay --format jsonl`` of the seeds, scored by score.py and by ``rules eval``."""
    seeds = sorted(p.name for p in SEEDS.iterdir())
    labels = write(
        tmp_path / "labels",
        {
            # fixture files have no published time: the labeller's dates go here
            "candidates.tsv": tsv(
                ("link", "date"), *[(s, "2024-11-16 09:00:00+00:00") for s in seeds]
            ),
            "labels_nkru.tsv": tsv(
                ("link", "label", "reason"),
                (seeds[0], "linked", ""),
                (seeds[1], "not", ""),
                (seeds[2], "linked", ""),
                (seeds[3], "borderline", ""),
            ),
            "labels_summit.tsv": tsv(
                ("link", "label", "occasion", "first_link", "reason"),
                (seeds[0], "new", "one", "", ""),
                (seeds[1], "repeat", "one", seeds[0], ""),
                (seeds[2], "none", "", "", ""),
                (seeds[4], "new", "two", "", ""),
            ),
        },
    )
    res = cli("replay", "seeds", "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    replayed = tmp_path / "replay.jsonl"
    replayed.write_text(res.stdout)
    expected = score_py_line(labels, replayed)
    assert evaluator_line(labels, replayed) == expected
    # … and the command, replaying the seeds itself, prints the same figures
    res = cli("rules", "eval", str(labels), "seeds")
    assert res.returncode == 0, res.stderr
    lines = {line.split(":")[0]: line for line in res.stdout.splitlines() if ": " in line}
    assert f"{lines[NK]}; {lines[SUMMIT]}" == expected


def test_undated_labelled_items_count_when_no_period_is_given(tmp_path: Path) -> None:
    """Where score.py parts ways, on purpose: labels of items nothing dates.

    score.py counts a labelled item only when its candidates file or an
    outcome dates it, even with no --from/--to, so the labels of a fixture
    directory (no published times) and without a candidates file would all be
    dropped: recall over nothing. With no period, every label counts here.
    """
    labels = synthetic_labels(tmp_path)
    (labels / "candidates.tsv").unlink()
    undated = [{**r, "published": None} for r in SYNTHETIC_OUTCOMES]
    nk = by_rule(load_labels(labels), outcomes(undated))[NK]
    assert (nk.linked, nk.true_positives) == (4, 3)


# --------------------------------------------------------------------------- the command


def test_cli_bars_exit_1_and_jsonl_carries_the_figures(tmp_path: Path, cli: Run) -> None:
    labels = synthetic_labels(tmp_path / "labels")
    replayed = tmp_path / "replay.jsonl"
    replayed.write_text("".join(json.dumps(r) + "\n" for r in SYNTHETIC_OUTCOMES))
    common = ("rules", "eval", str(labels), "--outcomes", str(replayed))
    ok = cli(*common, "--min-recall", "0.7", "--max-duplicates", "1")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    low = cli(*common, "--min-precision", "0.95", "--format", "jsonl")
    assert low.returncode == 1
    recs = {r["rule"]: r for r in map(json.loads, low.stdout.splitlines())}
    assert recs[NK]["failed"] == ["precision 0.50 (3/6) < 0.95"] and recs[SUMMIT]["ok"]
    assert recs[NK]["precision"] == 0.5 and recs[SUMMIT]["duplicate_alerts"] == 1
    show = cli(*common, "--show", "--rule", NK)
    assert "FALSE ALERT  title of b1" in show.stdout and "labelled not: why" in show.stdout
    assert "MISSED  " in show.stdout and SUMMIT not in show.stdout


def test_cli_needs_paths_or_saved_outcomes(tmp_path: Path, cli: Run) -> None:
    labels = synthetic_labels(tmp_path / "labels")
    res = cli("rules", "eval", str(labels))
    assert res.returncode == 2 and "give PATH" in res.stderr


# --------------------------------------------------------------------------- published


def test_replay_records_carry_each_items_published_time_in_utc(
    tmp_path: Path, shipped: Watchlists
) -> None:
    from monitor.front.output import replay_record

    lima = timezone(timedelta(hours=-5))
    when = datetime(2024, 11, 15, 6, 30, tzinfo=lima)
    feed = tmp_path / "day.xml"
    items = [
        (
            "summit",
            "Ishiba and Yoon hold summit talks in Lima",
            "Japanese Prime Minister Shigeru Ishiba met South Korean President Yoon Suk Yeol "
            "for summit talks in Lima on Friday.",
        ),
        (
            "treaty",
            "Kim Jong Un meets Vladimir Putin",
            "North Korean leader Kim Jong Un met Russian President Vladimir Putin on Friday "
            "and the two signed a defence treaty.",
        ),
    ]
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        + "".join(
            f"<item><guid>https://news.example/{slug}</guid><link>https://news.example/{slug}"
            f"</link><pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S -0500')}</pubDate>"
            f"<title>{title}</title><description>{text}</description></item>"
            for slug, title, text in items
        )
        + "</channel></rss>",
        encoding="utf-8",
    )
    with open_log("sqlite://") as log:
        result = replay([feed], shipped, log)
    assert result.outcomes, "neither report raised anything: nothing to carry a time"
    for row in result.outcomes:
        rec = replay_record(row, result.published(row))
        assert rec["published"] == when.astimezone(UTC).isoformat() == "2024-11-15T11:30:00+00:00"
