"""The matcher: query semantics over real text, the gazetteer, evidence spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WATCHLISTS, article, bare_article
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.normalize.text import fold_term
from monitor.rules.ast import Term
from monitor.rules.gazetteer import Gazetteer
from monitor.rules.matcher import Matcher, match_key
from monitor.rules.query import parse_query
from monitor.rules.watchlist import Watchlists

GAZ = """
countries:
  north-korea:
    names: [North Korea, DPRK]
    adjectives: [North Korean, North Koreans]
    capital: pyongyang
  korea-ambiguous:
    names: [Korea]
  united-states:
    names: [United States, US, U.S.]
    capital: washington
cities:
  pyongyang: {names: [Pyongyang], country: north-korea}
  washington: {names: [Washington], country: united-states}
leaders:
  lee-jae-myung:
    names: [Lee Jae Myung]
    ambiguous: [Lee]
    country: korea-ambiguous
    role: president
"""


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "entities.yaml"
    path.write_text(GAZ)
    return Gazetteer.load(path)


def matches(gaz: Gazetteer, query: str, text: str, *, normalized: bool = False) -> list[str] | None:
    """The matched texts if ``query`` holds on ``text`` (first line = title), else None.

    ``normalized`` runs the real normalizer (furniture, lead); otherwise the
    paragraphs are taken exactly as written.
    """
    matcher = Matcher(gaz, [("r", parse_query(query))])
    title, _, body = text.partition("\n\n")
    art = (
        article(text)
        if normalized
        else bare_article(title, *[p for p in body.split("\n\n") if p.strip()])
    )
    doc, found = matcher.match(art)
    if not found:
        return None
    return [doc.text[s:e] for s, e in found[0].spans]


BODY = "Headline about trade\n\nThe minister met the envoy in the capital on Monday and talked.\n"


@pytest.mark.parametrize(
    ("query", "holds"),
    [
        ("minister AND envoy", True),
        ("minister AND banana", False),
        ("banana OR envoy", True),
        ("banana OR envoy AND minister", True),  # AND binds tighter than OR
        ("(banana OR envoy) AND kiwi", False),
        ("envoy AND NOT banana", True),
        ("envoy AND NOT minister", False),
        ("NOT banana", True),
        ('"met the envoy"', True),
        ('"envoy the met"', False),
        ("minist*", True),
        ("minis", False),  # words match whole, not as prefixes
        ("talk*", True),
    ],
)
def test_boolean_semantics(gaz: Gazetteer, query: str, holds: bool) -> None:
    assert (matches(gaz, query, BODY) is not None) == holds


def test_near_counts_words_in_either_order(gaz: Gazetteer) -> None:
    text = "T\n\nalpha one two three beta and then gamma.\n"
    assert matches(gaz, "alpha NEAR/3 beta", text) == ["alpha", "beta"]
    assert matches(gaz, "beta NEAR/3 alpha", text) == ["alpha", "beta"]
    assert matches(gaz, "alpha NEAR/2 beta", text) is None
    assert matches(gaz, "gamma NEAR/2 beta", text) is not None
    assert matches(gaz, "(alpha OR gamma) NEAR/1 zeta", text) is None


def test_near_does_not_join_title_and_body(gaz: Gazetteer) -> None:
    assert matches(gaz, "headline NEAR/5 north", "Big headline\n\nnorth wind.\n") is None


def test_phrases_fold_typographic_apostrophes_both_ways(gaz: Gazetteer) -> None:
    curly_text = "T\n\nNorth Korea\u2019s missiles flew.\n"
    straight_text = "T\n\nNorth Korea's missiles flew.\n"
    for text in (curly_text, straight_text):
        assert matches(gaz, '"north korea\'s missiles"', text) is not None
        assert matches(gaz, "\u201cNorth Korea\u2019s missiles\u201d", text) is not None


def test_field_scopes(gaz: Gazetteer) -> None:
    text = (
        "Envoy visits capital\n\n"
        "A caption\n\n"
        "The envoy arrived on Monday for three days of talks with the government officials there.\n\n"
        "Later paragraphs mention bananas and the harvest in some detail for the readers.\n"
    )
    assert matches(gaz, "title:envoy", text, normalized=True) is not None
    assert matches(gaz, "title:bananas", text, normalized=True) is None
    assert (
        matches(gaz, "lead:arrived", text, normalized=True) is not None
    )  # lead runs to the first real paragraph
    assert matches(gaz, "lead:bananas", text, normalized=True) is None
    assert matches(gaz, "body:bananas", text, normalized=True) is not None
    assert matches(gaz, "body:visits", text, normalized=True) is None
    assert matches(gaz, "title:(envoy AND capital)", text, normalized=True) is not None


def test_entities_longest_match_and_capital(gaz: Gazetteer) -> None:
    text = "T\n\nNorth Korean troops left Pyongyang for the front.\n"
    assert matches(gaz, "@north-korea", text) == ["North Korean", "Pyongyang"]
    # "Korea" inside "North Korean" is not a mention of the shorter alias
    assert matches(gaz, "@korea-ambiguous", text) is None
    # a plain word is text search, not entity recognition
    assert matches(gaz, "korean", text) == ["Korean"]


def test_acronyms_are_case_sensitive(gaz: Gazetteer) -> None:
    assert matches(gaz, "@united-states", "T\n\nConnect with us for more news today.\n") is None
    assert matches(gaz, "@united-states", "T\n\nThe US and Japan agreed.\n") == ["US"]
    assert matches(gaz, "@united-states", "T\n\nThe U.S. and Japan agreed.\n") == ["U.S."]


def test_ambiguous_short_names_need_context(gaz: Gazetteer) -> None:
    photo = "T\n\nThe ministers met in Seoul. (Lee Jin-man/AP Photo)\n"
    assert matches(gaz, "@lee-jae-myung", photo) is None
    titled = "T\n\nPresident Lee said the talks went well.\n"
    assert matches(gaz, "@lee-jae-myung", titled) == ["Lee"]
    alone = "T\n\nLee said the talks went well.\n"
    assert matches(gaz, "@lee-jae-myung", alone) is None
    full = "T\n\nLee Jae-myung arrived. Lee said the talks went well.\n"
    assert matches(gaz, "@lee-jae-myung", full) == ["Lee Jae-myung", "Lee"]
    lower = "T\n\nLee Jae Myung came; the lee side of the hill.\n"
    assert matches(gaz, "@lee-jae-myung", lower) == ["Lee Jae Myung"]


def test_aliases_and_query_terms_are_folded_by_one_function() -> None:
    """Dashes and quotes fold the same in an alias and in a query term: one key."""
    term = parse_query("Yoon-Suk-yeol")
    assert isinstance(term, Term)
    for alias in (
        "Yoon Suk\u2013yeol",
        "Yoon Suk\u2014yeol",
        "YOON SUK\u2011YEOL",
        "yoon suk yeol",
    ):
        assert match_key(fold_term(alias)) == match_key(term.text) == " yoon suk yeol"
    quoted = parse_query("Korea\u2019s")
    assert isinstance(quoted, Term)
    for alias in ("Korea\u201bs", "Korea\u2032s", "Korea\u02bcs", "Korea's"):
        assert match_key(fold_term(alias)) == match_key(quoted.text) == " korea's"


def test_an_en_dash_alias_and_a_hyphenated_term_find_the_same_words(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text(
        "countries:\n  korea: {names: [Korea]}\n"
        "leaders:\n  yoon: {names: [Yoon Suk\u2013yeol], country: korea}\n"
    )
    gaz = Gazetteer.load(path)
    for written in ("Yoon Suk-yeol", "Yoon Suk Yeol", "Yoon Suk\u2013yeol"):
        text = f"T\n\n{written} spoke.\n"
        assert matches(gaz, "@yoon", text) == [written]
        assert matches(gaz, "Suk-yeol", text) == [written[5:]]


def test_only_woken_rules_are_evaluated_but_not_rules_hold_on_absence(gaz: Gazetteer) -> None:
    matcher = Matcher(gaz, [("a", parse_query("envoy")), ("b", parse_query("NOT envoy"))])
    _, found = matcher.match(bare_article("T", "nothing here"))
    assert [m.rule for m in found] == ["b"]
    _, found = matcher.match(bare_article("T", "the envoy"))
    assert [m.rule for m in found] == ["a"]


def test_many_rules_share_one_automaton(gaz: Gazetteer) -> None:
    rules = [(f"r{i}", parse_query(f"word{i} AND common")) for i in range(300)]
    matcher = Matcher(gaz, rules)
    _, found = matcher.match(bare_article("T", "A common word17 and word250 here."))
    assert [m.rule for m in found] == ["r17", "r250"]


WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "north", "korea"])


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=2, max_size=30), st.integers(min_value=1, max_value=6))
def test_near_agrees_with_a_brute_force_count(words: list[str], n: int) -> None:
    path = Path(__file__).with_name("_near_gaz.yaml")
    gaz = Gazetteer({}, source=str(path))
    text = "T\n\n" + " ".join(words) + "\n"
    got = matches(gaz, f"alpha NEAR/{n} beta", text) is not None
    pos_a = [i for i, w in enumerate(words) if w == "alpha"]
    pos_b = [i for i, w in enumerate(words) if w == "beta"]
    want = any(abs(a - b) - 1 <= n for a in pos_a for b in pos_b)
    assert got == want


@pytest.mark.parametrize(
    ("country", "said", "named"),
    [
        ("china", "The CCP is eager to improve trade relations with Canberra.", "CCP"),
        ("iran", "The Revolutionary Guard seized a tanker in the Gulf.", "Revolutionary Guard"),
        ("canada", "CSIS warned of interference in Canada's vote.", "CSIS"),
        ("china", "The PLA held drills near Taiwan, China's defence ministry said.", "PLA"),
        ("united-states", "The FBI arrested two men in New York.", "FBI"),
        ("united-kingdom", "RAF jets escorted two bombers away from Scotland.", "RAF"),
        ("united-kingdom", "The Foreign Office summoned the ambassador.", "Foreign Office"),
        ("germany", "The Bundeswehr will send more troops to Lithuania.", "Bundeswehr"),
    ],
)
def test_a_state_s_ruling_party_and_agencies_stand_for_it_in_the_shipped_gazetteer(
    country: str, said: str, named: str
) -> None:
    """A state's metonyms include the party that rules it and its security services and
    armed forces (the labelling guide counts "their states, governments, … armed
    forces"); an acronym counts only in capitals."""
    shipped = Gazetteer.load(WATCHLISTS / "entities.yaml")
    assert named in (matches(shipped, f"@{country}", f"T\n\n{said}\n") or [])
    assert matches(shipped, "@china", "T\n\nThe ccp valve was replaced.\n") is None


@pytest.mark.parametrize(
    ("country", "said"),
    [
        ("canada", "A CSIS report says China is building hundreds of missile silos."),
        ("china", "Vietnam bans single-use PLA cups imported from Thailand."),
    ],
)
def test_an_ambiguous_metonym_needs_its_state_named(country: str, said: str) -> None:
    """ "CSIS" is also a Washington think tank and "PLA" a plastic: a state's ambiguous
    metonyms count only in an article that names the state itself."""
    shipped = Gazetteer.load(WATCHLISTS / "entities.yaml")
    found = matches(shipped, f"@{country}", f"T\n\n{said}\n")
    assert found is None or "CSIS" not in found and "PLA" not in found


@pytest.mark.parametrize(
    "title",
    [
        "'Russia is our closest partner,' says North Korean envoy",
        "\u2018Russia is our closest partner,\u2019 says North Korean envoy",
    ],
)
def test_a_title_that_opens_with_a_quote_names_its_first_word(
    shipped: Watchlists, title: str
) -> None:
    """A straight quote at the very start of the text is an opening quote, as after a
    space: "'Russia …" names Russia (it named nothing, and the title linked nothing)."""
    doc, matches = shipped.matcher.match(bare_article(title, "The envoy spoke on Monday."))
    assert doc.mentions.get("russia") == [(1, 7)]
    assert "north-korea-russia" in [m.rule for m in matches]
