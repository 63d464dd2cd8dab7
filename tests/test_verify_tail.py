"""``monitor verify`` catches a log that lost its newest events.

An unkeyed hash chain cannot tell a log cut after event 7 from a log that only
ever had 7 events, so these tests cut the tail the way an operator with
database access would (drop the append-only trigger in a second connection,
delete the newest rows, or empty the table) and check that the evidence kept
outside the chain catches it: the head file beside a SQLite store, the
operator's ``--expect-head``, and consumer checkpoints beyond the head.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from sqlalchemy import create_engine

from monitor.store.events import NewEvent, StoredEvent
from monitor.store.log import EventLog

Run = Callable[..., CompletedProcess[str]]


def ev(key: str) -> NewEvent:
    return NewEvent(type="ArticleObserved", stream="source:test", key=key, payload={"key": key})


def fill(url: str, count: int = 10, *, consumer: str | None = None) -> list[StoredEvent]:
    """Append ``count`` events in batches of three, as a daemon would, and close the log."""
    stored: list[StoredEvent] = []
    with EventLog(url) as log:
        for start in range(0, count, 3):
            batch = [ev(f"e{n}") for n in range(start, min(start + 3, count))]
            stored += log.append(batch)
            if consumer is not None:
                log.append([], consumer=consumer, position=stored[-1].seq)
    return stored


def cut(db: Path, sql: str) -> None:
    """Run ``sql`` on the events table from a second connection, triggers out of the way."""
    con = sqlite3.connect(db)
    with con:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            con.execute(f"DROP TRIGGER {name}")
        con.execute(sql)
    con.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


def test_an_append_writes_the_head_file_beside_the_database(db: Path) -> None:
    stored = fill(f"sqlite:///{db}")
    head = json.loads(Path(f"{db}.head").read_text())
    assert head == {"seq": 10, "hash": stored[-1].hash}
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_verify_prints_the_head_for_safekeeping(db: Path, cli: Run) -> None:
    stored = fill(f"sqlite:///{db}")
    res = cli("verify", "--store", f"sqlite:///{db}")
    assert res.returncode == 0, res.stderr
    assert f"ok: 10 events, hash chain intact, head 10:{stored[-1].hash}" in res.stdout
    assert f"{db}.head" in res.stdout  # what the tail was checked against


def test_verify_fails_when_the_newest_rows_are_deleted(db: Path, cli: Run) -> None:
    fill(f"sqlite:///{db}")
    cut(db, "DELETE FROM events WHERE seq > 7")
    res = cli("verify", "--store", f"sqlite:///{db}")
    assert res.returncode == 1
    assert "FAILED at event 8" in res.stderr
    assert "the log ends at event 7" in res.stderr and "records event 10" in res.stderr
    assert "events 8-10 were removed from the end" in res.stderr


def test_verify_fails_when_every_row_is_deleted(db: Path, cli: Run) -> None:
    fill(f"sqlite:///{db}")
    cut(db, "DELETE FROM events")
    res = cli("verify", "--store", f"sqlite:///{db}")
    assert res.returncode == 1
    assert "events 1-10 were removed from the end" in res.stderr


def test_verify_fails_when_the_tail_is_rewritten(db: Path, cli: Run) -> None:
    """A cut tail refilled with other events (re-hashed, so the chain holds) is still caught."""
    fill(f"sqlite:///{db}")
    cut(db, "DELETE FROM events WHERE seq > 7")
    with EventLog(f"sqlite:///{db}") as log:
        log.append([ev(f"forged{n}") for n in range(5)])  # a valid chain up to event 12
    res = cli("verify", "--store", f"sqlite:///{db}")
    assert res.returncode == 1
    assert "FAILED at event 10" in res.stderr and "head file" in res.stderr
    # The appender kept the evidence rather than overwrite it with the forged head.
    assert json.loads(Path(f"{db}.head").read_text())["seq"] == 10


def test_checkpoints_beyond_the_head_fail_without_a_head_file(db: Path, cli: Run) -> None:
    fill(f"sqlite:///{db}", consumer="rules")
    Path(f"{db}.head").unlink()
    cut(db, "DELETE FROM events WHERE seq > 4")
    res = cli("verify", "--store", f"sqlite:///{db}")
    assert res.returncode == 1
    assert "consumer 'rules' has read up to event 10" in res.stderr
    assert "events 5-10 were removed from the end" in res.stderr


def test_expect_head(db: Path, cli: Run) -> None:
    stored = fill(f"sqlite:///{db}")
    Path(f"{db}.head").unlink()  # a copy kept elsewhere is all there is
    url = f"sqlite:///{db}"
    assert cli("verify", "--store", url, "--expect-head", "10").returncode == 0
    good = f"{stored[5].seq}:{stored[5].hash}"
    assert cli("verify", "--store", url, "--expect-head", good).returncode == 0
    beyond = cli("verify", "--store", url, "--expect-head", f"12:{stored[-1].hash}")
    assert beyond.returncode == 1 and "events 11-12 were removed" in beyond.stderr
    other = cli("verify", "--store", url, "--expect-head", f"6:{stored[-1].hash}")
    assert other.returncode == 1 and "FAILED at event 6" in other.stderr
    bad = cli("verify", "--store", url, "--expect-head", "ten")
    assert bad.returncode == 2 and "SEQ or SEQ:HASH" in bad.stderr


# -- PostgreSQL ---------------------------------------------------------------


# ``pg_url`` (tests/pgschema.py): a fresh schema of the test database, dropped afterwards.


def pg_cut(url: str, sql: str) -> None:
    """As the table's owner: disable the append-only triggers, run ``sql``, enable them."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER USER")
        conn.exec_driver_sql(sql)
        conn.exec_driver_sql("ALTER TABLE events ENABLE TRIGGER USER")
    engine.dispose()


def test_postgresql_cut_tail_fails_against_the_expected_head(pg_url: str, cli: Run) -> None:
    stored = fill(pg_url)
    ok = cli("verify", "--store", pg_url)
    assert ok.returncode == 0, ok.stderr
    head = f"10:{stored[-1].hash}"
    assert f"head {head}" in ok.stdout
    pg_cut(pg_url, "DELETE FROM events WHERE seq > 7")
    res = cli("verify", "--store", pg_url, "--expect-head", head)
    assert res.returncode == 1
    assert "the expected head is event 10" in res.stderr
    assert "events 8-10 were removed from the end" in res.stderr


def test_postgresql_checkpoints_beyond_the_head_fail(pg_url: str, cli: Run) -> None:
    fill(pg_url, consumer="notify-queue")
    pg_cut(pg_url, "DELETE FROM events WHERE seq > 9")
    res = cli("verify", "--store", pg_url)
    assert res.returncode == 1
    assert "consumer 'notify-queue' has read up to event 10" in res.stderr


def test_one_process_never_moves_the_head_file_backwards(db: Path) -> None:
    """Threads that commit 9 then 12 may record in the other order: 12 must stay."""
    from monitor.store.events import Head
    from monitor.store.headfile import HeadFile

    head_file = HeadFile(str(db))
    head_file.record(Head(12, "b" * 64))
    head_file.record(Head(9, "a" * 64))
    assert head_file.read() == Head(12, "b" * 64)


def test_verify_warns_when_the_append_only_triggers_are_gone(db: Path, cli: Run) -> None:
    fill(f"sqlite:///{db}")
    cut(db, "SELECT 1")  # drops the triggers, changes nothing
    res = cli("verify", "--store", f"sqlite:///{db}")
    assert res.returncode == 0
    assert "events_no_delete is missing" in res.stderr
