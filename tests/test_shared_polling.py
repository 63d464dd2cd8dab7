"""Daemons sharing one PostgreSQL store share the feeds (``monitor.leases``).

Real parts only: a PostgreSQL schema per test (``pg_url``), the local feed
server counting every request, production :class:`~monitor.poller.Poller`
objects standing for nodes (each with its own connection pool and memory, as
separate processes would have), and ``monitor run`` subprocesses for the end
to end case. A "node" here polls far more often than its scheduler would —
every source every 20 ms — so a claim that is not exclusive shows up as a
second request within the interval.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOT
from feedserver import Entry, FeedServer, rss
from sqlalchemy import select, text
from test_daemon_e2e import Daemon, feed_source, wait_for

from monitor.config import Config, SourceConfig
from monitor.leases import SOURCE_LEASES, Claim, Deferred, SourceLeases
from monitor.poller import Poller
from monitor.sources.poll import SourceState
from monitor.store.log import EventLog
from monitor.wiring import open_log

INTERVAL = 1.0
#: The shortest gap allowed between two fetches of one feed. The next poll is due
#: an interval after the claim, on the database's clock, but a loaded machine can
#: delay one claim's request by a tenth of a second or more and not the next; a
#: duplicate fetch (two nodes in one interval) shows as a gap of a few
#: milliseconds, so half an interval tells the two apart without flaking.
MIN_GAP = INTERVAL / 2


def feeds(server: FeedServer, count: int) -> list[SourceConfig]:
    """``count`` feeds on the server, each with an entry, polled every second."""
    sources = []
    for i in range(count):
        entry = Entry(f"Story {i}", f"https://news.example.org/{i}", f"<p>Story {i}.</p>")
        server.set_feed(f"/f{i}.xml", rss([entry]))
        sources.append(
            SourceConfig(
                name=f"f{i}",
                type="feed",
                url=server.url(f"/f{i}.xml"),
                interval=timedelta(seconds=1),
                timeout=2,
            )
        )
    return sources


class Node:
    """A Poller on its own log (its own pool), polling every source in a loop in a thread."""

    def __init__(self, url: str, config: Config) -> None:
        self.log: EventLog = open_log(url)
        self.poller = Poller(self.log, config, processes=0)
        self.config = config
        self.polls: Counter[str] = Counter()  # fetches this node made, by source
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for source in self.config.sources:
                before = self.poller.states.get(source.name)
                self.poller.poll(source)
                after = self.poller.states.get(source.name)
                if after is not None and after is not before:
                    self.polls[source.name] += 1
            time.sleep(0.02)

    def start(self) -> Node:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.poller.close()
        self.log.close()


@contextmanager
def nodes(url: str, config: Config, count: int) -> Iterator[list[Node]]:
    started = [Node(url, config) for _ in range(count)]
    try:
        for node in started:
            node.start()
        yield started
    finally:
        for node in started:
            node.stop()


def gaps(server: FeedServer, path: str) -> list[float]:
    times = [r.time for r in server.requests(path)]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_three_nodes_fetch_each_feed_once_per_interval_with_the_last_validators(
    pg_url: str, feed_server: FeedServer
) -> None:
    config = Config(sources=feeds(feed_server, 6))
    with nodes(pg_url, config, 3) as three:
        time.sleep(4.5)
    for i in range(6):
        path = f"/f{i}.xml"
        seen = feed_server.requests(path)
        assert 4 <= len(seen) <= 6, (path, len(seen))
        assert min(gaps(feed_server, path)) >= MIN_GAP, (path, gaps(feed_server, path))
        # whichever node fetched last, the next one sent its validators (read model state)
        assert all(r.headers.get("if-none-match") for r in seen[1:]), path
    fetched = sum(sum(n.polls.values()) for n in three)
    assert fetched == len(feed_server.requests())  # every fetch was one node's claimed poll
    assert sum(1 for n in three if n.polls) >= 2, [n.polls for n in three]  # shared, not one
    with open_log(pg_url) as log:  # the first poll of each feed observed it, once
        assert len(list(log.read(types=["ArticleObserved"]))) == 6
        assert len(list(log.read(types=["SourcePolled"]))) == 6


def test_a_back_off_decided_on_one_node_holds_on_the_others(
    pg_url: str, feed_server: FeedServer
) -> None:
    (source,) = feeds(feed_server, 1)
    feed_server.set_status("/f0.xml", 503, headers={"Retry-After": "4"})
    config = Config(sources=[source])
    with open_log(pg_url) as log:
        first = Poller(log, config, processes=0)
        try:
            first.poll(source)
        finally:
            first.close()
        assert feed_server.count("/f0.xml") == 1
        (failed,) = log.read(types=["SourceFailed"])
        assert failed.payload["retry_at"]
    started = time.monotonic()
    with nodes(pg_url, config, 2):
        time.sleep(1.0)
        assert feed_server.count("/f0.xml") == 1  # the lease row: next poll after the back-off
        with open_log(pg_url) as log, log.engine.begin() as conn:
            conn.execute(SOURCE_LEASES.delete())  # an operator's cleanup: rows come back due
        time.sleep(1.0)
        assert feed_server.count("/f0.xml") == 1  # the read model's retry_at holds all the same
        feed_server.clear_status("/f0.xml")
        wait_for(lambda: feed_server.count("/f0.xml") >= 2, 10, "the retry after the back-off")
    assert time.monotonic() - started >= 4 - 1.5  # Retry-After counted from the failed poll
    assert feed_server.count("/f0.xml") == 2


def test_a_dead_holders_feed_is_polled_once_its_lease_lapses(
    pg_url: str, feed_server: FeedServer
) -> None:
    config = Config(sources=feeds(feed_server, 3))
    with open_log(pg_url) as log:
        dead = SourceLeases(log, holder="dead-node:1")
        dead.create()
        claimed = time.monotonic()
        claim = dead.claim("f0", timedelta(seconds=2.5), timedelta(seconds=1))
        assert isinstance(claim, Claim)  # and never released
    with nodes(pg_url, config, 2) as two:
        wait_for(lambda: all(feed_server.count(f"/f{i}.xml") >= 2 for i in (1, 2)), 10)
        assert feed_server.count("/f0.xml") == 0  # still leased by the dead node
        wait_for(lambda: feed_server.count("/f0.xml") >= 1, 10, "f0 after the lease")
        taken_over = time.monotonic() - claimed
        with two[0].log.engine.connect() as conn:
            holder = conn.execute(
                select(SOURCE_LEASES.c.holder).where(SOURCE_LEASES.c.name == "f0")
            ).scalar()
    assert 2.5 - 0.2 <= taken_over <= 2.5 + 2.0
    assert holder == f"{socket.gethostname()}:{os.getpid()}"  # a live node


def test_claims_are_exclusive_released_with_the_next_due_time_and_survive_rebuild(
    pg_url: str,
) -> None:
    with open_log(pg_url) as log:
        a, b = SourceLeases(log, holder="a:1"), SourceLeases(log, holder="b:2")
        a.create()
        lease, interval = timedelta(seconds=60), timedelta(minutes=10)
        got = a.claim("x", lease, interval)
        assert isinstance(got, Claim) and got.state == SourceState()  # never polled
        held = b.claim("x", lease, interval)
        assert isinstance(held, Deferred)  # in hand: until the holder's lease, at most
        assert timedelta(seconds=55) < held.wait <= lease
        assert a.release(got, timedelta(0))
        assert not a.release(got, timedelta(0))  # that claim is over
        again = b.claim("x", lease, interval)
        assert isinstance(again, Claim)  # due at once
        assert b.release(again, timedelta(hours=1))
        for node in (a, b):  # not due for an hour, and each node is told so
            later = node.claim("x", lease, interval)
            assert isinstance(later, Deferred)
            assert timedelta(minutes=59) < later.wait <= timedelta(hours=1)
        y = a.claim("y", lease, interval)
        assert isinstance(y, Claim) and isinstance(b.claim("y", lease, interval), Deferred)
        assert a.release_all() == 1  # a stopping node frees what it holds
        assert isinstance(b.claim("y", lease, interval), Claim)
        log.rebuild()  # coordination state, not a read model: left alone
        with log.engine.connect() as conn:
            rows = conn.execute(text("SELECT name, holder FROM source_leases ORDER BY name"))
            assert [tuple(r) for r in rows] == [("x", "b:2"), ("y", "b:2")]


def test_a_claim_brings_the_state_the_read_model_holds(
    pg_url: str, feed_server: FeedServer
) -> None:
    """Validators and failures as the node that polled last recorded them, not this one's memory."""
    (source,) = feeds(feed_server, 1)
    config = Config(sources=[source])
    with open_log(pg_url) as log:
        other = Poller(log, config, processes=0)
        try:
            other.poll(source)
        finally:
            other.close()
        leases = SourceLeases(log, holder="this:1")
        with log.engine.begin() as conn:  # due again now
            conn.execute(SOURCE_LEASES.update().values(next_poll=text("now()")))
        claim = leases.claim("f0", timedelta(seconds=60), timedelta(seconds=1))
        assert isinstance(claim, Claim)
        assert claim.state.etag and claim.state.etag.startswith('"')  # the server's ETag
        assert claim.state.body_hash and claim.state.last_success and claim.state.failures == 0


def test_sqlite_stores_poll_without_leases(tmp_path: Path, feed_server: FeedServer) -> None:
    """One daemon per SQLite file: each Poller polls what its own memory says is due."""
    (source,) = feeds(feed_server, 1)
    config = Config(sources=[source])
    with open_log(f"sqlite:///{tmp_path / 'm.db'}") as log:
        pollers = [Poller(log, config, processes=0) for _ in range(2)]
        try:
            assert all(p.leases is None for p in pollers)
            for p in pollers:
                p.poll(source)
        finally:
            for p in pollers:
                p.close()
    assert feed_server.count("/f0.xml") == 2


def test_three_monitor_run_processes_share_the_feeds_and_survive_a_kill9(
    tmp_path: Path, pg_url: str, feed_server: FeedServer, daemons: list[Daemon]
) -> None:
    sources = feeds(feed_server, 4)
    config = tmp_path / "monitor.toml"
    config.write_text(
        f'watchlists = "{ROOT / "watchlists"}"\ntemplates = "{ROOT / "templates"}"\n'
        f'[store]\nurl = "{pg_url}"\n'
        '[daemon]\nconsumer_interval = "1s"\nshutdown_grace = "3s"\n'
        + "".join(feed_source(s.name, s.url or "", interval="1s") for s in sources)
    )
    for i in range(3):
        workdir = tmp_path / f"node{i}"
        workdir.mkdir()
        daemons.append(Daemon(config, workdir).start())
        if i == 0:  # the first creates the store's tables; then the others join
            wait_for(lambda: "running:" in daemons[0].log(), 60, "the first node")
    wait_for(lambda: all("running:" in d.log() for d in daemons), 60, "three nodes")
    wait_for(lambda: all(feed_server.count(f"/f{i}.xml") >= 3 for i in range(4)), 60, "polls")
    feed_server.reset_log()
    holders: set[str] = set()  # who polled: the lease rows name the last holder
    with open_log(pg_url) as log, log.engine.connect() as conn:
        for _ in range(20):
            holders |= set(conn.execute(select(SOURCE_LEASES.c.holder)).scalars())
            conn.commit()
            time.sleep(0.25)
    for i in range(4):
        path = f"/f{i}.xml"
        assert 4 <= feed_server.count(path) <= 6, (path, feed_server.count(path))
        assert min(gaps(feed_server, path)) >= MIN_GAP, (path, gaps(feed_server, path))

    assert all(d.alive() for d in daemons), [d.log()[-2000:] for d in daemons]
    assert len(holders) >= 2, holders  # the polls spread over the nodes
    victim = daemons[0]
    assert victim.proc is not None
    victim.stop(signal.SIGKILL)
    with open_log(pg_url) as log, log.engine.connect() as conn:  # polls it had in hand
        held = set(
            conn.execute(
                select(SOURCE_LEASES.c.name).where(
                    SOURCE_LEASES.c.token.is_not(None),
                    SOURCE_LEASES.c.holder.endswith(f":{victim.proc.pid}"),
                )
            ).scalars()
        )
    feed_server.reset_log()
    time.sleep(4)
    for i in range(4):
        if f"f{i}" in held:  # its lease lapses after the fetch deadline and a margin
            continue
        path = f"/f{i}.xml"
        assert 3 <= feed_server.count(path) <= 5, (path, feed_server.count(path))
        assert min(gaps(feed_server, path)) >= MIN_GAP, (path, gaps(feed_server, path))
    for d in daemons[1:]:
        assert d.stop() == 0, d.log()


def test_a_role_that_may_not_claim_polls_alone_as_before(
    pg_url: str, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """No UPDATE on source_leases: every claim would fail, so the node polls without leases."""
    (source,) = feeds(feed_server, 1)
    config = Config(sources=[source])
    with open_log(pg_url) as log:
        SourceLeases(log).create()
        with log.engine.begin() as conn:  # an owner may drop its own rights (and re-grant them)
            conn.execute(text("REVOKE UPDATE ON source_leases FROM CURRENT_USER"))
        pollers = [Poller(log, config, processes=0) for _ in range(2)]
        try:
            assert all(p.leases is None for p in pollers)
            for p in pollers:
                p.poll(source)
        finally:
            for p in pollers:
                p.close()
    assert feed_server.count("/f0.xml") == 2  # both fetched: duplicates, not silence
    assert "lacks SELECT, INSERT or UPDATE" in caplog.text
    assert "polling every feed from this node" in caplog.text
