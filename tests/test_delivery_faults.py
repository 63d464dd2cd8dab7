"""Delivery under the faults real operations bring: a store locked mid-send, a relay that hangs.

Real parts throughout: a SQLite file store whose write lock a second
connection takes, an aiosmtpd server, and a TCP server that accepts and never
answers. Nothing here fakes the channel.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from smtpsink import SilentServer, SmtpSink, TricklingServer
from test_notify import add_alert, channels_for, events, open_log

import monitor.store.connect as connect
from monitor.errors import StoreError
from monitor.notify.outbox import Outbox
from monitor.notify.projection import NOTIFICATION_FAILED, NOTIFICATION_SENT, summary
from monitor.notify.templates import Rendered, Templates
from monitor.store.log import EventLog

T0 = datetime(2025, 1, 1, tzinfo=UTC)


class HookedSink(SmtpSink):
    """An SMTP server that runs ``on_data`` when a message arrives, then waits ``delay`` s."""

    def __init__(self) -> None:
        super().__init__()
        self.on_data: Callable[[], None] = lambda: None
        self.delay = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = await super().handle_DATA(server, session, envelope)
        self.on_data()
        return answer


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[EventLog, Path]]:
    """A file store whose writers give up after 0.3 s on a held lock (not 10 s)."""
    monkeypatch.setattr(connect, "_SQLITE_BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "monitor.db"
    log = open_log(f"sqlite:///{path}")
    yield log, path
    log.close()


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates.load()


@pytest.fixture
def sink() -> Iterator[HookedSink]:
    server = HookedSink()
    server.start()
    yield server
    server.stop()


def test_a_sent_message_whose_record_fails_is_written_later_not_sent_again(
    store: tuple[EventLog, Path], sink: HookedSink, templates: Templates
) -> None:
    log, path = store
    add_alert(log, title="Pyongyang and Moscow sign a pact")
    outbox = Outbox(log, channels_for({"mail": sink.url}), templates, clock=lambda: T0)
    assert outbox.queue() == 1
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # the lock is taken while the message is on the wire: the send succeeds, its record cannot
    sink.on_data = lambda: holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked"):
            outbox.deliver()
        assert len(sink.messages) == 1
        with pytest.raises(StoreError, match="locked"):
            outbox.deliver()  # still locked: the record waits, nothing is sent
        assert len(sink.messages) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outbox.deliver() == 1  # the kept record, written
    assert outbox.deliver(T0 + timedelta(days=1)) == 0
    assert len(sink.messages) == 1
    assert len(events(log, NOTIFICATION_SENT)) == 1
    with log.engine.connect() as conn:
        assert summary(conn)["sent"] == 1


def test_a_relay_that_never_answers_costs_one_timeout_per_pass_not_one_per_message(
    store: tuple[EventLog, Path], templates: Templates
) -> None:
    log, _ = store
    silent = SilentServer()
    silent.start()
    try:
        for n in range(3):
            add_alert(log, title=f"Alert {n}")
        outbox = Outbox(
            log,
            channels_for({"mail": silent.url}),
            templates,
            clock=lambda: T0,
            send_timeout=0.5,
        )
        assert outbox.queue() == 3
        start = time.monotonic()
        assert outbox.deliver() == 0
        assert outbox.deliver() == 0  # the abandoned send has not returned: nothing new tried
        elapsed = time.monotonic() - start
        failed = [e.payload for e in events(log, NOTIFICATION_FAILED)]
        assert len(failed) == 1, failed
        assert "no answer within 0.5 s" in failed[0]["error"]
        assert failed[0]["next_attempt"] is not None  # retried with back-off
        assert len(silent.accepted) == 1  # one connection, no pile of hung threads
        assert elapsed < 5, elapsed  # two passes cost one timeout, not three
        with log.engine.connect() as conn:
            counts = summary(conn)
        assert counts["failed"] == 1 and counts["queued"] == 2
    finally:
        silent.stop()


def test_an_abandoned_send_that_got_through_is_recorded_sent_and_not_retried(
    store: tuple[EventLog, Path], sink: HookedSink, templates: Templates
) -> None:
    log, _ = store
    add_alert(log, title="A slow relay")
    sink.delay = 1.5  # the relay takes the message, but only after our timeout
    outbox = Outbox(
        log, channels_for({"mail": sink.url}), templates, clock=lambda: T0, send_timeout=0.3
    )
    outbox.queue()
    assert outbox.deliver() == 0
    assert "no answer within 0.3 s" in events(log, NOTIFICATION_FAILED)[0].payload["error"]
    deadline = time.monotonic() + 10
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # let the abandoned send finish its SMTP dialogue
    assert outbox.deliver(T0 + timedelta(hours=2)) == 1  # recorded, not sent again
    assert outbox.deliver(T0 + timedelta(days=1)) == 0
    assert len(sink.messages) == 1
    sent = events(log, NOTIFICATION_SENT)
    assert len(sent) == 1 and "after its 0.3 s timeout" in sent[0].payload["detail"]
    assert sent[0].payload["attempt"] == 1


def test_a_stuck_channel_cannot_take_another_channels_workers(sink: HookedSink) -> None:
    """Ten sends stuck on a trickling relay, and a good relay still gets its message at
    once: apprise's one process-wide pool (six workers here) used to hold them all."""
    slow = TricklingServer(every=0.5)
    slow.start()
    try:
        channels = channels_for({"slow": slow.url, "good": sink.url})
        message = Rendered("Subject", "Text body.", "<p>Text body.</p>", "Text body.")
        for _ in range(10):
            threading.Thread(target=channels["slow"].send, args=(message,), daemon=True).start()
        deadline = time.monotonic() + 10
        while len(slow.accepted) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(slow.accepted) == 10  # each stuck send on a thread of its own
        started = time.monotonic()
        result = channels["good"].send(message)
        took = time.monotonic() - started
        assert result.ok, result.detail
        assert took < 5, took
        assert sink.subjects() == ["Subject"]
    finally:
        slow.stop()
