"""The store contract, run against every backend.

The test classes here — :class:`TestEventLogContract` (the log itself),
:class:`TestReadModelContract` (every read model: ``articles`` and
``outcomes`` with their dialect-specific upserts, ``sources``, ``outbox`` and
the query helpers over them, ``source_checks``), :class:`TestLockContract`
(``try_lock`` and ``claim``) and :class:`TestConsumerContract` (the
checkpointed-consumer loop) — run against in-memory SQLite, file SQLite and,
when ``MONITOR_TEST_PG_URL`` is set (``.ci/pg-setup.sh`` prints it),
PostgreSQL. Every store a test opens is independent: a fresh in-memory
database, a fresh file, or a fresh PostgreSQL schema (the ``pg_schemas``
fixture of ``tests/pgschema.py``), dropped afterwards.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pgschema import PgSchemas
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

import monitor.store.connect as connect_module
import monitor.store.log as log_module
from monitor.article import RawItem
from monitor.errors import StoreError
from monitor.leases import Claim, SourceLeases
from monitor.normalize import normalize
from monitor.notify.projection import (
    NOTIFICATION_DEAD,
    NOTIFICATION_FAILED,
    NOTIFICATION_QUEUED,
    NOTIFICATION_RETRIED,
    NOTIFICATION_SENT,
    for_alerts,
    get,
    pending,
    summary,
)
from monitor.sources.http import FeedConfig, FetchResult
from monitor.sources.poll import SourceState, decide
from monitor.store.consumer import consume
from monitor.store.events import Head, NewEvent, StoredEvent
from monitor.store.locks import claim, lock_id, try_lock
from monitor.store.log import APPEND_ONLY_MESSAGE, GENESIS_HASH, EventLog, event_hash
from monitor.store.projections import (
    ALERT_RAISED,
    ALERT_SUPPRESSED,
    ARTICLE_OBSERVED,
    ArticleRow,
    article_seqs,
    list_outcomes,
    outcomes_for_articles,
)
from monitor.store.schema import iso_utc
from monitor.store.source_state import load_checks, load_states, record_checks
from monitor.wiring import open_log


def ev(
    key: str, type: str = "ArticleObserved", stream: str = "source:test", **payload: object
) -> NewEvent:
    """A new event; keyword arguments become the payload (default: the key)."""
    return NewEvent(type=type, stream=stream, key=key, payload=payload or {"key": key})


# -- backends ---------------------------------------------------------------


@dataclass
class Backend:
    """Opens independent logs on one kind of database and tampers with them."""

    name: str
    tmp_path: Path
    pg: PgSchemas | None = None
    urls: dict[int, str] = field(default_factory=dict)
    opened: list[EventLog] = field(default_factory=list)

    @property
    def shares_one_connection(self) -> bool:
        return self.name == "sqlite-memory"

    def new_url(self) -> str:
        if self.name == "sqlite-memory":
            return "sqlite://"
        if self.name == "sqlite-file":
            return f"sqlite:///{self.tmp_path / 'state' / f'{uuid.uuid4().hex}.db'}"
        assert self.pg is not None
        return self.pg.new()

    def open(self, url: str | None = None, projectors: Sequence[object] = ()) -> EventLog:
        url = url or self.new_url()
        log = EventLog(url, projectors)  # type: ignore[arg-type]
        self.urls[id(log)] = url
        self.opened.append(log)
        return log

    def reopen(self, log: EventLog) -> EventLog:
        return self.open(self.urls[id(log)], log.projectors)

    def tamper(self, log: EventLog, *statements: str) -> None:
        """Run SQL on the events table with the append-only triggers out of the way."""
        if self.name == "sqlite-file":
            path = make_url(self.urls[id(log)]).database
            assert path is not None
            raw = sqlite3.connect(path)
            with raw:
                raw.execute("DROP TRIGGER IF EXISTS events_no_update")
                raw.execute("DROP TRIGGER IF EXISTS events_no_delete")
                for sql in statements:
                    raw.execute(sql)
            raw.close()
            return
        with log.engine.begin() as conn:
            if self.name == "postgresql":
                conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER USER")
            else:
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_no_update")
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_no_delete")
            for sql in statements:
                conn.exec_driver_sql(sql)
            if self.name == "postgresql":
                conn.exec_driver_sql("ALTER TABLE events ENABLE TRIGGER USER")

    def close(self) -> None:
        """Close every log opened (the schemas are dropped by ``pg_schemas`` after this)."""
        for log in self.opened:
            log.close()


@pytest.fixture(params=["sqlite-memory", "sqlite-file", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    # ``pg_schemas`` skips the PostgreSQL runs when MONITOR_TEST_PG_URL is unset.
    pg = request.getfixturevalue("pg_schemas") if request.param == "postgresql" else None
    b = Backend(request.param, tmp_path, pg)
    yield b
    b.close()


@pytest.fixture
def log(backend: Backend) -> EventLog:
    return backend.open()


class RecordingProjector:
    """A projection double: records what it was given and checks it runs in the append."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.resets = 0
        self.applied: list[list[int]] = []
        self.rows_visible: list[int] = []

    def reset(self, conn: Connection) -> None:
        self.resets += 1
        self.applied.clear()
        conn.exec_driver_sql("DROP TABLE IF EXISTS projected")
        conn.exec_driver_sql("CREATE TABLE projected (seq INTEGER PRIMARY KEY)")

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        assert conn.in_transaction()
        self.applied.append([e.seq for e in events])
        self.rows_visible.append(conn.execute(text("SELECT count(*) FROM events")).scalar_one())
        conn.execute(
            text("INSERT INTO projected (seq) VALUES (:seq)"), [{"seq": e.seq} for e in events]
        )
        if self.fail:
            raise RuntimeError("projector failed")


# -- the contract -------------------------------------------------------------


class TestEventLogContract:
    def test_seq_is_contiguous_from_one(self, log: EventLog) -> None:
        first = log.append([ev("a"), ev("b")])
        second = log.append([ev("c")])
        assert [e.seq for e in first + second] == [1, 2, 3]
        assert [e.seq for e in log.read()] == [1, 2, 3]
        assert log.head() == 3
        assert first[0].prev_hash == GENESIS_HASH
        assert first[1].prev_hash == first[0].hash and second[0].prev_hash == first[1].hash

    def test_empty_log(self, log: EventLog) -> None:
        assert log.head() == 0
        assert list(log.read()) == []
        assert log.verify().ok and log.verify().checked == 0
        assert log.append([]) == []

    def test_same_key_within_a_batch_is_stored_once(self, log: EventLog) -> None:
        stored = log.append([ev("a", n=1), ev("b"), ev("a", n=2)])
        assert [(e.seq, e.key) for e in stored] == [(1, "a"), (2, "b")]
        assert log.get_by_key("a") == stored[0]  # the first one wins
        assert stored[0].payload == {"n": 1}

    def test_same_key_across_batches_is_stored_once(self, log: EventLog) -> None:
        log.append([ev("a"), ev("b")])
        stored = log.append([ev("b"), ev("c"), ev("a")])
        assert [(e.seq, e.key) for e in stored] == [(3, "c")]
        assert [e.key for e in log.read()] == ["a", "b", "c"]

    def test_checkpoint_is_saved_with_the_events(self, log: EventLog) -> None:
        assert log.checkpoint("rules") == 0
        log.append([ev("a")], consumer="rules", position=7)
        assert log.checkpoint("rules") == 7
        log.append([ev("b")], consumer="notifier", position=1)
        log.append([ev("c")], consumer="rules", position=9)
        assert log.checkpoints() == {"rules": 9, "notifier": 1}

    def test_checkpoint_is_saved_for_an_all_duplicate_or_empty_batch(self, log: EventLog) -> None:
        log.append([ev("a")], consumer="rules", position=1)
        assert log.append([ev("a")], consumer="rules", position=2) == []
        assert log.checkpoint("rules") == 2
        assert log.append([], consumer="rules", position=3) == []
        assert log.checkpoint("rules") == 3
        assert log.head() == 1

    def test_failed_append_saves_neither_events_nor_checkpoint(self, backend: Backend) -> None:
        projector = RecordingProjector()
        log = backend.open(projectors=[projector])
        log.rebuild()
        log.append([ev("a")], consumer="rules", position=1)
        projector.fail = True
        with pytest.raises(RuntimeError, match="projector failed"):
            log.append([ev("b")], consumer="rules", position=2)
        assert log.head() == 1
        assert log.checkpoint("rules") == 1
        with log.engine.connect() as conn:
            assert conn.execute(text("SELECT seq FROM projected")).scalars().all() == [1]

    def test_consumer_needs_a_position(self, log: EventLog) -> None:
        with pytest.raises(ValueError):
            log.append([ev("a")], consumer="rules")

    def test_update_is_refused_by_the_database(self, log: EventLog) -> None:
        [stored] = log.append([ev("a")])
        with pytest.raises(DBAPIError, match=APPEND_ONLY_MESSAGE), log.engine.begin() as conn:
            conn.execute(text("UPDATE events SET payload = '{}' WHERE seq = 1"))
        assert log.get_by_key("a") == stored

    def test_delete_is_refused_by_the_database(self, log: EventLog) -> None:
        [stored] = log.append([ev("a")])
        with pytest.raises(DBAPIError, match=APPEND_ONLY_MESSAGE), log.engine.begin() as conn:
            conn.execute(text("DELETE FROM events"))
        assert list(log.read()) == [stored]

    def test_truncate_is_refused_on_postgresql(self, backend: Backend, log: EventLog) -> None:
        if backend.name != "postgresql":
            pytest.skip("SQLite has no TRUNCATE")
        log.append([ev("a")])
        with pytest.raises(DBAPIError, match=APPEND_ONLY_MESSAGE), log.engine.begin() as conn:
            conn.execute(text("TRUNCATE events"))
        assert log.head() == 1

    def test_a_violation_through_our_api_is_a_store_error(self, backend: Backend) -> None:
        class Vandal:
            def reset(self, conn: Connection) -> None: ...

            def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
                conn.execute(text("DELETE FROM events"))

        log = backend.open()
        log.append([ev("a")])
        log.projectors = (Vandal(),)
        with pytest.raises(StoreError, match=APPEND_ONLY_MESSAGE):
            log.append([ev("b")])
        assert [e.key for e in log.read()] == ["a"]

    def test_verify_accepts_a_good_log(self, log: EventLog) -> None:
        for n in range(5):
            log.append([ev(f"{n}-{i}", n=n, text="naïve – 東京") for i in range(3)])
        result = log.verify()
        assert result.ok and result.checked == 15 and result.reason is None

    def test_verify_finds_an_altered_payload(self, backend: Backend, log: EventLog) -> None:
        log.append([ev(str(i)) for i in range(5)])
        backend.tamper(log, """UPDATE events SET payload = '{"key":"forged"}' WHERE seq = 3""")
        result = log.verify()
        assert (result.first_bad, result.reason) == (3, "hash mismatch: payload or fields altered")
        assert not result.ok

    def test_verify_finds_a_deleted_event(self, backend: Backend, log: EventLog) -> None:
        log.append([ev(str(i)) for i in range(5)])
        backend.tamper(log, "DELETE FROM events WHERE seq = 2")
        result = log.verify()
        assert (result.first_bad, result.reason) == (3, "missing event(s) before this one")

    def test_verify_finds_a_forged_hash(self, backend: Backend, log: EventLog) -> None:
        """A forger who recomputes the altered event's hash is caught by the next link."""
        events = log.append([ev(str(i)) for i in range(5)])
        e = events[2]
        payload = '{"key":"forged"}'
        forged = event_hash(
            e.prev_hash, e.seq, e.type, e.stream, e.key, e.time.isoformat(), payload
        )
        backend.tamper(
            log, f"UPDATE events SET payload = '{payload}', hash = '{forged}' WHERE seq = 3"
        )
        result = log.verify()
        assert (result.first_bad, result.reason) == (4, "prev_hash does not match event 3")

    def test_verify_finds_reordered_events(self, backend: Backend, log: EventLog) -> None:
        log.append([ev(str(i)) for i in range(5)])
        backend.tamper(
            log,
            "UPDATE events SET seq = 100 WHERE seq = 2",
            "UPDATE events SET seq = 2 WHERE seq = 3",
            "UPDATE events SET seq = 3 WHERE seq = 100",
        )
        result = log.verify()
        assert (result.first_bad, result.reason) == (2, "prev_hash does not match event 1")

    def test_read_filters(self, log: EventLog) -> None:
        log.append(
            [
                ev("1", type="A", stream="s1"),
                ev("2", type="B", stream="s1"),
                ev("3", type="A", stream="s2"),
                ev("4", type="C", stream="s1"),
                ev("5", type="A", stream="s1"),
            ]
        )
        assert [e.seq for e in log.read(types={"A"})] == [1, 3, 5]
        assert [e.seq for e in log.read(types=["A", "C"], stream="s1")] == [1, 4, 5]
        assert [e.seq for e in log.read(stream="s2")] == [3]
        assert [e.seq for e in log.read(after=2)] == [3, 4, 5]
        assert [e.seq for e in log.read(after=1, types=("A",), limit=1)] == [3]
        assert [e.seq for e in log.read(limit=2)] == [1, 2]
        assert list(log.read(limit=0)) == []
        assert list(log.read(types=[])) == []
        assert list(log.read(after=5)) == []

    def test_read_pages_and_tolerates_appends_meanwhile(
        self, log: EventLog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(log_module, "PAGE_SIZE", 3)
        log.append([ev(str(i)) for i in range(10)])
        assert [e.seq for e in log.read(limit=7)] == list(range(1, 8))
        assert [e.seq for e in log.read(after=2, types={"ArticleObserved"})] == list(range(3, 11))
        reader = log.read()
        assert next(reader).seq == 1
        log.append([ev("late")])  # a half-read log must not block or break writers
        assert [e.seq for e in reader] == list(range(2, 12))

    def test_get_by_key(self, log: EventLog) -> None:
        [a] = log.append([ev("a", nested={"list": [1, 2.5, None, True]})])
        assert log.get_by_key("a") == a
        assert log.get_by_key("missing") is None

    def test_projector_sees_each_append_inside_its_transaction(self, backend: Backend) -> None:
        projector = RecordingProjector()
        log = backend.open(projectors=[projector])
        log.rebuild()
        log.append([ev("a"), ev("b")])
        log.append([ev("a")])  # nothing new: nothing to apply
        log.append([ev("c")])
        assert projector.applied == [[1, 2], [3]]
        assert projector.rows_visible == [2, 3]  # the inserted rows, in the same transaction

    def test_rebuild_reapplies_everything(
        self, backend: Backend, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(log_module, "PAGE_SIZE", 4)
        projector = RecordingProjector()
        log = backend.open(projectors=[projector])
        log.rebuild()
        for n in range(3):
            log.append([ev(f"{n}-{i}") for i in range(3)], consumer="rules", position=n + 1)
        assert log.rebuild() == 9
        assert projector.resets == 2
        assert projector.applied == [[1, 2, 3, 4], [5, 6, 7, 8], [9]]
        assert log.checkpoints() == {"rules": 3}
        with log.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM projected")).scalar_one() == 9

    def test_time_round_trips(self, log: EventLog) -> None:
        tokyo = timezone(timedelta(hours=9))
        given_time = datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=tokyo)
        before = datetime.now(UTC)
        stored = log.append([NewEvent("T", "s", "given", {}, given_time)])
        stored += log.append([ev("now")])
        [given_back, now_back] = list(log.read())
        assert given_back.time == given_time and given_back.time.utcoffset() == timedelta(0)
        assert given_back.time.isoformat() == "2024-02-29T14:59:58.123456+00:00"
        assert before <= now_back.time <= datetime.now(UTC)
        assert [e.time for e in stored] == [given_back.time, now_back.time]
        assert log.verify().ok

    def test_naive_time_and_non_json_payload_are_refused(self, log: EventLog) -> None:
        with pytest.raises(StoreError, match="timezone-aware"):
            log.append([NewEvent("T", "s", "k", {}, datetime(2024, 1, 1))])
        with pytest.raises(StoreError, match="not JSON"):
            log.append([NewEvent("T", "s", "k", {"x": object()})])
        with pytest.raises(StoreError, match="not JSON"):
            log.append([NewEvent("T", "s", "k", {"x": float("nan")})])
        assert log.head() == 0

    def test_reopening_keeps_the_log_and_its_guards(self, backend: Backend, log: EventLog) -> None:
        if backend.shares_one_connection:
            pytest.skip("an in-memory database does not outlive its engine")
        stored = log.append([ev("a", text="ünïcode ✓")], consumer="c", position=1)
        again = backend.reopen(log)
        assert list(again.read()) == stored
        assert again.checkpoint("c") == 1 and again.verify().ok
        with pytest.raises(DBAPIError, match=APPEND_ONLY_MESSAGE), again.engine.begin() as conn:
            conn.execute(text("DELETE FROM events"))

    def test_concurrent_appenders_share_one_chain(self, backend: Backend, log: EventLog) -> None:
        logs = [log] * 3 if backend.shares_one_connection else [backend.reopen(log) for _ in "abc"]
        errors: list[BaseException] = []

        def work(worker: int, target: EventLog) -> None:
            try:
                for n in range(20):
                    # Overlapping keys: each fact must still be stored exactly once.
                    target.append([ev(f"{n}-{i}") for i in range(worker, worker + 5)])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(w, t)) for w, t in enumerate(logs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        events = list(log.read())
        assert [e.seq for e in events] == list(range(1, 20 * 7 + 1))
        assert len({e.key for e in events}) == len(events)
        assert log.verify().ok

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        batches=st.lists(
            st.lists(
                st.text(
                    st.characters(codec="utf-8", exclude_characters="\x00"),
                    min_size=1,
                    max_size=3,
                ),
                max_size=8,
            ),
            max_size=6,
        )
    )
    def test_any_appends_give_a_valid_log(self, backend: Backend, batches: list[list[str]]) -> None:
        log = backend.open()
        expected: list[str] = []
        for batch in batches:
            new = [k for i, k in enumerate(batch) if k not in expected and k not in batch[:i]]
            stored = log.append([ev(k, k=k) for k in batch])
            assert [e.key for e in stored] == new
            expected += new
        events = list(log.read())
        assert [e.key for e in events] == expected
        assert [e.seq for e in events] == list(range(1, len(expected) + 1))
        assert log.verify().ok

    def test_verify_finds_a_cut_tail_against_an_expected_head(
        self, backend: Backend, log: EventLog
    ) -> None:
        stored = log.append([ev(str(i)) for i in range(6)])
        head = Head(stored[-1].seq, stored[-1].hash)
        assert log.verify(head).ok and log.verify(head).head_hash == head.hash
        backend.tamper(log, "DELETE FROM events WHERE seq > 4")
        result = log.verify(head)
        assert (result.first_bad, result.checked) == (5, 4)
        assert result.reason is not None
        assert "the expected head is event 6" in result.reason
        assert "events 5-6 were removed from the end" in result.reason

    def test_verify_finds_a_rewritten_chain_against_an_expected_head(
        self, backend: Backend, log: EventLog
    ) -> None:
        stored = log.append([ev(str(i)) for i in range(4)])
        other = Head(3, stored[1].hash)
        result = log.verify(other)
        assert result.first_bad == 3 and "hash" in (result.reason or "")
        assert log.verify(Head(3)).ok  # a seq alone only says how far the log reached

    def test_verify_finds_checkpoints_beyond_the_head(
        self, backend: Backend, log: EventLog
    ) -> None:
        log.append([ev(str(i)) for i in range(5)], consumer="rules", position=5)
        assert log.verify().ok
        backend.tamper(log, "DELETE FROM events WHERE seq >= 3")
        if backend.name == "sqlite-file":
            assert log.head_path is not None
            log.head_path.unlink()  # only the database's own evidence is left
        result = log.verify()
        assert result.first_bad == 3
        assert "consumer 'rules' has read up to event 5" in (result.reason or "")

    def test_append_final_refuses_every_later_append(self, log: EventLog) -> None:
        log.append([ev("a")])
        [stopped] = log.append_final([ev("stopped", type="DaemonStopped")])
        assert stopped.seq == 2
        for attempt in (
            lambda: log.append([ev("b")]),
            lambda: log.append([ev("a")]),  # even one that would write nothing
            lambda: log.append([], consumer="rules", position=2),
            lambda: log.append_final([ev("again")]),
        ):
            with pytest.raises(StoreError, match="the event log is closed: DaemonStopped"):
                attempt()
        assert [e.key for e in log.read()] == ["a", "stopped"]
        assert log.verify().ok

    def test_append_final_lets_appends_in_progress_finish_first(
        self, backend: Backend, log: EventLog
    ) -> None:
        """Threads appending while the final append comes in: none lands after it."""
        inside = threading.Event()
        release = threading.Event()

        class Slow:
            """Holds the first append inside its transaction until released."""

            def reset(self, conn: Connection) -> None: ...

            def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
                if not inside.is_set():
                    inside.set()
                    assert release.wait(10)

        log.projectors = (Slow(),)
        refused: list[str] = []
        stored: list[str] = []

        def work(worker: int) -> None:
            for n in range(200):
                try:
                    stored.extend(e.key for e in log.append([ev(f"{worker}-{n}")]))
                except StoreError as exc:
                    refused.append(str(exc))
                    return

        first = threading.Thread(target=work, args=(0,))
        first.start()
        assert inside.wait(10)  # worker 0 is in the middle of an append
        final: list[StoredEvent] = []
        finisher = threading.Thread(target=lambda: final.extend(log.append_final([ev("end")])))
        finisher.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until the final append has closed the log
            try:
                log.append([])
            except StoreError:
                break
        else:
            raise AssertionError("append_final did not close the log")
        others = [threading.Thread(target=work, args=(w,)) for w in (1, 2, 3)]
        for t in others:
            t.start()
        finisher.join(0.3)
        assert finisher.is_alive()  # it waits for the append in progress
        release.set()
        for t in [first, finisher, *others]:
            t.join(30)
        events = list(log.read())
        assert events[-1].key == "end" and final == [events[-1]]
        assert stored == ["0-0"] and len(refused) == 4  # worker 0 finished, then everyone stopped
        assert all("the event log is closed" in r for r in refused)
        assert log.verify().ok


# -- read models ------------------------------------------------------------------

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def observed(item: str, text: str, *, source: str = "feed", hours: int = 0) -> NewEvent:
    """An ``ArticleObserved`` event as a poll records it (normalized, keyed by content)."""
    raw = RawItem(source, item, text, url=f"https://example.org/{item}")
    art = replace(normalize(raw), published=T0 + timedelta(hours=hours))
    key = f"article:{art.source}:{art.item_id}:{art.content_hash}"
    return NewEvent(ARTICLE_OBSERVED, f"source:{source}", key, art.to_payload(), T0)


def outcome(
    type: str, rule: str, article: StoredEvent, *, repeats: str | None = None, **extra: object
) -> NewEvent:
    """An ``AlertRaised`` / ``AlertSuppressed`` with the payload fields the read model reads."""
    p = article.payload
    payload: dict[str, object] = {
        "rule": rule,
        "severity": "high",
        "source": p["source"],
        "item": p["item"],
        "title": p["title"],
        "url": p["url"],
        "key": "kim|putin",
        "article_seq": article.seq,
        "evidence": [f"evidence from {p['item']}"],
        "spans": [{"text": "Kim"}, {"text": "Putin"}, {"text": "Kim"}],
        **extra,
    }
    if repeats is not None:
        payload["duplicate_of"] = {"alert": repeats, "item": "first"}
        payload["reason"] = "same story"
    return NewEvent(type, f"rule:{rule}", f"outcome:{rule}:{article.key}", payload)


def tables(log: EventLog, *names: str) -> dict[str, list[tuple[object, ...]]]:
    """The rows of the named tables, sorted: to compare a read model before and after rebuild."""
    with log.engine.connect() as conn:
        return {
            name: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {name}"))), key=repr)
            for name in names
        }


#: ``sources`` and ``source_checks`` as the Core ``Table`` declarations before the SQLModel
#: classes created them (the same SQL on SQLite and PostgreSQL).
CORE_SOURCE_DDL = {
    "sources": """CREATE TABLE sources (
        name VARCHAR(200) NOT NULL, url TEXT NOT NULL, etag TEXT, last_modified VARCHAR(64),
        body_hash VARCHAR(64), failures INTEGER NOT NULL, retry_at VARCHAR(40), last_error TEXT,
        last_success VARCHAR(40), last_polled VARCHAR(40), last_status VARCHAR(20),
        PRIMARY KEY (name))""",
    "source_checks": """CREATE TABLE source_checks (
        name VARCHAR(200) NOT NULL, checked VARCHAR(40) NOT NULL, status VARCHAR(20) NOT NULL,
        PRIMARY KEY (name))""",
}
#: ``source_leases`` likewise (PostgreSQL only).
CORE_LEASE_DDL = """CREATE TABLE source_leases (
    name VARCHAR(200) NOT NULL, next_poll TIMESTAMP WITH TIME ZONE NOT NULL, holder TEXT,
    token VARCHAR(32), claimed_at TIMESTAMP WITH TIME ZONE,
    leased_until TIMESTAMP WITH TIME ZONE, PRIMARY KEY (name))"""


def table_shape(log: EventLog, name: str) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """A table's columns (name, type, nullable) and primary key, as the database reports them."""
    with log.engine.connect() as conn:
        inspector = inspect(conn)
        columns = [(c["name"], repr(c["type"]), c["nullable"]) for c in inspector.get_columns(name)]
        return columns, inspector.get_pk_constraint(name)["constrained_columns"]


def open_store(backend: Backend) -> EventLog:
    """The production store (``open_log``: every read model attached) on ``backend``."""
    url = backend.new_url()
    log = open_log(url)
    backend.urls[id(log)] = url
    backend.opened.append(log)
    return log


class TestReadModelContract:
    def test_articles_keep_the_latest_version_of_each_item_and_count_versions(
        self, backend: Backend
    ) -> None:
        log = open_store(backend)
        first = log.append(
            [observed("x", "Story x\n\nFirst text."), observed("y", "Story y\n\nY.")]
        )
        # two new versions of x in one batch (one upsert of both), then a third alone
        log.append([observed("x", "Story x\n\nSecond text.", hours=1),
                    observed("x", "Story x\n\nThird text.", hours=2)])  # fmt: skip
        [latest] = log.append([observed("x", "Story x v4\n\nFourth text.", hours=3)])
        log.append([observed("y", "Story y\n\nY.")])  # stored already: no new version
        with log.engine.connect() as conn:
            rows = {r.item: r for r in conn.execute(select(ArticleRow.__table__))}
            seqs = article_seqs(conn, [("feed", "x"), ("feed", "y"), ("feed", "gone")])
        x, y = rows["x"], rows["y"]
        assert (x.seq, x.versions, x.title, x.content_hash) == (
            latest.seq,
            4,
            "Story x v4",
            latest.payload["content_hash"],
        )
        assert x.url == "https://example.org/x"
        assert x.published.replace(tzinfo=None) == (T0 + timedelta(hours=3)).replace(tzinfo=None)
        assert (y.seq, y.versions) == (first[1].seq, 1)
        assert seqs == {("feed", "x"): latest.seq, ("feed", "y"): first[1].seq}
        before = tables(log, "articles")
        log.rebuild()
        assert tables(log, "articles") == before

    def test_outcomes_resolve_the_alert_they_repeat_in_the_same_batch_or_later(
        self, backend: Backend
    ) -> None:
        log = open_store(backend)
        a, b, c = log.append([observed(i, f"Story {i}\n\nText {i}.") for i in "abc"])
        raised = outcome(ALERT_RAISED, "nk", a)
        alert, repeat = log.append([raised, outcome(ALERT_SUPPRESSED, "nk", b, repeats=raised.key)])
        [late, stray] = log.append(
            [
                outcome(ALERT_SUPPRESSED, "nk", c, repeats=raised.key),
                outcome(ALERT_RAISED, "other", c),
            ]
        )
        [orphan] = log.append([outcome(ALERT_SUPPRESSED, "x", a, repeats="outcome:x:never")])
        with log.engine.connect() as conn:
            by_article = outcomes_for_articles(conn, [c.seq, a.seq, b.seq])
            suppressed = list_outcomes(conn, outcome="suppressed", limit=2)
            newest = list_outcomes(conn, limit=10)
        assert [(o.article_seq, o.rule) for o in by_article] == [
            (c.seq, "nk"),
            (c.seq, "other"),
            (a.seq, "nk"),
            (a.seq, "x"),
            (b.seq, "nk"),
        ]
        rows = {o.seq: o for o in newest}
        assert [o.seq for o in newest] == [orphan.seq, stray.seq, late.seq, repeat.seq, alert.seq]
        assert (rows[alert.seq].outcome, rows[alert.seq].alert_seq) == ("raised", alert.seq)
        assert rows[repeat.seq].alert_seq == alert.seq  # resolved within the batch
        assert rows[late.seq].alert_seq == alert.seq  # and against an earlier batch
        assert rows[orphan.seq].alert_seq is None
        assert (rows[repeat.seq].reason, rows[repeat.seq].duplicate_of_item) == (
            "same story",
            "first",
        )
        assert rows[alert.seq].matched == ["Kim", "Putin"]
        assert rows[alert.seq].evidence == ["evidence from a"]
        assert rows[alert.seq].time == alert.time.replace(tzinfo=rows[alert.seq].time.tzinfo)
        assert [o.seq for o in suppressed] == [orphan.seq, late.seq]
        before = tables(log, "outcomes")
        log.rebuild()
        assert tables(log, "outcomes") == before

    def test_sources_remember_validators_failures_and_recovery(self, backend: Backend) -> None:
        log = open_store(backend)
        feed = FeedConfig("news", "https://example.org/feed.xml", timedelta(minutes=10))
        body = rss_body("Story one")
        ok = FetchResult("ok", body, 200, '"v1"', "Sat, 01 Mar 2025 11:00:00 GMT")
        down = FetchResult("error", None, 503, None, None, error="HTTP 503", retry_after=900)
        back = FetchResult("not_modified", None, 304, '"v1"', "Sat, 01 Mar 2025 11:00:00 GMT")
        state, seen = SourceState(), []
        for n, result in enumerate([ok, down, down, back]):
            events, state = decide(feed, state, result, T0 + timedelta(hours=n))
            log.append(events)
            with log.engine.connect() as conn:
                seen.append(load_states(conn)["news"])
            assert seen[-1] == state
        assert [s.failures for s in seen] == [0, 1, 2, 0]
        assert seen[0].etag == '"v1"' and seen[0].body_hash == state.body_hash
        assert seen[2].etag == '"v1"'  # a failure keeps the validators for the next GET
        assert seen[1].retry_at == T0 + timedelta(hours=1, minutes=15)  # Retry-After won
        assert seen[2].last_error is not None and "HTTP 503" in seen[2].last_error
        assert (seen[3].last_status, seen[3].retry_at) == ("not_modified", None)
        before = tables(log, "sources")
        log.rebuild()
        assert tables(log, "sources") == before
        with log.engine.connect() as conn:
            assert load_states(conn) == {"news": seen[3]}

    def test_source_checks_are_upserted_and_read_back(self, backend: Backend) -> None:
        log = open_store(backend)
        with log.engine.connect() as conn:
            assert load_checks(conn) == {}
        with log.engine.begin() as conn:
            record_checks(conn, {"a": (T0, "ok"), "b": (T0, "error")})
        with log.engine.begin() as conn:
            record_checks(conn, {"a": (T0 + timedelta(minutes=5), "not_modified")})
        with log.engine.connect() as conn:
            assert load_checks(conn) == {
                "a": (T0 + timedelta(minutes=5), "not_modified"),
                "b": (T0, "error"),
            }
        log.rebuild()  # not a projection: a rebuild leaves it alone
        with log.engine.connect() as conn:
            assert set(load_checks(conn)) == {"a", "b"}

    def test_source_tables_made_by_the_core_declarations_are_used_as_they_are(
        self, backend: Backend
    ) -> None:
        """A store whose ``sources``, ``source_checks`` and ``source_leases`` the former Core
        ``Table`` declarations created opens and works without a migration: the SQLModel
        classes declare the same columns, types, nullability and keys."""
        if backend.shares_one_connection:
            pytest.skip("the tables must be made before the store is opened")
        url = backend.new_url()
        ddl = dict(CORE_SOURCE_DDL)
        if backend.name == "postgresql":
            ddl["source_leases"] = CORE_LEASE_DDL
        with backend.open(url).engine.begin() as conn:  # the log's own tables only
            for sql in ddl.values():
                conn.exec_driver_sql(sql)
        log = open_log(url)
        backend.opened.append(log)
        fresh = open_store(backend)
        if backend.name == "postgresql":
            SourceLeases(fresh).create()
        for name in ddl:
            assert table_shape(log, name) == table_shape(fresh, name), name

        feed = FeedConfig("news", "https://example.org/feed.xml", timedelta(minutes=10))
        ok = FetchResult("ok", rss_body("Story one"), 200, '"v1"', None)
        events, state = decide(feed, SourceState(), ok, T0)
        log.append(events)
        with log.engine.begin() as conn:
            record_checks(conn, {"news": (T0, "ok")})
        with log.engine.connect() as conn:
            assert load_states(conn) == {"news": state}
            assert load_checks(conn) == {"news": (T0, "ok")}
        if backend.name == "postgresql":
            leases = SourceLeases(log)
            leases.create()
            held = leases.claim("news", timedelta(minutes=1), timedelta(minutes=10))
            assert isinstance(held, Claim) and held.state == state
            assert leases.release(held, timedelta(minutes=10))

    def test_outbox_follows_each_notification_through_its_rounds(self, backend: Backend) -> None:
        log = open_store(backend)
        [article] = log.append([observed("a", "Story a\n\nText a.")])
        [alert] = log.append([outcome(ALERT_RAISED, "nk", article)])
        mail, chat = (f"notify:{alert.key}:{ch}" for ch in ("mail", "chat"))
        log.append([queued(alert, "mail"), queued(alert, "chat"), queued(alert, "chat")])
        later = T0 + timedelta(minutes=1)
        log.append([notification(NOTIFICATION_FAILED, mail, alert, 1, next_attempt=later)])
        with log.engine.connect() as conn:
            assert [r.notification for r in pending(conn, T0)] == [chat]
            assert [r.notification for r in pending(conn, later)] == [chat, mail]
            assert [r.channel for r in pending(conn, later, limit=1)] == ["chat"]
            assert summary(conn) == {"queued": 1, "failed": 1, "sent": 0, "dead": 0, "muted": 0}
            failed = get(conn, mail)
        assert failed is not None
        assert (failed.status, failed.attempts, failed.round) == ("failed", 1, 0)
        assert (failed.next_attempt, failed.last_error) == (iso_utc(later), "boom")
        assert failed.template == "default" and failed.alert_key == alert.key
        log.append(
            [
                notification(NOTIFICATION_SENT, chat, alert, 1),
                notification(NOTIFICATION_FAILED, mail, alert, 2, next_attempt=None),
                notification(NOTIFICATION_DEAD, mail, alert, 2),
            ]
        )
        with log.engine.connect() as conn:
            assert pending(conn, later + timedelta(days=1)) == []
            assert summary(conn) == {"queued": 0, "failed": 0, "sent": 1, "dead": 1, "muted": 0}
            rows = for_alerts(conn, [alert.seq, alert.seq + 100])
        assert list(rows) == [alert.seq]
        assert [(r.channel, r.status, r.attempts) for r in rows[alert.seq]] == [
            ("chat", "sent", 1),
            ("mail", "dead", 2),
        ]
        log.append([notification(NOTIFICATION_RETRIED, mail, alert, 0, round=1)])
        with log.engine.connect() as conn:
            retried = get(conn, mail)
            assert get(conn, "notify:missing") is None
            assert [r.notification for r in pending(conn, T0)] == [mail]
        assert retried is not None
        assert (retried.status, retried.attempts, retried.round) == ("queued", 0, 1)
        before = tables(log, "outbox")
        log.rebuild()
        assert tables(log, "outbox") == before


def rss_body(title: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>{title}</title><link>https://example.org/1</link>"
        "<description>Leaders met in Tokyo on Friday to discuss trade.</description>"
        "</item></channel></rss>"
    ).encode()


def queued(alert: StoredEvent, channel: str) -> NewEvent:
    """``NotificationQueued`` as ``Outbox.queue`` records it."""
    payload = {
        "alert_seq": alert.seq,
        "alert_key": alert.key,
        "rule": alert.payload["rule"],
        "channel": channel,
        "template": "default",
        "attempt": 0,
    }
    return NewEvent(
        NOTIFICATION_QUEUED, f"notify:{channel}", f"notify:{alert.key}:{channel}", payload
    )


def notification(
    type: str,
    key: str,
    alert: StoredEvent,
    attempt: int,
    *,
    round: int = 0,
    next_attempt: datetime | None = None,
) -> NewEvent:
    """A delivery outcome (sent, failed, dead, retried) for the notification ``key``."""
    channel = key.rsplit(":", 1)[1]
    payload: dict[str, object] = {
        "notification": key,
        "alert_seq": alert.seq,
        "rule": alert.payload["rule"],
        "channel": channel,
        "attempt": attempt,
        "round": round,
        "error": "boom",
        "next_attempt": iso_utc(next_attempt) if next_attempt else None,
    }
    return NewEvent(type, f"notify:{channel}", f"{type}:{key}:{round}:{attempt}", payload)


# -- locks ------------------------------------------------------------------------


class TestLockContract:
    def test_try_lock_excludes_every_other_holder_until_released(self, backend: Backend) -> None:
        log = open_store(backend)
        # in memory the lock is the process's; elsewhere another connection's or file's
        other = log if backend.shares_one_connection else backend.reopen(log)
        with try_lock(log, "rules") as first:
            assert first
            with try_lock(other, "rules") as second:
                assert not second
            with try_lock(other, "notify") as unrelated:
                assert unrelated
        with try_lock(other, "rules") as again:
            assert again

    def test_claim_excludes_only_on_postgresql_and_leaves_no_files(self, backend: Backend) -> None:
        log = open_store(backend)
        other = log if backend.shares_one_connection else backend.reopen(log)
        with claim(log, "monitor-outbox:n1") as first, claim(other, "monitor-outbox:n1") as second:
            assert first
            assert second is (backend.name != "postgresql")
        with claim(other, "monitor-outbox:n1") as again:
            assert again
        assert list(backend.tmp_path.rglob("*.lock")) == []  # SQLite needs no file per item

    def test_lock_ids_never_change(self) -> None:
        """Daemons of two versions sharing a database must agree on every lock's key."""
        assert lock_id("rules") == 7809836701405383288  # the rule engine's
        assert lock_id("notify") == 7842724169289007685
        # one notification's claim, as the outbox named it before the helper was shared
        assert lock_id("monitor-outbox:notify:outcome:nk:article:f:a:h:mail") == 1488521609226510920


# -- the checkpointed-consumer loop -------------------------------------------------


class TestConsumerContract:
    def test_consume_maps_each_batch_and_moves_the_checkpoint_with_it(self, log: EventLog) -> None:
        log.append([ev(f"in-{i}", type="In") for i in range(5)] + [ev("other", type="Other")])
        batches: list[list[int]] = []

        def decide(events: Sequence[StoredEvent]) -> list[NewEvent]:
            batches.append([e.seq for e in events])
            return [ev(f"out-{e.key}", type="Out") for e in events if e.seq % 2]

        assert consume(log, "c", ["In"], decide, batch=2) == 3
        assert batches == [[1, 2], [3, 4], [5]]
        assert log.checkpoint("c") == 5
        assert [e.key for e in log.read(types=["Out"])] == ["out-in-0", "out-in-2", "out-in-4"]
        assert consume(log, "c", ["In"], decide) == 0 and len(batches) == 3  # nothing new
        log.append([ev("in-6", type="In")])
        assert consume(log, "c", ["In"], lambda events: []) == 0  # nothing to append: moves on
        assert log.checkpoint("c") == log.head() == 10

    def test_a_failed_append_keeps_the_checkpoint_and_tells_the_consumer(
        self, log: EventLog
    ) -> None:
        log.append([ev("a", type="In"), ev("b", type="In")])
        forgotten: list[int] = []
        with pytest.raises(StoreError, match="not JSON"):
            consume(
                log,
                "c",
                ["In"],
                lambda events: [NewEvent("Out", "s", "bad", {"x": object()})],
                on_failed_append=lambda: forgotten.append(log.checkpoint("c")),
            )
        assert forgotten == [0] and log.checkpoint("c") == 0 and log.head() == 2
        assert consume(log, "c", ["In"], lambda events: []) == 0
        assert log.checkpoint("c") == 2


# -- opening ------------------------------------------------------------------


def test_unreachable_database_is_a_store_error_with_the_password_masked() -> None:
    with pytest.raises(StoreError) as info:
        EventLog("postgresql+psycopg://monitor:s3cret@127.0.0.1:9/nowhere?connect_timeout=2")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    assert "127.0.0.1:9/nowhere" in str(info.value)
    assert info.value.__cause__ is not None


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "postgresql+psycopg://monitor:monitor@db.example:5432/monitor?connect_timeout=2",
            "postgresql+psycopg://monitor:***@db.example:5432/monitor?connect_timeout=2",
        ),
        (
            "postgresql://u:p%40ss@h/db?sslmode=require&password=x",
            "postgresql://u:***@h/db?sslmode=require&password=***",
        ),
        ("postgresql://u:p@h:notaport/db", "postgresql://u:***@h:notaport/db"),
        ("postgresql://u:p@[::1/db", "postgresql://u:***@[::1/db"),  # does not even split
        ("sqlite:////var/lib/monitor/a long name.db", "sqlite:////var/lib/monitor/a long name.db"),
        ("var/monitor.db", "var/monitor.db"),
    ],
)
def test_store_urls_are_shown_with_their_secrets_masked_and_their_names_kept(
    url: str, masked: str
) -> None:
    """One masker for store and channels (``monitor.secrets``); a database URL has no tokens."""
    assert connect_module.mask_url(url) == masked


@pytest.mark.parametrize("url", ["mysql://u:pw@host/db", "nonsense", "sqlite+nodriver:///x.db"])
def test_unusable_url_is_a_store_error(url: str) -> None:
    with pytest.raises(StoreError) as info:
        EventLog(url)
    assert "pw" not in str(info.value)


def test_sqlite_file_uses_wal_and_creates_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "var" / "deep" / "monitor.db"
    with EventLog(f"sqlite:///{path}") as log:
        log.append([ev("a")])
        with log.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert path.exists()


def test_hash_is_stable() -> None:
    """The hash encoding is part of every stored log: changing it breaks ``verify``."""
    time = "2024-01-01T00:00:00.000000+00:00"
    digest = event_hash(GENESIS_HASH, 1, "T", "s", "k", time, "{}")
    assert digest == "a9e1c1c09db6bd6e5d52a13db9951e6b37cf7247c4cb9b38f06ba07cae5e7a76"
    # Fields are length-prefixed: moving characters between fields changes the hash.
    assert event_hash("", 1, "ab", "c", "", "", "") != event_hash("", 1, "a", "bc", "", "", "")


# -- opening without creating ---------------------------------------------------


def test_opening_without_create_refuses_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "backups" / "monitr.db"
    with pytest.raises(StoreError, match=f"no event log at {path}: the file does not exist"):
        EventLog(f"sqlite:///{path}", create=False)
    assert list(tmp_path.iterdir()) == []


def test_opening_without_create_refuses_a_database_without_events(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match="no events table: not a monitor store, or the table"):
        EventLog(f"sqlite:///{path}", create=False)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_opening_without_create_reads_an_existing_log(backend: Backend) -> None:
    if backend.shares_one_connection:
        pytest.skip("an in-memory database does not outlive its engine")
    log = backend.open()
    stored = log.append([ev("a")])
    with EventLog(backend.urls[id(log)], create=False) as again:
        assert list(again.read()) == stored and again.verify().ok


def test_opening_without_create_refuses_an_empty_postgresql_schema(pg_url: str) -> None:
    with pytest.raises(StoreError, match="no events table"):
        EventLog(pg_url, create=False)


def test_sqlite_reopen_over_a_dropped_table_needs_create(tmp_path: Path) -> None:
    """Only a creating open (the daemon, poll, replay) makes the tables again."""
    url = f"sqlite:///{tmp_path / 'state.db'}"
    EventLog(url).close()
    with sqlite3.connect(tmp_path / "state.db") as con:
        con.execute("DROP TABLE checkpoints")
    with pytest.raises(StoreError, match="no checkpoints table"):
        EventLog(url, create=False)


# -- appends that write nothing ---------------------------------------------------


def test_append_of_stored_events_does_not_wait_for_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged poll appends only stored keys: it must not queue behind a writer."""
    # 1.5 s, not the 10 s of production: a wait for the lock would still take longer than
    # the 1 s the stored-keys appends are allowed, and the real write below fails sooner
    monkeypatch.setattr(connect_module, "_SQLITE_BUSY_TIMEOUT_MS", 1500)
    path = tmp_path / "state.db"
    with EventLog(f"sqlite:///{path}") as log:
        log.append([ev("a"), ev("b")])
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a backup, a rebuild, another daemon's append
        try:
            start = time.monotonic()
            assert log.append([ev("a"), ev("b"), ev("a")]) == []
            assert log.append([]) == []
            assert time.monotonic() - start < 1.0
            with pytest.raises(StoreError, match="locked"):  # a real write still waits
                log.append([ev("c")])
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert [e.key for e in log.append([ev("a"), ev("c")])] == ["c"]
