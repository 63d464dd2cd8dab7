"""Who meets in a meeting: the participants a meeting predicate names, read from a parse.

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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.analysis.pipeline import headline_case, parse_sentence

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Participants", "participants"]

#: Words before a plural that make it the people already named, not a group of others.
_BACK = frozenset({"the", "two", "both", "their", "these", "those"})


#: Heads of a participant that hold an office of their own: "Brazil's president", "China's
#: defence minister" (when the gazetteer did not resolve the office to one of the pair).
_OFFICES = frozenset(
    {"president", "minister", "chancellor", "premier", "secretary", "king", "emir", "pope"}
    | {"envoy", "ambassador", "delegation", "official", "general", "senator", "governor"}
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

    @property
    def someone_else(self) -> bool:
        """The meeting is not the pair's: a group of others, or a third party meets one of
        them ("Macron meets Xi", "Putin meets China's defence minister")."""
        return self.others or (self.third and not all(self.sides))


def participants(
    sentence: str,
    anchor: tuple[int, int],
    names: list[tuple[int, int]],
    sides: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], []),
) -> Participants:
    """The participants of the meeting word at ``anchor`` (offsets into ``sentence``).

    ``names`` are the spans the gazetteer found (people, offices, countries);
    ``sides`` the spans of each side's people (a summit rule's two leaders,
    by name or office). Only a verb's own arguments are read; a noun ("the
    summit") names no participants here and is never someone else's.
    """
    text = headline_case(sentence, names)
    doc = parse_sentence(text)
    word = next((t for t in doc if t.idx <= anchor[0] < t.idx + len(t.text)), None)
    if word is None or word.pos_ not in ("VERB", "NOUN"):
        return Participants(named=False, others=False)
    # people the gazetteer does not know are lower-cased in a Title Case headline for the
    # tagger; the recogniser finds them in the headline as written ("Xi to Meet Blinken")
    # only a full name: a bare surname may be one of the pair's the gazetteer left
    # unresolved there ("Takaichi will meet Lee")
    persons = [
        (e.start_char, e.end_char)
        for e in (parse_sentence(sentence).ents if text != sentence else doc.ents)
        if e.label_ == "PERSON" and len(e) > 1
    ]
    found = _verb_parties(word) if word.pos_ == "VERB" else _noun_parties(word)
    if not found:
        return Participants(named=False, others=False)
    named = any(_holds_name(t, names) for t in found)
    others = not named and all(_group(t) for t in found)
    held = (
        any(_holds_name(t, sides[0]) for t in found),
        any(_holds_name(t, sides[1]) for t in found),
    )
    pair = [*sides[0], *sides[1]]
    # without the pair's people there is no telling a third party from one of them
    third = bool(pair) and any(not _holds_name(t, pair) and _party(t, persons) for t in found)
    return Participants(named=named, others=others, sides=held, third=third)


def _party(tok: Token, persons: list[tuple[int, int]]) -> bool:
    """Whether a participant is a person of its own: a name the recogniser calls a person,
    or an office-holder ("the defence minister"); not a place, a pronoun or "counterpart"."""
    if tok.pos_ == "PRON":
        return False
    if any(s <= tok.idx < e for s, e in persons):
        return True
    return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in _OFFICES


#: Verbs whose object is a meeting their subject takes part in: "held talks with", "hosts a
#: summit", "had a meeting".
_TAKE_PART = frozenset({"hold", "have", "host", "attend", "begin", "start", "conclude", "join"})


def _verb_parties(verb: Token) -> list[Token]:
    """A meeting verb's subject, object and with-object, with their conjuncts."""
    found: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "prep" and child.lower_ == "with":
            found.extend(_objects(child))
        if child.dep_ == "dobj":  # "held talks with …": the meeting noun's own partner
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ("with", "between"):
                    found.extend(_objects(prep))
    return found


def _noun_parties(noun: Token) -> list[Token]:
    """A meeting noun's owner ("Macron's visit"), its with- or between-object ("talks with
    China's defence minister") and, for the object of a verb of taking part, that verb's
    subject ("Putin held talks with …")."""
    found: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss":
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "prep" and child.lower_ in ("with", "between"):
            found.extend(_objects(child))
    head = noun.head
    if noun.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_.lower() in _TAKE_PART:
        for child in head.children:
            if child.dep_ == "nsubj":
                found.extend(_with_conjuncts(child))
            elif child.dep_ == "prep" and child.lower_ == "with":
                found.extend(_objects(child))
    return found


def _objects(prep: Token) -> list[Token]:
    return [t for obj in prep.children if obj.dep_ == "pobj" for t in _with_conjuncts(obj)]


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj":
            out.extend(_with_conjuncts(child))
    return out


#: Edges into a clause of its own: not part of the participant's phrase.
#: (An apposition is the participant itself: "the president, Yoon Suk Yeol".)
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct"})


def _holds_name(tok: Token, names: list[tuple[int, int]]) -> bool:
    """Whether the participant's phrase (without its clauses) holds a name found
    ("Kishida", "leaders of Japan and the US")."""
    phrase = [tok]
    stack = [tok]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in _CLAUSES:
                phrase.append(child)
                stack.append(child)
    return any(s < t.idx + len(t.text) and t.idx < e for t in phrase for s, e in names)


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
    sentence: str, anchor: tuple[int, int], when: tuple[int, int], names: list[tuple[int, int]]
) -> bool:
    """Whether the time expression at ``when`` can date the meeting word at ``anchor``.

    Not when it hangs from a verb of saying above the meeting ("Biden will
    meet Xi at some point, Sullivan said on Sunday": Sunday is the saying's
    day). Anything else the parse cannot place is given the benefit of the
    doubt: the nearest date in the clause, as before.
    """
    doc = parse_sentence(headline_case(sentence, names))
    word = next((t for t in doc if t.idx <= anchor[0] < t.idx + len(t.text)), None)
    time = next((t for t in doc if t.idx <= when[0] < t.idx + len(t.text)), None)
    if word is None or time is None:
        return True
    above = {t.i for t in word.ancestors}
    for tok in time.ancestors:
        if tok.i == word.i:
            return True  # inside the meeting's own phrase or clause
        if tok.i in above:
            # it hangs from something that governs the meeting: a saying dates only itself
            return not (tok.pos_ == "VERB" and tok.lemma_.lower() in _SAYING)
    return True
