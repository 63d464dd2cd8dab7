"""Watchlist files: loading, validation and the compiled rule set.

A watchlist directory holds ``entities.yaml`` (the gazetteer) and one YAML
file per rule. Everything is validated at load time, with errors that name
the file and the line (for a query, the line inside the file and the column),
so a typo is found by ``monitor rules check`` and not by a missed alert.
The whole set has a content hash, recorded in the log with every change, so
each alert says which version of the rules produced it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from monitor.durations import parse_duration
from monitor.errors import QuerySyntaxError, WatchlistError, WatchlistErrors
from monitor.rules.ast import And, EntityRef, Link, Near, Node, Not, Or, Term, children
from monitor.rules.ast import Field as FieldNode
from monitor.rules.dating import Recency
from monitor.rules.gazetteer import Gazetteer
from monitor.rules.linking import CUES_FILE, Lexicon
from monitor.rules.matcher import Matcher
from monitor.rules.query import parse_query
from monitor.rules.yamlsrc import line_of, load_yaml, node_at
from monitor.schedules import DigestSchedule

GAZETTEER_FILE = "entities.yaml"
Severity = Literal["info", "low", "medium", "high", "critical"]


def _positive_duration(value: Any) -> timedelta:
    duration = value if isinstance(value, timedelta) else parse_duration(value)
    if duration <= timedelta(0):
        raise ValueError("must be longer than 0")
    return duration


def _duration(value: Any) -> timedelta:
    """A duration that may be zero ("after: 0d": no previews count as news)."""
    return value if isinstance(value, timedelta) else parse_duration(value)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPart(_Strict):
    """One part of a story key: the most-mentioned ``entity`` or the ``place`` it happened."""

    entity: str | None = None
    place: str | None = None

    @field_validator("entity", "place")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("@"):
            raise ValueError("expected an entity selector such as '@leader:japan' or '@city'")
        return value

    def model_post_init(self, __context: Any) -> None:
        if (self.entity is None) == (self.place is None):
            raise ValueError("give exactly one of 'entity' or 'place'")

    @property
    def kind(self) -> str:
        return "entity" if self.entity is not None else "place"

    @property
    def selector(self) -> str:
        return (self.entity or self.place or "@")[1:]


class RecencySpec(_Strict):
    """A watchlist's ``recency:``, validated: how far from publication a reported event
    may be to make a new story (:meth:`NewStory.dating` makes the
    :class:`~monitor.rules.dating.Recency` dating uses of it)."""

    before: timedelta
    after: timedelta

    _before = field_validator("before", mode="before")(
        classmethod(lambda cls, value: _positive_duration(value))
    )
    _after = field_validator("after", mode="before")(
        classmethod(lambda cls, value: _duration(value))
    )


class NewStory(_Strict):
    """Alert only on a story not seen before (same key, close in time = same story).

    Without ``recency`` two reports are the same story when their published
    times are within ``window``. With ``recency`` each report's event is dated
    from its text (:mod:`monitor.rules.dating`): a recap or a preview outside
    the recency is recorded but never alerts, and two reports are the same
    story when their event dates are within ``tolerance``; ``window`` (default:
    ``recency.before``) then serves only reports that cannot be dated (no
    published time).
    """

    key: list[KeyPart] = Field(min_length=1)
    window: timedelta
    recency: RecencySpec | None = None
    tolerance: timedelta | None = None

    _window = field_validator("window", mode="before")(
        classmethod(lambda cls, value: _positive_duration(value))
    )
    _tolerance = field_validator("tolerance", mode="before")(
        classmethod(lambda cls, value: None if value is None else _duration(value))
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """``window`` defaults to ``recency.before``."""
        if isinstance(data, dict) and "window" not in data:
            recency = data.get("recency")
            if not isinstance(recency, dict) or "before" not in recency:
                if "recency" not in data:
                    raise ValueError("give 'window' (or 'recency' to date events from the text)")
                return data
            try:
                window = _positive_duration(recency["before"])
            except ValueError:
                window = timedelta(days=1)  # recency.before's own error is the one reported
            return {**data, "window": window}
        return data

    @field_validator("tolerance")
    @classmethod
    def _tolerance_needs_recency(cls, value: timedelta | None, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("recency") is None:
            raise ValueError("compares event dates: it needs 'recency'")
        return value

    @property
    def dating(self) -> Recency | None:
        """The recency as :mod:`monitor.rules.dating` takes it, or None (no dating)."""
        if self.recency is None:
            return None
        return Recency(self.recency.before, self.recency.after)


class Throttle(_Strict):
    """At most ``max`` raised alerts per ``per``; the rest are recorded as suppressed."""

    max: PositiveInt
    per: timedelta

    _per = field_validator("per", mode="before")(
        classmethod(lambda cls, value: _positive_duration(value))
    )


class Digest(_Strict):
    """``digest:``: batch the rule's alerts into one notification at set times of day.

    Validated by :class:`monitor.schedules.DigestSchedule` (``every`` must
    divide a day, ``at`` is a time of day, ``timezone`` an IANA name).
    """

    every: str = "1d"
    at: str = "00:00"
    timezone: str = "UTC"

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, data: Any) -> Any:
        """YAML reads ``at: 08:00`` as a number of minutes (sexagesimal): ask for quotes."""
        if isinstance(data, dict) and isinstance(data.get("at"), int):
            raise ValueError('at: write the time in quotes, like at: "08:00"')
        if isinstance(data, dict) and isinstance(data.get("every"), int | float):
            raise ValueError("every: give a unit, like every: 1d or every: 6h")
        return data

    @model_validator(mode="after")
    def _schedule(self) -> Digest:
        _ = self.schedule  # raises ValueError naming the key at fault
        return self

    @property
    def schedule(self) -> DigestSchedule:
        return DigestSchedule.parse(self.model_dump())


class RuleSpec(_Strict):
    """The YAML schema of one watchlist file."""

    name: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    severity: Severity = "medium"
    enabled: bool = True
    query: str
    new_story: NewStory | None = None
    notify: list[str] | None = None
    template: str | None = None
    throttle: Throttle | None = None
    digest: Digest | None = None


@dataclass(frozen=True)
class Rule:
    """A validated, parsed rule."""

    id: str
    path: Path
    spec: RuleSpec
    query: Node

    @property
    def severity(self) -> str:
        return self.spec.severity


@dataclass
class Watchlists:
    """The loaded set: gazetteer, rules (sorted by id), matcher and version hash."""

    directory: Path
    gazetteer: Gazetteer
    rules: list[Rule]
    files: dict[str, str]
    version: str
    matcher: Matcher = field(repr=False)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def check_watchlists(directory: Path) -> tuple[Watchlists | None, list[WatchlistError]]:
    """Load every file, collecting *all* errors (for ``monitor rules check``)."""
    errors: list[WatchlistError] = []
    directory = Path(directory)
    if not directory.is_dir():
        return None, [WatchlistError("watchlist directory not found", path=directory)]
    gaz_path = directory / GAZETTEER_FILE
    cues_path = directory / CUES_FILE
    try:
        gazetteer = Gazetteer.load(gaz_path)
        lexicon = Lexicon.load(cues_path) if cues_path.is_file() else None
    except WatchlistError as exc:
        return None, [exc]
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    try:
        files = {GAZETTEER_FILE: _sha256(gaz_path)}
        if lexicon is not None:
            files[CUES_FILE] = _sha256(cues_path)
        paths = _rule_files(directory)
    except OSError as exc:
        return None, [WatchlistError(f"cannot read: {exc.strerror or exc}", path=directory)]
    for path in paths:
        try:
            rule = load_rule(path, gazetteer, lexicon)
            files[path.name] = _sha256(path)
        except OSError as exc:
            errors.append(WatchlistError(f"cannot read: {exc.strerror or exc}", path=path))
            continue
        except WatchlistErrors as exc:
            errors.extend(exc.errors)
            continue
        except WatchlistError as exc:
            errors.append(exc)
            continue
        if rule.id in seen:
            errors.append(
                WatchlistError(f"rule {rule.id!r} also defined in {seen[rule.id]}", path=path)
            )
            continue
        seen[rule.id] = path
        if rule.spec.enabled:
            rules.append(rule)
    if errors:
        return None, errors
    rules.sort(key=lambda r: r.id)
    listing = "".join(f"{n}:{h}\n" for n, h in sorted(files.items()))
    if gazetteer.world:  # the world layer is part of the rules: its package's version too
        listing += f"world:{gazetteer.world}\n"
    digest = hashlib.sha256(listing.encode())
    matcher = Matcher(gazetteer, [(r.id, r.query) for r in rules], lexicon)
    return Watchlists(directory, gazetteer, rules, files, digest.hexdigest(), matcher), []


def load_watchlists(directory: Path) -> Watchlists:
    """Load the set or raise the first error (start-up, SIGHUP, replay)."""
    loaded, errors = check_watchlists(directory)
    if errors:
        if len(errors) == 1:
            raise errors[0]
        first = errors[0]
        more = "; ".join(str(e) for e in errors[1:])
        raise WatchlistError(
            f"{first.message} (and {len(errors) - 1} more: {more})",
            path=first.path,
            line=first.line,
        )
    assert loaded is not None
    return loaded


def load_rule(path: Path, gazetteer: Gazetteer, lexicon: Lexicon | None = None) -> Rule:
    """Validate one rule file against the schema, the query grammar and the gazetteer.

    A query using ``LINK`` needs the cue lexicon (``cues.yaml``) beside the gazetteer.
    """
    data, root = load_yaml(path)
    if not isinstance(data, dict):
        raise WatchlistError("expected a mapping with at least a 'query'", path=path, line=1)
    # every problem of the file at once, in line order: "severty:" must not hide "notfiy:",
    # and a bad severity must not hide an unknown "@chinaa" in the query
    found: list[WatchlistError] = []
    spec: RuleSpec | None = None
    try:
        spec = RuleSpec.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            where = ".".join(str(p) for p in loc) or "file"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = f"unknown key (allowed: {', '.join(RuleSpec.model_fields)})"
            found.append(WatchlistError(f"{where}: {msg}", path=path, line=line_of(root, loc)))
    text = data.get("query")
    query = None
    if isinstance(text, str) and text.strip():
        query = _check_query(text, root, path, gazetteer, lexicon, found)
    if spec is not None and spec.new_story:
        for i, part in enumerate(spec.new_story.key):
            try:
                gazetteer.select(part.selector)
            except KeyError as exc:
                line = line_of(root, ("new_story", "key", i))
                found.append(WatchlistError(f"new_story.key: {exc.args[0]}", path=path, line=line))
    if found:
        found.sort(key=lambda e: e.line or 0)
        raise found[0] if len(found) == 1 else WatchlistErrors(found)
    assert spec is not None and query is not None  # no problem found: both were read
    return Rule(spec.name or path.stem, path, spec, query)


def unknown_routes(directory: Path, channels: Collection[str]) -> list[WatchlistError]:
    """Every ``notify:`` entry of the directory's rule files naming a channel not among
    ``channels``, with its file and line: what the daemon refuses to start or reload
    with. Read from each file as written, so a file with other mistakes has its routes
    checked too (every problem in one run)."""
    found: list[WatchlistError] = []
    known = ", ".join(sorted(channels)) or "none"
    for path in _rule_files(Path(directory)):
        try:
            data, root = load_yaml(path)
        except (OSError, WatchlistError):
            continue  # the loader reports it
        notify = data.get("notify") if isinstance(data, dict) else None
        if not isinstance(notify, list) or data.get("enabled") is False:
            continue  # a disabled rule routes nothing
        rule_id = data.get("name") if isinstance(data.get("name"), str) else path.stem
        for i, name in enumerate(notify):
            if isinstance(name, str) and name not in channels:
                found.append(
                    WatchlistError(
                        f"notify: rule {rule_id!r} routes to unknown channel {name!r} "
                        f"(configured: {known})",
                        path=path,
                        line=line_of(root, ("notify", i)),
                    )
                )
    return found


def _rule_files(directory: Path) -> list[Path]:
    """The rule files of a watchlist directory, in name order (not the gazetteer or the
    cue book, not hidden files); raises OSError when it cannot be listed."""
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in (".yaml", ".yml")
        and p.name not in (GAZETTEER_FILE, CUES_FILE)
        and not p.name.startswith(".")
    )


def _check_query(
    text: str,
    root: Any,
    path: Path,
    gazetteer: Gazetteer,
    lexicon: Lexicon | None,
    found: list[WatchlistError],
) -> Node | None:
    """Parse a rule's query and check every name it uses; problems go to ``found``."""
    try:
        query = parse_query(text)
    except QuerySyntaxError as exc:
        line, col = _query_position(root, exc.query_line, exc.column)
        pointer = exc.pointer().replace("\n", "\n    ")
        found.append(
            WatchlistError(
                f"query: {exc.bare_message} (column {col})\n    {pointer}", path=path, line=line
            )
        )
        return None
    if lexicon is None:
        link = _first_link(query)
        if link is not None:
            line, col = _query_position(root, *_line_col(text, _pos(link)))
            found.append(
                WatchlistError(
                    f"query: LINK needs the cue lexicon {CUES_FILE} in the watchlist directory "
                    f"(column {col})",
                    path=path,
                    line=line,
                )
            )
    for ref in _entity_refs(query):
        try:
            gazetteer.select(ref.selector)
        except KeyError as exc:
            line, col = _query_position(root, *_line_col(text, ref.pos))
            found.append(
                WatchlistError(f"query: {exc.args[0]} (column {col})", path=path, line=line)
            )
    return query


def selects_no_one(rule: Rule, gazetteer: Gazetteer) -> list[str]:
    """The selectors of a rule's query and story key that select nothing in this
    gazetteer (``@leader:kenya`` while the gazetteer lists no leader of Kenya): valid,
    since the gazetteer may list one tomorrow, but never true (or, in a key, always
    empty) now — ``monitor rules check`` warns."""
    selectors = [ref.selector for ref in _entity_refs(rule.query)]
    if rule.spec.new_story:
        selectors += [part.selector for part in rule.spec.new_story.key]
    out: list[str] = []
    for selector in selectors:
        if not gazetteer.select(selector) and f"@{selector}" not in out:
            out.append(f"@{selector}")
    return out


def _entity_refs(node: Node) -> list[EntityRef]:
    if isinstance(node, EntityRef):
        return [node]
    if isinstance(node, And | Or):
        return [ref for item in node.items for ref in _entity_refs(item)]
    if isinstance(node, Not | FieldNode):
        return _entity_refs(node.item)
    if isinstance(node, Near | Link):
        return _entity_refs(node.left) + _entity_refs(node.right)
    return []


def _first_link(node: Node) -> Link | None:
    if isinstance(node, Link):
        return node
    for child in children(node):
        found = _first_link(child)
        if found is not None:
            return found
    return None


def _pos(node: Node) -> int:
    """Where a clause starts in the query text (its first term or entity)."""
    if isinstance(node, Term | EntityRef):
        return node.pos
    kids = children(node)
    return _pos(kids[0]) if kids else 0


def _line_col(query: str, pos: int) -> tuple[int, int]:
    before = query[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1


def _query_position(root: yaml.Node | None, query_line: int, column: int) -> tuple[int | None, int]:
    """Map a (line, column) inside the query text to a line of the YAML file."""
    node = node_at(root, ("query",))
    if not isinstance(node, yaml.ScalarNode):
        return line_of(root, ("query",)), column
    if node.style in ("|", ">"):
        return node.start_mark.line + 1 + query_line, column
    if query_line == 1:
        offset = 1 if node.style in ("'", '"') else 0
        return node.start_mark.line + 1, node.start_mark.column + offset + column
    return node.start_mark.line + query_line, column


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
