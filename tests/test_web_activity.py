"""The page's charts, its alert filters and one alert's story (issue 18, part 3), served for real.

The seeds are replayed into a SQLite file store on a fixed clock three days
before "today", and delivered five seconds later through a console channel
(sent) and a channel whose server is down (failed): so every number the
charts show is known. The app runs under uvicorn (the daemon's own
``WebServer``) and is read with httpx; ``tests/test_web.py`` looks at the
same pages in a real browser.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from conftest import SEEDS, run_cli
from test_web import seeds_config

from monitor.activity import first_seq_since
from monitor.app import Monitor
from monitor.config import WebConfig
from monitor.daemon import build_runtime
from monitor.events import ALERT_RAISED, ALERT_SUPPRESSED, SOURCE_POLLED, NewEvent
from monitor.front.web import charts
from monitor.front.web.context import WebContext
from monitor.front.web.server import WebServer
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.store.log import EventLog
from monitor.store.projections import alert_numbers
from monitor.wiring import open_log

RAISED_AT = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shipped: Watchlists) -> Iterator[EventLog]:
    clock = Clock(RAISED_AT)
    here = tmp_path_factory.mktemp("activity")
    # the seeds, one more of them with a publication time (a sidecar)
    seeds = here / "seeds"
    shutil.copytree(SEEDS, seeds)
    dated = sorted(seeds.glob("*.txt"))[3]
    dated.with_suffix(".json").write_text('{"published": "2024-09-06T09:00:00Z"}')
    log = open_log(f"sqlite:///{here / 'monitor.db'}", now=clock)
    replay([seeds], shipped, log)
    clock.at += timedelta(seconds=5)
    build_runtime(log, seeds_config(), watchlists=shipped).outbox.run()
    clock.at = TODAY
    yield log
    log.close()


@pytest.fixture(scope="module")
def client(store: EventLog, shipped: Watchlists) -> Iterator[httpx.Client]:
    config = seeds_config()
    context = WebContext(events=store, config=lambda: config, watchlists=lambda: shipped)
    web = WebServer(context, WebConfig(listen="127.0.0.1:0"))
    web.start()
    with httpx.Client(base_url=web.url, timeout=10) as c:
        yield c
    assert web.stop(5)


def raised(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    res = client.get("/api/alerts", params=params)
    assert res.status_code == 200, res.text
    return list(res.json()["alerts"])


# -- the numbers -------------------------------------------------------------------


def test_activity_counts_each_utc_day_up_to_today(store: EventLog) -> None:
    found = Monitor(store, now=store.now).activity()
    assert len(found.days) == 14 and found.days[-1] == TODAY.date()
    day = found.days.index(RAISED_AT.date())
    # the seeds raise three alerts for each shipped rule (docs/design table), all that day
    assert {rule: sum(n) for rule, n in found.alerts.items()} == {
        "japan-korea-summit": 3,
        "north-korea-russia": 3,
    }
    assert all(n[day] == 3 for n in found.alerts.values())
    assert found.sources["seeds"]["new items"][day] == 5  # the five seed articles
    assert sum(found.sources["seeds"]["failures"]) == 0
    delays = found.latency[day]
    assert delays.sent == 6 and delays.median_s == 5.0 and delays.max_s == 5.0
    assert all(d.sent == 0 for i, d in enumerate(found.latency) if i != day)


def test_nothing_before_the_period_is_counted(store: EventLog) -> None:
    later = Monitor(store, now=lambda: TODAY + timedelta(days=30)).activity()
    assert later.alerts == {} and later.sources == {}
    assert all(d.sent == 0 for d in later.latency)


def test_the_period_starts_before_outcomes_stamped_with_older_times(tmp_path: Any) -> None:
    """An outcome carries its article's time: a rule engine that catches up after days
    down appends old times after new ones. The search for the period's first event
    must not land past the period's events for them (nor for a node's clock a few
    minutes behind)."""
    clock = Clock(TODAY - timedelta(days=20))
    log = EventLog(f"sqlite:///{tmp_path / 'monitor.db'}", now=clock)  # positions only

    def event(type: str, key: str, time: datetime | None = None) -> NewEvent:
        return NewEvent(type, "rule:r" if time else "source:s", key, {}, time)

    log.append([event(SOURCE_POLLED, f"old-{n}") for n in range(5)])
    clock.at = TODAY - timedelta(days=1)
    (in_period,) = log.append([event(SOURCE_POLLED, "in-period")])
    # the engine catching up: outcomes of week-old articles, then a poll stamped by a
    # node whose clock is ten minutes behind the period's start
    stale = TODAY - timedelta(days=7)
    log.append([event(ALERT_SUPPRESSED, f"late-{n}", stale) for n in range(20)])
    since = TODAY - timedelta(days=1, minutes=-10)
    log.append([event(SOURCE_POLLED, "skewed", since - timedelta(minutes=10))])
    clock.at = TODAY
    log.append([event(SOURCE_POLLED, f"new-{n}") for n in range(3)])
    with log.engine.connect() as conn:
        first = first_seq_since(conn, since)
        assert first <= in_period.seq
        assert first > 5  # still bounded: the old polls are left behind
    log.close()


def test_api_activity_and_the_charts_on_the_page(client: httpx.Client) -> None:
    found = client.get("/api/activity").json()
    assert found["days"][-1] == "2026-03-13"
    assert sum(found["alerts"]["north-korea-russia"]) == 3
    page = client.get("/").text
    assert page.count("<svg") >= 3
    # each bar names its exact number, for hover and screen readers
    assert "<title>north-korea-russia: 3 alert(s) on 2026-03-10</title>" in page
    assert "5 new items on 2026-03-10" in page
    assert "6 sent on 2026-03-10: median 5.0 s, longest 5.0 s after the alert" in page


def test_stacked_bars_are_as_tall_as_their_share() -> None:
    days = ["2026-03-01", "2026-03-02"]
    chart = charts.stacked(days, {"a": [2, 0], "b": [3, 5]}, "alert(s)")
    assert chart.top == "5"
    heights = {(b.title): b.h for b in chart.bars}
    assert heights["a: 2 alert(s) on 2026-03-01"] == pytest.approx(charts.PLOT_H * 2 / 5)
    assert heights["b: 5 alert(s) on 2026-03-02"] == pytest.approx(charts.PLOT_H)
    first_day = sorted((b for b in chart.bars if "03-01" in b.title), key=lambda b: b.y)
    assert first_day[0].y + first_day[0].h == pytest.approx(first_day[1].y)  # stacked, no gap
    assert [leg.total for leg in chart.legend] == ["2", "8"]
    assert charts.stacked(days, {}, "alert(s)").empty


# -- filters -----------------------------------------------------------------------


def test_alerts_filter_by_rule_outcome_and_days(client: httpx.Client) -> None:
    every = raised(client, outcome="all")
    assert {a["outcome"] for a in every} == {"raised", "suppressed"}
    assert {a["rule"] for a in raised(client, rule="japan-korea-summit")} == {"japan-korea-summit"}
    suppressed = raised(client, outcome="suppressed")
    assert suppressed and all(a["outcome"] == "suppressed" for a in suppressed)
    assert len(raised(client, since="2026-03-10", until="2026-03-10")) == 6
    assert raised(client, since="2026-03-11") == []
    assert raised(client, until="2026-03-09") == []
    assert raised(client, rule="no-such-rule") == []
    # the page keeps the filter it shows
    page = client.get("/alerts", params={"rule": "north-korea-russia", "outcome": "all"}).text
    assert '<option value="north-korea-russia" selected>' in page
    assert "japan-korea-summit</span>" not in page


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"since": "2026-3-10"}, "since must be a day"),
        ({"until": "yesterday"}, "until must be a day"),
        ({"since": "2026-03-12", "until": "2026-03-10"}, "is after until"),
        ({"outcome": "maybe"}, "outcome must be"),
        ({"rule": "x" * 201}, "rule must be"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(
    client: httpx.Client, params: dict[str, str], names: str
) -> None:
    for path in ("/alerts", "/api/alerts"):
        res = client.get(path, params=params)
        assert res.status_code == 400 and names in res.text


# -- one alert's story -------------------------------------------------------------


def test_an_alert_page_tells_its_whole_story_with_positions(client: httpx.Client) -> None:
    alert = raised(client, rule="north-korea-russia")[-1]
    seq = alert["seq"]
    story = client.get(f"/api/alerts/{seq}").json()
    kinds = [step["type"] for step in story["trail"]]
    assert kinds[:2] == ["ArticleObserved", "AlertRaised"]
    assert kinds.count("NotificationQueued") == 2  # console and down
    assert "NotificationSent" in kinds and "NotificationFailed" in kinds
    positions = [step["seq"] for step in story["trail"]]
    assert positions == sorted(positions) and seq in positions
    failed = next(s for s in story["trail"] if s["type"] == "NotificationFailed")
    assert failed["what"].startswith("attempt 1 to down failed") and "refused" in failed["what"]
    # the story states the article's publication time the alert list does (a seed's
    # dateline gives one; the others have none)
    for listed in raised(client):
        told = client.get(f"/api/alerts/{listed['seq']}").json()["published"]
        assert told == listed["published"]
    # the seed given a sidecar raised for both rules; the one whose byline time is a line
    # of its own ("15:59 JST, November 17, 2024") for one (the other's is the same story)
    assert sorted(a["published"] for a in raised(client) if a["published"]) == [
        "2024-09-06T09:00:00+00:00",
        "2024-09-06T09:00:00+00:00",
        "2024-11-17T06:59:00+00:00",
    ]
    page = client.get(f"/alerts/{seq}").text
    assert "Its story in the log" in page
    for position in positions:
        assert f"<td>#{position}</td>" in page
    # one level down, the page's links and stylesheet still resolve (relative, behind a proxy)
    assert 'href="../static/style.css"' in page and 'href="../alerts"' in page


def test_a_suppressed_outcome_links_to_the_alert_it_repeats(client: httpx.Client) -> None:
    repeat = next(a for a in raised(client, outcome="suppressed") if a["alert_seq"])
    page = client.get(f"/alerts/{repeat['seq']}").text
    assert f'href="../alerts/{repeat["alert_seq"]}"' in page
    story = client.get(f"/api/alerts/{repeat['seq']}").json()
    assert [s["type"] for s in story["trail"]] == ["ArticleObserved", "AlertSuppressed"]


def test_no_outcome_at_a_position_is_a_404(client: httpx.Client) -> None:
    assert client.get("/alerts/1").status_code == 404  # the first event is no outcome
    res = client.get("/api/alerts/999999")
    assert res.status_code == 404 and "no alert or outcome at position 999999" in res.text
    assert client.get("/alerts/x").status_code == 404
    # positions the log cannot hold: no store error (SQLite overflows, PostgreSQL's integer)
    for seq in ("0", str(2**31), "9" * 40):
        for path in (f"/alerts/{seq}", f"/api/alerts/{seq}"):
            res = client.get(path)
            assert res.status_code == 404 and "no alert or outcome" in res.text, (path, res.text)


def test_the_last_day_there_is_is_no_upper_bound(client: httpx.Client) -> None:
    assert raised(client, until="9999-12-31") == raised(client)
    assert raised(client, since="9999-12-31") == []


def test_links_from_the_lists_open_the_alert_pages(client: httpx.Client) -> None:
    page = client.get("/").text
    links = set(re.findall(r'href="alerts/(\d+)"', page))
    assert links
    for seq in links:
        assert client.get(f"/alerts/{seq}").status_code == 200


# -- alert numbers -----------------------------------------------------------------


def test_alerts_are_numbered_from_one_and_keep_their_position(
    client: httpx.Client, store: EventLog
) -> None:
    listed = raised(client, outcome="all")
    numbered = sorted((a["seq"], a["number"]) for a in listed if a["outcome"] == "raised")
    assert [n for _, n in numbered] == [1, 2, 3, 4, 5, 6]  # a fresh store's first alert is 1
    assert numbered[0][0] > 1  # its position in the log is not
    assert all(a["number"] is None for a in listed if a["outcome"] == "suppressed")
    seq, number = numbered[2]
    assert client.get(f"/api/alerts/{seq}").json()["number"] == number
    assert f"Alert {number} <small>(#{seq} in the log)" in client.get(f"/alerts/{seq}").text
    path = store.engine.url.database
    out = run_cli("alerts", "--store", f"sqlite:///{path}", check=True).stdout
    assert f"alert {number} #{seq}" in out
    lines = run_cli("alerts", "--store", f"sqlite:///{path}", "--format", "jsonl", check=True)
    assert {(r["seq"], r["number"]) for r in map(json.loads, lines.stdout.splitlines())} >= {
        (seq, number)
    }


def test_alert_numbers_count_raised_alerts_up_to_each_position(tmp_path: Any) -> None:
    """A number is how many alerts were raised up to a position, for any set of
    positions asked at once: raised ones, others between them, and ones far apart."""
    log = EventLog(f"sqlite:///{tmp_path / 'monitor.db'}")
    kinds = [ALERT_RAISED, ALERT_SUPPRESSED, SOURCE_POLLED, ALERT_RAISED, ALERT_RAISED] * 4
    stored = log.append([NewEvent(t, "rule:r", f"e{n}", {}) for n, t in enumerate(kinds)])
    seqs = [e.seq for e in stored]
    expected = {s: kinds[: i + 1].count(ALERT_RAISED) for i, s in enumerate(seqs)}
    with log.engine.connect() as conn:
        assert alert_numbers(conn, seqs) == expected
        some = [seqs[17], seqs[3], seqs[9], seqs[3]]
        assert alert_numbers(conn, some) == {s: expected[s] for s in some}
        assert alert_numbers(conn, []) == {}
        assert alert_numbers(conn, [seqs[-1]]) == {seqs[-1]: 12}
    log.close()


def test_the_trail_keeps_attempts_of_a_round_longer_than_max_attempts_is_now(
    tmp_path: Any, shipped: Watchlists
) -> None:
    """Rounds made under a larger ``max_attempts`` keep all their failed attempts in an
    alert's story after the setting is lowered: the dead letter says how many there were."""
    clock = Clock(RAISED_AT)
    log = open_log(f"sqlite:///{tmp_path / 'monitor.db'}", now=clock)
    seed = tmp_path / "seed"
    seed.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[3], seed)
    replay([seed], shipped, log)
    config = seeds_config(notify={"max_attempts": 4, "base_delay": "1s", "max_delay": "1s"})
    outbox = build_runtime(log, config, watchlists=shipped).outbox
    for _ in range(6):  # console sent at once; "down" fails four times: a dead letter
        outbox.run()
        clock.at += timedelta(seconds=5)
    (alert,) = Monitor(log).alerts(rules=["north-korea-russia"]).rows
    assert outbox.retry(alert.seq) == 1  # a second round, which fails once more
    outbox.run()
    story = Monitor(log).alert_trail(alert.seq, max_attempts=1)
    assert story is not None
    failed = [
        (e.payload["round"], e.payload["attempt"])
        for e in story.events
        if e.type == "NotificationFailed" and e.payload["channel"] == "down"
    ]
    assert sorted(failed) == [(0, 1), (0, 2), (0, 3), (0, 4), (1, 1)]
    assert [e.type for e in story.events].count("NotificationDeadLettered") == 1
    log.close()
