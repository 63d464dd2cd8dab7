"""Hostile servers against the fetch's limits, on a real socket (issue 7).

A server that trickles its response one byte a second keeps resetting the
per-read timeout, so only one wall-clock deadline over the whole fetch
(connect, headers, body, redirects) frees the worker; and a server that asks
for an absurd ``Retry-After`` must get a capped back-off, not a traceback.

Each fetch here runs in a helper thread joined with a timeout, so a fetch
that the deadline does not bound fails the test instead of hanging it.
"""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Literal

import httpx
import pytest
from feedserver import Entry, FeedServer, rss

import monitor.poller
from monitor.config import Config, DaemonConfig, SourceConfig
from monitor.poller import Poller
from monitor.sources.http import FeedConfig, FetchResult, fetch, make_client, parse_retry_after
from monitor.sources.poll import MAX_RETRY_AFTER, SOURCE_FAILED, SOURCE_POLLED, backoff
from monitor.wiring import open_log

#: The overall deadline under test, and how late a fetch may return past it.
DEADLINE = 2.5
SLACK = 2.0
#: One byte a second, as the attack was made; the per-read timeout is far longer.
TRICKLE = 1.0
READ_TIMEOUT = 5.0

FEED = rss(
    [
        Entry(
            "Harbour reopens after the storm",
            "https://news.example.org/harbour",
            "<p>The harbour reopened on Monday after a week of repairs to the quay.</p>",
            datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        )
    ]
)

Part = Literal["headers", "body"]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client() as c:
        yield c


def feed_config(server: FeedServer, path: str) -> FeedConfig:
    return FeedConfig(
        name=path.strip("/").split(".")[0],
        url=server.url(path),
        interval=timedelta(minutes=10),
        timeout=READ_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        total_timeout=DEADLINE,
    )


def fetch_in_time(client: httpx.Client, feed: FeedConfig) -> tuple[FetchResult, float]:
    """``fetch`` in a helper thread; fails the test if it outlives deadline + slack."""
    box: list[FetchResult] = []
    worker = threading.Thread(
        target=lambda: box.append(fetch(client, feed, etag=None, last_modified=None)),
        daemon=True,
    )
    start = time.monotonic()
    worker.start()
    worker.join(feed.total_timeout + SLACK)
    took = time.monotonic() - start
    assert box, f"fetch still running after {took:.1f} s with a {feed.total_timeout:g} s deadline"
    return box[0], took


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_fails_within_the_deadline(
    feed_server: FeedServer, client: httpx.Client, part: Part
) -> None:
    feed_server.set_feed("/slow.xml", FEED)
    feed_server.set_trickle("/slow.xml", TRICKLE, part=part)
    feed = feed_config(feed_server, "/slow.xml")

    result, took = fetch_in_time(client, feed)

    assert result.status == "error"
    assert result.error == f"took longer than {DEADLINE:g} s"
    assert DEADLINE * 0.9 <= result.elapsed <= DEADLINE + SLACK and took <= DEADLINE + SLACK
    assert feed_server.count("/slow.xml") == 1

    # The same client still fetches, and keeps its connection between fetches.
    feed_server.clear_status("/slow.xml")
    for _ in range(2):
        ok, _ = fetch_in_time(client, feed)
        assert ok.status == "ok" and ok.body == FEED
    first, second = feed_server.requests("/slow.xml")[-2:]
    assert first.peer == second.peer, "the pool opened a new connection for each fetch"


def test_a_redirect_to_a_trickling_server_counts_the_whole_chain(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    """Each hop trickles for less than the deadline; together they exceed it."""
    feed_server.set_feed("/end.xml", FEED)
    feed_server.redirect_chain("/hop", "/end.xml", hops=4)
    for path in ["/hop", "/hop/1", "/hop/2", "/hop/3"]:
        feed_server.set_trickle(path, 0.015, part="headers")  # ~80 bytes: about 1.2 s a hop
    feed = feed_config(feed_server, "/hop")

    result, took = fetch_in_time(client, feed)

    assert result.status == "error" and result.error == f"took longer than {DEADLINE:g} s"
    assert took <= DEADLINE + SLACK
    assert feed_server.count("/end.xml") == 0


def test_a_trickling_proxy_from_the_environment_is_bounded_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``HTTP_PROXY`` gives httpx a transport of its own; its connections keep the deadline."""
    for name in ["ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"]:
        monkeypatch.delenv(name, raising=False)
    with _trickling_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("http_proxy", proxy)
        with make_client() as client:
            feed = FeedConfig(
                "far",
                "http://feeds.example.org/far.xml",
                timedelta(minutes=10),
                timeout=READ_TIMEOUT,
                read_timeout=READ_TIMEOUT,
                total_timeout=DEADLINE,
            )
            result, took = fetch_in_time(client, feed)
    assert result.status == "error" and result.error == f"took longer than {DEADLINE:g} s"
    assert took <= DEADLINE + SLACK


@contextlib.contextmanager
def _trickling_proxy() -> Iterator[str]:
    """A forward proxy that answers anything one byte per ``TRICKLE``; yields its URL.

    A bare socket: the feed server routes by origin path, not by the
    absolute URL a client sends to a proxy.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        with contextlib.suppress(OSError), listener.accept()[0] as conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                conn.sendall(bytes([byte]))
                if stop.wait(TRICKLE):
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(5)


def test_eight_trickling_feeds_fail_and_back_off_without_holding_the_workers(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The daemon's deadline is at least 30 s (``feed_config``); shortened here so
    # the test takes seconds. Everything else is the daemon's own polling path.
    real = monitor.poller.feed_config
    monkeypatch.setattr(
        monitor.poller, "feed_config", lambda s: replace(real(s), total_timeout=DEADLINE)
    )
    slow = []
    for n in range(8):
        path = f"/slow{n}.xml"
        feed_server.set_feed(path, FEED)
        feed_server.set_trickle(path, TRICKLE, part="headers" if n % 2 else "body")
        slow.append(SourceConfig(name=f"slow{n}", type="feed", url=feed_server.url(path)))
    for source in slow:
        assert source.timeout > TRICKLE  # each byte comes well within the per-read timeout
    feed_server.set_feed("/fine.xml", FEED)
    fine = SourceConfig(name="fine", type="feed", url=feed_server.url("/fine.xml"))
    config = Config(sources=[*slow, fine], daemon=DaemonConfig(workers=8))

    with open_log("sqlite://") as log:
        poller = Poller(log, config, processes=0)
        workers = ThreadPoolExecutor(max_workers=config.daemon.workers)
        try:
            start = time.monotonic()
            polls = [workers.submit(poller.poll, source) for source in slow]
            done, stuck = wait(polls, timeout=DEADLINE + SLACK)
            took = time.monotonic() - start
            assert not stuck, f"{len(stuck)} of 8 polls still fetching after {took:.1f} s"
            assert [p.result() for p in polls] == [1] * 8  # one SourceFailed each

            # Every worker is free again: the healthy feed is polled at once.
            assert workers.submit(poller.poll, fine).result(timeout=SLACK) == 2

            failed = {e.payload["source"]: e for e in log.read(types=[SOURCE_FAILED])}
            assert sorted(failed) == sorted(s.name for s in slow)
            for source in slow:
                event, state = failed[source.name], poller.states[source.name]
                assert f"took longer than {DEADLINE:g} s" in event.payload["error"]
                assert event.payload["failures"] == 1 == state.failures
                assert state.retry_at is not None and state.retry_at > event.time
                assert event.payload["retry_at"] == state.retry_at.isoformat()
            assert [e.payload["source"] for e in log.read(types=[SOURCE_POLLED])] == ["fine"]

            # Backing off: polling again now neither fetches nor records anything.
            head = log.head()
            assert poller.poll(slow[0]) == 0 and log.head() == head
            assert feed_server.count("/slow0.xml") == 1
        finally:
            workers.shutdown(wait=False, cancel_futures=True)
            poller.close()


# -- an absurd Retry-After ------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("retry_after", ["100000000000000000000", "9" * 400])
def test_an_absurd_retry_after_backs_off_for_the_cap(
    feed_server: FeedServer, caplog: pytest.LogCaptureFixture, status: int, retry_after: str
) -> None:
    feed_server.set_status("/busy.xml", status, headers={"Retry-After": retry_after})
    source = SourceConfig(name="busy", type="feed", url=feed_server.url("/busy.xml"))
    with open_log("sqlite://") as log:
        poller = Poller(log, Config(sources=[source]), processes=0)
        try:
            with caplog.at_level(logging.WARNING, logger="monitor"):
                assert poller.poll(source) == 1
                assert poller.poll(source) == 0  # backing off: no second fetch, no event
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
            (event,) = log.read(types=[SOURCE_FAILED])
            assert f"HTTP {status}" in event.payload["error"]
            state = poller.states["busy"]
            assert state.retry_at is not None and state.retry_at - event.time == MAX_RETRY_AFTER
            assert event.payload["retry_at"] == state.retry_at.isoformat()
            assert feed_server.count("/busy.xml") == 1
        finally:
            poller.close()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("100000000000000000000", 2.0**31),  # RFC 9111 §1.2.2: an overflow is 2**31
        ("9" * 5000, 2.0**31),  # past float and int-conversion limits
        ("-5", None),
        ("1.5", None),
        ("1e20", None),
        ("nan", None),
        ("inf", None),
        ("\u00b2", None),  # str.isdigit() says yes, float() says no
        ("\u0661\u0662", None),  # Arabic-Indic digits are not delta-seconds
        ("", None),
        ("soon", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
    ],
)
def test_parse_retry_after_only_gives_sane_seconds(header: str, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_parse_retry_after_far_future_date_is_finite() -> None:
    value = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT")
    assert value is not None and math.isfinite(value) and value > 0


@pytest.mark.parametrize("retry_after", [1e20, math.inf, 2.0**31, 1e308])
def test_backoff_caps_a_huge_retry_after(retry_after: float) -> None:
    feed = FeedConfig("x", "http://x/", timedelta(minutes=10))
    assert backoff(feed, 1, retry_after=retry_after) == MAX_RETRY_AFTER


@pytest.mark.parametrize("retry_after", [math.nan, -1.0, -math.inf])
def test_backoff_ignores_a_meaningless_retry_after(retry_after: float) -> None:
    feed = FeedConfig("x", "http://x/", timedelta(minutes=10))
    assert backoff(feed, 1, retry_after=retry_after) == backoff(feed, 1)
