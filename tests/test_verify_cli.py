"""``monitor verify`` catches a tampered log; the database refuses edits.

The CLI runs in-process (``cli``) but for one real ``monitor verify`` process
(``monitor_cli``), a smoke test of the exit status a cron job or script sees.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

Run = Callable[..., CompletedProcess[str]]


def _store(tmp_path: Path, cli: Run) -> tuple[Path, str]:
    """The seeds replayed into a fresh SQLite file store."""
    db = tmp_path / "log.db"
    url = f"sqlite:///{db}"
    assert cli("replay", "seeds", "--store", url, "--format", "jsonl").returncode == 0
    return db, url


def test_update_and_delete_are_refused_by_the_database(tmp_path: Path, cli: Run) -> None:
    db, url = _store(tmp_path, cli)
    con = sqlite3.connect(db)
    for sql in (
        "UPDATE events SET payload = '{}' WHERE seq = 2",
        "DELETE FROM events WHERE seq = 3",
    ):
        try:
            con.execute(sql)
        except sqlite3.DatabaseError as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{sql} was allowed")
    con.close()
    assert cli("verify", "--store", url).returncode == 0


def test_verify_reports_the_first_tampered_event(
    tmp_path: Path, cli: Run, monitor_cli: Run
) -> None:
    db, url = _store(tmp_path, cli)
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS events_no_update")
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    con.execute("UPDATE events SET payload = replace(payload, 'Japan', 'Japon') WHERE seq = 3")
    con.commit()
    con.close()
    res = monitor_cli("verify", "--store", url)  # a subprocess smoke test
    assert res.returncode == 1
    assert "event 3" in res.stderr


def test_verify_reports_a_deleted_event(tmp_path: Path, cli: Run) -> None:
    db, url = _store(tmp_path, cli)
    con = sqlite3.connect(db)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    con.execute("DELETE FROM events WHERE seq = 4")
    con.commit()
    con.close()
    res = cli("verify", "--store", url)
    assert res.returncode == 1
    assert "event 5" in res.stderr and "missing" in res.stderr


def test_verify_reports_a_payload_forged_with_a_duplicate_key(tmp_path: Path, cli: Run) -> None:
    """A second copy of a key: a parser keeping the last one sees the hashed payload,
    SQLite's json_extract (the first one) sees the forged value. Verify used to hash the
    re-serialised parse, and passed it."""
    db, url = _store(tmp_path, cli)
    con = sqlite3.connect(db)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    seq, payload = con.execute(
        "SELECT seq, payload FROM events WHERE type = 'AlertRaised' ORDER BY seq LIMIT 1"
    ).fetchone()
    forged = '{"rule":"forged-rule",' + payload[1:]
    con.execute("UPDATE events SET payload = ? WHERE seq = ?", (forged, seq))
    con.commit()
    assert con.execute(
        "SELECT json_extract(payload, '$.rule') FROM events WHERE seq = ?", (seq,)
    ).fetchone() == ("forged-rule",)
    con.close()
    res = cli("verify", "--store", url)
    assert res.returncode == 1
    assert f"event {seq}" in res.stderr and "stored bytes were altered" in res.stderr
