"""Notification templates: Jinja2 in a sandbox, checked and test-rendered at load.

A template *set* is a directory under ``templates/`` holding up to four
files, one per rendering an alert needs::

    subject.txt   one line: the email subject, the Slack title
    body.txt      plain text (console, text-only channels)
    body.html     HTML email (autoescaped: article text cannot inject markup)
    slack.md      CommonMark, turned into Slack mrkdwn by apprise

and the same four for a digest (a rule's alerts batched into one message,
``digest:`` in its watchlist): ``digest-subject.txt``, ``digest-body.txt``,
``digest-body.html``, ``digest-slack.md``.

``default/`` must hold the four alert files. A watchlist's ``template: NAME``
selects ``templates/NAME/``; any file that set lacks falls back to
``default/``, and a digest file ``default/`` lacks falls back to the one the
package ships (so a template directory written before digests existed still
loads). Files starting with ``_`` are partials for ``{% include %}``.

The render context is deliberately small and documented, because every name
in it is a promise to template authors:

``alert``
    ``rule``, ``severity``, ``title``, ``url`` (an http(s) URL or ``None``),
    ``source``, ``item``, ``key`` (story key or ``None``), ``evidence`` (list
    of matched snippets), ``published`` and ``time`` (ISO-8601 text;
    ``published`` may be ``None``), ``seq`` (the alert's position in the
    log, ``None`` in samples), ``number`` (how many alerts were raised up to
    it, the first is 1: what people call it; ``None`` in samples).
``monitor``
    ``version``, ``hostname``.
``digest`` (digest files only, which have no ``alert``)
    ``rule``, ``count`` (alerts in the digest), ``alerts`` (the first
    ``DIGEST_MAX_ALERTS`` of them, oldest first, each as ``alert`` above),
    ``more`` (how many are not listed), ``time`` (the digest's time, ISO-8601)
    and ``schedule`` (``every 1d at 08:00 Asia/Tokyo``).

Every string in ``alert`` is one line, bounded (title ``TITLE_MAX_CHARS``,
evidence ``EVIDENCE_MAX_ITEMS`` × ``EVIDENCE_MAX_CHARS``, the rest
``FIELD_MAX_CHARS``; see :mod:`monitor.normalize.bounds`) and free of control
and bidi characters, and the rendered subject is at most ``SUBJECT_MAX_CHARS``
characters and ``SUBJECT_MAX_BYTES`` UTF-8 bytes. Normalization bounds new
articles already; this is for payloads stored before it did, and because the
cost of one oversized subject is minutes of CPU in the standard library's
header encoder. A link whose scheme is not http or https (``javascript:``,
``data:``) is never handed to a template: ``url`` is ``None`` and every
rendering shows no link.

Filters beyond Jinja's own: ``md`` escapes text for Markdown (so an article
title cannot ping ``<!channel>`` or smuggle in a link), ``mdurl`` makes a URL
safe as a Markdown link target and ``oneline`` collapses whitespace.

Why so strict at load: a broken template must stop the daemon at start-up,
not fail silently at 3 a.m. when the first alert arrives. Every file is
parsed, every variable it uses must be in the context above
(``meta.find_undeclared_variables``), and every set is rendered against a full
and a sparse sample alert. Article text only ever enters as context *data*,
never as template source, and the environment is an
``ImmutableSandboxedEnvironment``: no attribute games (``''.__class__``), no
mutating lists handed in.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import FileSystemLoader, StrictUndefined, meta, nodes, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

import monitor
from monitor import defaults
from monitor.clock import utc_now
from monitor.errors import TemplateError
from monitor.events import Outcome
from monitor.normalize.bounds import (
    DIGEST_MAX_ALERTS,
    EVIDENCE_MAX_CHARS,
    EVIDENCE_MAX_ITEMS,
    FIELD_MAX_CHARS,
    SUBJECT_MAX_BYTES,
    SUBJECT_MAX_CHARS,
    TITLE_MAX_CHARS,
    URL_MAX_CHARS,
    bound_utf8,
    clean_link,
    shorten,
    strip_hostile,
)
from monitor.schedules import DigestSchedule

__all__ = [
    "CONTEXT_NAMES",
    "DEFAULT_DIRECTORY",
    "DIGEST_CONTEXT_NAMES",
    "DIGEST_PARTS",
    "DEFAULT_SET",
    "PARTS",
    "Rendered",
    "Templates",
    "alert_context",
    "digest_context",
    "safe_link",
    "sample_alert",
]

DEFAULT_SET = "default"
PARTS = ("subject.txt", "body.txt", "body.html", "slack.md")
DIGEST_PREFIX = "digest-"
DIGEST_PARTS = tuple(DIGEST_PREFIX + part for part in PARTS)
CONTEXT_NAMES = frozenset({"alert", "monitor"})
DIGEST_CONTEXT_NAMES = frozenset({"digest", "monitor"})
DEFAULT_DIRECTORY = defaults.TEMPLATES
"""The template sets the package ships (the embedded default; ``templates/`` in the source)."""

_MD_SPECIAL = re.compile(r"([\[\]<>()#!])")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


@dataclass(frozen=True, slots=True)
class Rendered:
    """One alert rendered for every kind of channel."""

    subject: str
    text: str
    html: str
    slack: str


def md_escape(value: Any) -> str:
    """Escape the Markdown that could turn article text into links, headings or
    Slack control sequences (``<!channel>``), and keep it on one line.

    Only ``[ ] ( ) < > # !``: those are the backslash escapes apprise's
    Markdown-to-mrkdwn conversion honours; it would show any other escape
    (``\\*``) literally, so emphasis in article text is left to render as such.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def md_url(value: Any) -> str:
    """A URL safe inside a Markdown link target: no spaces, parentheses or angle brackets."""
    return "".join(_URL_UNSAFE.get(c, c) for c in str(value).strip())


def oneline(value: Any) -> str:
    return " ".join(str(value).split())


def _field(value: Any, limit: int = FIELD_MAX_CHARS) -> str:
    """One line of alert data, cleaned and bounded before any template or apprise sees it."""
    return shorten(oneline(strip_hostile(str(value))), limit)


def _optional(value: Any) -> str | None:
    """An optional field: ``None`` when absent or when nothing is left after cleaning."""
    return (_field(value) or None) if value else None


def safe_link(value: Any) -> str | None:
    """``value`` if it is an http(s) URL a notification may link to, else ``None``.

    An allow-list, checked on the cleaned text the template will print: a
    ``javascript:`` or ``data:`` link in HTML email runs or renders whatever
    the feed wrote when clicked, and nothing but http(s) belongs in an alert.
    """
    if not isinstance(value, str):
        return None
    url = clean_link(value)
    if url is None or len(url) > URL_MAX_CHARS:
        return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        host = urlsplit(url).netloc
    except ValueError:  # e.g. an unbalanced "[" where an IPv6 host would be
        return None
    return url if host else None


def subject_line(rendered: str) -> str:
    """The rendered subject as one clean line within the character and byte bounds."""
    return bound_utf8(
        shorten(oneline(strip_hostile(rendered)), SUBJECT_MAX_CHARS), SUBJECT_MAX_BYTES
    )


def alert_context(
    alert: Outcome | Mapping[str, Any],
    *,
    seq: int | None = None,
    time: datetime | None = None,
    number: int | None = None,
) -> dict[str, Any]:
    """The ``alert`` variable for an ``AlertRaised`` (its record, or its payload).

    Built field by field rather than passing the payload through, so the
    template contract stays what the module docstring says even when the
    rule engine adds fields, and a missing optional field is ``None`` rather
    than an undefined-variable error at delivery time. Every string is
    cleaned and bounded here (see the module docstring), whatever the
    payload holds.
    """
    o = alert if isinstance(alert, Outcome) else Outcome.from_payload(alert)
    when = time if time is not None else utc_now()
    return {
        "rule": _field(o.rule),
        "severity": _field(o.severity),
        "title": _field(o.title, TITLE_MAX_CHARS),
        "url": safe_link(o.url),
        "source": _field(o.source),
        "item": _field(o.item),
        "key": _optional(o.key),
        "evidence": [_field(e, EVIDENCE_MAX_CHARS) for e in o.evidence[:EVIDENCE_MAX_ITEMS]],
        "published": _optional(o.published),
        "time": when.astimezone(UTC).isoformat(timespec="seconds"),
        "seq": seq,
        "number": number,
    }


def digest_context(
    alerts: Sequence[tuple[Outcome | Mapping[str, Any], int | None, datetime | None]],
    *,
    time: datetime,
    schedule: DigestSchedule | None,
    numbers: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """The ``digest`` variable: the alerts (each as :func:`alert_context`, numbered by
    ``numbers``, seq → number) and when."""
    listed = [
        alert_context(a, seq=seq, time=t, number=(numbers or {}).get(seq or 0))
        for a, seq, t in alerts[:DIGEST_MAX_ALERTS]
    ]
    zone = schedule.zone if schedule is not None else UTC
    return {
        "rule": listed[0]["rule"] if listed else "",
        "count": len(alerts),
        "alerts": listed,
        "more": max(0, len(alerts) - DIGEST_MAX_ALERTS),
        "time": time.astimezone(UTC).isoformat(timespec="seconds"),
        "local_time": time.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
        "schedule": _field(schedule.describe() if schedule is not None else ""),
    }


def sample_alert(*, sparse: bool = False) -> dict[str, Any]:
    """An ``AlertRaised`` payload for test renders; ``sparse`` leaves out every optional field."""
    if sparse:
        return {"rule": "sample-rule", "severity": "low", "title": "T", "source": "s", "item": "i"}
    return {
        "rule": "sample-rule",
        "severity": "high",
        "title": "Leaders <meet> & agree",
        "url": "https://example.org/news/1?a=1&b=2",
        "source": "example",
        "item": "item-1",
        "key": "leader-a|leader-b|city",
        "evidence": ["Leader A met Leader B in the city.", "They agreed on *everything*."],
        "published": "2024-11-16T10:00:00+00:00",
    }


class Templates:
    """Every template set under ``directory``, validated when constructed."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else DEFAULT_DIRECTORY
        if not (self.directory / DEFAULT_SET).is_dir():
            raise TemplateError(
                "the default template set is missing", name=str(self.directory / DEFAULT_SET)
            )
        self.env = ImmutableSandboxedEnvironment(
            # the package's own set last: digest files a directory lacks (see above)
            loader=FileSystemLoader([str(self.directory), str(DEFAULT_DIRECTORY)]),
            undefined=StrictUndefined,
            autoescape=select_autoescape(
                enabled_extensions=("html",), default_for_string=False, default=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
        )
        self.env.filters["md"] = md_escape
        self.env.filters["mdurl"] = md_url
        self.env.filters["oneline"] = oneline
        self.monitor = {"version": monitor.__version__, "hostname": socket.gethostname()}
        self.sets: dict[str, dict[str, str]] = self._discover()
        self._check()

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Templates:
        """Load and validate every set; raises :class:`TemplateError` naming file and line."""
        return cls(directory)

    def names(self) -> list[str]:
        return sorted(self.sets)

    def require(self, names: Iterable[str | None]) -> None:
        """Fail unless every named set exists (``None`` means the default set).

        For the watchlist loader: a ``template:`` naming no set is a load-time
        error, not a delivery-time one.
        """
        for name in names:
            if name is not None and name not in self.sets:
                known = ", ".join(self.names())
                raise TemplateError(
                    f"no such template set (known: {known})", name=str(self.directory / name)
                )

    def render(
        self,
        alert: Outcome | Mapping[str, Any],
        set_name: str | None = None,
        *,
        seq: int | None = None,
        time: datetime | None = None,
        number: int | None = None,
    ) -> Rendered:
        """Render an ``AlertRaised`` (record or payload) with set ``set_name`` (or ``default``)."""
        context = {
            "alert": alert_context(alert, seq=seq, time=time, number=number),
            "monitor": self.monitor,
        }
        return self._render_parts(set_name, context, PARTS)

    def render_digest(
        self,
        alerts: Sequence[tuple[Outcome | Mapping[str, Any], int | None, datetime | None]],
        set_name: str | None = None,
        *,
        time: datetime,
        schedule: DigestSchedule | None,
        numbers: Mapping[int, int] | None = None,
    ) -> Rendered:
        """Render one digest of ``alerts`` (each with its seq and time, numbered by
        ``numbers``): the digest files."""
        context = {
            "digest": digest_context(alerts, time=time, schedule=schedule, numbers=numbers),
            "monitor": self.monitor,
        }
        return self._render_parts(set_name, context, DIGEST_PARTS)

    def _render_parts(
        self, set_name: str | None, context: dict[str, Any], parts: tuple[str, ...]
    ) -> Rendered:
        name = set_name or DEFAULT_SET
        if name not in self.sets:
            self.require([name])
        files = self.sets[name]
        # The data is clean already; cleaning the output too covers what a
        # template adds itself (a literal, a filter's result).
        subject, text, html, slack = (
            strip_hostile(self._render_one(files[part], context)) for part in parts
        )
        return Rendered(
            subject=subject_line(subject),
            text=text.strip() + "\n",
            html=html.strip() + "\n",
            slack=slack.strip(),
        )

    # -- loading ------------------------------------------------------------

    def _discover(self) -> dict[str, dict[str, str]]:
        """Map each set to the template name used for each part, with fallbacks."""
        sets: dict[str, dict[str, str]] = {}
        for folder in sorted(p for p in self.directory.iterdir() if p.is_dir()):
            if folder.name.startswith((".", "_")):
                continue
            files = {f.name for f in folder.iterdir() if f.is_file()}
            for extra in sorted(files - set(PARTS) - set(DIGEST_PARTS)):
                if not extra.startswith((".", "_")):
                    expected = ", ".join(PARTS + DIGEST_PARTS)
                    raise TemplateError(
                        f"unknown template file (expected {expected}, or _partials)",
                        name=str(folder / extra),
                    )
            sets[folder.name] = {
                part: f"{folder.name}/{part}" if part in files else f"{DEFAULT_SET}/{part}"
                for part in PARTS + DIGEST_PARTS
            }
        missing = [p for p in PARTS if not (self.directory / DEFAULT_SET / p).is_file()]
        if missing:
            raise TemplateError(
                f"the default set lacks {', '.join(missing)}",
                name=str(self.directory / DEFAULT_SET),
            )
        return sets

    def _check(self) -> None:
        """Parse every file, check its variables, then test-render every set."""
        for path in sorted(self.directory.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            name = path.relative_to(self.directory).as_posix()
            try:
                source = path.read_text(encoding="utf-8")
                tree = self.env.parse(source, name=name, filename=str(path))
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateError(f"cannot read: {exc}", name=str(path)) from exc
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"line {exc.lineno}: {exc.message}", name=str(path)) from exc
            names = DIGEST_CONTEXT_NAMES if path.name in DIGEST_PARTS else CONTEXT_NAMES
            if path.name.startswith("_"):
                names = CONTEXT_NAMES | DIGEST_CONTEXT_NAMES  # a partial may serve either
            unknown = sorted(meta.find_undeclared_variables(tree) - names)
            if unknown:
                line = _first_use(tree, unknown[0])
                allowed = ", ".join(sorted(names))
                raise TemplateError(
                    f"line {line}: unknown variable {unknown[0]!r} (the context has {allowed})",
                    name=str(path),
                )
        sample_time = datetime(2024, 11, 17, 8, 0, tzinfo=UTC)
        for set_name in self.names():
            for sparse in (False, True):
                self.render(sample_alert(sparse=sparse), set_name)
                self.render_digest(
                    [(sample_alert(sparse=sparse), None, None), (sample_alert(), 7, sample_time)],
                    set_name,
                    time=sample_time,
                    schedule=DigestSchedule(),
                )

    def _render_one(self, name: str, context: dict[str, Any]) -> str:
        path = str(self.directory / name)
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:  # an include that does not parse
            raise TemplateError(
                f"line {exc.lineno}: {exc.message}", name=exc.filename or path
            ) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"included template not found: {exc.name}", name=path) from exc
        except Exception as exc:  # undefined, sandbox refusal, a filter's TypeError
            file, line = _template_frame(exc.__traceback__, self.directory) or (path, None)
            where = f"line {line}: " if line else ""
            raise TemplateError(f"{where}{type(exc).__name__}: {exc}", name=file) from exc


def _first_use(tree: nodes.Template, variable: str) -> int:
    for node in tree.find_all(nodes.Name):
        if node.name == variable:
            return node.lineno
    return 1


def _template_frame(tb: TracebackType | None, directory: Path) -> tuple[str, int] | None:
    """The innermost traceback frame inside a template file: Jinja rewrites
    tracebacks so those frames carry the template's own file name and line."""
    found: tuple[str, int] | None = None
    root = str(directory)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root) and not filename.endswith(".py"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
