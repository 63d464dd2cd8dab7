"""Notification channels: named apprise URLs from the config, and the console.

A channel is one apprise service (``mailto://…``, ``slack://…``, anything
apprise knows) under the name watchlists route to with ``notify:``. One URL
per channel, on purpose: the outbox records each notification's outcome per
channel, so a channel that fanned out to two services could half-succeed
and then be retried — sending the successful half twice. Define two channels
instead.

Each channel sends the rendering that suits its service's native format:
HTML email gets ``body.html`` (apprise derives the text/plain part), Slack
gets ``slack.md`` (CommonMark, which apprise converts to Slack mrkdwn), and
text-only services get ``body.txt``. The subject is the title everywhere.

Secrets: channel URLs carry passwords and tokens. They are validated at load
so a typo fails at start-up, and every URL or message we log or record goes
through :func:`mask` / :meth:`Channel.scrub` first (the rules live in
:mod:`monitor.secrets`, shared with the store's URLs). apprise's own logger is
kept at INFO or above because its DEBUG output includes webhook tokens.
"""

from __future__ import annotations

import logging
import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import apprise
from apprise.utils.parse import parse_urls
from rich.console import Console
from rich.text import Text

from monitor.errors import ConfigError
from monitor.notify.templates import Rendered
from monitor.secrets import mask_url as mask
from monitor.secrets import scrub, secrets_of

__all__ = [
    "AppriseChannel",
    "Channel",
    "ConsoleChannel",
    "DeliveryResult",
    "build_channels",
    "mask",
    "delivery_cause",
    "quiet_apprise",
    "secrets_of",
]

log = logging.getLogger(__name__)

CONSOLE = "console"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class _Forward(logging.Handler):
    """apprise's INFO-and-above records, handed on to the root logger's handlers."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger().handle(record)


def quiet_apprise() -> None:
    """apprise's DEBUG lines include tokens, yet hold the cause of a failed send (the
    socket's exception, the server's reply). So the ``apprise`` logger records DEBUG, but
    keeps it to its own handlers — the per-send capture :meth:`AppriseChannel.send`
    reads — and hands only INFO and above on to the process's handlers."""
    logger = logging.getLogger("apprise")
    if not any(isinstance(h, _Forward) for h in logger.handlers):
        logger.addHandler(_Forward())
    logger.propagate = False
    logger.setLevel(logging.DEBUG)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """The outcome of one send; ``detail`` is safe to log and to record in the log."""

    ok: bool
    detail: str


class Channel(ABC):
    """Somewhere a rendered alert can be sent; ``target`` is a masked description."""

    name: str
    target: str

    @abstractmethod
    def send(self, rendered: Rendered) -> DeliveryResult:
        """Deliver one alert; report failure in the result rather than raising."""

    def scrub(self, text: str) -> str:
        """``text`` with this channel's secrets removed (exception messages, logs)."""
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.target!r})"


class AppriseChannel(Channel):
    """One apprise service, validated when constructed."""

    def __init__(
        self,
        name: str,
        url: str,
        *,
        min_interval: float | None = None,
    ) -> None:
        quiet_apprise()
        self.name = name
        self._secrets = secrets_of(url)
        self.target = mask(url)
        key = f"channels.{name}"
        urls = parse_urls(url)
        if len(urls) != 1:
            raise ConfigError(
                f"expected exactly one apprise URL, got {len(urls)} ({self.target}); "
                "define one channel per URL",
                key=key,
            )
        # No apprise deadline (service_timeout=0, and none per call below): with one,
        # apprise runs the send on its one process-wide pool, where sends stuck on
        # one slow service take the workers every other channel needs. The send runs
        # on a thread of the outbox's own, which abandons it after its send_timeout.
        asset = apprise.AppriseAsset(
            app_id="monitor", app_desc="news monitor", storage_mode="memory", service_timeout=0
        )
        try:
            service = apprise.Apprise.instantiate(urls[0], asset=asset, suppress_exceptions=False)
        except Exception as exc:  # the plugin's own reason: missing sender, bad token…
            reason = self.scrub(str(exc))
            raise ConfigError(
                f"not a valid apprise URL: {self.target}: {reason}", key=key
            ) from None
        if service is None:
            raise ConfigError(f"not a valid apprise URL: {self.target}", key=key)
        fmt = service.resolve_format()
        self.format = str(getattr(fmt, "value", fmt))
        if min_interval is not None:
            # apprise spaces requests to one service 5.5 s apart (Slack: 1.2 s)
            # to respect rate limits; a local relay or a test can lift that.
            service.request_rate_per_sec = min_interval
        self._apprise = apprise.Apprise(asset=asset)
        if not self._apprise.add(service):
            raise ConfigError(f"apprise refused the URL: {self.target}", key=key)

    def scrub(self, text: str) -> str:
        return scrub(text, self._secrets)

    def send(self, rendered: Rendered) -> DeliveryResult:
        if self.format == "html":
            body, body_format = rendered.html, "html"
        elif self.format == "markdown":
            body, body_format = rendered.slack, "markdown"
        else:
            body, body_format = rendered.text, "text"
        # DEBUG: the cause (the socket's error, the server's reply) is logged at DEBUG only
        result = self._apprise.notify(
            body=body,
            title=rendered.subject,
            body_format=body_format,
            log_level=logging.DEBUG,
        )
        with result:
            services = list(result)
            ok = bool(result) and bool(services) and all(services)
            logged = [(e.level, e.message) for e in result.logs()]
            status = result.status.name.lower()
        if ok:
            return DeliveryResult(True, f"{self.name}: delivered ({self.format})")
        problems = [m for level, m in logged if level not in ("DEBUG", "INFO")]
        reason = "; ".join(dict.fromkeys(problems)) or status
        cause = delivery_cause(problems, [m for level, m in logged if level == "DEBUG"])
        text = f"{self.name}: {status}: {reason}" + (f" — {cause}" if cause else "")
        return DeliveryResult(False, self.scrub(text))


#: What a failure was, from the words of its cause: the first that matches names it.
_CAUSES = (
    (re.compile(r"refused|Errno 111|ECONNREFUSED", re.I), "connection refused"),
    (re.compile(r"timed? ?out|timeout", re.I), "timed out"),
    (re.compile(r"\b53[45]\b|authenticat|credentials|AUTH\b", re.I), "authentication refused"),
    (re.compile(r"SSL|TLS|certificate", re.I), "TLS failed"),
    (re.compile(r"Name or service not known|getaddrinfo|resolv", re.I), "host not found"),
)
#: How much of a server's reply a failure keeps.
REPLY_CHARS = 200


def delivery_cause(problems: list[str], details: list[str]) -> str:
    """Why a send failed, in words an operator acts on: "connection refused ([Errno 111]
    …)", "authentication refused ((535, …))", "TLS failed (…)", "timed out", "HTTP 503:
    {"error": …}" — from apprise's warnings and the details it logs at DEBUG only (the
    socket's exception, the server's reply). "" when it said nothing more."""
    socket = [d.split(":", 1)[1].strip() for d in details if d.startswith("Socket Exception:")]
    replies = [d.split(":", 1)[1].strip() for d in details if d.startswith("Response Details:")]
    said = " ".join(problems + socket)
    http = re.search(r"error=(\d{3})\b", said)
    if http:
        reply = replies[0] if replies else ""
        if reply.startswith(("b'", 'b"')) and reply[-1:] in ("'", '"'):
            reply = reply[2:-1]  # apprise logs the body as bytes
        reply = " ".join(reply.split())[:REPLY_CHARS]
        return f"HTTP {http.group(1)}" + (f": {reply}" if reply else "")
    detail = "; ".join(dict.fromkeys(socket))
    for pattern, kind in _CAUSES:
        if pattern.search(detail or said):
            return f"{kind} ({detail})" if detail else kind
    return detail


class ConsoleChannel(Channel):
    """Prints the text rendering: the embedded default when no channel is configured.

    ``fallback`` marks the console that stands in for "nothing configured",
    which every watchlist's routes then lead to.
    """

    def __init__(
        self, name: str = CONSOLE, *, file: IO[str] | None = None, fallback: bool = False
    ) -> None:
        self.name = name
        self.target = "console://"
        self.file = file
        self.fallback = fallback

    def send(self, rendered: Rendered) -> DeliveryResult:
        # A Console per send: stdout may have been swapped since start-up.
        console = Console(file=self.file or sys.stdout, highlight=False, soft_wrap=True)
        console.rule()
        console.print(Text(rendered.subject, style="bold"))  # Text: data is never rich markup
        console.print(Text(rendered.text.rstrip()))
        return DeliveryResult(True, f"{self.name}: printed")


def build_channels(
    config: Mapping[str, str],
    *,
    path: Path | str | None = None,
    min_interval: float | None = None,
) -> dict[str, Channel]:
    """Channels from the config's ``[channels]`` table (name → apprise URL).

    An empty table gives the console fallback. ``console`` (or
    ``console://``) as a URL names the console explicitly. Every URL is
    validated now; errors name the channel and show the URL masked.
    ``min_interval`` overrides apprise's per-service spacing between sends
    (seconds; ``None`` keeps apprise's polite defaults).
    """
    if not config:
        return {CONSOLE: ConsoleChannel(fallback=True)}
    channels: dict[str, Channel] = {}
    for name, url in config.items():
        key = f"channels.{name}"
        if not _NAME.match(name):
            raise ConfigError(
                "a channel name is letters, digits, '.', '_' or '-'", path=path, key=key
            )
        if not isinstance(url, str) or not url.strip():
            raise ConfigError("the channel URL must be a non-empty string", path=path, key=key)
        if url.strip() in (CONSOLE, f"{CONSOLE}://"):
            channels[name] = ConsoleChannel(name)
            continue
        try:
            channels[name] = AppriseChannel(name, url, min_interval=min_interval)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path, key=key) from None
    return channels
