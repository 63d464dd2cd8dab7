"""Officials in the gazetteer: a state acts through its ministers.

Texts are written for these tests. The officials and their terms come from the
shipped entities.yaml: Lavrov (Russia's foreign minister from 2004), Blinken
(US secretary of state 2021-01-26..2025-01-20).
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
from monitor.rules.story import story_key
from monitor.rules.watchlist import KeyPart, Watchlists, load_watchlists

Y2023 = datetime(2023, 6, 1, tzinfo=UTC)
Y2026 = datetime(2026, 2, 1, tzinfo=UTC)


def _article(title: str, body: str, published: datetime | None) -> Article:
    return Article(
        source="t",
        item_id="x",
        title=fold(title),
        paragraphs=(fold(body),) if body else (),
        content_hash="x",
        published=published,
    )


@pytest.fixture(scope="module")
def relations(tmp_path_factory: pytest.TempPathFactory) -> Watchlists:
    """The shipped gazetteer and cues with two relation rules written as a user writes
    them (docs/watchlists.md)."""
    d = tmp_path_factory.mktemp("wl")
    for name in ("entities.yaml", "cues.yaml"):
        (d / name).write_text((WATCHLISTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    for a, b in (("north-korea", "russia"), ("united-states", "china"), ("japan", "china")):
        (d / f"{a}-{b}.yaml").write_text(
            f"description: An article links {a} and {b}.\n"
            f"query: (@{a} OR @leader:{a}) LINK (@{b} OR @leader:{b})\n",
            encoding="utf-8",
        )
    return load_watchlists(d)


def _matches(wl: Watchlists, rule: str, title: str, published: datetime | None) -> bool:
    doc = wl.matcher.scan(_article(title, "", published))
    return wl.matcher.evaluate_node(wl.rule(rule).query, doc) is not None


@pytest.mark.parametrize(
    "title",
    [
        "Lavrov arrives in Pyongyang for talks",
        "Kim Jong Un receives Lavrov at a guesthouse",
    ],
)
def test_a_countrys_minister_acts_for_it_in_a_relation_rule(
    relations: Watchlists, title: str
) -> None:
    """ "Lavrov" names no country, yet the guide counts a state's officials as the
    state: a rule's @russia stands for its sitting ministers too."""
    assert _matches(relations, "north-korea-russia", title, Y2023)


def test_an_official_counts_only_inside_the_term(relations: Watchlists) -> None:
    title = "Blinken arrives in Beijing to meet Xi Jinping"
    assert _matches(relations, "united-states-china", title, Y2023)
    assert not _matches(relations, "united-states-china", title, Y2026)  # left office 2025


def test_former_does_not_unmake_an_official_who_moved_to_another_office(
    relations: Watchlists,
) -> None:
    """An official moves between offices: "former defence minister Shoigu" was the
    security council's secretary, still Russia's; the term decides, not the word."""
    title = "Former defence minister Shoigu meets Kim Jong Un in Pyongyang"
    assert _matches(relations, "north-korea-russia", title, datetime(2024, 9, 13, tzinfo=UTC))


def test_two_officials_named_together_are_not_a_pair_by_being_named(
    relations: Watchlists,
) -> None:
    """Two leaders named as a verb's subject act together ("Kim and Putin tour a launch
    site"); two ministers so named are as often a list of the verb's objects or its
    honourees, so only the act links them."""
    day = datetime(2023, 7, 1, tzinfo=UTC)
    listed = "Choe Son Hui and Lavrov named among the world's most influential diplomats"
    assert not _matches(relations, "north-korea-russia", listed, day)
    assert _matches(relations, "north-korea-russia", "Choe Son Hui meets Lavrov in Moscow", day)


def test_another_person_of_an_officials_surname_is_not_the_official(
    relations: Watchlists,
) -> None:
    title = "Peskov says Kim Jong Un will be welcomed in Moscow"
    assert _matches(relations, "north-korea-russia", title, Y2023)
    namesake = "Chess player Anton Peskov beats North Korean rival in Pyongyang"
    assert not _matches(relations, "north-korea-russia", namesake, Y2023)


def test_an_officials_ambiguous_surname_needs_the_full_name_or_a_title(
    relations: Watchlists,
) -> None:
    """ "Rubio" is also a footballer's name: alone it counts only with the full name in
    the article or a title before it, as a leader's ambiguous surname does."""
    title = "United States-China"
    assert not _matches(relations, "united-states-china", "Rubio's goal sinks Chinese side", Y2026)
    assert _matches(relations, "united-states-china", "Secretary Rubio meets Wang Yi", Y2026)
    doc = relations.matcher.scan(
        _article(title, "Marco Rubio flew to Asia. Rubio met Wang Yi in Kuala Lumpur.", Y2026)
    )
    assert doc.mentions.get("rubio-marco") and len(doc.mentions["rubio-marco"]) == 2


def test_an_ambiguous_surname_that_starts_a_longer_name_is_not_the_official(
    relations: Watchlists,
) -> None:
    """Before a hyphen and a lower-case syllable the surname is part of another word
    ("Motegi-based", as "Park Jin-young" is another person)."""
    day = datetime(2026, 1, 15, tzinfo=UTC)
    assert _matches(relations, "japan-china", "Foreign Minister Motegi meets Wang Yi", day)
    # the full name in the article vouches for "Motegi", not for "Motegi-based"
    title = "Motegi-based team signs Chinese riders"
    doc = relations.matcher.scan(_article(title, "Toshimitsu Motegi was in Osaka.", day))
    assert [doc.text[a:b] for a, b in doc.mentions["motegi-toshimitsu"]] == ["Toshimitsu Motegi"]


def test_officials_are_selected_by_kind_and_country_but_keys_name_the_country(
    shipped: Watchlists,
) -> None:
    gaz = shipped.gazetteer
    assert "lavrov-sergey" in gaz.select("official:russia")
    assert "lavrov-sergey" in gaz.actors("russia")
    assert "lavrov-sergey" not in gaz.select("russia")
    assert not {"blinken-antony"} & gaz.actors("official:russia")
    # a story key keyed on a country names the country, however often its minister is named
    doc = shipped.matcher.scan(
        _article("Lavrov in Pyongyang", "Lavrov met officials. Lavrov left. Russia said so.", Y2023)
    )
    key = story_key(doc, [KeyPart(entity="@russia")], gaz, spans=[])
    assert key == ("russia",)


def test_an_official_takes_no_ambiguous_or_leader_fields(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text(
        "countries:\n  ruritania:\n    names: [Ruritania]\n"
        "officials:\n  rudolf:\n    names: [Rudolf Rassendyll]\n    country: ruritania\n"
        "    role: president\n",
        encoding="utf-8",
    )
    with pytest.raises(WatchlistError, match=r"rudolf: unknown key\(s\) role for an official"):
        Gazetteer.load(path)
