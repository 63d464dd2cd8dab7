"""The fixtures source by stage: read a directory (I/O), then decide its events (pure).

The daemon re-reads the directory at every poll; unchanged files append
nothing, since their idempotency keys are already stored. A bad file is
reported once (its key repeats while the problem persists) and the other
files still count; a directory that cannot be listed is a failed poll.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.article import RawItem
from monitor.errors import SourceError
from monitor.events import ArticleObserved, NewEvent, SourcePolled, names
from monitor.normalize import normalize
from monitor.sources.feed import FeedConfig
from monitor.sources.fixtures import fixture_files, read_fixture_file
from monitor.sources.poll import SourceState, failed_event

if TYPE_CHECKING:
    import httpx

__all__ = ["DirectoryRead", "FixturesSource"]


@dataclass
class DirectoryRead:
    """What reading a fixtures directory brought: its items and bad files, or why it failed."""

    path: str
    items: list[RawItem] = field(default_factory=list)
    bad: list[SourceError] = field(default_factory=list)
    #: the directory itself could not be read: the poll failed
    error: SourceError | None = None


@dataclass(frozen=True)
class FixturesSource:
    """A directory of text files, one article per file (:mod:`monitor.sources.fixtures`)."""

    name: str
    path: Path
    #: what a failed poll's ``SourceFailed`` names as the place (the configured path)
    location: str | None = None

    @property
    def shared(self) -> FeedConfig | None:
        return None  # every daemon reads its own directory

    def due(self, state: SourceState, now: datetime) -> bool:
        return True  # re-read at every poll: cheap, and unchanged files append nothing

    def retrieve(self, client: httpx.Client, state: SourceState) -> DirectoryRead:
        read = DirectoryRead(str(self.path))
        try:
            files = fixture_files(self.path, self.name)
        except SourceError as exc:
            read.error = exc
            return read
        for file in files:
            try:
                read.items.append(read_fixture_file(file, self.name))
            except SourceError as exc:
                read.bad.append(exc)
        return read

    def offload(self, retrieved: DirectoryRead) -> bool:
        return False

    def timed_out(self, retrieved: DirectoryRead, error: str) -> DirectoryRead:
        return replace(retrieved, error=SourceError(error, source=self.name, url=retrieved.path))

    def decide(
        self, state: SourceState, retrieved: DirectoryRead, now: datetime
    ) -> tuple[list[NewEvent], SourceState]:
        if retrieved.error is not None:
            reason = retrieved.error.message
            failures = state.failures + 1
            key = names.failure_key(self.name, failures, now)
            failed = failed_event(self.name, self.location, reason, failures, key=key)
            new = replace(
                state, failures=failures, last_error=reason, last_poll=now, last_status="error"
            )
            return [failed], new
        items, bad = retrieved.items, retrieved.bad
        events = [ArticleObserved(normalize(raw, now)).to_event() for raw in items]
        recovered = state.failures > 0 and not bad
        if events or recovered:
            # recorded when it brought something new (the key repeats otherwise) or ended
            # a failure run (then the key is unique)
            digest = hashlib.sha256("\n".join(e.key for e in events).encode()).hexdigest()
            polled = SourcePolled(self.name, retrieved.path, None, len(items), digest, recovered)
            events.append(polled.to_event(now))
        for problem in bad:  # once per file and problem: the key repeats while it persists
            key = names.file_failure_key(self.name, problem.url, problem.message)
            events.append(failed_event(self.name, problem.url, str(problem), len(bad), key=key))
        new = SourceState(
            last_poll=now,
            last_success=now,
            failures=len(bad),
            last_error=str(bad[0]) if bad else None,
            last_status="error" if bad else "ok",
        )
        return events, new

    def report(
        self, log: logging.Logger, retrieved: DirectoryRead, new: SourceState, stored: int
    ) -> None:
        if retrieved.error is not None:
            log.error("%s", retrieved.error)
            return
        for problem in retrieved.bad:
            log.error("%s", problem)
        if stored:
            log.info(
                "source %s: %d new event(s) from %d item(s)",
                self.name,
                stored,
                len(retrieved.items),
            )
