"""Shared fixtures: the shipped watchlists, article builders, CLI runners, PostgreSQL schemas."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest_feed import feed_server  # noqa: F401  (shared: the local feed server fixture)
from pgschema import pg_schemas, pg_url  # noqa: F401  (shared: a PostgreSQL schema per store)
from smtpsink import SmtpSink

from monitor.article import Article, RawItem
from monitor.normalize import normalize
from monitor.rules.watchlist import Watchlists, load_watchlists

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
WATCHLISTS = ROOT / "watchlists"


@pytest.fixture(scope="session")
def shipped() -> Watchlists:
    """The watchlists the project ships (loaded once: the automaton is shared)."""
    return load_watchlists(WATCHLISTS)


def article(
    text: str, *, title: str | None = None, item: str = "a.txt", source: str = "t"
) -> Article:
    """Normalize a hand-written article (first line is the title unless ``title``)."""
    return normalize(RawItem(source=source, item_id=item, text=text, title=title))


def bare_article(title: str, *paragraphs: str, published: datetime | None = None) -> Article:
    """An article exactly as given, bypassing furniture removal (for matcher tests)."""
    from monitor.normalize import fold

    paras = tuple(fold(p) for p in paragraphs)
    return Article(
        source="t",
        item_id="a.txt",
        title=fold(title),
        paragraphs=paras,
        content_hash="x",
        published=published,
    )


@pytest.fixture
def monitor_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``monitor`` CLI in a subprocess (as a user would)."""

    def run(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        return subprocess.run(
            [sys.executable, "-m", "monitor", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=check,
        )

    return run


#: Loggers whose level ``monitor.logs.setup_logging`` sets: restored after an in-process run.
_CLI_LOGGERS = ("", "apprise", "httpx", "httpcore", "apscheduler")


def run_cli(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess[str]:
    """What the :func:`cli` fixture runs; for module-scoped fixtures, which cannot use it."""
    from monitor.front.cli import main

    loggers = [logging.getLogger(name) for name in _CLI_LOGGERS]
    saved = [(lg, lg.level, lg.handlers[:]) for lg in loggers]
    runner = CliRunner(env={"PYTHONUNBUFFERED": "1", "COLUMNS": "200"})
    try:
        with contextlib.chdir(cwd):
            result = runner.invoke(main, list(args), prog_name="monitor")
    finally:
        for lg, level, handlers in saved:
            lg.setLevel(level)
            lg.handlers[:] = handlers
    stderr = result.stderr
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    done = subprocess.CompletedProcess(["monitor", *args], result.exit_code, result.stdout, stderr)
    if check:
        done.check_returncode()
    return done


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the ``monitor`` CLI in this process (click's ``CliRunner``), as ``monitor_cli`` does.

    The same call and result as :func:`monitor_cli` — ``cli("verify", "--store",
    url, cwd=tmp_path)`` gives a ``CompletedProcess`` with ``returncode``,
    ``stdout`` and ``stderr`` — without the ~1 s a fresh interpreter costs
    to import the package. What a process would do differently is done here:
    the working directory and ``COLUMNS=200`` hold for the call only; the
    logging the CLI sets up (a handler on this call's stderr) is undone
    afterwards; and an exception the CLI lets escape is printed to stderr as
    a traceback with exit status 1, as the interpreter would. Not for
    ``monitor run``, which ends the process with ``os._exit``: use
    ``monitor_cli`` there, and for the few smoke tests that must see a real
    process.
    """
    return run_cli


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on a free port, collecting what it receives."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def daemons() -> Iterator[list[Any]]:
    """``monitor run`` subprocesses a test started (``test_daemon_e2e.Daemon``); killed after."""
    started: list[Any] = []
    yield started
    for d in started:
        if d.alive():
            d.stop(signal.SIGKILL)


#: When this run began (the screenshots it wrote are newer).
_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the screenshots the browser test kept (``$MONITOR_TEST_ARTIFACTS``, set by CI).

    Here rather than in the test: with the suite in several processes
    (``make test``), a worker's output never reaches the terminal.
    """
    target = os.environ.get("MONITOR_TEST_ARTIFACTS")
    # only this run's: the directory may keep an earlier run's screenshots
    found = sorted(Path(target).glob("*.png")) if target else []
    shots = [s for s in found if s.stat().st_mtime >= _STARTED]
    if shots:
        terminalreporter.write_line("screenshots: " + " and ".join(str(s) for s in shots))
