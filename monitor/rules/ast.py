"""The query language's syntax tree.

Queries are parsed (by :mod:`monitor.rules.query`) into these frozen nodes and
then compiled by the matcher; nothing else depends on the grammar. Term text
is stored already folded (typographic quotes to ASCII, lower case, hyphens as
spaces) so it compares directly against the matcher's folded article text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

FieldName: TypeAlias = Literal["title", "lead", "body"]


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a "quoted phrase"; ``prefix`` when it ended in ``*`` (``summit*``)."""

    text: str
    phrase: bool = False
    prefix: bool = False
    pos: int = 0


@dataclass(frozen=True, slots=True)
class EntityRef:
    """``@north-korea`` (an entity and what belongs to it) or ``@leader:japan`` (a kind)."""

    selector: str
    pos: int = 0


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class Near:
    """``left NEAR/n right``: at most ``distance`` words between them, either order.

    ``NEAR/s`` (``sentence``) asks for one sentence instead of a word count.
    """

    left: Node
    right: Node
    distance: int
    sentence: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """``left LINK right``: in one sentence, linked by an interaction, not merely co-listed.

    What counts as linked is :mod:`monitor.rules.linking`, with the cue words
    of the watchlist directory's ``cues.yaml``.
    """

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Field:
    """``title:x``, ``lead:x``, ``body:x``: ``item`` must hold inside that field."""

    field: FieldName
    item: Node


Node: TypeAlias = Term | EntityRef | And | Or | Not | Near | Link | Field


def render(node: Node) -> str:
    """Query text for a node (for explanations; parenthesised to be unambiguous)."""
    if isinstance(node, Term):
        text = f'"{node.text}"' if node.phrase else node.text
        return text + ("*" if node.prefix else "")
    if isinstance(node, EntityRef):
        return f"@{node.selector}"
    if isinstance(node, And):
        return "(" + " AND ".join(render(i) for i in node.items) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(render(i) for i in node.items) + ")"
    if isinstance(node, Not):
        return f"NOT {render(node.item)}"
    if isinstance(node, Near):
        distance = "s" if node.sentence else node.distance
        return f"({render(node.left)} NEAR/{distance} {render(node.right)})"
    if isinstance(node, Link):
        return f"({render(node.left)} LINK {render(node.right)})"
    return f"{node.field}:{render(node.item)}"


def children(node: Node) -> tuple[Node, ...]:
    """Direct sub-clauses of a node (none for terms and entity references)."""
    if isinstance(node, And | Or):
        return node.items
    if isinstance(node, Not | Field):
        return (node.item,)
    if isinstance(node, Near | Link):
        return (node.left, node.right)
    return ()
