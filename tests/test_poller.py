"""The polling shell: one bad file or source never hides the good ones."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from feedserver import Entry, FeedServer, atom, rss

from monitor.app import Monitor
from monitor.config import Config, SourceConfig
from monitor.poller import Poller
from monitor.wiring import open_log


def test_a_bad_fixture_file_is_reported_once_and_the_others_observed(tmp_path: Path) -> None:
    fixtures = tmp_path / "fx"
    fixtures.mkdir()
    (fixtures / "a.txt").write_text(
        "Headline one\n\nA first article about the harvest this year.\n"
    )
    (fixtures / "b.txt").write_bytes(b"Headline two\n\n\xff\xfe not UTF-8\n")
    (fixtures / "c.txt").write_text("Headline three\n\nA third article about the weather today.\n")
    source = SourceConfig(name="fx", type="fixtures", path=str(fixtures))
    config = Config(sources=[source])
    with open_log("sqlite://") as log:
        poller = Poller(log, config)
        try:
            poller.poll(source)
            first = [(e.type, e.payload.get("item") or e.payload.get("url")) for e in log.read()]
            assert ("ArticleObserved", "a.txt") in first and ("ArticleObserved", "c.txt") in first
            failed = [e for e in log.read(types=["SourceFailed"])]
            assert len(failed) == 1 and "b.txt" in failed[0].payload["error"]
            head = log.head()
            assert poller.poll(source) == 0 and log.head() == head  # nothing new, nothing twice

            (fixtures / "b.txt").write_text("Headline two\n\nFixed now, a real article at last.\n")
            assert poller.poll(source) >= 2  # the article and the recovery
            assert poller.states["fx"].failures == 0
            assert any(e.payload.get("recovered") for e in log.read(types=["SourcePolled"]))
        finally:
            poller.close()


def test_status_shows_a_poll_that_found_nothing_new(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """A 304 appends no event, yet `status` must show the feed was checked (not stalled):
    its last check moves, its last new item does not. The log's clock moves, not a sleep."""
    feed_server.set_feed("/quiet.xml", rss([Entry("A headline", "https://x.org/1", "<p>Hi.</p>")]))
    source = SourceConfig(
        name="quiet", type="feed", url=feed_server.url("/quiet.xml"), interval="1s"
    )
    config = Config(sources=[source], store={"url": f"sqlite:///{tmp_path / 'm.db'}"})
    at = [datetime(2030, 1, 1, tzinfo=UTC)]
    with open_log(config.store_url, now=lambda: at[0]) as log:
        poller = Poller(log, config)
        try:
            poller.poll(source, force=True)
            assert poller.flush_checks() == 1
            (first,) = Monitor(log).status(config)["sources"]
            assert first["last_poll"] == first["last_item_at"] == at[0]
            head = log.head()
            at[0] += timedelta(minutes=5)
            poller.poll(source, force=True)  # 304: nothing appended
            assert feed_server.requests("/quiet.xml")[-1].headers.get("if-none-match")
            assert log.head() == head
            assert poller.flush_checks() == 1
            assert poller.flush_checks() == 0  # nothing new since: no write
            (later,) = Monitor(log).status(config)["sources"]
            assert later["last_poll"] == at[0] and later["last_status"] == "not_modified"
            assert later["last_item_at"] == first["last_item_at"]
        finally:
            poller.close()


def poll_once(source: SourceConfig) -> tuple[dict[str, dict[str, Any]], list[object]]:
    """One poll of ``source`` into a fresh store: the articles observed, by title, and
    the failures recorded."""
    with open_log("sqlite://") as log:
        poller = Poller(log, Config(sources=[source]), processes=0)
        try:
            poller.poll(source)
            observed = {e.payload["title"]: e.payload for e in log.read(types=["ArticleObserved"])}
            return observed, list(log.read(types=["SourceFailed"]))
        finally:
            poller.close()


FAR_AHEAD = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14)))


def test_an_entry_dated_past_the_calendar_fails_alone(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """A real Atom file whose middle entry is dated 9999-12-31T23:59:59-14:00 (year 10000
    in UTC): its two good entries are observed, and so is the bad one, undated, with the
    date it gave kept as suspect."""
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    feed_server.set_feed(
        "/atom.xml",
        atom(
            [
                Entry("First headline", "https://x.org/1", "<p>One.</p>", hour_ago),
                Entry("Dated in year 10000", "https://x.org/2", "<p>Two.</p>", FAR_AHEAD),
                Entry("Third headline", "https://x.org/3", "<p>Three.</p>", hour_ago),
            ]
        ),
        content_type="application/atom+xml",
    )
    source = SourceConfig(name="atom", type="feed", url=feed_server.url("/atom.xml"))
    observed, failed = poll_once(source)
    assert set(observed) == {"First headline", "Dated in year 10000", "Third headline"}
    assert not failed
    bad = observed["Dated in year 10000"]
    assert bad["published"] is None and bad["published_suspect"].startswith("9999-12-31")
    assert observed["First headline"]["published"] is not None
    assert "published_suspect" not in observed["First headline"]


def test_a_json_feed_entry_dated_past_the_calendar_fails_alone(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    items = [
        {"id": "1", "url": "https://x.org/1", "title": "Good one", "content_text": "One.",
         "date_published": "2026-01-05T10:00:00Z"},
        {"id": "2", "url": "https://x.org/2", "title": "Far ahead", "content_text": "Two.",
         "date_published": "9999-12-31T23:59:59-14:00"},
    ]  # fmt: skip
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items})
    feed_server.set_feed("/feed.json", body, content_type="application/feed+json")
    source = SourceConfig(name="json", type="feed", url=feed_server.url("/feed.json"))
    observed, failed = poll_once(source)
    assert set(observed) == {"Good one", "Far ahead"} and not failed
    assert observed["Far ahead"]["published"] is None
    assert observed["Far ahead"]["published_suspect"].startswith("9999-12-31")


def test_an_internal_error_backs_off_with_one_traceback(
    tmp_path: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A failure the source's own path does not catch is recorded, backed off like any
    other, and its traceback logged once, not at every tick."""
    feed_server.set_feed("/f.xml", rss([Entry("A headline", "https://x.org/1", "<p>Hi.</p>")]))
    source = SourceConfig(name="f", type="feed", url=feed_server.url("/f.xml"), interval="1s")

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("a library bug")

    monkeypatch.setattr("monitor.sources.poll.parse_feed", broken)
    with open_log("sqlite://") as log:
        poller = Poller(log, Config(sources=[source]), processes=0)
        try:
            with caplog.at_level(logging.ERROR, logger="monitor.poller"):
                for _ in range(20):  # a tight loop of ticks, as a busy scheduler gives
                    poller.poll(source)
            failed = list(log.read(types=["SourceFailed"]))
            assert len(failed) == 1 and "a library bug" in failed[0].payload["error"]
            state = poller.states["f"]
            assert state.retry_at is not None and state.retry_at > datetime.now(UTC)
            tracebacks = [r for r in caplog.records if r.exc_info]
            assert len(tracebacks) == 1
            assert len(feed_server.requests("/f.xml")) == 1
        finally:
            poller.close()


def test_source_checks_are_recorded_while_another_process_writes(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """flush_checks read before it wrote, in a deferred transaction: with another writer
    busy it failed at once ("database is locked") instead of waiting its turn."""
    feed_server.set_feed("/f.xml", rss([Entry("A headline", "https://x.org/1", "<p>Hi.</p>")]))
    source = SourceConfig(name="f", type="feed", url=feed_server.url("/f.xml"), interval="1s")
    db = tmp_path / "m.db"
    config = Config(sources=[source], store={"url": f"sqlite:///{db}"})
    with open_log(config.store_url) as log:
        poller = Poller(log, config, processes=0)
        try:
            poller.poll(source, force=True)
            assert poller.flush_checks() == 1
            poller.poll(source, force=True)
            other = sqlite3.connect(db, timeout=10, isolation_level=None, check_same_thread=False)
            other.execute("BEGIN IMMEDIATE")
            other.execute("CREATE TABLE IF NOT EXISTS scratch (x INTEGER)")
            other.execute("INSERT INTO scratch VALUES (1)")
            timer = threading.Timer(0.5, other.execute, args=("COMMIT",))
            timer.start()
            assert poller.flush_checks() == 1  # waited for the other writer, then wrote
            timer.join()
            other.close()
        finally:
            poller.close()
