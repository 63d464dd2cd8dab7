"""Notification templates: Jinja2 in a sandbox, checked and test-rendered at load.

A template *set* is a directory under ``templates/`` holding up to four
files, one per rendering an alert needs::

    subject.txt   one line: the email subject, the Slack title
    body.txt      plain text (console, text-only channels)
    body.html     HTML email (autoescaped: article text cannot inject markup)
    slack.md      CommonMark, turned into Slack mrkdwn by apprise

``default/`` must hold all four. A watchlist's ``template: NAME`` selects
``templates/NAME/``; any file that set lacks falls back to ``default/``.
Files starting with ``_`` are partials for ``{% include %}``.

The render context is deliberately small and documented, because every name
in it is a promise to template authors:

``alert``
    ``rule``, ``severity``, ``title``, ``url`` (or ``None``), ``source``,
    ``item``, ``key`` (story key or ``None``), ``evidence`` (list of matched
    snippets), ``published`` and ``time`` (ISO-8601 text; ``published`` may be
    ``None``), ``seq`` (the alert's event number, ``None`` in samples).
``monitor``
    ``version``, ``hostname``.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import FileSystemLoader, StrictUndefined, meta, nodes, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

import monitor
from monitor.errors import TemplateError

__all__ = [
    "CONTEXT_NAMES",
    "DEFAULT_DIRECTORY",
    "DEFAULT_SET",
    "PARTS",
    "Rendered",
    "Templates",
    "alert_context",
    "sample_alert",
]

DEFAULT_SET = "default"
PARTS = ("subject.txt", "body.txt", "body.html", "slack.md")
CONTEXT_NAMES = frozenset({"alert", "monitor"})
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "templates"
"""``templates/`` at the top of the source tree (the embedded default)."""

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


def alert_context(
    payload: Mapping[str, Any], *, seq: int | None = None, time: datetime | None = None
) -> dict[str, Any]:
    """The ``alert`` variable for an ``AlertRaised`` payload.

    Built field by field rather than passing the payload through, so the
    template contract stays what the module docstring says even when the
    rule engine adds fields, and a missing optional field is ``None`` rather
    than an undefined-variable error at delivery time.
    """
    when = time if time is not None else datetime.now(UTC)
    return {
        "rule": str(payload.get("rule", "")),
        "severity": str(payload.get("severity") or "medium"),
        "title": str(payload.get("title") or ""),
        "url": payload.get("url") or None,
        "source": str(payload.get("source", "")),
        "item": str(payload.get("item", "")),
        "key": payload.get("key") or None,
        "evidence": [str(e) for e in payload.get("evidence") or []],
        "published": payload.get("published") or None,
        "time": when.astimezone(UTC).isoformat(timespec="seconds"),
        "seq": seq,
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
            loader=FileSystemLoader(str(self.directory)),
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
        alert: Mapping[str, Any],
        set_name: str | None = None,
        *,
        seq: int | None = None,
        time: datetime | None = None,
    ) -> Rendered:
        """Render an ``AlertRaised`` payload with set ``set_name`` (default: ``default``)."""
        name = set_name or DEFAULT_SET
        if name not in self.sets:
            self.require([name])
        context = {"alert": alert_context(alert, seq=seq, time=time), "monitor": self.monitor}
        parts = self.sets[name]
        out = {part: self._render_one(parts[part], context) for part in PARTS}
        return Rendered(
            subject=oneline(out["subject.txt"]),
            text=out["body.txt"].strip() + "\n",
            html=out["body.html"].strip() + "\n",
            slack=out["slack.md"].strip(),
        )

    # -- loading ------------------------------------------------------------

    def _discover(self) -> dict[str, dict[str, str]]:
        """Map each set to the template name used for each part, with fallbacks."""
        sets: dict[str, dict[str, str]] = {}
        for folder in sorted(p for p in self.directory.iterdir() if p.is_dir()):
            if folder.name.startswith((".", "_")):
                continue
            files = {f.name for f in folder.iterdir() if f.is_file()}
            for extra in sorted(files - set(PARTS)):
                if not extra.startswith((".", "_")):
                    expected = ", ".join(PARTS)
                    raise TemplateError(
                        f"unknown template file (expected {expected}, or _partials)",
                        name=str(folder / extra),
                    )
            sets[folder.name] = {
                part: f"{folder.name}/{part}" if part in files else f"{DEFAULT_SET}/{part}"
                for part in PARTS
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
            unknown = sorted(meta.find_undeclared_variables(tree) - CONTEXT_NAMES)
            if unknown:
                line = _first_use(tree, unknown[0])
                allowed = ", ".join(sorted(CONTEXT_NAMES))
                raise TemplateError(
                    f"line {line}: unknown variable {unknown[0]!r} (the context has {allowed})",
                    name=str(path),
                )
        for set_name in self.names():
            for sparse in (False, True):
                self.render(sample_alert(sparse=sparse), set_name)

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
