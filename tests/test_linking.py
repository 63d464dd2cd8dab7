"""``LINK``: two actors linked in a sentence, not merely listed side by side.

Every text here is written for the test (none comes from a real outlet). The
shipped ``north-korea-russia`` rule is ``… LINK …``, so these are also the
cases that rule must get right: acts of one on the other, visits, joint acts,
relations and compounds link; lists of adversaries, "both", co-objects of a
third party, clause breaks and another subject's act do not. The evidence
names the predicate and the roles the parse read (tests/test_roles.py tests
the analysis layer alone); a verbless fragment falls back on the cue words.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import ROOT, WATCHLISTS, bare_article

from monitor.article import RawItem
from monitor.errors import QuerySyntaxError, WatchlistError
from monitor.normalize import normalize
from monitor.rules.ast import Near, render
from monitor.rules.decider import evidence
from monitor.rules.query import parse_query
from monitor.rules.watchlist import Watchlists, load_watchlists

RULE = "north-korea-russia"


def _links_on(shipped: Watchlists, raw: str, day: date) -> bool:
    """Whether the shipped relation rule links ``raw`` (title, blank line, lead) published
    at midnight UTC on ``day``."""
    art = normalize(
        RawItem("t", "a", raw, published=datetime(day.year, day.month, day.day, tzinfo=UTC))
    )
    _, matches = shipped.matcher.match(art)
    return RULE in [m.rule for m in matches]


LINKED = [
    # "Also," opening a clause with a phrase of its own is no briefing's list
    (
        "Also, on his first trip to Russia in four years, Kim Jong Un toured a launch site.",
        "toured",
    ),
    # one acts on the other: subject, object, oblique (the predicate is the evidence)
    ("Pyongyang is shipping artillery shells to Moscow, officials in Washington said.", "shipping"),
    ("The Kremlin vetoed new sanctions on North Korea at the Security Council.", "vetoed"),
    ("Kim Jong Un praised Vladimir Putin in a birthday message.", "praised"),
    ("Moscow has turned to Pyongyang for ammunition as its stocks run low.", "turned"),
    ("With Moscow's backing, Pyongyang expanded its missile programme.", "expanded"),
    ("Officials fear North Korean rockets are reaching Russian units.", "reaching"),
    ("Belarus, Syria and North Korea sided with Russia in the vote.", "sided"),
    # visits and presence: the interaction is in the grammar, not in a cue list
    ("Putin greets Kim Jong Un at a spaceport in the far east.", "greets"),
    ("Kim Jong Un arrived in Moscow on Tuesday for talks.", "arrived"),
    ("A North Korean delegation is in Moscow this week.", "is"),
    # the pair together, or a relation named for it
    ("Russia and North Korea signed a defence pact on Wednesday.", "signed"),
    ("Kim Jong Un and Vladimir Putin tour a launch site.", "tour"),
    ("Analysts expect closer Moscow-Pyongyang ties after the visit.", "ties"),
    ("Talks between Russia and North Korea resumed in the spring.", "talks"),
    # what an act is about; what one says of the other
    ("Western diplomats clashed with Russia over North Korea's latest launch.", "clashed"),
    ("Kim Jong Un said Russia would prevail in the end.", "said"),
    ("North Korea's leader vowed to walk hand in hand with Russia's president.", "vowed"),
    # a list with a third name fills the role as a whole
    ("North Korea, Iran and China's connections to Russia's war machine", "connections"),
    # one side's weapons in the other's attack, in one sentence or two in a row
    (
        "Kyiv was hit by a Russian air attack; North Korean missiles were found in the rubble.",
        "attack",
    ),  # fmt: skip
    (
        "Russia launched a wave of strikes on Kharkiv on Friday. Investigators said debris of "
        "North Korean missiles was found at two sites.",
        "launched",
    ),  # fmt: skip
    # a verbless fragment the parse cannot read: the cue words decide
    ("Kim Jong Un's shells, Vladimir Putin's war", "shells"),
    # one item of a newsletter's list links as any sentence does; a list of names stays whole
    ("Also in this edition: Russia and North Korea sign a rail deal, rents soar in Paris", "sign"),
    # from a review: an apposition, an address, a shared subject stay in their item
    (
        "Also in today's newsletter: Kim Jong Un, North Korea's leader, meets Putin in Moscow",
        "meets",
    ),
    ("Also in this edition: Kim Jong Un arrives in Khasan, Russia, by armoured train", "arrives"),
    ("Also in today's newsletter, North Korea buys more oil and arms from Russia", "buys"),
]

NOT_LINKED: list[str | tuple[str, str]] = [
    # a noun and a verb's -s read as one noun left no verb; made plain, the headline reads
    # (the cue words would have taken "ship" for shipping)
    "North Korean cargo ship sinks in storm off Russia",
    "China, Russia, Iran and North Korea pose the greatest threats, the report said.",
    "Russian and North Korean hackers were named in the indictment.",
    "Russia and North Korea have both tested new missiles this year.",
    "Russia shelled the city overnight, while North Korea fired two missiles into the sea.",
    "The allies agreed to raise pressure on Russia, condemn North Korea's tests and aid Ukraine.",
    "Russia and North Korea are among the least trusted countries in the survey.",
    "Hackers used Russian-language tools, a report on a North Korea-linked group found.",
    "North Korea's schools hired Russian language teachers from abroad.",
    "North Korea passed a Russian language law for its schools.",
    "Sanctions on Russia were tightened. North Korea launched a missile on Friday.",
    # a comma list of owned names, each ending its own visit ("respectively")
    "China's Xi, North Korea's Kim end visits to Russia and Ukraine",
    # weapons and an attack in two paragraphs, or weapons that are not one side's
    (
        "Russia launched a wave of strikes on Kharkiv on Friday.",
        "North Korean missiles were shown at a parade in Pyongyang.",
    ),  # fmt: skip
    "Russia launched strikes on Kharkiv. North Korea tested two missiles on Friday.",
    # co-objects of a third party's act or relation
    "The United States criticised North Korea and Russia for their missile tests.",
    "China seeks closer ties with North Korea and Russia.",
    "Mongolia sits between Russia and North Korea.",
    # a newsletter's list: each item alone (the guide's "a digest with an item on each")
    "Also in today's newsletter, Russia claims victory over a Ukrainian town and North Korea's "
    "new missile base",
    "Also in this edition: Russia's economy shrinks; North Korea opens a new missile base",
    "Also in this edition: • Russia claims a town • North Korea's new missile base",
    # a briefing's "Also," list, and a reference read within its own item only
    "Also, how the war in Russia changed Europe and North Korean women are removing hijabs.",
    # a list told with semicolons: each item alone
    "08:05 Russian drones hit Kharkiv; 08:30 North Korean hackers hit a bank; 09:00 oil rises.",
]


@pytest.mark.parametrize(
    ("title", "linked"),
    [
        # a headline's semicolon separates its matters, as a live blog's summary does
        ("LIVE: Russian drones hit Kharkiv; North Korean envoy in Brussels", False),
        ("Russian drones hit Kharkiv; North Korea sends more shells to Moscow", True),
    ],
)
def test_a_headline_s_semicolon_separates_its_matters(
    shipped: Watchlists, title: str, linked: bool
) -> None:
    _, matches = shipped.matcher.match(bare_article(title, "More follows."))
    assert (RULE in [m.rule for m in matches]) is linked


def test_one_semicolon_in_the_body_keeps_one_matter(shipped: Watchlists) -> None:
    """ "Kim arrived in Vladivostok; Putin greeted him at the station": two clauses of one
    matter, still read together in the body."""
    text = "Kim Jong Un arrived on Tuesday; Putin greeted Kim Jong Un at the station."
    _, matches = shipped.matcher.match(bare_article("A report", text))
    assert RULE in [m.rule for m in matches]


@pytest.mark.parametrize(("text", "cue"), LINKED)
def test_linked_sentences_raise_with_their_cue(shipped: Watchlists, text: str, cue: str) -> None:
    doc, matches = shipped.matcher.match(bare_article("A report", text))
    (match,) = [m for m in matches if m.rule == RULE]
    snippets = [s.lower() for s in evidence(doc, match)]
    assert any(f'[linked by "{cue}"' in snippet for snippet in snippets), snippets


@pytest.mark.parametrize("text", NOT_LINKED)
def test_lists_and_separate_clauses_do_not(
    shipped: Watchlists, text: str | tuple[str, str]
) -> None:
    paragraphs = text if isinstance(text, tuple) else (text,)
    _, matches = shipped.matcher.match(bare_article("A report", *paragraphs))
    assert RULE not in [m.rule for m in matches]


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # where the report was filed is no actor of what it reports
        ("MOSCOW, March 17 (Reuters) - North Korea fired two missiles into the sea.", False),
        ("PYONGYANG, March 17 - Russia said its troops had taken the town.", False),
        ("VLADIVOSTOK, Russia — North Korea fired two missiles into the sea.", False),
        ("MOSCOW, March 17 (Reuters) - Kim Jong Un met Vladimir Putin on Friday.", True),
        # a city opening a sentence that is no dateline is still a place of an act
        ("Moscow, North Korea's main ally, sent a delegation to Pyongyang.", True),
        # a name and a dash in ordinary case open a pair or an aside, not a dateline
        ("Russia - North Korea military cooperation is deepening, officials said.", True),
        ("Kim Jong Un — on his first trip abroad in years — met Putin in Vladivostok.", True),
        # a dateline in one side's capital, then the two sides acting together
        (
            "MOSCOW, March 17 (Reuters) - Russia and North Korea agreed to expand military ties.",
            True,
        ),
        ("PYONGYANG (KCNA) - North Korea and Russia signed a treaty on Friday.", True),
        ("Vladivostok, Sept. 13 - Kim Jong Un fired two missiles into the sea.", False),
    ],
)
def test_a_dateline_s_place_is_no_actor(shipped: Watchlists, text: str, linked: bool) -> None:
    _, matches = shipped.matcher.match(bare_article("A report", text))
    assert (RULE in [m.rule for m in matches]) is linked


@pytest.mark.parametrize(
    ("title", "linked"),
    [
        # a verbless fragment: the cue words decide, but only among the names the parse
        # found to be actors — "America" in "South America" is a continent, "China" in
        # "the South China Sea" a sea
        ("Iran's new ties across South America", False),
        ("Tehran's trade pacts on a Latin American tour", False),
        ("Philippine envoys in talks with Japan for patrols in the South China Sea", False),
        # the same fragments with the other side itself
        ("Tehran's new ties with Washington", True),
        ("Philippine envoys in talks with China on patrols in the South China Sea", True),
        # a name the fragment denies a part
        ("Manila-Tokyo Pact's Key Point: No Chinese Role", False),
        ("Manila-Tokyo Pact's Key Point: Chinese Role", True),
    ],
)
def test_a_verbless_fragment_links_only_actors(tmp_path: Path, title: str, linked: bool) -> None:
    query = "(@iran LINK @united-states) OR (@philippines LINK @china)"
    watchlists = _watchlists(tmp_path, f"description: x\nquery: '{query}'\n")
    _, matches = watchlists.matcher.match(bare_article(title))
    assert bool(matches) is linked


def test_the_cue_words_do_not_link_across_a_full_stop_inside_a_title(shipped: Watchlists) -> None:
    """A title of two sentences is one sentence to the splitter; where the parse cannot
    read it, the cue words decide, and they pair no names across its full stop."""
    _, matches = shipped.matcher.match(
        bare_article("Lavrov unveils plan. North Korea trade data due")
    )
    assert not matches
    _, matches = shipped.matcher.match(bare_article("Lavrov: plan for North Korea trade due"))
    assert matches  # the same words in one sentence


@pytest.mark.parametrize(
    ("title", "linked"),
    [
        # two countries' leaders named as one list meet
        ("Russian, North Korean leaders to meet again next month", True),
        # each of them does the same thing, to a third or not (a review's cases)
        ("North Korea, Russia Leaders Send Greetings to Xi", False),
        ("North Korea, Russia Lay Wreaths at War Memorials", False),
    ],
)
def test_a_comma_list_of_two_leaders_meets(shipped: Watchlists, title: str, linked: bool) -> None:
    """A headline's comma list of two sides before "leaders" names the two leaders (the
    gazetteer's roles, on the publication date); they are one subject of a mutual act.
    Two leaders each greeting a third, or two countries acting alike, are not."""
    assert _links_on(shipped, f"{title}\n\n", date(2023, 9, 1)) is linked


def test_near_s_is_one_sentence_and_link_parses_and_renders() -> None:
    near = parse_query("@russia NEAR/s @north-korea")
    assert isinstance(near, Near) and near.sentence
    assert render(near) == "(@russia NEAR/s @north-korea)"
    query = parse_query("(@russia OR @leader:russia) LINK @north-korea AND treaty")
    assert render(query) == "(((@russia OR @leader:russia) LINK @north-korea) AND treaty)"
    with pytest.raises(QuerySyntaxError, match="NOT cannot be an operand of LINK"):
        parse_query("@russia LINK NOT @north-korea")


def test_near_s_needs_one_sentence(tmp_path: Path) -> None:
    wl = _watchlists(tmp_path, "query: '@russia NEAR/s @north-korea'\n")
    _, same = wl.matcher.match(bare_article("x", "Russia and North Korea held talks."))
    _, apart = wl.matcher.match(bare_article("x", "Russia held talks. North Korea did not."))
    assert [m.rule for m in same] == ["r"] and apart == []


def test_link_without_a_cue_lexicon_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError) as err:
        _watchlists(tmp_path, "description: x\nquery: '@russia LINK @north-korea'\n", cues=False)
    assert str(err.value.path) == str(tmp_path / "r.yaml") and err.value.line == 2
    assert "cues.yaml" in str(err.value)


def test_a_bad_cue_file_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "cues.yaml").write_text("interactions:\n  - meet*\nverbs:\n  - met\n")
    with pytest.raises(WatchlistError) as err:
        _watchlists(tmp_path, "query: '@russia LINK @north-korea'\n", cues=False)
    assert err.value.line == 3 and "unknown section 'verbs'" in str(err.value)


def test_the_cue_lexicon_is_part_of_the_watchlists_version(tmp_path: Path) -> None:
    before = _watchlists(tmp_path, "query: '@russia LINK @north-korea'\n").version
    cues = tmp_path / "cues.yaml"
    cues.write_text(cues.read_text() + "  - befriend*\n")
    assert load_watchlists(tmp_path).version != before


def _watchlists(tmp_path: Path, rule: str, *, cues: bool = True) -> Watchlists:
    (tmp_path / "entities.yaml").write_text((WATCHLISTS / "entities.yaml").read_text())
    if cues:
        (tmp_path / "cues.yaml").write_text((WATCHLISTS / "cues.yaml").read_text())
    (tmp_path / "r.yaml").write_text(rule)
    return load_watchlists(tmp_path)


def test_the_evidence_names_the_predicate_and_the_roles(shipped: Watchlists) -> None:
    """What an analyst reads on the alert: who did what to whom, in the sentence and the payload."""
    from monitor.rules.decider import links

    text = "Kim Jong Un praised Vladimir Putin in a birthday message."
    doc, matches = shipped.matcher.match(bare_article("A report", text))
    (match,) = [m for m in matches if m.rule == RULE]
    (snippet,) = evidence(doc, match)
    assert snippet.endswith(
        '[linked by "praised": Kim Jong Un (subject) — praised — Vladimir Putin (object)]'
    )
    (link,) = links(doc, match)
    assert link["cue"] == "praised" and link["roles"] == ["subject", "object"]
    assert link["actors"] == ["Kim Jong Un", "Vladimir Putin"]


def test_the_recorded_outcome_keeps_the_roles(shipped: Watchlists) -> None:
    from monitor.events.outcomes import LinkEvidence
    from monitor.rules.decider import links

    doc, matches = shipped.matcher.match(
        bare_article("A report", "Kim Jong Un arrived in Moscow on Tuesday for talks.")
    )
    (match,) = [m for m in matches if m.rule == RULE]
    (payload,) = links(doc, match)
    record = LinkEvidence.from_payload(payload)
    assert record.roles == ("subject", "in-object")
    assert record.to_payload() == payload
    fallback = {"sentence": "s", "cue": "c", "how": "between", "actors": ["a", "b"]}
    assert LinkEvidence.from_payload(fallback).to_payload() == fallback  # no "roles" key


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("Kim Jong Un landed at the airport in Vladivostok on Tuesday.", True),
        ("Kim Jong Un is at a shipyard in Vladivostok for a tour.", True),
        ("Kim Jong Un was among the guests in Vladivostok for the forum.", True),
        # a third party's meeting there, not where the subject went or is
        ("Kim Jong Un refused at a meeting of ministers in Vladivostok to sign.", False),
        ("Kim Jong Un heads to a security conference in Vladivostok.", False),
    ],
)
def test_where_the_other_arrives_or_is_one_phrase_down(
    shipped: Watchlists, text: str, linked: bool
) -> None:
    """A city inside the place a verb of arrival or presence puts its subject at ("at the
    airport in Vladivostok", "among the guests in Vladivostok") is where the subject is."""
    doc, matches = shipped.matcher.match(bare_article("A report", text))
    assert (RULE in [m.rule for m in matches]) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("Kim Jong Un arrived in Vladivostok on Tuesday.", True),
        ("Vladimir Putin was received in Pyongyang by cheering crowds.", True),
        ("Kim Jong Un praised the shipyard workers of Vladivostok.", False),
        ("A ship was seized off Vladivostok, North Korea's state media said.", False),
    ],
)
def test_a_visit_to_a_city_of_the_other_side_links(
    shipped: Watchlists, text: str, linked: bool
) -> None:
    """A side's territory is its country's cities, not only its capital; a city links only
    as where the other side's actor goes or is (the gazetteer knows which country it is in)."""
    doc, matches = shipped.matcher.match(bare_article("A report", text))
    assert (RULE in [m.rule for m in matches]) is linked
    if linked:
        (match,) = [m for m in matches if m.rule == RULE]
        (snippet,) = evidence(doc, match)
        assert "(in-object)" in snippet


@pytest.mark.parametrize(
    ("sentence", "linked"),
    [
        # a file photo's caption: the act dated years before publication is background
        ("Kim Jong Un greets Vladimir Putin in Vladivostok on April 25, 2019.", False),
        ("Russia signed a pact with North Korea in 2019.", False),
        # a verb the act takes as its complement shares its date
        (
            "North Korea's first leader, Kim Il Sung, was urged by his most senior general to "
            "agree to a ceasefire with Russia in 1953, the letters show.",
            False,
        ),
        # the same act without a date, or a state lasting until now, or a date of another act
        ("Kim Jong Un greets Vladimir Putin in Vladivostok.", True),
        ("Relations between Russia and North Korea have been warm since a summit in 2019.", True),
        ("Russia ships North Korean shells made with parts stolen in 2019.", True),
        # a stretch of years, a decade: their end is long past
        ("Russian advisers trained North Korea's army from 1946 to 1949.", False),
        ("Russia armed North Korea in the 1950s.", False),
        # a bare year on the relation's own noun, or on the noun of the act's relative clause
        ("Historians revisit the 1961 North Korea-Russia treaty.", False),
        ("The 1950 episode, in which Russia armed North Korea, was recalled at a ceremony.", False),
        # a relative clause of the year itself
        ("The best parallel is 1950, when Russia armed North Korea for a war.", False),
        ("The best parallel is this year, when Russia armed North Korea for a war.", True),
        # an old relation a named party acts on now is present
        ("A court in Russia declared the 2015 deal with North Korea void on Monday.", True),
        # an anniversary counts back from the day of publication
        ("Seventy years since Russia armed North Korea for the war.", False),
        ("Two weeks since Russia armed North Korea, the border is quiet.", True),
        # a second verb of the dated one, a clause of its time, a century back
        (
            "In October 1950, Russian pilots crossed the Yalu river and overran the North "
            "Korean positions on its east bank.",
            False,
        ),
        ("Thousands died in June 1950 as Russian pilots fought for North Korea.", False),
        ("A century ago, Russian merchants sold rifles to North Korean villages.", False),
        ("Russian pilots fought for North Korea as thousands died.", True),
        # a war that names its years; not a bound an act of now is measured from
        ("Russian pilots flew missions for North Korea during the Korean War.", False),
        ("Russian pilots flew missions for North Korea in World War Two.", False),
        ("Russia sent North Korea its largest arms shipment since World War II.", True),
        # what the dead did, told in the subject of their death
        (
            "Anna Kim, who as a girl carried messages for North Korean partisans past Russian "
            "patrols, has died at 98.",
            False,
        ),
        ("Russian envoy who negotiated a treaty with North Korea dies at 90.", False),
        ("A Russian strike killed two North Korean workers, who died in hospital.", True),
        # a side named by what its land is called now
        ("Horsemen from present-day Russia raided villages in what is now North Korea.", False),
        ("Traders from Russia now sell grain to North Korea, the present-day buyer.", True),
        # a purpose happens when the act it is the purpose of does
        (
            "An envoy met Chinese leaders in 1950 to persuade Russia to release North Korean prisoners.",
            False,
        ),
        (
            "An envoy met Chinese leaders last week to persuade Russia to release North Korean prisoners.",
            True,
        ),
    ],
)
def test_an_act_dated_years_before_publication_is_history(
    shipped: Watchlists, sentence: str, linked: bool
) -> None:
    """The guide: "historical background older than a few years with no present relation"
    is not linked. The date must hang from the act itself."""
    assert _links_on(shipped, f"A report\n\n{sentence}\n", date(2023, 9, 1)) is linked


@pytest.mark.parametrize(
    ("title", "linked"),
    [
        ("On this day, 1950", False),
        ("June 25, 1950", False),
        ("On this day", True),
        # the column's year and a colon, then the entry: all of it that year's
        ("On this day, 1950: war begins", False),
        ("This day in history, 1950 – war begins", False),
        ("On this day, 2023: war begins", True),
        # a month and its year, then a colon: a history piece
        ("June 1950: how the war began", False),
        ("June 2023: how the war began", True),
    ],
)
def test_a_title_that_is_only_a_day_of_the_past_dates_the_whole_item(
    shipped: Watchlists, title: str, linked: bool
) -> None:
    """An anniversary column: "On this day, 1950 | Russian tanks crossed into North Korea
    …" tells of that year, though no sentence of the lead names it."""
    lead = "Russian advisers helped North Korea plan the attack before dawn."
    assert _links_on(shipped, f"{title}\n\n{lead}\n", date(2023, 6, 25)) is linked


@pytest.mark.parametrize(
    ("lead", "linked"),
    [
        # a chronology's entry opens with its year and a colon: that year's act
        ("1950: Russian advisers helped North Korea plan the attack. 1969: Concorde flies.", False),
        ("1950 — Russian advisers helped North Korea plan the attack.", False),
        # a recent year, or a year that is no entry's, is not history by itself
        ("2023: Russian advisers helped North Korea plan the attack.", True),
        ("Russian advisers helped North Korea plan the attack, officials said in 1950 terms.", True),
    ],
)  # fmt: skip
def test_a_chronology_entry_is_dated_by_its_opening_year(
    shipped: Watchlists, lead: str, linked: bool
) -> None:
    """ "On this day, June 25 | … 1950: Russian advisers helped North Korea …": each entry
    of a chronology tells of the year it opens with, though the title names none."""
    assert _links_on(shipped, f"On this day, June 25\n\n{lead}\n", date(2023, 6, 25)) is linked


@pytest.mark.parametrize(
    ("title", "lead", "linked"),
    [
        # the title names one side's weapons, the lead the other side using them
        (
            "Sanctions hit firms that sold parts for North Korean missiles",
            "Officials say the missiles are used by Russia against Ukrainian cities.",
            True,
        ),
        (
            "Sanctions hit firms that sold parts for North Korean missiles",
            "Officials say Russia has deployed the weapons near the front.",
            True,
        ),
        # a verb of use whose object is no weapon is nobody's attack
        (
            "North Korean missiles were shown at a parade in Pyongyang",
            "Russia used the occasion to praise its friends in Asia.",
            False,
        ),
        # a lead of bullet points lists other items under the title: not its story
        (
            "A deadly Russian strike hits a market in the east",
            "• Exclusive: inside the North Korean missile that fell on a village • Video: a fire",
            False,
        ),
        (
            "A deadly Russian strike hits a market in the east",
            "Exclusive: inside the North Korean missile that fell on a village.",
            True,
        ),
    ],
)
def test_weapons_in_the_title_and_their_user_in_the_lead(
    shipped: Watchlists, title: str, lead: str, linked: bool
) -> None:
    doc, matches = shipped.matcher.match(bare_article(title, lead))
    found = [m for m in matches if m.rule == RULE]
    assert bool(found) is linked
    if linked:
        snippets = evidence(doc, found[0])
        assert any("(maker)" in s and re.search(r"Russian? \(user\)", s) for s in snippets), (
            snippets
        )


@pytest.mark.parametrize(
    ("title", "lead", "role"),
    [
        # the weapons named again in the lead, turned on the other side
        (
            "Rebels are running out of North Korean-made shells, officials say",
            "The shells were fired in strikes against Russian positions overnight.",
            "target",
        ),
        # the attack on the other side told again as "the strikes", with the weapons
        (
            "Drones struck Russian positions near the border overnight",
            "The strikes with North Korean-made drones caused a fire at a depot.",
            "target",
        ),
        # the same weapon with an origin of its own, or an attack not on the other side
        (
            "Rebels are running out of North Korean-made shells, officials say",
            "Ukrainian shells were fired in strikes against Russian positions overnight.",
            None,
        ),
        (
            "Drones struck a depot near the Russian border overnight",
            "The strikes with North Korean-made drones caused a fire at a depot.",
            None,
        ),
    ],
)
def test_weapons_or_their_attack_told_again_in_the_lead(
    shipped: Watchlists, title: str, lead: str, role: str | None
) -> None:
    """One side's weapons named again, or their attack told as "the strikes", in the
    sentence after the one that names the other side's part in it."""
    doc, matches = shipped.matcher.match(bare_article(title, lead))
    found = [m for m in matches if m.rule == RULE]
    assert bool(found) is (role is not None)
    if role is not None:
        snippets = evidence(doc, found[0])
        assert any("(maker)" in s and f"Russian ({role})" in s for s in snippets), snippets


@pytest.mark.parametrize(
    ("paragraphs", "linked"),
    [
        # the attack, a sentence on something else, then the weapons: one paragraph
        (
            (
                "Russia launched a wave of attacks on Friday, the army said. Four homes were "
                "damaged in the east, it added. The army also said nine North Korean missiles "
                "had been shot down.",
            ),
            True,
        ),
        # two sentences further on is too far
        (
            (
                "Russia launched a wave of attacks on Friday, the army said. Four homes were "
                "damaged in the east, it added. A school was closed. The army also said nine "
                "North Korean missiles had been shot down.",
            ),
            False,
        ),
        # a sentence between with an attack or a name of its own: not one story of weapons
        (
            (
                "Russia launched a wave of attacks on Friday. Ukraine struck back with its own "
                "drones overnight. North Korean missiles were shown at a parade in Pyongyang.",
            ),
            False,
        ),
        # a paragraph break may start another matter
        (
            (
                "Russia launched a wave of attacks on Friday, the army said.",
                "The army also said nine North Korean missiles had been shot down.",
            ),
            False,
        ),
    ],
)
def test_weapons_and_their_user_in_one_paragraph(
    shipped: Watchlists, paragraphs: tuple[str, ...], linked: bool
) -> None:
    doc, matches = shipped.matcher.match(bare_article("A war report", *paragraphs))
    found = [m for m in matches if m.rule == RULE]
    assert bool(found) is linked
    if linked:
        snippets = evidence(doc, found[0])
        assert any("North Korean (maker)" in s and "Russia (user)" in s for s in snippets)


@pytest.mark.parametrize(
    ("title", "paragraphs", "linked"),
    [
        # the parties in the title, the mediator of "the agreement" in the lead
        (
            "North Korea and Japan agree to resume talks after a long freeze",
            ("The agreement, brokered by Russia, is meant to calm the region.",),
            True,
        ),
        # and the other way round: the mediator in the title, the parties in the lead
        (
            "Russia-brokered deal raises hopes in the region",
            ("North Korea and Japan will restore diplomatic ties, officials said.",),
            True,
        ),
        # the pact's talks name no party: the sentence before does
        (
            "A new start",
            (
                "North Korea and Japan signed a trade pact on Monday. The pact was reached "
                "in talks mediated by Russia.",
            ),
            True,
        ),
        # a participle of mediation before the deal it describes; co-mediators after "with"
        (
            "North Korea and Japan extend their fishing deal",
            ("Brokered by the UN and Russia, the deal lets both fleets fish the strait.",),
            True,
        ),
        (
            "North Korea and Japan extend their fishing deal",
            ("The deal brokered with Russia and the UN lets both fleets fish the strait.",),
            True,
        ),
        # a mediation that names its own parties is about them
        (
            "North Korea and Japan agree to resume talks after a long freeze",
            ("Russia brokered a deal between Iran and Syria last year.",),
            False,
        ),
        # a mediated relation whose "with" names its party is about that party
        (
            "A new start",
            (
                "North Korea and Japan signed a trade pact on Monday. Japan also held "
                "Russia-brokered talks with Iran, the paper said.",
            ),
            False,
        ),
        # a group another backs is the backer's own: no relation it brokers
        (
            "Mongolian president supports indefinite Russian troop presence",
            (
                "In an interview, Mongolia's president signaled a softer posture toward Moscow "
                "early in his term than his North Korea-backed political allies have taken.",
            ),
            False,
        ),
        # an active verb's "with" is the mediator's counterpart, a party named
        (
            "A new start",
            (
                "North Korea and Japan signed a trade pact on Monday. Russia also "
                "negotiated an oil deal with India, the paper said.",
            ),
            False,
        ),
        # no relation beside it: a one-sided act is nobody's deal
        (
            "North Korea condemns Japan over drills",
            ("The agreement brokered by Russia last year has collapsed.",),
            False,
        ),
        # a denied mediation
        (
            "North Korea and Japan agree to resume talks after a long freeze",
            ("The agreement was not brokered by Russia, officials said.",),
            False,
        ),
        # one side alone relates to nobody: no third party, no relation to broker
        (
            "North Korea agrees to resume talks",
            ("An agreement brokered by Russia is meant to calm the region.",),
            False,
        ),
        # a host, a possible mediation, another matter, another paragraph
        (
            "North Korea and Japan pledge closer ties",
            ("Russia will host a summit of regional leaders in the autumn.",),
            False,
        ),
        (
            "North Korea and Japan agree to resume talks after a long freeze",
            ("Russia could act as a mediator in future talks, analysts say.",),
            False,
        ),
        (
            "North Korea and Japan agree to resume talks after a long freeze",
            ("Separately, a truce mediated by Russia took effect in Syria.",),
            False,
        ),
        (
            "A new start",
            (
                "North Korea and Japan signed a trade pact on Monday.",
                "The talks were mediated by Russia, the paper said.",
            ),
            False,
        ),
        # two sentences away is another matter
        (
            "A new start",
            (
                "North Korea and Japan signed a trade pact on Monday. Markets rose. Russia "
                "brokered the deal, the paper said.",
            ),
            False,
        ),
    ],
)
def test_a_mediator_of_the_relation_told_beside_it(
    shipped: Watchlists, title: str, paragraphs: tuple[str, ...], linked: bool
) -> None:
    """ "Saudi Arabia and Iran to restore ties" / "Agreement mediated by China …": the
    mediator is linked to each party, as when one sentence tells both."""
    doc, matches = shipped.matcher.match(bare_article(title, *paragraphs))
    found = [m for m in matches if m.rule == RULE]
    assert bool(found) is linked
    if linked:
        snippets = evidence(doc, found[0])
        assert any("(party)" in s and "Russia (mediator)" in s for s in snippets), snippets


@pytest.mark.parametrize(
    ("title", "lead", "linked"),
    [
        # the lead describes the title's unknown subject by its side
        (
            "Koryo Trading opens an office in Moscow",
            "The North Korean firm says it will sell machine parts across Asia.",
            True,
        ),
        (
            "Koryo Trading signs a supply deal with Russia",
            "North Korean exporter has lost its top spot in its biggest market.",
            True,
        ),
        # a description with a name of its own is someone else
        (
            "Koryo Trading opens an office in Moscow",
            "The North Korean firm Ryugyong says it will sell machine parts across Asia.",
            False,
        ),
        # the side's adjective on an object is no description of the title's subject
        (
            "Koryo Trading opens an office in Moscow",
            "Analysts praised a North Korean firm for its exports.",
            False,
        ),
        # "the" and the description later in the lead, in "in", "from", "of" or "by"; a
        # clause on it is not a name of its own
        (
            "Koryo Trading opens an office in Moscow",
            "Shares in the North Korean trading group rose on Monday.",
            True,
        ),
        (
            "Koryo Trading wins a Russian port permit",
            "The ministry approved the request from the North Korean firm, which runs two ships.",
            True,
        ),
        # a headline verb the tagger took for a noun after the name is read as a verb
        (
            "Koryo Trading halves exports to Russia",
            "The North Korean firm says demand has fallen.",
            True,
        ),
        # the side as the owner of the description; a headline's future "to"
        (
            "Koryo Trading to buy half of Russia's Vostok Shipping for $30 million",
            "North Korea's biggest trading firm agreed to take a stake in the port operator.",
            True,
        ),
        # another firm named beside the description may be the one described
        (
            "Koryo Trading opens an office in Moscow",
            "Shares in the North Korean trading group rose as Samsung Electronics fell.",
            False,
        ),
        # a group reacting, or a person, is no description of the title's firm
        (
            "Koryo Trading opens an office in Moscow",
            "North Korean exporters say they will sell machine parts across Asia.",
            False,
        ),
        (
            "Koryo Trading opens an office in Moscow",
            "The North Korean leader says the country will sell machine parts abroad.",
            False,
        ),
        # the title's subject must be the one linked to the other side
        (
            "Koryo Trading reports record sales as Russia raises rates",
            "The North Korean firm says it will sell machine parts across Asia.",
            False,
        ),
    ],
)
def test_the_title_s_subject_described_by_a_side_in_the_lead(
    shipped: Watchlists, title: str, lead: str, linked: bool
) -> None:
    """ "Siemens unveils investments in China" / "German conglomerate says …": the lead's
    description of the title's unknown subject gives it a side."""
    doc, matches = shipped.matcher.match(bare_article(title, lead))
    found = [m for m in matches if m.rule == RULE]
    assert bool(found) is linked
    if linked:
        snippets = evidence(doc, found[0])
        assert any("Koryo Trading = North Korea" in s for s in snippets), snippets


def test_a_possessive_reference_is_read(shipped: Watchlists) -> None:
    """ "The country's shipments": the cheap test before the parse saw "country's" as one
    word and never looked for the reference the parser reads."""
    doc, matches = shipped.matcher.match(
        bare_article(
            "Russian oil exports hit a new high",
            "The country's crude shipments flow to North Korea, officials say.",
        )
    )
    found = [m for m in matches if m.rule == RULE]
    assert found
    assert any("The country = Russian" in s for s in evidence(doc, found[0]))


def test_a_reference_is_read_within_its_digest_item() -> None:
    """ "Also, Xi shifts his tone on trade and South Korea weighs nuclear arms": two
    items; "his" stands for Xi in the first, and the parse of the whole sentence (which
    hangs South Korea from "tone") is not read across them."""
    watchlists = load_watchlists(ROOT / "examples" / "watchlists")
    text = "Also, Xi Jinping shifts his tone on trade and South Korea weighs nuclear arms."
    _, matches = watchlists.matcher.match(bare_article("A briefing", text))
    assert not [m for m in matches if m.rule == "south-korea-china"]


@pytest.mark.parametrize(
    "title",
    [
        "North Korean tourists flock to Russian beaches as rouble weakens",
        "North Korean Tourists Flock to Russian Beaches as Rouble Weakens",
    ],
)
def test_where_tourists_go_is_a_place_only(shipped: Watchlists, title: str) -> None:
    """People who travel for themselves link nobody to where they go (docs/analysis.md),
    though the parser reads the headline's verb as a noun of theirs ("tourists flock")."""
    _, matches = shipped.matcher.match(bare_article(title, "Hotels report record bookings."))
    assert not [m for m in matches if m.rule == RULE]


@pytest.mark.parametrize(
    ("lead", "linked"),
    [
        # the weapons told again by another of their names, used to wage a war in the other
        ("Officials say the unmanned aerial vehicles are used by Russia to fight its war in Ukraine.", True),
        ("Officials say the weapons are used by Russia to wage its war in Ukraine.", True),
        # another kind of weapon is not the one the title named
        ("Officials say the missiles are used by Russia to fight its war in Ukraine.", False),
    ],
)  # fmt: skip
def test_weapons_told_again_and_used_in_a_war_on_the_other(
    tmp_path: Path, lead: str, linked: bool
) -> None:
    watchlists = _watchlists(tmp_path, "description: x\nquery: '@north-korea LINK @ukraine'\n")
    title = "Sanctions hit firms that sold parts for North Korean drones"
    _, matches = watchlists.matcher.match(bare_article(title, lead))
    assert bool(matches) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # who led a breakthrough between others is its mediator
        ("Peru and Bolivia held their first meeting since a Chile-led breakthrough.", True),
        # a breakthrough two reach together
        ("Peru and Chile reached a breakthrough on water rights.", True),
        # whom a breakthrough between others answers is no mediator
        ("Peru and Bolivia met after a breakthrough that angered Chile.", False),
    ],
)
def test_a_breakthrough_and_who_led_it(tmp_path: Path, text: str, linked: bool) -> None:
    watchlists = _watchlists(tmp_path, "description: x\nquery: '@peru LINK @chile'\n")
    _, matches = watchlists.matcher.match(bare_article("A report", text))
    assert bool(matches) is linked
