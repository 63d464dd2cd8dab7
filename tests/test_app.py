"""``Monitor``, the application in front of the log: its use cases without a command line.

The command line and its tests (tests/test_operator_cli.py, test_digests_mutes.py)
go through it; these tests call it directly, with a fixed clock where time
matters, so that "now" is the test's and nothing sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import bare_article

from monitor.app import Monitor, UnknownEventType
from monitor.config import Config, SourceConfig
from monitor.errors import MonitorError, StoreError
from monitor.events import ArticleObserved

T0 = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    Monitor.open(url, create=True).close()
    return url


def test_a_missing_store_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Monitor.open(f"sqlite:///{tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()


def test_a_mute_starts_and_ends_on_the_application_clock(store: str) -> None:
    clock = Clock(T0)
    with Monitor.open(store, now=clock) as app:
        mute = app.mute("r", timedelta(hours=2), "maintenance", "ops@host")
        assert (mute.starts, mute.ends) == (T0, T0 + timedelta(hours=2))
        assert [m.rule for m in app.mutes()] == ["r"]
        clock.at = T0 + timedelta(hours=3)  # past its end: no longer in force
        assert app.mutes() == []
        assert [m.rule for m in app.mutes(past=True)] == ["r"]


def test_unmute_ends_the_mutes_in_force_and_refuses_a_rule_not_muted(store: str) -> None:
    clock = Clock(T0)
    with Monitor.open(store, now=clock) as app:
        app.mute("r", timedelta(hours=2), "", "ops@host")
        clock.at = T0 + timedelta(minutes=1)
        app.mute("r", timedelta(days=1), "", "ops@host")
        assert app.unmute("r", "done", "ops@host") == 2
        assert app.mutes() == []
        with pytest.raises(MonitorError, match="r is not muted"):
            app.unmute("r", "", "ops@host")


def test_events_refuse_an_unknown_type_with_the_closest_one(store: str) -> None:
    with Monitor.open(store) as app:
        with pytest.raises(UnknownEventType, match="did you mean ArticleObserved"):
            list(app.events(types=["ArticleObserve"]))
        assert list(app.events(types=["ArticleObserved"])) == []


def test_status_counts_each_consumers_lag_and_lists_the_sources(store: str) -> None:
    config = Config(sources=[SourceConfig(name="wire", type="feed", url="http://x.org/f.xml")])
    with Monitor.open(store) as app:
        article = bare_article("A headline", "A paragraph.")
        app.log.append([ArticleObserved(article).to_event()])
        report = app.status(config)
    assert report["consumers"]["rules"] == {"position": 0, "lag": 1}
    assert [(s["name"], s["health"]) for s in report["sources"]] == [("wire", "never polled")]
    assert report["head"] == 1


def test_verify_reads_the_bare_chain(store: str) -> None:
    with Monitor.open(store, read_models=False) as app:
        result, guards = app.verify()
    assert result.ok and guards == []


def test_a_store_that_cannot_be_read_is_a_store_error(tmp_path: Path) -> None:
    """The database's own error reaches the front door as the one error it handles (the
    page answers 503 with it), naming what went wrong."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'm.db'}"
    with Monitor.open(url, create=True) as app:
        con = sqlite3.connect(tmp_path / "m.db")
        con.execute("DROP TABLE outcomes")  # a read model lost under a running reader
        con.commit()
        con.close()
        with pytest.raises(StoreError, match="no such table: outcomes"):
            app.alerts()


def test_alerts_carry_the_items_published_time_on_the_cli_and_the_api(store: str) -> None:
    """``alerts --format jsonl`` and ``/api/alerts`` give replay's fields, ``published`` too."""
    import json
    import subprocess
    import sys

    from conftest import WATCHLISTS

    from monitor.article import RawItem
    from monitor.front.web import views
    from monitor.normalize import normalize
    from monitor.replay import observe
    from monitor.rules.engine import RuleEngine
    from monitor.rules.watchlist import load_watchlists

    published = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    item = RawItem(
        "wire",
        "kim-putin",
        "Kim Jong Un meets Putin\n\nKim Jong Un met Vladimir Putin in Moscow on Tuesday.\n",
        published=published,
    )
    with Monitor.open(store) as app:
        observe(app.log, [normalize(item, T0)])
        RuleEngine(app.log, load_watchlists(WATCHLISTS)).run()
        (api,) = views.alerts(app)
    assert api["published"] == published.isoformat()
    res = subprocess.run(
        [sys.executable, "-m", "monitor", "alerts", "--format", "jsonl", "--store", store],
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = res.stdout.splitlines()
    assert json.loads(line)["published"] == published.isoformat()


def test_holdings_say_what_the_log_holds(store: str) -> None:
    """The daemon's start line: a second run decides nothing new and says what is there."""
    from conftest import WATCHLISTS

    from monitor.article import RawItem
    from monitor.normalize import normalize
    from monitor.replay import observe
    from monitor.rules.engine import RuleEngine
    from monitor.rules.watchlist import load_watchlists

    with Monitor.open(store, now=Clock(T0)) as app:
        assert app.holdings().describe() == "the log is empty"
        item = RawItem("wire", "a", "Kim Jong Un meets Putin\n\nKim Jong Un met Vladimir Putin.\n")
        observe(app.log, [normalize(item, T0)])
        RuleEngine(app.log, load_watchlists(WATCHLISTS)).run()
        held = app.holdings()
    assert (held.alerts, held.last_alert) == (1, T0)
    assert held.describe() == (
        f"the log holds {held.events} event(s) and 1 alert(s) "
        "(the last 2026-03-11 09:00 UTC; `monitor alerts` lists them)"
    )
