"""A text file's publication time: from its text, a sidecar, or ``--published``; else it says so.

Leaders are whoever held an office on the publication day, and summits are
dated against it, so a text file without one ("Japan's prime minister and
South Korea's president met in Seoul") used to alert on nothing, silently.
Every article here is written for the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from monitor.errors import SourceError
from monitor.sources.fixtures import read_fixture_file, read_text_file, stated_time

Cli = Callable[..., CompletedProcess[str]]

SUMMIT = (
    "Japan's prime minister and South Korea's president met in Seoul on Thursday "
    "for a summit on security.\n"
)


def test_a_published_line_dates_the_text_and_leaves_it() -> None:
    for line, when in [
        ("Published: 2023-03-16T09:00:00+09:00", datetime(2023, 3, 16, 0, 0, tzinfo=UTC)),
        ("Date: Thu, 16 Mar 2023 18:30:00 +0900", datetime(2023, 3, 16, 9, 30, tzinfo=UTC)),
        ("published: March 16, 2023 10:00 GMT", datetime(2023, 3, 16, 10, 0, tzinfo=UTC)),
    ]:
        got, text, how = stated_time(f"Leaders meet\n{line}\n\n{SUMMIT}")
        assert (got, how) == (when, "published line")
        assert text == f"Leaders meet\n\n{SUMMIT}"  # metadata, not the article's words


def test_a_dateline_with_a_full_date_dates_the_text_and_stays() -> None:
    text = f"Leaders meet\n\nSEOUL, March 16, 2023 (Reuters) — {SUMMIT}"
    assert stated_time(text) == (datetime(2023, 3, 16, tzinfo=UTC), text, "dateline")
    text = f"Leaders meet\n\nTOKYO, 16 May 2023 – {SUMMIT}"
    assert stated_time(text)[0] == datetime(2023, 5, 16, tzinfo=UTC)


def test_a_line_that_is_only_a_date_dates_the_text_and_stays() -> None:
    """A page's byline time copied with its text, on a line of its own."""
    for line, when in [
        ("15:59 JST, March 16, 2023", datetime(2023, 3, 16, 6, 59, tzinfo=UTC)),
        ("March 16, 2023 10:00 KST", datetime(2023, 3, 16, 1, 0, tzinfo=UTC)),
        ("Thursday, 16 March 2023 09:30", datetime(2023, 3, 16, 9, 30, tzinfo=UTC)),
    ]:
        text = f"Leaders meet\nA photo caption\n{line}\n{SUMMIT}"
        assert stated_time(text) == (when, text, "date line")


@pytest.mark.parametrize(
    "text",
    [
        f"Leaders meet\n\nThe summit was first planned for March 16, 2023.\n{SUMMIT}",
        # a bare date on a line of its own may head a schedule or a timeline
        f"Leaders to meet\nTuesday, June 4, 2024\n10:00 Arrival\n{SUMMIT}",
        f"Timeline of the talks\nMarch 16, 2023\n{SUMMIT}",
        f"Leaders meet\nDate: March 16\n\n{SUMMIT}",  # no year
        f"Leaders meet\nPublished: yesterday\n\n{SUMMIT}",  # relative
        f"Leaders meet\n\nOSAKA, Japan — {SUMMIT}",  # a dateline without a date
        f"Leaders meet\n\n{SUMMIT}\nThe talks were first planned on March 16, 2023.",
    ],
)
def test_no_year_no_time(text: str) -> None:
    assert stated_time(text)[0] is None


def test_a_dated_and_an_undated_text_of_one_summit_raise_once(cli: Cli, tmp_path: Path) -> None:
    """An undated text was read now, not then: its time says nothing of when its summit
    happened, so it is the same story as a dated report of the same two leaders and
    place, whichever comes first (it used to be compared by the replay's clock)."""
    body = (
        "Prime Minister Fumio Kishida and President Yoon Suk Yeol held talks in Seoul on "
        "Sunday, their second summit in two months.\n"
    )
    (tmp_path / "a.txt").write_text(f"Kishida and Yoon meet in Seoul\n\n{body}")
    (tmp_path / "b.txt").write_text(
        f"Kishida, Yoon hold Seoul summit\nPublished: 2023-05-07\n\n{body}"
    )
    res = cli("replay", str(tmp_path), "--rule", "japan-korea-summit", "--format", "jsonl")
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [(r["item"], r["outcome"], r.get("reason")) for r in rows] == [
        ("a.txt", "raised", None),
        ("b.txt", "suppressed", "same story"),
    ]


def test_a_sidecar_dates_the_file_and_a_bad_one_names_itself(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(f"Leaders meet\nPublished: 2023-01-01\n\n{SUMMIT}")
    (tmp_path / "a.json").write_text(json.dumps({"published": "2023-03-17T08:00:00Z"}))
    raw, _, how = read_text_file(article, "inbox")
    assert (raw.published, how) == (datetime(2023, 3, 17, 8, tzinfo=UTC), "sidecar")
    assert read_fixture_file(article, "inbox").published == raw.published  # the daemon's reader
    (tmp_path / "a.json").write_text("{not json")
    with pytest.raises(SourceError) as err:
        read_text_file(article, "inbox")
    assert str(tmp_path / "a.json") in str(err.value)
    (tmp_path / "a.json").write_text(json.dumps({"published": "someday"}))
    with pytest.raises(SourceError, match="published 'someday' is not a date"):
        read_text_file(article, "inbox")


def test_published_only_dates_what_does_not_date_itself(tmp_path: Path) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text(f"Leaders meet\nPublished: 2023-03-16\n\n{SUMMIT}")
    plain = tmp_path / "plain.txt"
    plain.write_text(f"Leaders meet\n\n{SUMMIT}")
    default = datetime(2024, 1, 1, tzinfo=UTC)
    assert read_text_file(dated, "x", default)[0].published == datetime(2023, 3, 16, tzinfo=UTC)
    raw, _, how = read_text_file(plain, "x", default)
    assert (raw.published, how) == (default, "--published")
    assert read_text_file(plain, "x")[2] is None


def test_replay_resolves_offices_once_the_text_is_dated(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Leaders meet in Seoul\n\n{SUMMIT}")
    undated = cli("replay", str(tmp_path / "a.txt"))
    assert undated.returncode == 0 and "RAISED" not in undated.stdout
    assert "1 text file(s) had no publication time" in undated.stderr
    assert "japan-korea-summit" in undated.stderr and "--published" in undated.stderr
    dated = cli("replay", str(tmp_path / "a.txt"), "--published", "2023-03-17")
    assert "japan-korea-summit  RAISED" in dated.stdout
    assert "kishida-fumio · yoon-suk-yeol · seoul" in dated.stdout
    assert "2023-03-16" in dated.stdout  # "on Thursday", the day before
    assert "no publication time" not in dated.stderr
    record = json.loads(
        cli(
            "replay", str(tmp_path), "--published", "2023-03-17", "--format", "jsonl"
        ).stdout.splitlines()[0]
    )
    assert record["published"].startswith("2023-03-17")


def test_an_undated_outcome_says_so_on_its_line(cli: Cli, tmp_path: Path) -> None:
    """A rule that reads the date, on an undated item it still decides (a leader by name)."""
    (tmp_path / "a.txt").write_text(
        "Kishida and Yoon hold summit\n\nFumio Kishida and Yoon Suk Yeol met in Seoul "
        "on Thursday for a summit on security.\n"
    )
    res = cli("replay", str(tmp_path))
    assert "japan-korea-summit  RAISED" in res.stdout
    assert "undated: no publication time" in res.stdout


def test_a_bad_published_value_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Leaders meet\n\n{SUMMIT}")
    res = cli("replay", str(tmp_path), "--published", "next tuesday")
    assert res.returncode == 2
    assert "'next tuesday' is not a date with a day, a month and a year" in res.stderr


def test_rules_test_takes_published_too(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Leaders meet in Seoul\n\n{SUMMIT}")
    undated = cli("rules", "test", "japan-korea-summit", str(tmp_path / "a.txt"))
    assert undated.returncode == 1 and "undated: no publication time" in undated.stdout
    dated = cli(
        "rules", "test", "japan-korea-summit", str(tmp_path / "a.txt"), "--published", "2023-03-17"
    )
    assert dated.returncode == 0 and "undated" not in dated.stdout


def test_a_sidecar_in_a_replayed_directory_is_not_read_as_a_feed(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Leaders meet in Seoul\n\n{SUMMIT}")
    (tmp_path / "a.json").write_text(json.dumps({"published": "2023-03-17"}))
    res = cli("replay", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "japan-korea-summit  RAISED" in res.stdout and "0 skipped" in res.stdout


def test_a_possible_meeting_is_a_preview_not_a_summit(cli: Cli, tmp_path: Path) -> None:
    """Issue 15: "possible later this year" was raised as a new summit, and swallowed the real one."""
    (tmp_path / "a.txt").write_text(
        "Kishida, Yoon summit possible\nPublished: 2023-05-01\n\nA summit between Japanese Prime "
        "Minister Fumio Kishida and South Korean President Yoon Suk Yeol is possible later this "
        "year, officials said.\n"
    )
    (tmp_path / "b.txt").write_text(
        "Kishida, Yoon hold summit\nPublished: 2023-05-08\n\nJapanese Prime Minister Fumio "
        "Kishida and South Korean President Yoon Suk Yeol held a summit in Seoul on Sunday.\n"
    )
    res = cli("replay", str(tmp_path))
    assert "SUPPRESSED (preview)" in res.stdout and "“possible”" in res.stdout
    raised = res.stdout.split("japan-korea-summit  RAISED")
    assert len(raised) == 2 and "b.txt" in raised[1]  # the summit itself is news


def test_an_undated_text_is_compared_on_when_it_was_read() -> None:
    """A text without a time of its own matches a report of its key read within the
    window of it (one replay, one poll of a directory), never one read months later."""
    from datetime import timedelta

    from monitor.rules.story import Story, StoryIndex

    read = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
    index = StoryIndex()
    key = ("kishida-fumio", "yoon-suk-yeol", "seoul")
    index.add(Story("r", key, read, "outcome:r:a", "seeds", "a.txt", read, None, True))
    week = timedelta(days=7)
    dated = datetime(2023, 5, 7, tzinfo=UTC)  # a dated report, read in the same run
    assert index.find_repeat(key, dated, week, observed=read + timedelta(minutes=1))
    later = datetime(2024, 7, 1, tzinfo=UTC)  # a new summit reported in July
    assert index.find_repeat(key, later, week, observed=later) is None
    assert index.find_repeat(key, later, week, timeless=True, observed=later) is None
