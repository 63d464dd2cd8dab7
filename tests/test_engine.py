"""The rule engine as a consumer: decisions, idempotency, one decider at a time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import SEEDS, WATCHLISTS

from monitor.article import RawItem
from monitor.normalize import normalize
from monitor.replay import observe
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists, load_watchlists
from monitor.sources.fixtures import iter_fixture_dir
from monitor.store.log import EventLog
from monitor.store.projections import list_outcomes
from monitor.wiring import open_log

SUMMIT = (
    "Leaders meet\n\nJapanese Prime Minister Sanae Takaichi met South Korean President "
    "Lee Jae Myung for a summit in Nara on {day}, officials said after the talks.\n"
)


def _outcomes(log: EventLog) -> list[tuple[str, str, str | None]]:
    with log.engine.connect() as conn:
        rows = list_outcomes(conn, limit=1000)
    return sorted((r.item, r.outcome, r.reason) for r in rows if r.rule == "japan-korea-summit")


def test_revised_article_is_suppressed_as_revision(shipped: Watchlists) -> None:
    with open_log("sqlite://") as log:
        first = normalize(RawItem("feed", "story-1", SUMMIT.format(day="Monday")))
        observe(log, [first])
        RuleEngine(log, shipped).run()
        revised = normalize(RawItem("feed", "story-1", SUMMIT.format(day="Monday morning")))
        assert revised.content_hash != first.content_hash
        observe(log, [revised])
        RuleEngine(log, shipped).run()
        assert _outcomes(log) == [
            ("story-1", "raised", None),
            ("story-1", "suppressed", "revision"),
        ]


def test_rerunning_the_engine_appends_nothing(shipped: Watchlists) -> None:
    with open_log("sqlite://") as log:
        observe(log, [normalize(r) for r in iter_fixture_dir(SEEDS, "seeds")])
        engine = RuleEngine(log, shipped)
        assert engine.record_watchlists() is not None
        assert engine.run() == 8
        head = log.head()
        assert RuleEngine(log, shipped).run() == 0
        assert RuleEngine(log, shipped).record_watchlists() is None  # same version: recorded once
        assert log.head() == head


def test_a_long_catch_up_beats_the_heartbeat_after_every_recorded_batch(
    shipped: Watchlists,
) -> None:
    """The daemon's health reads the beats: a backlog of many batches is progress, not a hang."""
    with open_log("sqlite://") as log:
        observe(log, [normalize(r) for r in iter_fixture_dir(SEEDS, "seeds")])  # five articles
        engine = RuleEngine(log, shipped, batch=2)
        beats: list[int] = []
        engine.heartbeat = lambda: beats.append(log.checkpoint("rules"))
        engine.run()
        assert len(beats) == 3 and beats == sorted(beats)  # 2 + 2 + 1, each once recorded
        assert beats[-1] == log.checkpoint("rules")


def test_throttle_suppresses_beyond_the_budget(tmp_path: Path) -> None:
    wl_dir = tmp_path / "wl"
    wl_dir.mkdir()
    (wl_dir / "entities.yaml").write_text((WATCHLISTS / "entities.yaml").read_text())
    (wl_dir / "busy.yaml").write_text("query: summit\nthrottle:\n  max: 2\n  per: 1h\n")
    wl = load_watchlists(wl_dir)
    with open_log("sqlite://") as log:
        items = [normalize(RawItem("f", f"i{i}", SUMMIT.format(day=f"day {i}"))) for i in range(4)]
        observe(log, items)
        RuleEngine(log, wl).run()
        with log.engine.connect() as conn:
            rows = sorted(list_outcomes(conn), key=lambda r: r.item)
    assert [(r.item, r.outcome, r.reason) for r in rows] == [
        ("i0", "raised", None),
        ("i1", "raised", None),
        ("i2", "suppressed", "throttled"),
        ("i3", "suppressed", "throttled"),
    ]


def test_watchlist_change_is_recorded_with_its_hash(tmp_path: Path) -> None:
    wl_dir = tmp_path / "wl"
    wl_dir.mkdir()
    (wl_dir / "entities.yaml").write_text((WATCHLISTS / "entities.yaml").read_text())
    (wl_dir / "a.yaml").write_text("query: summit\n")
    with open_log("sqlite://") as log:
        v1 = load_watchlists(wl_dir)
        RuleEngine(log, v1).record_watchlists()
        (wl_dir / "a.yaml").write_text("query: summit OR talks\n")
        v2 = load_watchlists(wl_dir)
        RuleEngine(log, v2).record_watchlists()
        RuleEngine(log, v1).record_watchlists()  # going back is a change too
        loaded = [e.payload["version"] for e in log.read(types=["WatchlistsLoaded"])]
    assert loaded == [v1.version, v2.version, v1.version]
    assert v1.version != v2.version


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store several processes can share: a SQLite file, or a PostgreSQL schema.

    The schema comes from the suite's ``pg_url`` fixture (dropped after the
    test; the PostgreSQL run is skipped without ``MONITOR_TEST_PG_URL``).
    """
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
        return url
    return f"sqlite:///{tmp_path / 'shared.db'}"


def test_concurrent_engines_decide_each_story_once(shipped: Watchlists, shared_store: str) -> None:
    """Four engines (as four daemons would) on one store: a summit reported 40 times is raised once."""
    url = shared_store
    base = datetime(2026, 3, 1, tzinfo=UTC)
    reports = [
        normalize(
            RawItem(
                "f",
                f"r{i}",
                SUMMIT.format(day=f"report {i}"),
                published=base + timedelta(minutes=i),
            )
        )
        for i in range(40)
    ]
    logs = [open_log(url) for _ in range(4)]
    try:
        observe(logs[0], reports)
        barrier = threading.Barrier(len(logs))

        def work(log: EventLog) -> None:
            barrier.wait()
            for _ in range(5):
                RuleEngine(log, shipped, batch=3).run()

        threads = [threading.Thread(target=work, args=(lg,)) for lg in logs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        RuleEngine(logs[0], shipped).run()
        outcomes = _outcomes(logs[0])
        assert len(outcomes) == 40
        assert [o for o in outcomes if o[1] == "raised"] == [("r0", "raised", None)]
        assert logs[0].verify().ok
    finally:
        for lg in logs:
            lg.close()


# try_lock itself (the engine's "one decider at a time") is part of the store
# contract: tests/test_store.py, TestLockContract, on every backend.


def test_an_article_that_breaks_evaluation_is_recorded_and_skipped(shipped: Watchlists) -> None:
    with open_log("sqlite://") as log:
        good = normalize(RawItem("f", "good", SUMMIT.format(day="Monday")))
        observe(log, [good])
        bad_payload = {**good.to_payload(), "item": "bad", "paragraphs": None}  # not a list
        from monitor.store.events import NewEvent

        log.append([NewEvent("ArticleObserved", "source:f", "article:f:bad:x", bad_payload)])
        later = normalize(
            RawItem("f", "later", SUMMIT.format(day="Friday").replace("Nara", "Busan"))
        )
        observe(log, [later])
        RuleEngine(log, shipped).run()
        failed = [e.payload for e in log.read(types=["RuleFailed"])]
        assert len(failed) == 1 and failed[0]["article"] == "article:f:bad:x"
        assert [o[0] for o in _outcomes(log) if o[1] == "raised"] == ["good", "later"]
        head = log.head()
        assert RuleEngine(log, shipped).run() == 0 and log.head() == head  # moved past it


def test_an_alert_survives_an_append_that_failed_on_a_held_store_lock(
    tmp_path: Path, shipped: Watchlists, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second connection holds SQLite's write lock past the busy timeout while the engine
    decides: the append fails, and the alert must be raised once the lock is gone — not
    suppressed as a "revision" of an alert that was never stored."""
    import sqlite3

    import monitor.store.connect as connect
    from monitor.errors import StoreError

    monkeypatch.setattr(connect, "_SQLITE_BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "state.db"
    with open_log(f"sqlite:///{path}") as log:
        observe(log, [normalize(RawItem("feed", "summit", SUMMIT.format(day="Monday")))])
        engine = RuleEngine(log, shipped)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # as `monitor rebuild` or a backup would
        try:
            for _ in range(2):
                with pytest.raises(StoreError, match="locked"):
                    engine.run()
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert engine.run() == 1
        assert _outcomes(log) == [("summit", "raised", None)]
        assert engine.run() == 0
