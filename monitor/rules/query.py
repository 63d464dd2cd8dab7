"""Parse watchlist queries into :mod:`monitor.rules.ast` nodes.

The language is the Boolean search syntax news-monitoring professionals already
use: ``AND``/``OR``/``NOT`` (upper case only, so ``and`` stays a plain word),
parentheses, "quoted phrases", ``@entity`` references, ``NEAR/n`` (``NEAR/s``:
in one sentence), ``LINK`` (in one sentence and linked by an interaction) and
the field scopes ``title:``, ``lead:`` and ``body:``. Precedence, tightest
first: NOT, NEAR/n and LINK, AND, OR. There is no implicit operator: ``foo
bar`` is an error, because
a silently guessed AND or OR is exactly the kind of mistake that makes an alert
fire on the wrong stories.

Parsing uses one module-level lark LALR parser. Token checks (``NEAR/0``, bad
entity names, unknown fields) run as lexer callbacks; the basic lexer feeds the
parser lazily, so errors surface in text order, whichever stage finds them.
Every failure becomes a :class:`~monitor.errors.QuerySyntaxError` with an offset.
"""

from __future__ import annotations

import re

from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from monitor.errors import QuerySyntaxError
from monitor.normalize.text import fold_term
from monitor.rules.ast import And, EntityRef, Field, FieldName, Link, Near, Node, Not, Or, Term

__all__ = ["GRAMMAR", "parse_query"]

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: near_expr (_AND near_expr)*
?near_expr: near_expr NEAR unary -> near
          | near_expr LINK unary -> link
          | unary
?unary: NOT unary -> not_
      | atom
?atom: WORD -> word
     | PREFIX_WORD -> prefix_word
     | PHRASE -> phrase
     | ENTITY -> entity
     | SCOPE atom -> field
     | _LPAR or_expr _RPAR

_AND: "AND"
_OR: "OR"
NOT: "NOT"
NEAR.2: /NEAR(?![^\W_]|['’‘ʼ.\-‐‑*])(?:\/[^\s()"“”„‟＂#]*)?/
LINK.2: /LINK(?![^\W_]|['’‘ʼ.\-‐‑*\/])/
SCOPE.3: /[^\W\d_]+:/
WORD: /[^\W_](?:[^\W_]|['’‘ʼ.\-‐‑])*/
PREFIX_WORD: /[^\W_](?:[^\W_]|['’‘ʼ.\-‐‑])*\*(?![^\W_])/
PHRASE: /["“”„‟＂][^"“”„‟＂]*["“”„‟＂]/
ENTITY: /@[^\s()"“”„‟＂#]*/
_LPAR: "("
_RPAR: ")"
COMMENT: /#[^\n]*/
%ignore COMMENT
%ignore /\s+/
"""
"""Lark grammar. NEAR and entity tokens are lexed loosely and checked by callbacks,
so ``NEAR/x`` or ``@Bad!name`` get a specific message instead of "unexpected '/'"."""

_FIELDS: dict[str, FieldName] = {"title": "title", "lead": "lead", "body": "body"}
_ENTITY_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(?::[a-z0-9][a-z0-9_-]*)?")
_OPERAND = "a term, phrase, @entity or '('"
_OPERAND_STARTS = frozenset({"WORD", "PREFIX_WORD", "PHRASE", "ENTITY", "SCOPE", "_LPAR"})


class _TokenError(Exception):
    """Raised inside lexer callbacks, which do not know the query text; carries the offset."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message = message
        self.pos = pos


def _check_near(tok: Token) -> Token:
    _, slash, distance = tok.partition("/")
    if not slash:
        raise _TokenError("NEAR needs a distance in words, e.g. NEAR/5", tok.start_pos or 0)
    if distance == "s":
        return tok
    if not distance.isascii() or not distance.isdigit() or int(distance) < 1:
        raise _TokenError(
            "NEAR distance must be a positive whole number, e.g. NEAR/5, "
            f"or s for one sentence (NEAR/s), not {distance!r}",
            tok.start_pos or 0,
        )
    return tok


def _check_entity(tok: Token) -> Token:
    name = tok[1:].lower()
    if not name:
        raise _TokenError(
            "'@' must be followed by an entity name, e.g. @north-korea or @leader:japan",
            tok.start_pos or 0,
        )
    if not _ENTITY_NAME.fullmatch(name):
        raise _TokenError(
            f"invalid entity reference {str(tok)!r}: use @name or @kind:country, "
            "names made of a-z, 0-9, '_' and '-'",
            tok.start_pos or 0,
        )
    return tok


def _check_scope(tok: Token) -> Token:
    if tok[:-1].lower() not in _FIELDS:
        raise _TokenError(
            f"unknown field {tok[:-1]!r}: fields are title:, lead: and body:", tok.start_pos or 0
        )
    return tok


def _check_phrase(tok: Token) -> Token:
    body = tok[1:-1].rstrip()
    star = body.find("*")
    if star >= 0 and (star < len(body) - 1 or star == 0 or body[star - 1].isspace()):
        raise _TokenError(
            "'*' (prefix match) is only allowed at the end of a word or phrase",
            (tok.start_pos or 0) + 1 + star,
        )
    if not fold_term(body):
        raise _TokenError("empty phrase", tok.start_pos or 0)
    return tok


_PARSER = Lark(
    GRAMMAR,
    parser="lalr",
    lexer="basic",
    lexer_callbacks={
        "NEAR": _check_near,
        "ENTITY": _check_entity,
        "SCOPE": _check_scope,
        "PHRASE": _check_phrase,
    },
)


def parse_query(text: str) -> Node:
    """Parse one watchlist query; raise :class:`QuerySyntaxError` (never a lark error)."""
    try:
        tree = _PARSER.parse(text)
        return _build(tree)
    except _TokenError as err:
        raise QuerySyntaxError(err.message, query=text, pos=err.pos) from None
    except UnexpectedToken as err:
        message, pos = _explain_token(text, err)
        raise QuerySyntaxError(message, query=text, pos=pos) from None
    except UnexpectedCharacters as err:
        pos = err.pos_in_stream or 0
        raise QuerySyntaxError(_explain_char(text, pos), query=text, pos=pos) from None
    except UnexpectedInput as err:  # pragma: no cover - other lark failure modes
        pos = getattr(err, "pos_in_stream", None) or 0
        raise QuerySyntaxError(f"cannot parse query: {err}", query=text, pos=pos) from None
    except RecursionError:
        raise QuerySyntaxError("query is nested too deeply", query=text, pos=0) from None


# --- tree to AST -----------------------------------------------------------------


def _build(node: Tree[Token] | Token) -> Node:
    """Turn the lark tree into AST nodes, flattening And/Or and checking NEAR/field use."""
    if isinstance(node, Token):  # pragma: no cover - every leaf is wrapped by an alias
        raise _TokenError(f"unexpected {node!r}", node.start_pos or 0)
    kids = node.children
    kind = node.data
    if kind in ("or_expr", "and_expr"):
        cls = Or if kind == "or_expr" else And
        items: list[Node] = []
        for kid in kids:
            built = _build(kid)
            items.extend(built.items if isinstance(built, cls) else (built,))
        return cls(tuple(items))
    if kind == "not_":
        return Not(_build(kids[1]))
    if kind in ("near", "link"):
        left, op, right = kids
        for operand in (left, right):
            if isinstance(operand, Tree) and operand.data == "not_":
                raise _TokenError(f"NOT cannot be an operand of {kind.upper()}", _start(operand))
        assert isinstance(op, Token)
        if kind == "link":
            return Link(_build(left), _build(right))
        distance = op.partition("/")[2]
        if distance == "s":
            return Near(_build(left), _build(right), 0, sentence=True)
        return Near(_build(left), _build(right), int(distance))
    if kind == "field":
        scope, item = kids
        assert isinstance(scope, Token)
        if isinstance(item, Tree):
            for inner in item.iter_subtrees():
                if inner.data == "field":
                    raise _TokenError("field scopes cannot be nested", _start(inner))
        return Field(_FIELDS[scope[:-1].lower()], _build(item))
    tok = kids[0]
    assert isinstance(tok, Token)
    pos = tok.start_pos or 0
    if kind == "entity":
        return EntityRef(tok[1:].lower(), pos=pos)
    if kind == "phrase":
        body = tok[1:-1].rstrip()
        return Term(fold_term(body.rstrip("*")), phrase=True, prefix=body.endswith("*"), pos=pos)
    prefix = kind == "prefix_word"
    text = fold_term(tok[:-1] if prefix else tok)
    return Term(text, phrase=" " in text, prefix=prefix, pos=pos)


def _start(tree: Tree[Token]) -> int:
    """Offset of the first token under ``tree``: where a caret should point."""
    for tok in tree.scan_values(lambda v: isinstance(v, Token)):
        return tok.start_pos or 0
    return 0  # pragma: no cover - rules always contain a token


# --- error messages ----------------------------------------------------------------


def _describe(tok: Token | None) -> str:
    """Name a token the way a watchlist author would, not the way the grammar does."""
    if tok is None or tok.type == "$END":
        return "the end of the query"
    if tok.type in ("WORD", "PREFIX_WORD"):
        return f"word {str(tok)!r}"
    if tok.type == "PHRASE":
        return f"phrase {tok}"
    if tok.type == "ENTITY":
        return f"entity {tok}"
    if tok.type == "SCOPE":
        return f"field scope {str(tok)!r}"
    return f"'{tok}'"


def _tokens_before(text: str, pos: int) -> list[Token]:
    """Re-lex up to ``pos`` (all valid, since the parser got that far) for context."""
    return list(_PARSER.lex(text[:pos]))


def _explain_token(text: str, err: UnexpectedToken) -> tuple[str, int]:
    """Say what was found, what was expected, and where, in words rather than terminal names."""
    expected = set(err.expected)
    tok: Token = err.token
    at_end = tok.type == "$END"
    before = _tokens_before(text, len(text) if at_end else tok.start_pos or 0)
    prev = before[-1] if before else None
    found = _describe(tok)
    if expected & _OPERAND_STARTS:
        if prev is None:
            if at_end:
                return "empty query", 0
            return f"a query cannot start with {found}; expected {_OPERAND}", tok.start_pos or 0
        if at_end:
            return f"nothing after {_describe(prev)}: expected {_OPERAND}", prev.start_pos or 0
        if tok.type == "_RPAR" and prev.type == "_LPAR":
            return f"empty parentheses: expected {_OPERAND}", prev.start_pos or 0
        if tok.type == "NOT" and prev.type == "SCOPE":
            return f"NOT cannot follow {_describe(prev)}; put NOT first", tok.start_pos or 0
        message = f"unexpected {found} after {_describe(prev)}: expected {_OPERAND}"
        return message, tok.start_pos or 0
    if at_end or tok.type == "_RPAR":
        return _explain_parens(before, tok)
    if tok.type == "NOT":
        return "missing operator before 'NOT': to exclude, write AND NOT", tok.start_pos or 0
    if tok.type == "WORD" and tok.lower() in ("and", "or", "not", "near"):
        return (
            f"missing operator before word {str(tok)!r}: operators are written in upper case "
            f"({tok.upper()}{'/n' if tok.lower() == 'near' else ''})",
            tok.start_pos or 0,
        )
    if tok.type in _OPERAND_STARTS:
        return (
            f"missing operator before {found}: join terms with AND or OR "
            "(terms are never combined implicitly)",
            tok.start_pos or 0,
        )
    return f"unexpected {found}: expected AND, OR, NEAR/n, LINK or ')'", tok.start_pos or 0


def _explain_parens(before: list[Token], tok: Token) -> tuple[str, int]:
    """An unwanted ')' or early end means unbalanced parentheses; point at the culprit."""
    opened: list[int] = []
    for prior in before:
        if prior.type == "_LPAR":
            opened.append(prior.start_pos or 0)
        elif prior.type == "_RPAR" and opened:
            opened.pop()
    if tok.type == "_RPAR":
        return "unbalanced parentheses: ')' has no matching '('", tok.start_pos or 0
    if opened:
        return "unbalanced parentheses: '(' is never closed", opened[-1]
    return "unexpected end of the query", (before[-1].end_pos or 0) if before else 0


def _explain_char(text: str, pos: int) -> str:
    """Explain a character no token can start with, with the likely intent where there is one."""
    char = text[pos]
    if char in '"“”„‟＂':
        return "unterminated phrase: no closing quote"
    if char == "*":
        return "'*' (prefix match) is only allowed at the end of a word, as in summit*"
    if char == ":":
        return "':' must follow a field name: title:, lead: or body:"
    if char in "&|":
        return f"unexpected {char!r}: write AND or OR"
    if char in "-!":
        return f"unexpected {char!r}: to exclude a term write NOT"
    if char == "/":
        return "unexpected '/': proximity is written NEAR/n, in upper case"
    return f"unexpected character {char!r}"
