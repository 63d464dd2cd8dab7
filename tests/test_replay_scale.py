"""Replay as a user has the files, at scale: directories of feeds, legacy encodings,
filters and totals, parse workers, and memory that does not grow with the input.

The articles are invented here (a harvest festival in a few cities, grain
prices); the rules are two of our own beside the shipped gazetteer, so the
outcomes do not move when the shipped watchlists are tuned.
"""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from conftest import WATCHLISTS

from monitor.article import Article
from monitor.ingest import FileArticles, Input
from monitor.replay import Replay, SeenVersions, replay
from monitor.rules.watchlist import Watchlists, load_watchlists
from monitor.wiring import open_log

Run = Callable[..., CompletedProcess[str]]

HARVEST_RULE = """\
description: A harvest festival is reported (one alert per city and week).
severity: low
query: |
  harvest AND festival*
new_story:
  key:
    - place: "@city"
  window: 7d
"""
GRAIN_RULE = """\
description: Grain prices move.
severity: medium
query: |
  grain NEAR/5 price*
"""
DAY = datetime(2023, 9, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def wl_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our two rules beside the shipped gazetteer."""
    directory = tmp_path_factory.mktemp("watchlists")
    shutil.copy(WATCHLISTS / "entities.yaml", directory / "entities.yaml")
    (directory / "harvest.yaml").write_text(HARVEST_RULE, encoding="utf-8")
    (directory / "grain.yaml").write_text(GRAIN_RULE, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def wl(wl_dir: Path) -> Watchlists:
    return load_watchlists(wl_dir)


def festival(city: str, n: int = 0) -> tuple[str, str]:
    """A short report of a harvest festival in ``city`` (title, body)."""
    return (
        f"Harvest festival draws crowds in {city}",
        f"The harvest festival in {city} opened on Saturday with stalls of rice, pears "
        f"and chestnuts. Organisers expect {1000 + n} visitors over the weekend.",
    )


GRAIN = (
    "Grain prices climb for a third week",
    "Grain prices rose again as a dry summer cut the wheat crop, traders said.",
)
NOISE = (
    "Council approves new cycle lanes",
    "The city council approved three new cycle lanes after a long debate about parking.",
)

Entry = tuple[str, str, str, datetime]  # id, title, body, published


def rss(entries: list[Entry]) -> str:
    items = "".join(
        f"<item><guid>{escape(i)}</guid><title>{escape(t)}</title>"
        f"<link>https://news.example/{escape(i)}</link>"
        f"<pubDate>{format_datetime(p)}</pubDate>"
        f"<description>{escape('<p>' + b + '</p>')}</description></item>\n"
        for i, t, b, p in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>t</title><link>https://news.example/</link><description>d</description>\n"
        f"{items}</channel></rss>\n"
    )


def atom(entries: list[Entry]) -> str:
    items = "".join(
        f"<entry><id>{escape(i)}</id><title>{escape(t)}</title>"
        f'<link href="https://news.example/{escape(i)}"/>'
        f"<updated>{p.isoformat()}</updated>"
        f'<content type="html">{escape("<p>" + b + "</p>")}</content></entry>\n'
        for i, t, b, p in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>t</title><id>urn:t</id><updated>{DAY.isoformat()}</updated>\n{items}</feed>\n"
    )


def json_feed(entries: list[Entry]) -> str:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "items": [
                {"id": i, "title": t, "content_text": b, "date_published": p.isoformat()}
                for i, t, b, p in entries
            ],
        }
    )


def records(res: CompletedProcess[str]) -> list[dict[str, Any]]:
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def user_directory(root: Path) -> Path:
    """Feeds of four kinds and a text file, named so that name order is not write order."""
    d = root / "saved"
    d.mkdir()
    (d / "d-day.rss").write_text(rss([("lima", *festival("Lima"), DAY + timedelta(days=3))]))
    (d / "b-day.xml").write_text(
        rss(  # written out of published order: replay reads the feed in published order
            [
                ("tokyo-2", *festival("Tokyo", 2), DAY + timedelta(days=1, hours=5)),
                ("grain", *GRAIN, DAY + timedelta(days=1, hours=1)),
            ]
        )
    )
    (d / "a-day.atom").write_text(atom([("tokyo-1", *festival("Tokyo", 1), DAY)]))
    (d / "c-day.json").write_text(
        json_feed([("seoul", *festival("Seoul"), DAY + timedelta(days=2))])
    )
    title, body = festival("Osaka")
    (d / "e-osaka.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    (d / "notes.md").write_text("# not an article\n")
    (d / ".hidden.xml").write_text(rss([("hidden", *festival("Paris"), DAY)]))
    (d / "b-day.xml~").write_text(rss([("backup", *festival("Paris"), DAY)]))
    return d


def test_a_directory_of_feed_files_is_replayed_in_name_order(
    cli: Run, tmp_path: Path, wl_dir: Path
) -> None:
    d = user_directory(tmp_path)
    res = cli("replay", str(d), "--watchlists", str(wl_dir), "--format", "jsonl")
    got = [(r["source"], r["item"], r["rule"], r["outcome"]) for r in records(res)]
    assert got == [
        ("a-day", "tokyo-1", "harvest", "raised"),
        ("b-day", "grain", "grain", "raised"),
        ("b-day", "tokyo-2", "harvest", "suppressed"),  # same city, next day
        ("c-day", "seoul", "harvest", "raised"),
        ("d-day", "lima", "harvest", "raised"),
        ("saved", "e-osaka.txt", "harvest", "raised"),
    ]
    suppressed = records(res)[2]
    assert suppressed["reason"] == "same story" and suppressed["duplicate_of"] == "tokyo-1"
    assert "skipped" not in res.stderr


def test_a_latin1_text_file_is_replayed_with_a_note(cli: Run, tmp_path: Path, wl_dir: Path) -> None:
    d = tmp_path / "pages"
    d.mkdir()
    page = (
        "Harvest festival tickets soar in London\n\n"
        "A family ticket to the harvest festival in London now costs £45, "
        "organisers said on Friday.\n"
    )
    (d / "bbc.txt").write_bytes(page.encode("latin-1"))
    res = cli("replay", str(d), "--watchlists", str(wl_dir), "--format", "jsonl")
    [rec] = records(res)
    assert rec["item"] == "bbc.txt" and rec["outcome"] == "raised"
    assert any("£45" in snippet for snippet in rec["evidence"])
    notes = [line for line in res.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert "bbc.txt" in notes[0] and "not UTF-8" in notes[0] and "cp1252" in notes[0]


def test_rule_outcome_and_summary_filters(cli: Run, tmp_path: Path, wl_dir: Path) -> None:
    d = user_directory(tmp_path)
    base = ("replay", str(d), "--watchlists", str(wl_dir))

    only_grain = records(cli(*base, "--rule", "grain", "--format", "jsonl"))
    assert [r["item"] for r in only_grain] == ["grain"]
    suppressed = records(cli(*base, "--outcome", "suppressed", "--format", "jsonl"))
    assert [(r["item"], r["outcome"]) for r in suppressed] == [("tokyo-2", "suppressed")]
    both = records(cli(*base, "--rule", "harvest", "--outcome", "raised", "--format", "jsonl"))
    assert [r["item"] for r in both] == ["tokyo-1", "seoul", "lima", "e-osaka.txt"]

    totals = records(cli(*base, "--summary", "--format", "jsonl"))
    assert totals == [
        {"rule": "grain", "raised": 1, "suppressed": 0, "reasons": {}},
        {"rule": "harvest", "raised": 4, "suppressed": 1, "reasons": {"same story": 1}},
        {"rule": None, "articles": 6, "raised": 5, "suppressed": 1, "skipped": 0},
    ]
    text = cli(*base, "--summary", "--rule", "harvest")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["rule", "raised", "suppressed"]
    assert lines[1].split()[:3] == ["harvest", "4", "1"] and "same story" in lines[1]
    assert lines[-1] == "6 articles, 4 raised, 1 suppressed, 0 skipped"
    assert "RAISED" not in text.stdout  # totals only

    unknown = cli(*base, "--rule", "no-such-rule")
    assert unknown.returncode == 2 and "no rule 'no-such-rule'" in unknown.stderr


def many_feeds(directory: Path, files: int, per_file: int) -> Path:
    """Day feeds mixing festivals (repeating cities), grain reports and noise."""
    directory.mkdir(parents=True, exist_ok=True)
    cities = ["Tokyo", "Seoul", "Lima", "Osaka", "Paris", "London"]
    for day in range(files):
        entries: list[Entry] = []
        for n in range(per_file):
            when = DAY + timedelta(days=3 * day, minutes=7 * n)
            kind = n % 5
            if kind == 0:
                entries.append((f"d{day}-{n}", *festival(cities[(day + n) % 6], n), when))
            elif kind == 1:
                entries.append((f"d{day}-{n}", *GRAIN, when))
            else:
                title, body = NOISE
                entries.append((f"d{day}-{n}", f"{title} ({n})", body * 3, when))
        (directory / f"2023-09-{day + 1:02d}.xml").write_text(rss(entries))
    return directory


def test_parallel_replay_gives_the_same_outcomes_as_one_process(
    cli: Run, tmp_path: Path, wl_dir: Path
) -> None:
    d = many_feeds(tmp_path / "days", files=6, per_file=40)
    base = ("replay", str(d), "--watchlists", str(wl_dir), "--format", "jsonl")
    one = cli(*base, "--processes", "0")
    two = cli(*base, "--processes", "2")
    assert records(one) and records(one) == records(two)  # seq numbers included
    outcomes = {r["outcome"] for r in records(one)}
    assert outcomes == {"raised", "suppressed"}
    # … and the same as the daemon's path, through a store (seq numbers aside)
    stored = cli(*base, "--store", f"sqlite:///{tmp_path / 'm.db'}", "--processes", "2")

    def strip(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k not in ("seq", "alert_seq")} for r in recs]

    assert strip(records(stored)) == strip(records(one))
    events = cli("events", "--store", f"sqlite:///{tmp_path / 'm.db'}", "--format", "jsonl")
    observed = [e for e in records(events) if e["type"] == "ArticleObserved"]
    assert len(observed) == 6 * 40  # --store appends every article


def test_workers_started_from_this_process_give_the_same_outcomes(
    tmp_path: Path, wl: Watchlists
) -> None:
    """The API with workers, from a program whose main module is a script (pytest here)."""
    d = many_feeds(tmp_path / "days", files=4, per_file=25)

    def outcomes(processes: int) -> list[dict[str, Any]]:
        """Everything but the time of observation (the clock's)."""
        return [
            {**d.row.model_dump(exclude={"time"}), "published": d.published}
            for d in Replay([d], wl, processes=processes)
        ]

    assert outcomes(0) and outcomes(2) == outcomes(0)


def test_an_article_version_is_decided_once_whatever_the_paths(
    cli: Run, tmp_path: Path, wl_dir: Path
) -> None:
    d = user_directory(tmp_path)
    feed = d / "a-day.atom"
    res = cli(
        "replay", str(feed), str(d), str(feed), "--watchlists", str(wl_dir), "--format", "jsonl"
    )
    items = [r["item"] for r in records(res)]
    assert items.count("tokyo-1") == 1 and len(items) == 6


def live_articles() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Article)


def test_streaming_holds_one_file_of_articles_not_the_input(tmp_path: Path, wl: Watchlists) -> None:
    """Replaying N items keeps no article bodies it has decided: memory does not grow with N."""
    files, per_file = 8, 60
    d = many_feeds(tmp_path / "days", files=files, per_file=per_file)
    before = live_articles()
    held: list[int] = []
    run = Replay([d], wl, processes=0)

    def on_file(got: FileArticles) -> None:
        held.append(live_articles() - before)

    run.on_file = on_file
    decided = list(run)
    assert run.items == files * per_file and run.files_done == files
    assert decided and len(held) == files
    assert max(held) <= per_file  # the file in hand, never the files before it
    assert live_articles() - before == 0


def test_a_store_keeps_everything(tmp_path: Path, wl: Watchlists) -> None:
    d = many_feeds(tmp_path / "days", files=3, per_file=20)
    with open_log("sqlite://") as log:
        result = replay([d], wl, log)
        bodies = [e for e in log.read(types=["ArticleObserved"]) if e.payload["paragraphs"]]
    assert len(result.articles) == len(bodies) == 60


def test_seen_versions_forget_a_source_after_its_last_file() -> None:
    day1, day2 = Path("d/2023-09-01.xml"), Path("d/2023-09-02.xml")
    seen = SeenVersions([Input(day1, "d"), Input(day2, "d"), Input(day1, "d")])
    assert seen.add("2023-09-01", "article:2023-09-01:a:h")
    assert not seen.add("2023-09-01", "article:2023-09-01:a:h")
    seen.done(0)  # day 1 is read again later: remembered
    assert not seen.add("2023-09-01", "article:2023-09-01:a:h")
    assert seen.add("2023-09-02", "article:2023-09-02:b:h")
    seen.done(1)
    assert len(seen) == 1  # day 2 is forgotten, day 1 is not
    seen.done(2)
    assert len(seen) == 0


def test_seen_versions_pack_a_large_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SeenVersions, "PACK_AT", 8)
    seen = SeenVersions([Input(Path("texts/a.txt"), "texts")])
    keys = [f"article:texts:{n}.txt:h" for n in range(30)]
    assert all(seen.add("texts", k) for k in keys)
    assert not any(seen.add("texts", k) for k in keys)
    assert len(seen) == 30
