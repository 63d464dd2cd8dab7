"""A real local HTTP server serving feeds that tests change while it runs.

Tests of the feed source, the daemon end-to-end tests and ``bench/poll.py``
all need a server that behaves like the real web — conditional GET, gzip,
redirects, errors, hangs — without the network. A fake transport would test
our assumptions about HTTP; this tests the bytes on a socket.

Usage::

    with FeedServer() as server:
        server.set_feed("/news.xml", rss([Entry("Title", "https://x/1", "<p>Hi</p>", when)]))
        url = server.url("/news.xml")
        ...                                   # fetch it
        server.count("/news.xml")             # requests seen for that path
        server.requests("/news.xml")[-1].headers["if-none-match"]
        server.set_status("/news.xml", 429, headers={"Retry-After": "120"})
        server.set_hang("/news.xml", 5)       # sleep before answering
        server.set_trickle("/news.xml", 1.0)  # one byte a second, from the status line on
        server.redirect_chain("/r", "/news.xml", hops=3)
        server.set_raw("/bomb.xml", gzip_bomb(50_000_000), headers={"Content-Encoding": "gzip"})

Every response carries ``Content-Length`` (HTTP/1.1 keep-alive works). A path
with a feed gets a strong ``ETag`` (hash of the body) and a ``Last-Modified``
that changes whenever :meth:`FeedServer.set_feed` changes the body; a matching
``If-None-Match`` (or, without it, ``If-Modified-Since``) gets a 304.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal, NamedTuple, Self
from xml.sax.saxutils import escape

__all__ = [
    "HTML_PAGE",
    "Entry",
    "FeedServer",
    "Recorded",
    "atom",
    "gzip_bomb",
    "rss",
]

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Example News</title></head>"
    b"<body><h1>Example News</h1><p>Welcome to our home page.</p></body></html>"
)


class Entry(NamedTuple):
    """One feed entry; a plain ``(title, link, html, published)`` tuple works too."""

    title: str
    link: str
    html: str
    published: datetime | None = None
    id: str | None = None


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    time: float
    #: The client's ``(host, port)``: the same port twice means a reused connection.
    peer: tuple[str, int] | None = None


@dataclass
class _Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0
    redirect: str | None = None
    redirect_status: int = 302
    gzip: bool = False
    error_body: bytes = b""
    trickle: float = 0.0
    trickle_part: Literal["headers", "body"] = "headers"


class _QuietServer(ThreadingHTTPServer):
    """Clients that give up (timeouts, size limits) are expected here, not tracebacks."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FeedServer:
    """A ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a daemon thread.

    All setters are thread-safe and take effect on the next request. Paths
    are normalised to start with ``/``; the query string is ignored when
    routing but kept in :attr:`Recorded.path`.
    """

    def __init__(self, *, max_log: int = 10_000) -> None:
        """Start serving at once; the request log keeps the last ``max_log`` requests.

        The bound keeps a long soak (``bench/poll.py``) from measuring the
        test server's own memory; per-path counts are never dropped.
        """
        self._lock = threading.Lock()
        self._routes: dict[str, _Route] = {}
        self._log: deque[Recorded] = deque(maxlen=max_log)
        self._counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # close() waits for the loop's next poll: 10 ms keeps a test's teardown short
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    # -- addresses ----------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + _norm(path)

    # -- configuring routes ---------------------------------------------------

    def set_feed(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: bool = True,
        last_modified: bool = True,
        gzip: bool = False,
    ) -> None:
        """Serve ``body`` with 200 (clearing any status/hang/redirect set before).

        Validators change only when the body does, as on a real site: setting
        the same body again keeps its ``ETag`` and ``Last-Modified``.
        """
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            old = self._routes.get(_norm(path))
            route = _Route(body=data, content_type=content_type, gzip=gzip)
            if etag:
                route.etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
            if last_modified:
                route.last_modified = _next_modified(old, data)
            self._routes[_norm(path)] = route

    def set_html(self, path: str, html: bytes = HTML_PAGE) -> None:
        """Serve an HTML page where a feed was expected."""
        self.set_feed(path, html, content_type="text/html; charset=utf-8")

    def set_raw(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/xml",
    ) -> None:
        """Serve exactly these bytes and headers (e.g. a pre-compressed body), no validators."""
        with self._lock:
            self._routes[_norm(path)] = _Route(
                body=body, status=status, headers=dict(headers or {}), content_type=content_type
            )

    def set_status(
        self,
        path: str,
        status: int,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        """Answer ``status`` (e.g. 500, 503, 429 with ``{"Retry-After": "60"}``) until reset.

        The feed body set before is kept, so :meth:`clear_status` restores it.
        """
        with self._lock:
            route = self._routes.setdefault(_norm(path), _Route())
            route.status, route.headers, route.error_body = status, dict(headers or {}), body

    def clear_status(self, path: str) -> None:
        """Go back to serving the feed normally (undoes status, hang and trickle)."""
        with self._lock:
            route = self._routes.setdefault(_norm(path), _Route())
            route.status, route.headers, route.hang, route.trickle = 200, {}, 0.0, 0.0

    def set_hang(self, path: str, seconds: float) -> None:
        """Sleep ``seconds`` before sending anything (longer than the client's timeout)."""
        with self._lock:
            self._routes.setdefault(_norm(path), _Route()).hang = seconds

    def set_trickle(
        self, path: str, interval: float = 1.0, *, part: Literal["headers", "body"] = "headers"
    ) -> None:
        """Send the response one byte every ``interval`` seconds, as a hostile server does.

        ``part="headers"`` trickles from the first byte of the status line;
        ``part="body"`` sends the status line and headers at once, then the
        body byte by byte. Every byte arrives well within a client's per-read
        timeout, so only an overall deadline ends the exchange. The response
        is whatever the path would serve otherwise (its feed, status or
        redirect) and is the connection's last; :meth:`clear_status` or
        :meth:`set_feed` ends the trickle, :meth:`close` cuts it off.
        """
        with self._lock:
            route = self._routes.setdefault(_norm(path), _Route())
            route.trickle, route.trickle_part = interval, part

    def set_gzip(self, path: str, on: bool = True) -> None:
        """Gzip the body when the client accepts it."""
        with self._lock:
            self._routes.setdefault(_norm(path), _Route()).gzip = on

    def set_redirect(self, path: str, target: str, *, status: int = 302) -> None:
        """Redirect ``path`` to ``target`` (a path on this server or an absolute URL)."""
        with self._lock:
            self._routes[_norm(path)] = _Route(redirect=target, redirect_status=status)

    def redirect_chain(self, path: str, target: str, *, hops: int, status: int = 302) -> None:
        """``path`` → ``path/1`` → … → ``target``: exactly ``hops`` redirects."""
        names = [_norm(path)] + [f"{_norm(path)}/{i}" for i in range(1, hops)]
        for here, there in zip(names, [*names[1:], target], strict=True):
            self.set_redirect(here, there, status=status)

    # -- observing ----------------------------------------------------------

    def requests(self, path: str | None = None) -> list[Recorded]:
        """Requests seen so far, for one path (query ignored) or all."""
        with self._lock:
            log = list(self._log)
        if path is None:
            return log
        return [r for r in log if r.path.split("?", 1)[0] == _norm(path)]

    def count(self, path: str) -> int:
        """How many requests ``path`` has had (query ignored)."""
        with self._lock:
            return self._counts[_norm(path)]

    def reset_log(self) -> None:
        """Forget the requests and counts seen so far."""
        with self._lock:
            self._log.clear()
            self._counts.clear()

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Stop serving; hanging handlers are released at once."""
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- serving (called from handler threads) --------------------------------

    def _record(self, handler: BaseHTTPRequestHandler) -> _Route | None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            peer = (str(handler.client_address[0]), int(handler.client_address[1]))
            self._log.append(Recorded(handler.command, handler.path, headers, time.time(), peer))
            path = handler.path.split("?", 1)[0]
            self._counts[path] += 1
            route = self._routes.get(path)
            if route is None:
                return None
            # A snapshot, so a test changing the route mid-request cannot tear it.
            return replace(route, headers=dict(route.headers))

    def _respond(self, handler: BaseHTTPRequestHandler) -> None:
        route = self._record(handler)
        if route is None:
            _send(handler, 404, {"Content-Type": "text/plain"}, b"no such feed\n")
            return
        send: Callable[[BaseHTTPRequestHandler, int, Mapping[str, str], bytes], None] = _send
        if route.trickle:
            send = functools.partial(
                _trickle, interval=route.trickle, part=route.trickle_part, stop=self._stop
            )
        if route.hang and self._stop.wait(route.hang):
            return
        if route.redirect is not None:
            target = route.redirect
            location = target if "://" in target else self.url(target)
            send(handler, route.redirect_status, {"Location": location}, b"")
            return
        if route.status != 200:
            body = route.error_body or f"error {route.status}\n".encode()
            headers = {"Content-Type": "text/plain", **route.headers}
            send(handler, route.status, headers, body)
            return
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if _not_modified(handler, route):
            send(handler, 304, validators, b"")
            return
        headers = {"Content-Type": route.content_type, **validators, **route.headers}
        body = route.body
        if route.gzip and "gzip" in handler.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        send(handler, 200, headers, body)


def _not_modified(handler: BaseHTTPRequestHandler, route: _Route) -> bool:
    inm = handler.headers.get("If-None-Match")
    if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return route.etag is not None and (route.etag in tags or "*" in tags)
    ims = handler.headers.get("If-Modified-Since")
    if ims and route.last_modified:
        try:
            return parsedate_to_datetime(route.last_modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def _send(
    handler: BaseHTTPRequestHandler, status: int, headers: Mapping[str, str], body: bytes
) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    if status != 304:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body and status != 304 and handler.command != "HEAD":
        handler.wfile.write(body)


def _trickle(
    handler: BaseHTTPRequestHandler,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    interval: float,
    part: Literal["headers", "body"],
    stop: threading.Event,
) -> None:
    """The bytes :func:`_send` would write, but one every ``interval`` seconds.

    Written by hand rather than through ``send_response`` so that even the
    status line can be cut into single bytes. The connection is closed
    afterwards (or as soon as the server stops), so a client never waits on
    a half-sent response of a stopped server.
    """
    handler.close_connection = True
    reason = handler.responses.get(status, ("",))[0]
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
    if status != 304:
        lines.append(f"Content-Length: {len(body)}")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    prompt = len(data) if part == "body" else 0
    if body and status != 304 and handler.command != "HEAD":
        data += body
    handler.wfile.write(data[:prompt])
    for i in range(prompt, len(data)):
        handler.wfile.write(data[i : i + 1])
        if stop.wait(interval):
            return


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "feedserver/1"

        def do_GET(self) -> None:
            # The client may give up (timeout, size limit): that is the point.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                server._respond(self)

        do_HEAD = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean; the request log is in server.requests()

    return Handler


def _next_modified(old: _Route | None, data: bytes) -> str:
    """Unchanged body: the old date. Changed: now, but always later than before.

    HTTP dates have one-second resolution; a test that changes a feed twice
    within a second must still see ``If-Modified-Since`` fail.
    """
    if old is not None and old.last_modified:
        if old.body == data:
            return old.last_modified
        before = parsedate_to_datetime(old.last_modified)
    else:
        before = datetime.min.replace(tzinfo=UTC)
    now = datetime.now(UTC).replace(microsecond=0)
    return format_datetime(max(now, before + timedelta(seconds=1)), usegmt=True)


def _norm(path: str) -> str:
    return path if path.startswith("/") else "/" + path


# -- building feeds -------------------------------------------------------------


def _entries(entries: Iterable[Entry | tuple[object, ...]]) -> list[Entry]:
    return [e if isinstance(e, Entry) else Entry(*e) for e in entries]  # type: ignore[arg-type]


def rss(
    entries: Iterable[Entry | tuple[object, ...]],
    *,
    title: str = "Test feed",
    link: str = "https://news.example.org/",
) -> bytes:
    """RSS 2.0 bytes; each entry's HTML goes into ``<description>`` (escaped)."""
    items = []
    for e in _entries(entries):
        parts = [
            f"<title>{escape(e.title)}</title>",
            f"<link>{escape(e.link)}</link>",
            f'<guid isPermaLink="false">{escape(e.id or e.link)}</guid>',
            f"<description>{escape(e.html)}</description>",
        ]
        if e.published is not None:
            parts.append(f"<pubDate>{format_datetime(e.published, usegmt=True)}</pubDate>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(title)}</description>" + "\n".join(items) + "</channel></rss>\n"
    ).encode()


def atom(
    entries: Iterable[Entry | tuple[object, ...]],
    *,
    title: str = "Test feed",
    link: str = "https://news.example.org/",
) -> bytes:
    """Atom 1.0 bytes; each entry's HTML goes into ``<content type="html">``."""
    items = []
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for e in _entries(entries):
        when = e.published.isoformat(timespec="seconds") if e.published else now
        items.append(
            "<entry>"
            f"<title>{escape(e.title)}</title>"
            f'<link rel="alternate" href="{escape(e.link, {chr(34): "&quot;"})}"/>'
            f"<id>{escape(e.id or e.link)}</id>"
            f"<updated>{when}</updated>"
            + (f"<published>{when}</published>" if e.published else "")
            + f'<content type="html">{escape(e.html)}</content>'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{escape(link)}</id><updated>{now}</updated>"
        f'<link rel="alternate" href="{escape(link)}"/>' + "\n".join(items) + "</feed>\n"
    ).encode()


def gzip_bomb(size: int) -> bytes:
    """A gzip stream of ``size`` zero bytes (about ``size / 1000`` bytes on the wire)."""
    z = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * (1 << 20)
    parts = []
    for _ in range(size // len(block)):
        parts.append(z.compress(block))
    parts.append(z.compress(b"\0" * (size % len(block))))
    parts.append(z.flush())
    return b"".join(parts)
