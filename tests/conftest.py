"""Shared fixtures: the shipped watchlists, article builders, a CLI runner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest_feed import feed_server  # noqa: F401  (shared: the local feed server fixture)
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


def bare_article(title: str, *paragraphs: str) -> Article:
    """An article exactly as given, bypassing furniture removal (for matcher tests)."""
    from monitor.normalize import fold

    paras = tuple(fold(p) for p in paragraphs)
    return Article(
        source="t",
        item_id="a.txt",
        title=fold(title),
        paragraphs=paras,
        content_hash="x",
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
