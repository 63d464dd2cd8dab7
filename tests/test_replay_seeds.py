"""The seed table of DESIGN.md, reproduced through the real CLI.

Most tests run the CLI in-process (the ``cli`` fixture); the design table and
``--notify`` with JSON lines also run as a real ``monitor`` process
(``monitor_cli``): the command a user types first, and the one whose promise
is about the process's own stdout and stderr.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import ROOT, SEEDS

EXPECTED = {
    # seed prefix: {rule: (outcome, duplicate_of prefix or None)}
    "000": {"japan-korea-summit": ("raised", None), "north-korea-russia": ("raised", None)},
    "001": {"japan-korea-summit": ("suppressed", "000"), "north-korea-russia": ("raised", None)},
    "002": {"japan-korea-summit": ("raised", None)},
    "003": {"japan-korea-summit": ("raised", None), "north-korea-russia": ("raised", None)},
    "004": {"japan-korea-summit": ("suppressed", "002")},
}

Run = Callable[..., CompletedProcess[str]]


def _table(stdout: str) -> dict[str, dict[str, tuple[str, str | None]]]:
    table: dict[str, dict[str, tuple[str, str | None]]] = {}
    for line in stdout.splitlines():
        rec = json.loads(line)
        dup = rec["duplicate_of"][:3] if rec["duplicate_of"] else None
        table.setdefault(rec["item"][:3], {})[rec["rule"]] = (rec["outcome"], dup)
    return table


def test_replay_seeds_gives_the_design_table(monitor_cli: Run) -> None:
    res = monitor_cli("replay", "seeds", "--format", "jsonl")  # a subprocess smoke test
    assert res.returncode == 0, res.stderr
    assert _table(res.stdout) == EXPECTED


def test_jsonl_records_carry_the_contract_fields(cli: Run) -> None:
    res = cli("replay", "seeds", "--format", "jsonl")
    records = [json.loads(line) for line in res.stdout.splitlines()]
    for rec in records:
        for field in ("rule", "outcome", "source", "item", "title", "key", "duplicate_of"):
            assert field in rec
        assert rec["source"] == "seeds"
        assert rec["evidence"] and all(isinstance(s, str) and s for s in rec["evidence"])
    summit = [r for r in records if r["rule"] == "japan-korea-summit"]
    # the story key names who met and where; a repeat names its first report and shares
    # its people (its venue may be known where the first report's was not: "?" matches any)
    by_item = {r["item"][:3]: r for r in summit}
    for repeat, first in (("001", "000"), ("004", "002")):
        assert by_item[repeat]["duplicate_of"].startswith(first)
        assert by_item[repeat]["key"].split("|")[:2] == by_item[first]["key"].split("|")[:2]
    assert by_item["004"]["key"] == by_item["002"]["key"]
    assert len({by_item[k]["key"] for k in ("000", "002", "003")}) == 3
    # the title of seed 004 is its headline, not the "Connect with us" page furniture
    assert by_item["004"]["title"].startswith("Japan, South Korea Leaders")


def test_replay_is_deterministic_and_order_follows_file_names(cli: Run) -> None:
    first = cli("replay", "seeds", "--format", "jsonl").stdout
    second = cli("replay", str(SEEDS), "--format", "jsonl").stdout
    assert first == second
    items = [json.loads(line)["item"] for line in first.splitlines()]
    assert items == sorted(items)


def test_single_files_and_bad_paths_are_reported_not_fatal(cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    # a PNG's first bytes (what began with a UTF-16 byte-order mark is UTF-16 text now)
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    html = tmp_path / "page.html"
    html.write_text("<!DOCTYPE html><html><body>hi</body></html>")
    seed = next(SEEDS.glob("000_*"))
    res = cli(
        "replay", str(seed), str(bad), str(html), str(tmp_path / "missing"), "--format", "jsonl"
    )
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.startswith("skipped:")]
    assert len(lines) == 3
    assert any("broken.txt" in line and "binary" in line for line in lines)
    assert any("page.html" in line and "HTML page" in line for line in lines)
    assert any("missing" in line and "no such file" in line for line in lines)
    assert {json.loads(x)["rule"] for x in res.stdout.splitlines()} == {
        "japan-korea-summit",
        "north-korea-russia",
    }


def test_text_format_is_readable(cli: Run) -> None:
    res = cli("replay", "seeds")
    assert res.returncode == 0
    assert "japan-korea-summit" in res.stdout and "RAISED" in res.stdout
    assert "SUPPRESSED (same story)" in res.stdout
    assert "5 articles, 6 raised, 2 suppressed, 0 skipped" in res.stdout


def test_replay_into_a_store_then_verify_events_rebuild(cli: Run, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'm.db'}"
    assert cli("replay", "seeds", "--store", store, "--format", "jsonl").returncode == 0
    # replaying again into the same store appends nothing new and reports the same outcomes
    again = cli("replay", "seeds", "--store", store, "--format", "jsonl")
    assert _table(again.stdout) == EXPECTED
    events = cli("events", "--store", store, "--format", "jsonl")
    types = [json.loads(line)["type"] for line in events.stdout.splitlines()]
    assert types.count("ArticleObserved") == 5
    assert types.count("AlertRaised") == 6 and types.count("AlertSuppressed") == 2
    assert types.count("WatchlistsLoaded") == 1
    assert cli("verify", "--store", store).returncode == 0
    before = cli("alerts", "--store", store, "--all", "--format", "jsonl").stdout
    assert cli("rebuild", "--store", store).returncode == 0
    after = cli("alerts", "--store", store, "--all", "--format", "jsonl").stdout
    assert before == after and len(before.splitlines()) == 8


def test_replay_accepts_a_copy_of_the_seeds_anywhere(cli: Run, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere"
    shutil.copytree(SEEDS, copy)
    res = cli(
        "replay",
        str(copy),
        "--watchlists",
        str(ROOT / "watchlists"),
        "--format",
        "jsonl",
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    assert _table(res.stdout) == EXPECTED


#: When each seed was published (UTC), as its text tells: leaders count only in
#: office on that day, and relative dates ("on Saturday") are read from it.
SEED_PUBLISHED = {
    "000": "2024-11-17T02:00:00",  # Ishiba and Yoon met in Lima on Saturday 16 November
    "001": "2024-11-17T06:59:00",  # its dateline: 15:59 JST, November 17, 2024
    "002": "2025-08-24T01:00:00",  # Ishiba welcomed Lee in Tokyo on 23 August 2025
    "003": "2024-09-06T09:00:00",  # Yoon and Kishida met in Seoul on Friday 6 September
    "004": "2025-08-24T02:00:00",  # the Tokyo meeting again (misdated by a year in its text)
}


def _feed_entries() -> list[tuple[str, str, str, object]]:
    """The seeds as feed entries, in reverse file order (replay must sort by date)."""
    import html as html_mod
    from datetime import UTC, datetime

    from monitor.normalize import normalize
    from monitor.sources.fixtures import read_fixture_file

    entries = []
    for path in sorted(SEEDS.glob("*.txt")):
        art = normalize(read_fixture_file(path, "seeds"))
        body = "".join(f"<p>{html_mod.escape(p)}</p>" for p in art.paragraphs)
        when = datetime.fromisoformat(SEED_PUBLISHED[path.name[:3]]).replace(tzinfo=UTC)
        entries.append((art.title, f"https://example.org/{path.stem}", body, when))
    return entries[::-1]


def test_replay_saved_feeds_rss_atom_json(cli: Run, tmp_path: Path) -> None:
    import json as json_mod

    from feedserver import atom, rss

    entries = _feed_entries()
    (tmp_path / "news.rss").write_bytes(rss(entries))
    (tmp_path / "news.atom").write_bytes(atom(entries))
    (tmp_path / "news.json").write_text(
        json_mod.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "News",
                "items": [
                    {
                        "id": link,
                        "url": link,
                        "title": title,
                        "content_html": body,
                        "date_published": when.isoformat(),
                    }  # type: ignore[attr-defined]
                    for title, link, body, when in entries
                ],
            }
        )
    )
    for name in ("news.rss", "news.atom", "news.json"):
        # a relative path, as a user types it
        res = cli(
            "replay",
            name,
            "--watchlists",
            str(ROOT / "watchlists"),
            "--format",
            "jsonl",
            cwd=tmp_path,
        )
        assert res.returncode == 0, (name, res.stderr)
        records = [json.loads(line) for line in res.stdout.splitlines()]
        summit = [
            (r["title"][:30], r["outcome"]) for r in records if r["rule"] == "japan-korea-summit"
        ]
        # published order: the Seoul summit (003), the Lima summit first reported by 000,
        # then its repeat (001), the Tokyo summit (002), then its repeat (004)
        assert [o for _, o in summit] == [
            "raised",
            "raised",
            "suppressed",
            "raised",
            "suppressed",
        ], name
        assert sum(r["rule"] == "north-korea-russia" for r in records) == 3, name
        assert all(r["source"] == "news" for r in records)


def test_notify_with_jsonl_keeps_stdout_json(monitor_cli: Run) -> None:
    res = monitor_cli("replay", "seeds", "--notify", "--format", "jsonl")  # a real process
    assert res.returncode == 0, res.stderr
    assert _table(res.stdout) == EXPECTED  # every stdout line parses as JSON
    assert res.stderr.count("[monitor]") == 6  # one console alert per raised outcome
    assert "6 notification(s) queued, 6 delivered" in res.stderr


def test_a_path_that_cannot_be_read_says_why(cli: Run, tmp_path: Path) -> None:
    """A missing file, a symlink loop and a FIFO named on the command line each say what
    they are (a loop used to say "no such file or directory")."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    os.mkfifo(tmp_path / "pipe")
    res = cli("replay", "missing.txt", "a", "pipe", cwd=tmp_path)
    assert res.returncode == 1
    assert "missing.txt: no such file or directory" in res.stdout + res.stderr
    assert "a: too many levels of symbolic links" in res.stdout + res.stderr
    assert "pipe: not a regular file or a directory" in res.stdout + res.stderr


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_texts_and_feeds_are_read_with_or_without_a_bom(
    cli: Run, tmp_path: Path, codec: str
) -> None:
    """Windows' "Unicode" files were skipped as binary."""
    text = "A wide headline\n\nA short article written for this test, about nothing at all.\n"
    (tmp_path / "wide.txt").write_bytes(text.encode(codec))
    feed = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<rss version="2.0"><channel><title>T</title>'
        "<item><title>A wide feed item</title><link>https://x.org/w</link>"
        "<description>Hello there.</description></item></channel></rss>\n"
    )
    (tmp_path / "wide.xml").write_bytes(feed.encode(codec))
    res = cli("replay", str(tmp_path), "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    assert "binary" not in res.stdout + res.stderr
    plain = cli("replay", str(tmp_path))
    assert "2 articles, 0 raised, 0 suppressed, 0 skipped" in plain.stdout + plain.stderr
