"""The event-log contract, run against every backend.

One test class, :class:`TestEventLogContract`, runs against in-memory SQLite,
file SQLite and — when ``MONITOR_TEST_PG_URL`` is set (``.ci/pg-setup.sh``
prints it) — PostgreSQL. Every log a test opens is independent: a fresh
in-memory database, a fresh file, or a fresh PostgreSQL schema selected with
``search_path`` and dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

import monitor.store.connect as connect_module
import monitor.store.log as log_module
from monitor.errors import StoreError
from monitor.store.events import Head, NewEvent, StoredEvent
from monitor.store.log import APPEND_ONLY_MESSAGE, GENESIS_HASH, EventLog, event_hash

PG_URL = os.environ.get("MONITOR_TEST_PG_URL")
PG_SKIP = 'MONITOR_TEST_PG_URL is not set (run `eval "$(bash .ci/pg-setup.sh | tail -1)"`)'


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
    urls: dict[int, str] = field(default_factory=dict)
    opened: list[EventLog] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)

    @property
    def shares_one_connection(self) -> bool:
        return self.name == "sqlite-memory"

    def new_url(self) -> str:
        if self.name == "sqlite-memory":
            return "sqlite://"
        if self.name == "sqlite-file":
            return f"sqlite:///{self.tmp_path / 'state' / f'{uuid.uuid4().hex}.db'}"
        assert PG_URL is not None
        schema = f"t_{uuid.uuid4().hex[:16]}"
        with create_engine(PG_URL).begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

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
        for log in self.opened:
            log.close()
        if self.schemas:
            assert PG_URL is not None
            with create_engine(PG_URL).begin() as conn:
                for schema in self.schemas:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(
    params=[
        "sqlite-memory",
        "sqlite-file",
        pytest.param("postgresql", marks=pytest.mark.skipif(PG_URL is None, reason=PG_SKIP)),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    b = Backend(request.param, tmp_path)
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


# -- opening ------------------------------------------------------------------


def test_unreachable_database_is_a_store_error_with_the_password_masked() -> None:
    with pytest.raises(StoreError) as info:
        EventLog("postgresql+psycopg://monitor:s3cret@127.0.0.1:9/nowhere?connect_timeout=2")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    assert "127.0.0.1:9/nowhere" in str(info.value)
    assert info.value.__cause__ is not None


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


@pytest.mark.skipif(PG_URL is None, reason=PG_SKIP)
def test_opening_without_create_refuses_an_empty_postgresql_schema(tmp_path: Path) -> None:
    backend = Backend("postgresql", tmp_path)
    try:
        with pytest.raises(StoreError, match="no events table"):
            EventLog(backend.new_url(), create=False)
    finally:
        backend.close()


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
    monkeypatch.setattr(connect_module, "_SQLITE_BUSY_TIMEOUT_MS", 3000)
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
