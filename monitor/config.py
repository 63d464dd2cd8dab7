"""Configuration: one TOML file, validated in one declarative place.

Looked up as ``--config FILE``, else ``$MONITOR_CONFIG``, else
``./monitor.toml``, else ``$CONFIGURATION_DIRECTORY/monitor.toml`` (systemd),
else the embedded defaults (SQLite in ``./var``, the seed articles the
package ships as a fixtures source, alerts on the console) so ``monitor run``
works anywhere. Watchlists and templates not configured are the package's
own (:mod:`monitor.defaults`).

Every error names the file, the key and the problem, and one load reports
every mistake in the file (:class:`~monitor.errors.ConfigErrors`), as
``rules check`` does for watchlists. Secrets are written as ``${NAME}``: the
value comes from the environment variable ``NAME`` or, under systemd, from
the credential file ``$CREDENTIALS_DIRECTORY/NAME`` (``LoadCredential=``). They
are resolved only where they are used — :meth:`Config.channel_urls` when
channels are built, :attr:`Config.store_url` when the store is opened — so
reading commands (``status``, ``config show``, ``rules check``) never need the
channels' secrets; :meth:`Config.show` prints them as written.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor import defaults
from monitor.analysis import DEFAULT_PIPELINE
from monitor.durations import format_duration, parse_duration
from monitor.errors import ConfigError, ConfigErrors, SecretUnset

CONFIG_NAME = "monitor.toml"
CONFIG_ENV = "MONITOR_CONFIG"
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
    """The read-only status page, JSON API, ``/metrics`` and ``/healthz`` (``monitor.front.web``).

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


class AnalysisConfig(_Strict):
    """The text-analysis layer (``monitor.analysis``): which installed spaCy pipeline parses.

    The default is the one ``pyproject.toml`` installs; another (Explosion's
    ``en_core_web_sm``, a larger ``en_core_web_md``/``_lg``) must be installed
    as a package first: nothing is downloaded at run time.
    """

    pipeline: str = Field(default=DEFAULT_PIPELINE, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")

    @field_validator("pipeline")
    @classmethod
    def _installed(cls, value: str) -> str:
        if importlib.util.find_spec(value) is None:
            raise ValueError(
                f"spaCy pipeline {value!r} is not installed (pip install it, or leave the "
                f"default {DEFAULT_PIPELINE!r})"
            )
        return value


class Config(_Strict):
    """The whole file; relative paths are relative to the file's directory."""

    store: StoreConfig = StoreConfig()
    watchlists: str | None = None  # None: the package's own (monitor.defaults)
    templates: str | None = None
    sources: list[SourceConfig] = Field(default_factory=list)
    channels: dict[str, str] = Field(default_factory=dict)
    notify: NotifyConfig = NotifyConfig()
    daemon: DaemonConfig = DaemonConfig()
    web: WebConfig = WebConfig(enabled=False)  # no [web] table: no web server
    analysis: AnalysisConfig = AnalysisConfig()
    path: Path | None = Field(default=None, exclude=True)
    base: Path = Field(default=Path("."), exclude=True)
    #: the file's content as parsed, for :meth:`show` to print values as written
    _written: dict[str, Any] = PrivateAttr(default_factory=dict)

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
    def watchlists_dir(self) -> Path:
        """The configured watchlist directory, else the one the package ships."""
        return self.resolve(self.watchlists) if self.watchlists else defaults.WATCHLISTS

    @property
    def templates_dir(self) -> Path:
        """The configured template directory, else the one the package ships."""
        return self.resolve(self.templates) if self.templates else defaults.TEMPLATES

    @property
    def store_url(self) -> str:
        if self.store.url:
            return expand_secrets(self.store.url, "store.url", self.path)
        state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
        return (
            f"sqlite:///{Path(state) / 'monitor.db' if state else self.base / 'var' / 'monitor.db'}"
        )

    def channel_urls(self) -> dict[str, str]:
        """Channel URLs with ``${NAME}`` secrets filled in (never log these).

        Called only where channels are built (the daemon, ``poll``, ``retry``,
        ``replay --notify``). Every channel whose secret is missing or empty is
        reported, in one :class:`ConfigErrors`.
        """
        urls: dict[str, str] = {}
        problems: list[ConfigError] = []
        for name, url in self.channels.items():
            key = f"channels.{name}"
            try:
                urls[name] = expand_secrets(url, key, self.path)
            except ConfigError as exc:
                problems.append(exc)
                continue
            if not urls[name].strip():
                problems.append(ConfigError("empty channel URL", path=self.path, key=key))
        ConfigErrors.raise_for(problems)
        return urls

    def unset_secrets(self) -> list[ConfigError]:
        """Every ``${NAME}`` of the store URL and the channels that is not set, one error
        per key: what ``run`` refuses and ``config show`` warns about."""
        return unset_secrets(self._secret_values(), self.path)

    def _secret_values(self) -> dict[str, str]:
        values = {f"channels.{name}": url for name, url in self.channels.items()}
        if self.store.url:
            values["store.url"] = self.store.url
        return values

    def show(self) -> dict[str, Any]:
        """The effective configuration as an operator wrote it (safe to print).

        Secrets stay ``${NAME}`` (nothing is expanded, so nothing needs to be
        set); durations are shown as written in the file (``"90s"`` stays
        ``"90s"``), defaults in the shortest spelling (``"5m"``); watchlists
        and templates not configured show the package's directory.
        """
        data = _as_written(self.model_dump(mode="python"), self._written)
        data["store"]["url"] = self.store.url or self.store_url
        data["watchlists"] = self.watchlists or str(self.watchlists_dir)
        data["templates"] = self.templates or str(self.templates_dir)
        result: dict[str, Any] = data
        return result


def _as_written(value: Any, written: Any) -> Any:
    """``value`` (a model dump) with durations as ``written`` spells them, or formatted."""
    if isinstance(value, dict):
        raw = written if isinstance(written, dict) else {}
        return {k: _as_written(v, raw.get(k)) for k, v in value.items()}
    if isinstance(value, list):
        raw_list = written if isinstance(written, list) else []
        return [
            _as_written(v, raw_list[i] if i < len(raw_list) else None) for i, v in enumerate(value)
        ]
    if isinstance(value, timedelta):
        return written if isinstance(written, str | int | float) else format_duration(value)
    return value


def unset_secrets(values: Mapping[str, Any], path: Path | None) -> list[ConfigError]:
    """The :class:`SecretUnset` error of every value (by its key) naming an unset secret."""
    found: list[ConfigError] = []
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            expand_secrets(value, key, path)
        except SecretUnset as exc:
            found.append(exc)
    return found


def expand_secrets(value: str, key: str, path: Path | None) -> str:
    """Replace ``${NAME}`` from the environment or ``$CREDENTIALS_DIRECTORY/NAME``.

    Every name that is not set is named in the one error.
    """
    missing: list[str] = []

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in os.environ:
            return os.environ[name]
        creds = os.environ.get("CREDENTIALS_DIRECTORY")
        if creds and (Path(creds) / name).is_file():
            return (Path(creds) / name).read_text(encoding="utf-8").strip()
        missing.append(f"${{{name}}}")
        return ""

    expanded = _SECRET.sub(lookup, value)
    if missing:
        raise SecretUnset(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set "
            "(neither an environment variable nor a systemd credential)",
            path=path,
            key=key,
        )
    return expanded


def default_config() -> Config:
    """The embedded defaults: the packaged seeds as a fixtures source, console alerts.

    The seeds come from the package, not the working directory, so that
    ``monitor run`` shows the demo wherever it is started.
    """
    return Config(
        sources=[
            SourceConfig(
                name="seeds",
                type="fixtures",
                path=str(defaults.SEEDS),
                interval=timedelta(minutes=5),
            )
        ]
    )


def find_config(explicit: Path | None) -> Path | None:
    """``--config``, ``$MONITOR_CONFIG``, ``./monitor.toml``, ``$CONFIGURATION_DIRECTORY``.

    A file named by ``--config`` or ``MONITOR_CONFIG`` must exist (the load
    says so); the other two are only looked for.
    """
    if explicit is not None:
        return explicit
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
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
    # Every mistake at once: an operator fixing a file should not need a run per typo.
    problems: list[ConfigError] = []
    internal = ("path", "base")  # set from the file's location, never from its content
    problems.extend(ConfigError("unknown key", path=path, key=k) for k in internal if k in raw)
    content = {k: v for k, v in raw.items() if k not in internal}
    config: Config | None = None
    try:
        config = Config.model_validate({**content, "path": path, "base": path.parent})
    except ValidationError as exc:
        for err in exc.errors():
            key = _key(raw, err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            problems.append(ConfigError(msg, path=path, key=key or None))
    channels = raw.get("channels")
    for name, url in channels.items() if isinstance(channels, dict) else ():
        if isinstance(url, str) and not url.strip():
            problems.append(ConfigError("empty channel URL", path=path, key=f"channels.{name}"))
    if problems:
        # the unset secrets too, so that a second run does not find more: the command
        # decides whether they are errors (``run``) or warnings (``config show``)
        store = raw.get("store")
        values = {
            **{
                f"channels.{k}": v
                for k, v in (channels.items() if isinstance(channels, dict) else ())
            },
            **({"store.url": store.get("url")} if isinstance(store, dict) else {}),
        }
        problems.extend(unset_secrets(values, path))
    ConfigErrors.raise_for(problems)
    assert config is not None  # no problems: it validated
    config._written = raw
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
