"""Sources by stage: the poller drives any :class:`~monitor.sources.source.Source`.

``retrieve`` is the I/O, ``decide`` is pure (the same inputs give the same
events), the source values are plain enough to hand to a parse worker, and
the poller builds them from the configuration without asking their type.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

import monitor.poller
from monitor.config import Config, SourceConfig
from monitor.events import NewEvent, SourcePolled
from monitor.poller import Poller, feed_config, source_for
from monitor.sources.directory import FixturesSource
from monitor.sources.feed import FeedConfig, FetchResult
from monitor.sources.poll import FeedSource, SourceState, decide
from monitor.sources.source import Source
from monitor.wiring import open_log

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
FEED = FeedConfig(name="f", url="https://example.org/f.xml", interval=timedelta(minutes=5))
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>A headline</title><link>https://example.org/1</link>"
    b"<description>A first article about the harvest this year.</description></item>"
    b"</channel></rss>"
)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as c:
        yield c


def ok(body: bytes = RSS) -> FetchResult:
    return FetchResult("ok", body, 200, '"v1"', None, url=FEED.url)


def test_the_factory_builds_each_type_and_both_are_sources() -> None:
    config = Config()
    fixtures = SourceConfig(name="fx", type="fixtures", path="fx")
    feed = SourceConfig(name="f", type="feed", url=FEED.url)
    built: list[Source[object]] = [source_for(config, fixtures), source_for(config, feed)]
    directory, fetched = built
    assert isinstance(directory, FixturesSource) and directory.shared is None
    assert directory.path == Path(config.resolve("fx")) and directory.location == "fx"
    assert isinstance(fetched, FeedSource) and fetched.shared == feed_config(feed)
    assert [s.name for s in built] == ["fx", "f"]


def test_the_feed_source_decides_as_the_decider_and_survives_a_trip_to_a_worker() -> None:
    source = FeedSource(FEED)
    state = SourceState()
    assert source.decide(state, ok(), NOW) == decide(FEED, state, ok(), NOW)
    events, _ = source.decide(state, ok(), NOW)
    assert [e.type for e in events] == ["ArticleObserved", "SourcePolled"]
    copy = pickle.loads(pickle.dumps(source))
    assert copy == source and copy.decide(state, ok(), NOW) == source.decide(state, ok(), NOW)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:  # as the poller's parse workers
        decided = pool.submit(source.decide, state, ok(), NOW).result(timeout=60)
    assert decided == source.decide(state, ok(), NOW)
    assert source.offload(ok()) and not source.offload(
        FetchResult("not_modified", None, 304, '"v1"', None)
    )
    slow = source.timed_out(ok(), "too slow")
    assert (slow.status, slow.body, slow.error) == ("error", None, "too slow")
    events, new = source.decide(state, slow, NOW)
    assert [e.type for e in events] == ["SourceFailed"] and new.failures == 1


def test_the_fixtures_decider_is_pure(tmp_path: Path, client: httpx.Client) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nA first article about the harvest this year.\n")
    (tmp_path / "b.txt").write_bytes(b"Headline\n\n\xff broken\n")
    source = FixturesSource("fx", tmp_path, str(tmp_path))
    read = source.retrieve(client, SourceState())
    assert [i.item_id for i in read.items] == ["a.txt"] and len(read.bad) == 1
    first = source.decide(SourceState(), read, NOW)
    assert first == source.decide(SourceState(), read, NOW)
    events, new = first
    assert [e.type for e in events] == ["ArticleObserved", "SourcePolled", "SourceFailed"]
    assert (new.failures, new.last_status, new.last_poll) == (1, "error", NOW)


def test_an_unreadable_directory_is_a_failed_poll(tmp_path: Path, client: httpx.Client) -> None:
    source = FixturesSource("fx", tmp_path / "missing", "missing")
    read = source.retrieve(client, SourceState(etag="kept"))
    assert read.error is not None and not read.items
    events, new = source.decide(SourceState(etag="kept", failures=2), read, NOW)
    assert [e.type for e in events] == ["SourceFailed"]
    assert events[0].payload["failures"] == 3 and events[0].payload["url"] == "missing"
    assert (new.failures, new.last_status, new.etag) == (3, "error", "kept")


@dataclass(frozen=True)
class Counted:
    """A source of its own: the poller needs nothing but the protocol to poll it."""

    name: str = "counted"

    @property
    def shared(self) -> FeedConfig | None:
        return None

    def due(self, state: SourceState, now: datetime) -> bool:
        return state.last_poll is None

    def retrieve(self, client: httpx.Client, state: SourceState) -> int:
        return state.failures + 1

    def offload(self, retrieved: int) -> bool:
        return False

    def timed_out(self, retrieved: int, error: str) -> int:
        return retrieved

    def decide(
        self, state: SourceState, retrieved: int, now: datetime
    ) -> tuple[list[NewEvent], SourceState]:
        polled = SourcePolled(self.name, "counted:", None, retrieved, f"n{retrieved}", False)
        return [polled.to_event(now)], SourceState(last_poll=now, last_status="ok")

    def report(self, log: logging.Logger, retrieved: int, new: SourceState, stored: int) -> None:
        log.info("counted %d", stored)


def test_the_poller_polls_any_source_through_the_protocol(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted: Source[int] = Counted()
    monkeypatch.setattr(monitor.poller, "source_for", lambda config, source: counted)
    source = SourceConfig(name="counted", type="fixtures", path="unused")
    with open_log("sqlite://") as log:
        poller = Poller(log, Config(sources=[source]))
        try:
            assert poller.poll(source) == 1
            assert poller.states["counted"].last_status == "ok"
            assert poller.poll(source) == 0  # not due: nothing retrieved
            assert poller.poll(source, force=True) == 0  # due or not; its key repeats
            assert [e.type for e in log.read()] == ["SourcePolled"]
        finally:
            poller.close()
