"""The Starlette application: status pages, ``/api/*``, ``/metrics``, ``/healthz``.

Read-only by construction: every route is GET (and HEAD, which Starlette
adds), so any other method is a 405 before our code runs, and the handlers
are given a :class:`~monitor.front.web.context.WebContext` that holds no way to
append, retry or reload. Pages are rendered on the server from Jinja2
templates with autoescaping on for every template: titles, evidence and
errors come from feeds and remote servers and are always text, never markup;
links are only ever http(s) (:func:`~monitor.notify.templates.safe_link`, the rule
notifications follow too). A strict
Content-Security-Policy (no scripts at all) backs that up.

Handlers that read the store are plain functions, which Starlette runs in
its thread pool, so a slow query never stalls the event loop. ``/healthz``
is a coroutine that touches no database: it answers even when every pool
thread waits on a locked store — the answer a load balancer needs then.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any

import jinja2
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor import __version__
from monitor.errors import MonitorError
from monitor.front.web import views
from monitor.front.web.context import WebContext
from monitor.front.web.metrics import registry_for

__all__ = ["create_app"]

log = logging.getLogger("monitor.front.web")

#: Sent with every response. No script runs on these pages, and none may.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # following an article link must not reveal this page
    "cache-control": "no-store",  # live state: a cached copy is a wrong copy
}
MAX_LIMIT = 500
#: The longest rule id a filter accepts (a watchlist's ids are short names).
MAX_RULE_ID = 200
#: The highest log position an alert page looks up (PostgreSQL's ``integer``).
MAX_SEQ = 2**31 - 1
#: Requests that read the store at once; the others wait for a turn (the page's real
#: capacity is the store's, not the number of connections).
READERS = 8
#: How long a request waits for its turn before it is shed with a 503.
QUEUE_WAIT_S = 10.0
#: Requests waiting at most; one more is shed at once (memory stays bounded).
QUEUE_MAX = 2000
#: Paths that never wait: the daemon's health and the stylesheet read no store.
UNQUEUED = frozenset({"/healthz", "/static/style.css"})


class ShedLoad:
    """Pure ASGI middleware: at most :data:`READERS` store-reading requests at once.

    The others queue for up to :data:`QUEUE_WAIT_S` and are answered in turn;
    only a request that cannot get a turn by then (or finds :data:`QUEUE_MAX`
    waiting) gets a 503 with ``Retry-After``. Shed requests are counted and
    logged once a minute, not once each. ``/healthz`` never waits: it says
    how the daemon is, whatever the page's load.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._turns: asyncio.Semaphore | None = None  # made on the server's own loop
        self._waiting = 0
        self._shed = 0
        self._reported = time.monotonic()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNQUEUED:
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(READERS)
        if self._waiting >= QUEUE_MAX:
            await self._refuse(scope, receive, send)
            return
        self._waiting += 1
        try:
            await asyncio.wait_for(self._turns.acquire(), QUEUE_WAIT_S)
        except TimeoutError:
            await self._refuse(scope, receive, send)
            return
        finally:
            self._waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._turns.release()

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._shed += 1
        now = time.monotonic()
        if now - self._reported >= 60:
            log.warning("web: %d request(s) shed in the last minute (busy)", self._shed)
            self._shed, self._reported = 0, now
        response = PlainTextResponse(
            "503: busy, try again shortly\n", status_code=503, headers={"retry-after": "1"}
        )
        await response(scope, receive, send)


class SecurityHeaders:
    """Pure ASGI middleware adding :data:`SECURITY_HEADERS` (kept if a route set its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _environment() -> jinja2.Environment:
    """Templates from the package; every one autoescaped, undefined names an error."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor.front.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(context: WebContext) -> Starlette:
    """The application over ``context``; one per daemon (or test)."""
    registry = registry_for(context)
    templates = Jinja2Templates(env=_environment())
    stylesheet = resources.files("monitor.front.web").joinpath("static/style.css").read_bytes()

    def health() -> dict[str, Any]:
        if context.health is None:
            return {"healthy": False, "reason": "no daemon to check: the app runs without one"}
        return dict(context.health())

    def page(request: Request, name: str, **values: Any) -> Response:
        common = {
            "root": "",  # what relative links start with: "../" one level down
            "version": __version__,
            "now": views.iso(context.app.now()),
            "health": health(),
        }
        return templates.TemplateResponse(request, name, {**common, **values})

    def index(request: Request) -> Response:
        app = context.app
        return page(
            request,
            "index.html",
            log=views.log_state(app),
            sources=views.sources(app, context.config()),
            rules=views.rules(app, context.watchlists()),
            alerts=views.alerts(app, views.AlertFilter(limit=10)),
            charts=views.charts(views.activity(app)),
        )

    def alerts_page(request: Request) -> Response:
        where = _alert_filter(request)
        records = views.alerts(context.app, where)
        known = [r["rule"] for r in views.rules(context.app, context.watchlists())]
        return page(
            request,
            "alerts.html",
            alerts=records,
            where=where,
            rules=known,
            query=str(request.query_params),
        )

    def api_alerts(request: Request) -> Response:
        return JSONResponse({"alerts": views.alerts(context.app, _alert_filter(request))})

    def _trail(request: Request) -> dict[str, Any]:
        seq = request.path_params["seq"]
        # a position the log cannot hold is not looked up: the read models' columns
        # are 32-bit on PostgreSQL, and a 50-digit number would overflow SQLite's
        found = (
            None
            if not 1 <= seq <= MAX_SEQ
            else views.trail(context.app, seq, context.config().notify.max_attempts)
        )
        if found is None:
            raise HTTPException(404, f"no alert or outcome at position {seq} of the log")
        return found

    def alert_page(request: Request) -> Response:
        return page(request, "alert.html", story=_trail(request), root="../")

    def api_alert(request: Request) -> Response:
        return JSONResponse(_trail(request))

    def api_activity(request: Request) -> Response:
        return JSONResponse(views.activity(context.app))

    def api_sources(request: Request) -> Response:
        return JSONResponse({"sources": views.sources(context.app, context.config())})

    def api_rules(request: Request) -> Response:
        return JSONResponse({"rules": views.rules(context.app, context.watchlists())})

    def api_log(request: Request) -> Response:
        return JSONResponse(views.log_state(context.app))

    def metrics(request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    async def healthz(request: Request) -> Response:
        report = health()
        return JSONResponse(report, status_code=200 if report.get("healthy") else 503)

    async def style(request: Request) -> Response:
        return Response(stylesheet, media_type="text/css")

    routes = [
        Route("/", index, name="index"),
        Route("/alerts", alerts_page, name="alerts"),
        Route("/alerts/{seq:int}", alert_page, name="alert"),
        Route("/api/alerts", api_alerts),
        Route("/api/alerts/{seq:int}", api_alert),
        Route("/api/activity", api_activity),
        Route("/api/sources", api_sources),
        Route("/api/rules", api_rules),
        Route("/api/log", api_log),
        Route("/metrics", metrics),
        Route("/healthz", healthz),
        Route("/static/style.css", style, name="style"),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), Middleware(ShedLoad)],
        exception_handlers={
            MonitorError: _store_unavailable,
            HTTPException: _http_error,
        },
    )


def _alert_filter(request: Request) -> views.AlertFilter:
    """The alert list's query parameters, each checked (a 400 names the one that is wrong).

    ``limit`` (1-500, default 50); ``outcome`` (``raised``, the default,
    ``suppressed`` or ``all``; ``all=1`` is the older spelling of
    ``outcome=all``); ``rule`` (one rule's id); ``since`` and ``until``
    (UTC days, ``YYYY-MM-DD``, both included).
    """
    query = request.query_params
    text = query.get("limit", "50")
    # ASCII digits only, and few of them: "²" is a digit to str.isdigit, and int() of
    # thousands of digits raises
    if not (text.isascii() and text.isdigit() and len(text) <= 4) or not (
        1 <= int(text) <= MAX_LIMIT
    ):
        raise HTTPException(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    flag = query.get("all", "0").lower()
    if flag not in ("0", "1", "true", "false", "yes", "no", ""):
        raise HTTPException(400, "all must be 1 or 0")
    outcome = query.get("outcome") or ("all" if flag in ("1", "true", "yes") else "raised")
    if outcome not in ("raised", "suppressed", "all"):
        raise HTTPException(400, "outcome must be raised, suppressed or all")
    rule = query.get("rule") or None
    if rule is not None and (len(rule) > MAX_RULE_ID or not rule.isprintable()):
        raise HTTPException(400, f"rule must be a rule's id (at most {MAX_RULE_ID} characters)")
    since, until = _day(query, "since"), _day(query, "until")
    if since and until and since > until:
        raise HTTPException(400, f"since ({since}) is after until ({until})")
    if until == date.max:
        until = None  # the last day there is: no bound (the day after it has no date)
    return views.AlertFilter(
        limit=int(text),
        outcome=None if outcome == "all" else outcome,
        rule=rule,
        since=since,
        until=until,
    )


def _day(query: Mapping[str, str], name: str) -> date | None:
    text = query.get(name) or ""
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"{name} must be a day, YYYY-MM-DD") from None


async def _store_unavailable(request: Request, exc: Exception) -> Response:
    """The store could not be read (locked past its timeout, unreachable): 503, as text."""
    return _error(request, 503, f"the store cannot be read: {exc}")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(request, exc.status_code, exc.detail, exc.headers)


def _error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return PlainTextResponse(f"{status}: {message}\n", status_code=status, headers=headers)
