"""A feed source's settings and what one fetch brought back: plain values.

Shared by retrieval (:mod:`monitor.sources.http`, which fills a
:class:`FetchResult`) and the pure decider (:mod:`monitor.sources.poll`,
which reads one). Kept apart from both so that a parse worker, which
receives these by pickle and runs the decider, imports no HTTP client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from monitor import __version__

__all__ = ["FeedConfig", "FetchResult"]


@dataclass(frozen=True)
class FeedConfig:
    """One ``type = "feed"`` source from the config.

    ``timeout`` bounds connecting, ``read_timeout`` each wait for bytes, and
    ``total_timeout`` the whole exchange by the wall clock: connect, headers,
    body and redirects (a slow trickle resets the per-read timeout forever
    otherwise).
    """

    name: str
    url: str
    interval: timedelta
    timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = f"news-monitor/{__version__} (+https://github.com/news-monitor)"
    total_timeout: float = 60.0


@dataclass(frozen=True)
class FetchResult:
    """What one fetch produced; never an exception for network or HTTP trouble.

    ``etag`` / ``last_modified`` are the validators to send next time: on a
    304 they are the ones we sent unless the server gave new ones. ``url`` is
    the final URL after redirects; ``retry_after`` is in seconds.
    """

    status: Literal["ok", "not_modified", "error"]
    body: bytes | None
    http_status: int | None
    etag: str | None
    last_modified: str | None
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    retry_after: float | None = None
    elapsed: float = 0.0
    url: str = ""
