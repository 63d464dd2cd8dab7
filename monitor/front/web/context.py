"""What the web layer is given: the store, and read-only views of the daemon's state.

The daemon passes callables rather than its objects, so a SIGHUP reload (a
new config and watchlists swapped in) is seen at the next request, and the
web layer never imports the daemon — it cannot call anything that acts.
Tests build one around a replayed store with no daemon at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from monitor.app import Monitor
from monitor.config import Config
from monitor.rules.watchlist import Watchlists
from monitor.store.log import EventLog

__all__ = ["Health", "WebContext"]

#: ``Daemon.health()``: ``{"healthy": bool, "reason": str, …}`` — systemd's watchdog rule.
Health = Callable[[], Mapping[str, Any]]


@dataclass(frozen=True)
class WebContext:
    """The store and the daemon's read-only state, as the pages and metrics see them.

    ``health`` is ``None`` outside a daemon (then ``/healthz`` reports that
    there is nothing to check, with 503: a health endpoint that cannot tell
    must not say healthy). ``polls`` gives the daemon's in-process poll
    counters, ``{(source, result): n}``; the log cannot count polls that
    found nothing new, since those append nothing.
    """

    events: EventLog
    config: Callable[[], Config]
    watchlists: Callable[[], Watchlists | None] = lambda: None
    health: Health | None = None
    polls: Callable[[], Mapping[tuple[str, str], int]] | None = None

    @cached_property
    def app(self) -> Monitor:
        """The application over ``events``, through which every page and metric reads."""
        return Monitor(self.events, now=self.events.now)  # one clock: the log's
