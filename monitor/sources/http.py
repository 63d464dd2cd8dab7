"""Fetching a feed over HTTP(S): the thin I/O half of the feed source.

Everything a misbehaving server can do to a long-running daemon is bounded
here, and turned into a :class:`FetchResult` value instead of an exception:

* connect and read timeouts (``httpx.Timeout``) plus an overall deadline, so a
  server that trickles one byte every few seconds cannot hold a worker forever
  (httpx's read timeout is per chunk);
* a size limit on the *decompressed* body, enforced while streaming with our
  own bounded zlib decoder: httpx decodes a whole network chunk at once, and
  64 KB of gzipped zeros inflates to 64 MB before any check could run;
* a redirect limit, followed by hand so the final URL is known;
* conditional GET (``If-None-Match`` / ``If-Modified-Since``) so an unchanged
  feed costs a 304 and no parsing.

What to *do* with a result (events, back-off) is decided purely in
:mod:`monitor.sources.poll`; this module never looks at the clock except to
measure and to turn a ``Retry-After`` date into seconds.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal

import httpx

from monitor import __version__

__all__ = ["FeedConfig", "FetchResult", "fetch", "make_client", "parse_retry_after"]

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# Only encodings we can decode with a bound (no brotli/zstd even if installed).
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FeedConfig:
    """One ``type = "feed"`` source from the config.

    ``timeout`` bounds connecting, ``read_timeout`` each wait for bytes, and
    ``total_timeout`` the whole exchange including the body (a slow trickle
    resets the per-read timeout forever otherwise).
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


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


def make_client() -> httpx.Client:
    """One client for every feed: a shared, thread-safe connection pool over HTTP/1.1.

    Redirects are off (``fetch`` follows them itself, counting); timeouts are
    set per request from each feed's config. Proxy variables from the
    environment are honoured, as operators expect.
    """
    return httpx.Client(
        http1=True,
        http2=False,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=32, keepalive_expiry=30),
        timeout=httpx.Timeout(10.0, read=20.0),
    )


def fetch(
    client: httpx.Client,
    feed: FeedConfig,
    *,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    """Conditionally GET ``feed.url``, within every limit of ``feed``; never raises for I/O."""
    start = time.monotonic()
    deadline = start + feed.total_timeout
    headers = {"User-Agent": feed.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(
        connect=feed.timeout, read=feed.read_timeout, write=feed.read_timeout, pool=feed.timeout
    )
    url = feed.url

    def failed(reason: str, status: int | None = None) -> FetchResult:
        elapsed = time.monotonic() - start
        return FetchResult(
            "error", None, status, etag, last_modified, error=reason, elapsed=elapsed, url=url
        )

    try:
        request = client.build_request("GET", url, headers=headers, timeout=timeout)
        for hop in range(feed.max_redirects + 1):
            url = str(request.url)
            response = client.send(request, stream=True, follow_redirects=False)
            try:
                if response.has_redirect_location and response.next_request is not None:
                    if hop == feed.max_redirects:
                        return failed(
                            f"too many redirects (more than {feed.max_redirects})",
                            response.status_code,
                        )
                    request = response.next_request
                    continue
                return _finish(response, feed, etag, last_modified, start, deadline)
            finally:
                response.close()
        raise AssertionError("unreachable")  # pragma: no cover
    except httpx.TimeoutException as exc:
        return failed(_timeout_reason(exc, feed))
    except _Deadline:
        return failed(f"took longer than {feed.total_timeout:g} s")
    except _TooLarge:
        return failed(f"response larger than {feed.max_bytes} bytes")
    except zlib.error as exc:
        return failed(f"cannot decompress the response: {_one_line(exc)}")
    except httpx.ConnectError as exc:
        return failed(f"cannot connect: {_one_line(exc)}")
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return failed(f"{type(exc).__name__}: {_one_line(exc)}")


def _finish(
    response: httpx.Response,
    feed: FeedConfig,
    etag: str | None,
    last_modified: str | None,
    start: float,
    deadline: float,
) -> FetchResult:
    status = response.status_code
    headers = {k.lower(): v for k, v in response.headers.items()}
    url = str(response.url)
    new_etag = headers.get("etag")
    new_modified = headers.get("last-modified")
    if status == 304:
        return FetchResult(
            "not_modified",
            None,
            status,
            new_etag or etag,
            new_modified or last_modified,
            headers,
            elapsed=time.monotonic() - start,
            url=url,
        )
    if status >= 300:
        return FetchResult(
            "error",
            None,
            status,
            etag,
            last_modified,
            headers,
            error=f"HTTP {status} {response.reason_phrase}".rstrip(),
            retry_after=parse_retry_after(headers.get("retry-after")),
            elapsed=time.monotonic() - start,
            url=url,
        )
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > feed.max_bytes:
        raise _TooLarge
    body = _read_bounded(response, headers.get("content-encoding", ""), feed.max_bytes, deadline)
    return FetchResult(
        "ok",
        body,
        status,
        new_etag,
        new_modified,
        headers,
        elapsed=time.monotonic() - start,
        url=url,
    )


def _read_bounded(response: httpx.Response, encoding: str, limit: int, deadline: float) -> bytes:
    """The decoded body, raising ``_TooLarge`` as soon as it would exceed ``limit`` bytes."""
    out = bytearray()
    received = 0
    for chunk in _decode(response.iter_raw(_CHUNK), encoding, limit):
        received += len(chunk)
        if received > limit:
            raise _TooLarge
        out += chunk
        if time.monotonic() > deadline:
            raise _Deadline
    return bytes(out)


def _decode(raw: Iterator[bytes], encoding: str, limit: int) -> Iterator[bytes]:
    """Undo ``Content-Encoding`` while never inflating more than ``limit + 1`` bytes."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        yield from raw
        return
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise httpx.DecodingError(f"unsupported Content-Encoding {encoding!r}")
    gzip = codings[0] != "deflate"
    z = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
    first = True
    total = 0
    for chunk in raw:
        data = chunk
        if first and not gzip and data:
            first = False
            try:  # "deflate" is zlib-wrapped by the RFC, raw deflate in practice too
                zlib.decompressobj().decompress(data[:64], 1)
            except zlib.error:
                z = zlib.decompressobj(-zlib.MAX_WBITS)
        while data and not z.eof:
            piece = z.decompress(data, limit - total + 1)
            total += len(piece)
            if total > limit:
                raise _TooLarge
            yield piece
            data = z.unconsumed_tail
    tail = z.flush()
    if total + len(tail) > limit:
        raise _TooLarge
    yield tail


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP-date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _timeout_reason(exc: httpx.TimeoutException, feed: FeedConfig) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connect timed out after {feed.timeout:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"read timed out after {feed.read_timeout:g} s"
    if isinstance(exc, httpx.PoolTimeout):
        return f"no free connection within {feed.timeout:g} s"
    return f"timed out: {_one_line(exc)}"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
