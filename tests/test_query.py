"""Tests for the watchlist query parser: structure, folding, errors and a round trip."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.errors import QuerySyntaxError
from monitor.rules.ast import And, EntityRef, Field, FieldName, Near, Node, Not, Or, Term
from monitor.rules.query import parse_query


def strip(node: Node) -> Node:
    """Zero every ``pos`` so structure can be compared on its own."""
    if isinstance(node, Term | EntityRef):
        return dataclasses.replace(node, pos=0)
    if isinstance(node, And):
        return And(tuple(strip(i) for i in node.items))
    if isinstance(node, Or):
        return Or(tuple(strip(i) for i in node.items))
    if isinstance(node, Not):
        return Not(strip(node.item))
    if isinstance(node, Near):
        return Near(strip(node.left), strip(node.right), node.distance)
    return Field(node.field, strip(node.item))


def p(text: str) -> Node:
    return strip(parse_query(text))


def t(text: str, *, phrase: bool = False, prefix: bool = False) -> Term:
    return Term(text, phrase=phrase, prefix=prefix)


A, B, C = t("a"), t("b"), t("c")


# --- structure -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a OR b AND c", Or((A, And((B, C))))),
        ("a AND b OR c", Or((And((A, B)), C))),
        ("NOT a AND b", And((Not(A), B))),
        ("a AND NOT b", And((A, Not(B)))),
        ("NOT a", Not(A)),
        ("a NEAR/3 b OR c", Or((Near(A, B, 3), C))),
        ("a NEAR/3 b AND c", And((Near(A, B, 3), C))),
        ("a AND b NEAR/2 c", And((A, Near(B, C, 2)))),
        ("a NEAR/1 b NEAR/7 c", Near(Near(A, B, 1), C, 7)),
        ("a NEAR/2 (b OR c)", Near(A, Or((B, C)), 2)),
        ("(a OR b) AND c", And((Or((A, B)), C))),
        ("NOT (a OR b)", Not(Or((A, B)))),
    ],
)
def test_precedence(query: str, expected: Node) -> None:
    assert p(query) == expected


def test_flattening() -> None:
    assert p("a AND b AND c") == And((A, B, C))
    assert p("a AND (b AND c)") == And((A, B, C))
    assert p("(a OR b) OR c OR (a OR b)") == Or((A, B, C, A, B))
    assert p("a AND (b OR c) AND a") == And((A, Or((B, C)), A))


def test_near_distance_and_operands() -> None:
    node = p('"kim jong un" NEAR/10 @leader:japan')
    assert node == Near(t("kim jong un", phrase=True), EntityRef("leader:japan"), 10)
    assert p("a NEAR/025 b") == Near(A, B, 25)
    assert p("title:a NEAR/4 b") == Near(Field("title", A), B, 4)


def test_phrases_fold_quotes_case_and_hyphens() -> None:
    assert p("“North Korea’s”") == t("north korea's", phrase=True)
    assert p('"North  Korea‘s\n  Missile-Test"') == t("north korea's missile test", phrase=True)
    assert p("„Seoul“") == t("seoul", phrase=True)
    assert p('"summit"') == t("summit", phrase=True)
    assert p('"kim jong*"') == t("kim jong", phrase=True, prefix=True)


def test_phrases_fold_dashes_like_aliases() -> None:
    """En and em dashes are spaces in a term, as in an alias (one fold: ``fold_term``)."""
    assert p('"Japan\u2013South Korea summit"') == t("japan south korea summit", phrase=True)
    assert p('"Seoul\u2014Tokyo"') == t("seoul tokyo", phrase=True)
    assert p('"Korea\u201bs"') == p('"Korea\u2032s"') == t("korea's", phrase=True)


def test_words() -> None:
    assert p("U.S.") == t("u.s.")
    assert p("Kim’s") == t("kim's")
    assert p("Suk-yeol") == t("suk yeol", phrase=True)
    assert p("North-Korean") == t("north korean", phrase=True)
    assert p("summit*") == t("summit", prefix=True)
    assert p("윤석열") == t("윤석열")


def test_lower_case_operators_are_words() -> None:
    with pytest.raises(QuerySyntaxError, match="missing operator"):
        parse_query("a and b")
    assert p('"war and peace"') == t("war and peace", phrase=True)
    assert p("ANDROID OR NEARBY OR NOTE OR ORACLE") == Or(
        (t("android"), t("nearby"), t("note"), t("oracle"))
    )


def test_entities() -> None:
    assert p("@north-korea") == EntityRef("north-korea")
    assert p("@Leader:Japan") == EntityRef("leader:japan")
    assert p("@city AND NOT @seoul_2") == And((EntityRef("city"), Not(EntityRef("seoul_2"))))


def test_field_scopes() -> None:
    assert p("title:summit") == Field("title", t("summit"))
    assert p('lead:"kim jong un"') == Field("lead", t("kim jong un", phrase=True))
    assert p("body:@japan") == Field("body", EntityRef("japan"))
    assert p("title:(a OR b) AND body:c") == And((Field("title", Or((A, B))), Field("body", C)))
    assert p("NOT title:a") == Not(Field("title", A))
    assert p("Title:a") == Field("title", A)


def test_positions() -> None:
    node = parse_query("(a OR\n  @japan) AND title:“b c”")
    assert isinstance(node, And)
    group, field = node.items
    assert isinstance(group, Or) and isinstance(field, Field)
    assert [i.pos for i in group.items if isinstance(i, Term | EntityRef)] == [1, 8]
    assert isinstance(field.item, Term) and field.item.pos == 26


def test_whitespace_and_comments() -> None:
    query = "# leaders meeting\n(a  # first\n\tOR b)\n\nAND c  # done\n"
    assert p(query) == And((Or((A, B)), C))


# --- errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "pos", "fragment"),
    [
        ("(a AND b", 0, "'(' is never closed"),
        ("a AND (b OR (c)", 6, "'(' is never closed"),
        ("a OR b)", 6, "')' has no matching '('"),
        ("a AND", 2, "nothing after 'AND': expected a term, phrase, @entity or '('"),
        ("a AND OR b", 6, "unexpected 'OR' after 'AND'"),
        ("foo bar", 4, "missing operator before word 'bar': join terms with AND or OR"),
        ("a NOT b", 2, "AND NOT"),
        ("a NEAR/x b", 2, "NEAR distance must be a positive whole number"),
        ("a NEAR/0 b", 2, "positive whole number"),
        ("a NEAR b", 2, "NEAR needs a distance"),
        ("a NEAR/3 NOT b", 9, "NOT cannot be an operand of NEAR"),
        ("NOT a NEAR/3 b", 0, "NOT cannot be an operand of NEAR"),
        ("title:", 0, "nothing after field scope 'title:'"),
        ("title:NOT a", 6, "NOT cannot follow"),
        ("title:body:a", 6, "cannot be nested"),
        ("a AND @", 6, "'@' must be followed by an entity name"),
        ("@Bad!name", 0, "invalid entity reference"),
        ('a AND "kim jong', 6, "unterminated phrase"),
        ('""', 0, "empty phrase"),
        ("subject:foo", 0, "unknown field 'subject': fields are title:, lead: and body:"),
        ("sum*mit", 3, "'*'"),
        ("*mit", 0, "'*'"),
        ('"a*b"', 2, "'*'"),
        ("", 0, "empty query"),
        ("  # nothing\n", 0, "empty query"),
        ("()", 0, "empty parentheses"),
        ("AND a", 0, "cannot start with 'AND'"),
        ("a & b", 2, "write AND or OR"),
        ("a near/3 b", 2, "operators are written in upper case (NEAR/n)"),
        ("a and b", 2, "operators are written in upper case (AND)"),
        ("near/3 b", 4, "NEAR/n, in upper case"),
        ("a OR\n  b c", 9, "missing operator"),
    ],
)
def test_errors(query: str, pos: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    err = info.value
    assert fragment in err.bare_message
    assert err.pos == pos
    assert err.query == query


def test_error_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("a OR\n  b c")
    assert (info.value.query_line, info.value.column) == (2, 5)
    assert info.value.pointer() == "  b c\n    ^"


def test_deep_nesting_is_a_query_error() -> None:
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        parse_query("a NEAR/1 " * 5000 + "b")


# --- round trip ------------------------------------------------------------------

FIELDS: tuple[FieldName, ...] = ("title", "lead", "body")
OR_LEVEL, AND_LEVEL, NEAR_LEVEL, NOT_LEVEL, ATOM_LEVEL = range(1, 6)

words = st.from_regex(r"[a-z0-9](?:[a-z0-9]|['.][a-z0-9]){0,6}\.?", fullmatch=True)
selectors = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}(?::[a-z0-9][a-z0-9_-]{0,6})?", fullmatch=True)
leaves = st.one_of(
    st.builds(Term, words, prefix=st.booleans()),
    st.builds(
        lambda ws, prefix: Term(" ".join(ws), phrase=True, prefix=prefix),
        st.lists(words, min_size=1, max_size=3),
        st.booleans(),
    ),
    st.builds(EntityRef, selectors),
)


def has_field(node: Node) -> bool:
    if isinstance(node, Field):
        return True
    if isinstance(node, And | Or):
        return any(has_field(i) for i in node.items)
    if isinstance(node, Not):
        return has_field(node.item)
    if isinstance(node, Near):
        return has_field(node.left) or has_field(node.right)
    return False


def flat(cls: type[And] | type[Or], items: list[Node]) -> Node:
    """Build And/Or in the parser's normal form: no same-kind child."""
    out: list[Node] = []
    for item in items:
        out.extend(item.items if isinstance(item, cls) else (item,))
    return cls(tuple(out))


def composites(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    near_operand = children.filter(lambda n: not isinstance(n, Not))
    return st.one_of(
        st.builds(flat, st.just(And), st.lists(children, min_size=2, max_size=3)),
        st.builds(flat, st.just(Or), st.lists(children, min_size=2, max_size=3)),
        st.builds(Not, children),
        st.builds(Near, near_operand, near_operand, st.integers(1, 50)),
        st.builds(Field, st.sampled_from(FIELDS), children.filter(lambda n: not has_field(n))),
    )


asts = st.recursive(leaves, composites, max_leaves=12)


def render(node: Node, sep: str) -> tuple[str, int]:
    """Query text for ``node`` and its binding level (higher binds tighter)."""

    def wrap(child: Node, need: int) -> str:
        text, level = render(child, sep)
        return text if level >= need else f"({text})"

    if isinstance(node, Term):
        star = "*" if node.prefix else ""
        return (f'"{node.text}{star}"' if node.phrase else node.text + star), ATOM_LEVEL
    if isinstance(node, EntityRef):
        return "@" + node.selector, ATOM_LEVEL
    if isinstance(node, Or):
        return f"{sep}OR{sep}".join(wrap(i, AND_LEVEL) for i in node.items), OR_LEVEL
    if isinstance(node, And):
        return f"{sep}AND{sep}".join(wrap(i, NEAR_LEVEL) for i in node.items), AND_LEVEL
    if isinstance(node, Near):
        left, right = wrap(node.left, NEAR_LEVEL), wrap(node.right, NOT_LEVEL)
        return f"{left}{sep}NEAR/{node.distance}{sep}{right}", NEAR_LEVEL
    if isinstance(node, Not):
        return f"NOT{sep}{wrap(node.item, NOT_LEVEL)}", NOT_LEVEL
    return f"{node.field}:{wrap(node.item, ATOM_LEVEL)}", ATOM_LEVEL


@settings(max_examples=300, deadline=None)
@given(asts, st.sampled_from([" ", "\n", "  \t", " # note\n "]))
def test_render_then_parse_round_trips(node: Node, sep: str) -> None:
    text, _ = render(node, sep)
    assert p(text) == node
