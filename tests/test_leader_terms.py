"""Leaders in their time: terms, "former", role phrases, counterparts, spellings.

Texts are written for these tests. Terms come from the shipped entities.yaml:
Kishida (Japan) 2021-10-04..2024-10-01, Ishiba 2024-10-01..2025-10-21,
Takaichi from 2025-10-21; Yoon (South Korea) 2022-05-10..2025-04-04, Choi
acting 2024-12-27..2025-03-24, Han acting twice, Lee Jae Myung from 2025-06-04.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import WATCHLISTS

from monitor.article import Article
from monitor.errors import WatchlistError
from monitor.normalize import fold
from monitor.rules.gazetteer import Gazetteer
from monitor.rules.watchlist import Watchlists

Y2023 = datetime(2023, 6, 1, tzinfo=UTC)
Y2025 = datetime(2025, 8, 20, tzinfo=UTC)
Y2026 = datetime(2026, 2, 1, tzinfo=UTC)


def leaders(
    wl: Watchlists, body: str, published: datetime | None, title: str = "News"
) -> dict[str, list[str]]:
    """Leader id -> the words that mention them, for one article."""
    art = Article(
        source="t",
        item_id="x",
        title=fold(title),
        paragraphs=(fold(body),),
        content_hash="x",
        published=published,
    )
    doc = wl.matcher.scan(art)
    kinds = wl.gazetteer.entities
    return {
        ent: [doc.text[s:e] for s, e in spans]
        for ent, spans in doc.mentions.items()
        if kinds[ent].kind == "leader"
    }


# -- terms and "former" ---------------------------------------------------------------


def test_an_alias_counts_only_inside_the_term(shipped: Watchlists) -> None:
    body = "Fumio Kishida spoke with Yoon Suk Yeol by phone."
    assert set(leaders(shipped, body, Y2023)) == {"kishida-fumio", "yoon-suk-yeol"}
    assert leaders(shipped, body, Y2026) == {}  # both left office before 2026
    # no publication date: nobody can say who was in office, so names count
    assert set(leaders(shipped, body, None)) == {"kishida-fumio", "yoon-suk-yeol"}


@pytest.mark.parametrize(
    "body",
    [
        "Former Prime Minister Fumio Kishida visited the museum.",
        "Japan's former prime minister, Fumio Kishida, visited the museum.",
        "Fumio Kishida, a former prime minister, visited the museum.",
        "Ex-PM Kishida visited the museum.",
    ],
)
def test_former_makes_a_mention_not_the_sitting_leader(shipped: Watchlists, body: str) -> None:
    assert "kishida-fumio" not in leaders(shipped, body, Y2023)


def test_then_as_an_adverb_and_other_formers_do_not_hide_the_leader(shipped: Watchlists) -> None:
    found = leaders(shipped, "Ministers met first, and then Kishida joined them.", Y2023)
    assert "kishida-fumio" in found
    found = leaders(shipped, "Yoon Suk Yeol, a former prosecutor, spoke.", Y2023)
    assert "yoon-suk-yeol" in found
    found = leaders(shipped, "Late on Thursday, Kishida left for the airport.", Y2023)
    assert "kishida-fumio" in found


def test_terms_with_two_stints(shipped: Watchlists) -> None:
    acting = "Acting President Han Duck-soo chaired the cabinet meeting."
    assert "han-duck-soo" in leaders(shipped, acting, datetime(2024, 12, 20, tzinfo=UTC))
    assert "han-duck-soo" not in leaders(shipped, acting, datetime(2025, 2, 1, tzinfo=UTC))
    assert "han-duck-soo" in leaders(shipped, acting, datetime(2025, 4, 10, tzinfo=UTC))


# -- ambiguous surnames need their country -------------------------------------------------


def test_another_countrys_surname_is_not_a_korean_leader(shipped: Watchlists) -> None:
    for body in (
        "Singapore PM Lee opened the trade fair.",
        "Singapore's Lee opened the trade fair.",
        "Singaporean Prime Minister Lee opened the trade fair.",
    ):
        assert "lee-jae-myung" not in leaders(shipped, body, Y2025), body
    # even when the Korean president is named in full elsewhere in the article
    both = "Lee Jae Myung flew home. Singapore PM Lee opened the trade fair."
    assert leaders(shipped, both, Y2025)["lee-jae-myung"] == ["Lee Jae Myung"]


def test_a_surname_after_its_own_country_counts(shipped: Watchlists) -> None:
    assert leaders(shipped, "S Korea's Lee arrived in Tokyo.", Y2025) == {"lee-jae-myung": ["Lee"]}
    assert leaders(shipped, "He said S. Korean Lee would attend.", Y2025) == {
        "lee-jae-myung": ["Lee"]
    }
    assert leaders(shipped, "Lee arrived in Tokyo.", Y2025) == {}  # no context at all


def test_the_office_named_for_its_country_makes_the_surname_count(shipped: Watchlists) -> None:
    """ "Lee: talks will go on | South Korea's president said …": the role phrase names
    the holder as the full name would; another country's office does not."""
    body = "South Korea's president told reporters the talks would go on."
    found = leaders(shipped, body, Y2025, title="Lee: talks with Tokyo will go on")
    assert found == {"lee-jae-myung": ["Lee", "South Korea's president"]}
    other = "Japan's prime minister told reporters the talks would go on."
    assert "lee-jae-myung" not in leaders(shipped, other, Y2025, title="Lee: talks will go on")


def test_headlines_name_leaders_by_surname(shipped: Watchlists) -> None:
    """A surname counts in a headline that names another sitting leader outright, or the
    leader's own country for sure ("Xi lands in Dhaka as Beijing readies loans")."""
    found = leaders(shipped, "", Y2026, title="Takaichi, Lee agree to meet more often")
    assert set(found) == {"takaichi-sanae", "lee-jae-myung"}
    # … not alone, and not with a leader who is no longer in office
    assert leaders(shipped, "", Y2026, title="Lee agrees to meet more often") == {}
    assert "lee-jae-myung" not in leaders(shipped, "", Y2026, title="Kishida, Lee share a stage")
    # … or beside the leader's own country, named for sure by its name or its capital
    title = "Lee lands in Tokyo as Seoul readies a trade package"
    assert leaders(shipped, "", Y2026, title=title) == {"lee-jae-myung": ["Lee"]}
    # not another country's, nor in the body
    assert leaders(shipped, "", Y2026, title="Lee lands in Tokyo as Japan readies a package") == {}
    assert leaders(shipped, "Lee landed as Seoul readied a package.", Y2026) == {}


def test_surnames_coordinated_with_a_leader_count(shipped: Watchlists) -> None:
    body = "Officials said Takaichi and Lee would sign the accord."
    assert set(leaders(shipped, body, Y2026)) == {"takaichi-sanae", "lee-jae-myung"}
    assert "lee-jae-myung" not in leaders(shipped, "Officials said Lee would sign.", Y2026)


def test_two_coordinated_surnames_count_when_both_countries_are_named(
    shipped: Watchlists,
) -> None:
    """ "Xi and Marcos hold talks": neither is named in full, each is the other's context
    when the article names both leaders' countries."""
    body = "Xi and Marcos held talks in Beijing on the sea dispute."
    found = leaders(shipped, body, Y2023, title="China, Philippines agree to calm sea row")
    assert set(found) == {"xi-jinping", "marcos-ferdinand-jr"}
    # without both countries named, two surnames are no context for each other
    assert leaders(shipped, body, Y2023, title="Talks on the sea dispute") == {}
    # the two countries in the body only, or people named for what they are, vouch for none
    body = "Two researchers, Kim and Lee, said North Korea's exports to South Korea fell."
    assert leaders(shipped, body, Y2023, title="Korean trade") == {}
    title = "North Korea, South Korea trade accusations"
    assert leaders(shipped, "Analysts Kim and Lee said talks stalled.", Y2023, title=title) == {}
    bare = leaders(shipped, body.replace("Beijing", "Hanoi"), Y2023, title="Philippines talks")
    assert bare == {}


def test_a_surname_after_another_given_name_is_another_person(shipped: Watchlists) -> None:
    """ "Jill Biden", "Hunter Biden" are not the president; "When Biden …", "On Monday
    Biden …", "Britain's Sunak", a misspelt given name of the leader's own, another
    leader's name before the surname and a Title Case headline's "Sunak Meets Biden"
    are the leader."""
    for body in (
        "Jill Biden met the prime minister's wife in London.",
        "Lawyers for Hunter Biden said the inquiry was over.",
    ):
        assert "biden-joe" not in leaders(shipped, body, Y2023), body
    for body, leader in (
        ("When Biden met Sunak, they spoke of trade.", "biden-joe"),
        ("On Monday Biden met Britain's Sunak in Belfast.", "biden-joe"),
        ("Earlier Biden met Sunak in Belfast.", "biden-joe"),
        ("Yesterday Biden spoke with Sunak.", "biden-joe"),
        ("Narenda Modi arrived in Washington on Wednesday.", "modi-narendra"),
        ("Officials said a Xi Putin meeting was likely.", "putin-vladimir"),
    ):
        assert leader in leaders(shipped, body, Y2023), body
    found = leaders(shipped, "", Y2023, title="Sunak Meets Biden In Washington For Talks")
    assert {"biden-joe", "sunak-rishi"} <= set(found)
    # a sentence-case headline full of names is no Title Case headline
    title = "Jill Biden meets Rishi Sunak's wife Akshata at Downing Street"
    assert "biden-joe" not in leaders(shipped, "", Y2023, title=title)


# -- role phrases by date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "published", "expected"),
    [
        ("South Korea's president spoke.", Y2023, "yoon-suk-yeol"),
        ("South Korea's president spoke.", Y2025, "lee-jae-myung"),
        ("The South Korean president spoke.", datetime(2025, 1, 10, tzinfo=UTC), "yoon-suk-yeol"),
        (
            "South Korea's acting president spoke.",
            datetime(2025, 1, 10, tzinfo=UTC),
            "choi-sang-mok",
        ),
        ("The ROK President spoke.", Y2023, "yoon-suk-yeol"),
        ("The president of South Korea spoke.", Y2025, "lee-jae-myung"),
        ("Japan's prime minister spoke.", Y2023, "kishida-fumio"),
        ("Japan's prime minister spoke.", datetime(2024, 11, 20, tzinfo=UTC), "ishiba-shigeru"),
        ("Japan's prime minister spoke.", Y2026, "takaichi-sanae"),
        ("The Japanese leader spoke.", Y2026, "takaichi-sanae"),
        ("Japan's new PM spoke.", Y2026, "takaichi-sanae"),
    ],
)
def test_role_phrases_resolve_to_whoever_held_the_office(
    shipped: Watchlists, body: str, published: datetime, expected: str
) -> None:
    assert list(leaders(shipped, body, published)) == [expected]


def test_role_phrases_need_a_publication_date(shipped: Watchlists) -> None:
    assert leaders(shipped, "South Korea's president spoke.", None) == {}


@pytest.mark.parametrize(
    "body",
    [
        "It was the first visit by a South Korean president in years.",
        "South Korea's former president spoke.",
        "Japan's deputy prime minister spoke.",
        "The South Korean opposition leader spoke.",
        "South Korea's president-elect spoke.",
        "Japan's leaders disagree on taxes.",  # a government, not one office holder
        "The leader of Japan's largest union spoke.",
        "South Korean President Park Chung-hee ruled for 18 years.",  # a named predecessor
    ],
)
def test_role_phrases_that_name_someone_else(shipped: Watchlists, body: str) -> None:
    assert leaders(shipped, body, Y2023) == {}


def test_the_leaders_of_two_countries(shipped: Watchlists) -> None:
    for body in (
        "The leaders of Japan and South Korea spoke.",
        "Japanese and South Korean leaders spoke.",
        "Japan and South Korea's leaders spoke.",
    ):
        assert set(leaders(shipped, body, Y2026)) == {"takaichi-sanae", "lee-jae-myung"}, body


def test_a_counterpart_is_the_other_leader_only_for_a_leader(shipped: Watchlists) -> None:
    found = leaders(shipped, "Takaichi held talks with her South Korean counterpart.", Y2026)
    assert found["lee-jae-myung"] == ["South Korean counterpart"]
    ministers = "Takaichi's foreign minister met his South Korean counterpart."
    assert "lee-jae-myung" not in leaders(shipped, ministers, Y2026)


def test_headline_spellings_of_south_korea(shipped: Watchlists) -> None:
    for title in ("S Korea's president visits Tokyo", "S. Korean President visits Tokyo"):
        assert list(leaders(shipped, "", Y2025, title=title)) == ["lee-jae-myung"], title


# -- the gazetteer file -----------------------------------------------------------------------


def _gazetteer(tmp_path: Path, text: str) -> Gazetteer:
    path = tmp_path / "entities.yaml"
    path.write_text(text, encoding="utf-8")
    return Gazetteer.load(path)


GAZ = """
countries:
  ruritania: {names: [Ruritania], adjectives: [Ruritanian]}
roles:
  president: [president, leader]
leaders:
  rudolf:
    names: [Rudolf Rassendyll]
    country: ruritania
    role: ROLE
    term: TERM
"""


def _gaz_text(role: str, term: str) -> str:
    return GAZ.replace("ROLE", role).replace("TERM", term)


def test_terms_may_list_several_stints(tmp_path: Path) -> None:
    gaz = _gazetteer(
        tmp_path,
        _gaz_text("president", "[[2001-01-01, 2004-12-31], [2010-01-01, null]]"),
    )
    rudolf = gaz.entities["rudolf"]
    assert [rudolf.in_office(datetime(y, 6, 1).date()) for y in (2002, 2007, 2030)] == [
        True,
        False,
        True,
    ]
    assert gaz.roles == {"president": ("president", "leader")}


@pytest.mark.parametrize(
    ("role", "term", "message"),
    [
        ("king", "[2001-01-01, null]", "'king' is not listed under roles"),
        ("president", "[2005-01-01, 2001-01-01]", "ends (2001-01-01) before it starts"),
        ("president", "[2001-01-01]", "expected [start, end]"),
    ],
)
def test_gazetteer_errors_name_the_line(tmp_path: Path, role: str, term: str, message: str) -> None:
    with pytest.raises(WatchlistError) as err:
        _gazetteer(tmp_path, _gaz_text(role, term))
    assert message in str(err.value)
    assert err.value.line is not None and err.value.line >= 7


def test_the_shipped_gazetteer_has_roles_for_every_leader() -> None:
    gaz = Gazetteer.load(WATCHLISTS / "entities.yaml")
    for ent in gaz.entities.values():
        if ent.kind == "leader":
            assert ent.role in gaz.roles, ent.id
            assert "leader" in gaz.roles[ent.role or ""], ent.id  # "counterpart" needs it
