"""A meeting as an event, read from a parse: who meets, where, at a distance or not, when.

A summit rule asks whether *its* two leaders met. A sentence can name one of
them and still report someone else's meeting: "Kishida is expected to push
for a pledge when leaders meet in Hiroshima" (the meeting is a group's: the
G7's), "foreign ministers met on Friday". The participants of a meeting
verb are its subject and their conjuncts, and its object or with-object
("Biden met Kishida", "Yoon met with Kishida"); when the verb names them and
they are a group — a bare plural ("leaders", "ministers", "officials"), a
group's members ("G7 leaders") — and none of them is a name the rule found,
the meeting is not the pair's. "The two leaders met", "both leaders",
"they met" and "the leaders" (which refer back to named people) are not a
group of others.

The same parse says where the meeting is (:func:`venue`: the place that hangs
from the meeting word, not the nearest city), whether it is a call
(:func:`remote`), and what its clause says of its time (:func:`since`: the
object of "after" is over; :func:`when_future`: "… when he visits" under a
future).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.analysis.pipeline import (
    headline_case,
    parse_at,
    parse_sentence,
    span_head,
    token_at,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "Participants",
    "dates_the_meeting",
    "participants",
    "remote",
    "since",
    "venue",
    "when_future",
]

#: Words before a plural that make it the people already named, not a group of others.
_BACK = frozenset({"the", "two", "both", "their", "these", "those"})


#: Heads of a participant that hold an office of their own: "Brazil's president", "China's
#: defence minister" (when the gazetteer did not resolve the office to one of the pair).
_OFFICES = frozenset(
    {"president", "minister", "chancellor", "premier", "secretary", "king", "emir", "pope", "pm"}
    | {"envoy", "ambassador", "delegation", "official", "general", "senator", "governor"}
    | {"director", "adviser", "advisor", "aide", "commissioner", "mayor", "prince", "chair"}
)


@dataclass(frozen=True, slots=True)
class Participants:
    """The participants a meeting verb names, and whether they are someone else's."""

    named: bool  # a participant is one of the names given
    others: bool  # the verb names its participants, and they are a group of others
    #: whether a participant holds side one's, and side two's, people (``sides`` given)
    sides: tuple[bool, bool] = (False, False)
    #: a participant is someone of neither side: a person named, or an office-holder
    third: bool = False
    #: whether a participant is a place of side one's, and of side two's (``lands`` given)
    lands: tuple[bool, bool] = (False, False)
    #: whether a participant is a bare word of side one's, and of side two's, names that
    #: the gazetteer left unresolved
    unresolved: tuple[bool, bool] = (False, False)

    #: the verb names its participants and none is a person or a group of people: not a
    #: meeting at all ("a move that was met with scepticism")
    no_people: bool = False
    #: the parse gave the word any participant at all (a subject, an object, an owner …)
    found: bool = False

    @property
    def someone_else(self) -> bool:
        """The meeting is not the pair's: a group of others, a third party meets one of
        them ("Macron meets Xi", "Putin meets China's defence minister"), or nobody meets
        ("met with scepticism")."""
        return self.others or self.no_people or (self.third and not all(self.sides))


def participants(
    sentence: str,
    anchor: tuple[int, int],
    names: list[tuple[int, int]],
    sides: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], []),
    pair_words: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    third: Sequence[tuple[int, int]] = (),
    lands: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], []),
) -> Participants:
    """The participants of the meeting word at ``anchor`` (offsets into ``sentence``).

    ``names`` are the spans the gazetteer found (people, offices, countries);
    ``sides`` the spans of each side's people (a summit rule's two leaders,
    by name or office); ``pair_words`` the words of every name of each side,
    so that a one-word name the recogniser calls a person and that is none of
    them is a third party ("Xi to meet Blinken"); ``third`` the spans of
    people known to be neither side's (other leaders, and the pronouns that
    stand for them); ``lands`` the spans of each side's places (its country and
    cities: where one goes to meet the other, "Kishida arrives in Seoul"). A
    verb's arguments are read, and a meeting noun's owner, with-, between- or
    by-object, and where a journey goes.
    """
    words = pair_words[0] | pair_words[1]
    text = headline_case(sentence, names)
    doc = parse_sentence(text)
    word = token_at(doc, anchor[0])
    if word is None or word.pos_ not in ("VERB", "NOUN"):
        return Participants(named=False, others=False)
    if _verb_read_as_noun(word, [*sides[0], *sides[1]]):
        # "Xi Hosts Brazil's Lula", "Biden hosts Modi at the White House": the tagger reads
        # the verb as a plural noun after a name; made plain after an auxiliary ("will
        # host", a space for its "s", so that the words after keep their offsets) it is
        # the verb it is
        shift = len(_AUX)
        plain = sentence[anchor[0] : anchor[1] - 1] + " "
        hinted = sentence[: anchor[0]] + _AUX + plain + sentence[anchor[1] :]

        def moved(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
            return [(a + shift, b + shift) if a >= anchor[0] else (a, b) for a, b in spans]

        check = token_at(parse_sentence(headline_case(hinted, moved(names))), anchor[0] + shift)
        if check is not None and check.pos_ == "VERB":
            return participants(
                hinted,
                (anchor[0] + shift, anchor[1] + shift - 1),
                moved(names),
                (moved(sides[0]), moved(sides[1])),
                pair_words,
                moved(third),
                (moved(lands[0]), moved(lands[1])),
            )
    # people the gazetteer does not know are lower-cased in a Title Case headline for the
    # tagger; the recogniser finds them in the headline as written ("Xi to Meet Blinken")
    # a full name, or one word that is no word of the pair's names (``pair_words``): a bare
    # surname may be one of the pair's the gazetteer left unresolved ("Takaichi will meet
    # Lee"), "Blinken" is not
    persons = [
        (e.start_char, e.end_char)
        for e in (parse_sentence(sentence).ents if text != sentence else doc.ents)
        if e.label_ == "PERSON"
        and (len(e) > 1 or (words and e.text.lower().removesuffix("'s") not in words))
    ]
    sites = [*lands[0], *lands[1]]
    pair = [*sides[0], *sides[1]]
    found = _verb_parties(word) if word.pos_ == "VERB" else _noun_parties(word, sites, pair)
    extra: list[Token] = []
    if word.pos_ == "NOUN":
        # the names that modify a meeting noun are its pair ("after Takaichi-Lee meet", "the
        # Biden-Xi summit"); a third's is someone else's (``_attached`` in the dating)
        extra += [
            c for c in word.children if c.dep_ in ("compound", "nmod", "amod") and _is_name(c, pair)
        ]
        # a verbless headline's meeting in apposition to the pair ("A and B: a summit of
        # firsts")
        if word.dep_ in ("appos", "dep") and word.head.pos_ == "PROPN":
            extra += [t for t in _with_conjuncts(word.head) if _is_name(t, pair)]
    if _a_bodys_gathering(word, names):
        return Participants(named=False, others=True, found=True)
    if not found and not extra:
        return Participants(named=False, others=False)
    named = any(_holds_name(t, names, places=False) for t in [*found, *extra])
    others = not named and all(_group(t) for t in found)
    # a person of neither side, though a name of the pair may modify them ("Putin ally
    # Lukashenko", "Xi's envoy"): without the pair's people there is no telling
    strangers = [
        t
        for t in found
        if not _is_name(t, pair, own=True)
        and (
            _is_name(t, third)  # known to be neither side's: no need of the pair to tell
            or (
                bool(pair)
                and (
                    _party(t, persons)
                    or _unknown(t, names, words)
                    or _stranger_pronoun(t, persons, pair)
                )
            )
        )
    ]
    third_party = bool(strangers)
    theirs = [t for t in found if t not in strangers] + extra
    # where a journey goes, when that is one of the pair ("Xi's visit to Putin")
    goes = _destination(word, sites)
    theirs += [t for t in goes if _is_name(t, pair)]
    held = (
        any(_holds_name(t, sides[0]) and not _kin(t, sides[0]) for t in theirs),
        any(_holds_name(t, sides[1]) and not _kin(t, sides[1]) for t in theirs),
    )
    # everyone a with-phrase lists meets the word's subject ("a quad meeting with
    # Australia's prime minister Albanese, Japan's Kishida and India's Modi"), however the
    # parser hung the list
    for prep in word.children:
        if prep.dep_ == "prep" and prep.lower_ == "with":
            within = [(t.idx, t.idx + len(t.text)) for t in _listed_in(prep)]
            listed = [
                any(s < e2 and s2 < e for s, e in side for s2, e2 in within) for side in sides
            ]
            held = (held[0] or listed[0], held[1] or listed[1])
    # "Putin held separate talks with Modi and Xi": each meets the subject apart, and two
    # of them meet only when the subject is one of the pair ("Modi held separate talks
    # with Xi and Putin")
    apart = [
        c
        for t in (word, word.head if word.dep_ == "dobj" else word)
        for c in t.children
        if c.dep_ in ("amod", "advmod") and c.lower_ in _APART
    ]
    if apart and not any(
        _holds_name(t, side)
        for t in found
        if t.dep_ in ("nsubj", "nsubjpass") or t.i < word.i
        for side in sides
    ):
        held = (False, False)
    # "the two leaders", "both leaders": the pair itself; "the Japanese and South Korean
    # leaders": one head for each side's land; "they", "their", "the pair" when the
    # sentence names the pair and no one else
    alone = all(side for side in sides) and not third and not strangers
    if any(
        (
            t.tag_ == "NNS"
            and t.lemma_.lower() in _HEADS
            and any(c.lower_ in ("two", "both") for c in t.children)
        )
        or _heads_of(t, lands)
        or (alone and _plural_reference(t, sides))
        for t in theirs
    ):
        held = (True, True)
    gone = [*theirs, *goes]
    places = (
        any(_a_land(t, lands[0]) for t in gone),
        any(_a_land(t, lands[1]) for t in gone),
    )
    # a bare word of a side's names the gazetteer left unresolved ("Takaichi will meet
    # Lee", "Xi's visit to Moscow" where only the headline says "Xi Jinping")
    bare = [t.lower_ for t in theirs if _bare(t) and not _is_name(t, names)]
    unresolved = (
        any(w in pair_words[0] for w in bare),
        any(w in pair_words[1] for w in bare),
    )
    if sum(1 for t in found if t.pos_ == "PROPN") > _SMALL_GROUP or any(
        _the_others(t) for t in found
    ):
        # a crowd is no evidence that two of it met ("Meloni, Trudeau, Macron, Kishida,
        # Biden, Scholz and Sunak pose ahead of a working session")
        held, places, unresolved = (False, False), (False, False), (False, False)
    # a relative pronoun stands for the noun its clause describes ("a move that was met")
    stand_ins = [
        t.head.head if t.tag_ in ("WDT", "WP") and t.head.dep_ == "relcl" else t
        for t in [*found, *extra]
    ]
    # a thing the pair's names only modify meets nothing ("the Sunak-Meloni migration pact
    # meets the summer crossings"): the names must be the participant's own head
    people = any(
        _is_name(t, names, own=True)
        or (t.pos_ == "PRON" and t.tag_ not in ("WDT", "WP"))
        or t.pos_ == "PROPN"
        or _party(t, persons)
        or t.lemma_.lower() in _PEOPLE
        or _plural_reference(t, sides)  # "as the two met"
        for t in stand_ins
    )
    no_people = word.lemma_.lower() in _MEET and not people
    # "China's annual parliamentary meeting": one country's own meeting, no one of another
    domestic = (
        word.pos_ == "NOUN"
        and len(found) == 1
        and found[0].dep_ == "poss"
        and not _party(found[0], persons)
        and not any(_holds_name(found[0], side) for side in sides)
        and _is_name(found[0], names)
        # a body's meeting ("annual parliamentary meeting"), not "Seoul's summit"
        and any(c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN") for c in word.children)
    )
    return Participants(
        named=named,
        others=others or domestic,
        sides=held,
        third=third_party,
        lands=places,
        unresolved=unresolved,
        no_people=no_people,
        found=True,
    )


#: Words that make a meeting one of each partner apart: "held separate talks with A and B".
_APART = frozenset({"separate", "separately", "individual", "individually", "respectively"})
#: Prepositions of a meeting noun's partners: "a meeting with Biden", "talks between".
_PARTNERS = frozenset({"with", "between"})
#: Nouns of the edge of a gathering, where two of it meet on their own.
_MARGINS = frozenset({"sideline", "sidelines", "margin", "margins", "fringe", "fringes"})
#: Nouns of a gathering a body holds for its members: "the Mercosur summit", "the G20
#: meeting", "the SCO conference".
_GATHERINGS = frozenset({"summit", "meeting", "conference", "forum", "gathering"})


def _a_bodys_gathering(word: Token, names: list[tuple[int, int]]) -> bool:
    """Whether a meeting noun is a body's gathering of its members, named by the body and
    by no one of the names found: "Lula left *the Mercosur summit*", "at the BRICS summit".
    The pair at a gathering of many is no meeting of the two (the guide: a multilateral
    summit with no bilateral reported); their own meeting there has words of its own
    ("met on the sidelines of the BRICS summit"). A place's gathering is not a body's
    ("the Hiroshima summit", a city the gazetteer knows)."""
    if word.pos_ != "NOUN" or word.lemma_.lower() not in _GATHERINGS:
        return False
    if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in _PARTNERS) for c in word.children):
        return False  # "Xi's APEC meeting with Biden": someone's own
    if (
        word.dep_ == "pobj"
        and word.head.lower_ == "of"
        and word.head.head.lemma_.lower() in _MARGINS
    ):
        return False  # "laid flowers on the sidelines of the G7 summit": the pair's own, there
    return any(
        c.dep_ in ("compound", "nmod")
        and c.pos_ == "PROPN"
        and c.i < word.i
        and c.ent_type_ not in ("PERSON", "DATE", "TIME")
        # the modifier itself no name found ("the Shanghai Cooperation Organisation summit"
        # holds a city's name in the body's)
        and not any(s < c.idx + len(c.text) and c.idx < e for s, e in names)
        for c in word.children
    )


def _the_others(tok: Token) -> bool:
    """A plural of people beside the named ones: "greeted Biden and *the other G7
    leaders*", "met Kishida and other leaders" — a crowd, no evidence that two of it met."""
    return (
        tok.tag_ == "NNS"
        and (tok.lemma_.lower() in _PEOPLE or _people_noun(tok))
        and any(c.dep_ == "amod" and c.lower_ in ("other", "fellow") for c in tok.children)
    )


#: The auxiliary that makes a headline's verb plain to the tagger (see :func:`participants`).
_AUX = "will "
#: A meeting verb's third person, which the tagger takes for a plural noun after a name.
_VERB_FORMS = frozenset({"hosts", "meets", "visits", "welcomes", "receives", "greets", "invites"})


def _verb_read_as_noun(word: Token, pair: list[tuple[int, int]]) -> bool:
    """Whether a meeting verb was tagged a plural noun right after one of the pair's
    names, with a name or a phrase after it: "Xi Hosts Brazil's Lula" (the tagger:
    "Xi" a compound of the noun "hosts")."""
    if word.pos_ != "NOUN" or word.lower_ not in _VERB_FORMS or word.i == 0:
        return False
    before = word.doc[word.i - 1]
    after = word.doc[word.i + 1] if word.i + 1 < len(word.doc) else None
    return (
        any(a <= before.idx < b for a, b in pair)
        and after is not None
        and after.pos_ not in ("PUNCT", "ADP", "CCONJ", "AUX", "PART")
    )


def _kin(tok: Token, side: list[tuple[int, int]]) -> bool:
    """Whether a participant is someone of a side's, not the side's person or place: a
    common noun the name only owns or modifies ("Biden's wife", "Kishida's defence
    chief", "Lula's chief negotiator", "Zelensky's team", "US negotiators"); not an
    office the gazetteer gave the side ("Japan's prime minister")."""
    return (
        tok.pos_ == "NOUN"
        and (_people_noun(tok) or tok.lemma_.lower() in _RELATIVES)
        and not _is_name(tok, side, own=True)
        and any(_holds_name(c, side) for c in tok.children if c.dep_ in _MODIFIERS)
    )


#: Nouns of someone close to a person: "Biden's wife", "Putin's ally".
_RELATIVES = frozenset(
    {"wife", "husband", "spouse", "son", "daughter", "family", "brother", "sister", "lady"}
    | {"ally", "aide", "spokesman", "spokeswoman", "friend", "emissary", "envoy", "chief"}
)


def _someone(tok: Token) -> bool:
    """A person or people: a name, a pronoun, a noun of people ("donors", "senators")."""
    return (
        tok.pos_ in ("PROPN", "PRON")
        or tok.ent_type_ in ("PERSON", "NORP")
        or _people_noun(tok)
        or tok.lemma_.lower() in _RELATIVES
    )


#: Edges of a noun's owner or modifier.
_MODIFIERS = frozenset({"poss", "compound", "amod", "nmod"})


#: Words of a title before a name: "President Xi", "Mr Lee".
_TITLES = _OFFICES | {"mr", "mrs", "ms", "dr", "prime"}


def _bare(tok: Token) -> bool:
    """A proper name of one word, or one after a title ("Xi", "President Xi"), not a
    word of a longer name ("Jill Biden")."""
    return tok.pos_ == "PROPN" and all(
        c.lower_.rstrip(".") in _TITLES
        for c in tok.children
        if c.dep_ in ("compound", "flat") and c.i < tok.i
    )


#: Nouns of a place a land's name makes the land's ("the South Korean capital").
_PLACE_NOUNS = frozenset({"capital", "city", "country", "nation", "port", "island", "territory"})


def _a_land(tok: Token, land: list[tuple[int, int]]) -> bool:
    """Whether a participant or a destination is a side's land: its name ("talks with
    Japan", "arrived in Seoul") or a place noun it modifies ("the South Korean capital");
    not someone or something of it ("US negotiators", "the American embassy", "China's
    backyard")."""
    if _is_name(tok, land, own=True):
        return True
    return tok.lemma_.lower() in _PLACE_NOUNS and any(
        _holds_name(c, land) for c in tok.children if c.dep_ in _MODIFIERS
    )


def _heads_of(tok: Token, lands: tuple[list[tuple[int, int]], list[tuple[int, int]]]) -> bool:
    """ "The Japanese and South Korean leaders", "US and Chinese presidents": a plural head
    of state whose modifiers are each side's land."""
    if tok.tag_ != "NNS" or tok.lemma_.lower() not in _HEADS or not all(lands):
        return False
    mods = [m for c in tok.children if c.dep_ in _MODIFIERS for m in _with_conjuncts(c)]
    # every modifier a land: not "business", "military" or "former" leaders
    return all(any(_is_name(m, side) for m in mods) for side in lands) and all(
        any(_is_name(m, side) for side in lands) for m in mods
    )


#: Words that stand for two people already named: "they met", "their talks", "the pair".
_PLURAL_REFERENCES = frozenset({"they", "their", "them", "both"})
#: Nouns (and a number) of the two, with "the": "the pair", "the duo", "the two met".
_PAIRS = frozenset({"pair", "duo", "two"})
#: Endings and words of nouns of people ("negotiators", "advisers", "students").
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "naut")
_GROUPS = frozenset({"staff", "crew", "team", "troop", "force", "people", "citizen", "child"})
_GROUPS |= {"man", "woman", "delegate", "member", "guest", "host", "general", "envoy"}
_GROUPS |= {"student", "resident", "agent", "correspondent", "opponent", "participant"}
_GROUPS |= {"assistant", "migrant", "immigrant", "dissident", "sergeant", "lieutenant"}
_GROUPS |= {"executive", "representative", "relative", "detective", "captive"}


def _people_noun(tok: Token) -> bool:
    """Whether a common noun names people ("negotiators", "the team", "ministers")."""
    lemma = tok.lemma_.lower()
    return lemma in _PEOPLE | _OFFICES | _GROUPS or (
        tok.pos_ == "NOUN" and lemma.endswith(_AGENT_ENDINGS) and len(lemma) > 4
    )


def _plural_reference(tok: Token, sides: tuple[list[tuple[int, int]], ...]) -> bool:
    """ "They", "their", "the pair": the two, when the two are the joint subject before
    it ("Biden and Kishida signed a deal after their talks") and no noun of other people
    comes between ("praised the negotiators, saying they had met": theirs)."""
    if tok.pos_ == "PRON" or (tok.lower_ == "both" and tok.dep_ in ("nsubj", "nsubjpass")):
        if tok.lower_ not in _PLURAL_REFERENCES:
            return False
    elif tok.lemma_.lower() not in _PAIRS or not any(c.lower_ == "the" for c in tok.children):
        return False
    doc = tok.doc
    for subject in doc[: tok.i]:
        if subject.dep_ not in ("nsubj", "nsubjpass"):
            continue
        # the joint subject ("Biden and Kishida …", "the leaders of Japan and the US …"),
        # or the subject and the object of one verb ("Xi tells Putin they …", "praised
        # Kishida's leadership after they met")
        members = _with_conjuncts(subject)
        members += [
            t
            for c in subject.head.children
            if c.dep_ in ("dobj", "dative") and c.i < tok.i
            for t in _with_conjuncts(c)
            if not _someone(t) or t.pos_ == "PROPN"
        ]
        if not all(any(_one_of(m, side) for m in members) for side in sides):
            continue
        end = max(max(t.i for t in m.subtree) for m in members) + 1
        if not any(
            t.tag_ == "NNS" and t.ent_type_ not in _WHEN_OWNERS and _people_noun(t)
            for t in doc[end : tok.i]
        ):
            return True
    return False


def _one_of(tok: Token, side: list[tuple[int, int]]) -> bool:
    """Whether a member of a list is a side's person ("Kishida"), a thing of theirs
    ("Kishida's leadership"), or heads of state of their lands ("the leaders of Japan
    and the US"); not someone else of theirs ("Biden's advisers")."""
    if _is_name(tok, side, own=True):
        return True
    if tok.pos_ != "NOUN":
        return False
    if tok.lemma_.lower() in _HEADS:
        return _holds_name(tok, side)
    return not _someone(tok) and any(
        _is_name(c, side, own=True) for c in tok.children if c.dep_ == "poss"
    )


def _unknown(tok: Token, names: list[tuple[int, int]], pair_words: frozenset[str]) -> bool:
    """A proper name the gazetteer does not know and that is no word of the pair's names:
    someone else ("Xi to meet Blinken", whom the recogniser may take for a place)."""
    if tok.pos_ != "PROPN" or not pair_words or tok.ent_type_ in ("DATE", "TIME"):
        return False  # "Tuesday's meeting": a day, not someone
    words = [tok, *(c for c in tok.children if c.dep_ in ("compound", "flat"))]
    if any(s < t.idx + len(t.text) and t.idx < e for t in words for s, e in names):
        return False
    return all(t.lower_.removesuffix("'s") not in pair_words for t in words)


def _stranger_pronoun(
    tok: Token, persons: list[tuple[int, int]], pair: list[tuple[int, int]]
) -> bool:
    """ "Blinken's remarks came after he met Xi": a "he" or "she" whose nearest person
    before it in the sentence is someone of neither side (a person the recogniser finds
    and the gazetteer does not give the pair) stands for that someone."""
    if tok.tag_ != "PRP" or tok.lower_ not in ("he", "she"):
        return False
    before = [p for p in (*persons, *pair) if p[1] <= tok.idx]
    if not before:
        return False
    last = max(before, key=lambda p: (p[1], p[1] - p[0]))
    return not any(s < last[1] and last[0] < e for s, e in pair)


def _party(tok: Token, persons: list[tuple[int, int]]) -> bool:
    """Whether a participant is a person of its own: a name the recogniser calls a person,
    or an office-holder ("the defence minister"); not a place, a pronoun or "counterpart"."""
    if tok.pos_ == "PRON":
        return False
    # the participant or its name in apposition: "China's Director … Wang Yi"
    own = [tok, *(c for c in tok.children if c.dep_ in ("appos", "compound", "flat"))]
    if any(s <= t.idx < e for t in own for s, e in persons):
        return True
    return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in _OFFICES


#: Nouns for people or their sides that can meet: "his counterpart", "the host".
_PEOPLE = frozenset(
    {"leader", "counterpart", "delegation", "side", "team", "host", "guest", "head", "chief"}
    | {"premier", "prime", "minister", "president", "official", "envoy", "person", "pair"}
    | {"member", "diplomat", "negotiator", "representative", "people", "country", "nation"}
)

#: Verbs that are a meeting only between people ("met with scepticism" is none).
_MEET = frozenset({"meet", "visit", "greet", "welcome"})
#: Prepositions of an act done at, for, just before or just after a meeting its doer was
#: in ("arrived for a summit with …", "returned home after talks with …", "shook hands
#: ahead of a bilateral meeting").
_AT_MEETING = frozenset(
    {"for", "at", "in", "during", "on", "over", "after", "following", "before", "ahead", "prior"}
)
#: Verbs of intention, expectation or effort that govern an event still to come (read by
#: :mod:`monitor.analysis.modality` for the mood, here for whose day a date is).
INTENT_VERBS = frozenset(
    {"plan", "aim", "hope", "seek", "want", "expect", "intend", "propose", "consider", "prepare"}
    | {"work", "push", "try", "wish", "arrange", "schedule", "invite", "offer", "agree", "discuss"}
    | {"pave"}  # "pave the way for talks"
)
#: Prepositions of an event before or after another: "two days after his talks with Xi".
_SEQUENCE = frozenset({"after", "following", "before", "ahead", "prior"})
#: Entity types of a possessive that is a meeting's day, not its owner ("Tuesday's meeting").
_WHEN_OWNERS = frozenset({"DATE", "TIME"})
#: Entity types of a place that owns a meeting only as its venue ("Seoul's summit").
_SITES = frozenset({"GPE", "LOC", "FAC"})
#: Nouns of going to someone: their "to" is whom they go to ("Kishida's visit to Seoul").
_JOURNEYS = frozenset({"visit", "trip", "tour", "journey"})

#: Verbs whose object is a meeting their subject takes part in: "held talks with", "hosts a
#: summit", "had a meeting".
TAKE_PART = frozenset(
    {"hold", "have", "host", "attend", "begin", "start", "conclude", "join", "lead"}
)
#: Verbs whose subject is in the meeting that is their object, though it need not have
#: taken place ("take a meeting with", "seek talks with"): read for who meets, not when.
_IN_IT = TAKE_PART | {"take", "seek", "request", "accept", "wrap", "end", "finish", "complete"}
# "paid a visit", "kicked off a state visit", "departs Putin meeting"
_IN_IT |= {"pay", "make", "use", "kick", "cut", "leave", "depart", "exit"}
#: A meeting noun's edges as a verb's object ("hold White House talks", "departs Putin
#: meeting": the parser may read it as a clause or an adverbial noun).
_OBJECTS = frozenset({"dobj", "ccomp", "npadvmod"})


def _verb_parties(verb: Token) -> list[Token]:
    """A meeting verb's subject, object and with-object, with their conjuncts. A verb with
    no subject of its own under another ("accuses the US after meeting Xi", "flew to Seoul
    to meet Yoon") has that verb's subject."""
    found: list[Token] = []
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in _NAMES:
        found.extend(_with_conjuncts(verb.head))  # "the two leaders, meeting in Lima, …"
    elif not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        found.extend(_subjects(verb))
    stray = _stray_subjects(verb)
    for child in verb.children:
        if child.i in stray:
            continue
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.tag_ in ("WP", "WDT"):
            if verb.dep_ == "relcl":
                # "Lula, who met Biden on Friday": Lula; "Kishida, whom Biden met": Kishida
                found.extend(_with_conjuncts(verb.head))
        elif child.dep_ in ("nsubj", "nsubjpass", "dobj") or (
            # "Biden welcomes Indian Prime Minister Modi for state visit": a name is no
            # clause, whatever the parser says
            child.dep_ == "ccomp" and child.pos_ == "PROPN"
        ):
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "npadvmod" and child.pos_ == "PROPN" and child.i < verb.i:
            found.append(child)  # "Takaichi, Lee hold summit": a comma list of subjects
        elif child.dep_ == "prep" and child.lower_ == "with":
            found.extend(_objects(child))
        if child.dep_ == "dobj":  # "held talks with …": the meeting noun's own partner
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ("with", "between"):
                    found.extend(_objects(prep))
    return found


def _stray_subjects(verb: Token) -> set[int]:
    """Subjects (and objects) the parser gave a verb besides its own, the one nearest
    before it: a verb has one subject, and a second is another verb's object hung here
    ("to see Zelensky as Xi meets Putin": "Zelensky" and "Xi" both subjects of "meets")."""
    subjects = [
        c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ not in ("WP", "WDT")
    ]
    before = [c for c in subjects if c.i < verb.i]
    stray = set()
    if len(subjects) >= 2 and before:
        own = max(before, key=lambda c: c.i)
        stray = {c.i for c in subjects if c.i != own.i}
    # a verb has one object too, and one after the verb's own "and" belongs to a clause
    # whose verb the tagger missed ("held talks with Iwaya, and the two discussed
    # preparations for Modi's visit": the preparations are not what was held)
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    joins = [c.i for c in verb.children if c.dep_ == "cc" and c.i > verb.i]
    if len(objects) >= 2 and joins:
        stray |= {c.i for c in objects[1:] if any(objects[0].i < j < c.i for j in joins)}
    return stray


def _fronted(verb: Token) -> list[Token]:
    """Names the parser hung from a headline's verb as its owner or compound: its subject,
    for a verb owns nothing ("China's Xi visits Putin", tagged as a noun phrase; "Scholz
    heads to Warsaw", the name tagged a common noun)."""
    return [
        t
        for c in verb.children
        if c.dep_ in ("poss", "compound")
        and (c.pos_ == "PROPN" or c.ent_type_ in _NAMED)
        and c.i < verb.i
        for t in _with_conjuncts(c)
    ]


#: Entity types of a name the tagger may take for a common noun.
_NAMED = frozenset({"PERSON", "GPE", "NORP", "ORG"})


def _subjects(verb: Token) -> list[Token]:
    """A verb's subject with its conjuncts ("Biden and Modi will announce …"), a comma
    list of subjects ("Takaichi, Lee hold summit"), or the names fronted before it; a
    verb with no subject of its own under another has that verb's ("accuses the US after
    meeting Xi", "flew to Seoul to meet Yoon", "Xi is set to travel to Russia to meet
    Putin", "were set to hold a second day of talks", "will attend the summit and hold a
    meeting with Kishida")."""
    found = [
        t
        for c in verb.children
        if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ not in ("WP", "WDT")
        for t in _with_conjuncts(c)
    ]
    found += [
        c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i < verb.i
    ]
    found = found or _fronted(verb)
    if found:
        # "he will watch the Test *alongside Modi* before summit talks": who acts beside the
        # subject does it with them
        # (the parser often hangs it from the object: "watch the Test alongside Modi")
        found += [
            o
            for c in verb.subtree
            if c.dep_ == "prep" and c.lower_ == "alongside" and _verb_of(c).i == verb.i
            for o in _objects(c)
        ]
    above = verb
    while (
        not found
        and (
            above.dep_ in _CONTROLLED
            or (above.dep_ == "ccomp" and above.pos_ == "NOUN")
            # "he is due to meet Biden": the adjective's subject is the verb's
            or (above.dep_ == "acomp" and above.pos_ == "ADJ")
        )
        and above.head.i != above.i
    ):
        # a noun read as a clause is the object it is: "presents Rome's Expo bid in Paris
        # before meeting Macron" (the bid read as a clause with "Expo" its subject)
        below, above = above, above.head
        if above.pos_ in ("VERB", "AUX"):
            objects = [c for c in above.children if c.dep_ == "dobj"]
            if (
                below.dep_ in ("xcomp", "advcl")
                and objects
                and (above.lemma_.lower() in _OBJECT_CONTROL)
            ):
                # "Biden sent Blinken to Beijing to hold talks with Xi": Blinken holds them
                return _with_conjuncts(objects[0])
            return _doers(above)
    return found


#: Verbs whose object does what their infinitive says ("sent Blinken … to hold talks").
_OBJECT_CONTROL = frozenset(
    {"send", "ask", "urge", "invite", "tell", "allow", "encourage", "force", "order"}
    | {"persuade", "help", "dispatch", "get", "want", "expect", "instruct", "authorize"}
)


def _verb_of(tok: Token) -> Token:
    """The nearest verb above a token (the token itself at the root)."""
    while tok.head.i != tok.i and tok.head.pos_ not in ("VERB", "AUX"):
        tok = tok.head
    return tok.head


def _doers(verb: Token) -> list[Token]:
    """The subjects of a clause an act at a meeting hangs from; when they are things, not
    people, or the clause said has none the parser found, those of the saying above it
    ("Modi said ties were never stronger after talks with Biden": Modi)."""
    found = _subjects(verb)
    if verb.dep_ == "ccomp" and all(_thing(t) for t in found):
        return _subjects(verb.head)
    return found


def _thing(tok: Token) -> bool:
    """A common noun that is no person or people ("ties", "democracy"), however tagged."""
    return (
        tok.pos_ not in ("PROPN", "PRON")
        and tok.ent_type_ not in ("PERSON", "NORP", "GPE", "ORG")
        and not _people_noun(tok)
    )


#: Edges of a verb that shares the subject of the verb above it (a second verb of one
#: subject too: "he will attend the Quad summit *and hold* a meeting with Kishida").
_CONTROLLED = frozenset({"pcomp", "prep", "advcl", "xcomp", "conj"})


#: Verbs of speaking to someone: done during or at a meeting, the one spoken to is in it
#: ("Macron told Xi during talks in Beijing", "Biden assured Kishida at the meeting").
_TELL = frozenset({"tell", "urge", "ask", "press", "assure", "warn", "thank", "brief", "promise"})
#: Prepositions of a meeting an act is done in, not before or after it.
_DURING = frozenset({"during", "at", "in"})


def _noun_parties(
    noun: Token, sites: Sequence[tuple[int, int]] = (), pair: Sequence[tuple[int, int]] = ()
) -> list[Token]:
    """A meeting noun's owner ("Macron's visit"), its with-, between-, by- or of-object
    ("talks with China's defence minister", "a visit by African leaders", "a summit of EU
    leaders"), for the object of a verb of taking part, that verb's subject ("Putin held
    talks with …"), and, with none of its own, those of its relative clause ("a visit where
    he met Xi") or of the act it is a circumstance of ("met Lukashenko on Wednesday, in a
    state visit", "Xi's welcoming of Blinken in a private meeting"). A place of ``sites``
    (spans of the pair's lands) that modifies it is its venue, not its owner ("at the
    Kremlin meeting", "White House talks"); one name of ``pair`` (spans of the pair's
    people) that does is a partner of the act's subject ("Xi departs Putin meeting")."""
    found: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss":
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "prep" and child.lower_ in ("with", "between", "by"):
            found.extend(_objects(child))  # "a visit by African leaders"
        elif child.dep_ == "prep" and child.lower_ == "of":
            # "a summit of EU leaders", not "a summit of firsts"
            found.extend(t for t in _objects(child) if t.lemma_.lower() in _PEOPLE | _OFFICES)
        elif child.dep_ == "appos" and child.pos_ == "PROPN" and child.ent_type_ == "PERSON":
            found.append(child)  # "China's Xi meeting Putin …", a headline's verb misread
    # a second noun of a list stands where the first does: "will join him for a roadshow
    # and a visit to the Amber Fort"
    first = _first(noun)
    place = first if noun.dep_ == "conj" and first.pos_ == "NOUN" else noun
    head = place.head
    act = head.head
    if head.lower_ in ("of", "to") and act.lower_ in ("ahead", "prior"):
        head, act = act, act.head  # "ahead of a meeting", "prior to talks": one preposition
    if act.pos_ in _NAMES and act.dep_ in ("dobj", "ccomp") and act.head.pos_ == "VERB":
        # "seek to mend ties at a summit": the act of mending them; "welcomes Modi for a
        # state visit", the parser hanging the circumstance from the object
        act = act.head
    while head.lower_ in _AT_MEETING and act.pos_ in _NAMES and act.dep_ == "pobj":
        act = act.head.head  # "At one point during the talks, Xi told Putin …"
    if place.dep_ == "pobj" and head.lower_ in _AT_MEETING and act.pos_ in ("VERB", "AUX"):
        # "Lee arrived in Tokyo for a summit with Takaichi", "A and B signed a deal at their
        # meeting", "Lee hosted Takaichi at Seoul's summit": who acts at a meeting no one
        # else owns is in it (not "Biden spoke during Xi's visit"); a day or a venue owns
        # no meeting ("during Thursday's state visit", "at the Kremlin meeting")
        their = any(_their(c) for c in noun.children)
        owners = [
            c
            for c in noun.children
            if c.dep_ == "poss" and not _their(c) and c.ent_type_ not in _WHEN_OWNERS
        ]
        agents = [
            c
            for c in noun.children
            if (c.dep_ == "prep" and c.lower_ in ("by", "of", "between"))
            or (
                c.dep_ in ("compound", "nmod")
                and c.pos_ == "PROPN"
                and not _is_name(c, sites)
                and c.ent_type_ not in _WHEN_OWNERS  # "Monday meeting": its day, no agent
            )
        ]
        # a meeting with its own company ("a meeting with donors") or a body's ("a cabinet
        # meeting", "a security council meeting"): no one it is not said of is in it
        company = any(
            c.dep_ == "prep"
            and c.lower_ in ("with", "between", "by", "of", "among")
            and any(_someone(t) for t in _objects(c))
            for c in noun.children
        )
        body = any(
            c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_.lower() in _BODIES
            for c in noun.children
        )
        partner = (
            not company and _people_before(noun) == 1 and all(_is_name(c, pair) for c in agents)
        )
        during = head.lower_ in _DURING
        bare = not company and not agents
        told = bare and during and act.lemma_.lower() in _TELL
        # "their" is the subject's and the object's only with no people between to be it
        # ("praised their ministers after their talks": the ministers')
        shared = their and not company and not _people_between(act, noun)
        coming = head.lower_ in ("before", "ahead", "prior")
        # "ahead of Monday's meeting with Xi": a meeting to come that the text dates is the
        # subject's own next one, not another's after the subject's
        dated = any(c.ent_type_ in _WHEN_OWNERS for c in noun.children)
        if body or (agents and not partner) or (coming and company and not dated):
            # "the visit by African leaders", "after Xi-Putin meeting": theirs; "began a
            # visit to France ahead of talks with Biden": one meeting comes after another
            pass
        elif (
            act.lemma_.lower() in _HOSTS
            and (not owners or (_guest(act) and head.lower_ not in _SEQUENCE))
        ) or (
            act.lemma_.lower() in _MEET | TAKE_PART and all(c.ent_type_ in _SITES for c in owners)
        ):
            # "welcomed Modi for the Indian leader's state visit": a guest's visit is the
            # host's meeting, whoever the text says owns it (not "received a report on
            # Putin's visit"); but what one owns before or after a welcome is another event
            # ("welcomed Modi two days after his talks with Xi")
            found.extend(_verb_parties(act))
        elif not owners:
            # "praised Kishida after their talks": "their" is the subject's and the
            # object's; "Xi departs Putin meeting": one name is the partner, the subject
            # the other; "told Xi during talks": the one told; "shook hands with Kishida
            # during a meeting": the one it is done with; else only the subject ("Blinken
            # urged Xi after talks in Beijing" is no meeting of Xi's)
            parties = _verb_parties(act)
            found.extend(t for t in parties if shared or told or not _object(t, during))
            # "Modi said ties were never stronger after talks with Biden": the sayer
            found.extend(t for t in _doers(act) if t not in parties)
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ == "relcl" and c.pos_ == "VERB" and c.lemma_.lower() in _MEET | TAKE_PART
        ),
        None,
    )
    if not found and clause is not None:
        # "a visit where he met Xi": the participants of the meeting it is
        found = [t for t in _verb_parties(clause) if t.tag_ not in ("WDT", "WP", "WRB")]
    if (
        not found
        and noun.dep_ == "pobj"
        and head.lower_ in ("in", "during", "on", "as", "for")
        and head.head.pos_ == "VERB"
        and not any(
            c.pos_ == "PROPN" for c in noun.children if c.dep_ in ("compound", "nmod", "amod")
        )
    ):
        # "… met Lukashenko on Wednesday, in a state visit": the act's participants; of
        # another act only its subject ("accused America while on a visit to China": not
        # America), and where a journey goes ("arrived in Kyiv for a visit")
        act = head.head
        if act.lemma_.lower() in _MEET | TAKE_PART:
            return _verb_parties(act)
        return _subjects(act)
    if (
        not found
        and noun.dep_ == "pobj"
        and head.lower_ in ("in", "during", "at")
        and head.head.pos_ == "NOUN"
        and any(c.dep_ == "poss" for c in head.head.children)
    ):
        # "Xi's welcoming of Blinken in a private meeting": the owner of the act it is a
        # circumstance of, and that act's object (a person named after "of")
        act = head.head
        found = [t for c in act.children if c.dep_ == "poss" for t in _with_conjuncts(c)]
        for child in act.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                found.extend(t for t in _objects(child) if t.pos_ == "PROPN")
        return found
    if noun.dep_ == "pobj" and head.lower_ == "including" and head.head.pos_ == "VERB":
        # "X wrapped up two days of meetings, including talks with Xi": X is in them
        found.extend(_subjects(head.head))
    # "two days of meetings", "a round of talks": the measure stands for the meetings
    while noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and not found:
        noun, head = head.head, head.head.head
    if (
        noun.dep_ in _OBJECTS
        and head.pos_ == "VERB"
        and head.lemma_.lower() not in _IN_IT
        and any(c.dep_ == "prep" and c.lower_ == "with" for c in noun.children)
        and all(c.ent_type_ in _WHEN_OWNERS for c in noun.children if c.dep_ == "poss")
    ):
        # "Takaichi hailed Tuesday's meeting with President Lee": whose meeting with Lee,
        # owned by no one else, but hers
        found.extend(_subjects(head))
    if noun.dep_ in _OBJECTS and head.pos_ == "VERB" and head.lemma_.lower() in _IN_IT:
        found.extend(_subjects(head))
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "with":
                found.extend(_objects(child))
    return found


#: Verbs of receiving a guest: the guest's visit is the host's meeting too ("invited Xi
#: to Moscow for a state visit", "received Lula for talks").
_HOSTS = frozenset({"invite", "receive", "welcome", "host", "greet"})


def _their(owner: Token) -> bool:
    """ "Their talks": an owner that is the people already named."""
    return owner.dep_ == "poss" and owner.tag_ == "PRP$" and owner.lower_ == "their"


#: Nouns of a body whose meeting is its own: "a cabinet meeting", "party talks".
_BODIES = frozenset(
    {"cabinet", "council", "committee", "board", "party", "parliament", "congress", "senate"}
    | {"assembly", "commission", "staff", "donor", "investor", "shareholder", "union", "club"}
    | {"faculty", "family", "team", "student", "business", "ministry", "caucus", "politburo"}
)


def _people_between(act: Token, noun: Token) -> bool:
    """Whether a plural noun of people stands between an act and a meeting noun."""
    lo, hi = sorted((act.i, noun.i))
    return any(t.tag_ == "NNS" and _people_noun(t) for t in act.doc[lo + 1 : hi])


def _guest(act: Token) -> bool:
    """Whether a verb of hosting has a person for its object: the guest ("welcomed Modi",
    "welcomed him"), not "a report" or "reporters"."""
    return any(
        c.dep_ in ("dobj", "dative") and (c.pos_ in ("PROPN", "PRON") or c.ent_type_ == "PERSON")
        for c in act.children
    )


def _object(tok: Token, during: bool) -> bool:
    """Whether a participant of a verb is its object: a direct object, or the object of a
    preposition other than a "with" of an act done during the meeting ("shook hands with
    Kishida during a meeting"; not "spoke with Biden after a meeting")."""
    first = _first(tok)
    if first.dep_ == "dobj":
        return True
    return first.dep_ == "pobj" and not (during and first.head.lower_ == "with")


def _people_before(noun: Token) -> int:
    """How many people the recogniser names in the words before a noun that modify it
    ("the Joe Biden meeting": one; "the Xi-Putin summit": two, though it may take the
    hyphenated pair for one name)."""
    left = noun.left_edge.i
    return sum(
        1 + sum(1 for t in e if t.text == "-")
        for e in noun.doc.ents
        if e.label_ == "PERSON" and left <= e.start and e.end <= noun.i
    )


def _destination(noun: Token, sites: Sequence[tuple[int, int]] = ()) -> list[Token]:
    """Where a journey noun's trip goes: its own "to", "in" or "at" ("Kishida's visit to
    Seoul", "a state visit at the White House"), its place before it, or,
    when a verb of going tells it, that verb's "to" and "in" objects ("will travel to
    Russia on his first state visit", "arrived in Kyiv for a visit"); none for another
    noun. (Where one goes is no participant of one's own: "the visit by African leaders to
    Seoul" stays theirs.)"""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _JOURNEYS:
        return []
    # "Kishida's visit to Seoul", "the state visit in Moscow", "a visit at the White House"
    own = [
        t
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in ("to", "in", "at")
        for t in _objects(c)
        if t.ent_type_ not in _WHEN_OWNERS
    ]
    # "Modi's US visit", "his Moscow trip": a place of ``sites`` before it
    own += [c for c in noun.children if c.dep_ in ("compound", "nmod") and _is_name(c, sites)]
    head = noun.head
    if own or (
        noun.dep_ != "pobj"
        or head.lower_ not in ("on", "for", "during", "in")
        or head.head.pos_ != "VERB"
    ):
        return own
    return [
        t
        for prep in head.head.children
        if prep.dep_ == "prep" and prep.lower_ in ("to", "in")
        for t in _objects(prep)
        if t.i != noun.i
    ]


def _objects(prep: Token) -> list[Token]:
    return [t for obj in prep.children if obj.dep_ == "pobj" for t in _with_conjuncts(obj)]


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj":
            out.extend(_with_conjuncts(child))
    return out


#: Nouns of the pair's own heads: "the two leaders" met (not "the two sides", their
#: countries' officials).
_HEADS = frozenset({"leader", "president", "premier", "head"})
#: The most members a list in a participant's phrase has to be a meeting of its members
#: (a trilateral, a quad), not a gathering of many ("leaders from the US, France, …").
_SMALL_GROUP = 4


def _listed_in(prep: Token) -> list[Token]:
    """The words of a with-phrase's list of people, not of what describes them ("with
    Lukashenko, a close ally *of Putin*", "with Modi, who met Xi"): its subtree without a
    preposition's phrase or a clause below the objects."""
    out: list[Token] = []
    stack = [prep]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if tok is not prep and (child.dep_ == "prep" or child.dep_ in ("relcl", "acl")):
                continue
            stack.append(child)
    return out


def _first(tok: Token) -> Token:
    """The first member of the list a token is a conjunct of."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


#: Parts of speech of a name or a noun a list inside a phrase joins.
_NAMES = frozenset({"NOUN", "PROPN"})

#: Edges into a clause of its own: not part of the participant's phrase.
#: (An apposition is the participant itself: "the president, Yoon Suk Yeol".)
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct"})


def _holds_name(tok: Token, names: list[tuple[int, int]], places: bool = True) -> bool:
    """Whether the participant's phrase (without its clauses) holds a name found
    ("Kishida", "leaders of Japan and the US"); without ``places``, not in a phrase of
    where they are ("EU leaders in Brussels" are no one named)."""
    phrase = [tok]
    stack = [tok]
    while stack:
        parent = stack.pop()
        for child in parent.children:
            if not places and child.dep_ == "prep" and child.lower_ in _AT_PLACE:
                continue
            if parent.i == tok.i and _group(tok) and _some_of(child):
                # "EU leaders including Scholz and Tusk gathered for a summit": the two are
                # some of a larger group, whose meeting is not theirs
                continue
            listed = (
                child.dep_ == "conj"
                and child.pos_ in _NAMES
                and parent.pos_ in _NAMES
                and len(_with_conjuncts(_first(parent))) <= _SMALL_GROUP
            )
            if child.dep_ not in _CLAUSES or (listed and parent.i != tok.i):
                # a list inside the phrase is the phrase's ("leaders of Japan and South
                # Korea"); the participant's own conjuncts are participants of their own
                phrase.append(child)
                stack.append(child)
    return any(s < t.idx + len(t.text) and t.idx < e for t in phrase for s, e in names)


#: Prepositions that name some members of a group: "leaders including Scholz and Tusk".
_SOME_OF = frozenset({"including", "like", "among"})


def _some_of(child: Token) -> bool:
    """Whether a modifier of a plural noun names only some of its members: "including X",
    "like X", "such as X"."""
    if child.dep_ != "prep":
        return False
    return child.lower_ in _SOME_OF or (
        child.lower_ == "as" and child.i > 0 and child.doc[child.i - 1].lower_ == "such"
    )


def _is_name(tok: Token, names: Sequence[tuple[int, int]], own: bool = False) -> bool:
    """Whether the participant itself is a name found, not a phrase holding one: "Kishida",
    "President Yoon" — not "scepticism in Kyiv and the West". ``own``: the name is the
    participant's head, not a modifier of another noun ("Putin ally Lukashenko" is the
    ally, not Putin)."""
    edges = ("appos", "flat") if own and tok.pos_ == "NOUN" else ("compound", "appos", "flat")
    words = [tok, *(c for c in tok.children if c.dep_ in edges)]
    return any(s < t.idx + len(t.text) and t.idx < e for t in words for s, e in names)


def _group(tok: Token) -> bool:
    """A plural common noun that is not the people already named: "leaders", "G7
    leaders", "foreign ministers" — not "the two leaders", "both", "they"."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
        return False
    return not any(
        c.lower_ in _BACK and c.dep_ in ("det", "nummod", "poss", "predet") for c in tok.children
    )


#: Verbs of saying: a date on one dates the saying ("…, Sullivan said on Sunday").
_SAYING = frozenset({"say", "tell", "announce", "report", "add", "confirm", "state", "note"})


def dates_the_meeting(
    sentence: str,
    anchor: tuple[int, int],
    when: tuple[int, int],
    names: list[tuple[int, int]],
    own: bool = False,
) -> bool:
    """Whether the time expression at ``when`` can date the meeting word at ``anchor``.

    Not when it hangs from a verb of saying above the meeting ("Biden will
    meet Xi at some point, Sullivan said on Sunday": Sunday is the saying's
    day), or from such a verb after the meeting that the parser hung below it.
    Anything else the parse cannot place is given the benefit of the doubt: the
    nearest date in the clause, as before. With ``own``, only whether the time hangs
    inside the meeting word's own phrase or clause.
    """
    doc, word = parse_at(sentence, anchor, names)
    time = token_at(doc, when[0])
    if word is None or time is None:
        return not own
    if own:
        return any(t.i == word.i for t in time.ancestors)
    above = {t.i for t in word.ancestors}
    for tok in time.ancestors:
        if tok.i == word.i:
            return True  # inside the meeting's own phrase or clause
        if tok.i in above and _hoped_between(word, tok):
            # an intention between the meeting and the verb the date hangs from: "arrived on
            # Monday hoping for a meeting with Trump" (Monday is the arrival's)
            return False
        if (
            tok.pos_ == "VERB"
            and tok.lemma_.lower() in _SAYING
            and tok.dep_ in ("conj", "parataxis", "advcl")
            and tok.i > word.i
            and not any(c.dep_ == "mark" for c in tok.children)
        ):
            # "…, the ministry said on Friday", which the parser hung below the meeting's
            # verb as a second clause; not "after he said on Friday …"
            return False
        if tok.i in above:
            # it hangs from something that governs the meeting: a saying dates only itself
            if tok.pos_ == "VERB" and tok.lemma_.lower() in _SAYING:
                return False
            # nor does the first of two clauses of their own: "Wang met Modi on Tuesday, and
            # Modi said he looked forward to meeting Xi at the end of the month"
            return not _second_clause_between(word, tok)
    return True


def _hoped_between(word: Token, top: Token) -> bool:
    """Whether a verb of intention stands on the way up from ``word`` to ``top``, neither
    of them: what hangs from ``top`` is another act than the meeting hoped for."""
    tok = word.head
    while tok.i != top.i and tok.head.i != tok.i:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in INTENT_VERBS:
            return True
        tok = tok.head
    return False


def _second_clause_between(word: Token, top: Token) -> bool:
    """Whether the way up from ``word`` to ``top`` leaves a conjoined clause with a subject
    of its own ("…, and Modi said …"): what hangs from ``top`` is the first clause's."""
    tok = word
    while tok.i != top.i and tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.head.i == top.i:
            return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        tok = tok.head
    return False


#: Prepositions that put a place under an event: "met in Tokyo", "a visit to Seoul".
_AT_PLACE = frozenset({"in", "at", "to", "into", "inside"})
#: Verbs whose object is the place they happen in: "visits Seoul", "tours Moscow".
_PLACE_OBJECT = frozenset({"visit", "tour", "reach", "host"})
#: Prepositions a place may hang under further down: "on the sidelines of the summit in
#: Hiroshima", "meets with Xi at the Kremlin in Moscow" (the parse often hangs the place
#: from the partner). "Met with scepticism in Kyiv" is no meeting at all (:func:`participants`).
_ON_THE_WAY = frozenset(
    {"in", "at", "on", "of", "during", "for", "ahead", "after", "before", "with", "between"}
)
#: Edges a meeting noun climbs to the verb of its clause: "held talks", "arrived … for a visit".
_GOVERNED_BY = frozenset(
    {"dobj", "pobj", "pcomp", "prep", "nsubj", "nsubjpass", "attr", "compound", "conj"}
)


def venue(
    sentence: str,
    anchor: tuple[int, int],
    places: list[tuple[int, int]],
    names: list[tuple[int, int]],
    home: Sequence[tuple[int, int]] = (),
) -> tuple[int, int] | None:
    """Which of ``places`` (spans in ``sentence``) is where the meeting word at ``anchor``
    happens, read from the parse; the nearest to it when several are.

    A journey through a list of places ("visited Paris and Berlin on Monday and urged
    Scholz …") meets the pair at the one that is theirs: of a list, the one place among
    ``home`` (the spans of the pair's own places); none when no one place of the list is,
    for the list does not say where they met.

    A place is the venue when it hangs from the event: from a locative preposition
    on the meeting word or the verb of its clause ("met in Tokyo", "held talks in
    Tokyo", "arrived in Seoul for a visit", "a visit to Moscow", "met on the
    sidelines of the summit in Hiroshima"), as the object of a visiting verb
    ("visits Seoul"), or as a modifier of the meeting noun ("a Tokyo summit").
    A place a "where" clause of the meeting describes is too ("left for Tokyo, where he
    will hold a meeting with Kishida"). A place in another clause or under another noun
    is not: "Xi will present
    China as a peacemaker — a move met with scepticism in Kyiv" holds no meeting
    in Kyiv, and neither does "…, which reciprocates a trip to Tokyo" for the
    visit the main clause reports.
    """
    doc, word = parse_at(sentence, anchor, names)
    if word is None:
        return None
    heads = _event_heads(word)
    found = []
    for span in places:
        tok = span_head(doc, span)
        if tok is not None and _hangs_from(tok, heads, word.i):
            found.append(span)
    if not found:
        where = _where_clause_of(word)
        found = [s for s in places if where is not None and span_head(doc, s) == where]
    listed = {_first(t).i for s in found if (t := span_head(doc, s)) is not None}
    if len(found) > 1 and len(listed) == 1:
        theirs = [s for s in found if s in home]
        return theirs[0] if len(theirs) == 1 else None
    return min(found, key=lambda s: abs(s[0] - anchor[0])) if found else None


def _where_clause_of(word: Token) -> Token | None:
    """The place a "where" clause the meeting word is in describes ("left for Tokyo,
    *where* he will attend the summit and hold a meeting with Kishida"), if any."""
    tok = word
    while tok.dep_ not in ("relcl", "ROOT", "ccomp", "advcl") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "relcl" and any(c.lower_ == "where" for c in tok.children):
        return tok.head
    return None


def _event_heads(word: Token) -> set[int]:
    """The tokens a venue of ``word`` may hang from: the word, the verb its noun is
    governed by within its clause ("a state visit and summit" climbs the list), a verb
    it is the complement of ("plans to visit"), and the verb of a
    clause describing the noun ("a summit held in Tokyo")."""
    heads = {word.i}
    tok = word
    # a gerund under a preposition is a noun here: "arrives in Moscow for meeting with Putin"
    while (
        tok.dep_ in _GOVERNED_BY
        and tok.head.i != tok.i
        and (tok.pos_ != "VERB" or tok.dep_ == "pcomp")
    ):
        tok = tok.head
        heads.add(tok.i)
        if tok.pos_ in ("VERB", "AUX"):
            break
    if word.dep_ == "xcomp":
        heads.add(word.head.i)
    for child in word.children:
        if child.dep_ in ("acl", "relcl", "xcomp"):
            heads.add(child.i)
    return heads


def _hangs_from(place: Token, heads: set[int], word: int) -> bool:
    """Whether the place's token is attached as a venue to one of ``heads`` (``word`` is the
    meeting word's index)."""
    tok = place
    # "in Tokyo and Seoul"; "in Peru's capital, Lima"
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("compound", "nmod", "amod"):
        return tok.head.i in heads  # "a Tokyo summit"
    if tok.dep_ == "dobj":
        return tok.head.i in heads and tok.head.lemma_.lower() in _PLACE_OBJECT
    # climb the chain of prepositional phrases to the event, one of them locative: "on the
    # sidelines of the summit in Hiroshima", "in the heart of Lima" hang from "met"
    located = False
    while tok.dep_ == "pobj" and tok.head.lower_ in _ON_THE_WAY | _AT_PLACE:
        prep = tok.head
        located = located or prep.lower_ in _AT_PLACE
        above = prep.head
        if above.i in heads or (
            # the parse often hangs the place from the meeting verb's object: "welcomed
            # President Lee in Tokyo" (not from another verb's: "…, which reciprocates a
            # trip to Tokyo")
            above.dep_ == "dobj" and above.head.i == word
        ):
            return located
        if above.i == prep.i:
            return False
        tok = above
        while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:  # "between X and Y in Lima"
            tok = tok.head
    return False


#: Words that make a meeting one at a distance: "a video meeting", "talks by phone".
_REMOTE = frozenset(
    {"video", "virtual", "virtually", "phone", "telephone", "online", "videoconference"}
    | {"videolink", "teleconference", "zoom", "remote", "remotely", "call"}
)
#: Prepositions of the means: "via a video link", "by phone", "over the telephone".
_MEANS = frozenset({"via", "by", "over", "through", "on"})


def remote(sentence: str, anchor: tuple[int, int], names: list[tuple[int, int]]) -> str:
    """The words that make the meeting at ``anchor`` one at a distance, else "".

    A call is not a summit (the guide: "phone or video calls are not summits"):
    "a video meeting", "a virtual summit", "held talks via a video link", "met by
    phone", "met virtually". Read on the meeting word and on the verb that holds
    it ("held a meeting with Xi via video link").
    """
    doc, word = parse_at(sentence, anchor, names)
    if word is None:
        return ""
    for i in sorted(_event_heads(word)):
        head = doc[i]
        for child in head.children:
            if child.dep_ in ("amod", "compound", "advmod") and child.lower_ in _REMOTE:
                return (
                    f"{child.text} {head.text}" if child.i < head.i else f"{head.text} {child.text}"
                )
            manner = [c for c in child.children if c.dep_ == "advmod" and c.lower_ in _REMOTE]
            if child.dep_ == "prep" and manner:  # "met virtually on Tuesday"
                return f"{head.text} {manner[0].text}"
            if child.dep_ == "prep" and child.lower_ in _MEANS:
                for obj in child.children:
                    means = [obj, *(c for c in obj.children if c.dep_ in ("compound", "amod"))]
                    if obj.dep_ == "pobj" and any(t.lower_ in _REMOTE for t in means):
                        return " ".join(t.text for t in doc[child.i : obj.i + 1])
    return ""


#: Prepositions whose object is over before what the sentence reports.
_SINCE = frozenset({"after", "following", "since"})


def since(sentence: str, anchor: tuple[int, int], names: list[tuple[int, int]]) -> str:
    """The preposition ("after") when the meeting word at ``anchor`` is its object: the
    meeting is over ("Lawmakers dismiss peace talk after Putin-Xi meet", "relations reach a
    juncture after the summit"), whatever form the word has. Else ""."""
    _, word = parse_at(sentence, anchor, names)
    while word is not None and word.dep_ == "conj" and word.head.i != word.i:
        word = word.head  # "after the summit and the dinner"
    if word is None or word.dep_ not in ("pobj", "pcomp"):
        return ""
    return word.head.text if word.head.lower_ in _SINCE else ""


#: Marks of a clause that happens when its main clause does: "… when he visits Russia".
_WHEN = frozenset({"when", "once", "while", "as", "after", "before", "until", "if"})
#: Auxiliaries of a main clause still to come.
_WILL = frozenset({"will", "shall", "'ll", "wo"})


def when_future(sentence: str, anchor: tuple[int, int], names: list[tuple[int, int]]) -> str:
    """The words that put the meeting verb at ``anchor`` in the future through its main
    clause, else "": English writes a future in a "when" clause in the present ("Xi will
    urge Putin … when he visits Russia"), so the verb's own form does not tell."""
    _, word = parse_at(sentence, anchor, names)
    if word is None or word.dep_ != "advcl" or word.head.i == word.i:
        return ""
    mark = next(
        (c for c in word.children if c.dep_ in ("mark", "advmod") and c.lower_ in _WHEN), None
    )
    main = word.head
    while main.dep_ == "xcomp" and main.head.i != main.i:  # "will urge Putin not to use …"
        main = main.head
    will = next(
        (
            c
            for c in main.children
            if c.dep_ == "aux" and (c.lower_ in _WILL or (c.lower_ == "to" and _headline(main)))
        ),
        None,
    )  # a headline's "to" is its "will": "Japan, US to hold talks before Kishida meets Biden"
    if mark is None or will is None:
        return ""
    return f"{will.text} … {mark.text} {word.text}"


def _headline(verb: Token) -> bool:
    """Whether a verb is a headline's own: its root, or the clause the parser hung from a
    root name ("Japan, South Korea *to hold* talks …" read as a relative clause)."""
    return verb.dep_ == "ROOT" or (
        verb.dep_ in ("relcl", "acl")
        and verb.head.dep_ == "ROOT"
        and verb.head.pos_ in ("NOUN", "PROPN")
    )


#: Edges from a meeting noun to the verb it is an argument of: "part of the meeting got".
_ARGUMENT = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "compound", "poss"})


def spoken_of(sentence: str, anchor: tuple[int, int], names: list[tuple[int, int]]) -> str:
    """The past verb a meeting noun is an argument of, when the meeting is only spoken of
    ("the most interesting part of the Putin-Xi meeting got least attention", "Xi's trip
    to Moscow didn't impress the West"): what a past verb says of a meeting is past, so
    the meeting is too, whatever the saying around it ("Zakaria says …"). Else "".
    """
    _, word = parse_at(sentence, anchor, names)
    if word is None or word.pos_ != "NOUN":
        return ""
    tok = word
    while tok.dep_ in _ARGUMENT and tok.head.i != tok.i and tok.head.pos_ not in ("VERB", "AUX"):
        if tok.dep_ == "pobj" and tok.head.lower_ != "of":
            return ""  # "ahead of", "after", "at": the relation says more than the verb
        tok = tok.head.head if tok.dep_ == "pobj" else tok.head
    verb = tok.head
    if tok.dep_ not in _ARGUMENT or verb.pos_ not in ("VERB", "AUX") or verb.i == tok.i:
        return ""
    if verb.lemma_.lower() in _SAYING | TAKE_PART:
        return ""  # a saying's time is its own; "held a meeting" is the meeting's own verb
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in aux):
        return ""
    did = next((c for c in aux if c.lower_ in ("did", "had", "was", "were")), None)
    # a participle with a subject and no auxiliary is a past tense the tagger misread
    # ("saying summit *dispelled* doubts")
    bare_participle = verb.tag_ == "VBN" and not aux and tok.dep_ == "nsubj"
    if verb.tag_ == "VBD" or did is not None or bare_participle:
        return " ".join(t.text for t in (did, verb) if t is not None)
    return ""
