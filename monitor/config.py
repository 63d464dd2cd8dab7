"""Configuration: one TOML file, validated in one declarative place.

Looked up as ``--config FILE``, else ``./monitor.toml``, else
``$CONFIGURATION_DIRECTORY/monitor.toml`` (systemd), else the embedded
defaults (SQLite in ``./var``, the ``seeds`` directory as a fixtures source,
alerts on the console) so ``monitor run`` works on a fresh checkout.

Every error names the file, the key and the problem. Secrets are written as
``${NAME}``: the value comes from the environment variable ``NAME`` or, under
systemd, from the credential file ``$CREDENTIALS_DIRECTORY/NAME``
(``LoadCredential=``); :meth:`Config.show` prints the config with them masked.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from monitor.durations import parse_duration
from monitor.errors import ConfigError

CONFIG_NAME = "monitor.toml"
_NAME = r"^[a-z0-9][a-z0-9_.-]*$"
_SECRET = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else parse_duration(value)


class StoreConfig(_Strict):
    url: str = ""  # filled from the state directory when empty


class SourceConfig(_Strict):
    """One source: ``fixtures`` (a directory of text files) or ``feed`` (RSS/Atom over HTTP)."""

    name: str = Field(pattern=_NAME)
    type: Literal["fixtures", "feed"]
    path: str | None = None
    url: str | None = None
    interval: timedelta = timedelta(minutes=10)
    timeout: float = Field(default=10.0, gt=0, le=300)
    max_bytes: int = Field(default=5_000_000, gt=0)
    enabled: bool = True

    _interval = field_validator("interval", mode="before")(classmethod(lambda cls, v: _duration(v)))

    @field_validator("interval")
    @classmethod
    def _min_interval(cls, value: timedelta) -> timedelta:
        if value < timedelta(seconds=1):
            raise ValueError("interval must be at least 1s")
        return value

    @model_validator(mode="after")
    def _where(self) -> SourceConfig:
        if self.type == "fixtures" and not self.path:
            raise ValueError("a fixtures source needs 'path'")
        if self.type == "feed":
            if not self.url:
                raise ValueError("a feed source needs 'url'")
            parts = urlsplit(self.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"url {self.url!r} is not an http(s) URL")
        return self


class NotifyConfig(_Strict):
    """Delivery retry policy: exponential back-off, then a dead letter."""

    max_attempts: int = Field(default=8, ge=1, le=100)
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    # apprise's own pause between two sends to one service (5.5 s for email)
    # would make a burst of alerts minutes late; 0 sends at once, and a rate
    # limit answered with an error is retried by the outbox like any failure.
    min_interval: timedelta = timedelta(0)
    # How long one send may take before it is abandoned and recorded as failed
    # (a server that accepts and never answers must not hold delivery).
    send_timeout: timedelta = timedelta(seconds=30)

    _delays = field_validator(
        "base_delay", "max_delay", "min_interval", "send_timeout", mode="before"
    )(classmethod(lambda cls, v: _duration(v)))

    @field_validator("send_timeout")
    @classmethod
    def _positive_timeout(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("send_timeout must be positive")
        return value


class DaemonConfig(_Strict):
    consumer_interval: timedelta = timedelta(seconds=15)
    jitter: float = Field(default=0.1, ge=0, le=0.5)  # fraction of each source's interval
    workers: int = Field(default=8, ge=1, le=64)
    # Feed parsing is CPU-bound Python: with N > 0 it runs in N worker
    # processes, so polling uses more than one core (threads share one).
    parse_processes: int = Field(default=0, ge=0, le=64)
    log_format: Literal["plain", "json"] = "plain"
    shutdown_grace: timedelta = timedelta(seconds=5)

    _delays = field_validator("consumer_interval", "shutdown_grace", mode="before")(
        classmethod(lambda cls, v: _duration(v))
    )


class WebConfig(_Strict):
    """The read-only status page, JSON API, ``/metrics`` and ``/healthz`` (``monitor.web``).

    Off unless the file has a ``[web]`` table: a daemon that opens a port
    nobody asked for is a surprise on a shared host, and a second daemon on
    the same host would fail to start on the taken port. A ``[web]`` table
    turns it on (``enabled = false`` keeps the table but turns it off) on
    ``listen``, loopback by default: the page has no authentication, so
    reaching it from elsewhere must be a decision (a reverse proxy, or an
    explicit ``0.0.0.0``/``[::]`` address).
    """

    enabled: bool = True
    listen: str = "127.0.0.1:8080"

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        split_address(value)
        return value

    @property
    def host(self) -> str:
        return split_address(self.listen)[0]

    @property
    def port(self) -> int:
        return split_address(self.listen)[1]


def split_address(listen: str) -> tuple[str, int]:
    """``"127.0.0.1:8080"`` → ``("127.0.0.1", 8080)``; ``"[::1]:8080"`` → ``("::1", 8080)``.

    The host is required: an empty one would mean every interface, which
    must be written out (``0.0.0.0``) rather than happen by omission. Port 0
    asks the system for a free port (the daemon logs the one it got).
    """
    host, sep, port = listen.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError(f"listen {listen!r}: write an IPv6 address in brackets, [::1]:8080")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"listen {listen!r} is not HOST:PORT (e.g. 127.0.0.1:8080)")
    return host, int(port)


class Config(_Strict):
    """The whole file; relative paths are relative to the file's directory."""

    store: StoreConfig = StoreConfig()
    watchlists: str = "watchlists"
    templates: str = "templates"
    sources: list[SourceConfig] = Field(default_factory=list)
    channels: dict[str, str] = Field(default_factory=dict)
    notify: NotifyConfig = NotifyConfig()
    daemon: DaemonConfig = DaemonConfig()
    web: WebConfig = WebConfig(enabled=False)  # no [web] table: no web server
    path: Path | None = Field(default=None, exclude=True)
    base: Path = Field(default=Path("."), exclude=True)

    @field_validator("channels")
    @classmethod
    def _channel_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not re.match(_NAME, name):
                raise ValueError(f"channel name {name!r} must be lower-case letters, digits, -_.")
        return value

    @model_validator(mode="after")
    def _unique_sources(self) -> Config:
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate source name(s): {', '.join(dupes)}")
        return self

    def resolve(self, relative: str) -> Path:
        path = Path(relative).expanduser()
        return path if path.is_absolute() else self.base / path

    @property
    def store_url(self) -> str:
        if self.store.url:
            return expand_secrets(self.store.url, "store.url", self.path)
        state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
        return (
            f"sqlite:///{Path(state) / 'monitor.db' if state else self.base / 'var' / 'monitor.db'}"
        )

    def channel_urls(self) -> dict[str, str]:
        """Channel URLs with ``${NAME}`` secrets filled in (never log these)."""
        return {
            name: expand_secrets(url, f"channels.{name}", self.path)
            for name, url in self.channels.items()
        }

    def show(self) -> dict[str, Any]:
        """The effective configuration with secrets left as ``${NAME}`` (safe to print)."""
        data = self.model_dump(mode="json")
        data["store"]["url"] = self.store.url or self.store_url
        return data


def expand_secrets(value: str, key: str, path: Path | None) -> str:
    """Replace ``${NAME}`` from the environment or ``$CREDENTIALS_DIRECTORY/NAME``."""

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in os.environ:
            return os.environ[name]
        creds = os.environ.get("CREDENTIALS_DIRECTORY")
        if creds and (Path(creds) / name).is_file():
            return (Path(creds) / name).read_text(encoding="utf-8").strip()
        raise ConfigError(
            f"${{{name}}} is not set (neither an environment variable nor a systemd credential)",
            path=path,
            key=key,
        )

    return _SECRET.sub(lookup, value)


def default_config() -> Config:
    """The embedded defaults: the seeds as a fixtures source, console alerts."""
    return Config(
        sources=[
            SourceConfig(name="seeds", type="fixtures", path="seeds", interval=timedelta(minutes=5))
        ]
    )


def find_config(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    local = Path(CONFIG_NAME)
    if local.is_file():
        return local
    conf_dir = os.environ.get("CONFIGURATION_DIRECTORY", "").split(":")[0]
    if conf_dir and (Path(conf_dir) / CONFIG_NAME).is_file():
        return Path(conf_dir) / CONFIG_NAME
    return None


def load_config(explicit: Path | None = None) -> Config:
    """Load and validate the configuration (see the module docstring for the lookup)."""
    path = find_config(explicit)
    if path is None:
        return default_config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start})", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from exc
    for internal in ("path", "base"):  # set from the file's location, never from its content
        if internal in raw:
            raise ConfigError("unknown key", path=path, key=internal)
    try:
        config = Config.model_validate({**raw, "path": path, "base": path.parent})
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _key(raw, err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        raise ConfigError(msg, path=path, key=key or None) from exc
    for key, url in config.channel_urls().items():  # secrets must resolve at start-up
        if not url.strip():
            raise ConfigError("empty channel URL", path=path, key=f"channels.{key}")
    return config


def _key(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """``sources[1].interval`` rather than pydantic's ``sources.1.interval``; source names help."""
    parts: list[str] = []
    node: Any = raw
    for part in loc:
        if isinstance(part, int):
            name = node[part].get("name") if isinstance(node, list) and part < len(node) else None
            parts[-1] += f"[{part}]" + (f" ({name})" if isinstance(name, str) else "")
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)
