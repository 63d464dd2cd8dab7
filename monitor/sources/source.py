"""The ``Source`` protocol: a source by its stages, which the poller drives.

A source is polled in two stages. ``retrieve`` is the I/O — an HTTP fetch
with the shared client, or reading a fixtures directory — and parses nothing
it need not; ``decide`` is pure: the source's remembered state and what was
retrieved → the events to append and the state to remember next (parsing,
validators, back-off). The poller (:mod:`monitor.poller`) keeps everything
else: the state between polls, the leases on PostgreSQL, the parse workers
``decide`` may run in, appending, and the checks. A source value is plain
and picklable, so ``decide`` can run in a parse worker.

The implementations: :class:`monitor.sources.poll.FeedSource` and
:class:`monitor.sources.directory.FixturesSource`; the poller builds them from
the configuration (``monitor.poller.source_for``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from monitor.events import NewEvent
from monitor.sources.feed import FeedConfig
from monitor.sources.poll import SourceState

if TYPE_CHECKING:
    import httpx

__all__ = ["Retrieved", "Source"]

#: What a source's ``retrieve`` brings back and its ``decide`` reads.
Retrieved = TypeVar("Retrieved")


class Source(Protocol[Retrieved]):
    """One configured source, polled by stage: ``retrieve`` (I/O), then ``decide`` (pure)."""

    @property
    def name(self) -> str: ...

    @property
    def shared(self) -> FeedConfig | None:
        """The feed the daemons on one PostgreSQL store share by lease; None: polled here."""
        ...

    def due(self, state: SourceState, now: datetime) -> bool:
        """Whether a poll not forced happens now."""
        ...

    def retrieve(self, client: httpx.Client, state: SourceState) -> Retrieved:
        """The I/O stage; never raises for a failure of the source (that is data)."""
        ...

    def offload(self, retrieved: Retrieved) -> bool:
        """Whether ``decide`` is worth a parse worker for this retrieval."""
        ...

    def timed_out(self, retrieved: Retrieved, error: str) -> Retrieved:
        """The retrieval as a failure: a parse worker took too long to decide it."""
        ...

    def decide(
        self, state: SourceState, retrieved: Retrieved, now: datetime
    ) -> tuple[list[NewEvent], SourceState]:
        """The pure stage: the events the retrieval means and the state to remember."""
        ...

    def report(
        self, log: logging.Logger, retrieved: Retrieved, new: SourceState, stored: int
    ) -> None:
        """Log the poll once its events are appended (``stored`` of them new)."""
        ...
