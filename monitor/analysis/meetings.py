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


@dataclass(frozen=True, slots=True)
class Participants:
    """The participants a meeting verb names, and whether they are only a group of others."""

    named: bool  # a participant is one of the names given
    others: bool  # the verb names its participants, and they are a group of others


def participants(
    sentence: str, anchor: tuple[int, int], names: list[tuple[int, int]]
) -> Participants:
    """The participants of the meeting word at ``anchor`` (offsets into ``sentence``).

    ``names`` are the spans the gazetteer found (people, offices, countries).
    Only a verb's own arguments are read; a noun ("the summit") names no
    participants here and is never a group's.
    """
    doc = parse_sentence(headline_case(sentence, names))
    word = next((t for t in doc if t.idx <= anchor[0] < t.idx + len(t.text)), None)
    if word is None or word.pos_ != "VERB":
        return Participants(named=False, others=False)
    found: list[Token] = []
    for child in word.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "prep" and child.lower_ == "with":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found.extend(_with_conjuncts(obj))
    if not found:
        return Participants(named=False, others=False)
    named = any(_holds_name(t, names) for t in found)
    others = not named and all(_group(t) for t in found)
    return Participants(named=named, others=others)


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj":
            out.extend(_with_conjuncts(child))
    return out


#: Edges into a clause of its own: not part of the participant's phrase.
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct", "appos"})


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
