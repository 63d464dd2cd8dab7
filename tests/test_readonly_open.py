"""Reading commands never create a store: a wrong path or a dropped table is an error.

``verify``, ``status``, ``events`` and ``alerts`` open the log with
``create=False``: a mistyped backup path used to pass ``verify`` (and leave an
empty database there), a dropped ``events`` table was silently re-created,
and ``status`` outside a config directory made ``./var/monitor.db``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from monitor.store.events import NewEvent
from monitor.store.log import EventLog

Run = Callable[..., CompletedProcess[str]]


def _store(db: Path) -> str:
    url = f"sqlite:///{db}"
    with EventLog(url) as log:
        log.append([NewEvent("ArticleObserved", "source:t", f"k{n}", {"n": n}) for n in range(3)])
    return url


@pytest.mark.parametrize("command", ["verify", "events", "alerts", "status"])
def test_a_mistyped_path_is_an_error_and_creates_nothing(
    tmp_path: Path, cli: Run, command: str
) -> None:
    missing = tmp_path / "backups" / "monitr-2025-01-31.db"
    res = cli(command, "--store", f"sqlite:///{missing}")
    assert res.returncode == 1
    assert f"no event log at {missing}" in res.stderr and "does not exist" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("command", ["verify", "events", "status"])
def test_a_dropped_events_table_is_an_error_not_recreated(
    tmp_path: Path, cli: Run, command: str
) -> None:
    db = tmp_path / "state.db"
    url = _store(db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE events")
    con.commit()
    res = cli(command, "--store", url)
    assert res.returncode == 1
    assert "no events table: not a monitor store, or the table was dropped" in res.stderr
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    assert "events" not in tables


def test_a_database_that_is_not_a_monitor_store_is_refused(tmp_path: Path, cli: Run) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (text TEXT)")
    con.commit()
    res = cli("verify", "--store", f"sqlite:///{other}")
    assert res.returncode == 1 and "no events table" in res.stderr
    assert {n for (n,) in con.execute("SELECT name FROM sqlite_master")} == {"notes"}
    con.close()


def test_status_outside_a_config_directory_says_there_is_no_store(tmp_path: Path, cli: Run) -> None:
    for name in ("CONFIGURATION_DIRECTORY", "STATE_DIRECTORY"):
        assert name not in os.environ, f"the test expects {name} unset"
    res = cli("status", cwd=tmp_path)
    assert res.returncode == 1
    assert f"no event log at {tmp_path / 'var' / 'monitor.db'}" in res.stderr
    assert "embedded default configuration" in res.stderr
    assert "seeds" not in res.stdout
    assert list(tmp_path.iterdir()) == []


def test_status_names_the_config_file_it_used(tmp_path: Path, cli: Run) -> None:
    (tmp_path / "monitor.toml").write_text('[store]\nurl = "sqlite:///nowhere/monitor.db"\n')
    res = cli("status", cwd=tmp_path)
    assert res.returncode == 1
    assert f"no event log at {tmp_path / 'nowhere' / 'monitor.db'}" in res.stderr
    assert "monitor.toml" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.toml"]


def test_reading_commands_work_on_an_existing_store(tmp_path: Path, cli: Run) -> None:
    url = _store(tmp_path / "state.db")
    for command in ("verify", "events", "alerts", "status"):
        res = cli(command, "--store", url)
        assert res.returncode == 0, (command, res.stderr)
