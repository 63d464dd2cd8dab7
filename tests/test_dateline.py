"""The dateline of an on-the-spot report places the meeting when no clause of it does.

Every article here is written for the test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

Cli = Callable[..., CompletedProcess[str]]

BODY = (
    "Japanese Prime Minister Fumio Kishida and South Korean President Yoon Suk Yeol "
    "held talks{where} on Sunday."
)


@pytest.mark.parametrize(
    ("opening", "where", "venue"),
    [
        ("OSAKA, Japan — ", "", "osaka"),
        ("SEOUL, May 7 (Reuters) - ", "", "seoul"),
        ("BUSAN (Yonhap) — ", "", "busan"),
        ("SEOUL, May 7 (Reuters) - ", " in Tokyo", "tokyo"),  # the clause's own place wins
        ("", "", "?"),  # no dateline, no place: unknown, which repeats any
        ("Seoul's leaders were briefed. ", "", "?"),  # a place at the start, no dash: no dateline
    ],
)
def test_the_dateline_places_the_meeting(
    cli: Cli, tmp_path: Path, opening: str, where: str, venue: str
) -> None:
    (tmp_path / "a.txt").write_text(
        f"Kishida, Yoon hold summit\nPublished: 2023-05-07\n\n{opening}{BODY.format(where=where)}\n"
    )
    res = cli("replay", str(tmp_path))
    assert f"story: kishida-fumio · yoon-suk-yeol · {venue}\n" in res.stdout, res.stdout


def test_a_dateline_below_a_caption_still_counts(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Kishida, Yoon hold summit\nPublished: 2023-05-07\n\nThe two leaders shake hands.\n\n"
        f"OSAKA, Japan — {BODY.format(where='')}\n"
    )
    assert "yoon-suk-yeol · osaka" in cli("replay", str(tmp_path)).stdout
