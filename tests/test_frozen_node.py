"""A node that freezes while it holds a lock does not stop the others (issue 16, item 1).

Made the way it happens: a second process opens the store with the daemon's
own engine settings, takes the log's append lock (in an open transaction) or
the rule engine's lock, and is paused with SIGSTOP — a stalled VM, a GC
pause, a host under swap. The test process is another node: it must get on
with its work within seconds, not wait for as long as the pause lasts.
PostgreSQL only (SQLite is one host's file: a frozen writer there is the
busy timeout's business).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pgschema import PgSchemas

from monitor.errors import StoreError
from monitor.events import NewEvent
from monitor.store.locks import LOCK_IDLE_TIMEOUT_S, try_lock
from monitor.store.log import WRITER_LOCK_ID, EventLog, lock_id, lock_scope
from monitor.wiring import open_log

#: The issue's target: the others are back at full rate within this many seconds.
BACK_WITHIN_S = 15.0

HOLD_APPEND_LOCK = """
    from sqlalchemy import func, select
    from monitor.store.connect import create_log_engine
    from monitor.store.log import EventLog
    key = EventLog(URL).writer_lock_key
    engine, _ = create_log_engine(URL)
    conn = engine.connect()
    conn.begin()
    conn.execute(select(func.pg_advisory_xact_lock(key)))
    print("held", flush=True)
    time.sleep(600)
"""

HOLD_ENGINE_LOCK = """
    from monitor.store.locks import try_lock
    from monitor.wiring import open_log
    log = open_log(URL)
    with try_lock(log, LOCK) as got:
        print("held" if got else "not held", flush=True)
        time.sleep(600)
"""


#: The session lock the tests hold: the rule engine's kind, under a name of its own.
TEST_LOCK = "rule-engine-test"


@contextmanager
def holder(url: str, body: str, lock: str = TEST_LOCK) -> Iterator[subprocess.Popen[str]]:
    """A process running ``body`` (which prints "held"), killed on the way out."""
    code = f"import time\nURL = {url!r}\nLOCK = {lock!r}\n" + textwrap.dedent(body)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait(10)


def seconds_to_take(log: EventLog, name: str, within: float = 60) -> float | None:
    """How long until the lock ``name`` could be taken (tried every 0.2 s), or None."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        with try_lock(log, name) as got:
            if got:
                return time.monotonic() - start
        time.sleep(0.2)
    return None


def event(i: int) -> NewEvent:
    return NewEvent("TestEvent", "test", f"frozen:{i}", {"i": i})


def test_a_node_frozen_holding_the_append_lock_loses_it_within_seconds(pg_url: str) -> None:
    with open_log(pg_url) as log, holder(pg_url, HOLD_APPEND_LOCK) as frozen:
        os.kill(frozen.pid, signal.SIGSTOP)
        start = time.monotonic()
        failures: list[str] = []
        stored: list[object] = []

        def append() -> None:
            while time.monotonic() - start < 60:
                try:
                    stored.extend(log.append([event(1)]))
                    return
                except StoreError as exc:  # a bounded wait: the daemon retries next tick
                    failures.append(str(exc))
                    time.sleep(0.2)

        # in a thread: an append that waits on the frozen node for ever fails the test
        # (the holder is killed on the way out, which frees the thread)
        worker = threading.Thread(target=append, daemon=True)
        worker.start()
        worker.join(60)
        took = time.monotonic() - start
        assert not worker.is_alive(), "an append waited on the frozen node's lock"
        assert [e.key for e in stored] == ["frozen:1"]  # type: ignore[attr-defined]
        assert took <= BACK_WITHIN_S, (took, failures)
        # while frozen, an append gave up after its lock timeout instead of waiting on
        assert failures and all("lock timeout" in f for f in failures), failures
        assert log.append([event(2)])  # and the log goes on at once


def test_a_node_frozen_holding_the_rule_engines_lock_loses_it_within_seconds(
    pg_url: str,
) -> None:
    with open_log(pg_url) as log, holder(pg_url, HOLD_ENGINE_LOCK) as node:
        # a live holder keeps its lock past the idle timeout, however long its work takes
        deadline = time.monotonic() + LOCK_IDLE_TIMEOUT_S + 3
        while time.monotonic() < deadline:
            with try_lock(log, TEST_LOCK) as got:
                assert not got
            time.sleep(0.5)
        os.kill(node.pid, signal.SIGSTOP)
        took = seconds_to_take(log, TEST_LOCK)
        assert took is not None and took <= BACK_WITHIN_S, took


def test_a_store_in_another_schema_never_waits_on_a_frozen_node(pg_schemas: PgSchemas) -> None:
    """Advisory locks belong to the whole database: each store scopes its own by schema."""
    frozen_url, other_url = pg_schemas.new(), pg_schemas.new()
    with (
        open_log(frozen_url),
        open_log(other_url) as other,
        holder(frozen_url, HOLD_ENGINE_LOCK) as engine,  # opening it appends: first
        holder(frozen_url, HOLD_APPEND_LOCK) as appender,
    ):
        os.kill(appender.pid, signal.SIGSTOP)
        os.kill(engine.pid, signal.SIGSTOP)
        start = time.monotonic()
        assert [e.key for e in other.append([event(1)])] == ["frozen:1"]
        with try_lock(other, TEST_LOCK) as got:
            assert got
        # inside the 5 s lock timeout the frozen store's own appends wait for (with
        # room for a loaded machine: the suite runs in four processes on two cores)
        assert time.monotonic() - start < 4.0


def test_lock_keys_are_scoped_by_schema_and_unchanged_in_public(pg_url: str) -> None:
    with open_log(pg_url) as log:
        schema = pg_url.split("search_path%3D")[-1]
        assert log.lock_scope == f"{schema}:"
        assert log.lock_key("rules") == lock_id(f"{schema}:rules") != lock_id("rules")
        assert log.writer_lock_key != WRITER_LOCK_ID
    # the default schema keeps the keys older versions use, so they still exclude each other
    assert lock_scope("public") == lock_scope(None) == ""


@pytest.mark.parametrize(
    "setting",
    ["lock_timeout", "idle_in_transaction_session_timeout", "statement_timeout"],
)
def test_every_session_has_bounded_waits(pg_url: str, setting: str) -> None:
    from sqlalchemy import text

    with open_log(pg_url) as log, log.engine.connect() as conn:
        value = conn.execute(text(f"SHOW {setting}")).scalar()
    assert value not in (None, "0"), value
