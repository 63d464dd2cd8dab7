"""Running the web app under uvicorn in a thread of the daemon.

* **The socket is bound here, before uvicorn starts**, so a taken or
  forbidden address is a :class:`~monitor.errors.ConfigError` naming
  ``web.listen`` and the address, raised from :meth:`WebServer.start` in the
  daemon's start-up — not a log line from a thread and a daemon that runs
  on without its page (uvicorn's own bind failure calls ``sys.exit``).
* **Signals stay the daemon's**: uvicorn installs its handlers only on the
  main thread, and this one is not; SIGTERM reaches :class:`Daemon` as before.
* **Stopping is bounded**: :meth:`stop` asks uvicorn to exit (it closes the
  listener and idle keep-alive connections at once), gives requests in
  flight until the daemon's deadline, then forces the exit. The thread is a
  daemon thread, and one still alive after that is reported to the caller,
  which then exits the process hard rather than wait on it.
* **uvicorn leaves logging alone** (``log_config=None``): its messages go to
  the daemon's handlers; the access log is off, since Prometheus scraping
  every 15 s would fill the journal with nothing.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

import uvicorn

from monitor.config import WebConfig
from monitor.daemon import Daemon
from monitor.errors import ConfigError
from monitor.front.web.app import create_app
from monitor.front.web.context import WebContext

__all__ = ["WebServer", "start_web"]

log = logging.getLogger("monitor.front.web")

#: Open connections at most (uvicorn answers more with a 503): below a systemd service's
#: default of 1,024 file descriptors. How many requests read the store at once, and how
#: long the others queue, is the app's (:class:`~monitor.front.web.app.ShedLoad`).
CONCURRENCY = 768


class _OncePerMinute(logging.Filter):
    """uvicorn's "Exceeded concurrency limit." (one line per refused connection), summed
    up once a minute: a burst of clients must not flood the journal."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.since = time.monotonic()

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Exceeded concurrency limit"):
            return True
        self.count += 1
        now = time.monotonic()
        if now - self.since < 60:
            return False
        record.msg, record.args = (
            "web: %d connection(s) over the limit of %d refused",
            (
                self.count,
                CONCURRENCY,
            ),
        )
        self.count, self.since = 0, now
        return True


_CONNECTIONS_REFUSED = _OncePerMinute()
logging.getLogger("uvicorn.error").addFilter(_CONNECTIONS_REFUSED)


class WebServer:
    """One uvicorn server on one bound socket, in a thread named ``web``."""

    def __init__(self, context: WebContext, config: WebConfig, *, path: Path | None = None):
        self.context = context
        self.config = config
        self.path = path  # the config file, named in a bind error
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def url(self) -> str:
        """``http://host:port/`` as bound (the real port when ``listen`` asked for 0)."""
        assert self._sock is not None, "not started"
        host, port = self._sock.getsockname()[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def start(self, timeout: float = 10.0) -> None:
        """Bind, then serve in a thread; returns once uvicorn accepts connections.

        Raises ``ConfigError`` (key ``web.listen``) when the address cannot be
        bound or the server does not come up within ``timeout``.
        """
        self._sock = self._bind()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(self.context),
                lifespan="off",
                log_config=None,
                access_log=False,
                loop="asyncio",
                http="h11",
                server_header=False,
                limit_concurrency=CONCURRENCY,
                timeout_graceful_shutdown=1,
            )
        )
        self._server = server
        self._thread = threading.Thread(target=self._run, name="web", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop(1.0)
                why = repr(self._failure) if self._failure else f"not up within {timeout:g} s"
                raise self._error(f"the web server did not start: {why}")
            time.sleep(0.02)
        log.info("web page and API on %s (read-only)", self.url)

    def _bind(self) -> socket.socket:
        host, port = self.config.host, self.config.port
        try:
            family, kind, proto, _, address = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )[0]
            sock = socket.socket(family, kind, proto)
        except OSError as exc:
            raise self._error(f"cannot resolve {self.config.listen}: {_reason(exc)}") from exc
        try:
            # a restart may rebind while the old process's connections sit in TIME_WAIT;
            # a second listener on the same port is still refused
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise self._error(f"cannot listen on {self.config.listen}: {_reason(exc)}") from exc
        if not _loopback(host):
            log.warning(
                "web page on %s is reachable from other hosts and has no authentication",
                self.config.listen,
            )
        return sock

    def _run(self) -> None:
        assert self._server is not None and self._sock is not None
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as exc:  # SystemExit included: uvicorn exits that way
            self._failure = exc
            log.error("the web server stopped: %r", exc)

    def begin_stop(self) -> None:
        """Ask uvicorn to stop: the listener closes within 0.1 s; returns at once."""
        if self._server is not None:
            self._server.should_exit = True

    def stop(self, timeout: float) -> bool:
        """Stop serving within ``timeout`` seconds; True when the thread has ended."""
        self.begin_stop()
        thread = self._thread
        if thread is None:
            if self._sock is not None:
                self._sock.close()
            return True
        thread.join(max(0.0, timeout - 0.5))
        if thread.is_alive() and self._server is not None:
            self._server.force_exit = True  # stop waiting for requests in flight
            thread.join(0.5)
        if thread.is_alive():
            log.warning("the web server did not stop within %.1f s; leaving it", timeout)
            return False
        return True

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _error(self, message: str) -> ConfigError:
        return ConfigError(message, path=self.path, key="web.listen")


def start_web(context: WebContext, config: WebConfig, *, path: Path | None = None) -> WebServer:
    """Build, bind and start the server (``Daemon.start`` calls this when ``[web]`` is on)."""
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)  # "Started server process …"
    server = WebServer(context, config, path=path)
    server.start()
    return server


def serve(daemon: Daemon) -> WebServer:
    """The page over a running daemon's store, config and health (``Daemon(web=serve)``)."""
    context = WebContext(
        events=daemon.events,
        config=lambda: daemon.runtime.config,  # a reload is seen at the next request
        watchlists=lambda: daemon.runtime.watchlists,
        health=daemon.health,
        polls=daemon.poll_counts,
    )
    return start_web(context, daemon.runtime.config.web, path=daemon.runtime.config.path)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
