"""The world layer: a rule may name any sovereign country the shipped gazetteer does not
curate (monitor/rules/world.py, docs/watchlists.md "The world layer").

Texts are written for these tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import WATCHLISTS, bare_article

from monitor.article import Article
from monitor.errors import WatchlistError
from monitor.rules import world as world_layer
from monitor.rules.gazetteer import Gazetteer
from monitor.rules.watchlist import Watchlists, load_watchlists

WHEN = datetime(2026, 3, 2, tzinfo=UTC)


def _article(title: str, body: str = "") -> Article:
    return bare_article(title, *([body] if body else []), published=WHEN)


def _dir(tmp: Path, entities: str | None = None, rules: tuple[tuple[str, str], ...] = ()) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("entities.yaml", "cues.yaml"):
        text = (WATCHLISTS / name).read_text(encoding="utf-8")
        if name == "entities.yaml" and entities is not None:
            text = entities
        (tmp / name).write_text(text, encoding="utf-8")
    for a, b in rules:
        (tmp / f"{a}-{b}.yaml").write_text(
            f"description: An article links {a} and {b}.\nquery: |\n  @{a} LINK @{b}\n",
            encoding="utf-8",
        )
    return tmp


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Watchlists:
    """The shipped gazetteer and cues, with rules for pairs it does not curate, written
    as a user writes them (docs/watchlists.md)."""
    d = _dir(
        tmp_path_factory.mktemp("wl"),
        rules=(("israel", "egypt"), ("turkey", "greece"), ("poland", "japan"), ("jordan", "iraq")),
    )
    return load_watchlists(d)


def _linked(wl: Watchlists, rule: str, title: str, body: str = "") -> bool:
    doc = wl.matcher.scan(_article(title, body))
    return wl.matcher.evaluate_node(wl.rule(rule).query, doc) is not None


def _mentions(wl: Watchlists, title: str, body: str = "") -> set[str]:
    return set(wl.matcher.scan(_article(title, body)).mentions)


@pytest.mark.parametrize(
    ("rule", "title"),
    [
        # a people and a capital the shipped file does not list
        ("israel-egypt", "Israeli foreign minister arrives in Cairo for talks on the border"),
        # the current name and the old one
        ("turkey-greece", "Türkiye and Greece agree to resume talks on the Aegean"),
        ("turkey-greece", "Ankara summons the Greek ambassador over island drills"),
    ],
)
def test_a_rule_may_name_a_country_the_shipped_gazetteer_does_not_curate(
    world: Watchlists, rule: str, title: str
) -> None:
    assert _linked(world, rule, title)


def test_the_layer_does_not_link_what_the_guide_does_not(world: Watchlists) -> None:
    """Its countries are actors like any: co-objects of a third party stay unlinked."""
    title = "The European Union urges Turkey and Greece to lower tensions in the Aegean"
    assert not _linked(world, "turkey-greece", title)


def test_its_names_count_only_capitalised(world: Watchlists) -> None:
    """ "polish" the verb is not Poland, "turkey" the bird not Turkey; written with a
    capital they are."""
    assert "poland" not in _mentions(world, "Japanese crews polish the hull before the launch")
    assert "turkey" not in _mentions(world, "Shops sell out of turkey before the holiday")
    assert "poland" in _mentions(world, "Polish crews finish the hull before the launch")


def test_a_name_news_means_something_else_by_needs_the_country_named_for_sure(
    world: Watchlists,
) -> None:
    """ "Jordan" is also a given name: it is the country only where an unambiguous name of
    it (its people, its capital) is in the article too."""
    assert "jordan" not in _mentions(world, "Jordan scores 30 as Iraq-born guard sits out")
    assert "jordan" in _mentions(world, "Jordan hosts Iraqi minister", "Talks in Amman ran late.")


@pytest.mark.parametrize(
    ("title", "state"),
    [
        ("Sudan, Chad agree to reopen border crossings", True),
        ("Refugees cross from Sudan and Chad into Niger", True),
        ("Chad's transitional president meets Sudan's army chief", True),
        ("Chad's army says it repelled rebels", True),
        # a given name, and a US state's own nouns
        ("Chad scores twice as Sudan-born striker sits out", False),
        ("Chad's brother joins the club", False),
        ("Georgia's governor signs budget", False),
    ],
)
def test_an_ambiguous_country_name_is_the_state_by_its_own_words(
    world: Watchlists, title: str, state: bool
) -> None:
    """Where nothing else names it, "Chad" is the country when it owns a noun only a state
    has ("Chad's president") or stands in one list with another country ("Sudan and
    Chad"); not as a given name, nor with a noun a US state has too."""
    found = _mentions(world, title)
    assert ("chad" in found or "georgia" in found) is state


def test_territories_are_not_countries_of_their_own(world: Watchlists) -> None:
    entities = world.gazetteer.entities
    assert "israel" in entities and "egypt" in entities
    assert not any(
        e.kind == "country" and e.name in ("Guam", "Martinique") for e in entities.values()
    )
    # Martinique's people are "French" in the package: France stays the shipped file's
    assert _mentions(world, "French troops land") == {"france"}


def test_a_country_the_file_defines_is_the_files_alone(tmp_path: Path) -> None:
    """Curated by id, the file's aliases are all there are ("Ghanaians" is not added); a
    country the file keeps under another id is not added twice."""
    shipped = (WATCHLISTS / "entities.yaml").read_text(encoding="utf-8")
    own = shipped.replace("\ncountries:\n", "\ncountries:\n  ghana:\n    names: [Ghana]\n", 1)
    wl = load_watchlists(_dir(tmp_path / "a", own, (("ghana", "japan"),)))
    assert wl.gazetteer.entities["ghana"].names == ("Ghana",)
    assert "ghana" not in _mentions(wl, "Ghanaians vote in Accra")

    other = shipped.replace("\ncountries:\n", "\ncountries:\n  gh:\n    names: [Ghana]\n", 1)
    gaz_dir = _dir(tmp_path / "b", other)
    gazetteer = Gazetteer.load(gaz_dir / "entities.yaml")
    assert "gh" in gazetteer.entities and "ghana" not in gazetteer.entities


def test_the_file_may_list_the_leaders_of_a_country_it_leaves_to_the_layer(
    world: Watchlists,
) -> None:
    """The shipped file lists Egypt's president without defining Egypt: "el-Sisi" is
    Egypt in a rule's query, and "Egypt's president" resolves to him."""
    assert world.gazetteer.entities["sisi-abdel-fattah"].country == "egypt"
    assert _linked(world, "israel-egypt", "Sisi receives Israeli envoy in Cairo")


def test_world_false_turns_it_off_and_a_rule_naming_it_is_refused_with_a_hint(
    tmp_path: Path,
) -> None:
    own = "countries:\n  japan:\n    names: [Japan]\nworld: false\n"
    d = _dir(tmp_path / "off", own, (("egypt", "japan"),))
    with pytest.raises(WatchlistError) as err:
        load_watchlists(d)
    assert "egypt-japan.yaml" in str(err.value) and "unknown entity @egypt" in str(err.value)

    # the shipped file lists leaders of the layer's countries: off, it says which
    shipped = (WATCHLISTS / "entities.yaml").read_text(encoding="utf-8")
    d = _dir(tmp_path / "shipped-off", shipped + "\nworld: false\n")
    with pytest.raises(WatchlistError, match=r"which world: false turns off"):
        Gazetteer.load(d / "entities.yaml")

    d = _dir(tmp_path / "typo", None, (("egipt", "japan"),))
    with pytest.raises(WatchlistError, match=r"did you mean @egypt\?"):
        load_watchlists(d)


def test_a_bad_world_value_names_the_file_and_line(tmp_path: Path) -> None:
    shipped = (WATCHLISTS / "entities.yaml").read_text(encoding="utf-8")
    d = _dir(tmp_path, shipped + "\nworld: maybe\n")
    with pytest.raises(WatchlistError) as err:
        Gazetteer.load(d / "entities.yaml")
    assert "world: expected true or false" in str(err.value)
    assert err.value.line == len(shipped.splitlines()) + 2


def test_the_rules_version_changes_with_the_layers_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An alert says which rules decided it: the layer's data is part of them, so a new
    release of its package is a new version of the same files."""
    d = _dir(tmp_path, None, (("japan", "china"),))
    before = load_watchlists(d)
    monkeypatch.setattr(world_layer, "source", lambda: "countryinfo 9.9.9")
    after = load_watchlists(d)
    assert before.gazetteer.world and after.gazetteer.world == "countryinfo 9.9.9"
    assert before.files == after.files and before.version != after.version


@pytest.mark.parametrize(
    ("rule", "title", "linked"),
    [
        # a combining form hyphened to another country's name or adjective
        ("china-united-states", "Sino-US ties sink to a new low as talks stall", True),
        ("china-russia", "Beijing hails Sino-Russian friendship", True),
        ("turkey-greece", "Greco-Turkish talks resume in Ankara", True),
        # alone, or before something else, it is another thing
        ("china-united-states", "Sino-Ocean shares slide in US trading", False),
        ("china-united-states", "Allies discuss the Indo-Pacific with the United States", False),
    ],
)
def test_a_combining_form_names_its_country_only_hyphened_to_another(
    tmp_path: Path, rule: str, title: str, linked: bool
) -> None:
    a, b = {
        "china-united-states": ("china", "united-states"),
        "china-russia": ("china", "russia"),
        "turkey-greece": ("turkey", "greece"),
    }[rule]
    wl = load_watchlists(_dir(tmp_path, None, ((a, b),)))
    assert _linked(wl, rule, title) is linked


def test_a_combining_form_alone_is_no_mention(world: Watchlists) -> None:
    assert "france" not in _mentions(world, "Franco's remains moved from the valley")
    assert _mentions(world, "Franco-German council meets") == {"france", "germany"}


def test_rules_check_warns_of_a_selector_that_selects_nothing(tmp_path: Path, cli: Any) -> None:
    """A rule copied from a shipped one, `(@a OR @leader:a)`, for a country of the world
    layer: its leaders are not known until the file lists them, and the check says so —
    without failing, since the rule is valid and its country part works."""
    d = _dir(tmp_path / "wl", None, ())
    (d / "ghana-japan.yaml").write_text(
        "description: Ghana and Japan linked.\n"
        "query: |\n  (@ghana OR @leader:ghana) LINK (@japan OR @leader:japan)\n",
        encoding="utf-8",
    )
    (d / "ghana-summit.yaml").write_text(
        "description: Ghana's leader meets Japan's.\n"
        "query: |\n  @leader:japan AND meets\n"
        "new_story:\n  window: 3d\n  key:\n    - entity: '@leader:japan'\n"
        "    - entity: '@official:ghana'\n",
        encoding="utf-8",
    )
    res = cli("rules", "check", "--watchlists", str(d), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "warning:" in res.stderr and "@leader:ghana selects nothing" in res.stderr
    assert "ghana-summit.yaml: @official:ghana selects nothing" in res.stderr
    assert "@leader:japan" not in res.stderr  # the shipped file lists Japan's
    assert "ok  ghana-japan" in res.stdout


def test_a_city_the_file_lists_under_a_layer_capitals_name_is_its_capital(tmp_path: Path) -> None:
    """A user adds "ankara" to the file's cities for Turkey: it stays Turkey's capital, so
    "Ankara summons …" is still Turkey, and "Amman" still vouches for "Jordan"."""
    shipped = (WATCHLISTS / "entities.yaml").read_text(encoding="utf-8")
    cities = (
        "\ncities:\n  ankara:\n    names: [Ankara]\n    country: turkey\n"
        "  amman:\n    names: [Amman]\n    country: jordan\n"
    )
    own = shipped.replace("\ncities:\n", cities, 1)
    wl = load_watchlists(_dir(tmp_path, own, (("turkey", "greece"),)))
    assert wl.gazetteer.entities["turkey"].capital == "ankara"
    assert _linked(wl, "turkey-greece", "Ankara summons the Greek ambassador over island drills")
    assert "jordan" in _mentions(wl, "Jordan hosts Iraqi minister", "Talks in Amman ran late.")


@pytest.mark.parametrize(
    ("title", "country", "found"),
    [
        # a longer name the layer gives to the country it is in
        ("Niger Delta militants attack a pipeline", "niger", False),
        ("Niger Delta militants attack a pipeline", "nigeria", True),
        ("Northern Ireland protocol talks resume", "ireland", False),
        ("Republic of Congo votes on Sunday", "congo-brazzaville", True),
        ("Republic of Congo votes on Sunday", "dr-congo", False),
        # also an airline: counts only beside the country named for sure
        ("Emirates flight diverted after a bird strike", "united-arab-emirates", False),
        # forms newsrooms use that the package lacks
        ("Azeri troops shell a village", "azerbaijan", True),
        ("Rebels seize Sanaa airport", "sana-a", True),  # Yemen's capital
    ],
)
def test_a_longer_name_is_the_thing_it_names(
    world: Watchlists, title: str, country: str, found: bool
) -> None:
    assert (country in _mentions(world, title)) is found


def test_a_unicode_hyphen_joins_a_combining_form(world: Watchlists) -> None:
    assert _mentions(world, "Sino\u2010US ties sour") == {"china", "united-states"}


def test_a_country_sharing_only_a_people_with_the_file_is_still_the_layers(
    tmp_path: Path,
) -> None:
    """A user's Republic of the Congo with the adjective "Congolese" takes that word, not
    DR Congo itself, which keeps its names and capital."""
    shipped = (WATCHLISTS / "entities.yaml").read_text(encoding="utf-8")
    entry = "\ncountries:\n  brazzaville-congo:\n    names: [Congo-Brazzaville]\n    adjectives: [Congolese]\n"
    gaz_dir = _dir(tmp_path, shipped.replace("\ncountries:\n", entry, 1))
    gazetteer = Gazetteer.load(gaz_dir / "entities.yaml")
    assert "dr-congo" in gazetteer.entities and gazetteer.entities["dr-congo"].capital
    assert "Congolese" not in gazetteer.entities["dr-congo"].names
