"""``LINK`` through a reference: "it", "its", "the two nations" stand for a side named before.

Every text here is written for the test. News names a country once and goes on
with a pronoun or a description; the act that links the two sides is then told
of the pronoun. The reference is resolved from the subjects around it
(``monitor.analysis.reference``) and refused when unsure: a subject that does
not agree, a pronoun with a name before it in its own sentence, an "it" that
stands for nothing ("it was a long day").
"""

from __future__ import annotations

import pytest
from conftest import WATCHLISTS, bare_article

from monitor.analysis import Name, resolve_references
from monitor.rules.decider import evidence, links
from monitor.rules.linking import Lexicon
from monitor.rules.watchlist import Watchlists

RULE = "north-korea-russia"

LINKED = [
    # a pronoun in a clause under a subject that names one side
    (
        "North Korea opened a new rail line this week as it seeks to buy more grain from Russia.",
        "it = North Korea",
    ),
    # a possessive standing for the subject of the clause above its own
    (
        "Pyongyang has rebuilt a port, hoping that its ships will carry coal to Russia.",
        "its = Pyongyang",
    ),
    # the subject of the sentence before
    (
        "North Korea held a parade on Sunday. It later sent a delegation to Moscow.",
        "It = North Korea",
    ),
    # a plural subject's owner: "the exports" are not "it", North Korea is
    ("North Korea's exports rose. It now sells coal to Russia.", "It = North Korea"),
    # "both countries", "the two nations": a conjoined subject, or the last two countries named
    (
        "Mongolia and North Korea signed a trade deal. The two nations also plan to ship grain to "
        "Russia.",
        "The two nations = North Korea",
    ),
    (
        "China's envoy discussed closer ties with North Korea as both countries seek grain from "
        "Russia.",
        "both countries = North Korea",
    ),
    # "they": the plural noun of people of a list of names, who are the list
    (
        "The leaders of Mongolia and North Korea will meet on Monday as they deepen a pact aimed "
        "at countering Russia.",
        "they = North Korea",
    ),
    # "the two leaders": the last two people of different countries, each by the person
    (
        "Xi Jinping received Kim Jong Un in Beijing on Tuesday. The two leaders then criticised "
        "Russia's silence.",
        "The two leaders = Kim Jong Un",
    ),
    # a name inside the subject of the pronoun's own clause is no topic: the sentence before
    # says who "it" is
    (
        "North Korea held a parade on Sunday. But fear of Japan has made it an ally of Russia.",
        "it = North Korea",
    ),
    # a plural subject that only an adjective names is not what "its" in its own clause
    # stands for: the subject of the clause above is
    (
        "North Korea complained after Russian ships entered its waters.",
        "its = North Korea",
    ),
    # a possessive under a state body ("the regime") stands for the country above
    ("North Korea held a parade. The regime sent its envoy to Russia.", "its = North Korea"),
    # "the kingdom", "the republic": news's words for a monarchy or a republic it has named
    (
        "North Korea held a parade. The republic later sent grain to Russia.",
        "The republic = North Korea",
    ),
    (
        "North Korea held a parade. The kingdom later sent grain to Russia.",
        "The kingdom = North Korea",
    ),
    # "the country" also stands for the place its clause's subject is in
    (
        "A court in North Korea ruled on Monday that the country's fishing deal with Russian "
        "firms was void.",
        "the country = North Korea",
    ),
    (
        "Kim Jong Un met China's premier in Pyongyang. Both leaders later thanked Moscow for its "
        "support.",
        "Both leaders = Kim Jong Un",
    ),
    # "the" and the noun the sentence before named with one owner
    (
        "Pyongyang's new cargo terminal opened on Monday. The terminal was built with a loan "
        "from a Russian state bank.",
        "The terminal = Pyongyang",
    ),
    # "the move", "the decision": the act the sentence before told, so its subject
    (
        "North Korea sent a cargo ship to the Arctic. Officials said the move was meant as a "
        "signal to Russia.",
        "the move = North Korea",
    ),
    (
        "Kim Jong Un closed the border crossing on Monday. Russia criticised the decision.",
        "the decision = Kim Jong Un",
    ),
    # an object "it" a plural subject cannot be: the one country named before it
    (
        "Four Asian states cut ties with Pyongyang on Monday, accusing it of cosying up to Russia.",
        "it = Pyongyang",
    ),
]

NOT_LINKED: list[tuple[str, ...]] = [
    # an act of someone named with its own doer, or of a subject that is no side, is theirs
    ("North Korea held a parade. Russia criticised the move by Japan.",),
    # two countries named before it: which one is unsure
    ("Four states cut ties with Japan and North Korea, accusing it of cosying up to Russia.",),
    ("North Korea held a parade. A court banned the film. Russia criticised the decision."),
    # the nearest subject does not agree: "the command" is no name, "attacks" are plural
    ("North Korea held a parade.", "Ukraine's command said it had shot down Russian drones."),
    ("North Korea tested a missile. Attacks on ships are rising as it courts Russia's rivals."),
    # a name before the pronoun in its own sentence: the sentence before is too far
    ("North Korea held a parade. Japan's new budget, unlike Russia's, leaves it exposed."),
    # an "it" that stands for nothing
    ("North Korea won the match. It was a long day, Russian fans said."),
    # a conjoined subject with a name the gazetteer does not know: not the last two named
    (
        "North Korea said Ruritania and Mongolia had signed a deal, and the two nations would "
        "pay Russia.",
    ),
    # a reference to both sides links nothing by itself
    (
        "North Korea and Russia held drills. The two countries did not say how many troops took part."
    ),
    # "its" with a thing for its own clause's subject is that thing's ("its second year")
    ("North Korea sent shells to Syria as Russia's war continued into its second year.",),
    # the owner of the subject may be "it": the sentence before is too far
    ("North Korea held a parade on Sunday. Russia's economic slump has forced it to seek loans."),
    # nor when the sentence before has a country for its subject: a court sits somewhere
    (
        "Mongolia won its case last year. A tribunal in North Korea said the country's claims "
        "against Russia were valid.",
    ),
    # "it" under a subject in a place is the subject itself (the court), not the place
    ("A court in North Korea ruled on Monday that it would hear Russian firms' appeals.",),
    # the reference stands for a third country
    ("North Korea tested a missile. Japan said it would ask Russia to condemn the launch."),
    # a repeated noun with two owners before, or an owner of its own, stands for no one
    (
        "North Korea's terminal and Japan's terminal opened. The terminal was built with a "
        "Russian loan.",
    ),
]


@pytest.mark.parametrize(("text", "actor"), LINKED)
def test_a_reference_to_one_side_links_it_to_the_other(
    shipped: Watchlists, text: str, actor: str
) -> None:
    doc, matches = shipped.matcher.match(bare_article("A report", text))
    (match,) = [m for m in matches if m.rule == RULE]
    snippets = evidence(doc, match)
    assert any(f"{actor} (" in s for s in snippets), snippets
    (link,) = links(doc, match)
    ref, name = link["refers"]
    assert f"{ref} = {name}" == actor


@pytest.mark.parametrize("paragraphs", NOT_LINKED)
def test_an_unsure_reference_links_nothing(
    shipped: Watchlists, paragraphs: tuple[str, ...]
) -> None:
    _, matches = shipped.matcher.match(bare_article("A report", *paragraphs))
    assert RULE not in [m.rule for m in matches]


def test_a_title_and_its_lead_are_sentences_in_a_row(shipped: Watchlists) -> None:
    """The lead's first sentence follows the title: "It" there may stand for its subject."""
    doc, matches = shipped.matcher.match(
        bare_article("North Korea opens a new port", "It hopes to sell coal to Russia.")
    )
    (match,) = [m for m in matches if m.rule == RULE]
    assert links(doc, match)[0]["refers"] == ["It", "North Korea"]


def test_the_resolver_reads_people_and_refuses_a_person_for_it() -> None:
    """ "he" stands for a person's name; "it" never does."""
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")
    text = "Kim Jong Un inspected a factory as he prepared for the trip."
    kim = Name((0, 11), "north-korea", True)
    (ref,) = resolve_references(text, 0, None, 0, [kim], cues)
    assert text[ref.span[0] : ref.span[1]] == "he" and ref.names == (kim.span,)
    text = "Kim Jong Un inspected a factory as it prepared for the trip."
    assert resolve_references(text, 0, None, 0, [kim], cues) == []


def _people(text: str, *names: tuple[str, str]) -> list[Name]:
    return [Name((text.index(n), text.index(n) + len(n)), country, True) for n, country in names]


def _read(text: str, names: list[Name], previous: str | None = None) -> dict[str, list[str]]:
    """What each reference in the last sentence of ``text`` stands for, by name."""
    at = len(previous) + 1 if previous else 0
    sentence = text[at:]
    refs = resolve_references(sentence, at, previous, 0, names, None)
    return {text[r.span[0] : r.span[1]]: [text[a:b] for a, b in r.names] for r in refs}


def test_an_object_pronoun_is_not_its_own_clause_s_subject() -> None:
    """ "Him" as the object of a clause whose subject is a person is someone else: the
    one other person named before it, else the subject of the sentence before; left
    unresolved when two others could be meant."""
    text = "Asked about Kishida, Biden told reporters he met him on Friday."
    names = _people(text, ("Kishida", "japan"), ("Biden", "us"))
    assert _read(text, names) == {"he": ["Biden"], "him": ["Kishida"]}
    text = "Biden told Kishida that the US backs Japan as he welcomed him to Washington."
    names = _people(text, ("Biden", "us"), ("Kishida", "japan"))
    assert _read(text, names) == {"he": ["Biden"], "him": ["Kishida"]}
    previous = "Kishida is in Washington this week."
    text = previous + " Biden met him on Friday."
    names = _people(text, ("Kishida", "japan"), ("Biden", "us"))
    assert _read(text, names, previous) == {"him": ["Kishida"]}
    # not the sentence before when its own sentence has someone else for a subject
    previous = "Kishida received the Vatican's envoy in Tokyo on Friday."
    text = previous + " After the archbishop flew on to Washington, Biden welcomed him."
    names = _people(text, ("Kishida", "japan"), ("Biden", "us"))
    assert "him" not in _read(text, names, previous)
    text = "Asked about Kishida and Yoon, Biden said he met him on Friday."
    names = _people(text, ("Kishida", "japan"), ("Yoon", "south-korea"), ("Biden", "us"))
    assert "him" not in _read(text, names)


def test_a_person_s_thing_as_subject_stands_for_its_owner() -> None:
    """ "Kishida's motorcade arrived … for his meeting": the owner; not a person's person
    ("Biden's spokesman said his …" is the spokesman's, unknown)."""
    text = "Kishida's motorcade arrived at the White House on Friday for his meeting with Biden."
    names = _people(text, ("Kishida", "japan"), ("Biden", "us"))
    assert _read(text, names) == {"his": ["Kishida"]}
    text = "Biden's spokesman said his meeting with Kishida went well."
    assert _read(text, _people(text, ("Biden", "us"), ("Kishida", "japan"))) == {}
    # only a possessive: "him" is no thing's owner above its own clause
    text = (
        "Kishida's visit to Kyiv comes as China's leader meets Putin and tells him that "
        "the two share goals."
    )
    names = _people(text, ("Kishida", "japan"), ("Putin", "russia"))
    assert _read(text, names).get("him") != ["Kishida"]


def test_a_country_subject_is_passed_over_for_a_person_pronoun() -> None:
    text = "Kishida said Japan would act with care after he and Biden held talks."
    names = _people(text, ("Kishida", "japan"), ("Biden", "us"))
    assert _read(text, names) == {"he": ["Kishida"]}
    text = "Biden said democracy prevailed in both countries as he met Lula on Friday."
    assert _read(text, _people(text, ("Biden", "us"), ("Lula", "brazil"))) == {"he": ["Biden"]}
    # a noun of people still stops the search: who "he" is is not known
    text = "Kishida said the minister would act with care after he and Biden held talks."
    assert _read(text, _people(text, ("Kishida", "japan"), ("Biden", "us"))) == {}


def test_a_possessive_no_subject_stands_for_is_the_person_acted_on() -> None:
    """ "The committee honoured Kishida, citing his …": no person is the subject above the
    possessive, so it is the person the main verb acts on; a person subject still wins."""
    text = (
        "The Norwegian committee honoured Kishida on Friday, citing his push for peace with Biden."
    )
    names = _people(text, ("Kishida", "japan"), ("Biden", "us"))
    assert _read(text, names) == {"his": ["Kishida"]}
    text = "Biden honoured Kishida on Friday, citing his push for peace."
    names = _people(text, ("Biden", "us"), ("Kishida", "japan"))
    assert _read(text, names) == {"his": ["Biden"]}


def test_a_second_verb_shares_its_subject_so_a_description_is_not_that_subject() -> None:
    """ "Iran is not shifting away from Russia and will foster ties with the country": the
    second verb's subject is Iran, so "the country" is not Iran (it is left unresolved;
    the sentence links the two by its names)."""
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")
    text = "Iran is not shifting away from Russia and will foster ties with the country."
    iran = Name((0, 4), "iran", False)
    russia = Name((31, 37), "russia", False)
    refs = resolve_references(text, 0, None, 0, [iran, russia], cues)
    assert not [r for r in refs if iran.span in r.names], refs
    # a possessive still stands for the subject it shares ("and will keep its ties")
    text = "Iran is not shifting away from Russia and will keep its ties with Syria."
    refs = resolve_references(text, 0, None, 0, [iran, russia], cues)
    assert [r.names for r in refs] == [(iran.span,)]


def test_a_reference_is_history_like_a_name(shipped: Watchlists) -> None:
    """An act dated years back links nothing, through a pronoun as through a name."""
    from datetime import UTC, datetime

    from monitor.article import RawItem
    from monitor.normalize import normalize

    published = datetime(2023, 9, 1, tzinfo=UTC)
    old = "North Korea held a parade. It signed a pact with Russia in 2019."
    new = "North Korea held a parade. It signed a pact with Russia on Tuesday."
    found = [
        RULE
        in [
            m.rule
            for m in shipped.matcher.match(
                normalize(RawItem("t", "a", f"R\n\n{t}\n", published=published))
            )[1]
        ]
        for t in (old, new)
    ]
    assert found == [False, True]


def test_both_countries_are_the_last_two_in_text_order(shipped: Watchlists) -> None:
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")
    text = "Mongolia hosted Ruritania and North Korea on Monday as both countries sought grain."
    korea = Name((text.index("North Korea"), text.index("North Korea") + 11), "north-korea", False)
    mongolia = Name((0, 8), "mongolia", False)
    (ref,) = resolve_references(text, 0, None, 0, [mongolia, korea], cues)
    assert mongolia.span not in ref.names and korea.span in ref.names


@pytest.mark.parametrize(
    "text",
    [
        "Mongolia and Ruritania agreed to talk, after China brokered a deal to restore ties "
        "between the two regional powers.",
        "Japan cautioned Mongolia about Ruritania after a China-brokered deal between the two "
        "states.",
    ],
)
def test_a_name_above_the_two_is_not_one_of_them(text: str) -> None:
    """The subject of the clause "the two …" is an object in, or a modifier of the noun it
    completes, is not one of the two: here, the last two named before China."""
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")

    def name(word: str, country: str) -> Name:
        start = text.index(word)
        return Name((start, start + len(word)), country, False)

    names = [name(w, w.lower()) for w in ("Japan", "Mongolia", "Ruritania", "China") if w in text]
    names.sort(key=lambda n: n.span)
    (ref,) = resolve_references(text, 0, None, 0, names, cues)
    assert sorted(text[a:b] for a, b in ref.names) == ["Mongolia", "Ruritania"]


def test_the_two_leaders_are_the_last_two_people_not_the_venue() -> None:
    """ "The two leaders" after "X hosted Y in <city>" are X and Y: the city named last is
    no leader, though its country is one of the last two named."""
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")
    text = "Kim Jong Un hosted Putin in Beijing. The two leaders then signed a pact."

    def name(word: str, country: str, person: bool) -> Name:
        start = text.index(word)
        return Name((start, start + len(word)), country, person)

    kim, putin = name("Kim Jong Un", "north-korea", True), name("Putin", "russia", True)
    beijing = name("Beijing", "china", False)
    (ref,) = resolve_references(text, 0, None, 0, [kim, putin, beijing], cues)
    assert text[ref.span[0] : ref.span[1]] == "The two leaders"
    assert sorted(ref.names) == sorted([kim.span, putin.span])


def test_a_title_stands_for_the_last_person_named_who_holds_it(shipped: Watchlists) -> None:
    """ "The president said …" after "Vladimir Putin spoke …": a second reference by office,
    the gazetteer's words for it (the leader's role, an official's office)."""
    doc, matches = shipped.matcher.match(
        bare_article(
            "A report",
            "Vladimir Putin spoke at a forum on Tuesday. "
            "The president said North Korea was a trusted partner.",
        )
    )
    (match,) = [m for m in matches if m.rule == RULE]
    assert links(doc, match)[0]["refers"] == ["The president", "Vladimir Putin"]


def test_a_title_two_countries_hold_or_nobody_named_holds_is_unresolved() -> None:
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")
    president = frozenset({"president", "leader"})
    previous = "Xi Jinping met Vladimir Putin in Moscow."
    text = f"{previous} The president said ties were strong."
    xi, putin = _people(text, ("Xi Jinping", "china"), ("Vladimir Putin", "russia"))
    names = [
        Name(xi.span, xi.country, True, president),
        Name(putin.span, putin.country, True, president),
    ]
    at = len(previous) + 1
    assert resolve_references(text[at:], at, previous, 0, names, cues) == []
    # only one of them is a president: the title is his
    names = [Name(xi.span, xi.country, True, president), putin]
    (ref,) = resolve_references(text[at:], at, previous, 0, names, cues)
    assert ref.names == (xi.span,)
    # "the prime minister": no one named holds that office
    text = f"{previous} The prime minister said ties were strong."
    assert resolve_references(text[at:], at, previous, 0, names, cues) == []


@pytest.mark.parametrize(
    ("paragraph", "linked"),
    [
        # a reference to both sides is read as the pair: their relation links them
        (
            "Pyongyang sent a delegation to a fair, and officials in Moscow said relations "
            "between the two countries were improving.",
            True,
        ),
        # what the pair only shares, or a third party's act on both, does not
        (
            "North Korea held a parade and Russia held a parade. Both countries face sanctions.",
            False,
        ),
        (
            "North Korea tested a missile and Russia fired a rocket. The US criticised both "
            "countries on Friday.",
            False,
        ),
        # a third country named before it: which two is in doubt, so it stands for none
        (
            "Pyongyang and Beijing sent envoys to a fair, and Moscow said deals between the two "
            "countries were growing.",
            False,
        ),
    ],
)
def test_a_reference_to_both_sides_is_the_pair(
    shipped: Watchlists, paragraph: str, linked: bool
) -> None:
    doc, matches = shipped.matcher.match(bare_article("A report", paragraph))
    found = [m for m in matches if m.rule == RULE]
    assert bool(found) is linked
    if linked:
        (link,) = links(doc, found[0])
        assert link["refers"][0] == "the two countries"


def test_a_title_a_stranger_may_hold_stands_for_no_one() -> None:
    """ "New Zealand's Luxon meets Albanese. The prime minister said …": the gazetteer knows
    only Albanese, but the title may be Luxon's."""
    cues = Lexicon.load(WATCHLISTS / "cues.yaml")
    previous = "New Zealand's Luxon meets Albanese"
    text = f"{previous} The prime minister said the talks went well."
    (albanese,) = _people(text, ("Albanese", "australia"))
    names = [Name(albanese.span, "australia", True, frozenset({"prime minister"}))]
    at = len(previous) + 1
    assert resolve_references(text[at:], at, previous, 0, names, cues) == []
    previous = "Albanese meets business leaders"
    text = f"{previous} The prime minister said the talks went well."
    (albanese,) = _people(text, ("Albanese", "australia"))
    names = [Name(albanese.span, "australia", True, frozenset({"prime minister"}))]
    at = len(previous) + 1
    (ref,) = resolve_references(text[at:], at, previous, 0, names, cues)
    assert ref.names == (albanese.span,)


def test_its_of_a_clause_whose_subject_a_country_owns_is_that_country_s() -> None:
    """ "Peru raised its storm signal, while Chile's weather agency warned of gusts on its
    southern islands": the second "its" is the agency's, Chile's — not the first
    clause's subject."""
    text = (
        "Peru raised its highest storm signal for northern provinces, while Chile's weather "
        "agency warned of record gusts on its southern islands."
    )
    peru, chile = (
        (text.index("Peru"), text.index("Peru") + 4),
        (
            text.index("Chile"),
            text.index("Chile") + 5,
        ),
    )
    names = [Name(peru, "peru", False, frozenset()), Name(chile, "chile", False, frozenset())]
    refs = {
        text[r.span[0] : r.span[1]] + str(r.span[0]): r.names
        for r in resolve_references(text, 0, None, 0, names, None)
    }
    second = text.rindex("its")
    assert refs[f"its{second}"] == (chile,)


def test_its_of_a_clause_whose_subject_is_another_party_of_a_name_is_not_that_name() -> None:
    """ "allows Peru's neighbour to join the bloc once its ratifications are complete":
    the neighbour is another country, not Peru."""
    text = (
        "The president signed the law that allows Peru's neighbour to join the bloc once "
        "its missing ratifications are completed."
    )
    peru = (text.index("Peru"), text.index("Peru") + 4)
    names = [Name(peru, "peru", False, frozenset())]
    refs = resolve_references(text, 0, None, 0, names, None)
    assert all(peru not in r.names for r in refs), refs


def test_a_person_the_gazetteer_does_not_know_may_be_whom_her_stands_for() -> None:
    """ "Lee left the summit to visit former president Kim Min-seo at her home": a person
    the gazetteer does not know, named on the pronoun's own verb after the name found, may
    be the one meant, so "her" stands for no one; a name in an aside the recogniser may
    have misread ("an interview with Kathimerini") does not stop "he"."""
    text = (
        "Lee left the regional summit on Sunday to visit former president Kim Min-seo at her "
        "home in the countryside."
    )
    assert _read(text, _people(text, ("Lee", "korea"))) == {}
    text = (
        "Erdogan said the treaty should be revised, in an interview with Kathimerini published "
        "on Wednesday, before he arrives in Athens for talks."
    )
    assert _read(text, _people(text, ("Erdogan", "turkey"))) == {"he": ["Erdogan"]}


def test_its_inside_a_phrase_a_country_owns_is_that_country_s() -> None:
    """ "… to mark the start of Russia's invasion of its neighbour": the neighbour is
    Russia's, which the phrase names already; "its" is not the subject above ("Japan")."""
    text = (
        "Kishida said Japan would send more aid to mark the start of Russia's invasion of its "
        "neighbour a year ago."
    )
    names = [
        Name((text.index("Japan"), text.index("Japan") + 5), "japan", False),
        Name((text.index("Russia"), text.index("Russia") + 6), "russia", False),
    ]
    assert _read(text, names) == {}
    # an "its" of a phrase no name owns still stands for the subject above
    text = "Japan said it would send more aid to mark the anniversary of its treaty."
    names = [Name((0, 5), "japan", False)]
    assert _read(text, names) == {"it": ["Japan"], "its": ["Japan"]}


def test_a_sentence_that_ends_with_who_reports_it_has_the_reported_subject() -> None:
    """ "Sall died when his plane crashed, officials said. He had been in Lima …": the
    reference after it stands for the subject of what is reported, not for the officials
    who report it; a sentence reported from its start keeps its own subject."""
    previous = "Sall died when his plane crashed after take-off, officials said."
    text = previous + " He had been in Lima for talks."
    names = _people(text, ("Sall", "senegal"))
    assert _read(text, names, previous) == {"He": ["Sall"]}
    previous = "Officials said Sall died when his plane crashed after take-off."
    text = previous + " He had been in Lima for talks."
    assert _read(text, _people(text, ("Sall", "senegal")), previous) == {}
