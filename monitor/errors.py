"""Errors carry the thing they are about.

Hierarchy::

    MonitorError                  root: catch this to handle anything of ours
    ├── Problems(errors)          every problem one check found, of any kind
    ├── ConfigError(path, key)    a configuration file or option is wrong
    │   ├── ConfigErrors(errors)  several of them, found in one pass
    │   └── SecretUnset           a ``${NAME}`` it uses is not set
    ├── WatchlistError(path, line)  a watchlist / gazetteer file is wrong
    │   └── QuerySyntaxError(query, pos)  a query does not parse
    ├── SourceError(source, url)  a source could not be read or parsed
    ├── StoreError                the event log refused or failed
    │   └── IntegrityError(seq)   the hash chain is broken at ``seq``
    └── TemplateError(name)       a notification template is broken

Every error formats itself as one line naming the thing, so the CLI can print
``str(err)`` without a traceback (a :class:`ConfigErrors` as one line per
mistake).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path


class MonitorError(Exception):
    """Root of every error news-monitor raises on purpose."""


class ConfigError(MonitorError):
    """A configuration file or option is wrong; names the file and the key."""

    def __init__(self, message: str, *, path: Path | str | None = None, key: str | None = None):
        self.path = str(path) if path is not None else None
        self.key = key
        self.message = message
        where = ": ".join(p for p in (self.path, key) if p)
        super().__init__(f"{where}: {message}" if where else message)


class ConfigErrors(ConfigError):
    """Every mistake one load of a configuration found, each a :class:`ConfigError`.

    A subclass, so code catching one ``ConfigError`` keeps working; its own
    fields are the first mistake's, and ``str()`` is one line per mistake
    (the CLI prints each as an ``error:`` line).
    """

    def __init__(self, errors: Sequence[ConfigError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.message, path=first.path, key=first.key)
        self.args = ("\n".join(str(e) for e in self.errors),)

    @staticmethod
    def raise_for(errors: Sequence[ConfigError]) -> None:
        """Raise nothing for no errors, the error itself for one, ``ConfigErrors`` for more."""
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ConfigErrors(errors)


class SecretUnset(ConfigError):
    """A ``${NAME}`` the configuration uses is set neither in the environment nor as a
    credential: an error for a command that needs it, a warning for ``config show``."""


class Problems(MonitorError):
    """Every problem one check of the setup found, of any kind: config keys, unset
    secrets, watchlist lines, templates, routes. Reported together, one line each, so an
    operator fixes them in one pass (what a start or a reload would refuse)."""

    def __init__(self, errors: Sequence[MonitorError]):
        self.errors = [one for e in errors for one in each_problem(e)]
        super().__init__("\n".join(str(e) for e in self.errors))

    @staticmethod
    def raise_for(errors: Sequence[MonitorError]) -> None:
        """Raise nothing for no errors, the error itself for one, ``Problems`` for more."""
        flat = [one for e in errors for one in each_problem(e)]
        if len(flat) == 1:
            raise flat[0]
        if flat:
            raise Problems(flat)


def each_problem(error: MonitorError) -> list[MonitorError]:
    """The single problems an error holds (a :class:`ConfigErrors`, :class:`WatchlistErrors`
    or :class:`Problems` holds several)."""
    held = getattr(error, "errors", None)
    if isinstance(held, list) and held and held[0] is not error:
        return [one for e in held for one in each_problem(e)]
    return [error]


def report_order(problem: MonitorError) -> tuple[int, str, int]:
    """The order problems are reported in: the config's first, then file by file, line by
    line (a route beside the other mistakes of its file), then the rest."""
    if isinstance(problem, ConfigError):
        return (0, "", 0)
    if isinstance(problem, WatchlistError):
        return (1, problem.path or "", problem.line or 0)
    return (2, "", 0)


class WatchlistError(MonitorError):
    """A watchlist or gazetteer file is wrong; names the file and the line."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        where = self.path or "<watchlist>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class WatchlistErrors(WatchlistError):
    """Several problems in one watchlist file, each a :class:`WatchlistError` with its line:
    reported together, so a misspelt key does not hide the next one."""

    def __init__(self, errors: list[WatchlistError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, path=first.path, line=first.line)
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    @staticmethod
    def raise_for(errors: Sequence[WatchlistError]) -> None:
        """Raise nothing for no errors, the error itself for one, ``WatchlistErrors`` for more."""
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise WatchlistErrors(list(errors))


class QuerySyntaxError(WatchlistError):
    """A query does not parse; ``pos`` is the 0-based offset in the query text.

    ``line`` and ``column`` are 1-based and relative to the query text until a
    watchlist loader rebases them onto the file with :meth:`located`.
    """

    def __init__(self, message: str, *, query: str, pos: int):
        self.query = query
        self.pos = pos
        before = query[:pos]
        self.query_line = before.count("\n") + 1
        self.column = pos - (before.rfind("\n") + 1) + 1
        self.bare_message = message
        super().__init__(
            f"{message} at line {self.query_line}, column {self.column} of the query",
        )

    def pointer(self) -> str:
        """The offending query line with a caret under the position."""
        line_text = self.query.splitlines()[self.query_line - 1] if self.query else ""
        return f"{line_text}\n{' ' * (self.column - 1)}^"


class SourceError(MonitorError):
    """A source could not be read or parsed; names the source and its URL or path."""

    def __init__(self, message: str, *, source: str, url: str | None = None):
        self.source = source
        self.url = url
        self.message = message
        where = f"source {source!r}" + (f" ({url})" if url else "")
        super().__init__(f"{where}: {message}")


class StoreError(MonitorError):
    """The event log refused an operation or could not be reached."""


class IntegrityError(StoreError):
    """The hash chain does not verify; ``seq`` is the first bad sequence number."""

    def __init__(self, message: str, *, seq: int):
        self.seq = seq
        super().__init__(f"event {seq}: {message}")


class TemplateError(MonitorError):
    """A notification template is missing, does not parse or does not render."""

    def __init__(self, message: str, *, name: str):
        self.name = name
        super().__init__(f"template {name!r}: {message}")


class Repeats:
    """One traceback per kind of failure at a place, then one line each time it repeats.

    A failure that repeats at every tick (a full disk, a broken library) must
    not fill the journal with the same traceback thousands of times, nor go
    silent: the first occurrence of a kind of failure at a place is logged
    with its traceback, each repeat as one line, and a different failure (or
    a success, :meth:`clear`) starts over.
    """

    def __init__(self) -> None:
        self._last: dict[str, str] = {}
        self._lock = threading.Lock()

    def failed(self, log: logging.Logger, place: str, exc: BaseException, message: str) -> None:
        text = str(exc).strip()
        kind = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
        with self._lock:
            repeat = self._last.get(place) == kind
            self._last[place] = kind
        if repeat:
            log.error("%s again: %s", message, kind)
        else:
            log.error("%s", message, exc_info=exc)

    def clear(self, place: str) -> None:
        with self._lock:
            self._last.pop(place, None)
