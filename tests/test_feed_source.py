"""The feed source against a real local HTTP server: fetch → decide → event log.

Every test runs the whole path a daemon poll takes — the production
:class:`monitor.poller.Poller` with a real socket, httpx, feedparser, the
normalizer and an ``EventLog`` — so idempotency is proven by what the log
actually stored, not by what ``decide`` returned. The tests choose the time
each poll happens at and look at the last fetch result (see :class:`Polling`).
"""

from __future__ import annotations

import logging
import random
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from feedserver import Entry, FeedServer, atom, gzip_bomb, rss

import monitor.poller
import monitor.sources.http
from monitor.config import Config, SourceConfig
from monitor.poller import Poller, feed_config
from monitor.sources.http import FeedConfig, FetchResult, fetch, make_client, parse_retry_after
from monitor.sources.poll import SOURCE_FAILED, SOURCE_POLLED, SourceState, backoff, decide, due
from monitor.store.events import StoredEvent
from monitor.store.log import EventLog
from monitor.store.projections import ARTICLE_OBSERVED
from monitor.store.source_state import SourcesProjection, load_states

# The ``feed_server`` fixture, until the suite's conftest.py imports it for everyone.

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
BODY = "Leaders met in Tokyo on Friday to discuss trade, security and the region's future."


def story(n: int, text: str = BODY, **kw: Any) -> Entry:
    return Entry(
        title=f"Story {n}",
        link=f"https://news.example.org/story/{n}?utm_source=rss&utm_medium=feed&fbclid=x&id={n}",
        html=f"<p>{text}</p><script>track()</script><p>Second paragraph of story {n}.</p>",
        published=T0 - timedelta(hours=n),
        **kw,
    )


class Clock:
    """The log's clock in these tests (``monitor.clock``): it reads ``at``."""

    at = T0

    @classmethod
    def now(cls) -> datetime:
        return cls.at


class Polling:
    """The production :class:`Poller`, polled at a time the test chooses.

    ``poll`` forces a poll of ``source`` at ``now`` (as the daemon's job does
    once the source is due) and returns the events it appended; ``last`` is
    the fetch result that poll saw, for the assertions about HTTP. The
    client belongs to the test: a ``Poller`` without parse workers holds
    nothing else to close.
    """

    def __init__(self, log: EventLog, client: httpx.Client, fetched: list[FetchResult]) -> None:
        self.log = log
        self.poller = Poller(log, Config(), client, processes=0)
        self._fetched = fetched
        self.last: FetchResult | None = None

    @property
    def states(self) -> dict[str, SourceState]:
        return self.poller.states

    def poll(self, source: SourceConfig, now: datetime = T0) -> list[StoredEvent]:
        head = self.log.head()
        Clock.at = now
        self._fetched.clear()
        self.poller.poll(source, force=True)
        self.last = self._fetched[-1] if self._fetched else None
        return list(self.log.read(head))


@pytest.fixture
def polling(monkeypatch: pytest.MonkeyPatch) -> Callable[[EventLog, httpx.Client], Polling]:
    """Makes :class:`Polling` pollers: the feed ``fetch`` is recorded (still the real one,
    over the real socket); the time is the log's clock (:class:`Clock`)."""
    fetched: list[FetchResult] = []

    def recorded(*args: object, **kwargs: object) -> FetchResult:
        result = fetch(*args, **kwargs)  # type: ignore[arg-type]
        fetched.append(result)
        return result

    monkeypatch.setattr(Clock, "at", T0)
    monkeypatch.setattr(monitor.sources.http, "fetch", recorded)
    return lambda log, client: Polling(log, client, fetched)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client() as c:
        yield c


@pytest.fixture
def log() -> Iterator[EventLog]:
    projection = SourcesProjection()
    with EventLog("sqlite://", projectors=[projection], now=Clock.now) as log:
        with log.engine.begin() as conn:
            projection.create(conn)
        yield log


@pytest.fixture
def poller(
    log: EventLog, client: httpx.Client, polling: Callable[[EventLog, httpx.Client], Polling]
) -> Polling:
    return polling(log, client)


def source(server: FeedServer, path: str, **kw: Any) -> SourceConfig:
    """A ``type = "feed"`` source as the config declares it, named after the path."""
    kw.setdefault("interval", timedelta(minutes=10))
    kw.setdefault("timeout", 1.0)
    return SourceConfig(name=path.strip("/").split(".")[0], type="feed", url=server.url(path), **kw)


def config(server: FeedServer, path: str, **kw: Any) -> FeedConfig:
    """A fetch's own settings, for the tests that call ``fetch`` and ``decide`` directly."""
    kw.setdefault("interval", timedelta(minutes=10))
    kw.setdefault("read_timeout", 1.0)
    return FeedConfig(name=path.strip("/").split(".")[0], url=server.url(path), **kw)


def of_type(events: list[StoredEvent], type_: str) -> list[StoredEvent]:
    return [e for e in events if e.type == type_]


# -- parsing ------------------------------------------------------------------


@pytest.mark.parametrize("build", [rss, atom], ids=["rss", "atom"])
def test_feed_entries_become_articles(feed_server: FeedServer, poller: Polling, build: Any) -> None:
    feed_server.set_feed("/news.xml", build([story(1), story(3), story(2)]))
    stored = poller.poll(source(feed_server, "/news.xml"))
    articles = [e.payload for e in of_type(stored, ARTICLE_OBSERVED)]
    assert [a["title"] for a in articles] == ["Story 3", "Story 2", "Story 1"]  # published order
    first = articles[0]
    assert first["url"] == "https://news.example.org/story/3?id=3"  # tracking params dropped
    assert first["paragraphs"] == [BODY, "Second paragraph of story 3."]
    assert "track()" not in str(first)
    assert first["published"] == (T0 - timedelta(hours=3)).isoformat()
    (polled,) = of_type(stored, SOURCE_POLLED)
    assert polled.payload["entries"] == 3
    assert polled.payload["http_status"] == 200
    assert polled.payload["etag"] is not None
    assert polled.payload["etag"] == poller.states["news"].etag
    assert polled.stream == "source:news"


def test_gzip_body_is_decoded(feed_server: FeedServer, poller: Polling) -> None:
    feed_server.set_feed("/z.xml", rss([story(1)]), gzip=True)
    stored = poller.poll(source(feed_server, "/z.xml"))
    assert poller.last is not None and poller.last.headers["content-encoding"] == "gzip"
    assert len(of_type(stored, ARTICLE_OBSERVED)) == 1


def test_html_page_is_not_a_feed(feed_server: FeedServer, poller: Polling) -> None:
    feed_server.set_html("/home.xml")
    feed = source(feed_server, "/home.xml")
    (failed,) = poller.poll(feed)
    assert failed.type == SOURCE_FAILED
    error = failed.payload["error"]
    assert feed.url is not None
    assert "not a feed" in error and "'home'" in error and feed.url in error
    assert poller.states["home"].last_error == error


# -- conditional GET and idempotency ----------------------------------------------


def test_conditional_get_gets_304_and_appends_nothing(
    feed_server: FeedServer, poller: Polling
) -> None:
    feed_server.set_feed("/c.xml", rss([story(1), story(2)]))
    feed = source(feed_server, "/c.xml")
    assert len(poller.poll(feed)) == 3
    etag = poller.states["c"].etag
    assert poller.poll(feed, T0 + timedelta(minutes=10)) == []
    assert poller.last is not None and poller.last.status == "not_modified"
    sent = feed_server.requests("/c.xml")[-1].headers
    assert sent["if-none-match"] == etag
    assert "if-modified-since" in sent
    assert poller.states["c"].last_poll == T0 + timedelta(minutes=10)


def test_last_modified_alone_gives_304(feed_server: FeedServer, poller: Polling) -> None:
    feed_server.set_feed("/lm.xml", rss([story(1)]), etag=False)
    feed = source(feed_server, "/lm.xml")
    poller.poll(feed)
    assert poller.poll(feed) == []
    assert poller.last is not None and poller.last.http_status == 304
    assert "if-none-match" not in feed_server.requests("/lm.xml")[-1].headers


def test_same_entries_on_a_200_append_nothing(
    feed_server: FeedServer, log: EventLog, polling: Callable[[EventLog, httpx.Client], Polling]
) -> None:
    feed_server.set_feed("/nv.xml", rss([story(1), story(2)]), etag=False, last_modified=False)
    with make_client() as c:
        feed = source(feed_server, "/nv.xml")
        first = polling(log, c)
        assert len(first.poll(feed)) == 3
        assert first.poll(feed) == []  # same body: not even parsed
        # A poller that forgot everything (no body hash: its read model lost)
        # parses and decides again; the log's idempotency keys still store
        # nothing new.
        fresh = polling(log, c)
        fresh.states.clear()
        assert fresh.poll(feed) == []
    assert feed_server.count("/nv.xml") == 3
    assert all(r.http_status == 200 for r in [first.last, fresh.last] if r)
    assert log.head() == 3


def test_changed_entry_is_a_new_version(feed_server: FeedServer, poller: Polling) -> None:
    feed_server.set_feed("/v.xml", rss([story(1), story(2)]))
    feed = source(feed_server, "/v.xml")
    before = of_type(poller.poll(feed), ARTICLE_OBSERVED)
    feed_server.set_feed("/v.xml", rss([story(1), story(2, text=BODY + " Updated.")]))
    after = poller.poll(feed, T0 + timedelta(minutes=10))
    (changed,) = of_type(after, ARTICLE_OBSERVED)
    old = next(e for e in before if e.payload["item"] == changed.payload["item"])
    assert changed.payload["title"] == "Story 2"
    assert changed.payload["content_hash"] != old.payload["content_hash"]
    assert len(of_type(after, SOURCE_POLLED)) == 1


# -- HTTP limits --------------------------------------------------------------------


def test_redirects_are_followed(feed_server: FeedServer, poller: Polling) -> None:
    moved = source(feed_server, "/moved.xml")
    limit = feed_config(moved).max_redirects  # the poller's limit: sources cannot set one
    feed_server.set_feed("/final.xml", rss([story(1)]))
    feed_server.redirect_chain("/moved.xml", "/final.xml", hops=limit, status=301)
    stored = poller.poll(moved)
    assert len(of_type(stored, ARTICLE_OBSERVED)) == 1
    assert poller.last is not None and poller.last.url == feed_server.url("/final.xml")


def test_redirect_limit_is_enforced(feed_server: FeedServer, poller: Polling) -> None:
    loop = source(feed_server, "/loop.xml")
    feed_server.set_feed("/final.xml", rss([story(1)]))
    feed_server.redirect_chain("/loop.xml", "/final.xml", hops=feed_config(loop).max_redirects + 1)
    (failed,) = poller.poll(loop)
    assert "too many redirects" in failed.payload["error"]
    assert feed_server.count("/final.xml") == 0


def test_size_limit_from_content_length(feed_server: FeedServer, poller: Polling) -> None:
    feed_server.set_feed("/big.xml", rss([story(i, text=BODY * 20) for i in range(50)]))
    (failed,) = poller.poll(source(feed_server, "/big.xml", max_bytes=10_000))
    assert "response larger than 10000 bytes" in failed.payload["error"]


def test_size_limit_bounds_decompressed_bytes(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    bomb = gzip_bomb(50_000_000)
    assert len(bomb) < 100_000  # small on the wire, so only decoding can catch it
    feed_server.set_raw("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    feed = config(feed_server, "/bomb.xml", max_bytes=1_000_000)
    result = fetch(client, feed, etag=None, last_modified=None)
    assert result.status == "error"
    assert result.error == "response larger than 1000000 bytes"


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_body_is_decoded(feed_server: FeedServer, poller: Polling, wbits: int) -> None:
    z = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = z.compress(rss([story(1), story(2)])) + z.flush()
    feed_server.set_raw("/d.xml", body, headers={"Content-Encoding": "deflate"})
    stored = poller.poll(source(feed_server, "/d.xml"))
    assert len(of_type(stored, ARTICLE_OBSERVED)) == 2


def test_hanging_server_times_out_quickly(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.set_hang("/slow.xml", 10)
    feed = config(feed_server, "/slow.xml", read_timeout=0.3)
    result = fetch(client, feed, etag=None, last_modified=None)
    assert result.status == "error"
    assert result.error == "read timed out after 0.3 s"
    assert result.elapsed < 2


def test_unreachable_host_is_an_error_not_an_exception(client: httpx.Client) -> None:
    feed = FeedConfig("gone", "http://127.0.0.1:9/feed.xml", timedelta(minutes=5), timeout=1)
    result = fetch(client, feed, etag=None, last_modified=None)
    assert result.status == "error" and result.error and "cannot connect" in result.error


# -- failures and back-off ----------------------------------------------------------


def test_500_backs_off_exponentially_up_to_the_cap(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    feed_server.set_feed("/flaky.xml", rss([story(1)]))
    feed = config(feed_server, "/flaky.xml", interval=timedelta(minutes=10))
    state, now = SourceState(), T0
    _, state = decide(feed, state, fetch(client, feed, etag=None, last_modified=None), now)
    feed_server.set_status("/flaky.xml", 500)
    delays = []
    for n in range(1, 7):
        now += timedelta(hours=1)
        result = fetch(client, feed, etag=state.etag, last_modified=state.last_modified)
        (event,), state = decide(feed, state, result, now, cap=timedelta(hours=1))
        assert event.type == SOURCE_FAILED
        assert event.payload["failures"] == n == state.failures
        assert event.payload["http_status"] == 500
        assert "HTTP 500" in event.payload["error"]
        assert state.retry_at is not None
        delays.append((state.retry_at - now) / timedelta(minutes=1))
        assert not due(state, feed, now)
        assert due(state, feed, state.retry_at)
    for got, want in zip(delays, [10, 20, 40, 60, 60, 60], strict=True):
        assert want * 0.9 <= got <= want * 1.1 and got <= 60
    feed_server.clear_status("/flaky.xml")
    result = fetch(client, feed, etag=state.etag, last_modified=state.last_modified)
    assert result.status == "not_modified"
    (event,), state = decide(feed, state, result, now + timedelta(hours=1))
    assert event.type == SOURCE_POLLED and event.payload["recovered"] is True
    assert state.failures == 0 and state.retry_at is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(feed_server: FeedServer, poller: Polling, status: int) -> None:
    feed_server.set_status("/busy.xml", status, headers={"Retry-After": "7200"})
    feed = source(feed_server, "/busy.xml", interval=timedelta(minutes=1))
    (failed,) = poller.poll(feed)
    assert poller.states["busy"].retry_at == T0 + timedelta(hours=2)
    assert failed.payload["retry_at"] == (T0 + timedelta(hours=2)).isoformat()
    assert poller.last is not None and poller.last.retry_after == 7200


def test_retry_after_http_date() -> None:
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Sat, 01 Mar 2025 12:30:00 GMT", now) == 1800
    assert parse_retry_after("Sat, 01 Mar 2025 11:00:00 GMT", now) == 0
    assert parse_retry_after("120") == 120
    assert parse_retry_after("soon") is None


def test_short_retry_after_does_not_shorten_back_off() -> None:
    feed = FeedConfig("x", "http://x/", timedelta(minutes=10))
    delay = backoff(feed, 3, retry_after=5, rng=random.Random(1))
    assert timedelta(minutes=36) <= delay <= timedelta(minutes=44)


def test_jitter_is_reproducible_and_differs_between_sources() -> None:
    a = FeedConfig("a", "http://a/", timedelta(minutes=10))
    b = FeedConfig("b", "http://b/", timedelta(minutes=10))
    assert backoff(a, 2) == backoff(a, 2)
    assert backoff(a, 2) != backoff(b, 2)


def test_a_long_interval_after_many_failures_backs_off_to_the_cap() -> None:
    """``interval * 2**n`` used to overflow ``timedelta`` for a daily feed past 30 failures."""
    daily = FeedConfig("daily", "http://d/", timedelta(days=1))
    assert backoff(daily, 40, rng=random.Random(1)) <= timedelta(hours=6)
    assert backoff(daily, 10**6, rng=random.Random(1)) >= timedelta(hours=6) * 0.9


def test_due_waits_for_the_interval_and_the_back_off() -> None:
    feed = FeedConfig("x", "http://x/", timedelta(minutes=10))
    assert due(SourceState(), feed, T0)
    polled = SourceState(last_poll=T0)
    assert not due(polled, feed, T0 + timedelta(minutes=5))
    assert due(polled, feed, T0 + timedelta(minutes=10))
    backing_off = SourceState(last_poll=T0, failures=2, retry_at=T0 + timedelta(hours=1))
    assert not due(backing_off, feed, T0 + timedelta(minutes=30))
    assert due(backing_off, feed, T0 + timedelta(hours=1))


# -- state across restarts --------------------------------------------------------


def test_state_survives_restart_and_rebuild(
    feed_server: FeedServer, tmp_path: Path, polling: Callable[[EventLog, httpx.Client], Polling]
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    feed_server.set_feed("/ok.xml", rss([story(1)]))
    feed_server.set_status("/bad.xml", 503, headers={"Retry-After": "600"})
    ok, bad = source(feed_server, "/ok.xml"), source(feed_server, "/bad.xml")
    projection = SourcesProjection()
    with make_client() as client:
        with EventLog(url, projectors=[projection]) as log:
            with log.engine.begin() as conn:
                projection.create(conn)
            poller = polling(log, client)
            poller.poll(ok)
            poller.poll(bad)
            poller.poll(bad, T0 + timedelta(hours=1))
            remembered = dict(poller.states)
        with EventLog(url, projectors=[projection]) as log:
            with log.engine.connect() as conn:
                assert load_states(conn) == remembered
            log.rebuild()
            with log.engine.connect() as conn:
                states = load_states(conn)
            assert states == remembered
            assert states["bad"].failures == 2
            assert states["bad"].last_error and "HTTP 503" in states["bad"].last_error
            restarted = polling(log, client)  # a new Poller loads the states itself
            assert restarted.states == states
            assert restarted.poll(ok, T0 + timedelta(hours=2)) == []
    sent = feed_server.requests("/ok.xml")[-1].headers
    assert sent["if-none-match"] == remembered["ok"].etag


def test_load_states_before_any_poll_is_empty() -> None:
    with EventLog("sqlite://") as log, log.engine.connect() as conn:
        assert load_states(conn) == {}


def test_a_failure_log_line_names_the_source_once(
    feed_server: FeedServer, poller: Polling, caplog: pytest.LogCaptureFixture
) -> None:
    feed_server.set_status("/down.xml", 503)
    feed = source(feed_server, "/down.xml")
    with caplog.at_level(logging.WARNING):
        poller.poll(feed)
    (line,) = [r.getMessage() for r in caplog.records if "HTTP 503" in r.getMessage()]
    assert line.count("down") == 2, line  # the source's name and its URL's path, once each
    assert line.startswith("source 'down' (") and "; failure 1, next try " in line
