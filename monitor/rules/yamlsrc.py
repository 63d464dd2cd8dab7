"""YAML loading that remembers where every value came from.

Watchlist errors must name the file *and the line*; PyYAML's composed node
tree carries start marks, so we load once into nodes, construct plain data
from them, and look lines up by the path pydantic or our checks report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from monitor.errors import WatchlistError


def load_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree for :func:`line_of`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchlistError(f"cannot read: {exc}", path=path) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise WatchlistError(f"invalid YAML: {exc.problem or exc}", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        raise WatchlistError(f"invalid YAML: {exc}", path=path) from exc
    _no_duplicate_keys(root, path)
    return data, root


def _no_duplicate_keys(root: yaml.Node | None, path: Path) -> None:
    """Refuse a key given twice in one mapping. PyYAML keeps the last silently, so an
    entity or a rule setting written twice would lose the first without a word."""
    stack = [root] if root is not None else []
    visited: set[int] = set()  # an alias is the node it names: "&a … *a" inside itself
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    # the resolved tag and text: "1" and '1' are two keys
                    ident = (key.tag, key.value)
                    if ident in seen:
                        raise WatchlistError(
                            f"duplicate key {key.value!r} (first at line {seen[ident]})",
                            path=path,
                            line=line,
                        )
                    seen[ident] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def node_at(root: yaml.Node | None, loc: Sequence[Any]) -> yaml.Node | None:
    """The deepest node along ``loc`` (mapping keys / sequence indexes) that exists."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    node = value_node
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


def key_node_at(root: yaml.Node | None, loc: Sequence[Any]) -> yaml.Node | None:
    """The *key* node of the last element of ``loc`` (points at ``query:`` not its value)."""
    parent = node_at(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode) and loc:
        for key_node, _ in parent.value:
            if key_node.value == str(loc[-1]):
                return key_node
    return node_at(root, loc)


def line_of(root: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    """1-based line of the value at ``loc`` (or its nearest existing ancestor)."""
    node = key_node_at(root, loc)
    return node.start_mark.line + 1 if node is not None else None
