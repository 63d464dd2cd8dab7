"""Are two actors linked in a sentence? Read it off the dependency parse.

Event coders for news (CAMEO, PETRARCH) read who-did-what-to-whom from a
sentence's grammar: a source actor, a verb, a target actor. This module does
the same on a spaCy parse, with the gazetteer's mentions as the actors:

* **Roles of one predicate.** Climb from each actor to the lowest node the
  two share. When each reaches it through the arguments of one clause —
  subject, object, dative, attribute, a preposition's object, a possessor, a
  noun's modifier, a clause the verb controls ("wants to buy arms from"), a
  relative clause on the actor ("Russia, which backs …") — one acts on, with
  or for the other, or a relation is stated: linked. The path must not leave
  the clause (a second subject's clause, a parataxis, an adverbial clause
  with its own subject, "amid", "after", "like", "than" …) and a speech verb
  links only its speaker to what is said ("Kim said Russia would prevail").
* **Coordination.** Two actors joined by "and"/"or"/commas (directly, or the
  prepositions holding them) are co-members of a list: linked only when the
  list is exactly the pair *and* the pair does something together — the joint
  subject of a mutual act or, for two people, of any predicate ("Kim and
  Putin tour a launch site") — or a noun of relation holds them ("talks
  between A and B", "the A–B alliance"). Co-objects of someone else's act or
  relation ("the US criticises A and B", "C seeks ties with A and B") and
  lists that share an attribute ("both", "each", more than two members) are
  not linked.
* **Modifiers of one noun** ("Russian and North Korean troops", "Russian
  Iranian oil") link only when the noun names a relation ("Moscow–Pyongyang
  ties"), or it is a journey, its owner the traveller and a place-name
  before it where it goes ("Kim's Russia trip").

The cue book supplies only what grammar cannot know: which nouns name a
relation, which acts are mutual, which verbs compare rather than interact.
Every link says which predicate and which roles, for the alert's evidence
("Putin (subject) — greets — Kim (object)").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from monitor.analysis.meetings import TAKE_PART
from monitor.analysis.pipeline import (
    headline_case,
    parse_at,
    parse_sentence,
    span_head,
    token_at,
)
from monitor.article import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

__all__ = [
    "CueBook",
    "Reading",
    "RoleLink",
    "dates_the_act",
    "of_the_dead",
    "link_materiel",
    "link_roles",
    "year_dates_the_act",
]


class CueBook(Protocol):
    """The lexicon's test for a word: how many words from ``words[i]`` form a cue."""

    def match(self, section: str, words: Sequence[str], i: int) -> int: ...


@dataclass(frozen=True, slots=True)
class Reading:
    """What the parse says of a pair: the link, or none; whether it could be read; and
    the mentions it found to be no actor ("China" in "the South China Sea", "America" in
    "a Latin American tour"), which a caller falling back on the cue words must not use
    either."""

    link: RoleLink | None
    readable: bool
    not_actors: frozenset[Span] = frozenset()


@dataclass(frozen=True, slots=True)
class RoleLink:
    """Two actors linked by a predicate: its span, how, and each actor's role."""

    predicate: Span
    how: str
    left: Span
    right: Span
    left_role: str
    right_role: str


#: Edges inside a noun phrase: a modifier climbs to its noun.
_NOMINAL = frozenset({"compound", "amod", "poss", "nmod", "appos", "npadvmod", "case", "det"})
#: Edges that make an argument of a predicate (verb, noun or adjective).
_ARGUMENT = frozenset(
    {
        "nsubj", "nsubjpass", "dobj", "dative", "iobj", "attr", "oprd", "pobj", "prep",
        "agent", "pcomp", "acomp", "xcomp", "obj", "obl",
    }
)  # fmt: skip
#: Prepositions and subordinators that put the second actor in another matter.
_OTHER_MATTER = frozenset(
    {
        "amid", "despite", "after", "before", "since", "during", "like", "unlike", "than",
        "including", "besides", "except", "as", "following", "ahead", "near", "beyond",
        "while", "whereas", "although", "though", "unless", "because", "if", "until",
        "alongside", "among", "amongst", "between",
    }
)  # fmt: skip
#: Nouns that make "in the … of" a circumstance of time, like "after" ("in the wake of").
_CIRCUMSTANCES = frozenset({"wake", "aftermath"})
#: Words of time whose clause, with no subject of its own, is the main subject acting again
#: ("while pursuing a Chinese boat", "after meeting Putin").
_SAME_SUBJECT = frozenset({"while", "after", "before", "when", "since", "upon", "until", "once"})
#: Verbs of appearing or acting beside someone, whose "alongside" is company, not a list
#: ("speaking alongside Niinisto", "fought alongside Syrian troops").
_BESIDE = frozenset({"speak", "stand", "appear", "sit", "fight", "serve", "pose", "walk", "march"})
#: Prepositions that give examples of the noun they follow ("countries like North Korea").
_EXAMPLES = frozenset({"like", "including"})
#: Edges that are no argument of a verb: a name hanging from one by them was misread
#: ("violations in China, Iran India" with "India" as an adverbial noun).
_NO_ROLE = frozenset({"npadvmod", "acomp", "appos", "advmod", "nmod", "dep"})
#: Prepositions whose object is where something happens.
_PLACE_PREPOSITIONS = frozenset({"in", "at", "across", "throughout", "inside", "within", "around"})
#: Prepositions of a circumstance an act answers ("amid worries about China").
_ANSWERING = frozenset({"amid", "amidst", "despite"})
#: Prepositions by which a side is what an attitude is about or from ("fears of China").
_TOPICS = frozenset({"about", "over", "of", "from", "by", "toward", "towards", "regarding"})
#: Light verbs that voice the attitude noun they take ("issued a warning", "voiced concern").
_VOICES = frozenset(
    {"issue", "voice", "express", "lodge", "raise", "register", "sound", "file", "air", "signal"}
)
#: Nouns of an answer to another's act, whatever verb takes them ("vows *countermeasures*",
#: "threatens retaliation", "promises a response").
_ANSWER_NOUNS = frozenset({"countermeasure", "retaliation", "reprisal", "response"})
#: Verbs that are an answer by themselves, with no attitude to voice ("Japan scrambles jets
#: as Chinese bombers approach", "Beijing bristles as a British warship sails through").
_REACTS = frozenset({"scramble", "protest", "retaliate", "respond", "react", "bristle", "fume"})
#: Prepositions and marks of an act another answers while or after it happens.
_DURING = frozenset({"during", "amid", "amidst", "after", "following"})
_WHILE = frozenset({"as", "when", "while", "after"})
#: Prepositions of a partner or agent of an act ("drills with the Philippines", "strikes by
#: Iran").
_PARTNERS = frozenset({"with", "by", "between"})
#: Verbs of an attitude that grows ("as China concerns grow").
_GROWS = frozenset({"grow", "mount", "rise", "increase", "deepen", "intensify", "escalate"})
#: Edges that hang a clause on a noun (relative and participial clauses).
_CLAUSES = frozenset({"relcl", "acl"})
#: Verbs that take an object and a participle of what is to be done to it ("wants the
#: envoy recalled", "had the aide arrested").
_OBJECT_AND_PARTICIPLE = frozenset(
    {"want", "need", "have", "get", "see", "order", "like", "prefer", "wish"}
)
#: Verbs of movement or change whose adverb of distance carries their preposition
#: ("shifting away from China", "grown close to Beijing"); "fired missiles close to the
#: border" is a place, like "near".
_MOVES = frozenset(
    {"shift", "move", "push", "pull", "drift", "draw", "bring", "grow", "edge", "inch"}
    | {"steer", "lure", "tilt", "lean", "come", "get", "drive", "turn", "veer", "stay"}
    | {"head", "return", "fly", "go", "travel", "sail", "depart"}
    | {"rush", "hurry", "race", "scramble", "flock", "flee", "hasten"}
)
#: Adverbs of distance or direction whose preposition belongs to the verb ("away from",
#: "closer to", "heads home from Russia", "flew back from Beijing").
_DISTANCE = frozenset({"away", "close", "closer", "closely", "nearer", "home", "back"})
#: How far after its verb such an adverb may stand ("pushing its factories away from"):
#: further on, the parser has hung it from a verb it does not belong to.
_DISTANCE_SPAN = 4
#: Prepositions of what an act or a dispute is about; a name does not take them.
_MATTER = frozenset({"over", "about"})
#: The longest path, in dependency edges, between two actors of one act.
MAX_EDGES = 7
#: Words that say the members of a list act separately or share an attribute.
_SEPARATELY = frozenset({"both", "each", "separately", "respectively", "also", "too", "either"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_VERBAL = frozenset({"VERB", "AUX"})
_NOUNS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})

#: Names of roles in the evidence.
_ROLE_NAMES = {
    "nsubj": "subject",
    "nsubjpass": "passive subject",
    "dobj": "object",
    "dative": "indirect object",
    "iobj": "indirect object",
    "attr": "attribute",
    "oprd": "predicate",
    "agent": "agent",
    "poss": "possessor",
    "compound": "modifier",
    "amod": "modifier",
    "nmod": "modifier",
    "appos": "apposition",
    "relcl": "relative clause",
    "acl": "modifier clause",
    "xcomp": "complement",
    "ccomp": "what is said",
    "advcl": "clause",
}


def _named(role: str) -> str:
    """A role as the evidence names it ("nsubj" → "subject"; "with-object" as it is)."""
    return _ROLE_NAMES.get(role, role)


def link_roles(
    sentence: str,
    left: Sequence[Span],
    right: Sequence[Span],
    others: Sequence[Span],
    cues: CueBook,
    persons: frozenset[Span] = frozenset(),
    places: frozenset[Span] = frozenset(),
) -> Reading:
    """The first way a ``left`` and a ``right`` actor are linked in ``sentence``, if any
    (:func:`_link_roles`); a headline the parser could not read as a clause is read again
    with its verb made plain (:func:`_headline_verbs`).

    "Chinese vessels swarm Philippine-claimed island" parses as one noun
    phrase, "vessels swarm" a compound; with an auxiliary before the word
    ("Chinese vessels will swarm …") the tagger sees the verb it is. Headlines
    also write the future as "to": "S. Korean, Japanese leaders to meet
    again" parses as a name with an apposition and a relative clause, "…
    leaders will meet again" as the subject and its verb. The second reading
    comes first when the word then is a verb with a subject (the first is
    kept when it finds nothing), and serves only the link (not a meeting's
    mood, which the auxiliary would change).
    """
    spans = [*left, *right, *others]
    hints = _headline_verbs(parse_sentence(headline_case(sentence, spans), spans), spans)
    first = _link_roles(sentence, left, right, others, cues, persons, places)
    for hint in hints:
        again = False
        if hint.after_a_reading and first.link is not None and not hint.firm:
            # a headline's "to" is read again only when the first reading is empty, or links
            # by the very verb it makes plain ("Turkey, Syria defence chiefs to meet in
            # Moscow", read as a relative clause of "Turkey"): then the hint says how
            verb = hint.original((hint.verb, hint.verb + 1))
            if hint.plain or verb is None or verb[0] != first.link.predicate[0]:
                continue  # a noun made a verb ("ties" → "will tie") is only a guess
            again = True
        again = again or hint.firm
        second = _hinted_reading(sentence, hint, left, right, others, cues, persons, places)
        if second is not None and (second.link is not None or (again and second.readable)):
            return second
        if second is not None and second.readable and not first.readable and hint.decides:
            return second  # made plain, the headline reads, and says there is no link
    return first


def _hinted_reading(
    sentence: str,
    hint: _Hint,
    left: Sequence[Span],
    right: Sequence[Span],
    others: Sequence[Span],
    cues: CueBook,
    persons: frozenset[Span],
    places: frozenset[Span],
) -> Reading | None:
    """The reading of ``sentence`` made plain by ``hint``, with its spans in the original;
    None when the word the hint makes a verb is then no verb with a subject. A wrong
    hint finds nothing, and the next may be right ("China brokers agreement between …":
    not "will" before "agreement", but "will broker")."""
    spans = [*left, *right, *others]
    hinted, moved = hint.apply(sentence)
    back = {moved(s): s for s in [*left, *right]}
    shifted = [moved(s) for s in spans]
    check = parse_sentence(headline_case(hinted, shifted), shifted)
    verb = token_at(check, hint.verb)
    if verb is None or verb.pos_ != "VERB" or not any(c.dep_ == "nsubj" for c in verb.children):
        return None
    if hint.plain and _is(verb, cues, "travellers"):
        return None  # "Iranian expatriates in Doha …" is no "will expatriate"
    second = _link_roles(
        hinted,
        [moved(s) for s in left],
        [moved(s) for s in right],
        [moved(s) for s in others],
        cues,
        frozenset(moved(s) for s in persons),
        frozenset(moved(s) for s in places),
    )
    if second.link is None:
        return second
    found = second.link
    pred = hint.original(found.predicate)
    if pred is None:
        return Reading(None, second.readable)  # a word put in is no predicate of the sentence
    return Reading(
        replace(found, predicate=pred, left=back[found.left], right=back[found.right]), True
    )


@dataclass(frozen=True, slots=True)
class _Hint:
    """A headline made plain for a second parse: ``edits`` are ``(offset, characters
    replaced, text put there)`` in the original, in order; ``verb`` is the offset of the
    verb in the edited text; a ``plain`` edit puts "will" and the base form for a word
    the tagger read as a plural noun ("brokers"), which then stands for that word."""

    edits: tuple[tuple[int, int, str], ...]
    verb: int
    after_a_reading: bool
    plain: bool = False
    #: the plain reading decides, link or none, when the first could not be read at all
    #: (a noun and a verb's -s the tagger read as one noun: "cargo ship sinks in …")
    decides: bool = False
    #: the plain reading decides, link or none, whatever the first found: the first is a
    #: misreading ("Romania's Dan pledges to back …" read with "pledges" a noun)
    firm: bool = False

    def apply(self, sentence: str) -> tuple[str, Callable[[Span], Span]]:
        out, last = [], 0
        for at, removed, put in self.edits:
            out += [sentence[last:at], put]
            last = at + removed
        edits = self.edits

        def moved(span: Span) -> Span:
            shift = sum(len(put) - removed for at, removed, put in edits if at <= span[0])
            return span[0] + shift, span[1] + shift

        return "".join([*out, sentence[last:]]), moved

    def original(self, span: Span) -> Span | None:
        """``span`` of the edited text in the original, or None inside a word put in."""
        shift = 0
        for at, removed, put in self.edits:
            lo = at + shift
            if span[0] < lo:
                break
            if span[0] < lo + len(put):
                if self.plain and span[0] >= lo + put.index(" ") + 1:
                    return at, at + removed  # the verb made plain stands for the word
                return None
            shift += len(put) - removed
        return span[0] - shift, span[1] - shift


def _headline_verbs(doc: SpacyDoc, names: Sequence[Span]) -> list[_Hint]:
    """The ways to make a headline's verb plain, tried in order until one makes its word
    a verb with a subject (:class:`_Hint`).

    A headline that lists its subjects with commas only (:func:`_comma_list`). A verb
    read as a noun is a noun root right after a plural noun or a name that modifies it
    ("vessels swarm", "Beijing slams"), in a parse with no verb that has a subject:
    "will " goes before it. A headline's future is "to" and a bare verb after a noun or
    a name, with no verb above it ("leaders to meet", "Kim Jong Un, Putin to sign"; not
    "wants Putin to sign"): "will" replaces the "to". A verb read as the plural noun a
    name modifies, the object read as the verb ("China brokers agreement between …"):
    "will" and its base form replace it.
    """
    hints: list[_Hint] = []
    named = _covered(doc, names)
    if not any(t.dep_ in _SUBJECTS and t.head.dep_ == "ROOT" for t in doc[: _attribution(doc)]):
        # no clause at the top: a list of names may be the subject of a verb the parser
        # hung below a noun ("Egypt, Turkey sign free trade agreement": "sign" a modifier
        # of "agreement")
        listed = _comma_list(doc, named)
        if listed is not None:
            hints.append(listed)
    listed = _comma_list_to(doc, named)
    if listed is not None:
        hints.append(listed)
    if not any(t.dep_ in _SUBJECTS and t.head.pos_ in _VERBAL for t in doc):
        for tok in doc:
            if (
                tok.dep_ == "ROOT"
                and tok.pos_ == "VERB"
                and tok.tag_ in ("VB", "VBP", "VBZ")
                and any(
                    c.i < tok.i and c.i in named and c.dep_ in _NAME_AS_MODIFIER
                    for c in tok.children
                )
            ):
                # "Egypt and Turkey sign free trade deal": the names hung from the verb as
                # modifiers, the verb with no subject; "will" before it gives them back
                hints.append(_Hint(((tok.idx, 0, "will "),), tok.idx + len("will "), False))
                break
            if tok.dep_ != "ROOT" or tok.pos_ != "NOUN" or tok.i == 0:
                continue
            before = doc[tok.i - 1]
            if before.head.i == tok.i and (
                before.tag_ in ("NNS", "NNPS") or before.pos_ == "PROPN"
            ):
                hints.append(_Hint(((tok.idx, 0, "will "),), tok.idx + len("will "), False))
                break
            plain = tok.lemma_.lower()
            third_person = tok.lower_ in (plain + "s", plain + "es", plain[:-1] + "ies")
            if (
                before.head.i == tok.i
                and before.tag_ == "NN"
                and tok.tag_ == "NNS"
                and plain
                and third_person
                and tok.i + 1 < len(doc)
                and doc[tok.i + 1].pos_ in ("ADP", "ADV")
            ):
                # "cargo ship sinks in a storm off …": a singular noun, then a verb's -s
                # and its preposition or adverb
                edit = (tok.idx, len(tok.text), "will " + plain)
                hints.append(_Hint((edit,), tok.idx + len("will "), False, True, True))
                break
            by_name = any(t.i in named for t in tok.lefts) and not any(
                t.dep_ == "poss" for t in tok.lefts
            )  # "Kim Jong Un's shells": an owner's thing, no subject's verb
            if by_name and tok.tag_ == "NNS" and plain and third_person:
                # "Albanese tours Japanese shipyard", "Indian national pleads guilty …": a
                # subject with a name in it read as modifiers of a plural noun, the verb;
                # read so, with a name or a determiner after it, the headline decides
                # ("Trump brands Petro and Maduro 'drug leaders'" is no list of two
                # subjects; "US sanctions Iranian officials over …" is not "will official")
                edit = (tok.idx, len(tok.text), "will " + plain)
                after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                firm = after is not None and after.pos_ in ("PROPN", "DET", "NUM", "PRON")
                hints.append(_Hint((edit,), tok.idx + len("will "), False, True, firm=firm))
                break
    for tok in doc[1:-1]:
        verb, before = doc[tok.i + 1], doc[tok.i - 1]
        phrase = before
        while phrase.dep_ in ("conj", "compound", "appos") and phrase.head.i != phrase.i:
            phrase = phrase.head
        if (
            tok.tag_ == "TO"
            and verb.tag_ == "VB"
            and tok.head.i == verb.i
            and before.pos_ in ("NOUN", "PROPN")
            and phrase.dep_ != "pobj"  # not "Japan's leader in Kyiv to back Ukraine": a purpose
            and not any(t.pos_ in _VERBAL for t in verb.ancestors)
        ):
            hints.append(
                _Hint(((tok.idx, len(tok.text), "will"),), verb.idx + 4 - len(tok.text), True)
            )
            break
    for tok in doc[1:-1]:
        before, after = doc[tok.i - 1], doc[tok.i + 1]
        if (
            before.pos_ == "PROPN"
            and before.head.i == tok.i
            and before.dep_ in ("compound", "nsubj")
            and tok.tag_ == "NNS"
            and tok.lower_.endswith("s")
            and tok.head.i > tok.i
            and (
                after.pos_ in ("NOUN", "VERB", "ADJ", "DET", "NUM")
                or (after.tag_ == "TO" and tok.i + 2 < len(doc) and doc[tok.i + 2].tag_ == "VB")
                or _object_then_verb(tok, after)
            )
            and not any(
                t.dep_ in _SUBJECTS and t.pos_ == "PROPN" and t.head.tag_ in ("VBZ", "VBD")
                for t in doc
            )
        ):
            plain = tok.lemma_.lower()
            if plain and plain != tok.lower_:
                edit = (tok.idx, len(tok.text), "will " + plain)
                # "Romania's Dan pledges to back …": a plural noun with a name before it and
                # an infinitive after it is the verb, whatever the first reading found; so is
                # one with its object and a second verb after it ("Fitch upgrades Peru,
                # affirms Chile")
                firm = after.tag_ == "TO" or _object_then_verb(tok, after)
                hints.append(_Hint((edit,), tok.idx + len("will "), True, True, firm=firm))
            break
    said = _speaker_colon(doc, names)
    if said is not None:
        hints.append(said)
    listed = _listed_after(doc, named)
    if listed is not None:
        hints.append(listed)
    return hints


#: Words that open a clause whose subject a headline may list with commas ("What to
#: expect after Iran, Saudi Arabia agree …").
_OPENERS = _SAME_SUBJECT | {"as", "if", "because"}


def _listed_after(doc: SpacyDoc, named: set[int]) -> _Hint | None:
    """A clause that lists its subjects with commas only, after a word that opens it
    ("What to expect after Peru, Chile agree to restore ties"): the parser takes the
    first name for the opener's object and the rest for the subject; with "and" for the
    comma it reads the list as the clause's subject."""
    for opener in doc[:-3]:
        if opener.lower_ not in _OPENERS or opener.i + 1 not in named:
            continue
        at = _past_names(doc, opener.i + 1, named)
        commas = [t for t in doc[opener.i + 1 : at] if t.text == ","]
        if len(commas) != 1 or at >= len(doc) or doc[at - 1].text == ",":
            return None
        word = doc[at]
        if not word.is_lower or not word.is_alpha or word.tag_ not in ("VBP", "VBD", "VB", "NN"):
            return None
        comma = commas[0]
        return _Hint(((comma.idx, 1, " and"),), word.idx + len(" and") - 1, False)
    return None


def _object_then_verb(noun: Token, after: Token) -> bool:
    """Whether a plural noun is a headline's first verb with its object and a second verb
    after it, the tagger having read it as the second verb's subject and the object as
    its apposition: "Fitch upgrades Peru, affirms Chile"."""
    if after.pos_ != "PROPN" or after.dep_ != "appos" or after.head.i != noun.i:
        return False
    end = max(t.i for t in after.subtree) + 1
    doc = noun.doc
    return (
        end + 1 < len(doc)
        and doc[end].lower_ == ","
        and doc[end + 1].tag_ == "VBZ"
        and noun.head.i == doc[end + 1].i
    )


#: How many words may say who speaks before a headline's colon ("US Navy chief:").
_SPEAKER_WORDS = 4


def _speaker_colon(doc: SpacyDoc, names: Sequence[Span]) -> _Hint | None:
    """ "Xi: Taiwan must be reunified", "US Navy: Iran seizes tanker": a headline that opens
    with a name (or a body or office of it, four words at most) and a colon, then a
    clause, is what the name says ("Xi says Taiwan must …"); the parser reads the name
    as the clause's subject or a fragment. Read with "says" for the colon, only when the
    first reading finds nothing; a label of a topic ("Analysis:", "Live:") is no name."""
    named = _covered(doc, names)
    colon = next((t for t in doc[: _SPEAKER_WORDS + 1] if t.text == ":"), None)
    if colon is None or colon.i == 0 or colon.i + 2 >= len(doc):
        return None
    before = doc[: colon.i]
    if not any(t.i in named for t in before) or any(
        t.i not in named and t.pos_ not in ("PROPN", "NOUN", "PART", "DET") for t in before
    ):
        return None  # a name, or its body or office: "US Navy:", "Kremlin spokesman:"
    if not any(t.pos_ in _VERBAL for t in doc[colon.i + 1 :]):
        return None
    return _Hint(((colon.idx, 1, " says"),), colon.idx + 1, True, True)


def _attribution(doc: SpacyDoc) -> int:
    """Where a headline's closing attribution begins (", UN panel says"): the comma before
    a root verb that ends the headline with its own subject after that comma; else the
    headline's length."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.i < len(doc) - 2:
        return len(doc)
    comma = next((t.i for t in reversed(doc[: root.i]) if t.text == ","), None)
    if comma is None or not any(c.dep_ in _SUBJECTS and c.i > comma for c in root.children):
        return len(doc)
    return comma


def _past_names(doc: SpacyDoc, at: int, named: set[int]) -> int:
    """Where a run of names, commas and possessive endings that starts at ``at`` ends."""
    while at < len(doc) and (at in named or doc[at].text == "," or _owning(doc, at, named)):
        at += 1
    return at


def _opening_list(doc: SpacyDoc, named: set[int]) -> tuple[int, list[Token]] | None:
    """(where the word after it is, its commas) when a headline opens with names joined by
    commas only, a word after them: proper names, not a people's adjectives ("S. Korean,
    Japanese leaders to meet" are adjectives of one noun)."""
    at = _past_names(doc, 0, named)
    commas = [t for t in doc[:at] if t.text == ","]
    if not commas or at >= len(doc) or doc[at - 1].text == ",":
        return None
    if any(t.pos_ != "PROPN" for t in doc[:at] if t.text != "," and t.lower_ not in _OWNS):
        return None
    return at, commas


def _comma_list(doc: SpacyDoc, named: set[int]) -> _Hint | None:
    """ "Germany, Ukraine Discuss Tank Deliveries": a headline that lists its subjects with
    commas only (owned names too: "China's Xi, Japan's Kishida End Visits …"), a word after
    them and no verb with a subject. The parser reads the list
    as one phrase and its verb as a noun; "Germany and Ukraine will discuss …" it reads
    as it is meant. Only names stand before the word, so "Paris, France —" (no word) and
    "Germany, France and Italy …" (parsed as it is) are left alone; ``named`` are the
    indices of the names' tokens."""
    opened = _opening_list(doc, named)
    if opened is None:
        return None
    at, commas = opened
    word = doc[at]
    if not word.is_lower or not word.is_alpha or word.pos_ in ("ADP", "DET", "CCONJ", "PART"):
        return None
    if word.tag_ in ("NNS", "NNPS"):
        return None  # "Australia, Japan Shares Slide": the list names a plural noun
    comma = commas[-1]
    # a list of owned names the first parse reads as a name and its apposition ("China's
    # Xi, Japan's Kishida end visits …": "end" a noun), so the plain reading decides
    owned = any(t.lower_ in _OWNS for t in doc[:at])
    # a headline's present progressive drops its "are": "North Korea, Iran trading …"
    aux = "are " if word.lower_.endswith("ing") else "will "
    return _Hint(
        ((comma.idx, 1, " and"), (word.idx, 0, aux)),
        word.idx + len(" and") - 1 + len(aux),
        False,
        firm=owned,
    )


def _comma_list_to(doc: SpacyDoc, named: set[int]) -> _Hint | None:
    """ "Peru, Chile, US to deepen security ties": a headline's future for a list of three
    or more subjects with commas only. The parser takes the first name for the subject and
    the rest for its modifiers; "Peru, Chile and US will deepen …" it reads as a list."""
    opened = _opening_list(doc, named)
    if opened is None:
        return None
    at, commas = opened
    if len(commas) < 2 or at + 1 >= len(doc):
        return None
    to, verb = doc[at], doc[at + 1]
    if to.tag_ != "TO" or verb.tag_ != "VB":
        return None
    return _Hint(
        ((commas[-1].idx, 1, " and"), (to.idx, len(to.text), "will")),
        verb.idx + len(" and") - 1 + len("will") - len(to.text),
        False,
    )


#: Edges by which the parser hangs a headline's subject from its verb as a modifier.
_NAME_AS_MODIFIER = frozenset({"nmod", "npadvmod", "compound", "dep"})
#: The possessive ending of a name ("China's Xi").
_OWNS = frozenset({"'s", "’s"})


def _owning(doc: SpacyDoc, at: int, named: set[int]) -> bool:
    """Whether the token at ``at`` is the possessive ending between two names ("China*'s*
    Xi"): a list of names may be of owned names ("China's Xi, Japan's Kishida end …")."""
    return (
        doc[at].lower_ in _OWNS
        and at > 0
        and at - 1 in named
        and at + 1 < len(doc)
        and at + 1 in named
    )


def _link_roles(
    sentence: str,
    left: Sequence[Span],
    right: Sequence[Span],
    others: Sequence[Span],
    cues: CueBook,
    persons: frozenset[Span] = frozenset(),
    places: frozenset[Span] = frozenset(),
) -> Reading:
    """The first way a ``left`` and a ``right`` actor are linked in ``sentence``, if any.

    Spans are character offsets into ``sentence``; ``others`` are the other
    names found there (they keep a Title Case headline's names capitalised);
    ``persons`` are the actor spans that name people (leaders), whose joint
    acts are acts together. ``places`` are actor spans that stand for a side
    only as its territory (a city of its country: "Vladivostok" for Russia):
    they link only as where the other actor goes or is ("Kim arrived in
    Vladivostok"). The reading says whether the parse could be read
    at all: a verbless fragment ("A, B and C's connections to D's war
    machine") or a pair joined only through edges the parser left
    unclassified (``dep``) is unreadable, and the caller may fall back on
    the cue words.
    """
    # "in Hiroshima, Japan": a side's country right after one of its cities is an address
    left = [s for s in left if not _address(s, left, places, sentence)]
    right = [s for s in right if not _address(s, right, places, sentence)]
    spans = [*left, *right, *others]
    text = headline_case(sentence, spans)
    doc = parse_sentence(text, spans)
    # names of places and works are read with the names' own words capitalised
    # ("Indian Ocean"), not from a lower-cased headline
    named = (
        parse_sentence(headline_case(sentence, spans, longer_names=True), spans).ents
        if text != sentence
        else doc.ents
    )
    heads_l = [(s, h) for s in left if (h := span_head(doc, s)) is not None]
    heads_r = [(s, h) for s in right if (h := span_head(doc, s)) is not None]
    not_actors = frozenset(s for s, h in [*heads_l, *heads_r] if not _actor(h, s, named, cues))
    heads_l = [(s, h) for s, h in heads_l if s not in not_actors]
    heads_r = [(s, h) for s, h in heads_r if s not in not_actors]
    pairs = sorted(
        ((ls, lh, rs, rh) for ls, lh in heads_l for rs, rh in heads_r if lh.i != rh.i),
        key=lambda p: abs(p[1].i - p[3].i),
    )
    readable = any(t.pos_ in _VERBAL for t in doc)
    ltoks, rtoks, thirds = _covered(doc, left), _covered(doc, right), _covered(doc, others)
    sides = ltoks | rtoks
    unclear = 0
    # the words whose list holds both sides unlinked: "disinvited Russia and Iran in response
    # to the invasion of Ukraine and Tehran's crackdown" — co-objects, and no other mention
    # of either side links them through that word
    co_listed: set[int] = set()
    for ls, lh, rs, rh in pairs:
        found = _appositive(lh, rh, cues) or _appositive(rh, lh, cues)
        if found is None:
            found = _link(lh, rh, cues, ls in persons and rs in persons)
        if found is None:
            listed = _first_conjunct(lh)
            if listed.i == _first_conjunct(rh).i and listed.dep_ in (
                "dobj",
                "pobj",
                "dative",
                "nsubjpass",
            ):
                co_listed.add(listed.head.i)  # objects of a third party's act, not its subjects
        elif found[0].i in co_listed:
            found = None
        if found is not None and (ls in places or rs in places):
            found = _territory(found, ls in places, rs in places, lh, rh)
        if found is not None and _venue_of_others(lh, rh, found[0], ltoks, rtoks, thirds):
            found = None  # "Blinken sees Russia's Lavrov in India": India is only the venue
        if found is not None and _accident_in(found[0], lh, rh, cues):
            found = None  # "Canadian tourist killed in bus crash in China": a place only
        if found is not None and _private_stay(lh, rh, cues):
            found = None  # "Argentine tourists flock to Brazilian beaches": a place only
        if found is not None and (_ethnic(lh) or _ethnic(rh)):
            found = None  # "ethnic Azerbaijanis rally in Iran": a people, not the state
        if found is not None and _reported_death(found[0], lh, rh, cues):
            found = None  # "a visitor from China died when …, New Zealand police said"
        if found is not None and _aid_against(found[0], lh, rh, sides, thirds, cues):
            found = None  # "urged Seoul to increase its support for Ukraine in the face of
            # Russia's invasion": Seoul helps Ukraine; Russia's war is the background
        if found is not None and _respectively_apart(lh, rh):
            found = None  # "Xi and Kishida end visits to Russia and Ukraine": each its own
        if (
            found is not None
            and found[1] == "joint subject"
            and ls in persons
            and rs in persons
            and not _mutual(found[0], cues)
            and _to_a_third(found[0], sides)
        ):
            found = None  # "Kim and Putin congratulate Xi": each of them, not together
        if found is not None:
            top, how, lrole, rrole = found
            pred = _predicate(top, lh, rh)
            if pred.i != top.i:  # the roles at the act shown, not at the node they share
                lrole, rrole = _role_at(pred, lh, lrole), _role_at(pred, rh, rrole)
            link = RoleLink((pred.idx, pred.idx + len(pred.text)), how, ls, rs, lrole, rrole)
            return Reading(link, True)
        unclear += _unclassified(lh, rh)
    for ls, lh, rs, rh in pairs:
        if ls in places or rs in places:
            continue
        used = _materiel(lh, rh, cues)
        if used is not None:
            word, lrole, rrole = used
            link = RoleLink((word.idx, word.idx + len(word.text)), "materiel", ls, rs, lrole, rrole)
            return Reading(link, True)
    # the hyphened pair stands as written, though the recogniser made it part of an event
    # ("the Iran-Saudi Arabia truce")
    for ls, rs in (
        (ls, rs) for ls in left for rs in right if ls not in places and rs not in places
    ):
        noun = _hyphened_relation(sentence, doc, ls, rs, cues)
        if noun is not None:
            link = RoleLink(
                (noun.idx, noun.idx + len(noun.text)),
                "relation noun",
                ls,
                rs,
                "modifier",
                "modifier",
            )
            return Reading(link, True)
    return Reading(None, readable and (not pairs or unclear < len(pairs)), not_actors)


def _hyphened_relation(
    sentence: str, doc: SpacyDoc, left: Span, right: Span, cues: CueBook
) -> Token | None:
    """The relation word right after two sides paired by a hyphen or a slash ("the
    Peru-Chile truce", "Iran-Saudi Arabia deal not a setback for US"), however the parser
    read it: a name of two words after the hyphen leads it to make the word a verb
    ("deal") or the last name the head. Only a word of ``relations`` or ``mutual`` that is
    no verb with a subject of its own, and not denied ("no Peru-Chile deal")."""
    first, second = sorted((left, right))
    if sentence[first[1] : second[0]].strip() not in _PAIRING:
        return None
    before = sentence[: first[0]].split()
    if before and before[-1].lower() in _DENIALS | {"without"}:
        return None  # "there will be no Peru-Chile deal"
    if first[0] > 0 and sentence[first[0] - 1] in "-–/":
        return None  # "US-Iran-Saudi …": a longer chain is read by the parse
    after = next((t for t in doc if t.idx >= second[1]), None)
    if after is None or after.lower_ in _PAIRING or after.text in ("'s", "’s"):
        return None
    subjects = [c for c in after.children if c.dep_ in _SUBJECTS]
    if (
        after.pos_ in _VERBAL
        and subjects
        and not any(first[0] <= c.idx < second[1] for c in subjects)
    ):
        return None  # a verb with a subject of its own
    if not (_is(after, cues, "relations") or _is(after, cues, "mutual")):
        return None
    return after


def _address(span: Span, side: Sequence[Span], places: frozenset[Span], sentence: str) -> bool:
    """Whether a side's mention is the country of one of its cities named just before it
    ("leaders at the summit in Hiroshima, Japan are urging …"): the city's address, not
    an actor, however the parser attaches it. Not in a list of places ("Tokyo, Japan,
    and Seoul")."""
    if span in places:
        return False
    before = any(p in places and sentence[p[1] : span[0]] == ", " for p in side)
    after = sentence[span[1] :].lstrip()
    return before and not after.startswith((",", "and ", "or "))


def link_materiel(
    text: str,
    left: Sequence[Span],
    right: Sequence[Span],
    others: Sequence[Span],
    cues: CueBook,
    headline: int = 0,
) -> RoleLink | None:
    """One side's weapons in the other side's attack or hands, told in two sentences in a row.

    "Russia launched a series of attacks on Friday. The update said ten
    Iranian-made drones had been shot down." "Sanctions for parts used in
    Iranian drones. Treasury says the unmanned aerial vehicles are used by
    Russia." ``text`` is the two sentences; its first ``headline``
    characters are a title (read as :func:`headline_case` gives it). Only a
    left and a right actor in different sentences are tried — the same
    sentence is :func:`link_roles`' work.
    """
    shift = 0
    if headline:
        # a title ends a sentence though it has no full stop: one is put after it
        title = [(a, b) for a, b in [*left, *right, *others] if b <= headline]
        text = headline_case(text[:headline], title) + "." + text[headline:]
        shift = 1

    def moved(span: Span) -> Span:
        return span if span[0] < headline or not shift else (span[0] + 1, span[1] + 1)

    doc = parse_sentence(text, [moved(s) for s in [*left, *right, *others]])
    heads_l = [(s, h) for s in left if (h := span_head(doc, moved(s))) is not None]
    heads_r = [(s, h) for s in right if (h := span_head(doc, moved(s))) is not None]
    for ls, lh in heads_l:
        for rs, rh in heads_r:
            if lh.sent.start == rh.sent.start:
                continue
            used = _materiel(lh, rh, cues) or _materiel_told_again(lh, rh, cues)
            if used is not None:
                word, lrole, rrole = used
                at = word.idx - (shift if word.idx > headline else 0)
                return RoleLink((at, at + len(word.text)), "materiel", ls, rs, lrole, rrole)
    return None


def dates_the_act(sentence: str, act: Span, when: Span, names: Sequence[Span]) -> bool:
    """Whether the time expression at ``when`` dates the act at ``act`` itself: the first
    verb above it is the act, or the verb that holds the act's noun ("signed a pact …
    in 2019"; a noun in between is the act's own phrase: "arrive for the opening of the
    forum in Boao on April 10, 2018"), and the act is not a state that lasts into the
    present ("has been tense since clashes in 2020")."""
    doc, word = parse_at(sentence, act, list(names))
    time = token_at(doc, when[0])
    if word is None or time is None:
        return False
    while word.pos_ not in _VERBAL and word.head.i != word.i:
        word = word.head  # a relation noun's act is the verb that holds it ("signed a pact")
    if any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" and c.tag_ != "VBD" for c in word.children
    ):
        return False  # "has been", "have fought since …": up to now
    # a second verb of the same subject, or a clause of the same time, happens when the verb
    # it hangs from does: "In October 1973, Egyptian forces crossed the canal *and overran*
    # …", "civilians died in February 1945 *as* troops fought to retake the capital"
    same_time = {word.i}
    tok = word
    while tok.head.i != tok.i and (
        (tok.dep_ == "conj" and tok.head.pos_ in _VERBAL)
        or (
            tok.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ in _AT_THE_SAME_TIME for c in tok.children)
        )
        # a purpose happens when the act it is the purpose of does: "met Gulf leaders in
        # 1980 to persuade Iran …"
        or (tok.dep_ == "advcl" and tok.head.pos_ in _VERBAL and _purpose(tok))
    ):
        tok = tok.head
        same_time.add(tok.i)
    for tok in time.ancestors:
        if tok.i in same_time:
            return True
        if tok.pos_ in _VERBAL and tok.dep_ != "xcomp":
            return False  # another verb's date: "technology stolen 17 years ago"
        # a verb the act takes as its own complement shares its time: "was urged to agree
        # to a ceasefire with Pakistan in 1948"
    return False


def of_the_dead(sentence: str, act: Span, names: Sequence[Span]) -> bool:
    """Whether the act at ``act`` is told of someone whose death the sentence reports: it
    stands in the subject of "died" or "dies" ("Madeleine Roux, who as a teenager carried
    messages for the French Resistance under the noses of German troops, has died at
    101"; "Peru's envoy who signed the 1929 treaty with Chile dies at 90"). An obituary's
    account of a life is the guide's historical background; what the dead did is not a
    relation of now. Not a death the act causes ("a Chilean strike killed …")."""
    doc, word = parse_at(sentence, act, list(names))
    if word is None:
        return False
    for verb in doc:
        if verb.lemma_.lower() != "die" or verb.pos_ not in _VERBAL:
            continue
        for subject in verb.children:
            if (
                subject.dep_ in ("nsubj", "nsubjpass")
                and subject.i != word.i
                and word.i in {t.i for t in subject.subtree}
            ):
                return True
    return False


#: Marks of a clause that happens when the verb it hangs from does.
_AT_THE_SAME_TIME = frozenset({"as", "when", "while", "whilst"})


def year_dates_the_act(sentence: str, act: Span, year: Span, names: Sequence[Span]) -> bool:
    """Whether a bare year dates the act at ``act``: it modifies the act's own noun ("the
    *1954* US-Taiwan treaty", revisited by historians), or the noun whose relative
    clause tells the act ("the *1914* episode, in which passengers were refused entry
    to Canada"). A year on another noun is that noun's ("the US and Taiwan revisit
    the 1954 treaty": the revisiting is now); an old relation that a named party acts
    on now is present ("the Supreme Court in the Philippines declared the country's
    2005 agreement with Chinese firms illegal")."""
    doc, word = parse_at(sentence, act, list(names))
    when = token_at(doc, year[0])
    if word is None or when is None:
        return False
    clause = _relative_clause_of(word)
    if clause.dep_ == "relcl" and clause.head.i == when.i:
        return True  # "the best metaphor is 1904, when Russia provoked a war with Japan"
    if when.dep_ not in ("nummod", "compound", "amod", "npadvmod"):
        return False
    noun = when.head
    if noun.i == word.i:
        verb = next((t for t in noun.ancestors if t.pos_ in _VERBAL), None)
        named = _covered(doc, names)
        return verb is None or not any(
            c.dep_ in _SUBJECTS and {t.i for t in c.subtree} & named for c in verb.children
        )
    return clause.dep_ == "relcl" and clause.head.i == noun.i


def _relative_clause_of(word: Token) -> Token:
    """The relative clause (or the clause) the act's word is in: up its own verbs."""
    clause = word
    while clause.dep_ not in ("relcl", "acl") and clause.head.i != clause.i:
        if clause.pos_ in _VERBAL and clause.dep_ not in ("conj", "xcomp"):
            break
        clause = clause.head
    return clause


def _appositive(a: Token, b: Token, cues: CueBook) -> tuple[Token, str, str, str] | None:
    """ "Russia ally Iran", "China's partner Russia": a relation noun owned by one actor,
    named by the other right after it — or before it, the noun its apposition ("China,
    Pakistan's closest ally, dropped its objection").

    The tagger often reads the second name as an object of the verb around
    it ("approves sanctions against Russia ally Iran"); the order of the
    words says what the parse missed.
    """
    noun = a.head
    if a.dep_ == "poss" and noun.i == b.i:
        # "its rival China" read as a possessive on the name, the relation a modifier
        for c in b.children:
            if c.dep_ in ("amod", "compound") and a.i < c.i < b.i and _names_relation(c, cues):
                return c, "relation", "owner", "apposition"
        return None
    if a.dep_ not in ("compound", "poss", "nmod") or not _names_relation(noun, cues):
        return None
    if noun.dep_ == "appos" and noun.head.i == b.i and b.i < a.i:
        return noun, "relation", "owner", "apposition"  # "China, Pakistan's closest ally, …"
    if b.i != noun.i + 1 or noun.i <= a.i:
        return None
    if any(t.dep_ in ("det", "amod") and t.i > a.i for t in noun.children):
        return None  # "Russia's long ally …" stays with the parse
    return noun, "relation", "owner", "apposition"


def _materiel(a: Token, b: Token, cues: CueBook) -> tuple[Token, str, str] | None:
    """One side's weapons in the other side's attack: "Iranian-made drones in a Russian
    attack", "Russian missiles and Iranian drones launched at Kyiv".

    One actor is the origin of a noun the cue book calls ``materiel`` (it
    modifies it, or the participle that does: "Iranian-made"); the other
    carries out an attack (it modifies, owns or is the subject of a word of
    ``attacks``), or is the origin of more materiel in one list with the
    first under such a word. The guide counts this as a relation ("Russian
    technology in a North Korean weapon"); the grammar alone does not: the
    weapon and the attack are often two clauses of one sentence.
    """
    for maker, user, roles in ((a, b, ("maker", "user")), (b, a, ("user", "maker"))):
        weapon = _origin_of(maker, cues)
        if weapon is None:
            proxy = _backed(maker, cues)
            against = None if proxy is None else _turned_on(proxy, user, cues)
            if against is not None:  # "attacks by Iranian-backed groups on US bases"
                act, role = against
                return act, *(("backer", role) if roles[0] == "maker" else (role, "backer"))
            continue
        attack = _attacker_of(user, cues)
        if attack is not None and weapon.i not in {t.i for t in _ancestors(user)}:
            return attack, *roles
        against = _turned_on(weapon, user, cues)
        if against is not None:
            act, role = against
            return act, *((roles[0], role) if roles[0] == "maker" else (role, roles[1]))
        other = _origin_of(user, cues)
        if other is not None and other.i != weapon.i and _listed_with(weapon, other):
            attacks = [t for t in weapon.sent if _is(t, cues, "attacks")]
            if attacks:
                return attacks[0], *roles
    return None


def _materiel_told_again(a: Token, b: Token, cues: CueBook) -> tuple[Token, str, str] | None:
    """One side's weapons, or their attack, told again in the other's sentence: the same
    weapon named again and turned on the other side ("Russia is running out of
    Iranian-made Shahed drones. Shahed drones were reported in strikes against Ukraine"),
    or the weapons' attack told as "the <attack>" after a sentence on an attack on the
    other side ("Russia launched drones at Ukrainian power plants. The overnight strikes
    with Iranian-made drones …"). Reads two sentences of one parse (:func:`link_materiel`).

    The weapon named again is a noun of the same lemma, or in the other sentence "the"
    and another name of materiel ("the unmanned aerial vehicles"), with no origin of its
    own; the
    attack told again is a definite noun of ``attacks`` the weapons carry out, with no
    target of its own, and the earlier attack targets or hurts the other side."""
    for maker, other, first in ((a, b, True), (b, a, False)):
        weapon = _origin_of(maker, cues)
        if weapon is None:
            continue
        found: tuple[Token, str] | None = None
        for again in other.sent:
            if (
                again.pos_ == "NOUN"
                and (
                    again.lemma_.lower() == weapon.lemma_.lower()
                    # "… Iranian drones. The unmanned aerial vehicles are used by …": the
                    # weapons told again by another of their names
                    or (
                        again.sent.start != weapon.sent.start
                        and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in again.children)
                        and again.lemma_.lower() in _ANY_MATERIEL
                        and _names_materiel(again, cues)
                    )
                )
                and not any(
                    c.ent_type_ in ("NORP", "GPE")
                    for c in again.children
                    if c.dep_ in ("amod", "compound", "poss", "nmod")
                )
            ):
                found = _turned_on(again, other, cues)
                if found is not None:
                    break
        if found is None:
            earlier = _attack_on(other, cues)
            if earlier is not None:
                found = next(
                    (
                        (told, earlier[1])
                        for told in weapon.sent
                        if told.pos_ == "NOUN"
                        and _is(told, cues, "attacks")
                        and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in told.children)
                        and not any(
                            c.dep_ == "prep" and c.lower_ in _AIMED_AT for c in told.children
                        )
                        and _instrument(_first_conjunct(weapon), told, cues)
                    ),
                    None,
                )
        if found is not None:
            act, role = found
            return (act, "maker", role) if first else (act, role, "maker")
    return None


#: Nouns of materiel that may stand for any kind of it told before ("… Iranian drones. The
#: unmanned aerial vehicles …", "the weapons"); "the missiles" after drones are others.
_ANY_MATERIEL = frozenset({"weapon", "weapons", "arm", "arms", "vehicle", "uav", "munition"})
#: Determiners of a thing already told of ("the strikes", "these attacks").
_DEFINITE = frozenset({"the", "these", "those", "this", "that"})


def _named_noun(actor: Token) -> Token:
    """The noun an actor's name modifies or owns, up to two steps ("Ukrainian
    infrastructure", "Ukraine's air defences"), or the name itself."""
    noun = actor
    for _ in range(2):
        if noun.dep_ in ("amod", "compound", "poss", "nmod") and noun.head.pos_ in _NOUNS:
            noun = noun.head
    return noun


def _attacked(noun: Token, cues: CueBook) -> Token | None:
    """The word of ``attacks`` a noun is the target of: its object ("hit *infrastructure*"),
    or its "at", "on", "against" or "into" ("strikes *on* Kyiv")."""
    if noun.dep_ == "dobj" and _is(noun.head, cues, "attacks"):
        return noun.head
    if (
        noun.dep_ == "pobj"
        and noun.head.lower_ in _AIMED_AT
        and _is(noun.head.head, cues, "attacks")
    ):
        return noun.head.head
    return None


#: Prepositions of an attack's target ("strikes *on* Kyiv", "launched *at* Ukraine").
_AIMED_AT = frozenset({"at", "on", "against", "into"})


def _attack_on(other: Token, cues: CueBook) -> tuple[Token, str] | None:
    """The attack an actor's noun is the target of ("launched drones *at Ukrainian* power
    plants", "strikes *on Ukraine*") or the victim of, and its role, if any."""
    noun = _named_noun(other)
    attack = _attacked(noun, cues)
    if attack is not None:
        return attack, "target"
    if (
        noun.dep_ == "pobj"
        and noun.head.lower_ in _AIMED_AT
        and noun.head.head.pos_ in (*_NOUNS, *_VERBAL)
    ):
        above = noun.head.head
        while above.dep_ == "pobj" and above.head.lower_ == "of" and above.head.head.pos_ == "NOUN":
            above = above.head.head  # "launched a wave *of* drones on …": the wave's
        if above.dep_ in ("dobj", "pobj") and _is(above.head, cues, "attacks"):
            return above.head, "target"  # "launched drones at …": the launch's target
        if _is(above, cues, "materiel") and above.head.pos_ in _VERBAL:
            return (above.head, "target") if _is(above.head, cues, "attacks") else None
    harm = _harmed_by(noun, cues)
    return None if harm is None else (harm, "victim")


def _turned_on(weapon: Token, other: Token, cues: CueBook) -> tuple[Token, str] | None:
    """The act that turns one side's weapons on the other side: the weapons attack it
    ("Iranian-made drones hit Ukrainian infrastructure", "Iranian drones launched at
    Kyiv", "Iranian drones in strikes against Ukraine"), or it brings them down
    ("Ukraine downed 39 Iran-made drones", "Iranian drones were shot down by Ukraine").
    The act and the other actor's role (``target``, ``defender``), or None."""
    first = _first_conjunct(weapon)
    noun = _named_noun(other)
    if (
        noun.dep_ == "pobj"
        and noun.head.lower_ in _AROUND
        and noun.head.head.pos_ == "NOUN"
        and not _is(noun.head.head, cues, "attacks")
    ):
        noun = noun.head.head  # "targets across Ukraine", "sites in Ukraine"
        user = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "agent" else None
        if (
            user is not None
            and _is(user, cues, "uses")
            and (
                (user.dep_ == "acl" and user.head.i == first.i)
                or any(c.i == first.i and c.dep_ == "nsubjpass" for c in user.children)
            )
        ):
            return user, "theatre"  # "drones used by Russian forces in Ukraine"
    # bringing the weapons down: its subject, or its "by" in the passive
    head = noun.head
    verb: Token | None = None
    if noun.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent":
        verb = head.head
    elif noun.dep_ == "nsubj":
        verb = head
    if (
        verb is not None
        and _is(verb, cues, "defences")
        and (
            any(c.i == first.i and c.dep_ in ("dobj", "nsubjpass") for c in verb.children)
            # "downed 39 drones launched overnight", the participle read as a clause
            or (first.dep_ == "nsubj" and first.head.tag_ == "VBN" and first.head.head.i == verb.i)
        )
    ):
        return verb, "defender"
    used = _used_against(first, noun, cues)
    if used is not None:
        return used, "target"  # "the missiles were made in Chile and used against Peru"
    # being what the weapons attack: the object, or "at"/"on"/"against"/"into"
    attack = _attacked(noun, cues)
    role = "target"
    if attack is None:
        attack = _harmed_by(noun, cues)
        role = "victim"
    if attack is None:
        return None
    return (attack, role) if _instrument(first, attack, cues) else None


def _used_against(weapon: Token, noun: Token, cues: CueBook) -> Token | None:
    """The verb of ``uses`` that turns the weapon against the noun: the weapon is what is
    used (its object or its subject in the passive, also of a verb the use is a second
    verb of: "the missiles were made in Chile and used against Peru") or the noun the
    use describes ("drones used against Ukraine"); "against" hung on the user ("used by
    Russian forces against Ukraine") is the use's own."""
    if noun.dep_ != "pobj":
        return None
    if noun.head.lower_ == "against":
        verb = noun.head.head
        if verb.dep_ == "pobj" and verb.head.dep_ == "agent":
            verb = verb.head.head  # the parser hangs "against" on the user
    else:
        found = _use_in_war(noun, cues)
        if found is None:
            return None
        verb = found
    if not _is(verb, cues, "uses"):
        return None
    if verb.dep_ in ("acl", "relcl") and verb.head.i == weapon.i:
        return verb
    head = verb
    while True:
        if any(c.i == weapon.i and c.dep_ in ("dobj", "nsubjpass") for c in head.children):
            return verb
        second = head.dep_ == "conj" or (
            head.dep_ == "advcl"
            and head.tag_ == "VBN"
            and not any(c.dep_ in _SUBJECTS for c in head.children)
        )  # "were made in Chile, shipped across …": a participle of the same subject
        if not second or head.head.i == head.i:
            return None
        head = head.head


#: Prepositions that make a noun the target or the place of a war or an attack.
_WAR_ON = frozenset({"in", "on", "against", "at", "into"})
#: Verbs whose object is a war waged ("to fight its war in Ukraine").
_WAGES = frozenset({"fight", "wage", "prosecute", "pursue"})


def _use_in_war(noun: Token, cues: CueBook) -> Token | None:
    """The verb of use whose war or attack the noun is the target or place of: "used by
    Russia *to fight its war in* Ukraine", "used *in attacks on* Kyiv", "used *in its war
    against* Ukraine" — a use against it, as "used against Ukraine"."""
    if noun.head.lower_ not in _WAR_ON:
        return None
    war = noun.head.head
    if war.pos_ != "NOUN" or not _is(war, cues, "attacks"):
        return None
    if war.dep_ == "pobj" and war.head.lower_ in ("in", "for", "during"):
        verb = war.head.head
        if verb.dep_ == "pobj" and verb.head.dep_ == "agent":
            verb = verb.head.head  # "used by Russia in its war on Ukraine"
        return verb
    wages = war.head
    if (
        war.dep_ == "dobj"
        and wages.lemma_.lower() in _WAGES
        and wages.dep_ in ("advcl", "xcomp")
        and _purpose(wages)
    ):
        return wages.head  # "used by Russia to fight its war in Ukraine"
    return None


#: Prepositions that make a noun the matter of a work or a talk ("a film *about* …").
_MATTER_OF = frozenset({"about", "on", "over", "regarding", "concerning"})
#: Prepositions that put a target inside a wider place: "targets *across* Ukraine".
_AROUND = frozenset({"across", "around", "in", "throughout", "inside"})
#: Prepositions of a harm's cause: "wounded *in* a drone attack", "killed *after* strikes".
_CAUSES = frozenset({"in", "after", "following", "during", "amid", "by", "from", "since"})


def _harmed_by(noun: Token, cues: CueBook) -> Token | None:
    """The attack that harms a noun's referent: it is what a verb of ``harms`` kills,
    wounds or damages ("five US troops wounded *in* a drone attack", "a US contractor
    was killed *after* a drone struck the base"; verbs listed with it share the cause:
    "contractor killed, five members wounded in an attack")."""
    if noun.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return None
    verb = noun.head
    if verb.pos_ not in _VERBAL:
        return None
    verbs = [verb, *(c for c in verb.children if c.dep_ == "conj")]
    if verb.dep_ in ("conj", "ccomp") and verb.head.pos_ in _VERBAL:
        verbs.append(verb.head)
    for harm in verbs:
        if not _is(harm, cues, "harms"):
            # a noun of harm the verb gives its subject: "suffered injuries", "treated for
            # injuries"; the cause hangs from the verb or the noun
            hurt = [
                n
                for c in harm.children
                for n in ([c] if c.dep_ == "dobj" else c.children if c.lower_ == "for" else [])
                if n.pos_ == "NOUN" and n.dep_ in ("dobj", "pobj") and _is(n, cues, "harms")
            ]
            if not hurt or noun.dep_ == "dobj":
                continue
            causes = [c for t in (harm, *hurt) for c in t.children]
        else:
            causes = list(harm.children)
        for c in causes:
            if c.dep_ == "prep" and c.lower_ in _CAUSES:
                cause = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if cause is not None and _is(cause, cues, "attacks"):
                    return cause
            if c.dep_ == "advcl" and _is(c, cues, "attacks"):
                return c  # "killed after a drone struck the base"
    return None


def _instrument(weapon: Token, attack: Token, cues: CueBook) -> bool:
    """Whether a weapon (or an armed group) is what carries out an attack: its subject or
    object ("drones hit", "launched drones"), its "with"/"by"/"using" ("strikes with
    drones", "attacks by militias", "an attack using drones"), its modifier ("a drone
    attack") or the attack itself ("Iran-backed attacks"); or the attack is the weapon's
    "in" ("drones in strikes") or what a verb of ``uses`` over it is for ("drones that
    Russian forces use to attack")."""
    if weapon.i == attack.i:
        return True
    if weapon.head.i == attack.i and weapon.dep_ in ("nsubj", "nsubjpass", "dobj", "compound"):
        return True
    if (
        attack.dep_ == "relcl"
        and attack.head.i == weapon.i
        and any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in attack.children)
    ):
        return True  # "the drone *that hit* the village": the weapon is what hit
    # the verb that launches or carries out an attack noun shares its means: "launched
    # attacks on cities *using* drones", "carried out strikes *with* drones"
    holders = {attack.i} | ({attack.head.i} if attack.dep_ == "dobj" else set())
    if (
        weapon.dep_ == "pobj"
        and weapon.head.lower_ in ("with", "by", "using")
        and weapon.head.head.i in holders
    ):
        return True
    if (
        weapon.dep_ == "nsubj"
        and weapon.head.dep_ == "pcomp"
        and weapon.head.head.lower_ == "with"
        and weapon.head.head.head.i in holders
    ):
        return True  # "strikes with drones capped a day", parsed "with [drones capped …]"
    # "drones in strikes", and a caption's "a drone during a Russian attack on Kyiv"
    if (
        attack.dep_ == "pobj"
        and attack.head.lower_ in ("in", "during")
        and attack.head.head.i == weapon.i
    ):
        return True
    if (
        attack.dep_ == "pobj"
        and attack.head.lower_ in ("in", "during")
        and weapon.dep_ in ("nsubj", "nsubjpass")
        and attack.head.head.i == weapon.head.i
    ):
        return True  # "the drones were reported in strikes on …": the subject's "in"
    use = weapon.head if weapon.dep_ in ("dobj", "nsubjpass") else None
    if weapon.dep_ == "pobj" and weapon.head.lower_ == "using":
        use = weapon.head
    users = [use] if use is not None else []
    users += [c for c in weapon.children if c.dep_ in ("acl", "relcl")]
    for verb in users:
        if not _is(verb, cues, "uses"):
            continue
        if verb.dep_ in ("acl", "advcl") and verb.head.i in holders:
            return True  # "its largest attack using the drones"
        if any(c.i == attack.i and c.dep_ in ("xcomp", "advcl") for c in verb.children):
            return True  # "using drones to attack", "drones they use to attack"
    return False


def _backed(actor: Token, cues: CueBook) -> Token | None:
    """The armed group or act an actor backs: "Iran-backed militias", "Iranian-backed
    groups", "militias backed by Iran", "Iran-backed attacks" (the cue book's
    ``backing``: a participle of support, sponsorship or alignment)."""
    tok = actor
    while tok.dep_ in ("poss", "compound") and tok.head.pos_ == "PROPN":
        tok = tok.head  # "groups affiliated with Iran's Revolutionary Guard"
    if tok.dep_ == "pobj" and (
        tok.head.dep_ == "agent" or (tok.head.dep_ == "prep" and tok.head.lower_ in ("with", "to"))
    ):
        part = tok.head.head  # "militias backed by Iran", "groups affiliated with Iran"
        if part.dep_ == "acl" and _is(part, cues, "backing") and part.head.pos_ == "NOUN":
            return part.head
        return None
    part = tok.head
    if (
        tok.dep_ in ("npadvmod", "amod", "compound", "advmod")
        and part.dep_ in ("amod", "compound")
        and _is(part, cues, "backing")
        and part.head.pos_ in ("NOUN", "PROPN")  # "Chile-backed Tupac rebels": a name too
        and not _is(part.head, cues, "materiel")
    ):
        return part.head
    return None


def _talks_with_proxy(path: list[Token], top: Token, cues: CueBook) -> bool:
    """Whether the actor only backs a group the other side talks or meets with: "Peru
    holds talks with Chile-backed rebels", "Peruvian officials were welcomed to the rebel
    capital for talks with the Chile-backed rebels". Those who talk are the parties, not
    their backers (the dev half's labels: not linked). What is done against such a group,
    or by it, stays its backer's (``_materiel``'s backer: "Peru strikes Chile-backed
    rebels")."""
    if not path:
        return False
    group = _backed(path[0], cues)
    if group is None:
        return False
    above = [t for t in path if t.i != group.i and t in group.ancestors]
    return any(_is(t, cues, "mutual") for t in [*above, top])


def _stranded_subject(actor: Token) -> bool:
    """Whether a name the parser made the last conjunct of a noun list is the subject of
    the finite verb right after it, which has none of its own ("… in response to Russia's
    invasion of Argentina and *Peru was* the last holdout", "condemned the attack and *Peru
    signed* a deal"): a clause of its own, not a member of the list."""
    if actor.dep_ != "conj" or actor.head.pos_ not in ("NOUN", "PROPN"):
        return False
    first = _first_conjunct(actor)
    if first.dep_ in _SUBJECTS:
        return False  # "Belarus, Syria and North Korea sided with Russia": the verb's subject
    if first.i > 0 and actor.doc[first.i - 1].lower_ == "between":
        return False  # "a deal between Riyadh and Tehran bolsters …": a pair, the verb the deal's
    nxt = actor.doc[actor.i + 1] if actor.i + 1 < len(actor.doc) else None
    return (
        nxt is not None
        and nxt.pos_ in ("VERB", "AUX")
        and nxt.tag_ in ("VBD", "VBZ", "VBP", "MD")
        and nxt.dep_ in ("conj", "ROOT")
        # none of its own after the name (a clause before it read as its subject aside)
        and not any(c.dep_ in _SUBJECTS and c.i > actor.i for c in nxt.children)
    )


#: Verbs whose object is a member of their subject ("its members *include* Iran").
_MEMBERSHIP = frozenset({"include", "comprise"})


def _member_listed(path: list[Token]) -> bool:
    """Whether the actor is only listed as a member of a group a relative clause describes
    ("the group, whose members also include Saudi Arabia, Iran and Iraq"): a co-member of
    the group, not a partner of what the group or another member does."""
    return any(
        t.dep_ == "relcl" and t.lemma_.lower() in _MEMBERSHIP and pos > 0
        for pos, t in enumerate(path)
    )


def _origin_of(actor: Token, cues: CueBook) -> Token | None:
    """The materiel noun an actor is the origin of ("Iranian(-made) drones", "drones from
    Iran"), if any."""
    tok = actor
    if tok.dep_ == "pobj" and tok.head.lower_ == "from" and tok.head.head.pos_ == "NOUN":
        tok = tok.head.head
        return tok if _is(tok, cues, "materiel") else None
    if tok.dep_ in ("acomp", "attr") and tok.head.lemma_.lower() == "be":
        # "the drone that hit the village was Russian": what the subject is, its origin
        return next(
            (
                c
                for c in tok.head.children
                if c.dep_ == "nsubj" and c.pos_ == "NOUN" and _is(c, cues, "materiel")
            ),
            None,
        )
    made = _made_in(tok)
    if made is not None:
        # "drones built in Chile", "the missiles were made in Chile": what was made there
        made_of = [made.head] if made.dep_ == "acl" else []
        made_of += [c for c in made.children if c.dep_ == "nsubjpass"]
        return next((t for t in made_of if _is(t, cues, "materiel")), None)
    steps = 0
    while steps < 3 and tok.head.i != tok.i:
        if tok.dep_ in ("amod", "compound", "poss", "npadvmod", "advmod", "nmod"):
            tok = tok.head
            steps += 1
            if tok.pos_ == "NOUN" and _is(tok, cues, "materiel"):
                return tok
            if tok.pos_ == "NOUN" and _is(tok, cues, "attacks"):
                # "an Iranian-made UAV attack": the weapon compounded to the attack
                return next(
                    (
                        c
                        for c in tok.children
                        if c.dep_ == "compound" and c.i < actor.i + 4 and _is(c, cues, "materiel")
                    ),
                    None,
                )
            if tok.pos_ not in ("VERB", "ADJ", "PROPN", "NOUN"):
                return None
            continue
        return None
    return None


#: Verbs of making a thing: where it is made is its origin ("drones built in Chile").
_MAKING = frozenset({"make", "build", "manufacture", "produce", "assemble", "design", "develop"})


def _made_in(place: Token) -> Token | None:
    """The participle of making a place is the "in" of ("built *in Iran*"), if any."""
    if place.dep_ != "pobj" or place.head.lower_ != "in":
        return None
    verb = place.head.head
    if verb.tag_ not in ("VBN", "VBD") or verb.lemma_.lower() not in _MAKING:
        return None
    return verb


def _attacker_of(actor: Token, cues: CueBook) -> Token | None:
    """The attack an actor carries out: it modifies or owns an attack noun ("Russian
    strikes", "Russia's attack"), or is the subject or agent of an attack verb
    ("Russia launched", "Russia-launched"), or of a verb of use whose object is
    materiel ("the drones are used by Russia": the cue book's ``uses``)."""
    tok = actor
    if tok.dep_ in ("amod", "compound", "poss", "npadvmod") and _is(tok.head, cues, "attacks"):
        return tok.head
    if (
        tok.dep_ in ("amod", "compound")
        and tok.head.dep_ == "compound"
        and _is(tok.head.head, cues, "attacks")
    ):
        return tok.head.head  # "Russian air attack"
    if tok.dep_ in ("nsubj", "agent", "pobj") and tok.head.pos_ in _VERBAL | {"ADP"}:
        verb = tok.head if tok.dep_ == "nsubj" else tok.head.head
        if tok.dep_ == "pobj" and tok.head.lower_ != "by":
            return None
        if _is(verb, cues, "attacks"):
            return verb
        if _is(verb, cues, "uses") and any(
            c.dep_ in ("dobj", "nsubjpass") and _names_materiel(c, cues) for c in verb.children
        ):
            return verb  # "Russia used the drones", "the missiles were fired by Russia"
    return None


def _names_materiel(noun: Token, cues: CueBook) -> bool:
    """Whether a noun, with the words before it in its phrase, names materiel ("drones",
    "the unmanned aerial vehicles": the cue book's phrases end at the noun)."""
    words = [t.lower_ for t in noun.doc[noun.left_edge.i : noun.i + 1]]
    return _is(noun, cues, "materiel") or any(
        cues.match("materiel", words, i) == len(words) - i for i in range(len(words))
    )


def _listed_with(one: Token, other: Token) -> bool:
    """Whether two nouns are members of one list ("missiles and drones", "all of the
    missiles and drones"): conjuncts, or near each other with "and"/"or" between."""
    if _first_conjunct(one).i == _first_conjunct(other).i:
        return True
    lo, hi = sorted((one.i, other.i))
    return hi - lo <= 8 and any(t.dep_ == "cc" for t in one.doc[lo:hi])


#: Prepositions of a movement or a presence: "arrived in", "travelled to", "left for".
_MOVEMENT = frozenset({"in", "to", "into", "at", "for", "toward", "towards", "inside"})
_MOVERS = frozenset({"subject", "passive subject", "agent"})


def _territory(
    found: tuple[Token, str, str, str],
    left_place: bool,
    right_place: bool,
    left: Token,
    right: Token,
) -> tuple[Token, str, str, str] | None:
    """A side's city links only as where the other side's actor goes or is. A participle
    that describes the actor's noun is the actor's act: "Australian tourist *arrested* in
    Bali" is the tourist's arrest, though the parse joins the two at the noun (not a
    relative clause: "a painter who spent decades in Bali" is where he lived)."""
    top, how, lrole, rrole = found
    if left_place and right_place:
        return None
    pred = _predicate(top, left, right)
    journey = pred.lemma_.lower() in _JOURNEY_NOUNS
    if pred.i != top.i and (pred.dep_ == "acl" or journey):
        lrole, rrole = _role_at(pred, left, lrole), _role_at(pred, right, rrole)
    place, mover = (lrole, rrole) if left_place else (rrole, lrole)
    if not place.endswith("-object") or place.split("-")[0] not in _MOVEMENT | {"among"}:
        return None  # "among": "was among the leaders in Nairobi" (:func:`_where_one_is`)
    if mover == "head" and journey:
        return found  # "Marcos on state visit to Tokyo": the fragment's head travels
    return found if mover in _MOVERS else None


def _predicate(top: Token, a: Token, b: Token) -> Token:
    """The word to show as what links them: the shared node, or the verb just below it.

    "Russia, which backs North Korea": the shared node is "Russia" itself, the
    act is "backs"; "troops fighting for Russia": "fighting".
    """
    if top.pos_ in _VERBAL:
        return top
    nouns: list[Token] = []
    for tok in (a, b):
        chain = _ancestors(tok)
        below = _below(chain, top)[1:] if top in chain else []
        verbs = [t for t in below if t.pos_ in _VERBAL]
        if verbs:
            return verbs[-1]
        nouns.extend(t for t in below if t.pos_ == "NOUN")
    if top.pos_ != "NOUN" and nouns:
        # the shared node is an actor ("North Korea, Iran and China's connections to
        # Russia's war machine"): the noun of the relation, nearest to it
        return min(nouns, key=lambda t: len(_ancestors(t)))
    return top


def _role_at(pred: Token, actor: Token, fallback: str) -> str:
    """An actor's role at the predicate shown: on its path, the edge into it; the noun a
    relative or participial clause describes, the role of the relative pronoun (or subject)."""
    chain = _ancestors(actor)
    ids = [t.i for t in chain]
    if pred.i in ids and pred.i != actor.i:
        return _named(_role(_below(chain, pred), pred))
    if pred.head.i == actor.i or pred.head.i in ids:
        if pred.dep_ == "acl":
            return "subject"  # "troops fighting for Russia"
        if pred.dep_ == "relcl":
            rel = next((c for c in pred.children if c.tag_ in ("WDT", "WP", "WP$")), None)
            if rel is not None:
                return _named(rel.dep_)
    return fallback


def _unclassified(a: Token, b: Token) -> bool:
    """Whether the two are joined only through an edge the parser left unclassified."""
    up_a, up_b = _ancestors(a), _ancestors(b)
    common = {t.i for t in up_a} & {t.i for t in up_b}
    return any(t.dep_ == "dep" for t in [*up_a, *up_b] if t.i not in common)


def _covered(doc: SpacyDoc, spans: Sequence[Span]) -> set[int]:
    """The indices of the tokens that overlap any of ``spans`` (character offsets)."""
    return {t.i for t in doc for s in spans if t.idx < s[1] and t.idx + len(t.text) > s[0]}


#: Named things that are not actors though they hold an actor's name ("the Indian Ocean",
#: "the South China Sea", "Russian" the language).
_NOT_ACTORS = frozenset({"LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "LANGUAGE"})


#: First words of a people named after a region or a descent, whose last word is a
#: country's adjective ("Latin American", "North American", "Native American").
_REGIONS = frozenset(
    {"latin", "south", "north", "central", "native", "african", "asian", "arab", "hispanic"}
)


#: Words of a multiple before an amount ("20 *times* Iran's", "*twice* India's").
_MULTIPLES = frozenset({"times", "twice", "thrice", "double", "triple", "half"})
#: Words that set an amount against another's, named by its owner alone ("falls *below*
#: Japan's", "higher *than* India's").
_BEYOND = frozenset({"below", "above", "than", "behind", "beneath", "under"})


def _multiple_of(head: Token, span: Span) -> bool:
    """Whether a name is the owner of an amount named only by its possessive and a
    multiple or a word of comparison before it ("Qatar's income per head is 20 times
    *Iran's*", "South Korea's fertility rate falls below *Japan's*"): the other thing's
    measure, an amount compared, not an actor."""
    doc = head.doc
    first, last = token_at(doc, span[0]), token_at(doc, span[1] - 1)
    start = head.i if first is None else first.i
    end = head.i if last is None else last.i
    if start == 0 or doc[start - 1].lower_ not in _MULTIPLES | _BEYOND:
        return False
    after = doc[end + 1] if end + 1 < len(doc) else None
    if after is None or after.tag_ != "POS":
        return False
    owned = doc[end + 2] if end + 2 < len(doc) else None
    # "below Japan's" ends the phrase; "below Japan's islands" is a place of its own, "well
    # above Azerbaijan's population" an amount
    return (
        doc[start - 1].lower_ in _MULTIPLES
        or owned is None
        or owned.pos_ not in _NOUNS | {"ADJ", "NUM"}
        or owned.lemma_.lower() in _AMOUNTS
        or owned.like_num  # "below Colombia's 890,000"
    )


#: Nouns of a measure a side has: what a comparison sets beside another's ("above
#: Azerbaijan's *population*").
_AMOUNTS = frozenset(
    {"population", "gdp", "output", "income", "budget", "rate", "level", "share", "total"}
    | {"production", "export", "import", "figure", "number", "spending", "growth", "average"}
)


def _actor(head: Token, span: Span, named: Sequence[Any], cues: CueBook) -> bool:
    """Whether a mention is an actor.

    Not when it is part of a larger named place, work or event ("the Indian
    Ocean", "the South China Sea") — or of the same longer name as one found
    elsewhere in the sentence — nor the last word of a people named after a
    region or a descent ("Latin American", "Native American") — nor when it
    describes someone's origin
    or a style ("Iranian-born", "Russian-language": the cue book's
    ``origins``). An event named after its parties and a noun of relation
    ("the Iran-Saudi Pact", "a US-China Summit", read as an EVENT in a Title
    Case headline) is their relation: its names stay actors.
    """
    doc = head.doc
    hyphenated = head.i + 2 < len(doc) and doc[head.i + 1].text in ("-", "–")
    if hyphenated and _is(doc[head.i + 2], cues, "origins"):  # "Iranian-born"
        # but a weapon of a side's origin is the side's: "an Iranian-origin drone"
        return doc[head.i + 2].head.pos_ == "NOUN" and _is(doc[head.i + 2].head, cues, "materiel")
    if (
        (head.dep_ == "amod" or (head.dep_ == "compound" and head.ent_type_ == "NORP"))
        and head.head.pos_ == "NOUN"
        and _is(head.head, cues, "styles")
        # the style of a body's name is the body's ("Chinese heritage authorities")
        and not (head.head.dep_ == "compound" and head.head.head.lemma_.lower() in _BODIES)
    ):
        # "a Chinese restaurant", "Indian food": a style, not an actor (a people's word the
        # tagger read as a name too: "Chilean manuscripts")
        return False
    if (
        head.dep_ in ("amod", "compound")
        and _is(head.head, cues, "currencies")
        and head.head.dep_ not in ("compound", "amod", "nmod")  # not "the dollar's role"
    ):
        # "the US dollar", "the Iranian rial" (the tagger calls some adjectives); but money
        # that names a deal, a ban or talks is the country's ("a US dollar ban on Iraqi
        # banks", "a Saudi-China yuan oil deal")
        return False
    if _names_a_sea(head, cues):
        return False  # "the Sea of Japan", "the Atlantic and Indian oceans"
    if _multiple_of(head, span):
        return False  # "Qatar's income is 20 times Iran's": an amount compared
    if _a_language(head, span):
        return False  # "phishing emails written in Turkish"
    # only a longer name counts: the tagger's LANGUAGE for a bare "Russian" is often wrong
    if any(
        ent.start_char <= span[0] < ent.end_char
        and ent.label_ in _NOT_ACTORS
        and (ent.start_char < span[0] or ent.end_char > span[1])
        and not _names_relation(ent.root, cues)  # "the Iran-Saudi Pact": the parties' own
        and not _body_named(ent)
        for ent in named
    ):
        return False
    if any(_publication(ent, span, cues) for ent in named):
        return False  # "The Santiago Times reported that Peru …": a paper's name
    if any(
        ent.label_ == "NORP"
        and ent.start_char < span[0]
        and ent.end_char == span[1]
        and ent[0].lower_ in _REGIONS
        and not any(t.text in ("-", "–") for t in ent)  # "North Korean-Chinese trade": a pair
        for ent in named
    ):
        return False  # "Latin American", "South American": another people, whose last word
    # one name, one sense: "Indian Ocean" where the recogniser missed it (a headline run
    # into its first sentence) is the place it found elsewhere in the sentence
    here = doc.text[span[0] :].lower()
    mention = doc.text[span[0] : span[1]].lower()
    for ent in named:
        if ent.label_ in _NOT_ACTORS and ent.start_char != span[0]:
            words = [t for t in ent if t.dep_ != "det" and t.lower_ != "the"]
            name = ent.doc.text[words[0].idx : ent.end_char].lower() if words else ""
            if len(name) > len(mention) and name.startswith(mention) and here.startswith(name):
                return False
    return True


def _publication(ent: Any, span: Span, cues: CueBook) -> bool:
    """Whether a mention is the place in the name of a newspaper or a channel the
    recogniser found as an organisation: "the *Santiago* Times", "*Peru* International",
    "the Times of *India*" (the cue book's ``publications``, the name's last word or its
    first after "the"). A paper named after a place is not that place's state; a state
    body named after it is ("the Russian Defence Ministry", "Bank of China")."""
    if ent.label_ != "ORG" or not (ent.start_char <= span[0] and span[1] <= ent.end_char):
        return False
    words = [t for t in ent if t.lower_ != "the"]
    ends = {words[0], words[-1]} if len(words) > 1 else set()
    return any(
        not (span[0] <= t.idx < span[1])
        and t.pos_ in ("PROPN", "NOUN")
        and _is(t, cues, "publications")
        for t in ends
    )


def _a_language(head: Token, span: Span) -> bool:
    """Whether a people's adjective alone after "in" is a language: "written in Turkish",
    "a novel published in Russian", "said in Japanese" — or one a language named beside
    it says is a language ("Turkish, one of its two official languages"). Only the
    adjective the tagger reads as one (or a language or a people): a country's name there
    is a place ("in Iran", "in Turkey"), and "in Russian hands" holds the adjective on
    its noun. An adjective on "language" itself is the language ("an Irish language
    law", "Russian-language documents")."""
    if any(_language_of(c) for c in head.children):
        return True  # "will offer Turkish, one of its two official languages, in schools"
    after = [t for t in head.doc[head.i + 1 : head.i + 3] if t.text not in ("-", "–")][:1]
    if after and after[0].lemma_.lower() == "language" and head.pos_ in ("ADJ", "PROPN"):
        # "an Irish language law", "Russian-language documents": the language, however the
        # parser hangs the adjective (often on the noun after "language")
        return True
    return (
        head.dep_ == "pobj"
        and head.head.lower_ == "in"
        and span[1] - span[0] == len(head.text)
        and not any(c.dep_ in ("compound", "amod", "det", "poss") for c in head.children)
        and (head.tag_ == "JJ" or head.ent_type_ in ("LANGUAGE", "NORP"))
    )


def _language_of(appos: Token) -> bool:
    """An apposition that calls its noun a language: "a language", "one of its official
    languages"."""
    if appos.dep_ != "appos":
        return False
    return appos.lemma_.lower() == "language" or any(
        p.dep_ == "prep"
        and p.lower_ == "of"
        and any(o.lemma_.lower() == "language" for o in p.children)
        for p in appos.children
    )


def _body_named(ent: Any) -> bool:
    """Whether a place the recogniser found is the start of a state body's name: "Chinese
    Coast" in "Chinese Coast Guard ships" (a Title Case headline) is China's coast guard,
    not a coast, when a noun of the side's people or forces follows it."""
    doc = ent.doc
    return ent.end < len(doc) and doc[ent.end].lemma_.lower() in _SIDES_PEOPLE


def _names_a_sea(head: Token, cues: CueBook) -> bool:
    """Whether a mention is part of the name of a sea or an ocean ("the Sea of Japan",
    "the Atlantic and Indian oceans", "the Philippine Sea"): a place of the earth that
    bears the country's name, not the country (the guide's "a place only") — read from
    the grammar where the recogniser found no place (a headline in lower case, a plural).

    Only the cue book's ``waters`` are such names, and only as names: a modifier of a
    capitalised sea ("the Philippine Sea") or of an ocean, the object of "of" on a
    singular sea with no "a" ("the Sea of Japan"). "Japanese seas", "Japanese straits"
    and "Japanese waters" are the country's own; "a sea of Japanese" is a crowd; in
    "over the Sea of Okhotsk and Japan" Japan is a second place.
    """
    if head.dep_ in ("amod", "compound") or (
        head.dep_ == "conj" and _first_conjunct(head).dep_ in ("amod", "compound")
    ):
        sea = _first_conjunct(head).head  # "the Atlantic and Indian oceans"
        return _is(sea, cues, "waters") and (
            sea.text[:1].isupper() or sea.lemma_.lower() == "ocean"
        )
    if head.dep_ != "pobj" or head.head.lower_ != "of":
        return False
    sea = head.head.head
    return (
        sea.pos_ in ("NOUN", "PROPN")
        and sea.tag_ in ("NN", "NNP")
        and _is(sea, cues, "waters")
        and not any(c.dep_ in ("amod", "compound", "nummod") for c in sea.children)
        and not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in sea.children)
    )


def _absolute_with(path: list[Token]) -> bool:
    """Whether the actor is the subject of an absolute "with" after a comma, a statement of
    its own ("puts Israel's commercial hub ninth, *with Beirut also in the top 60*", "…,
    with China second"), not the act's partner: the words right after its phrase say
    something of it (an adverb, a preposition, an adjective or number), however the parser
    hung them. A participle is what it does in the act said: "tributes poured in, with
    Biden saying …" is Biden's tribute."""
    # the "with" may hang from the verb or, as the parser often has it, from its object
    # ("have some of the highest rates, with Belarus … also near the top")
    at = next(
        (k for k in range(1, len(path)) if path[k].dep_ == "prep" and path[k].lower_ == "with"),
        None,
    )
    if at is None:
        return False
    prep, obj = path[at], path[at - 1]
    doc = prep.doc
    if prep.i == 0 or doc[prep.i - 1].text not in (",", ";", "—", "–"):
        return False
    if obj.dep_ in ("pcomp", "pobj") and at >= 2 and path[at - 2].dep_ == "nsubj":
        # the parser's own reading: "with [Chile close behind]"; not "with Biden saying his
        # legacy would echo", one who takes part in the act said
        return obj.pos_ not in ("VERB", "AUX")
    if obj.dep_ != "pobj" or obj.head.i != prep.i:
        return False
    if any(c.dep_ in ("amod", "acomp") and c.i > obj.i for c in obj.children):
        return True  # "…, with Cyprus's scheme the most popular in the EU": said of it
    after = obj.right_edge.i + 1
    if after >= len(doc):
        return False
    return doc[after].pos_ in ("ADV", "ADP", "ADJ", "NUM")


#: Nouns of an occasion of two parties, besides the cue book's relations: what a host
#: brings them together for ("hosts Kagame and Tshisekedi *for signing of* the accords").
_OCCASIONS = frozenset({"talk", "meeting", "summit", "signing", "negotiation", "ceremony"})
#: Verbs of bringing people together ("hosts", "invited", "brought … to the table").
_BRINGS = frozenset(
    {"host", "invite", "bring", "convene", "gather", "welcome", "receive", "summon"}
)


def _brought_together(a: Token, b: Token, cues: CueBook) -> Token | None:
    """The occasion a third party brings the two to, as one list its verb's object, with
    "for" or "to" ("hosts Kagame and Tshisekedi *for signing of* the accords", "invited
    Iran and Saudi Arabia to talks"): the two are its parties, with each other — not
    co-objects of the host, as "sits between A and B" or "brands A and B" leave them."""
    first, second = sorted((a, b), key=lambda t: t.i)
    head = _first_conjunct(_named_head(second))
    if head.i != _first_conjunct(_named_head(first)).i or head.dep_ != "dobj":
        return None
    verb = head.head
    if verb.lemma_.lower() not in _BRINGS:
        return None  # "will visit Ethiopia and Eritrea for talks": talks with each
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("for", "to"):
            continue
        for noun in prep.children:
            if noun.dep_ not in ("pobj", "pcomp"):
                continue
            inner = [o for p in noun.children if p.lower_ == "of" for o in p.children]
            if {noun.lemma_.lower(), noun.lower_} & _OCCASIONS or any(
                _names_relation(t, cues) for t in [noun, *inner]
            ):
                return noun
    return None


def _among(top: Token) -> bool:
    """Whether the shared node is, or is the subject of, a "be" that puts its subjects
    among a group: members of it, each on its own ("Turkey and Sweden are among 23 allies
    meeting the target")."""
    verb = top if top.pos_ in _VERBAL else top.head if top.dep_ in _SUBJECTS else None
    return (
        verb is not None
        and verb.lemma_.lower() == "be"
        and any(c.dep_ == "prep" and c.lower_ == "among" for c in verb.children)
    )


def _gapped(actor: Token) -> bool:
    """Whether the actor is the subject of a second clause with its verb left out, which
    the parser joined to the first clause's object: "Israel voted in favour *and Egypt
    against*", "Japan scored twice and Korea once"."""
    if actor.dep_ != "conj" or actor.head.pos_ != "NOUN":
        return False
    doc = actor.doc
    nxt = doc[actor.i + 1] if actor.i + 1 < len(doc) else None
    # the clause ends with that word: "… and Egypt against," (not "… and Trudeau only
    # learned of …", a verb to come)
    end = doc[actor.i + 2] if actor.i + 2 < len(doc) else None
    return (
        nxt is not None
        and nxt.pos_ in ("ADP", "ADV")
        and not any(nxt.children)
        and (end is None or end.pos_ in ("PUNCT", "CCONJ"))
    )


def _valued_list(a: Token, b: Token) -> bool:
    """Whether the two are members of a list of values, each name with its number, the
    later after a comma or "and" ("Indonesia hit with 32%, Malaysia 24%", "… , Malaysia
    with 24%", "gave North Korea 3 points and South Korea 83"), however the parser hung
    the list."""
    first, second = sorted((a, b), key=lambda t: t.i)
    doc = first.doc
    end = second.i
    while end + 1 < len(doc) and doc[end + 1].dep_ == "flat":
        end += 1
    after = doc[end + 1] if end + 1 < len(doc) else None
    if after is not None and after.pos_ == "ADP" and end + 2 < len(doc):
        # the preposition said again: "Bangladesh hit with 37%, China with 34%"
        after = doc[end + 2]
    before = doc[second.left_edge.i - 1] if second.left_edge.i > 0 else None
    return (
        after is not None
        and after.like_num
        and before is not None
        and before.lower_ in (",", "and")
        and any(t.like_num for t in doc[first.i + 1 : second.left_edge.i])
    )


#: Nouns of a part of a country named after a people: "Ethiopia's *Somali* Regional State".
_HOMELANDS = frozenset(
    {"region", "state", "province", "prefecture", "minority", "community", "district"}
)


def _region_of(people: Token, owner: Token) -> bool:
    """Whether ``people`` names a region or a community inside ``owner``'s country, its
    owner's ("Ethiopia's Somali Regional State", "China's Korean minority"): a people's
    name, not the state of that name."""
    noun = people
    while noun.dep_ in ("compound", "amod") and noun.head.i != noun.i:
        noun = noun.head
        if noun.lemma_.lower() in _HOMELANDS:
            return any(
                c.dep_ == "poss" and (c.i == owner.i or owner.i in {t.i for t in c.subtree})
                for c in noun.children
            )
    return False


def _repeated_preposition(a: Token, b: Token) -> bool:
    """Whether the two are objects of one preposition said twice, "and" before the second
    ("imposed by the United States and by the Netherlands", "talks with Japan and with
    China", "supplies oil to Israel and gas to Turkey"): the writer repeats it to keep
    them apart, however the parser hung them."""
    preps = []
    for side in (a, b):
        tok = side
        while tok.dep_ in ("compound", "amod", "poss", "flat") and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ != "pobj" or tok.head.pos_ != "ADP":
            return False
        preps.append(tok.head)
    first, second = sorted(preps, key=lambda t: t.i)
    if first.i == second.i or first.lower_ != second.lower_:
        return False
    if second.i > 0 and second.doc[second.i - 1].lower_ in ("and", "or"):
        return True
    # "supplies oil to Israel and gas to Turkey": one verb's preposition said again after
    # a second object
    governor = second.head if second.head.dep_ != "conj" else second.head.head
    return first.head.i == governor.i and any(
        t.lower_ in ("and", "or") for t in first.doc[first.i + 1 : second.i]
    )


def _parallel_objects(one: Token, other: Token) -> bool:
    """Whether ``one`` is an object told again with its own matter, beside ``other``:
    "China rebukes the US over tariffs and Taiwan over drills", "lashes out at Berlin
    over migration and at Kyiv over minority rights". The parser hangs "and Taiwan" on
    "tariffs" (and "and at Kyiv" on "over"); a second "over" after it says the conjunct
    is a second object of the verb with a matter of its own, as "the US" is the first. Two
    objects of one verb are both on its receiving end (the guide's co-objects), however
    the parser joined them; the verb's subject still acts on each."""
    conjunct = one
    while conjunct.dep_ in ("compound", "amod", "poss") and conjunct.head.i != conjunct.i:
        conjunct = conjunct.head
    if conjunct.dep_ == "pobj" and conjunct.head.dep_ == "conj" and conjunct.head.pos_ == "ADP":
        conjunct = conjunct.head  # "… and at Kyiv over …"
    if conjunct.dep_ != "conj":
        return False
    head = conjunct.head
    prep = head if head.pos_ == "ADP" else head.head if head.dep_ == "pobj" else None
    if prep is None or prep.head.i == prep.i:
        return False
    verb = prep.head
    if not any(
        c.dep_ == "prep" and c.lower_ == prep.lower_ and c.i > conjunct.i
        for c in [*conjunct.children, *head.children, *verb.children]
    ):
        return False  # the second matter hangs from the conjunct, the first or the verb
    chain = _ancestors(other)
    return any(
        t.head.i == verb.i and t.i != verb.i and t.dep_ in ("dobj", "dative", "prep") for t in chain
    ) and verb.i in {t.i for t in chain}


def _ancestors(tok: Token) -> list[Token]:
    """``tok`` and every token above it, up to the root.

    An auxiliary is passed over to its verb: the parser now and then hangs a
    subject from the auxiliary ("China" under "is" in "China is encouraging
    …"), which would make "is" the node the two actors share. So is an adverb
    of distance that only carries a preposition ("shifting *away* from China",
    "moving *closer* to Russia"): the preposition is the verb's own. And a
    preposition of a matter the parser hung from a name in a list ("clash with
    Russia, China *over* North Korea's launch") is the predicate's: a name
    takes no matter (:func:`_matter_of`).
    """
    chain = [tok]
    while chain[-1].head.i != chain[-1].i:
        head = chain[-1].head
        if head.head.i != head.i and (
            head.dep_ in ("aux", "auxpass") or _carries_preposition(head, chain[-1])
        ):
            head = head.head
        chain.append(_matter_of(chain[-1], head) or head)
    return chain


def _matter_of(prep: Token, name: Token) -> Token | None:
    """The predicate a preposition of a matter belongs to when the parser hung it from a
    name that stands in that predicate's list or preposition ("with Russia, China over
    …": the clash is over it, not China), else None.

    Only through conjuncts and prepositions, and to the first word that is no
    name or preposition: "the dispute with China over Taiwan" is the
    dispute's, "pressed Russia, China over …" the verb's.
    """
    if prep.dep_ != "prep" or prep.lower_ not in _MATTER or name.pos_ != "PROPN":
        return None
    if name.dep_ != "conj" and not any(c.dep_ == "conj" for c in name.children):
        return None  # a member of a list only: "talks in Muscat, Oman about …" is a place's
    up = name
    while up.dep_ in ("conj", "pobj", "prep", "compound", "flat") and up.head.i != up.i:
        up = up.head
        if up.dep_ == "prep" and up.lower_ in _PLACE_PREPOSITIONS | {"near", "from", "to"}:
            return None  # "talks resumed in Muscat, Oman about …": a place's, not a party's
        if up.pos_ not in ("PROPN", "ADP", "PUNCT", "CCONJ"):
            break
    if up.i == name.i or up.pos_ not in ("VERB", "NOUN"):
        return None
    return up


def _carries_preposition(adverb: Token, below: Token) -> bool:
    """An adverb of distance right after its verb of movement, reached from its
    preposition."""
    return (
        adverb.dep_ == "advmod"
        and adverb.lower_ in _DISTANCE
        and below.dep_ == "prep"
        and adverb.head.lemma_.lower() in _MOVES
        and 0 < adverb.i - adverb.head.i <= _DISTANCE_SPAN
    )


def _follows(path: list[Token]) -> bool:
    """Whether an actor is whom the other follows, the country itself the object of
    "follow" ("Kenya might follow Ethiopia into default", "introduces a vaccine pass,
    *following* France"): the same act done after it, the guide's "did the same thing
    separately". A person followed is company ("Kim followed Putin to the launch pad"),
    and a thing of the actor's is what is followed ("Chinese ships followed a Philippine
    vessel", "following Russia's invasion")."""
    if not path:
        return False
    actor = path[0]
    return (
        actor.dep_ in ("dobj", "pobj")
        and actor.head.lemma_.lower() == "follow"
        and actor.ent_type_ in ("GPE", "NORP")
    )


def _clause_before(path: list[Token], top: Token, cues: CueBook) -> bool:
    """Whether an actor is in a clause with a subject of its own that the parser hung as
    the complement of a later verb, a comma between, where that verb says nothing: two
    clauses side by side ("Pyongyang will pledge to scrap weapons, Tehran faces referral
    threat"), not what is said ("Iran is arming Russia, Ukraine says")."""
    clause = path[-1] if path else None
    if clause is None or clause.dep_ != "ccomp" or clause.i > top.i or _says(top, cues):
        return False
    if not any(c.dep_ in _SUBJECTS for c in clause.children):
        return False
    return any(t.text == "," for t in top.doc[clause.right_edge.i : top.i])


def _passage_of_others(top: Token, role_a: str, role_b: str, cues: CueBook) -> bool:
    """Whether the two are only places on the way of movers of no side: "Locust swarms
    cross from Somalia into Kenya", "Ethiopian migrants braving the route across Yemen to
    Saudi Arabia". The movers (the cue book's ``passers``: migrants, refugees, locusts,
    storms) are the verb's subject or the noun it describes, and neither side is more than
    where they go from, through or to; so is a person leaving one for the other ("Obama
    leaves Kenya for Ethiopia"), and a range a noun spans ("disasters from Turkey to
    Libya"). What one side's people or goods do is theirs ("Russian oil flows to India"
    is trade)."""
    if any(role in ("nsubj", "nsubjpass", "agent", "poss", "head") for role in (role_a, role_b)):
        return False
    if (
        top.pos_ == "NOUN"
        and {role_a, role_b} == {"from-object", "to-object"}
        and not _is(top, cues, "interactions")
    ):
        return True  # "disasters from Turkey to Libya": a range (not "exports from … to …")
    verb = top.head if top.pos_ == "NOUN" and top.dep_ == "dobj" else top  # "braving the route"
    movers = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
        movers.append(verb.head)  # "migrants braving the route …"
    if (
        movers
        and verb.lemma_.lower() in _DEPARTURES
        and {role_a, role_b} <= _WAYPOINTS
        and all(m.ent_type_ == "PERSON" for m in movers)
    ):
        # a person of neither side leaving one for the other: "Obama leaves Kenya for
        # Ethiopia" (a side's own person is a side, read on its own)
        return True
    return bool(movers) and all(_is(m, cues, "passers") for m in movers)


#: Verbs of leaving one place for another ("leaves Kenya for Ethiopia").
_DEPARTURES = frozenset({"leave", "depart", "quit", "fly", "travel", "head", "move", "go"})
#: Roles of a place on someone's way: the object of "leaves", whence, whither, via.
_WAYPOINTS = frozenset(
    {"dobj", "from-object", "to-object", "for-object", "into-object", "via-object"}
    | {"through-object", "across-object", "toward-object", "towards-object"}
)


def _below(chain: list[Token], top: Token) -> list[Token]:
    """The part of an ancestor chain under ``top`` (all of it when ``top`` is not on it)."""
    ids = [t.i for t in chain]
    return chain[: ids.index(top.i)] if top.i in ids else chain


def _link(a: Token, b: Token, cues: CueBook, people: bool) -> tuple[Token, str, str, str] | None:
    up_a, up_b = _ancestors(a), _ancestors(b)
    ids_b = {t.i for t in up_b}
    top = next((t for t in up_a if t.i in ids_b), None)
    if top is None:
        return None
    path_a, path_b = _below(up_a, top), _below(up_b, top)
    # a result the act holds the other to is the act's: "Indonesia hold US to a 1-1 draw"
    held_to = [o for c in top.children if c.lower_ == "to" for o in c.children if o.dep_ == "pobj"]
    if _played([top, *path_a, *path_b, *held_to], cues, (path_a, path_b)):
        return None  # "Australia beat India by nine wickets": a game, not a relation
    if _listed_topic(a) or _listed_topic(b):
        return None  # "Beijing and Tokyo square off over military buildup, Russia and …"
    mediated = _mediation(a, b, cues)
    if mediated is not None:
        return mediated  # "China brokered a deal between Iran and Saudi Arabia"
    aimed = _aimed_at(a, b, cues)
    if aimed is not None:
        return aimed  # "a pact between the US, Australia and the UK aimed at countering China"
    if top.pos_ == "ADP":
        return None  # "from Moscow to Tehran": a range, not an act
    if _passage_of_others(top, _role(path_a, top), _role(path_b, top), cues):
        return None  # "Locust swarms cross from Somalia into Kenya": places on another's way
    relation = _listed_relation(a, b, cues)
    if relation is not None:
        return relation, "relation noun", "modifier", "modifier"  # "China and Australia thaw …"
    hosted = _brought_together(a, b, cues)
    if hosted is not None:
        return hosted, "relation noun", "party", "party"  # "hosts A and B for talks"
    # one is where the other arrives or is, a phrase down ("landed at the airport in
    # Nairobi", "was among the leaders in Nairobi")
    present = _where_one_is(path_a, path_b, top) or _where_one_is(path_b, path_a, top)
    if _among(top) and not present:
        return None  # "Turkey and Sweden are among 23 allies meeting the target"
    if _gapped(a) or _gapped(b):
        return None  # "Israel voted in favour and Egypt against": two votes
    together = _owned_together(a, b, cues) or _owned_together(b, a, cues)
    if together is not None:
        return together, "relation noun", "owner", "owner"  # "Peru and Chile's ties"
    if _joins(path_a) or _joins(path_b) or _listed(path_a, path_b) or _listed(path_b, path_a):
        return _pair(a, b, top, path_a, path_b, cues, people)
    role_a, role_b = _role(path_a, top), _role(path_b, top)
    implied = _implied(path_a, role_b, cues, path_b) or _implied(path_b, role_a, cues, path_a)
    if implied is not None:
        return implied, "relation", _named(role_a), _named(role_b)
    if (_party_elsewhere(a, b, cues) and not _acts(path_a, role_b)) or (
        _party_elsewhere(b, a, cues) and not _acts(path_b, role_a)
    ):
        return None  # "India aims to capitalise on US-China tensions"
    if _talks_with_proxy(path_a, top, cues) or _talks_with_proxy(path_b, top, cues):
        return None  # "Peru holds talks with Chile-backed rebels": the rebels'
    if _stranded_subject(a) or _stranded_subject(b):
        return None  # "… Chile's invasion of Argentina and Peru was the last holdout"
    if _member_listed(path_a) or _member_listed(path_b):
        return None  # "one of the producers in the group, whose members include Iran"
    if _repeated_preposition(a, b):
        return None  # "restrictions imposed by the United States and by the Netherlands"
    if _absolute_with(path_a) or _absolute_with(path_b):
        return None  # "puts Israel's hub ninth, with Beirut also in the top 60"
    if _valued_list(a, b):
        return None  # "Indonesia hit with 32%, Malaysia 24%": a list of values
    if _region_of(a, b) or _region_of(b, a):
        return None  # "Ethiopia's Somali Regional State": a people's region of the other
    if _parallel_objects(a, b) or _parallel_objects(b, a):
        return None  # "rebuked Tokyo over remarks and Manila over an incident": each on its own
    if _posted_for_another(path_a, b) or _posted_for_another(path_b, a):
        return None  # "the US envoy to Japan slammed Xi": the US's envoy, not Japan's
    if _kin_of_another(path_a, b, top) or _kin_of_another(path_b, a, top):
        return None  # "approve the accession of Russia's Nordic neighbor": Finland, a third
    if _negated(top, path_a, path_b):
        return None  # "Kim did not visit Russia", "said not a word about China"
    if _follows(path_a) or _follows(path_b):
        return None  # "Morocco introduces a vaccine pass, following France": the same act
    if _clause_before(path_a, top, cues) or _clause_before(path_b, top, cues):
        return None  # "Pyongyang will pledge to scrap weapons, Tehran faces a threat"
    if _consequence_for(path_a) or _consequence_for(path_b):
        return None  # "Turkey approves Finland's NATO entry, in (a) setback for Russia"
    if _visit_by(top, path_a, role_b):
        return top, "arguments", "visitor", _named(role_b)  # "lands in Abu Dhabi in a visit by"
    if _visit_by(top, path_b, role_a):
        return top, "arguments", _named(role_a), "visitor"
    if top.pos_ in _VERBAL:
        if _motive(path_b, role_a, path_a, cues):
            return top, "motive", _named(role_a), "motive"  # "… amid worries about China"
        if _motive(path_a, role_b, path_b, cues):
            return top, "motive", "motive", _named(role_b)
        if _reaction(top, path_b, role_a, path_a, cues):
            return top, "reaction", _named(role_a), "what it answers"  # "warned during drills"
        if _reaction(top, path_a, role_b, path_b, cues):
            return top, "reaction", "what it answers", _named(role_b)
    if _misread_list(a, b):
        return None  # "tensions over China, North Korea": a comma list read as an apposition
    noun = _broken_modifier_list(a, b)
    if noun is not None:  # "Indian, Russian astronauts fly …": one list before the noun
        return _listed_modifiers(a, b, noun, cues)
    if _another_noun(path_a, path_b) or _another_noun(path_b, path_a):
        return None  # "Russia's war in Ukraine and Iran's treatment of protesters"
    if not present and (
        _place_of_another(path_a, path_b, top, cues) or _place_of_another(path_b, path_a, top, cues)
    ):
        return None  # "refused at a meeting of ministers in India"
    if _nearby(path_a, cues) or _nearby(path_b, cues):
        return None  # "fired missiles in waters off Japan's coast": a place near, no actor
    if _object_of_misread_verb(path_a, top) or _object_of_misread_verb(path_b, top):
        return None  # "Moody's downgrades France, keeps UK outlook stable": two acts
    if not (_in_clause(path_a, role_b, path_b, cues) and _in_clause(path_b, role_a, path_a, cues)):
        return None
    if not present and (
        _crosses_other_matter(path_a, path_b[-1] if role_b == "nsubj" and path_b else None, cues)
        or _crosses_other_matter(path_b, path_a[-1] if role_a == "nsubj" and path_a else None, cues)
    ):
        return None
    if any(_compares(t, cues) for t in (*path_a, *path_b)) or (
        _compares(top, cues) and _compared(top, path_a, path_b)
    ):
        return None  # "India overtakes China", "the largest market behind China"
    if _standard(path_a) or _standard(path_b):
        return None  # "a GDP one-quarter that of China"
    if _research_source(path_a) or _research_source(path_b):
        return None  # "China leads in 37 technologies, according to an Australian think tank"
    if role_a == "attr" and not path_a[:-1] or role_b == "attr" and not path_b[:-1]:
        return None  # "India is the next China": the actor is what the other is, not a relation
    if role_a == role_b == "nsubj" and top.pos_ in _VERBAL and _comma_listed(path_a, path_b):
        # "Iran, Saudi Arabia agree to resume ties": a comma list read as two subjects
        # "Iran, Russia separately sign deals", "… reach separate agreements"
        apart = _apart([*path_a[-1].subtree, *path_b[-1].subtree, *top.subtree])
        for path in (path_a, path_b):
            if (
                len(path) > 1
                and _names_relation(path[-1], cues)
                and all(t.dep_ in ("compound", "amod") for t in path[:-1])
            ):
                # "Japan, South Korea summit must overcome history": the list names the noun
                return path[-1], "relation noun", "modifier", "modifier"
        if _mutual(top, cues) and not apart:
            return top, "joint subject", "joint subject", "joint subject"
        return None
    if role_a == role_b == "nsubj" and _says(top, cues) and path_a and path_b:
        # "Pension funds recoiling from China, says Dutch asset manager": the speaker after
        # the verb, what is said before it, read as a second subject
        before_a, before_b = path_a[-1].i < top.i, path_b[-1].i < top.i
        if before_a != before_b:
            if before_a:
                role_a = "ccomp"
            else:
                role_b = "ccomp"
    if role_a == role_b and not role_a.endswith("-object"):
        if top.pos_ in _NOUNS and len(path_a) == len(path_b) == 1:
            return _listed_modifiers(a, b, top, cues)  # "Iranian, Russian envoys meet"
        return None  # two subjects or two objects of one predicate: co-fillers, not a relation
    if _edges(path_a) + _edges(path_b) > MAX_EDGES:
        return None  # too far apart in the sentence's tree to be one act
    direct_a, direct_b = _direct(path_a), _direct(path_b)
    if not (direct_a or direct_b) and top.pos_ not in _NOUNS:
        return None  # both buried in other phrases of someone else's act
    if (direct_a and _locative(path_a, cues) and not direct_b) or (
        direct_b and _locative(path_b, cues) and not direct_a
    ):
        return None  # a place the other actor is not the one present in
    if _locative(path_a, cues) and _locative(path_b, cues):
        return None  # two places of one thing: "recorded at stations across Laos and in China"
    # a participle among the modifiers is an act: "Russia's Iranian-made drones"
    nominal_only = all(
        (t.dep_ in _NOMINAL or t.dep_ == "conj") and (t.pos_ != "VERB" or t in (a, b))
        for t in [*path_a, *path_b]
    )
    if not (nominal_only and top.pos_ == "VERB") and top.pos_ in _VERBAL:
        for this, tok, other in ((role_a, a, role_b), (role_b, b, role_a)):
            if this in _NO_ROLE and other == "nsubj" and tok.i < top.i:
                # "Iran, Russia expand partnership": a comma list read as an adverbial noun
                if _mutual(top, cues) or (people and not _compares(top, cues)):
                    return top, "joint subject", "joint subject", "joint subject"
                return None
        role_a, role_b = (
            _argument(role_a, a, role_b, top, path_a),
            _argument(role_b, b, role_a, top, path_b),
        )
        if "" in (role_a, role_b):
            return None  # no argument of a verb: a list or a fragment the parser misread
    if nominal_only and top.pos_ == "VERB":
        # a noun's modifier hanging from a verb is a subject or object the tagger misread
        # ("Putin greets Kim Jong Un" read as a compound and an apposition)
        role_a = "nsubj" if a.i < top.i else "dobj"
        role_b = "nsubj" if b.i < top.i else "dobj"
        if role_a == role_b:
            return None
    elif nominal_only:
        if not path_a or not path_b:
            # one actor modifies the other directly: "Russia-North Korea ties", "Putin's Russia"
            found = _relation_noun(top, cues, "compound", role_a, role_b, [*path_a, *path_b])
            return found or _joint_body(a, b, top)
        # both modify one noun: a relation only when the noun names one, a journey's
        # traveller and where it goes ("Kim's Russia trip"), or a list of modifiers that is
        # the subject of a joint act ("Iranian, Russian envoys meet")
        journey = _journey(top, path_a, path_b) or _journey(top, path_b, path_a)
        if journey is not None:
            return journey
        found = _relation_noun(top, cues, "relation noun", role_a, role_b, [*path_a, *path_b])
        if found is None:
            found = _owners_topic(top, path_a, path_b)
        if found is None:
            turned = _owners_topic(top, path_b, path_a)
            found = turned and (turned[0], turned[1], turned[3], turned[2])
        if found is None and len(path_a) == len(path_b) == 1:
            return _joint_body(a, b, top) or _listed_modifiers(a, b, top, cues)
        return found
    if top.pos_ == "NOUN" and _is(top, cues, "boundaries"):
        return None  # "a drama set on China's border with North Korea": a place they share
    said = _says(top, cues)  # a clause under any other verb is what it makes or wants happen
    return (
        top,
        _how(role_a, role_b),
        _named(role_a) if said or role_a != "ccomp" else "complement",
        _named(role_b) if said or role_b != "ccomp" else "complement",
    )


#: Verbs of talking about a matter: their object, or the object of "on", "over" or
#: "about", is a topic ("discuss tensions with …", "focus on Ukraine and China").
_DISCUSSING = frozenset(
    {"discuss", "focus", "address", "talk", "square", "debate", "tackle", "cover"}
)


#: Nouns of papers whose "on" or "about" is what they are about ("memos on …").
_DOCUMENTS = frozenset(
    {"memo", "document", "material", "briefing", "paper", "file", "dossier", "note"}
)


#: Verbs of arriving somewhere, or of travel there.
_ARRIVALS = frozenset({"arrive", "land", "reach", "visit", "tour"}) | _MOVES


def _object_of_misread_verb(path: list[Token], top: Token) -> bool:
    """Whether an actor is the object of a verb the tagger read as the subject noun of
    another verb: in "Moody's downgrades France, keeps UK outlook stable", "downgrades"
    is a noun with an object, the subject of "keeps". Only a verb takes an object, so
    the actor is the object of an act of its own, beside the second one, not its
    subject."""
    return (
        len(path) >= 2
        and path[-1].dep_ == "nsubj"
        and path[-1].pos_ == "NOUN"
        and path[-1].head.i == top.i
        and any(t.dep_ == "dobj" and t.head.i == path[-1].i for t in path[:-1])
    )


def _visit_by(top: Token, path: list[Token], other_role: str) -> bool:
    """Whether an actor is the "by" of a journey that is the circumstance of a verb's
    arrival at the other side: "Bennett lands in Abu Dhabi *in (the) first visit by an
    Israeli prime minister*". The journey's visitor is who arrives, whoever the subject
    is called (a surname the gazetteer cannot tell alone)."""
    if top.lemma_.lower() not in _ARRIVALS or other_role not in ("in-object", "to-object", "dobj"):
        return False
    for k, tok in enumerate(path[1:], 1):
        if tok.dep_ == "prep" and tok.lower_ == "by":
            rest = path[k + 1 :]  # the journey and its preposition, then the verb
            return (
                len(rest) == 2
                and rest[0].lemma_.lower() in _JOURNEY_NOUNS
                and rest[1].lower_ in ("in", "on", "during", "for")
                and rest[1].head.i == top.i
                and all(t.dep_ in (*_NOMINAL, "pobj") for t in path[:k])
            )
    return False


def _listed_topic(actor: Token) -> bool:
    """Whether an actor is one of a list of topics of talks with others: the list is the
    object of a verb of ``_DISCUSSING``, or of its "on"/"over"/"about", or what its
    object's relation is with ("discuss tensions *with* China, Russia and North Korea"),
    and the talks are others' too — the verb's subject is a list or a pair ("the two
    leaders"), or a meeting is told
    around it ("Beijing and Tokyo square off over military buildup, Russia and spy
    balloons in a security dialogue", "Yoon will focus on Ukraine and China in a meeting
    with Biden", "officials are meeting to discuss tensions with China, Russia …"). A
    listed topic of someone's talks is no act of the talkers on it (the labelling
    guide's members of a list); so is one of a list papers are about ("intelligence
    memos on Iran, the UK and Ukraine"). One topic alone is left to the other
    readings."""
    first = _first_conjunct(_named_head(actor))
    if len(_conjuncts(first)) < 2:
        return False
    verb = first.head
    if (
        first.dep_ == "pobj"
        and verb.lower_ in ("on", "about", "concerning", "regarding")
        and verb.head.lemma_.lower() in _DOCUMENTS
    ):
        return True  # "memos on Iran, the UK and Ukraine": what papers are about
    if first.dep_ == "pobj" and verb.lower_ in ("on", "over", "about", "with"):
        prep, verb = verb, verb.head
        if prep.lower_ == "with":  # "tensions with …": the relation noun is the topic
            if verb.dep_ != "dobj" or verb.pos_ not in _NOUNS:
                return False
            verb = verb.head
    elif first.dep_ != "dobj":
        return False
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _DISCUSSING:
        return False
    clause = verb.head if verb.dep_ in ("advcl", "xcomp") else verb
    subjects = [c for c in clause.children if c.dep_ in _SUBJECTS]
    if any(c.dep_ == "conj" or c.lower_ in ("two", "both") for s in subjects for c in s.children):
        return True  # "Beijing and Tokyo square off over …", "the two leaders discuss …"
    topics = {t.i for m in _conjuncts(first) for t in m.subtree}
    return any(
        t.i not in topics and t.lemma_.lower() in ("meet", "meeting", "summit", "talks")
        for t in clause.subtree
    )


#: Words that deny the act they modify.
_DENIALS = frozenset({"not", "n't", "never", "no"})


#: Nouns of what an act means for a party, not what it does to it: "… , a setback for
#: Russia", "… in a blow to Moscow", "… as a win for Beijing".
_CONSEQUENCES = frozenset(
    {"setback", "blow", "defeat", "boost", "win", "victory", "coup", "loss", "gift", "headache"}
    | {"embarrassment", "humiliation", "snub", "triumph", "relief", "disappointment"}
)


def _consequence_for(path: list[Token]) -> bool:
    """Whether an actor is only who an act is good or bad for: the object of "for" or "to"
    on a noun of ``_CONSEQUENCES`` told beside the act (an apposition, "in" or "as" a
    setback), not one the act deals ("Ukraine dealt a blow to Russia" acts on Russia)."""
    for pos, tok in enumerate(path[:-1]):
        if tok.dep_ != "pobj" or tok.head.lower_ not in ("for", "to"):
            continue
        noun = path[pos + 2] if pos + 2 < len(path) else None
        if noun is None or noun.lemma_.lower() not in _CONSEQUENCES or noun.pos_ != "NOUN":
            continue
        after_comma = (
            noun.left_edge.i > 0 and noun.doc[noun.left_edge.i - 1].text == ","
        )  # "…, a setback for Egypt's budget" read as a second object
        if (
            noun.dep_ in ("appos", "npadvmod")
            or (noun.dep_ == "pobj" and noun.head.lower_ in ("in", "as"))
            or (noun.dep_ == "dobj" and after_comma)
        ):
            return True
    return False


def _negated(top: Token, path_a: list[Token], path_b: list[Token]) -> bool:
    """Whether the thing that joins them is denied: "said not a word about China",
    "has no plans to meet Kim".

    Only a denied noun counts. A denied verb is often itself the relation
    ("will not attend a meeting in India" is a boycott; "never abandon its
    ally") and is left to the roles.
    """
    for tok in (top, *path_a[1:], *path_b[1:]):
        if tok.pos_ == "NOUN" and any(
            c.dep_ in ("neg", "det") and c.lower_ in _DENIALS for c in tok.children
        ):
            return True
    return False


#: What separates the parties named before a relation noun ("US-China", "US/China").
_PARTY_SEPARATORS = frozenset({"-", "–", "—", "/", "and", "&", ","})
#: The separators that pair two names into one ("US-China", "India/Pakistan").
_PAIRING = frozenset({"-", "–", "—", "/"})


def _party_elsewhere(actor: Token, other: Token, cues: CueBook) -> bool:
    """Whether the actor is one party of a relation noun that names another party, not
    ``other`` ("US-China tensions", "China-West rivalry").

    The relation is the actor's with that party; someone acting on a strain between
    them ("India aims to capitalise on US-China tensions") acts on a relation of others.
    A bond is not such a relation: what is done to an alliance, a deal or talks is done
    to their parties. A noun that names no relation is no party's ("South Korean, Taiwan
    chip makers keep operations in China": the list is the makers' origin), but a pair a
    hyphen joins is ("US-bound passengers").
    """
    tok = actor
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ == "NOUN":
            break
    if tok.i == actor.i or tok.pos_ != "NOUN":
        return False
    start = tok.left_edge.i
    if start <= other.i <= tok.i:
        return False
    groups: list[list[Token]] = [[]]
    for t in tok.doc[start : tok.i]:
        if t.lower_ in _PARTY_SEPARATORS:
            groups.append([])
        elif t.dep_ not in ("det", "poss", "case"):
            groups[-1].append(t)
    named = [g for g in groups if any(t.pos_ == "PROPN" or t.lower_ == "west" for t in g)]
    if len(named) < 2 or not any(actor.i in {t.i for t in g} for g in named):
        return False
    if not _ends_a_member(actor, tok):
        return False  # "a Peruvian J-Pop star": the hyphen joins another name's words
    # a pair a hyphen or a slash joins names a relation ("US-China chip war"); a list of
    # origins with "," or "and" does only before a noun of relation
    joined = any(t.lower_ in _PAIRING for t in tok.doc[start : tok.i])
    strain = _is(tok, cues, "attacks") or tok.lemma_.lower() in _STRAINS
    relation = _names_relation(tok, cues)
    if (relation and not strain or _is(tok, cues, "exercises")) and (
        _acted_on(tok) or _answer_to(tok)
    ):
        # a bond or a joint exercise of the actor's with a third: what a verb does to it
        # is done to its parties ("China lashes out against the US-Philippines alliance",
        # "Lula backs Russia-Ukraine talks", "the Saudi-Iran deal was secured by Xi's
        # intervention", "Peru unveils a base in response to Chile-Bolivia drills")
        return False
    return joined or strain or relation


def _ends_a_member(actor: Token, noun: Token) -> bool:
    """Whether a name before a noun ends one member of the list of parties in front of it:
    the next word (past a possessive "'s") is a separator, or no other name comes before
    the noun ("US-China tensions", "a US-China chip war", "the US, Japan and South Korea
    alliance"). A name followed by another name's words is not a member of a list those
    words make ("a Peruvian J-Pop star": the hyphen is in "J-Pop")."""
    after = actor.i + 1
    while after < noun.i and actor.doc[after].dep_ == "case":
        after += 1
    if after == noun.i or actor.doc[after].lower_ in _PARTY_SEPARATORS:
        return True
    return not any(t.pos_ == "PROPN" for t in actor.doc[after : noun.i])


def _bond_acted_on(noun: Token, cues: CueBook) -> bool:
    """Whether a noun is a bond (a relation noun but a strain) that a verb acts on or an
    answer answers: what is done to it is done to its parties."""
    return (
        noun.pos_ == "NOUN"
        and _names_relation(noun, cues)
        and noun.lemma_.lower() not in _STRAINS
        and not _is(noun, cues, "attacks")
        and (_acted_on(noun) or _answer_to(noun))
        # not where or when something else happens ("reached at a meeting in Beijing
        # between …": the meeting's place)
        and not (noun.dep_ == "pobj" and noun.head.lower_ in _PLACE_OR_TIME)
    )


#: Prepositions of where or when, whose object is a circumstance, not what is acted on.
_PLACE_OR_TIME = _PLACE_PREPOSITIONS | _DURING | {"on", "before", "since"}


#: Nouns of research and its makers: "according to" one, a side's people or body only
#: report what they found.
_RESEARCH = frozenset(
    {"report", "study", "survey", "poll", "analysis", "research", "researcher", "thinktank"}
    | {"tank", "institute", "university", "academic", "scientist", "index", "ranking"}
)


def _research_source(path: list[Token]) -> bool:
    """Whether an actor is only the source of a finding: it stands in what "according to"
    names, and that is research or its maker ("China leads in 37 of 44 technologies,
    according to a report by an Australian think tank"). A side's own government or
    official "according to" whom something happened is no research and stays."""
    at = next((i for i, t in enumerate(path) if t.lower_ in _ATTRIBUTING), None)
    if at is None:
        return False
    inside = path[:at]
    return any(
        w.pos_ == "NOUN" and w.lemma_.lower() in _RESEARCH
        for t in inside
        for w in (t, *(c for c in t.children if c.dep_ == "compound"))
    )  # "a research group", "a think tank"


def _acting_verb(noun: Token) -> Token:
    """The verb a noun is the subject or object of, or the object of its preposition."""
    return noun.head.head if noun.dep_ == "pobj" else noun.head


def _answer_to(noun: Token) -> bool:
    """Whether a noun is what an answer answers: "in response to …", "in retaliation for
    …"."""
    return (
        noun.dep_ == "pobj"
        and noun.head.lower_ in ("to", "for", "against")
        and noun.head.head.lemma_.lower() in _ANSWER_NOUNS
    )


def _acted_on(noun: Token) -> bool:
    """Whether a noun is an argument of a verb: its subject or object, or the object of
    its preposition ("lashes out *against* the alliance"), not a phrase of another noun
    ("a mediator in Saudi and Iran relations")."""
    if noun.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr", "pobj"):
        return False
    return _acting_verb(noun).pos_ in _VERBAL


#: Relation nouns of a strain between two: acting amid or on one ("capitalise on US-China
#: tensions") is about them, not toward either.
_STRAINS = frozenset(
    {"tension", "rivalry", "rival", "dispute", "rift", "row", "spat", "standoff", "feud"}
    | {"conflict", "confrontation", "competition", "race", "divide", "war", "fight"}
    | {"battle", "clash", "enmity", "hostility", "split"}
)


def _motive(path: list[Token], other_role: str, other_path: list[Token], cues: CueBook) -> bool:
    """Whether the other actor, the subject, acts in answer to this one: amid or despite
    an attitude this actor holds or is the matter of, in the face of it, or as such an
    attitude grows.

    "Japan and India held drills amid worries about China's assertiveness",
    "Manila named new bases despite objections from China", "Japan, India hold
    drills as China concerns grow", "… cooperation in the face of an assertive
    China". The attitude is a noun of the cue book's ``attitudes``; the actor
    modifies it ("China fury", "Chinese objections") or is what it is about or
    from ("fears of China", "objections from China"), and every noun between is
    an attitude too ("worries about China's *assertiveness*"): "amid concerns
    over Russia's economy", "fears of a China slowdown" are about a thing, not
    the side. The other actor is the subject itself, or a member or modifier of
    it ("Indian officials"), not a name inside it ("critics of India"). The
    circumstance must hang from the subject's own verb.
    """
    if other_role != "nsubj" or not path or not _subject_itself(other_path):
        return False
    if path[0].dep_ == "pobj" and len(path) == 4:
        # "in the face of China": the actor itself is what the act answers
        of, face, at = path[1], path[2], path[3]
        if (of.lower_, face.lower_, at.lower_) == ("of", "face", "in") and at.dep_ == "prep":
            return True
    i = 0
    while True:
        tok = path[i]
        owned = tok.dep_ in ("poss", "compound", "amod", "nmod")
        if owned:
            j = i + 1
        elif tok.dep_ == "pobj" and i + 1 < len(path) and path[i + 1].lower_ in _TOPICS:
            j = i + 2
        else:
            return False
        if j >= len(path):
            return False
        noun = path[j]
        # a relation this actor alone names is the subject's with it: "Australia boosts its
        # navy amid China tensions" (a second party, "US-China tensions", is caught before)
        relation = (
            owned
            and i == 0
            and _is(noun, cues, "relations")
            and not any(
                o.pos_ == "PROPN" or o.ent_type_ in ("GPE", "NORP")
                for c in noun.children
                if c.dep_ == "prep" and c.lower_ in ("with", "between", "among")
                for o in c.children
                if o.dep_ == "pobj"
            )  # "amid China tensions with the Philippines": China's with another
        )
        if noun.pos_ != "NOUN" or not (relation or _is(noun, cues, "attitudes")):
            return False
        if _answered(noun, path[j + 1 :]):
            return True
        i = j  # an attitude inside another: "worries about China's assertiveness"


def _subject_itself(path: list[Token], subjects: tuple[str, ...] = ("nsubj",)) -> bool:
    """Whether a path is a subject (of ``subjects``), a member of one or a modifier of one
    ("India", "Japan and India", "Indian officials", "Iran sanctions" of "… to be
    lifted"), not a name inside a phrase of it."""
    return (
        bool(path)
        and (path[-1].dep_ in subjects or ("nsubj" in subjects and _misread_subject(path[-1])))
        and all(t.dep_ in ("conj", "amod", "compound", "poss", "nmod") for t in path[:-1])
    )


def _reaction(
    top: Token, path: list[Token], other_role: str, other_path: list[Token], cues: CueBook
) -> bool:
    """Whether the other actor, the subject, voices an attitude at this actor's act: the
    verb voices a noun of ``attitudes`` ("issued a warning", "voiced concern") and this
    actor does what the verb's circumstance tells — as its subject or a member of it
    ("… as the US and the Philippines stage drills"), or as the partner or agent of
    its noun ("during US drills *with the Philippines*", "after strikes *by Iran*").
    A thing of the actor's is no act of it ("after Iran's earthquake", "during the
    Iranian elections"), nor is a clause with another subject ("as analysts in Russia
    predicted …")."""
    if other_role != "nsubj" or len(path) < 2 or not _subject_itself(other_path):
        return False
    voices = (
        top.lemma_.lower() in _VOICES
        and any(c.dep_ == "dobj" and _is(c, cues, "attitudes") for c in top.children)
    ) or any(
        # "Moscow vows countermeasures as Finland joins NATO": an answer named as such
        c.dep_ == "dobj" and c.lemma_.lower() in _ANSWER_NOUNS
        for c in top.children
    )
    if not (voices or _answers(top)):
        return False  # "is facing pressure as Russia …" receives an attitude, voices none
    if len(path) > 2 and path[-1].dep_ == "dobj" and path[-1].lemma_.lower() in _ANSWER_NOUNS:
        path = path[:-1]  # the clause of time hung from the answer: "vows countermeasures as"
    last = path[-1]
    if last.dep_ == "advcl":
        marks = {c.lower_ for c in last.children if c.dep_ == "mark"}
        # the actor is the clause's subject, a member of it or its owner ("as Chinese
        # bombers approach"), not a name elsewhere in the clause
        own = path[-2].dep_ in _SUBJECTS and all(t.dep_ in _NOMINAL | {"conj"} for t in path[:-2])
        # "while" sets a contrast as often as a time: "protested …, while Russia stayed silent"
        return bool(marks & (_WHILE if voices else _WHILE - {"while"})) and own
    if not voices:
        return False
    # "during drills with the Philippines": the actor, the partner of the act's noun
    return (
        len(path) == 4
        and last.dep_ == "prep"
        and last.lower_ in _DURING
        and path[0].dep_ == "pobj"
        and path[1].lower_ in _PARTNERS
        and path[2].dep_ == "pobj"
    )


def _answers(verb: Token) -> bool:
    """Whether a verb of ``_REACTS`` answers whatever its clause of time tells: not when it
    names what it answers ("responds *to the earthquake* as …") or is a hurry to do
    something ("scrambles *to contain* bird flu as …")."""
    if verb.lemma_.lower() not in _REACTS:
        return False
    return not any(
        c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("to", "against"))
        for c in verb.children
    )


def _answered(attitude: Token, above: list[Token]) -> bool:
    """Whether an attitude noun is a circumstance of the verb right above ``above``:
    "amid …", "despite …", "in the face of …", "as … grow". The parser often hangs such
    a phrase from the verb's object ("names new bases amid China fury"); a circumstance
    is the act's all the same."""
    if above and above[-1].dep_ == "dobj":
        above = above[:-1]
    if attitude.dep_ == "pobj" and len(above) == 1:
        return above[0].lower_ in _ANSWERING and above[0].dep_ == "prep"
    if attitude.dep_ == "pobj" and len(above) == 3:
        return [t.lower_ for t in above] == ["of", "face", "in"] and above[2].dep_ == "prep"
    if attitude.dep_ == "nsubj" and len(above) == 1:
        verb = above[0]
        return (
            verb.dep_ == "advcl"
            and verb.lemma_.lower() in _GROWS
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
        )
    return False


def _posted_for_another(path: list[Token], other: Token) -> bool:
    """Whether the actor is only where someone else's person or thing is sent or stands:
    the object of "to" or "in" on a subject noun that has an owner of its own who is not
    the other actor ("the US envoy to Japan slammed Xi", "US troops in Japan tracked …").
    What that noun does is its owner's act; "the Japanese embassy in China protested"
    keeps its owner, the other, and "the US plans to ban G7 exports to Russia" acts on
    what goes to Russia."""
    if len(path) < 3 or path[0].dep_ != "pobj" or path[1].dep_ != "prep":
        return False
    if path[1].lower_ not in ("to", "in"):
        return False
    noun = path[2]
    if noun.pos_ != "NOUN" or noun.dep_ not in ("nsubj", "nsubjpass"):
        return False  # "a plan to ban G7 exports to Russia": acting on them is acting on Russia
    owners = [
        c
        for c in noun.children
        if c.i < noun.i
        and (c.dep_ == "poss" or (c.dep_ in ("compound", "nmod", "amod") and c.text[:1].isupper()))
    ]
    return bool(owners) and all(other.i not in {t.i for t in o.subtree} for o in owners)


def _owned_together(first: Token, second: Token, cues: CueBook) -> Token | None:
    """The relation noun two names joined by "and" own together, which the parser read as
    the second name's noun joined to the first name: "Peru and Chile's ties are strong"
    ("Peru and [Chile's ties]"). Not a relation with a third ("Peru and Chile's ties with
    Bolivia": each one's)."""
    noun = second.head
    if second.dep_ != "poss" or noun.dep_ != "conj" or noun.head.i != first.i:
        return None
    between = [t.lower_ for t in first.doc[first.i + 1 : second.i]]
    if between != ["and"] or not _names_relation(noun, cues):
        return None
    if any(
        c.dep_ == "prep" and c.lower_ in ("with", "to", "between", "among", "against")
        for c in noun.children
    ):
        return None
    return noun


def _acts(path: list[Token], other_role: str) -> bool:
    """Whether the relation an actor is a party of is itself the subject of the act on the
    other actor: "the US-Philippines pact could counter China" (both parties act through
    it), unlike "India capitalises on US-China tensions" (the relation is acted on). A
    strain between two is no act of theirs on a third it harms ("the US-Peru chip war
    could hurt Chile's tech giants")."""
    nominal = [t for t in path if t.dep_ not in _NOMINAL]
    return (
        bool(nominal)
        and nominal[0].dep_ == "nsubj"
        and nominal[0].pos_ == "NOUN"
        and nominal[0].lemma_.lower() not in _STRAINS
        and len(nominal) == 1
        and other_role in ("dobj", "dative")
    )


def _misread_list(a: Token, b: Token) -> bool:
    """Two names with only a comma between them, the second read as an apposition of
    something else and the first the object of a preposition or verb: co-objects of a
    list the parser broke ("tensions over China, North Korea")."""
    first, second = (a, b) if a.i < b.i else (b, a)
    if second.dep_ != "appos" or second.head.i == first.i or first.dep_ not in ("pobj", "dobj"):
        return False
    start = second
    while True:  # the second name's first word ("North Korea", "the Philippines")
        left = [
            c for c in start.children if c.i < start.i and c.dep_ in ("compound", "det", "amod")
        ]
        if not left:
            break
        start = min(left, key=lambda t: t.i)
    between = first.doc[first.i + 1 : start.i]
    return len(between) == 1 and between[0].text == ","


def _another_noun(path: list[Token], other: list[Token]) -> bool:
    """Whether each actor only modifies its own noun, and a list joins the two nouns.

    "Russia's war in Ukraine and Iran's treatment of protesters": "Iran"
    owns "treatment", which the list joins to something of Russia's — two
    matters side by side, not one act between the actors. When the other
    actor acts ("Russia unleashed missiles and Iran-made drones"), the list
    is what it acts on.
    """
    if not all(t.dep_ in _NOMINAL for t in other):
        return False
    for pos, tok in enumerate(path[1:], start=1):
        # "China's regime, Putin's plans": a list the parser read as an apposition
        listed = tok.dep_ == "conj" or (tok.dep_ == "appos" and bool(other))
        if listed and tok.pos_ == "NOUN":
            return all(t.dep_ in _NOMINAL for t in path[:pos])
        if tok.dep_ not in _NOMINAL:
            return False
    return False


def _place_of_another(path: list[Token], other: list[Token], top: Token, cues: CueBook) -> bool:
    """Whether the actor is only where some third thing is ("ministers in India").

    The actor is the object of a preposition of place on a noun that is
    itself in a prepositional phrase ("at a meeting of ministers in India",
    "on the sidelines of a summit in New Delhi, India") and is neither the
    shared node nor on the other actor's way to it: the place of someone
    else's meeting. "Kim held talks in Russia" (the noun is the verb's own
    object) and "Chinese troops in India" (the other actor's own noun) stay.
    """
    # the actor is the place itself ("in New Delhi, India"), not a modifier of it
    # ("in a Russian factory": the factory is an actor's)
    edges = [t for t in path if t.dep_ not in ("appos", "compound", "conj")]
    if len(edges) < 2 or edges[0].dep_ != "pobj" or edges[1].dep_ != "prep":
        return False
    prep = edges[1]
    if not _of_place(prep, cues) or prep.head.pos_ not in ("NOUN", "PROPN"):
        return False
    noun = prep.head
    if noun.ent_type_ in ("DATE", "TIME"):
        return False  # "jailed for 15 years in Tanzania": the parser hangs the verb's place on
        # its time
    return noun.dep_ == "pobj" and noun.i != top.i and all(noun.i != t.i for t in other)


#: Verbs whose subject is where their "at", "in" or "to" is: arriving, travelling, staying,
#: being.
_PRESENCE = _ARRIVALS | {"be", "remain"}
#: Prepositions that put a subject where their object is, or among those who are there.
_AT_ONES_PLACE = frozenset({"at", "in", "to", "into", "inside", "among"})


def _where_one_is(place: list[Token], other: list[Token], top: Token) -> bool:
    """Whether the actor is where the other actor arrives or is, one phrase down: "landed
    at Jomo Kenyatta airport *in Nairobi*", "is at State House *in Nairobi*", "was among
    the leaders *in Nairobi*". The other actor is the subject of a verb of arrival or
    presence (``_PRESENCE``); the noun the place is in is that verb's own "at", "in",
    "to" or "among" — where the subject is, not the venue of a third party's act ("refused
    at a meeting of ministers in India", :func:`_place_of_another`) nor of a gathering
    ("the two nations' diplomats head to a security conference in Germany")."""
    edges = [t for t in place if t.dep_ not in ("appos", "compound", "conj")]
    if len(edges) != 4 or [t.dep_ for t in edges] != ["pobj", "prep", "pobj", "prep"]:
        return False
    if edges[1].lower_ not in ("in", "at") or edges[3].lower_ not in _AT_ONES_PLACE:
        return False
    if edges[2].lemma_.lower() in _GATHERINGS:
        return False  # "head to a security conference in Germany": the gathering's venue
    subject = [t for t in other if t.dep_ not in ("appos", "compound", "conj", "poss")]
    return (
        top.pos_ in _VERBAL
        and top.lemma_.lower() in _PRESENCE
        and edges[3].head.i == top.i
        and len(subject) == 1
        and subject[0].dep_ == "nsubj"
    )


#: Verbs of meeting, whose place is only the venue when a third party meets there.
_MEETS = frozenset({"meet", "talk", "confer", "negotiate", "attend"})


#: Prepositions of where something happened.
_WHERE = frozenset({"in", "at", "on", "off", "near"})


def _located(role: str) -> bool:
    """Whether a role at a predicate is where it happened ("in-object", "off-object" …)."""
    return role.endswith("-object") and role.split("-")[0] in _WHERE


def _accident_in(top: Token, a: Token, b: Token, cues: CueBook) -> bool:
    """Whether one side is harmed in an accident and the other is only where it happened:
    a verb of ``harms`` with an accident of the cue book's ``accidents`` in it ("killed
    in a bus crash"), the other side the object of "in", "at", "on", "off" or "near" of
    that verb ("… in southwest China", "dies in crash on Polish motorway") or a place's
    name on the accident ("killed in Karachi traffic accident"). Nobody of the place's
    state acts; the guide's "a place only". An accident or a storm that does the act
    itself links nobody ("Floods in Brazil spread into northern Argentina",
    "sandstorms spread from China to South Korea"). An attack is no accident ("killed
    in a Russian strike")."""
    pred = _predicate(top, a, b)
    if pred.pos_ in _VERBAL and any(
        c.dep_ == "nsubj" and _is(c, cues, "accidents") for c in pred.children
    ):
        return True  # "Floods in Brazil spread into Argentina": nobody acts, only places
    if _died_at(pred, a, b):
        return True  # "German climber dies on Russia's Mount Elbrus"
    if pred.pos_ in _VERBAL and (
        _is(pred, cues, "accidents")
        or any(
            c.dep_ in ("advmod", "prt", "acomp") and _is(c, cues, "accidents")
            for c in pred.children
        )
    ):
        # a vessel's own accident: "Russian-flagged tanker sinks … off Vietnam", "runs
        # aground near Palawan, in the Philippines"
        roles = (_role_at(pred, a, ""), _role_at(pred, b, ""))
        if "subject" in roles and any(_located(r) for r in roles):
            return True
    if not _is(pred, cues, "harms"):
        return False
    accidents = [
        g
        for c in pred.children
        if c.dep_ == "prep"
        for g in c.children
        if g.dep_ == "pobj" and _is(g, cues, "accidents")
    ]
    if not accidents:
        return False
    inside = [side for side in (a, b) if any(side in g.subtree for g in accidents)]
    if inside:
        # a place's name on the accident is where it happened ("killed in Karachi traffic
        # accident"); "killed in a Chinese crash" leaves it to the other readings
        return len(inside) == 1 and inside[0].pos_ == "PROPN" and inside[0].dep_ == "compound"
    roles = (_role_at(pred, a, ""), _role_at(pred, b, ""))
    return any(_located(r) for r in roles)


#: Lemmas of dying with no one who kills: "dies", "drowns", "deaths".
_DYING = frozenset({"die", "drown", "perish", "death"})
#: People whose death abroad is a war's: "Russian soldier dies in Ukraine" is no accident.
_COMBATANTS = frozenset(
    {"soldier", "troop", "fighter", "mercenary", "serviceman", "pilot", "marine", "sailor"}
)


def _has_agent(verb: Token) -> bool:
    """Whether a verb has someone who does it: a passive's agent or its "by"."""
    return any(c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by") for c in verb.children)


def _died_at(pred: Token, a: Token, b: Token) -> bool:
    """Whether one side's person dies, with no one who kills, where the other side is only
    the named place ("German climber dies on Russia's Mount Elbrus", "Russian deaths in
    India"): the guide's "a place only". A place named by its adjective ("dies in Russian
    custody") is its state's doing and stays with the other readings; so does a combatant's
    death ("soldier dies in Ukraine")."""
    if pred.lemma_.lower() not in _DYING:
        return False
    if _has_agent(pred):
        return False
    for person, place in ((a, b), (b, a)):
        if not _located(_role_at(pred, place, "")) or place.pos_ != "PROPN":
            continue
        who = _up_the_phrase(person, lambda t: t.pos_ == "NOUN", _NAMING)
        if who.lemma_.lower() in _COMBATANTS:
            continue
        if _role_at(pred, person, "") in ("subject", "modifier"):
            return True
    return False


def _venue_of_others(
    a: Token, b: Token, top: Token, side_a: set[int], side_b: set[int], thirds: set[int]
) -> bool:
    """Whether one actor is only the venue of a meeting a third party takes part in: the
    actor is the place of "in" on a verb of meeting or attending, on the meeting or
    gathering a verb holds or attends ("hold a meeting *in China*", "attend a security
    conference *in Germany*"), or on a partner of a verb of meeting, where the parser
    hangs it ("met with a top Chinese diplomat *in Germany*" is where they met); and
    among its subject, object or "with" partner stands a country or people of neither
    side, or a name of the gazetteer of neither side (``thirds``) — "Saudi Arabia and
    Iran's top diplomats met *in China*", "Kim met Xi *in Vladivostok*". The verb may
    be a clause of the act read with no subject of its own ("plan *to attend* …"). The
    guide's "a place only": the venue hosts nothing. A person the gazetteer does not
    know is no third party (the host's minister often is one: "met Wang Yi in
    Beijing"); "Kim met Putin in Moscow", "ministers from Russia and Iran met in
    Moscow" (the place's side takes part), arrivals and visits ("Russian and Chinese
    warships arrived in Iran"), and acts on something there ("condemned the US drills
    in the Philippines") stay. ``side_a`` and ``side_b`` are the tokens of each side's
    names (``a``'s and ``b``'s)."""
    for place, mine, theirs in ((a, side_a, side_b), (b, side_b, side_a)):
        path = _below(_ancestors(place), top)
        if (
            path[1:2]
            and path[0].dep_ in ("amod", "poss")
            and (
                path[1].lemma_.lower() in _PLACE_NOUNS
                or (
                    path[0].dep_ == "poss"
                    and path[1].dep_ == "pobj"
                    and path[1].head.lower_ == "in"
                )
            )
        ):
            path = path[1:]  # "in *the Turkish capital*", "in *South Korea's Gyeongju*"
        if len(path) > 2 and path[0].dep_ == "compound" and path[1].lower_ in _GATHERINGS:
            at = path[2]
            if (
                at.lower_ == "of"
                and at.head.lower_ == "sidelines"
                and at.head.dep_ == "pobj"
                and at.head.head.lower_ in ("on", "at")
            ):
                at = at.head.head  # "on the sidelines *of a Buenos Aires conference*"
            if path[1].dep_ == "pobj" and at.lower_ in ("at", "during", "on"):
                # "fight *at Turkey Conference*": the side's gathering, where they met
                act = _meeting_at(at.head, gathered=True)
                if (
                    act is not None
                    and _same_act(act, top)
                    and _third_partner(act, top, at, mine, theirs, thirds)
                ):
                    return True
            continue
        if not path or path[0].dep_ == "compound":
            continue  # "in *China* border clash": a modifier of the place, not the place
        edges = [t for t in path if t.dep_ not in ("appos", "compound", "conj")]
        if len(edges) < 2 or edges[0].dep_ != "pobj" or edges[1].dep_ != "prep":
            continue
        prep = edges[1]
        if prep.lower_ != "in":
            continue
        if prep.head.pos_ == "NOUN" and prep.head.lower_ in _GATHERINGS:
            # "Trump-Kim summit *in Hanoi*": the parties the meeting noun names
            parties = [
                t
                for c in prep.head.children
                if c.dep_ in ("compound", "amod", "poss", "nmod")
                for t in c.subtree
                if t.i not in theirs
            ]
            if (
                parties
                and not any(t.i in mine for t in parties)
                and any(t.ent_type_ in ("GPE", "NORP") or t.i in thirds for t in parties)
            ):
                return True
        act = _meeting_at(prep.head)
        if (
            act is None
            and prep.head.lower_ in _GATHERINGS
            and prep.head.dep_ == "pobj"
            and prep.head.head.lower_ in ("at", "during")
        ):
            # "separated after a scuffle *during a meeting* … in the Turkish capital"
            act = _meeting_at(prep.head.head.head, gathered=True)
        if act is None or not _same_act(act, top):
            continue
        if _third_partner(act, top, prep, mine, theirs, thirds):
            return True
    return False


#: Nouns of a place a side's name or adjective owns: "in *the Turkish capital*".
_PLACE_NOUNS = frozenset({"capital", "city", "port", "town", "province", "resort", "region"})


def _third_partner(
    act: Token, top: Token, prep: Token, mine: set[int], theirs: set[int], thirds: set[int]
) -> bool:
    """Whether among the subject, object or "with" partner of a meeting ``act`` (or of
    ``top``'s subject, for a clause with none of its own), and their conjuncts, stands a
    country or people of neither side or a name of neither side's (``thirds``), and no
    name of the place's own side (``mine``); the other side's names (``theirs``) and the
    place phrase under ``prep`` aside."""
    partners = [c for c in act.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in partners) and act.i != top.i:
        partners += [c for c in top.children if c.dep_ == "nsubj"]  # "plan to attend"
    partners += [
        o
        for c in act.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for o in c.children
        if o.dep_ == "pobj"
    ]
    partners = [m for p in partners for m in _conjuncts(p)]  # "Kim and Mongolia's president"
    apart = theirs | {t.i for t in prep.subtree}
    named = [t for p in partners for t in _phrase(p) if t.i not in apart]
    if any(t.i in mine for t in named):
        return False  # the place's side takes part: "ministers from Russia and Iran met in Moscow"
    return any(t.ent_type_ in ("GPE", "NORP") or t.i in thirds for t in named)


def _meeting_at(holder: Token, gathered: bool = False) -> Token | None:
    """The verb of meeting whose place an "in" on ``holder`` is: ``holder`` itself (meet,
    talk, attend …), the verb that holds or attends it as a meeting ("held talks in …",
    "attend a conference in …"), or the verb whose partner it is ("met with a Chinese
    diplomat in Germany"). ``gathered``: the place is a gathering's that ``holder``, any
    verb, happens at or during ("fight at Turkey conference")."""
    if holder.pos_ in _VERBAL:
        if gathered or holder.lemma_.lower() in _MEETS:
            return holder
        # "hold final meeting in Lima": the place hung on the verb that holds the meeting
        held = any(c.dep_ == "dobj" and c.lower_ in _GATHERINGS for c in holder.children)
        return holder if held else None
    if holder.pos_ not in _NOUNS:
        return None
    verb = holder.head
    if (
        holder.dep_ == "pobj"
        and verb.lower_ in _MEETING_SPELLS
        and verb.dep_ == "prep"
        and verb.head.pos_ in _VERBAL
        and verb.head.lemma_.lower() in _MEETS
    ):
        return verb.head  # "met for 90 minutes in …": the parser hangs the place on the time
    if holder.dep_ == "pobj" and verb.lower_ == "with" and verb.dep_ == "prep":
        verb = verb.head
    elif holder.dep_ != "dobj":
        return None
    if verb.pos_ not in _VERBAL:
        return None
    if verb.lemma_.lower() in _MEETS:
        return verb  # "met with a top Chinese diplomat in Germany"
    if holder.dep_ == "dobj" and holder.lower_ in _GATHERINGS:
        return verb  # "held a meeting in China", "attend a conference in Germany"
    return None


#: Prepositions of a meeting's span of time ("met for two hours in …").
_MEETING_SPELLS = frozenset({"for", "over"})


def _same_act(verb: Token, top: Token) -> bool:
    """Whether ``verb`` is the act ``top`` or a clause of it with no subject of its own
    ("plan *to attend*"), or ``top`` a partner noun of it."""
    if verb.i == top.i or top.i in {c.i for c in verb.children if c.dep_ == "dobj"}:
        return True
    if top.dep_ == "pobj" and top.head.head.i == verb.i:
        return True  # "met with a diplomat": the diplomat is where the two names meet
    cur = verb
    while cur.dep_ == "xcomp" and not any(c.dep_ in _SUBJECTS for c in cur.children):
        cur = cur.head
        if cur.i == top.i:
            return True
    return False


#: Prepositions of where a traveller goes or stays.
_STAY_AT = frozenset({"in", "to", "at", "into", "across"})


def _ethnic(actor: Token) -> bool:
    """Whether the actor's name is that of a people, not of its state: "*ethnic*
    Azerbaijanis rally in Iran", "ethnic Russian separatists" (the guide's sides are
    states, their governments, forces, companies and citizens)."""
    noun = actor
    for _ in range(2):
        if any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in noun.children):
            return True
        if noun.dep_ not in ("amod", "compound") or noun.head.i == noun.i:
            break
        noun = noun.head
    return actor.i > 0 and actor.doc[actor.i - 1].lower_ == "ethnic"


#: Verbs of living somewhere, for oneself ("Azeris *live* in Iran", "Venezuelans who
#: *settled* in Georgetown").
_LIVING = frozenset(
    {"vacation", "holiday", "live", "reside", "settle", "marry", "wed", "teach", "study", "lecture"}
)
#: Nouns of a stay for pleasure ("flew *on holiday* to …").
_HOLIDAYS = frozenset({"holiday", "holidays", "vacation", "vacations"})


def _private_stay(a: Token, b: Token, cues: CueBook) -> bool:
    """Whether one side is only where people of the other travel or stay for themselves:
    tourists, expats, exiles (the cue book's ``travellers``) or anyone on holiday or
    living there, the
    other side the place of "in", "to" or "at" on them or on their own verb — "Argentine
    tourists flock to Brazilian beaches", "Japanese expats in Bengaluru", "South Korean
    tourists top the list of visitors to Japan", "flew on holiday to Turkey". Nobody
    of the place's state acts, and the travellers act for nobody's state: the guide's
    "a place only". Workers, troops, envoys and delegations are not travellers."""
    for mover, place in ((a, b), (b, a)):
        noun = _first_conjunct(_named_head(place))  # "Brazilian beaches", "India's capital"
        if noun.dep_ == "pobj" and noun.head.lower_ in _EXAMPLES and noun.head.head.pos_ == "NOUN":
            noun = noun.head.head  # "countries including Italy, Greece, Turkey"
        if noun.dep_ == "compound" and noun.head.dep_ == "pobj":
            noun = noun.head  # "expatriates in Doha hotels"
        if noun.dep_ == "appos" and noun.head.dep_ == "pobj":
            noun = noun.head  # "born in Lima, Peru": the city's country is the same place
        # "Argentine tourists", "Saudi families"
        person = _up_the_phrase(mover, lambda t: _is(t, cues, "travellers"), _NAMING)
        if (
            noun.dep_ == "dobj"
            and _is(person, cues, "travellers")
            and person.dep_ == "nsubj"
            and person.head.i == noun.head.i
        ):
            return True  # "Iranian tourists pack Baku's old town": the place they fill
        if noun.dep_ != "pobj" or not (
            noun.head.lower_ in _STAY_AT
            or (noun.head.lower_ == "of" and _is(noun.head.head, cues, "travellers"))
        ):
            continue  # "Chinese residents of Nairobi" live there
        holder = noun.head.head
        holiday = (
            any(
                c.dep_ == "prep" and any(g.lower_ in _HOLIDAYS for g in c.children)
                for c in holder.children
            )
            # "spend the New Year holiday in Azerbaijan"
            or any(c.dep_ == "dobj" and c.lower_ in _HOLIDAYS for c in holder.children)
            or holder.lemma_.lower() in _LIVING
            or holder.lower_ == "born"  # "the Chilean novelist, born in Lima": a birthplace
        )
        if not (_is(person, cues, "travellers") or holiday):
            continue
        if _held_by_authority(person, holder):
            continue  # "a Japanese tourist was arrested in China": the place's state acts
        if holder.i == person.i or _is(holder, cues, "travellers"):
            return True  # "expats in Bengaluru", "… visitors to Japan"
        if person.dep_ == "compound" and person.head.i == holder.i:
            return True  # "tourists flock to …" read as one noun: the verb is theirs
        subjects = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(c.i == person.i for c in subjects):
            return True  # "tourists flock to US theme parks" (a verb the tagger read as a noun)
        if holiday and any(mover.i in {t.i for t in c.subtree} for c in subjects):
            return True  # "the children of Russian officials vacationed in Turkey"
        if holiday and holder.dep_ == "acl" and holder.head.i == person.i:
            return True  # "the Chilean novelist, born in Lima, Peru": where she was born
        if (
            holiday
            and holder.dep_ == "relcl"
            and holder.head.i == person.i
            and any(c.tag_ in ("WP", "WDT") for c in subjects)
        ):
            return True  # "Venezuelans who settled in Guyana's capital"
    return False


#: Acts of a state's authority on a person in its territory ("arrested", "deported").
_AUTHORITY = frozenset(
    {
        "arrest",
        "detain",
        "jail",
        "imprison",
        "sentence",
        "deport",
        "expel",
        "charge",
        "convict",
        "execute",
        "interrogate",
        "prosecute",
        "extradite",
        "fine",
        "ban",
    }
)


def _held_by_authority(person: Token, holder: Token) -> bool:
    """Whether travellers are the ones an authority acts on where they are: the verb
    their stay hangs from, their passive verb or a participle on them is an arrest, a
    detention, a deportation (``_AUTHORITY``) — "a Japanese tourist was arrested in
    China", "Japanese expats in China detained on spying charges". The place's state is
    the agent, even unnamed: the guide's "one acts toward … the other's citizens"."""
    verbs = [holder]
    if person.dep_ in ("nsubjpass", "nsubj"):
        verbs.append(person.head)
    verbs += [c for c in person.children if c.dep_ in ("acl", "relcl")]
    return any(v.lemma_.lower() in _AUTHORITY for v in verbs)


#: Words of help given to someone ("support for Ukraine", "aid package", "help it").
_AID = frozenset({"support", "aid", "help", "assistance", "backing", "solidarity", "package"})
#: Nouns of a war one side wages whose "against" or "with" is its enemy ("Ukraine's fight
#: against Russia").
_FIGHTS = frozenset({"fight", "war", "struggle", "resistance", "defence", "defense"})


def _aid_against(
    top: Token, a: Token, b: Token, sides: set[int], thirds: set[int], cues: CueBook
) -> bool:
    """Whether one side only helps a third party in a war the other side wages on it: the
    other is named only in the noun of that war or attack (its owner or modifier —
    "Russia's invasion", "Russian attacks" — or the enemy of the third's fight: "Ukraine's
    fight *against Russia*"), that noun is no argument of a verb of the helper's own
    clause (not "condemned *Russia's invasion*", "pledged to fight *Russian aggression*"),
    and the act names help (``_AID``: support, aid, help, assistance …) and a third
    party. "NATO urged South Korea to increase its support for Ukraine in the face of
    Russia's invasion", "a Japanese student showed his support for Ukraine's fight
    against Russia": the helper acts for the third; the war is the background (the
    labels of the dev half: "Russia only war context"). ``sides`` are both sides'
    tokens, ``thirds`` the other names'."""
    if not thirds or not any(t.i in thirds for t in top.subtree):
        return False
    if not any(t.lemma_.lower() in _AID for t in top.subtree if t.i not in sides):
        return False
    for helper, enemy in ((a, b), (b, a)):
        war = _named_head(enemy)
        if war.i == enemy.i and enemy.dep_ == "pobj" and enemy.head.lower_ in ("against", "with"):
            war = enemy.head.head  # "Ukraine's fight against Russia"
            if war.lemma_.lower() not in _FIGHTS or not any(
                c.dep_ == "poss" and c.i in thirds for c in war.children
            ):
                continue
        elif war.i == enemy.i or not _is(war, cues, "attacks") or war.pos_ != "NOUN":
            continue
        elif (
            war.dep_ == "pobj"
            and war.head.lower_ in ("for", "to")
            and war.head.head.lemma_.lower() in _AID
        ):
            continue  # "its support for Russia's invasion": help for the war itself
        if _acts_on(war, helper):
            continue  # the helper's own verb acts on the war: "fight Russian aggression"
        if helper.i in {t.i for t in war.subtree}:
            continue  # the helper is a party of the war itself
        return True
    return False


def _reported_death(top: Token, a: Token, b: Token, cues: CueBook) -> bool:
    """Whether one side only reports the other side's person dying with no one who kills
    ("a 23-year-old visitor from China died when her campervan left the road, New Zealand
    police said"): the said clause's verb is one of dying, with no agent, its subject the
    other side's person (not a combatant) — a report of an accident, not an act on the
    dead. "Ukraine said Russian soldiers died in the strike" (combatants) stays."""
    if not _says(top, cues):
        return False
    for speaker, dead in ((a, b), (b, a)):
        if speaker.i not in {t.i for c in top.children if c.dep_ == "nsubj" for t in c.subtree}:
            continue
        clause = next((t for t in dead.ancestors if t.dep_ == "ccomp" and t.head.i == top.i), None)
        if clause is None or clause.lemma_.lower() not in _DYING:
            continue
        if _has_agent(clause):
            continue  # "was killed by a gunman": someone kills
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or dead.i not in {t.i for t in subject.subtree}:
            continue
        if subject.lemma_.lower() in _COMBATANTS:
            continue
        return True
    return False


def _acts_on(noun: Token, actor: Token) -> bool:
    """Whether ``actor``'s own verb takes ``noun`` as its object, or as the object of its
    "against", "over" or "on": the actor in its subject or agent, or a verb with no
    subject of its own ("promised to lead the world in *fighting* Russian aggression")."""
    verb = next((t for t in noun.ancestors if t.pos_ in _VERBAL), None)
    if verb is None:
        return False
    direct = (noun.dep_ in ("dobj", "nsubjpass") and noun.head.i == verb.i) or (
        noun.dep_ == "pobj"
        and noun.head.lower_ in ("against", "over", "on")
        and noun.head.head.i == verb.i
    )
    if not direct:
        return False
    doers = [
        c
        for c in verb.children
        if c.dep_ in ("nsubj", "agent") or (c.dep_ == "nsubjpass" and c.i != noun.i)
    ]
    return not doers or any(actor.i in {t.i for t in c.subtree} for c in doers)


def _respectively_apart(a: Token, b: Token) -> bool:
    """Whether two actors are different places of two lists of one length that pair off
    in order: the subjects of a verb and the destinations of its plural journey noun
    ("Xi and Kishida ended *visits* to Russia and Ukraine": Xi's to Russia, Kishida's to
    Ukraine), or any subjects and objects with "respectively". A pair at one place of
    the two lists ("Xi … Russia") stays linked by what else links it."""
    lists = []
    for actor in (a, b):
        member = _named_head(actor)  # "Japan's Kishida": the member is Kishida
        first = _first_conjunct(member)
        lists.append((first, [m.i for m in _conjuncts(first)], member.i))
    (first_a, list_a, at_a), (first_b, list_b, at_b) = lists
    if len(list_a) < 2 or len(list_a) != len(list_b) or first_a.i == first_b.i:
        return False
    for subject, objects in ((first_a, first_b), (first_b, first_a)):
        if subject.dep_ != "nsubj":
            continue
        verb = subject.head
        said = any(c.lower_ == "respectively" for c in verb.subtree)
        held = objects.dep_ == "dobj" and objects.head.i == verb.i
        journey = (
            objects.dep_ == "pobj"
            and objects.head.lower_ == "to"
            and objects.head.head.tag_ == "NNS"
            and objects.head.head.lemma_.lower() in _JOURNEY_NOUNS
            and objects.head.head.dep_ == "dobj"
            and objects.head.head.head.i == verb.i
        )
        if journey or (said and (held or objects.head.head.i == verb.i)):
            return list_a.index(at_a) != list_b.index(at_b)
    return False


def _phrase(noun: Token) -> list[Token]:
    """A participant and the words of its name: its modifiers, owners, appositions and
    conjuncts, and what it is "of" ("foreign ministers of Iran, Saudi Arabia"); not its
    other phrases ("a premium for Saudi crude over the Oman benchmark")."""
    out: list[Token] = []
    stack = [noun]
    while stack:
        cur = stack.pop()
        out.append(cur)
        for c in cur.children:
            if c.dep_ in _NAMING or c.dep_ in ("appos", "conj"):
                stack.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("of", "from"):
                stack += [o for o in c.children if o.dep_ == "pobj"]
    return out


#: Prepositions of a place near another (the guide's "a ship seized near North Korea"); "off"
#: only on a noun and of a name's place ("waters off Japan's coast"): a verb's is its particle
#: ("wards off Russian influence"), however a headline is tagged.
_NEAR = frozenset({"near", "off", "nearby"})


def _nearby(path: list[Token], cues: CueBook) -> bool:
    """Whether the actor only names where a place near it is ("missiles fired in waters
    *off* Japan's coast", "a ship seized *near* North Korea"): the guide's "a place only"
    when no actor of that side is there."""
    return any(
        t.dep_ == "prep"
        and t.lower_ in _NEAR
        and (
            t.lower_ != "off"  # a verb's "off" is its particle: "wards off Russian influence"
            or path[k - 1].lemma_.lower() in _SHORES  # "runs aground off India's coast"
            # "catches fire off Iraq's Basra", "takes on water off Kazakhstan": a mishap's
            # place (not "to hold naval drills off South Africa", an act there)
            or (path[k - 1].pos_ == "PROPN" and _mishap(t.head, cues))
            or (
                t.head.pos_ in ("NOUN", "PROPN")
                and path[k - 1].pos_ in ("NOUN", "PROPN")
                and all(p.dep_ != "amod" for p in path[:k])
            )
        )
        for k, t in enumerate(path)
        if k > 0
    )


def _mishap(verb: Token, cues: CueBook) -> bool:
    """Whether a verb tells an accident that befalls its subject: a word of the cue book's
    ``accidents`` ("sinks"), or one that catches fire or takes on water."""
    if _is(verb, cues, "accidents"):
        return True
    objects = {c.lower_ for c in verb.children if c.dep_ == "dobj"}
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    return (
        (verb.lemma_.lower() == "catch" and "fire" in objects)
        or (verb.lemma_.lower() == "take" and "water" in objects)
        # "tanker catches fire", the tagger reading "catches" as a noun and "fire" a verb
        or (verb.lower_ == "fire" and before is not None and before.lemma_.lower() == "catch")
    )


#: Nouns of a shore, whose "off" is a place near it, after a verb too.
_SHORES = frozenset({"coast", "coastline", "shore", "island", "islands", "peninsula", "port"})


def _edges(path: list[Token]) -> int:
    """The length of a path in dependency edges (a preposition and its object are one edge;
    a list's conjuncts are none)."""
    return sum(1 for t in path if t.dep_ not in ("conj", "case", "det", "pobj"))


def _direct(path: list[Token]) -> bool:
    """Whether an actor is itself an argument of the shared predicate (or names it).

    Its path is its role edge (a subject, an object, a preposition and its
    object) above modifiers of its own noun phrase ("North Korean troops",
    "Russia's military"), not a phrase inside another argument ("a visit to
    India" under "using").
    """
    edges = [t for t in path if t.dep_ not in _NOMINAL and t.dep_ != "conj"]
    while (
        len(edges) > 2
        and edges[0].dep_ == "pobj"
        and edges[1].dep_ == "prep"
        and edges[1].head.pos_ in _NOUNS
        and (
            edges[1].lower_ in ("of", "from")
            or (edges[1].lower_ == "including" and edges[2].dep_ in ("nsubj", "nsubjpass"))
        )
    ):
        # "leaders from Iran": a noun's own phrase, like "Iranian leaders"; "the delegation,
        # including leaders of South Africa, met …": members of the subject, who act in it
        # (the members of an object are only examples of what is acted on: "lead the
        # members of OPEC, including Russia")
        edges = edges[2:]
    if not edges:
        return True
    if len(edges) == 1:
        return edges[0].dep_ in _ARGUMENT
    return len(edges) == 2 and edges[0].dep_ == "pobj" and edges[1].dep_ in ("prep", "agent")


def _locative(path: list[Token], cues: CueBook) -> bool:
    """Whether an actor is the place of a preposition of location ("in Moscow")."""
    preps = [t for t in path if t.dep_ == "prep"]
    return bool(preps) and _of_place(preps[-1], cues)


def _of_place(prep: Token, cues: CueBook) -> bool:
    """Whether a preposition places ("in Moscow", "across Laos") — not the "in" of a noun
    of attack, which is its target ("Russia's war in Ukraine", "the strikes in Syria"; a
    verb's "in" stays its place: "hit a clinic in a Russian-held town")."""
    if prep.lower_ not in _PLACE_PREPOSITIONS:
        return False
    attack = prep.head
    if not (prep.lower_ == "in" and attack.pos_ == "NOUN" and _is(attack, cues, "attacks")):
        return True
    # a war that is only the matter of a work or a talk keeps its place: "a film about the
    # war in Ukraine", "a report on attacks in Ukraine"
    return attack.dep_ == "pobj" and attack.head.lower_ in _MATTER_OF


def _implied(
    path: list[Token], other_role: str, cues: CueBook, other_path: Sequence[Token] = ()
) -> Token | None:
    """A relation noun whose other party is the subject: "India … tensions with China persist",
    "Russia will fire a missile during naval drills with South Africa" (a joint exercise).

    The actor is the object of "with"/"against" on a noun naming a relation
    that has no owner of its own (or only "its"/"their"), or stands in
    apposition to such a noun owned by a pronoun ("abandon its ally Iran"):
    the relation is the subject's, wherever in the sentence the noun stands —
    unless the first verb above the noun has a named subject of its own ("…
    as China is visiting Moscow for talks with Russia's president": China's).
    """
    if other_role not in ("nsubj", "nsubjpass") or len(path) < 2:
        return None
    if path[0].dep_ == "appos" and _names_relation(path[1], cues):
        # "Russia will never abandon its ally Iran": the relation is the subject's
        owners = [c for c in path[1].children if c.dep_ == "poss"]
        return path[1] if owners and all(o.pos_ == "PRON" for o in owners) else None
    while len(path) > 3 and path[0].dep_ == "conj":
        path = path[1:]  # a member of the list: "war games with China and South Africa"
    while len(path) > 3 and path[0].dep_ in ("poss", "compound", "amod") and path[1].dep_ == "pobj":
        path = path[1:]  # the side's own people: "ties with Thailand's political dynasty"
    if len(path) < 3:
        return None
    obj, prep, noun = path[0], path[1], path[2]
    if obj.dep_ != "pobj" or prep.lower_ not in ("with", "against", "towards", "toward"):
        return None
    exercise = _exercise(noun, cues)
    if not (_names_relation(noun, cues) or exercise):
        return None  # "… fire a missile during drills with South Africa": the subject's drills
    owners = [
        c
        for c in noun.children
        if (c.dep_ in ("poss", "compound", "amod") and c.pos_ == "PROPN")
        or (c.dep_ == "poss" and c.pos_ == "NOUN")  # "the country's deal with Russian firms"
    ]
    if owners:
        return None
    verb = next((t for t in path[3:] if t.pos_ in _VERBAL), None)
    act = path[-1].head  # the predicate the two meet at
    if exercise and (verb is not None or act.pos_ not in _VERBAL or len(other_path) > 1):
        # "… says a Chinese carrier sailed past during drills with Russia"; "Chinese
        # aircraft flew near the island during drills with the US": the side itself is the
        # subject whose drills they are, not a thing of it
        return None
    if exercise and any(
        g.ent_type_ in ("GPE", "NORP")
        or (g.pos_ == "ADJ" and g.text[:1].isupper() and g.i > 0)  # "Chinese"
        for c in act.children
        if c.dep_ == "dobj"
        for g in c.subtree
    ):
        return None  # "India tracked Chinese warships during drills with Russia": China's drills
    if verb is not None and any(
        c.dep_ == "nsubj" and c.pos_ == "PROPN" and c not in path for c in verb.children
    ):
        # "Kishida's trip comes as China is visiting Moscow for talks with Russia's
        # president": the talks are the subject of their own clause's, not the main one's
        return None
    return noun


def _exercise(noun: Token, cues: CueBook) -> bool:
    """A noun of the cue book's ``exercises``, one word or with its compound ("drills",
    "war games")."""
    if noun.pos_ not in _NOUNS:
        return False
    words = [noun.lower_]
    before = [c for c in noun.children if c.dep_ == "compound" and c.i == noun.i - 1]
    if before:
        words = [before[0].lower_, noun.lower_]
    return bool(cues.match("exercises", words, 0)) or _is(noun, cues, "exercises")


def _argument(
    role: str, actor: Token, other_role: str, verb: Token, path: Sequence[Token] = ()
) -> str:
    """An actor's role at a verb, or "" for an edge that is no argument (:data:`_NO_ROLE`).

    After the verb and facing its subject, such an edge is the object the
    tagger misread ("Putin greets Kim" with "Kim" as an adverbial noun) — when
    the edge does not end a clause the actor is buried in ("…, a move that is
    part of a plan to move supply chains away from China": an appended phrase,
    not an object).
    """
    if role not in _NO_ROLE:
        return role
    if _listed_subject(path):
        return "nsubj"  # "US, Israel will work to prevent Iran …": a subject of a comma list
    own = not any(t.dep_ in _CLAUSES for t in path[:-1])
    return "dobj" if other_role == "nsubj" and actor.i > verb.i and own else ""


def _listed_subject(path: Sequence[Token]) -> bool:
    """Whether an actor is the first of a comma list of subjects that the parser read as an
    adverbial noun before its verb ("*US*, Israel will work to …")."""
    if len(path) != 1 or path[0].dep_ != "npadvmod":
        return False
    name, verb = path[0], path[0].head
    return name.i < verb.i and any(c.dep_ == "nsubj" and c.i > name.i for c in verb.children)


def _listed(path: list[Token], other: list[Token]) -> bool:
    """A comma list the parser read as an apposition or a clause: "Russia, Iran sending envoys".

    The other actor is the shared node itself, and this one hangs from it as
    its apposition, or as the subject of a participle set off by a comma.
    """
    if other or not path:
        return False
    last = path[-1]
    if last.dep_ in ("appos", "npadvmod"):
        return True
    return (
        last.dep_ in ("acl", "relcl")
        and path[0].dep_ == "nsubj"
        and len(path) == 2
        and not any(c.dep_ in ("mark", "aux") or c.tag_ in ("WDT", "WP") for c in last.children)
    )


def _joins(path: list[Token]) -> bool:
    """Whether the path reaches the shared node as a conjunct: the two are in one list.

    A conjunct lower down joins the actor to a third name ("Iran, North Korea
    help"), and the list as a whole fills the role; a verb conjoined without
    a subject of its own shares the subject ("Kim visited Russia and met
    Putin"): one actor acting twice, not a list.
    """
    if not path or path[-1].dep_ != "conj":
        return False
    last = path[-1]
    if last.pos_ in ("NOUN", "PROPN") and last.head.pos_ == "VERB":
        return False  # "unleashed missiles …, as well as drones": a second object, misattached
    return not (last.pos_ in _VERBAL and not any(c.dep_ in _SUBJECTS for c in last.children))


def _role(path: list[Token], top: Token) -> str:
    """The edge by which an actor's path reaches the shared node (its role there)."""
    edges = [t for t in path if t.dep_ != "conj" or t.pos_ in _VERBAL]
    last_conj = path[-1] if path and path[-1].dep_ == "conj" else None
    if last_conj is not None and top.pos_ == "VERB" and last_conj.pos_ in ("NOUN", "PROPN"):
        return "dobj"  # a second object the parser conjoined to the verb
    if not edges:
        return "head"
    last = edges[-1]
    if _misread_subject(last):
        return "nsubj"  # "Canada clamps down on research as China concerns grow"
    if last.dep_ == "prep" and len(edges) >= 2:
        return f"{last.text.lower()}-object"
    if last.dep_ == "agent":
        return "agent"
    return last.dep_


def _misread_subject(tok: Token) -> bool:
    """A name the tagger hung from a verb as a compound, before it, where the verb has no
    subject: the subject it misread ("*Canada* clamps down on …")."""
    verb = tok.head
    return (
        tok.dep_ == "compound"
        and tok.pos_ == "PROPN"
        and verb.pos_ == "VERB"
        and tok.i < verb.i
        and not any(c.dep_ in _SUBJECTS for c in verb.children)
    )


def _how(role_a: str, role_b: str) -> str:
    roles = {role_a, role_b}
    if roles & {"nsubj", "agent"}:
        return "roles"
    return "arguments"


#: The sea between two sides ("in waters between A and B"): a place, though "Japanese
#: waters" are Japan's own and no sea's name (the cue book's ``waters``).
_SHARED_WATERS = frozenset({"water", "waters"})
#: Verbs by which a list holds an exercise together ("hold drills", "conduct drills"), not
#: what it does about another's ("condemned the drills").
_HOLDS = TAKE_PART | {"conduct", "stage", "carry", "launch", "kick", "wrap", "complete"}
#: Words on an exercise that make it each one's own ("separate drills", "their own drills").
_OWN_EACH = frozenset({"separate", "own", "respective", "rival"})

#: Nouns of the people or bodies that act for a side ("the leaders of A and B", "the navies
#: of A and B"): the plural of the list's members, which acts as they do.
_SIDES_PEOPLE = frozenset(
    {"leader", "minister", "official", "president", "premier", "envoy", "delegation"}
    | {"diplomat", "representative", "negotiator", "chief", "head", "government", "force"}
    | {"navy", "army", "military", "troop", "guard", "lawmaker", "legislator", "parliament"}
)


#: Nouns of a body or a person that acts for a side it is named by ("the Chinese state
#: group", "its Vietnamese partner", "Vietnam's party chief").
_BODIES = _SIDES_PEOPLE | {
    "company", "firm", "group", "utility", "partner", "operator", "producer", "maker", "giant",
    "bank", "fund", "carrier", "airline", "agency", "ministry", "counterpart", "authority",
    "regulator", "police", "embassy", "consulate",
}  # fmt: skip


def _may_act(tok: Token) -> bool:
    """Whether a subject may be someone acting: a name, a pronoun or a noun of people or
    bodies — not a thing ("the exhibition")."""
    return (
        tok.pos_ in ("PROPN", "PRON")
        or tok.ent_type_ in ("GPE", "PERSON", "NORP", "ORG")
        or tok.lemma_.lower() in _BODIES
    )


def _namers(body: Token) -> list[Token]:
    """The words before a body's noun that name it, through the nouns between ("Chinese"
    in "Chinese heritage authorities", "Spain" in "Spain's culture ministry")."""
    out: list[Token] = []
    stack = [c for c in body.children if c.i < body.i]
    while stack:
        c = stack.pop()
        if c.dep_ in ("amod", "compound", "poss"):
            out.append(c)
            stack += [g for g in c.children if g.i < c.i and g.dep_ in ("amod", "compound", "poss")]
    return out


def _list_ends_in_subject(first: Token, members: list[Token]) -> Token | None:
    """The subject that ends a comma list the parser read as an adverbial noun and a
    subject ("Japan, Philippines, US hold drills": "Japan, Philippines" an adverbial
    noun of "hold", "US" its subject): the list's last name, standing for the whole."""
    verb = first.head
    if first.dep_ != "npadvmod" or verb.pos_ != "VERB":
        return None
    last = max(m.i for m in members)
    for c in verb.children:
        if c.dep_ == "nsubj" and c.pos_ == "PROPN" and c.i > last:
            between = first.doc[last + 1 : c.i]
            start = min([t.i for t in c.subtree])
            if all(t.text == "," or t.i >= start for t in between):
                return c
    return None


def _pair(
    a: Token,
    b: Token,
    top: Token,
    path_a: list[Token],
    path_b: list[Token],
    cues: CueBook,
    people: bool,
) -> tuple[Token, str, str, str] | None:
    """Two coordinated actors: linked by a relation the pair itself holds, or not at all."""
    first = top if top.dep_ != "conj" else _first_conjunct(top)
    members = _conjuncts(first)
    if any(t.lower_ in _SEPARATELY for m in members for t in m.subtree if t.dep_ != "conj"):
        return None
    if any(c.lower_ in _SEPARATELY for c in first.head.children):
        return None
    # the noun phrase the pair stands in, and what governs it
    np = first
    while np.dep_ in _NOMINAL and np.head.i != np.i:
        np = np.head
    chain = _below(_ancestors(first), np)
    # "Russian and Iranian officials met" acts together; "China and India's growth" does not
    # ("Russia's foreign minister Sergei Lavrov and his Norwegian counterpart laid wreaths":
    # the list in apposition to the subject is the subject)
    acts = all(t.dep_ in ("amod", "compound", "appos") for t in chain)
    subject = _list_ends_in_subject(first, members)
    if subject is not None:
        np, acts = subject, True  # "Japan, Philippines, US hold drills"
        members = [*members, subject]  # three members: "Trump, Lula, Macron to attend …"
    # the pair itself, not two phrases that hold them ("China's shortage and India's efforts")
    # a comma list read as an apposition ("Russia, Turkey, Syria and Iran discuss")
    misread = [m for c in first.children if c.dep_ == "appos" for m in _conjuncts(c)]
    # "Russia and North Korea's defence ministers met": the owner of the last member's
    # people stands in the list ("the ministers of Russia and North Korea")
    owners = [
        c
        for m in members[1:]
        if m.tag_ == "NNS"
        for c in m.children
        if c.dep_ == "poss" and c.i < m.i and c.pos_ == "PROPN"
    ]
    # "the French utility and the Chinese state group agreed", "Vietnam's party chief and
    # the Russian president": each side names the body or the person that is its member
    bodies = [c for m in members if m.lemma_.lower() in _BODIES for c in _namers(m)]
    # "Yoon and Japan's Prime Minister Fumio Kishida": a member's name in apposition to it
    named = [c for m in members[1:] for c in m.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    listed = {a.i, b.i} <= {m.i for m in [*members, *misread, *owners, *bodies, *named]}
    pair = listed and len(members) == 2
    # two people, however the parser joined them, as a verb's subject ("China's Xi,
    # Brazil's Lula take …" is read as an apposition)
    two = listed and len({m.i for m in [*members, *misread]}) == 2
    if first.dep_ == "appos" and pair:
        # "the rival powers India and China", "allies Russia and Iran": named as what
        # they are to each other, unless the noun has an owner of its own ("Russia's
        # allies India and China", "US allies …" are each the owner's ally)
        noun = first.head
        if _owned(noun) and noun.tag_ != "NN":
            return None
        said = [noun, *(c for c in noun.children if c.dep_ in ("amod", "compound"))]
        for word in said:
            if word.i < first.i and (
                _names_relation(word, cues) or (word.pos_ == "ADJ" and _is(word, cues, "relations"))
            ):
                return word, "relation noun", "member", "member"
    elif (
        np is not first
        and _names_relation(np, cues)
        and pair
        # "its Peruvian and Chilean rivals": the rivals of an owner of its own, each
        and not any(
            c.dep_ == "poss" and c.i not in {m.i for m in members} | {a.i, b.i} for c in np.children
        )
    ):
        return np, "relation noun", "modifier", "modifier"  # "the Iran-Russia alliance"
    for c in first.children:
        if (
            c.dep_ in ("compound", "amod", "appos")
            and c.i < first.i  # "rivals India and China"
            and _names_relation(c, cues)
            and pair
        ):
            return c, "relation noun", "member", "member"
    gov = np.head
    if (
        np.dep_ == "pobj"
        and gov.lower_ in ("of", "from")
        and gov.head.tag_ == "NNS"
        and gov.head.lemma_.lower() in _SIDES_PEOPLE
        and listed
        and acts
    ):
        # "the leaders of (from) A and B met": the people of both stand in the list, as in
        # "A and B's leaders met" (not "critics of A and B", who are no one's own)
        np, gov = gov.head, gov.head.head
        if any(c.lower_ in _SEPARATELY for c in [*np.children, *gov.children]):
            return None  # "the ministers of A and B (each) met Blinken (separately)"
        if not pair and gov.pos_ in _VERBAL and not _is(gov, cues, "mutual"):
            # "ministers from A, B, C and D agreed" acts together; "leaders from A, B and C
            # expressed support for Putin" each for a third
            return None
        if any(t.lower_ in _OWN_EACH for c in gov.children if c.dep_ == "dobj" for t in c.children):
            return None  # "the leaders of A and B held separate talks"
    if np.dep_ == "pobj" and gov.lower_ == "by" and gov.head.i != gov.i and acts and listed:
        done = gov.head  # "a joint bid by A, B and C", "a bid submitted jointly by A and B"
        together = next(
            (c for c in done.children if c.dep_ in ("amod", "advmod") and c.lower_ in _JOINT), None
        )
        if together is not None and not any(t.lower_ in _SEPARATELY for t in done.subtree):
            return together, "joint subject", "joint subject", "joint subject"
    if np.dep_ == "pobj" and gov.lower_ in ("between", "with", "among") and gov.head.i != gov.i:
        noun = gov.head
        if (
            gov.lower_ == "between"
            and noun.pos_ in _VERBAL
            and len(members) == 2
            and _mutual(noun, cues)
            and not any(c.dep_ == "nsubj" and _may_act(c) for c in noun.children)
        ):
            # "letters were exchanged between A and B"; "the exhibition, agreed between A and
            # B, …" (the thing agreed read as the subject)
            return noun, "between", "between", "between"
        if gov.lower_ == "between" and noun.pos_ in _NOUNS and len(members) == 2:
            if noun.dep_ == "pobj" and (noun.lower_ in _SHARED_WATERS or _is(noun, cues, "waters")):
                return None  # "a search in waters between A and B": a sea, not a relation
            return noun, "between", "between", "between"  # "talks between A and B"
        if (
            gov.lower_ in ("between", "among")
            and noun.pos_ in _NOUNS
            and _names_relation(noun, cues)
        ):
            # "talks between Egypt, Sudan and Ethiopia", "ties among the US, Japan and South
            # Korea": a relation of all the list holds between each two of it
            return noun, "between", "between", "between"
        drills = _joint_exercise(gov, cues)
        if drills is not None:
            return drills, "joint exercise", "partner", "partner"  # "drills with A and B"
        return None  # "C sits between A and B", "ties with A and B": co-objects
    if np.dep_ == "dobj" and pair and acts:
        joint = _charged_together(np.head, cues)
        if joint is not None:
            return joint  # "Beijing accuses Japan and India of forming a bloc"
    if np.dep_ in ("nsubj", "ROOT"):
        verb = np.head if np.dep_ == "nsubj" else np
        if np.dep_ == "nsubj" and verb.pos_ in _VERBAL | {"ADJ"} and acts and listed:
            if _compares(verb, cues):
                return None  # "China and India together account for half of growth"
            if _mutual(verb, cues) and not _each_their_own(verb, members):
                return verb, "joint subject", "joint subject", "joint subject"
            if (people or _one_person_each(members)) and two and not _compares(verb, cues):
                return verb, "joint subject", "joint subject", "joint subject"
        if np.dep_ == "ROOT" and acts and listed:
            # a headline's future, read as a clause on the list: "Saudi Arabia and Iran to
            # restore ties" is "… will restore ties"
            for clause in np.children:
                if (
                    clause.dep_ in ("relcl", "acl")
                    and clause.pos_ == "VERB"
                    and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
                    and not any(c.dep_ in _SUBJECTS for c in clause.children)
                    and _mutual(clause, cues)
                    and not any(t.lower_ in _SEPARATELY for t in clause.subtree)
                ):
                    return clause, "joint subject", "joint subject", "joint subject"
        thirds = [
            c
            for c in np.children
            if c.pos_ == "PROPN"
            and c.dep_ in ("dep", "appos", "npadvmod")
            and c.i not in {m.i for m in members}
        ]
        if np.dep_ == "ROOT" and people and len(members) == 2 and not thirds:
            # "X and Y: friends"; not "Trump, Lula, Macron to attend" (a third name hung apart)
            return np, "joint subject", "joint subject", "joint subject"
        if np.dep_ == "ROOT" and pair:
            for c in np.children:  # "Russia and North Korea: friends in need"
                if c.dep_ == "appos" and c.i > np.i and _names_relation(c, cues) and not _owned(c):
                    return c, "relation noun", "member", "member"
    return None


#: Singular nouns of one person who acts for a side ("his Norwegian *counterpart*").
_ONE_PERSON = frozenset(
    {"counterpart", "minister", "president", "premier", "leader", "chancellor", "envoy"}
    | {"ambassador", "king", "emir", "prince", "secretary", "spokesman", "spokeswoman"}
)


def _one_person_each(members: list[Token]) -> bool:
    """Whether each member of a list is one person: a person's name, or a singular noun of
    one who acts for a side ("Lavrov and his Norwegian counterpart laid wreaths": two
    people, as "Lavrov and Soreide" would be)."""
    return all(
        (m.pos_ == "PROPN" and m.ent_type_ == "PERSON")
        # "foreign minister Ana Cecilia Gervasi": the name of the one the noun says
        or (m.pos_ == "PROPN" and m.dep_ == "appos" and m.head.lemma_.lower() in _ONE_PERSON)
        or (m.tag_ == "NN" and m.lemma_.lower() in _ONE_PERSON)
        for m in members
    )


def _charged_together(verb: Token, cues: CueBook) -> tuple[Token, str, str, str] | None:
    """What a third party says two objects do together: the gerund of its "of" or "for"
    that is a mutual act ("Beijing accuses Japan and India *of forming* an exclusive
    bloc", "the US accused Russia and North Korea *of cooperating* on weapons", "warns
    Manila and Hanoi *against ganging up*"), or a
    relation noun "their" owns ("criticised A and B *for their arms deal*"). The guide's
    "a third party accuses or warns about such a relation"; "criticised A and B for
    their missile tests" is each one's own, and "accuses A and B of stoking tensions"
    (the cue book's ``relations`` but not ``mutual``) is what they do to a third."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "over", "against"):
            continue  # "warns A and B against ganging up": what it warns of, too
        for act in prep.children:
            objects = [c for c in act.children if c.dep_ == "dobj"]
            if (
                act.dep_ == "pcomp"
                and act.tag_ == "VBG"
                and (
                    (
                        _is(act, cues, "mutual")
                        # "expanding ties", not "expanding nuclear arsenals": each its own
                        and all(_is(o, cues, "mutual") or _names_relation(o, cues) for o in objects)
                    )
                    or any(_is(o, cues, "mutual") for o in objects)
                )
            ):
                # a mutual act itself, not what they do to a third ("of stoking tensions")
                return act, "joint subject", "joint subject", "joint subject"
            if (
                act.dep_ == "pobj"
                and _names_relation(act, cues)
                and any(c.dep_ == "poss" and c.lower_ == "their" for c in act.children)
            ):
                return act, "relation noun", "member", "member"
    return None


#: Edges by which a word stands in the phrase of the word above it ("Chinese diplomats",
#: "China's mediation", "China-brokered").
_IN_PHRASE = frozenset({"compound", "amod", "nmod", "poss", "flat", "npadvmod"})
#: Edges by which a name is part of a party's name ("the Iranian and Saudi governments").
_NAMING = frozenset({"compound", "amod", "nmod", "poss", "flat"})
#: Prepositions whose object is a party of a mediated relation ("talks between A and B",
#: "talks for A and B to resume ties").
_PARTIES_OF = frozenset({"between", "among", "for"})
#: Prepositions that put a mediated relation in the parties' own act ("A and B agreed to
#: restore ties *after* talks brokered by C", "… *with* China's mediation").
_BY_WAY_OF = frozenset({"after", "following", "in", "under", "through", "with", "via"})
#: Nouns of the talks a mediator runs, whose parties go on to act after them ("agreed to
#: restore ties after talks brokered by China"); after a deal or a truce, the parties'
#: act is a sequel that may be anyone's.
_TALKS = frozenset({"talks", "negotiations", "meeting", "meetings", "consultations"})
#: Nouns of a meeting a verb holds ("held a meeting in China").
_MEETINGS = _TALKS | {"summit", "dialogue"}
#: Nouns of a gathering a verb attends or holds, whose place is the gathering's.
_GATHERINGS = _MEETINGS | {"conference", "forum", "gathering", "summits", "conferences"}
#: Prepositions whose gerund is the subject's own act ("denies motives *after* brokering
#: talks", "*by* sponsoring normalisation"); "thanked Turkey *for* hosting" is the object's.
_OWN_GERUND = _SAME_SUBJECT | {"by", "in"}
#: Verbs that say what their subject is or does as a role ("played peacemaker", "emerges
#: as a powerbroker", "positions itself as a mediator").
_ROLE_VERBS = frozenset(
    {"play", "act", "serve", "be", "become", "emerge", "position", "cast", "present", "see"}
)


def _mediation(a: Token, b: Token, cues: CueBook) -> tuple[Token, str, str, str] | None:
    """One actor brings the other and a third together: it brokers, mediates or hosts a
    relation of which the other is a party — "China brokered a deal between Iran and
    Saudi Arabia", "the Iran-Saudi deal brokered by China", "China-brokered talks between
    Saudi Arabia and Iran", "Iran and Saudi Arabia agreed to restore ties after talks
    mediated by China", "China played peacemaker between Saudi Arabia and Iran".

    The mediator acts with each party, so it is linked to each (the labelling
    guide's "acts toward, with or for the other"); the two parties are linked
    by the relation itself, and the co-objects of an act that brings nobody
    together ("C sits between A and B") stay apart. The cue book's
    ``mediation`` says which words bring parties together; the grammar says
    who does it and who the parties are. A denied mediation ("China has not
    mediated between …") is none. Evidence roles: ``mediator`` and ``party``.
    """
    for mediator, party, first in ((a, b, True), (b, a, False)):
        for word in _mediator_of(mediator, cues):
            if _denied_word(word):
                continue
            if party.i in {t.i for t in _mediated_parties(word, cues)}:
                roles = ("mediator", "party") if first else ("party", "mediator")
                return word, "mediation", *roles
    return None


def _aimed_at(a: Token, b: Token, cues: CueBook) -> tuple[Token, str, str, str] | None:
    """A relation whose purpose acts on the other side: each party of it acts on that side
    ("the partnership between the US, Australia and the UK *aimed at countering China*",
    "the US-UK-Australia pact was created *to counter China*", "Biden announces a deal
    with the UK and Australia *to take on China*", "a pact designed to counter China").

    The other side is the object of the purpose's verb (or of its particle: "take on"),
    or owns or names that object ("to counter *China's* military expansion");
    the purpose is a clause of the relation noun ("aimed at", "designed to"), or of the
    verb whose object or passive subject it is ("announces a deal … to", "was created
    to"). A party is a name in the relation noun (before it, or after "between", "among"
    or "with"). Evidence roles: ``party`` and ``object``."""
    for party, other, first in ((a, b, True), (b, a, False)):
        verb = other.head
        if other.dep_ == "pobj" and verb.dep_ in ("prt", "prep") and verb.lower_ == "on":
            verb = verb.head  # "to take on China"
        elif other.dep_ in ("poss", "compound", "amod") and verb.dep_ == "dobj":
            verb = verb.head  # "to counter China's military expansion": the side's own thing
        elif other.dep_ != "dobj":
            continue
        if verb.pos_ != "VERB" or _denied_word(verb) or not _purpose(verb):
            continue
        relation = _purpose_host(verb, cues)
        if relation is None:
            continue
        parties = [t.i for t in _relation_parties(relation, _PARTIES_WITH)]
        holder = relation.head
        if relation.dep_ == "dobj" and _is(holder, cues, "mutual"):
            # "they deepen the partnership aimed at …", "Japan signed a pact … to counter":
            # who makes or holds the relation is its party; not who only reacts to it
            parties += [
                m.i
                for c in holder.children
                if c.dep_ == "nsubj"
                for m in _conjuncts(_first_conjunct(c))
            ]
        if party.i in parties:
            roles = ("party", "object") if first else ("object", "party")
            return verb, "purpose", *roles
    return None


def _purpose(verb: Token) -> bool:
    """Whether a verb is a purpose: an infinitive ("to counter") or the gerund of "aimed
    at"/"designed for" ("aimed at countering"); not a clause of time or manner ("as
    North Korea is accused of arming Russia", "leaving the US on the sidelines")."""
    if any(c.tag_ == "TO" and c.dep_ == "aux" for c in verb.children):
        return True
    return (
        verb.dep_ == "pcomp"
        and verb.head.lower_ in ("at", "for")
        and verb.head.head.lemma_.lower() in ("aim", "design", "intend", "target")
    )


def _purpose_host(verb: Token, cues: CueBook) -> Token | None:
    """The relation noun a purpose clause is of: "a pact *designed to* counter …", "a
    partnership *aimed at* countering …", "the pact was created *to* counter …", "announces
    a deal … *to* take on …"."""
    cur = verb
    for _ in range(3):
        if cur.dep_ not in ("xcomp", "advcl", "acl", "relcl", "pcomp"):
            return None
        if cur is not verb and any(c.dep_ in _SUBJECTS for c in cur.children):
            return None  # "… ties with Hanoi, as America seeks to counter China": a clause
            # with a subject of its own is that subject's aim, not the relation's
        up = cur.head
        if up.pos_ == "ADP":
            up = up.head  # "aimed *at* countering"
        if up.pos_ in _NOUNS:
            return up if _names_relation(up, cues) else None
        if up.pos_ != "VERB":
            return None
        if up.dep_ == "acl" and up.head.pos_ in _NOUNS:
            return up.head if _names_relation(up.head, cues) else None  # "a pact designed to"
        held = [
            c for c in up.children if c.dep_ in ("dobj", "nsubjpass") and _names_relation(c, cues)
        ]
        if held:
            return held[0]  # "announces a deal … to", "the pact was created to"
        misread = _misattached_purpose(cur, up, cues)
        if misread is not None:
            return misread
        cur = up
    return None


def _misattached_purpose(clause: Token, verb: Token, cues: CueBook) -> Token | None:
    """The relation noun right before an infinitive the parser hung from a verb above it:
    "comes 18 months after the creation of the US-UK-Australia *pact to counter* China" is
    the pact's purpose, not the coming's. Only a noun inside a phrase of that verb (the
    object of a preposition), never its own argument, which :func:`_purpose_host` reads
    as held."""
    if clause.dep_ != "advcl":
        return None
    to = next((c for c in clause.children if c.tag_ == "TO" and c.dep_ == "aux"), None)
    if to is None or to.i == 0:
        return None
    noun = to.doc[to.i - 1]
    if noun.dep_ != "pobj" or noun.pos_ not in _NOUNS or not _names_relation(noun, cues):
        return None
    return noun if verb in noun.ancestors else None


def _relation_parties(
    noun: Token, preps: frozenset[str], besides: Token | None = None
) -> list[Token]:
    """The names a relation noun gives its parties: before it ("the US-UK-Australia pact",
    not a participle: "China-brokered"), or after one of ``preps`` ("a deal with the UK
    and Australia", "talks between …"); never ``besides`` (the word of mediation)."""
    out: list[Token] = []
    for child in noun.children:
        if child.dep_ in _NAMING and child.i < noun.i:
            if child.tag_ not in ("VBN", "VBD", "VBG") and (
                besides is None or child.i != besides.i
            ):
                out += _party_names(child)
        elif child.dep_ == "prep" and child.lower_ in preps:
            out += [t for o in child.children if o.dep_ == "pobj" for t in _party_names(o)]
    return out


#: Prepositions whose object is a party of a relation a purpose is of ("a deal *with* the
#: UK and Australia to take on China").
_PARTIES_WITH = frozenset({"between", "among", "with"})


def _denied_word(word: Token) -> bool:
    """ "has not mediated", "did not broker", "no mediation"."""
    if any(c.dep_ in ("neg", "det") and c.lower_ in _DENIALS for c in word.children):
        return True
    return word.dep_ in ("xcomp", "conj") and _denied_word(word.head)


def _mediates(tok: Token, cues: CueBook) -> bool:
    """A word of mediation; not "a host of" (many)."""
    if tok.lower_ == "host" and any(c.lower_ in ("a", "an") for c in tok.children):
        return False
    return _is(tok, cues, "mediation")


def _mediator_of(actor: Token, cues: CueBook) -> list[Token]:
    """The words of mediation ``actor`` is the agent of: the subject of "brokered", the
    "by" of "brokered by"/"mediation by", the modifier of "China-brokered" or "China's
    mediation", the antecedent of "which brokered", the subject of a clause of it with no
    subject of its own ("China hosts the Palestinian leader after mediating the Saudi-Iran
    deal"), or what a verb of role says the subject is ("played peacemaker", "emerges as
    a powerbroker")."""
    found: list[Token] = []
    after = actor.doc[actor.i + 1] if actor.i + 1 < len(actor.doc) else None
    if (
        after is not None
        and after.tag_ in ("VBN", "VBD")
        and after.dep_ == "amod"
        and after.head.i > after.i
        and _mediates(after, cues)
    ):
        found.append(after)  # "the Chinese brokered Saudi-Iranian deal": "China-brokered"
    tok = actor
    while tok.dep_ in _IN_PHRASE and tok.head.i != tok.i:
        if tok.head.i > tok.i and _mediates(tok.head, cues):
            found.append(tok.head)  # "China-brokered", "China's mediation"
        tok = tok.head
    if tok.dep_ == "conj":
        tok = _first_conjunct(tok)  # "brokered by the UN and Turkey": each of the list
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "by" and _mediates(head.head, cues):
        found.append(head.head)  # "brokered by China", "mediation by China"
    elif (
        tok.dep_ == "pobj"
        and head.lower_ == "with"
        and head.head.tag_ == "VBN"
        and head.head.dep_ in ("acl", "advcl", "amod")
        and _mediates(head.head, cues)
    ):
        found.append(head.head)  # "the deal brokered with Turkey and the UN"
    found += [  # "China, which brokered the deal …"
        c
        for c in tok.children
        if c.dep_ == "relcl"
        and _mediates(c, cues)
        and any(g.dep_ == "nsubj" and g.tag_ in ("WDT", "WP") for g in c.children)
    ]
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        above = [tok]  # the phrase it owns: "Beijing's success in brokering …"
    else:
        if tok.dep_ == "nsubj" and _mediates(head, cues):
            found.append(head)
        # the subject's own clauses with no subject of their own: "stepped in, *becoming*
        # a mediator", "*Buoyed* after facilitating a deal, Xi is set to …"
        above = [head] + [
            c
            for c in head.children
            if c.dep_ == "advcl"
            and c.pos_ == "VERB"
            and c.tag_ in ("VBG", "VBN")
            and not any(g.dep_ in _SUBJECTS for g in c.children)
        ]
        for verb in above:
            if verb.lemma_.lower() not in _ROLE_VERBS or (verb is head and tok.dep_ != "nsubj"):
                continue
            for child in verb.children:
                said = [child] if child.dep_ in ("attr", "dobj", "oprd") else []
                if child.dep_ == "prep" and child.lower_ == "as":  # "emerges as a powerbroker"
                    said = [c for c in child.children if c.dep_ == "pobj"]
                found += [c for c in said if c.pos_ == "NOUN" and _mediates(c, cues)]
    # the subject's own effort whose purpose mediates: "the Kremlin steps up *efforts to
    # restore* ties between …"; not an owner's ("praised Oman's efforts to broker")
    if tok.dep_ == "nsubj":
        found += [
            c
            for o in head.children
            if o.dep_ == "dobj" and not any(g.dep_ in ("poss", "compound") for g in o.children)
            for c in o.children
            if c.dep_ == "acl" and subjectless_infinitive(c) and _mediates(c, cues)
        ]
    # a clause of the subject's own act with no subject of its own: "China denies motives
    # after brokering talks"; not the object's ("urged Oman to broker", "thanked Turkey for
    # hosting")
    for verb in above:  # and the verbs it controls: "seeks to expand … after brokering …"
        if any(c.dep_ in ("dobj", "dative") for c in verb.children):
            continue
        above += [
            c
            for c in verb.children
            if c.dep_ == "xcomp" and not any(g.dep_ in _SUBJECTS for g in c.children)
        ]
        above += [  # "Italy is *ready to host* talks between …": the subject's readiness
            x
            for c in verb.children
            if c.dep_ == "acomp"
            and c.lemma_.lower() in _READY
            and not any(g.dep_ == "neg" for g in [*verb.children, *c.children])
            for x in c.children
            if x.dep_ == "xcomp" and not any(g.dep_ in _SUBJECTS for g in x.children)
        ]
    # a verb the subject's own verb controls: "Turkey offers *to mediate* between …"
    found += [v for v in above if v.dep_ == "xcomp" and _mediates(v, cues)]
    clauses: list[Token] = []
    for verb in above:
        for child in verb.children:
            if child.dep_ == "advcl":
                clauses.append(child)
            elif child.dep_ == "prep" and child.lower_ in _OWN_GERUND:
                for c in child.children:
                    clauses.append(c)  # "after brokering …"
                    if c.dep_ == "pobj":  # the gerund read as a modifier: "after brokering talks"
                        clauses += [
                            g for g in c.children if g.dep_ in ("amod", "acl") and g.i < c.i
                        ]
    # a clause conjoined to one has its subject too: "after cementing his power *and
    # facilitating* a deal between …"
    clauses += [c for clause in clauses for c in clause.subtree if _conjoined_to(c, clause)]
    found += [
        clause
        for clause in clauses
        if clause.pos_ == "VERB"
        and (clause.tag_ == "VBG" or clause.dep_ in ("advcl", "pcomp"))
        and _mediates(clause, cues)
        and not any(c.dep_ in _SUBJECTS for c in clause.children)
    ]
    return found


#: Adjectives of a subject's readiness for what their infinitive says ("ready to host").
_READY = frozenset({"ready", "willing", "prepared", "eager", "keen", "happy", "open"})


def _conjoined_to(tok: Token, first: Token) -> bool:
    """Whether ``tok`` is a conjunct of ``first`` (through other conjuncts of it)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
        if tok.i == first.i:
            return True
    return False


def _party_names(tok: Token) -> list[Token]:
    """A party and the words of its name: the members of its list and their naming
    modifiers ("the Iranian and Saudi governments"), not a place or a clause inside it
    ("militias in Iran's neighbour Iraq", "the Iran-backed Houthis")."""
    out: list[Token] = []
    for member in _conjuncts(_first_conjunct(tok)):
        stack = [member]
        while stack:
            cur = stack.pop()
            out.append(cur)
            stack += [
                c
                for c in cur.children
                if c.dep_ in _NAMING and c.tag_ not in ("VBN", "VBD", "VBG") and c.i < cur.i
            ]
    return out


def _mediated_parties(word: Token, cues: CueBook) -> list[Token]:
    """The parties of what ``word`` mediates: the names in the relation it brokers (its
    object, the noun it modifies, or the word itself: "peacemaker between"), before that
    relation or after "between"/"among"/"for" ("the Iran-Saudi deal", "talks between Iran
    and Saudi Arabia"); and, when that relation names none, the parties of the mutual act
    it is the way of ("Iran and Saudi Arabia agreed to restore ties after talks brokered
    by China")."""
    things = _backed_relations(word, _brokered(word, cues))
    parties: list[Token] = []
    for thing in things:  # "the Iran-Saudi deal", "Saudi-Iranian", "talks between …"
        parties += _relation_parties(thing, _PARTIES_OF, besides=word)
    if parties:
        return parties
    for thing in things[:2]:  # the word itself, and the relation it modifies or takes
        parties += _acting_through(thing, cues)
    return parties


#: What another backs between two parties ("Moscow-backed talks between Turkey and
#: Syria"); a backed group or ally is the backer's own ("Iran-backed allies").
_BACKED_RELATIONS = _MEETINGS | {
    "deal", "agreement", "accord", "truce", "ceasefire", "rapprochement", "reconciliation",
    "normalisation", "normalization", "detente", "détente", "process", "peace", "plan",
}  # fmt: skip


def _backed_relations(word: Token, things: list[Token]) -> list[Token]:
    """``things`` a word of mediation brokers; for "backed", only the relations between
    others it backs (:data:`_BACKED_RELATIONS`)."""
    if word.lower_ != "backed":
        return things
    return [t for t in things if t.i != word.i and t.lower_ in _BACKED_RELATIONS]


def _brokered(word: Token, cues: CueBook) -> list[Token]:
    """What a word of mediation brokers: the word itself, the noun it modifies ("the deal
    brokered by China", "China-brokered talks"), its object, the relation its purpose
    restores, a relation it is the mediator with or in, and what those are "of"."""
    things = [word]
    own = word.dep_ == "relcl" and any(
        g.dep_ == "nsubj" and g.tag_ in ("WDT", "WP") for g in word.children
    )  # "China, which brokered …": the noun is the mediator, not what it brokered
    if word.dep_ in ("acl", "amod", "relcl") and word.head.pos_ in _NOUNS and not own:
        things.append(word.head)  # "the deal brokered by China", "China-brokered talks"
    if word.dep_ == "advcl" and word.tag_ == "VBN" and word.i < word.head.i:
        # "*Brokered by the UN and Turkey*, the deal allows …": the subject it describes
        things += [c for c in word.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    things += [c for c in word.children if c.dep_ in ("dobj", "nsubjpass")]
    things += [  # "brokered a deal *to restore relations* between …": the purpose's relation
        o
        for c in word.children
        if c.dep_ in ("advcl", "xcomp") and subjectless_infinitive(c)
        for o in c.children
        if o.dep_ == "dobj" and _names_relation(o, cues)
    ]
    if word.pos_ == "NOUN":  # "a powerbroker with the Iran-Saudi deal", "mediator in the talks"
        things += [
            o
            for c in [*word.children, *(word.head.children if word.dep_ == "pobj" else [])]
            if c.dep_ == "prep" and c.lower_ in ("with", "in", "of")
            for o in c.children
            if o.dep_ == "pobj" and _names_relation(o, cues)
        ]
    for thing in list(things):  # "talks *aimed at* Syria-Turkey rapprochement"
        things += [
            o
            for c in thing.children
            if c.dep_ == "acl" and c.lemma_.lower() in ("aim", "design", "intend")
            for p in c.children
            if p.dep_ == "prep" and p.lower_ in ("at", "for")
            for o in p.children
            if o.dep_ == "pobj" and _names_relation(o, cues)
        ]
    for thing in list(things):  # "the restoration of ties between …"
        things += [o for c in thing.children if c.lower_ == "of" for o in c.children]
    return things


def _acting_through(thing: Token, cues: CueBook) -> list[Token]:
    """The parties of the mutual act a mediated relation is the way of: "Iran and Saudi
    Arabia *agreed* to restore ties after talks brokered by China" (the subject, with its
    members, and a "with" partner), when the act is mutual or restores a relation; none
    for someone else's act ("Israel cautioned Riyadh after the China-brokered deal")."""
    prep = thing.head
    if thing.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in _BY_WAY_OF:
        return []
    if (
        prep.lower_ in ("after", "following")
        and thing.lower_ not in _TALKS
        and not _is(thing, cues, "mediation")
    ):
        return []  # "agreed to a ceasefire after the Russia-brokered truce in Syria": a sequel
    verb = prep.head
    chain = [verb]
    while (
        verb.dep_ in ("xcomp", "conj")
        and not any(c.dep_ in _SUBJECTS for c in verb.children)
        and verb.head.i != verb.i
    ):
        verb = verb.head
        chain.append(verb)
    if verb.pos_ not in _VERBAL:
        return []
    mutual = any(_mutual(v, cues) for v in chain) or any(
        c.dep_ == "dobj" and _names_relation(c, cues) for v in chain for c in v.children
    )
    if not mutual:
        return []
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    partners = [o for v in chain for c in v.children if c.lower_ == "with" for o in c.children]
    named = [t for s in [*subjects, *partners] for t in s.subtree]
    if len(subjects) + len(partners) == 1 and not partners:
        members = [m for s in subjects for m in _conjuncts(s)]
        if len(members) < 2:
            return []  # one side alone is no relation to mediate
    return named


def unnamed_mediation(
    sentence: str, mediators: Sequence[Span], others: Sequence[Span], cues: CueBook
) -> tuple[Span, Span] | None:
    """A mediation by one of ``mediators`` whose brokered relation names no party in the
    sentence: "Agreement mediated by China seeks to reduce tensions", "the China-brokered
    detente", "China brokers an agreement between two adversaries", "the regional rivals
    agreed … in a deal brokered by China". The parties are told in a sentence next to it
    (the caller's :func:`relation_with`). The mediation word's span and the mediator's,
    or None.

    Only a mediation reported as done, of a relation or talks: not a denied one, not a
    possible one ("China could act as a mediator", "doubt China can broker"), not a
    host's (hosting a summit or a meeting brings no two parties together by itself),
    and not one set beside another matter ("separately", "meanwhile", "compared with
    the China-brokered detente").
    """
    spans = [*mediators, *others]
    doc = parse_sentence(headline_case(sentence, spans), spans)
    named = _covered(doc, spans)
    if any(t.lower_ in _ANOTHER_MATTER or (t.pos_ == "VERB" and _compares(t, cues)) for t in doc):
        return None  # "Separately, …", "Observers compared it with the China-brokered …"
    for span in mediators:
        head = span_head(doc, span)
        if head is None or not _actor(head, span, doc.ents, cues):
            continue
        for word in _mediator_of(head, cues):
            if _denied_word(word) or word.lemma_.lower() == "host" or _in_doubt(word):
                continue  # "China could yet mediate a broader agreement"
            brokered = _brokered(word, cues)
            if not any(
                t.i != word.i and (_names_relation(t, cues) or t.lower_ in _TALKS)
                for t in _backed_relations(word, brokered)
            ):
                continue
            if any(t.i in named for t in _mediated_parties(word, cues)) or any(
                t.i in named
                for thing in brokered
                # "negotiates a deal with India" names a party; "the deal brokered with
                # Turkey", the mediator
                if thing.i != word.i or word.tag_ != "VBN"
                for t in _relation_parties(thing, _PARTIES_WITH, besides=word)
            ):
                continue  # its parties are named here ("US-backed talks with Saudi Arabia")
            return (word.idx, word.idx + len(word.text)), span
    return None


#: Words that set a sentence beside another matter: a mediation there is another story.
_ANOTHER_MATTER = frozenset({"separately", "meanwhile", "elsewhere"})
#: Modal auxiliaries that make a mediation only possible or still to come.
_DOUBT = frozenset({"could", "may", "might", "can", "would", "will", "should"})


def _in_doubt(word: Token) -> bool:
    """Whether a word of mediation is only possible, in its own clause: a modal on it or
    on the verb whose role it is ("China could act as a mediator", "doubt China can
    broker", "might mediate"). Not a modal on what the brokered relation does ("the
    China-brokered detente can improve stability")."""
    node = word
    while True:
        if node.pos_ in _VERBAL and any(
            c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in _DOUBT for c in node.children
        ):
            return True
        if node.dep_ not in ("xcomp", "prep", "pobj", "attr", "oprd") or node.head.i == node.i:
            return False
        node = node.head


def relation_with(
    sentence: str,
    party: Sequence[Span],
    thirds: Sequence[Span],
    others: Sequence[Span],
    cues: CueBook,
) -> tuple[Span, Span] | None:
    """A relation of a ``party`` actor with one of ``thirds`` in ``sentence``, read as two
    actors' link (:func:`link_roles`) whose predicate is a relation noun or a mutual act:
    "Saudi Arabia and Iran to restore ties", "the Iranian-Saudi deal". What a mediation
    whose relation names no party (:func:`unnamed_mediation`) brokered, told beside it;
    not a one-sided act ("Iran condemned Israel"), which no third party brokers. The
    predicate's span and the party's, or None."""
    found = link_roles(sentence, party, thirds, others, cues).link
    if found is None:
        return None
    spans = [*party, *thirds, *others]
    doc = parse_sentence(headline_case(sentence, spans), spans)
    pred = token_at(doc, found.predicate[0])
    if pred is None or not (
        _names_relation(pred, cues) or (pred.pos_ in _VERBAL and _mutual(pred, cues))
    ):
        return None
    return found.predicate, found.left


#: Nouns that describe one firm ("the German carmaker", "German conglomerate"): the lead's
#: description of a title's company ("… maker" is one too: carmaker, chipmaker).
_FIRMS = frozenset(
    {"company", "firm", "group", "conglomerate", "giant", "manufacturer", "producer"}
    | {"retailer", "lender", "bank", "insurer", "startup", "operator", "supplier", "brand"}
    | {"automaker", "airline", "developer", "exporter", "importer", "business", "miner"}
    | {"corporation", "utility", "carrier", "contractor", "builder"}
)
#: Prepositions whose object a lead's "the" description of the title's firm may be: "shares
#: in the German arms maker", "the request from the US miner".
_DESCRIBED_IN = frozenset({"in", "from", "of", "by"})


def described_subject(sentence: str, name: Span, others: Sequence[Span]) -> bool:
    """Whether ``name`` opens ``sentence`` as the modifier or owner of an unnamed subject
    that describes one firm: "German conglomerate says it needs to diversify", "The South
    Korean automaker is considering options", "China's offshore oil producer agreed to
    …" — a description, with no name of its own,
    of the company the title named (:func:`named_subject`). Not "The Chinese startup
    Greater Bay Technology claims …" (its own name), not a group reacting ("German
    automakers are under pressure", "Indian officials had hoped", plural), not a person
    ("the German chancellor": a title about a firm is not about them), nor an object or
    a later phrase."""
    doc = parse_sentence(sentence)
    head = span_head(doc, name)
    if head is None or head.dep_ not in ("amod", "compound", "poss"):
        return False  # "poss": "China's offshore oil producer agreed to …"
    noun = head.head
    while noun.dep_ in ("compound", "amod") and noun.head.i != noun.i:
        noun = noun.head  # "South Korean vaccine maker"
    if noun.pos_ != "NOUN":
        return False
    opening = noun.dep_ in ("nsubj", "nsubjpass") and head.i <= 2 and noun.i <= 5
    # "the" and the description later in the lead's first sentence: "Shares in the German
    # arms maker rose", "approved the request from the US miner" (one firm spoken of, and
    # no other name of a firm beside it)
    definite = (
        any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
        and (
            noun.dep_ in ("nsubj", "nsubjpass")
            or (noun.dep_ == "pobj" and noun.head.lower_ in _DESCRIBED_IN)
        )
        and not any(t.ent_type_ == "ORG" for t in doc)
    )
    if not (opening or definite):
        return False
    if noun.tag_ != "NN" or not (noun.lower_ in _FIRMS or noun.lower_.endswith("maker")):
        return False  # "German automakers are under pressure": a group reacting, not the firm
    mine, named = _covered(doc, [name]), _covered(doc, others)
    # the description's own words, not a clause or a phrase on it ("the US miner, which runs
    # the Grasberg mine in Papua")
    clauses = {t.i for c in noun.children if c.dep_ in ("relcl", "acl", "prep") for t in c.subtree}
    phrase = [t for t in noun.subtree if t.i not in mine and t.i not in clauses]
    return not any(t.pos_ == "PROPN" or t.i in named for t in phrase)


def named_subject(sentence: str, names: Sequence[Span]) -> Span | None:
    """The name a headline is about, when the gazetteer does not know it: its main
    verb's subject, or the name that owns or modifies that subject ("*Siemens* unveils big
    investments", "*VW* investors demand an audit", "Can *Volkswagen* win back China?").
    None when the subject is a known name (``names``) or no proper name. A headline whose
    verb after the opening name the tagger took for a noun ("Freeport wins extension …",
    "Adani Power halves supply …") is read again with "will" before the verb, as the
    readers of meetings do; so is one whose future is "to" ("CNOOC to buy …")."""
    found = _named_subject(sentence, names)
    if found is not None:
        return found
    doc = parse_sentence(sentence)
    verb = next(
        (
            t
            for t in doc
            if t.i > 0
            and t.text.islower()
            and t.text.endswith("s")
            and len(t.text) > 3
            and all(w.text[:1].isupper() for w in doc[: t.i])
        ),
        None,
    )
    future = next(
        (
            t
            for t in doc[1:-1]
            if t.lower_ == "to"
            and doc[t.i + 1].text.islower()
            and all(w.text[:1].isupper() for w in doc[: t.i])
        ),
        None,
    )  # a headline's future: "CNOOC to buy half of …"
    if future is not None and (verb is None or future.i < verb.i):
        verb = future
    if verb is None or any(s[0] < verb.idx for s in names):
        return None  # no name-led headline, or a known name in the opening run
    # the verb's text kept, a space after it, as the first reading of this headline had it;
    # a future's "to" made "will"
    edit = (
        (verb.idx, len(verb.text), "will")
        if verb is future
        else (verb.idx, len(verb.text), "will " + verb.text[:-1] + " ")
    )
    hint = _Hint((edit,), 0, False)
    hinted, moved = hint.apply(sentence)
    found = _named_subject(hinted, [moved(s) for s in names])
    return None if found is None else hint.original(found)


def _named_subject(sentence: str, names: Sequence[Span]) -> Span | None:
    doc = parse_sentence(headline_case(sentence, list(names)), list(names))
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None
    root = roots[0]
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and root.pos_ == "PROPN" and any(c.dep_ == "acl" for c in root.children):
        subjects = [root]  # a headline's participle: "Hyundai reviewing Russia plant"
    if not subjects:
        return None
    subject = subjects[0]
    if subject.pos_ != "PROPN":
        owners = [c for c in subject.children if c.dep_ in ("poss", "compound") and c.i < subject.i]
        subject = next((c for c in owners if c.pos_ == "PROPN"), subject)
    if subject.pos_ != "PROPN":
        return None
    words = [t for t in subject.subtree if t.dep_ in ("compound", "flat") or t.i == subject.i]
    lo, hi = min(t.idx for t in words), max(t.idx + len(t.text) for t in words)
    if any(s[0] < hi and lo < s[1] for s in names):
        return None
    return lo, hi


def _comma_listed(path_a: list[Token], path_b: list[Token]) -> bool:
    """Whether the phrases two paths end in stand side by side with only a comma between
    ("Iran, Saudi Arabia agree …", "Foreign ministers of Iran, Saudi Arabia meet …"):
    one list the parser split into two subjects."""
    if not path_a or not path_b:
        return False
    first, second = sorted((path_a[-1], path_b[-1]), key=lambda t: t.i)
    doc = first.doc
    comma = first.right_edge.i  # the parser may hang the comma from the first phrase
    if doc[comma].text != ",":
        comma += 1
    return comma < len(doc) and doc[comma].text == "," and second.left_edge.i == comma + 1


def _broken_modifier_list(a: Token, b: Token) -> Token | None:
    """The subject noun of two sides' words listed before it, when the parser hung the
    first from the verb ("*Indian*, Russian astronauts fly": "Indian" a modifier of
    "fly"), not from the noun: the noun, else None."""
    first, second = sorted((a, b), key=lambda t: t.i)
    if first.dep_ not in ("amod", "compound", "advmod") or first.head.pos_ not in _VERBAL:
        return None  # "Australian, Chinese militaries hold": "Australian" an adverb of "hold"
    noun = second
    while noun.dep_ in ("amod", "compound") and noun.head.i != noun.i:
        noun = noun.head
    if noun.i == second.i or noun.head.i != first.head.i or noun.dep_ not in _SUBJECTS:
        return None
    return noun if _side_by_side(first, second) else None


def _listed_relation(a: Token, b: Token, cues: CueBook) -> Token | None:
    """A relation noun right after two listed sides that the parser made a third member of
    their list ("China and Australia thaw continues": "thaw" a conjunct of "China"): the
    two sides name the relation, as in "the China-Australia thaw"."""
    first, second = sorted((a, b), key=lambda t: t.i)
    if _first_conjunct(first).i != _first_conjunct(second).i or second.i + 1 >= len(a.doc):
        return None
    noun = a.doc[second.i + 1]
    if noun.dep_ != "conj" or noun.pos_ != "NOUN" or not _names_relation(noun, cues):
        return None
    return noun if _first_conjunct(noun).i == _first_conjunct(first).i else None


#: Nouns that name a party by its bond to an owner: "Russia's neighbour", "Iran's ally"
#: (not "proxy": what is done to "Iran's proxies" is done to Iran through them).
_KIN_NOUNS = frozenset(
    {"neighbour", "neighbor", "ally", "partner", "friend", "rival", "foe", "enemy"}
)


def _kin_of_another(path: list[Token], other: Token, top: Token) -> bool:
    """Whether the actor only describes a third party by its bond to it: its possessive on
    a noun that names someone by that bond, in an argument of the other side's act
    ("Turkey voted to approve the accession of *Russia's* Nordic neighbour": Finland's
    accession, not Russia's). Not when the noun is the other side itself, as its
    apposition or what it is said to be ("Turkey, Russia's neighbour, …", "Turkey is
    Russia's ally", "is among Russia's partners", "is one of Russia's allies"), nor the
    shared node ("Russia's ally Turkey")."""
    if len(path) < 2 or path[0].dep_ != "poss":
        return False
    owner = path[0]
    if not any(
        c.dep_ == "case" and (c.lower_ in _OWNS or owner.lower_.endswith("s"))
        for c in owner.children
    ):
        return False  # a quotation mark the parser took for one: "called Russia 'our enemy'"
    noun = path[1]
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _KIN_NOUNS:
        return False
    if noun.dep_ in ("appos", "attr") and noun.head.i in (other.i, top.i):
        return False
    # what the other side is said to be: "is among Russia's partners", "emerged as Russia's
    # ally", "is one of Russia's allies"
    tok = noun
    while tok.dep_ == "pobj" and tok.head.head.i != tok.head.i:
        prep = tok.head
        if prep.lower_ in ("among", "as", "like") and prep.head.i == top.i:
            return False
        tok = prep.head
    if tok.dep_ in ("attr", "oprd") and tok.head.i == top.i:
        return False
    return noun.head.i != other.i and not any(c.i == other.i for c in noun.children)


def _side_by_side(first: Token, second: Token) -> bool:
    """Whether only a comma, "and" or both stand between a word and the next one's phrase
    ("Iranian, Russian", "S. Korean and Japanese"): one list."""
    between = [t.lower_ for t in first.doc[first.i + 1 : second.left_edge.i]]
    return between in ([","], ["and"], [",", "and"])


def _each_their_own(verb: Token, members: Sequence[Token]) -> bool:
    """Whether a joint subject's act is each one's own, said after the verb: "discussed the
    same problem *at separate* briefings", "… with *their own* industry groups", "… in
    *their* parliaments" (a plural place of theirs)."""
    said: list[Token] = []
    for c in verb.children:
        if c.i < verb.i:
            continue
        if c.dep_ in ("prep", "advmod"):
            said += list(c.subtree)  # "at separate briefings", "separately"
        elif c.dep_ == "dobj":
            said += [g for g in c.children if g.dep_ in ("amod", "poss")]  # "separate deals"
    for t in said:
        if t.lower_ in _OWN_EACH or t.lower_ in ("separately", "respectively"):
            return True
        if t.lower_ == "their" and t.head.tag_ == "NNS" and t.head.dep_ == "pobj":
            return True  # "in their parliaments": each in its own
    return False


def _apart(tokens: Iterable[Token]) -> bool:
    """Whether an act is done separately ("separately", "each", "both", "separate talks")."""
    return any(t.lower_ in _SEPARATELY or t.lower_ == "separate" for t in tokens)


def _listed_modifiers(
    a: Token, b: Token, noun: Token, cues: CueBook
) -> tuple[Token, str, str, str] | None:
    """Two sides' words side by side before one subject noun, a comma or "and" between
    them ("Iranian, Russian envoys meet again", "S. Korean, Japanese leaders will meet"):
    one list the parser hung from the noun as two modifiers, not as conjuncts. The list
    is the joint subject of the noun's verb when that act is mutual, not when it is done
    separately ("… hold separate talks"); leaders who each attend, address or greet
    something ("Iranian, Russian leaders attend an inauguration") are not together."""
    first, second = sorted((a, b), key=lambda t: t.i)
    verb = noun.head
    if not _side_by_side(first, second) or noun.dep_ not in _SUBJECTS:
        return None
    if verb.pos_ not in _VERBAL or verb.i == noun.i or _apart(verb.subtree):
        return None
    if _mutual(verb, cues):
        return verb, "joint subject", "joint subject", "joint subject"
    return None


def _owned(noun: Token) -> bool:
    """Whether a noun has an owner before it: a possessive ("Russia's", "its") or a
    name modifying it ("US allies")."""
    return any(
        c.dep_ == "poss" or (c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN")
        for c in noun.children
        if c.i < noun.i
    )


def _first_conjunct(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _conjuncts(first: Token) -> list[Token]:
    out = [first]
    stack = [first]
    while stack:
        cur = stack.pop()
        for child in cur.children:
            if child.dep_ == "conj":
                out.append(child)
                stack.append(child)
    return out


def _meets_a_thing(verb: Token) -> bool:
    """ "Japan, Philippines meet targets", "… meet a deadline": meeting a thing is reaching
    it, not a meeting; "met leaders", "met Putin", "met each other" are meetings."""
    return verb.lemma_.lower() == "meet" and any(
        c.dep_ == "dobj"
        and c.pos_ == "NOUN"
        and c.lemma_.lower() not in _BODIES
        and c.lower_ not in ("other", "counterparts", "counterpart")
        for c in verb.children
    )


def _against_a_third(verb: Token) -> bool:
    """ "Brazil, US clash *with the EU*": a conflict the pair has with a third is no
    conflict between the two (they are on one side of it)."""
    return verb.lemma_.lower() in ("clash", "spar", "feud") and any(
        c.dep_ == "prep" and c.lower_ == "with" for c in verb.children
    )


def _mutual(verb: Token, cues: CueBook) -> bool:
    """The verb, a word it governs or a verb it controls is a mutual act.

    "met", "signed a pact", "are in talks", "continue to strengthen ties",
    "hold joint drills", "work closely together", "called on … in a joint statement",
    "hold drills" (the cue book's ``exercises``: a list's object, no relation noun).
    """
    if _is(verb, cues, "mutual"):
        return not _meets_a_thing(verb) and not _against_a_third(verb)
    if _reciprocal(verb):
        return True  # "India and Pakistan accuse each other", "choke on each other's smog"
    for c in verb.children:
        if c.dep_ == "dobj" and _is(c, cues, "exercises") and _held_together(verb, c):
            return True  # "South Korea, the US and Japan hold drills"
        if (
            c.dep_ == "prep"
            and c.lower_ in ("in", "during")
            and any(
                g.dep_ == "pobj" and _is(g, cues, "exercises") and not _own_exercise(g)
                for g in c.children
            )
        ):
            return True  # "A, B and C to simulate air attacks in an exercise"
        if c.dep_ in ("dobj", "prt", "attr", "acomp", "advmod", "pobj", "prep", "amod", "xcomp"):
            if _in_return(c):
                continue  # "offer citizenship in exchange for investment": in return
            if _is(c, cues, "mutual") or (
                c.dep_ != "advmod"
                and _is(c, cues, "relations")
                and not _of_others(c)
                # weapons each side builds are its own: "Peru and Chile develop new missiles"
                and not _is(c, cues, "materiel")
            ):
                return True
            if (
                c.dep_ == "pobj"
                and verb.lower_ in _JOINTLY
                and any(g.dep_ == "amod" and _is(g, cues, "mutual") for g in c.children)
                and not any(g.lower_ == "by" for g in c.children)
            ):
                return True  # "in a joint statement, China and Iran called on …"
            if (
                c.dep_ in ("prep", "xcomp", "dobj", "attr")
                and not (
                    c.pos_ in _NOUNS
                    and any(g.dep_ == "amod" and _is(g, cues, "mutual") for g in c.children)
                    and any(
                        g.dep_ in ("compound", "nmod") and g.pos_ == "PROPN" for g in c.children
                    )
                )
                and _mutual(c, cues)
            ):
                return True  # not others' joint thing: "scramble jets due to a US-Israel
                # joint air patrol" (the patrol read as the object)
        elif c.dep_ == "acl" and c.pos_ in _VERBAL and verb.pos_ == "NOUN" and _mutual(c, cues):
            return True  # "shown the will to expand ties": the noun's own clause
        elif (
            c.dep_ == "conj"
            and c.pos_ == "VERB"
            and verb.pos_ == "VERB"
            and not any(g.dep_ in _SUBJECTS for g in c.children)
            and not any(t.pos_ == "PROPN" for t in verb.doc[verb.i : c.i])
            and _mutual(c, cues)
        ):
            # "laid wreaths and discussed cooperation": a second verb of theirs; not one a
            # name before it is the subject of, which the parser made an object's conjunct
            # ("condemned the attack and Sweden signed a deal")
            return True
    return False


def _in_return(tok: Token) -> bool:
    """ "In exchange for": what one gets in return, not a trade between the subjects."""
    return (
        tok.dep_ == "pobj"
        and tok.lemma_.lower() == "exchange"
        and tok.head.lower_ == "in"
        and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children)
    )


def _reciprocal(verb: Token) -> bool:
    """Whether a verb's own clause has a reciprocal pronoun ("each other", "one
    another"): its subjects act on one another, whatever the verb."""
    for tok in verb.subtree:
        if tok.lower_ not in ("other", "another") or tok.i == 0:
            continue
        if tok.doc[tok.i - 1].lower_ not in ("each", "one"):
            continue
        clause = next((t for t in tok.ancestors if t.pos_ in _VERBAL), None)
        if clause is not None and clause.i == verb.i:
            return True
    return False


#: Prepositions of the way an act is done together ("*in* a joint statement", "*at* a joint
#: news conference"), not what it is done to ("voted *against* the joint resolution").
_JOINTLY = frozenset({"in", "at", "through", "with", "via"})
#: Words that make an act of a list of agents one act of them all ("a *joint* bid by …").
_JOINT = frozenset({"joint", "jointly", "shared", "common", "together"})


def _joint_exercise(with_: Token, cues: CueBook) -> Token | None:
    """The exercise a list "with" A and B are partners in, all together: "naval drills
    with Russia and South Africa", "will hold drills with Russia and South Africa" (the
    parser hangs "with" from the verb that holds them). Partners in one exercise act
    with each other, as co-objects of "ties with A and B" do not (each tie is the
    subject's own)."""
    if with_.lower_ != "with":
        return None
    head = with_.head
    if head.pos_ in _NOUNS:
        return head if _is(head, cues, "exercises") and not _own_exercise(head) else None
    if head.pos_ == "VERB":
        return next(
            (
                c
                for c in head.children
                if c.dep_ == "dobj" and _is(c, cues, "exercises") and _held_together(head, c)
            ),
            None,
        )
    return None


def _held_together(verb: Token, exercise: Token) -> bool:
    """Whether a verb holds an exercise ("hold drills", "conduct drills") that is no one
    side's own ("separate drills", "North Korea's drills", "US-led drills"); a name that
    is its target is no owner ("anti-North Korea drills")."""
    return (
        verb.lemma_.lower() in _HOLDS
        and not _own_exercise(exercise)
        and not any(c.dep_ == "amod" and c.tag_ == "VBN" for c in exercise.children)
    )


def _own_exercise(exercise: Token) -> bool:
    """Whether an exercise is one side's own or each one's: "separate drills", "their own
    drills", "North Korea's drills"."""
    return any(c.lower_ in _OWN_EACH or c.dep_ == "poss" for c in exercise.children)


def _of_others(relation: Token) -> bool:
    """Whether a relation noun names parties of its own ("condemn the US-brokered truce in
    Gaza", "welcomed the thaw between Turkey and Egypt", "criticise Saudi-Israel
    normalisation"): others' relation, which two acting on it do not share."""
    parties_after = (
        [c for c in relation.head.children if c.i > relation.i] if (relation.dep_ == "dobj") else []
    )  # "welcome thaw between Turkey and Egypt": the parser hangs it from the verb
    return any(
        (c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.pos_ == "PROPN")
        or (c.dep_ == "amod" and c.tag_ in ("VBN", "VBD"))
        or (c.dep_ == "prep" and c.lower_ in ("between", "among", "in", "within"))
        for c in relation.children
    ) or any(c.dep_ == "prep" and c.lower_ in ("between", "among") for c in parties_after)


def _names_relation(noun: Token, cues: CueBook) -> bool:
    return noun.pos_ in _NOUNS and (_is(noun, cues, "relations") or _is(noun, cues, "mutual"))


#: Nouns of a journey: their owner goes where a place-name before them says.
_JOURNEY_NOUNS = frozenset({"visit", "trip", "tour", "journey"})


def _journey(
    top: Token, traveller: list[Token], place: list[Token]
) -> tuple[Token, str, str, str] | None:
    """ "Kim's Russia trip", "Modi's US visit": the owner of a journey noun and the place
    that names where it goes, both modifying it (the owner one edge away, the place a
    compound of the noun itself)."""
    if top.lemma_.lower() not in _JOURNEY_NOUNS or len(place) != 1 or not traveller:
        return None
    if traveller[-1].dep_ != "poss" or place[0].dep_ != "compound":
        return None
    if place[0].ent_type_ not in ("GPE", "LOC", "FAC", ""):
        return None
    return top, "arguments", _named("poss"), "destination"


def _owners_topic(
    top: Token, owner: list[Token], topic: list[Token]
) -> tuple[Token, str, str, str] | None:
    """ "South Africa's Russia stance", "Canada's China policy", "Japan's Russia sanctions":
    a noun owned by one side whose name-modifier is the other is the owner's stance,
    policy or act about it, as "South Africa's stance on Russia" is. The owner one edge
    away, the topic a compound of the noun itself, between the two."""
    if len(topic) != 1 or not owner or owner[-1].dep_ != "poss":
        return None
    if topic[0].dep_ != "compound" or not owner[-1].i < topic[0].i < top.i:
        return None
    return top, "arguments", _named("poss"), "topic"


#: Nouns of a body two sides' hyphened names make joint: "a Franco-German council", "a
#: Chinese-Brazilian joint venture", "the US-Japan business council".
_JOINT_BODIES = frozenset(
    {"council", "commission", "committee", "venture", "forum", "panel", "brigade", "fund"}
    | {"chamber", "association", "society", "institute", "foundation", "consortium"}
    | {"conference"}
)


def _up_the_phrase(
    tok: Token, wanted: Callable[[Token], bool], edges: frozenset[str] = _NOMINAL
) -> Token:
    """Up a noun phrase from a modifier to the first word that is ``wanted``, or to the
    phrase's head when none is ("Moscow" in "Moscow-Pyongyang ties" to "ties"), by
    ``edges`` (``_NAMING``: the words of a name only, "Japan's Kishida" to "Kishida")."""
    while not wanted(tok) and tok.dep_ in edges and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _named_head(tok: Token) -> Token:
    """The head of the name phrase ``tok`` stands in ("Argentine tourists", "Japan's
    Kishida")."""
    return _up_the_phrase(tok, lambda t: False, _NAMING)


def _joint_body(a: Token, b: Token, top: Token) -> tuple[Token, str, str, str] | None:
    """Two sides' names hyphened before the noun of a body are its joint members: the body
    is their relation ("Franco-German council of ministers meets", "the US-China business
    council"). Only hyphened: "a German council and French ministers" is two things. Any
    noun is theirs together when a word of ``_JOINT`` says so ("Joint
    Sudanese-Chadian border force marks 10 years", "joint Sudanese and Chadian patrols");
    without such a word a pair of peoples' words is as often one person's two origins ("a
    Chinese-Canadian businessman")."""
    first, second = sorted((a, b), key=lambda t: t.i)
    # what stands between, but the rest of the first name ("North *Korean*-Russian")
    between = [t.lower_ for t in first.doc[first.i + 1 : second.i] if not t.text[:1].isupper()]
    hyphened = between in (["-"], ["–"])
    noun = _up_the_phrase(top, lambda t: t.lemma_.lower() in _JOINT_BODIES)
    if noun.lemma_.lower() in _JOINT_BODIES and hyphened and noun.i > second.i:
        return noun, "relation noun", "member", "member"
    noun = _up_the_phrase(top, lambda t: False, frozenset({"amod", "compound"}))
    if (
        noun.i > second.i
        and noun.pos_ == "NOUN"
        and (hyphened or between == ["and"])
        and any(c.dep_ == "amod" and c.lower_ in _JOINT for c in noun.children)
    ):
        return noun, "relation noun", "member", "member"
    return None


def _relation_noun(
    top: Token, cues: CueBook, how: str, role_a: str, role_b: str, between: list[Token]
) -> tuple[Token, str, str, str] | None:
    """The relation word that links two modifiers: on the way between them ("Russia ally
    Iran", "Russian-allied Iran") or the noun they modify ("Moscow-Pyongyang ties")."""
    for tok in between[1:] if between else ():
        if _names_relation(tok, cues) or (
            tok.pos_ in ("VERB", "ADJ") and _is(tok, cues, "relations")
        ):
            return tok, how, _named(role_a), _named(role_b)
    noun = _up_the_phrase(top, lambda t: _names_relation(t, cues))
    if _names_relation(noun, cues):
        return noun, how, _named(role_a), _named(role_b)
    return None


#: Prepositions of the party an act is aimed at or comes from ("send greetings *to* Xi",
#: "win praise *from* Trump"); not "against", which two often are together ("take a united
#: stance against the US").
_TOWARD = frozenset({"to", "from", "for"})


def _to_a_third(verb: Token, sides: set[int]) -> bool:
    """Whether two people's act is aimed at a third person, or comes from one ("Kim and
    Putin congratulate Xi", "… send greetings to Xi", "… win praise from Trump"): each
    does the same thing to the third, no act of the two together (the guide's "did the same
    thing separately"). Only a person the recogniser names, or a group of leaders or
    ministers ("joined two dozen leaders in Johannesburg"): a place they go to is no party
    ("visit Vladivostok"), nor a country's thing they act on ("denounced Washington's
    sanctions"), nor what the act is against ("a united stance against the US"); a meeting
    with a third is a mutual act, not asked about here."""
    aimed = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.lower_ not in _TOWARD]
    aimed += [
        o
        for c in verb.children
        if c.dep_ in ("prep", "dative") and c.lower_ in _TOWARD
        for o in c.children
        if o.dep_ == "pobj"
    ]
    # the party itself and its naming words ("China's Xi"), not what it governs
    named = [t for a in aimed for t in (a, *(c for c in a.children if c.dep_ in _NAMING))]
    if any(t.i not in sides and t.ent_type_ == "PERSON" for t in named):
        return True
    # a group of others' leaders: "Li Qiang and Lee Jae-myung joined two dozen leaders"
    return any(a.tag_ == "NNS" and a.lemma_.lower() in _SIDES_PEOPLE for a in aimed)


def _played(
    between: list[Token], cues: CueBook, paths: tuple[list[Token], list[Token]] = ([], [])
) -> bool:
    """Whether the two meet as players or teams in a game: a word between them wins or
    loses a contest (``contests``: beat, defeat, lose, victory …) in a sentence with a
    word of sport (``sports``: match, final, wickets, medal …) or a score ("6-3", "8-1"),
    each side a contestant on its way to that word (:func:`_contestant`).
    "Ukraine will defeat Russia" has neither; "Australia beat India by nine wickets",
    "Japan thrash China 8-1 in World Baseball Classic opener", "a 6-3 7-6 victory over
    France's Humbert" are games; "France wins German backing for a football pact" is
    not (Germany's backing is no rival)."""
    if not any(_is(t, cues, "contests") for t in between):
        return False
    if not all(_contestant(path, cues) for path in paths):
        return False  # "France wins German backing", "tops the US import list": no rival
    doc = between[0].doc
    words = [t.lower_ for t in doc]
    return bool(_SCORE.search(doc.text)) or any(cues.match("sports", words, t.i) for t in doc)


#: A game's score: "6-3", "8-1", "21-17" (not a year span, "2022-23", nor "G-20").
_SCORE = re.compile(r"(?<![\w-])\d{1,2}[-–]\d{1,2}(?![\w-])")


#: Nouns of those who play for a side ("China's men", "the Japanese duo").
_PLAYERS = frozenset(
    {"team", "side", "player", "men", "women", "duo", "pair", "crew", "national", "rival"}
)


def _contestant(path: list[Token], cues: CueBook) -> bool:
    """Whether a side stands in a game as a contestant or its place, not as the owner of
    what is won: its path to the word of a contest has no thing of its own for that
    word's object ("wins *German backing*", "tops *the US import list*",
    "tops the table of *Ukraine's* donors"). Its players ("Spain's *Nadal*", "the
    Japanese *champion*", "China's *men*") and a place of the game ("in the Spanish
    capital") are the game's; a side in a clause of its own is not ("plays her first
    match since leaving prison *in Russia*")."""
    return not any(
        (
            t.pos_ == "NOUN"
            and t.dep_ in ("dobj", "attr")
            and t.lemma_.lower() not in _PLAYERS
            and not _is(t, cues, "sports")
            and not _is(t, cues, "contests")  # "completed a clean *sweep* of the titles"
        )
        # a clause of its own ("… since leaving prison in Russia"), not the contest's own
        # verb ("come from behind *to knock* Thailand out of the Asian Cup")
        or (t.pos_ == "VERB" and not _is(t, cues, "contests"))
        for t in path[1:]
    )


#: Words whose lemma is a cue but that only say where a statement comes from.
_ATTRIBUTING = frozenset({"according"})


def _is(tok: Token, cues: CueBook, section: str) -> bool:
    """Whether a word is one of a cue-book section's, alone or with its particle ("ganging
    up" for the cue "ganging up"); "according" (to a report) only attributes, though its
    lemma is the noun of an agreement."""
    if tok.lower_ in _ATTRIBUTING:
        return False
    if cues.match(section, [tok.lower_], 0) or cues.match(section, [tok.lemma_.lower()], 0):
        return True
    particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    return particle is not None and bool(
        cues.match(section, [tok.lower_, particle], 0)
        or cues.match(section, [tok.lemma_.lower(), particle], 0)
    )


def _compares(tok: Token, cues: CueBook) -> bool:
    return _is(tok, cues, "comparisons")


def _compared(top: Token, path_a: list[Token], path_b: list[Token]) -> bool:
    """Whether a word of comparison at the top sets the two sides side by side. A verb of
    comparison does so when one side is what it compares with: its object, or the object
    of its "than" or "behind", or a name that owns or modifies that object ("India
    overtakes *China*", "India lags behind *China*", "surpassed *Russia's* output"); the
    "to" or "with" of a verb whose object is no side's is a recipient or a partner
    ("passed weapons *to Russia*"), except for a verb that sets its object beside another
    thing ("equates X with Y", "likens X to Y").
    A verb whose object is a thing of the other side's reached through an act or a
    participle acts on it ("the House passes a bill to sanction Iran", "offices will
    replace Chinese-made cameras"); a word of comparison that is no verb ("than",
    "behind", "relative"), or a verb with no object, always compares."""
    if top.pos_ not in _VERBAL or not any(c.dep_ == "dobj" for c in top.children):
        return True  # with no object of its own, what it compares with may be misread
    if top.lemma_.lower() in _SIDE_BY_SIDE:
        return True  # "equates the supply of weapons to Russia with Iran's aid"
    if top.lemma_.lower() == "pass" and not (
        any(c.dep_ == "prep" and c.lower_ == "to" for c in top.children)
        or any(c.dep_ == "dobj" and c.lemma_.lower() in _LEGISLATION for c in top.children)
    ):
        return True  # "a tanker passes a US-bound carrier": going past, not giving or enacting
    for path in (path_a, path_b):
        if not path:
            continue
        names = path[:-1]
        last = path[-1]
        if last.dep_ == "prep" and last.lower_ in _STANDARDS and len(path) >= 2:
            names, last = path[:-2], path[-2]
            if last.dep_ != "pobj":
                continue
        elif last.dep_ not in ("dobj", "attr", "oprd"):
            continue
        if all(t.dep_ in _NAMES_IN_OBJECT for t in names):
            return True
    return False


#: Prepositions of what a verb of comparison compares with.
_STANDARDS = frozenset({"than", "behind"})
#: What a legislature passes ("passes a bill to sanction Iran"): an act, not going past.
_LEGISLATION = frozenset(
    {"bill", "law", "resolution", "measure", "legislation", "act", "motion", "amendment"}
)
#: Verbs of comparison whose object is itself a thing compared ("equates X with Y").
_SIDE_BY_SIDE = frozenset({"compare", "equate", "liken", "contrast", "coincide"})
#: Edges inside an object's name: its members and the names that own or modify it.
_NAMES_IN_OBJECT = frozenset({"compound", "conj", "poss", "amod", "nmod", "appos", "flat"})


def _standard(path: list[Token]) -> bool:
    """Whether the actor is the standard of a comparison: "a GDP one-quarter *that of
    China*", "prices like *those of India*" (the pronoun stands for the thing compared),
    "1.43 billion against 1.41 billion *for China*" (a figure set against a figure)."""
    for prep, up in zip(path, path[1:], strict=False):
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "of" and up.lower_ in ("that", "those") and up.pos_ == "PRON":
            return True
        if up.dep_ == "pobj" and up.head.lower_ in _SET_AGAINST and _figure(up):
            return True  # "… against 1.41 billion for China" read as one phrase
    for prep in path:
        if (
            prep.dep_ == "prep"
            and prep.lower_ == "for"
            and any(
                c.dep_ == "prep"
                and c.lower_ in _SET_AGAINST
                and any(o.dep_ == "pobj" and _figure(o) for o in c.children)
                for c in prep.head.children
            )
        ):
            return True  # "… against 1.41 billion, for China" beside the figure it follows
    return False


#: Prepositions that set one figure against another ("1.43 billion against 1.41 billion").
_SET_AGAINST = frozenset({"against", "versus", "vs", "vs."})


def _figure(noun: Token) -> bool:
    """Whether a noun is a figure: a number, or a unit counted by one ("1.41 billion",
    "40 %", "$3 trillion")."""
    return noun.like_num or any(c.dep_ in ("nummod", "quantmod") for c in noun.children)


def _says(verb: Token, cues: CueBook) -> bool:
    return _is(verb, cues, "speech")


def _small_clause(clause: Token, below: list[Token]) -> bool:
    """A clause the other actor makes happen or speaks of itself in.

    A bare infinitive whose subject is this actor ("helps Russia build",
    "let Kim go") or a bare past participle ("wants the Chinese envoy
    recalled", "had Kim's aide arrested"), or a clause whose subject is a
    pronoun, read as the other actor ("Kim shows he has aligned with Russia").
    """
    # the tagger often takes such a participle for a past tense ("wants X recalled"): with
    # no auxiliary and no "that", under a verb that takes an object and a participle, it
    # is one ("knows China built a dam" is a past tense: what is known, not done)
    bare = clause.tag_ == "VB" or (
        clause.tag_ in ("VBN", "VBD")
        and clause.head.lemma_.lower() in _OBJECT_AND_PARTICIPLE
        and not any(c.dep_ in ("aux", "auxpass", "mark") for c in clause.children)
    )
    if bare and bool(below) and below[-1].dep_ == "nsubj":
        return True
    if (
        clause.tag_ == "VBP"
        and clause.dep_ == "ccomp"
        and bool(below)
        and below[-1].dep_ == "nsubj"
        and below[-1].pos_ == "PROPN"
        and below[-1].i == clause.i - 1
        and not any(c.dep_ in ("aux", "auxpass", "mark", "neg") for c in clause.children)
    ):
        return True  # "Berlin rejects Paris call for …": a noun the tagger read as a verb
    if (
        clause.pos_ == "ADJ"
        and clause.dep_ == "ccomp"
        and bool(below)
        and below[-1].dep_ == "nsubj"
        and not any(c.dep_ in ("aux", "auxpass", "cop", "mark") for c in clause.children)
    ):
        return True  # "holds the US responsible": the object and what it is held to be
    if clause.lower_ == "worth" and any(
        c.dep_ == "nsubj" and c.pos_ == "NOUN" for c in clause.children
    ):
        return True  # "signs deals worth $10bn with China": the object's value, read as a clause
    return any(c.dep_ == "nsubj" and c.tag_ == "PRP" for c in clause.children)


#: Adjectives of how likely or sure a thing is ("it was highly *probable* that …").
_LIKELIHOOD = frozenset({"probable", "likely", "possible", "clear", "certain", "unlikely"})


def _likely_that(verb: Token) -> bool:
    """Whether a verb is "it is likely", "it was highly probable" and the like: its clause
    is what is said to be likely, so what a speaker says is that clause ("the president
    said it was highly probable the rocket was fired by Ukraine's air defence")."""
    return (
        verb.lemma_.lower() == "be"
        and any(c.dep_ == "acomp" and c.lemma_.lower() in _LIKELIHOOD for c in verb.children)
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in verb.children)
    )


def _describes_noun_of(path: list[Token], other_path: list[Token]) -> bool:
    """Whether the path rises through a participle describing the other actor's own noun:
    "Russian engineers *helping* Iran build a port". The noun a participial clause
    describes is its subject, so the other actor, a modifier of that noun, acts in the
    clause as the subject of a full sentence would ("Russian engineers are helping Iran
    build a port")."""
    return (
        len(path) > 1
        and path[-1].dep_ == "acl"
        and path[-1].pos_ in _VERBAL
        and path[-1].tag_ == "VBG"
        and bool(other_path)
        and all(t.dep_ in ("amod", "compound", "poss", "nmod") for t in other_path)
    )


def _in_clause(path: list[Token], other_role: str, other_path: list[Token], cues: CueBook) -> bool:
    """Whether an actor's path up to the shared node stays within the other's clause.

    ``other_role`` is the other actor's role at the shared node: a clause the
    path enters on the way up counts only when it is the other actor who acts
    in it — the speaker of what is said ("Kim said Russia would prevail"),
    the shared subject of a second verb ("Kim visited Russia and met Putin"),
    the noun a relative or participial clause describes ("North Korean troops
    fighting for Russia").
    """
    speaker = (
        other_role in ("nsubj", "agent")
        or _listed_subject(other_path)
        or _describes_noun_of(path, other_path)
    )
    # a verbless headline's noun is the subject of its purpose: "Lula in Shanghai on visit
    # *to boost ties with China*"
    headline = other_role == "head" and not other_path
    for pos, tok in enumerate(path):
        dep = tok.dep_
        if dep in ("acl", "relcl"):
            if pos < len(path) - 1 and dep == "relcl" and tok.head.dep_ in _SUBJECTS:
                # a clause describing the subject of someone else's act: "The US secretary
                # of state, who visited Beijing last month, will meet New Zealand officials"
                # (Beijing is where the secretary went, not who meets them)
                return False
            if (
                pos < len(path) - 1
                and dep == "relcl"
                and tok.head.pos_ == "PROPN"
                and tok.head.ent_type_ == "PERSON"
                and tok.head.i not in {t.i for t in other_path}
            ):
                # a clause describing a third person: "arrived for talks with Biden, whose
                # administration is looking to align with the ally on China and Russia"
                return False
            continue  # "drones sold to Russia", "Russia, which backs North Korea"
        if dep == "advmod" and pos == 0 and tok.head.tag_ == "VBN" and tok.head.dep_ == "amod":
            continue  # "a Philippine-claimed island": the name is the participle's agent
        if dep in _NOMINAL or dep in _ARGUMENT:
            continue
        if dep == "conj":
            if tok.pos_ not in _VERBAL:
                continue  # a list with a third name: the list fills the role
            if any(c.dep_ in _SUBJECTS for c in tok.children) or not speaker:
                return False
            continue  # a second verb of the other actor
        if (
            dep == "advcl"
            and (speaker or (headline and tok.head.dep_ == "ROOT" and tok.head.pos_ in _NOUNS))
            and not any(c.dep_ in _SUBJECTS for c in tok.children)
            and all(c.lower_ in _SAME_SUBJECT for c in tok.children if c.dep_ == "mark")
        ):
            # "…, shielding North Korea", "… while pursuing a Chinese boat": the subject acts
            # again
            continue
        if (
            dep == "ccomp"
            and speaker
            and (
                _says(tok.head, cues)
                or tok.head.lemma_.lower() in _DEMANDING
                or _small_clause(tok, path[:pos])
                or _likely_that(tok.head)
            )
        ):
            # what the other actor says, demands ("demanded that Pakistan punish …"), or makes
            # happen ("helping Russia build")
            continue
        if (
            dep == "csubj"
            and speaker
            and tok.tag_ == "VBG"
            and (
                # "believe that preparing for a war with China is the best way": theirs
                not any(c.dep_ in _SUBJECTS for c in tok.children)
                # "warned that Finland joining the alliance would be a mistake": its act
                or (
                    tok.head.dep_ == "ccomp"
                    and _says(tok.head.head, cues)
                    and pos > 0
                    and path[pos - 1].dep_ in ("nsubj", "poss")
                )
            )
        ):
            continue
        if (
            dep == "advcl"
            and speaker
            and path[-1].head.i in {t.i for t in _threats_of(tok)}
            and path[pos - 1].dep_ in ("nsubj", "nsubjpass")
            and all(t.dep_ in ("conj", "amod", "compound") for t in path[: pos - 1])
        ):
            continue  # "threatened to arm North Korea if South Korea arms Ukraine": at whom
        if (
            dep == "advcl"
            and other_role == "nsubj"
            and _subject_itself(other_path)
            and _for_to(tok)
            and _subject_itself(path[:pos], ("nsubj", "nsubjpass"))
            and (tok.head.lemma_.lower() in _ASKING or _says(tok.head, cues))
        ):
            continue  # what the other actor calls or acts for: "calls for Iran sanctions to end"
        return False
    return True


#: Verbs and nouns of a threat a condition is attached to ("threatened to retaliate if …",
#: "there would be consequences if …").
_THREATS = frozenset({"threaten", "retaliate", "punish", "respond", "react"})
_WARNS = frozenset({"warn", "vow"})
_PRICES = frozenset(
    {"consequence", "consequences", "retaliation", "response", "repercussions", "price"}
    | {"countermeasures"}
)


def _threats_of(clause: Token) -> list[Token]:
    """The acts a clause of "if"/"unless" is the condition of a threat for: the verb it
    hangs from when that threatens, retaliates, punishes, responds or reacts ("Medvedev
    threatened to arm North Korea *if South Korea sends aid*", "Peru will respond if Chile
    attacks"), or warns, vows or says of a price
    ("warned of consequences", "there would be consequences *if China sends
    weapons*", under a verb of saying whose clause has no named subject of its own);
    with the verb that governs a "to" clause ("threatened *to arm*"). The threat is
    aimed at the condition's own subject, not at what it acts on ("… if China sends
    weapons *to Russia*"), nor at the owner of that subject ("if *India's* neighbour
    Nepal joins"); a pledge, a forecast or advice ("vowed to keep prices stable if …",
    "warned that prices could climb if …") threatens no one. Empty when none."""
    if not any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children):
        return []
    head = clause.head
    chain = [head, head.head] if head.dep_ == "xcomp" else [head]

    def priced(verb: Token) -> bool:
        return any(
            (c.dep_ in ("attr", "dobj", "nsubj") and c.lemma_.lower() in _PRICES)
            or (
                c.dep_ == "prep"
                and c.lower_ == "of"
                and any(o.lemma_.lower() in _PRICES for o in c.children)
            )
            for c in verb.children
        )

    found = [
        h
        for h in chain
        if h.lemma_.lower() in _THREATS or (h.lemma_.lower() in _WARNS and priced(h))
    ]
    if not found and priced(head) and head.dep_ == "ccomp":
        said = head.head  # "Scholz says there would be consequences if …"
        if not any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN" for c in head.children):
            found = [said]
    return found


#: Verbs that ask or act for what a "for … to" clause says ("calls for Iran sanctions to be
#: lifted", "pushed for North Korea to be spared"); "waited for Russia to act" does not.
_ASKING = frozenset({"call", "push", "press", "ask", "appeal", "lobby", "plead", "campaign"})
#: Verbs whose "that" clause is what the subject wants done: "demanded that Pakistan punish".
_DEMANDING = frozenset({"demand", "request", "urge", "ask", "insist", "order", "require"})


def subjectless_infinitive(clause: Token) -> bool:
    """A clause of "to" and a verb with no subject of its own ("brokered a deal *to restore*
    ties"): it shares the subject of the clause above."""
    children = list(clause.children)
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and not any(
        c.dep_ in _SUBJECTS for c in children
    )


def _for_to(clause: Token) -> bool:
    """An infinitive with its own subject brought in by "for" ("calls for Iran sanctions
    to be lifted", "pushed for North Korea to be spared"): what the verb above calls or
    acts for, its complement, not a circumstance with a subject of its own."""
    children = list(clause.children)
    return any(c.dep_ == "mark" and c.lower_ == "for" for c in children) and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ == "to" for c in children
    )


#: Nouns of a visit or talks their participants go to or hold with someone ("during his
#: visit to Russia", "during talks with China").
_OWN_EVENTS = _MEETINGS | {"talk", "visit", "trip", "tour", "stay", "call"}


def _own_event(path: Sequence[Token], subject: Token) -> bool:
    """Whether a path ends in a visit or talks the subject itself takes part in, with the
    actor its destination or partner: "Kim inspected arms during *his visit to* Russia";
    not another's ("during *Putin's* visit to India", "during *US* talks with Japan", a
    country's act "during *his* trip"), nor one that may be someone's named between the
    subject and it ("criticised Blinken during his trip to India", "monitored Chinese ships
    during their talks with Russia"). Drills and games are left out: their owner is too
    often implicit and another's ("tracked Chinese warships during drills with Russia")."""
    if len(path) < 3:
        return False
    noun, prep = path[-1], path[-2]
    if noun.dep_ != "pobj" or noun.lemma_.lower() not in _OWN_EVENTS:
        return False
    if prep.dep_ != "prep" or prep.lower_ not in ("to", "with", "in") or prep.head.i != noun.i:
        return False
    for c in noun.children:
        if c.dep_ == "poss" and (
            c.pos_ != "PRON" or (c.lower_ in ("his", "her") and subject.ent_type_ in _NOT_PEOPLE)
        ):
            return False
        if c.dep_ in ("compound", "amod", "nmod") and (c.pos_ == "PROPN" or c.text[:1].isupper()):
            return False
    during = path[-1].head
    between = subject.doc[subject.i + 1 : during.i]
    return not any(t.pos_ == "PROPN" or t.ent_type_ in _OWNERS for t in between)


#: Entity types of a possible owner of an event named between its subject and it.
_OWNERS = frozenset({"PERSON", "NORP", "GPE", "ORG"})


#: Entity types of no person: "his" cannot be theirs.
_NOT_PEOPLE = frozenset({"GPE", "NORP", "ORG", "LOC", "FAC"})


def _crosses_other_matter(
    path: list[Token], subject: Token | None = None, cues: CueBook | None = None
) -> bool:
    """Whether the path passes a word that puts the actor in another matter.

    "like", "including" and "such as" on a noun give examples of it
    ("turned to countries like North Korea"); elsewhere they compare. With
    the other actor the ``subject`` (the subject's noun), a clause of time with
    no subject of its own is that subject acting again ("Kim left after meeting
    Putin"), and so is its own event ("during his visit to Russia").
    """
    for pos, tok in enumerate(path):
        if (
            subject is not None
            and tok.dep_ == "prep"
            and tok.lower_ in _SAME_SUBJECT
            and pos > 0
            and path[pos - 1].dep_ == "pcomp"
            and path[pos - 1].pos_ == "VERB"
            and not any(c.dep_ in _SUBJECTS for c in path[pos - 1].children)
        ):
            continue
        if subject is not None and tok.lower_ == "during" and _own_event(path[:pos], subject):
            continue  # "Kim inspected arms during his visit to Russia": the subject's own
        word = tok.lower_
        if tok.dep_ == "pobj" and word in _CIRCUMSTANCES and tok.head.lower_ == "in":
            return True  # "in the wake of …"
        if tok.dep_ not in ("prep", "mark", "cc") or word not in _OTHER_MATTER:
            continue
        if word in _EXAMPLES and tok.head.pos_ == "NOUN":
            continue
        if (
            word in ("between", "among")
            and cues is not None
            and subject is not None
            and _bond_acted_on(tok.head, cues)
            and _acting_verb(tok.head).i == subject.head.i
        ):
            continue  # "Lula backs talks between Russia and Ukraine": done to its parties;
            # not by another's verb ("thanked Turkey for hosting talks between …")
        if word == "alongside" and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() in _BESIDE:
            continue  # "speaking alongside President Niinisto": the two appear together
        if word == "as" and any(c.lower_ == "such" for c in [*tok.children, *tok.head.children]):
            continue
        if word == "as" and tok.head.pos_ in _VERBAL and tok.head.lemma_.lower() in _SERVING:
            continue  # "the drills were meant as a warning to China": what they are for
        return True
    return False


#: Verbs whose "as" says what their subject is for, not whom it is like ("meant *as a
#: deterrent* against Iran", "serves as a warning to China").
_SERVING = frozenset({"mean", "intend", "design", "serve", "act"})
