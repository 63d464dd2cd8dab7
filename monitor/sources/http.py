"""Fetching a feed over HTTP(S): the thin I/O half of the feed source.

Everything a misbehaving server can do to a long-running daemon is bounded
here, and turned into a :class:`FetchResult` value instead of an exception:

* connect and read timeouts (``httpx.Timeout``) plus one wall-clock deadline
  over the whole fetch (connect, TLS, headers, body, every redirect). httpx's
  timeouts are per operation, so a server that trickles one byte a second
  resets them forever; the deadline is enforced inside the socket calls
  themselves (:class:`_DeadlineBackend`), not between chunks, so trickled
  headers are cut off as surely as a trickled body;
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

import math
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpcore
import httpx

from monitor.clock import utc_now
from monitor.sources.feed import FeedConfig, FetchResult

__all__ = ["FeedConfig", "FetchResult", "fetch", "make_client", "parse_retry_after"]

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# Only encodings we can decode with a bound (no brotli/zstd even if installed).
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024
#: RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2**31.
_MAX_DELTA_SECONDS = 2**31
_T = TypeVar("_T")


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


# -- the wall-clock deadline ------------------------------------------------------


class _Budget:
    """When the current fetch must end, and whether that end is what stopped it.

    ``spent`` tells a timeout caused by the deadline ("took longer than 30 s")
    from an ordinary per-read timeout, without guessing from the clock.
    """

    __slots__ = ("at", "spent")

    def __init__(self, at: float) -> None:
        self.at = at
        self.spent = False


#: The deadline of the fetch running in this thread (``None`` outside ``fetch``).
#: A context variable, because the pool's connections are shared by every
#: worker thread while each fetch has its own deadline.
_BUDGET: ContextVar[_Budget | None] = ContextVar("monitor_fetch_budget", default=None)


def _within(
    call: Callable[[float | None], _T], timeout: float | None, error: type[Exception]
) -> _T:
    """``call(timeout)``, the timeout cut to what is left of the current fetch's deadline.

    Raises ``error`` (the httpcore timeout that operation would raise) at once
    when the deadline has passed, and marks the budget spent when the cut
    timeout is the one that ran out.
    """
    budget = _BUDGET.get()
    if budget is None:
        return call(timeout)
    left = budget.at - time.monotonic()
    if left <= 0:
        budget.spent = True
        raise error("the fetch deadline has passed")
    if timeout is not None and timeout <= left:
        return call(timeout)
    try:
        return call(left)
    except error:
        budget.spent = True
        raise


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _within(lambda t: self._inner.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _within(lambda t: self._inner.write(buffer, t), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = _within(
            lambda t: self._inner.start_tls(ssl_context, server_hostname, t),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with every connection bounded by the fetch's deadline.

    Not bounded: name resolution (``getaddrinfo`` has no timeout; the system
    resolver's own apply) and ``socket.create_connection`` trying each
    resolved address with the same timeout.
    """

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        stream = _within(
            lambda t: self._inner.connect_tcp(host, port, t, local_address, socket_options),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        stream = _within(
            lambda t: self._inner.connect_unix_socket(path, t, socket_options),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _install_deadline(client: httpx.Client) -> None:
    """Make every connection ``client`` opens go through :class:`_DeadlineBackend`.

    httpx 0.28 has no public way to hand its transports a network backend
    (``HTTPTransport`` builds its httpcore pool itself, and passing our own
    transport would turn off the proxies taken from the environment), so this
    one function reaches into private attributes: the client's default
    transport (``_transport``) and the proxy transports it built from
    ``HTTP(S)_PROXY``/``ALL_PROXY`` (``_mounts``); the httpcore pool of each
    (``_pool``: a ``ConnectionPool``, ``HTTPProxy`` or ``SOCKSProxy``) opens
    every connection, proxied or tunnelled, through its ``_network_backend``.
    Checked against httpx 0.28.1 / httpcore 1.0.9. Should a release move
    them, this raises and the daemon refuses to start, rather than fetching
    without a deadline.
    """
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        if transport is None:  # a proxy-bypass mount: uses the default transport
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, _DeadlineBackend):
            continue
        if not isinstance(backend, httpcore.NetworkBackend):
            raise RuntimeError(
                f"cannot bound fetches with a deadline: {type(transport).__name__} has no "
                "httpcore network backend where httpx 0.28 keeps it (httpx upgraded?)"
            )
        pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]


def make_client() -> httpx.Client:
    """One client for every feed: a shared, thread-safe connection pool over HTTP/1.1.

    Redirects are off (``fetch`` follows them itself, counting); timeouts are
    set per request from each feed's config, and every connection honours the
    deadline of the fetch using it (see :func:`_install_deadline`). Proxy
    variables from the environment are honoured, as operators expect, and
    their connections are bounded the same way.
    """
    client = httpx.Client(
        http1=True,
        http2=False,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=32, keepalive_expiry=30),
        timeout=httpx.Timeout(10.0, read=20.0),
    )
    try:
        _install_deadline(client)
    except BaseException:
        client.close()
        raise
    return client


def fetch(
    client: httpx.Client,
    feed: FeedConfig,
    *,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    """Conditionally GET ``feed.url``, within every limit of ``feed``; never raises for I/O.

    ``feed.total_timeout`` bounds the whole call, redirects included, on a
    client from :func:`make_client`: every socket operation's timeout is cut
    to the time left, so a fetch ends within the deadline plus scheduling
    noise however the server paces its bytes.
    """
    start = time.monotonic()
    deadline = start + feed.total_timeout
    budget = _Budget(deadline)
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

    too_slow = f"took longer than {feed.total_timeout:g} s"
    token = _BUDGET.set(budget)
    try:
        request = client.build_request("GET", url, headers=headers, timeout=timeout)
        for hop in range(feed.max_redirects + 1):
            url = str(request.url)
            _bound_pool_wait(request, feed, deadline)
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
        if budget.spent or time.monotonic() >= deadline:
            return failed(too_slow)
        return failed(_timeout_reason(exc, feed))
    except _Deadline:
        return failed(too_slow)
    except _TooLarge:
        return failed(f"response larger than {feed.max_bytes} bytes")
    except zlib.error as exc:
        return failed(f"cannot decompress the response: {_one_line(exc)}")
    except httpx.ConnectError as exc:
        return failed(f"cannot connect: {_one_line(exc)}")
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return failed(f"{type(exc).__name__}: {_one_line(exc)}")
    finally:
        _BUDGET.reset(token)


def _bound_pool_wait(request: httpx.Request, feed: FeedConfig, deadline: float) -> None:
    """Cut the wait for a free pooled connection to the time left.

    The socket calls cut their own timeouts (:func:`_within`); waiting for the
    pool is the one wait of a fetch that happens outside them.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Deadline
    # A new dict: a redirect's request shares its extensions with the one before.
    request.extensions["timeout"] = {
        **request.extensions.get("timeout", {}),
        "pool": min(feed.timeout, left),
    }


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
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP-date).

    Always a finite number of seconds ≥ 0, or ``None`` for anything that is
    neither form: only ASCII digits are delta-seconds (``str.isdigit`` also
    accepts "²", which ``float`` refuses), so signs, fractions, exponents,
    NaN and infinity are ignored. A number too large for anyone to mean is
    taken as 2**31 s, as RFC 9111 tells caches to: twenty digits are legal
    HTTP, yet no ``timedelta`` can hold them. The caller still caps the wait
    (``monitor.sources.poll.MAX_RETRY_AFTER``).
    """
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        digits = text.lstrip("0") or "0"
        if len(digits) > len(str(_MAX_DELTA_SECONDS)):  # before int(): 5,000 digits are refused
            return float(_MAX_DELTA_SECONDS)
        return float(min(int(digits), _MAX_DELTA_SECONDS))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or utc_now())).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


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
