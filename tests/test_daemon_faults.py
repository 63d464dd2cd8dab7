"""``monitor run`` under the faults operations bring, attacked from outside as they happen.

A mail relay that accepts connections and never answers, a second connection
holding the store's write lock for longer than the busy timeout. The daemon
is a real subprocess, the feeds come from a real local HTTP server and the
mail goes to a real SMTP server (or a silent one). Timings are generous
bounds for a slow machine, not measurements.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from feedserver import FeedServer, rss
from smtpsink import SilentServer, SmtpSink, TricklingServer
from test_daemon_e2e import (
    Daemon,
    feed_source,
    new_entry,
    seed_entries,
    settled,
    wait_for,
    write_config,
)

from monitor.errors import Repeats
from monitor.wiring import open_log


def _events(db: Path, *types: str) -> list[tuple[int, str]]:
    with open_log(f"sqlite:///{db}") as log:
        return [(e.seq, e.type) for e in log.read(types=list(types) or None)]


def test_a_hung_mail_relay_leaves_every_feed_on_its_interval_and_sigterm_on_time(
    tmp_path: Path, feed_server: FeedServer, daemons: list[Daemon]
) -> None:
    silent = SilentServer()
    silent.start()
    try:
        feed_server.set_feed("/alerts.xml", rss(seed_entries()))  # alerts for the hung relay
        feed_server.set_feed("/quiet.xml", rss(seed_entries()[3:4]))
        feed_server.set_feed("/other.xml", rss(seed_entries()[4:]))
        sources = "".join(
            feed_source(name, feed_server.url(f"/{name}.xml"), interval="1s")
            for name in ("alerts", "quiet", "other")
        )
        config = write_config(tmp_path / "monitor.toml", sources, None, daemon="workers = 4")
        text = config.read_text()
        config.write_text(
            text.replace("[notify]\n", '[notify]\nsend_timeout = "3s"\n')
            + f'[channels]\nteam-email = "{silent.url}"\n'
        )
        d = Daemon(config, tmp_path).start()
        daemons.append(d)
        wait_for(lambda: len(silent.accepted) >= 1, 30, "a send to the hung relay")
        counts = {p: feed_server.count(p) for p in ("/alerts.xml", "/quiet.xml", "/other.xml")}
        time.sleep(10)
        polled = {p: feed_server.count(p) - n for p, n in counts.items()}
        # 1 s interval over 10 s: every feed keeps polling, the one with alerts too
        assert all(n >= 5 for n in polled.values()), polled
        failed = _events(tmp_path / "monitor.db", "NotificationFailed")
        assert failed, "the abandoned send is recorded as a failure"
        assert len(silent.accepted) <= 4, "hung sends do not pile up"
        start = time.monotonic()
        assert d.stop(timeout=20) == 0
        took = time.monotonic() - start
        assert took < 3 + 4, f"SIGTERM took {took:.1f} s with a 3 s grace"
        types = [t for _, t in _events(tmp_path / "monitor.db")]
        assert types[-1] == "DaemonStopped", types[-5:]
    finally:
        silent.stop()


def test_an_alert_is_raised_and_mailed_once_after_a_13_s_store_lock(
    tmp_path: Path, feed_server: FeedServer, daemons: list[Daemon]
) -> None:
    sink = SmtpSink()
    sink.start()
    try:
        feed_server.set_feed("/world.xml", rss([]))
        config = write_config(
            tmp_path / "monitor.toml",
            feed_source("world", feed_server.url("/world.xml"), interval="1s"),
            sink,
        )
        db = tmp_path / "monitor.db"
        d = Daemon(config, tmp_path).start()
        daemons.append(d)
        wait_for(lambda: bool(_events(db, "SourcePolled")), 30, "the first poll")
        holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # a backup, `monitor rebuild`, an operator's shell
        released = threading.Event()

        def release() -> None:
            time.sleep(13)
            holder.execute("ROLLBACK")
            holder.close()
            released.set()

        threading.Thread(target=release, daemon=True).start()
        feed_server.set_feed("/world.xml", rss([new_entry()]))
        released.wait(20)
        wait_for(lambda: len(sink.messages) >= 1, 60, "the summit alert after the lock")
        wait_for(lambda: settled(db), 30, "the pipeline idle")
        assert len(sink.messages) == 1 and "summit" in str(sink.messages[0]["subject"])
        outcomes = _events(db, "AlertRaised", "AlertSuppressed")
        assert [t for _, t in outcomes] == ["AlertRaised"]
        assert d.stop() == 0
    finally:
        sink.stop()


def test_sigterm_with_nothing_hung_decides_and_delivers_what_was_observed(
    tmp_path: Path, feed_server: FeedServer, daemons: list[Daemon]
) -> None:
    sink = SmtpSink()
    sink.start()
    try:
        feed_server.set_feed("/world.xml", rss([new_entry()]))
        config = write_config(
            tmp_path / "monitor.toml",
            feed_source("world", feed_server.url("/world.xml"), interval="1s"),
            sink,
        )
        d = Daemon(config, tmp_path).start()
        daemons.append(d)
        wait_for(lambda: len(sink.messages) == 1, 30, "the alert")
        assert d.stop() == 0
        types = [t for _, t in _events(tmp_path / "monitor.db")]
        assert types[-1] == "DaemonStopped" and types.count("NotificationSent") == 1
        assert "stopped" in d.log()
    finally:
        sink.stop()


def test_sigterm_exits_within_the_grace_while_a_send_trickles_and_ignores_sighup(
    tmp_path: Path, feed_server: FeedServer, daemons: list[Daemon]
) -> None:
    """A relay that answers a byte every half second keeps a send alive for ever; SIGTERM
    still ends the process within the grace, and a SIGHUP after it neither reloads nor
    kills it (it used to: rc -1, a reload logged after "SIGTERM received")."""
    slow = TricklingServer(every=0.5)
    slow.start()
    try:
        feed_server.set_feed("/alerts.xml", rss(seed_entries()))
        sources = feed_source("alerts", feed_server.url("/alerts.xml"), interval="1s")
        config = write_config(tmp_path / "monitor.toml", sources, None)
        config.write_text(
            config.read_text().replace("[notify]\n", '[notify]\nsend_timeout = "60s"\n')
            + f'[channels]\nteam-email = "{slow.url}"\n'
        )
        d = Daemon(config, tmp_path).start()
        daemons.append(d)
        wait_for(lambda: len(slow.accepted) >= 1, 30, "a send to the trickling relay")
        start = time.monotonic()
        d.send(signal.SIGTERM)
        # SIGHUPs during the stop and after it, until the process is gone: each is ignored
        while d.proc.poll() is None and time.monotonic() - start < 20:
            d.send(signal.SIGHUP)
            time.sleep(0.05)
        assert d.proc.wait(20) == 0
        took = time.monotonic() - start
        assert took < 3 + 4, f"SIGTERM took {took:.1f} s with a 3 s grace"
        log = d.log()
        after = log[log.index("SIGTERM received") :]
        assert "reloaded" not in after  # ignored while stopping (logged) or after it
        types = [t for _, t in _events(tmp_path / "monitor.db")]
        assert types[-1] == "DaemonStopped", types[-5:]
    finally:
        slow.stop()


def test_a_failure_repeating_at_every_tick_logs_one_traceback_per_kind(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Disk full logged 1,496 tracebacks in four minutes: one per tick of every job."""
    repeats = Repeats()
    log = logging.getLogger("monitor.test")
    with caplog.at_level(logging.ERROR, logger="monitor.test"):
        for _ in range(50):
            repeats.failed(log, "decide", OSError(28, "No space left on device"), "decide failed")
        repeats.failed(log, "decide", RuntimeError("another kind"), "decide failed")
        repeats.clear("decide")  # a pass that worked
        repeats.failed(log, "decide", OSError(28, "No space left on device"), "decide failed")
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 3  # the first disk-full, the other kind, disk-full after a success
    assert len(caplog.records) == 52
    assert "decide failed again: OSError: [Errno 28] No space left on device" in caplog.text
