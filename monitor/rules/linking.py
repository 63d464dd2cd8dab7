"""Are two actors *linked* in a sentence, or merely listed side by side?

News that names North Korea and Russia mostly names them in a list ("China,
Russia, Iran and North Korea pose threats"); the rule is after the sentences
where one acts toward the other or a relation between them is stated. The
event coders for news (CAMEO, PETRARCH) read who-did-what-to-whom off a
sentence's shape with an actor dictionary and a verb lexicon; this module does
the same, shallowly and explainably, with the gazetteer as the actors and
``cues.yaml`` as the lexicon:

* **Coordinated lists** are found first: actors joined only by commas, "and",
  "or", "&", "as well as", or hyphens ("Russia-North Korea"). Two actors in
  one list share whatever the list does, so they are *not* linked by it —
  except a list of exactly two with a relation of its own: a compound naming a
  relation ("Russia-North Korea ties"), "ties/talks between A and B", "a deal
  with A and B", or a pair doing something mutual ("Russia and North Korea
  signed a pact", "Kim and Putin met").
* **An interaction between them**: actors in different lists with an
  interaction cue in between, in one clause ("Pyongyang has been *backing*
  Moscow", "Russia *seeking* arms from North Korea", "North Korea, Iran and
  China's *connections* to Russia"). A clause break in between (";", "while",
  "but", …) separates them. A cue that opens a second predicate after a comma,
  when the first actor was an object ("pressure on Russia, condemn North
  Korea's tests"), belongs to someone else. Speech verbs count only right
  between them ("Kim said Russia will prevail").
* **Possessive and attributive forms** fall out of the same shapes: "Putin's
  support, Kim …", "North Korean weapons for Russia", "North Korea help"
  (a relation noun right after the second actor).
* **About**: an interaction in the clause, then the second actor after
  "over"/"about" ("clashed with Russia over North Korea's launch").

Every link carries its evidence: the sentence, the cue and how it linked
(``between``, ``compound``, ``pair``, ``about``, ``after``), so an analyst can
see why an alert fired. The lexicon holds words of the language, editable in
the watchlist directory; nothing here knows any story.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.article import Span
from monitor.errors import WatchlistError
from monitor.normalize.text import split_sentences
from monitor.rules.yamlsrc import line_of, load_yaml

__all__ = ["CUES_FILE", "Lexicon", "FoundLink", "describe", "find_link", "link_words"]

CUES_FILE = "cues.yaml"
_SECTIONS = (
    "interactions", "relations", "mutual", "speech", "breaks", "about", "comparisons", "origins",
    "materiel", "attacks", "uses", "defences", "styles", "references", "people", "attitudes",
    "mediation", "boundaries", "waters", "digests", "currencies", "exercises", "harms",
    "backing", "contests", "sports", "accidents", "travellers", "passers", "publications",
    "deeds",
)  # fmt: skip

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")
#: A possessive ending on a word of :data:`_TOKEN` ("country's").
_POSSESSIVE = re.compile(r"'s$")
#: What always ends an item of a digest's list (:meth:`Lexicon.digest_items`); a comma or an
#: "and" ends one only between two matters.
_ITEM_BREAKS = frozenset({";", ":", "•", "–", "—"})
#: Words that join the members of a coordinated list.
_JOINERS = frozenset({",", "and", "or", "&", "nor", "the", "both", "-", "–", "/", "as", "well"})
_HYPHENS = frozenset({"-", "–", "/"})
_PREPOSITIONS = frozenset(
    {"on", "of", "in", "at", "to", "with", "against", "from", "for", "over", "by", "about", "into"}
)
_COORDINATORS = frozenset({",", "and", "or"})
#: Words right before the second actor that deny it a part: "Peru-Chile deal: no
#: Bolivian role", "a deal without Bolivia".
_DENYING = frozenset({"no", "not", "without"})
#: Capitalised words that are never list members on their own (sentence furniture).
_FUNCTION = frozenset({"the", "a", "an", "and", "or", "of", "in", "on", "to", "for", "with", "as"})


@dataclass(frozen=True, slots=True)
class FoundLink:
    """Why two actors count as linked: where, by which cue, and how."""

    sentence: Span
    cue: Span
    how: str
    left: Span
    right: Span
    #: the two actors' roles when a parse linked them ("subject", "object")
    roles: tuple[str, str] | None = None
    #: when one actor is a reference ("it", "the two nations"): its span and the name it
    #: stands for (:mod:`monitor.analysis.reference`)
    referent: tuple[Span, Span] | None = None


class Lexicon:
    """The interaction cues of ``cues.yaml``: words, ``prefix*`` words and phrases."""

    def __init__(self, sections: Mapping[str, Sequence[str]], path: Path | None = None) -> None:
        self.path = path
        self._exact: dict[str, dict[str, tuple[str, ...]]] = {}
        self._prefix: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for section in _SECTIONS:
            exact: dict[str, tuple[str, ...]] = {}
            prefixes: list[str] = []
            phrases: list[tuple[str, ...]] = []
            for entry in sections.get(section, ()):
                words = tuple(entry.lower().split())
                if len(words) > 1:
                    phrases.append(words)
                elif words[0].endswith("*"):
                    prefixes.append(words[0][:-1])
                else:
                    exact[words[0]] = words
            self._exact[section] = exact
            self._prefix[section] = tuple(prefixes)
            self._phrases[section] = phrases

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read and validate ``cues.yaml``; errors name the file and the line."""
        data, root = load_yaml(path)
        if not isinstance(data, dict):
            raise WatchlistError("expected a mapping of cue sections", path=path, line=1)
        sections: dict[str, list[str]] = {}
        for key, value in data.items():
            if key not in _SECTIONS:
                raise WatchlistError(
                    f"unknown section {key!r} (allowed: {', '.join(_SECTIONS)})",
                    path=path,
                    line=line_of(root, (key,)),
                )
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                raise WatchlistError(
                    f"{key}: expected a list of words", path=path, line=line_of(root, (key,))
                )
            for i, word in enumerate(value):
                if "*" in word[:-1] or (word.endswith("*") and " " in word):
                    raise WatchlistError(
                        f"{key}: {word!r}: '*' only ends a single word",
                        path=path,
                        line=line_of(root, (key, i)),
                    )
            sections[key] = value
        return cls(sections, path)

    def match(self, section: str, words: Sequence[str], i: int) -> int:
        """How many words starting at ``words[i]`` form a cue of ``section`` (0: none)."""
        word = words[i]
        for phrase in self._phrases[section]:
            if tuple(words[i : i + len(phrase)]) == phrase:
                return len(phrase)
        if word in self._exact[section]:
            return 1
        if self._prefix[section] and word.startswith(self._prefix[section]):
            return 1
        return 0

    def mentions(self, section: str, text: str) -> bool:
        """Whether any cue of ``section`` occurs in ``text`` (a cheap test before a parse); a
        possessive is its word ("the country's" holds "country", as the parser reads it)."""
        words = [_POSSESSIVE.sub("", w.lower()) for w in _TOKEN.findall(text)]
        return any(self.match(section, words, i) for i in range(len(words)))

    def digest_items(self, text: str, lo: int, hi: int) -> list[Span] | None:
        """The items of a digest's list, when the sentence ``text[lo:hi]`` opens with one of
        the cue book's ``digests`` ("Also in today's newsletter, Russia claims victory over
        Bakhmut and Japan's newfound swagger"), else None.

        A newsletter's list joins separate matters with commas and "and" (the
        guide's "a digest with an item on each"); each item is read alone, so
        two sides named in different items are not linked. Semicolons, colons,
        bullets and dashes always end an item. A comma or an "and" ends one
        only between two matters — each of three words or more with a word
        that is no name, the second starting with a capital ("Russia claims a
        town *and* Japan's newfound swagger") — so an apposition ("Xi, China's
        leader, meets Putin"), an address ("arrives in Khasan, Russia, by
        train"), a list of names ("Japan and Russia sign a deal") and a shared
        subject ("India buys oil and arms from Russia") stay in one item.
        """
        toks = list(_TOKEN.finditer(text, lo, hi))
        first = next((i for i, m in enumerate(toks) if m.group()[0].isalnum()), len(toks))
        words = [m.group().lower() for m in toks]
        opener = self.match("digests", words, first) if first < len(toks) else 0
        if not opener:
            return None
        # segments between every possible break, and whether each break is a hard one
        segments: list[list[re.Match[str]]] = [[]]
        hard: list[bool] = []
        for m in toks[first + opener :]:
            if m.group() in _ITEM_BREAKS or m.group() in (",", "and"):
                segments.append([])
                hard.append(m.group() in _ITEM_BREAKS)
            else:
                segments[-1].append(m)
        items: list[list[re.Match[str]]] = [segments[0]]
        for is_hard, segment in zip(hard, segments[1:], strict=True):
            nxt = [m for m in segment if m.group()[0].isalnum()]
            if is_hard or (
                _a_matter(items[-1]) and _a_matter(segment) and nxt and nxt[0].group()[0].isupper()
            ):
                items.append(list(segment))
            else:
                items[-1].extend(segment)
        return [(item[0].start(), item[-1].end()) for item in items if item]

    def find(self, section: str, words: Sequence[str], lo: int, hi: int) -> tuple[int, int] | None:
        """The first cue of ``section`` within ``words[lo:hi]``, as (start, length)."""
        for i in range(lo, hi):
            n = self.match(section, words, i)
            if n and i + n <= hi:
                return i, n
        return None


def semicolon_items(text: str, lo: int, hi: int, headline: bool) -> list[Span] | None:
    """The items of a list told with semicolons, each read alone: a headline with one
    ("Russian drones hit Kharkiv; Meloni in Brussels for EU summit"), any sentence with
    two or more ("10:00 …; 10:20 China's exports rose; 10:45 …"), else None. A headline
    joins separate matters with a semicolon, as a live blog's summary lists its
    updates; a sentence of the body with one may still be one matter told in two
    clauses ("Kim arrived in Vladivostok; Putin greeted him"), and keeps it."""
    cuts = [m.start() for m in re.finditer(";", text[lo:hi])]
    if not cuts or (len(cuts) < 2 and not headline):
        return None
    bounds = [lo, *(lo + c + 1 for c in cuts), hi]
    items = []
    for a, b in itertools.pairwise(bounds):
        part = text[a:b].rstrip(";").strip()
        if part:
            start = text.index(part, a)
            items.append((start, start + len(part)))
    return items


def _a_matter(tokens: Sequence[re.Match[str]]) -> bool:
    """Whether a digest's piece tells a matter of its own: three words or more, one of them
    a lower-case word that is no function word ("Japan's newfound swagger", not "Russia"),
    and not an opening phrase of the sentence's own clause ("Also, *on his first trip to
    Russia*, Kim toured …": a preposition or a conjunction of time first)."""
    words = [m.group() for m in tokens if m.group()[0].isalnum()]
    if words and words[0].lower() in _OPENING:
        return False
    return len(words) >= 3 and any(w.islower() and w not in _FUNCTION for w in words)


#: Words that open a phrase leading into a clause, not an item of a list.
_OPENING = frozenset(
    {"on", "during", "in", "at", "after", "before", "with", "from", "amid", "despite"}
    | {"following", "as", "while", "when", "since", "for", "by", "under", "over", "through"}
    | {"without", "within", "ahead", "speaking", "asked", "according"}
)


@dataclass(slots=True)
class _Member:
    """An actor (or another name) in the sentence: tokens ``first..last``, its group."""

    first: int
    last: int
    group: str  # "a", "b" or "other"
    span: Span
    list_id: int = -1


def find_link(
    text: str,
    sentence: Span,
    left: Iterable[Span],
    right: Iterable[Span],
    others: Iterable[Span],
    lexicon: Lexicon,
) -> FoundLink | None:
    """The first way ``left`` and ``right`` actors are linked in ``sentence``, if any.

    ``text`` is the document text, spans are offsets into it; ``others`` are
    the other names the gazetteer found in the sentence (they make lists).
    """
    lo, hi = sentence
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(text, lo, hi)]
    if not toks:
        return None
    words = [text[s:e].lower() for s, e in toks]
    members = _members(text, toks, words, left, right, others, lexicon)
    if not any(m.group == "a" for m in members) or not any(m.group == "b" for m in members):
        return None
    lists = _lists(members, words)
    starts = _inner_starts(text, lo, hi)
    for x, y in _pairs(members):
        if any(min(x.span[0], y.span[0]) < at <= max(x.span[0], y.span[0]) for at in starts):
            continue  # two sentences a title holds as one: "Lavrov unveils plan. North …"
        found = _link_pair(x, y, lists, words, lexicon)
        if found is not None:
            start, length, how = found
            cue = (toks[start][0], toks[start + length - 1][1])
            return FoundLink(sentence, cue, how, x.span, y.span)
    return None


def _inner_starts(text: str, lo: int, hi: int) -> list[int]:
    """Where the sentences the splitter finds inside ``text[lo:hi]`` start, after its first:
    a title is one sentence to the reader ("Lavrov unveils plan. North Korea trade data due
    Friday"), but its cue words pair no names across a full stop."""
    starts: list[int] = []
    at = lo
    for piece in split_sentences(text[lo:hi]):
        at = text.index(piece, at)
        starts.append(at)
        at += len(piece)
    return starts[1:]


def _members(
    text: str,
    toks: list[Span],
    words: list[str],
    left: Iterable[Span],
    right: Iterable[Span],
    others: Iterable[Span],
    lex: Lexicon,
) -> list[_Member]:
    """Actors and other names in token order; capitalised words fill in unknown names."""
    members: list[_Member] = []
    taken: set[int] = set()
    for group, spans in (("a", left), ("b", right), ("other", others)):
        for start, end in spans:
            idx = [i for i, (s, e) in enumerate(toks) if s < end and e > start]
            if not idx or any(i in taken for i in idx):
                continue
            taken.update(idx)
            members.append(_Member(idx[0], idx[-1], group, (start, end)))
    alpha = [i for i, w in enumerate(words) if w[0].isalpha()]
    title_case = sum(text[toks[i][0]].isupper() for i in alpha) > 0.6 * len(alpha)
    for i, (s, _) in enumerate(toks):
        # "Belarus, Syria, Eritrea and Mali": names the gazetteer lacks still make a list;
        # not in a Title Case headline, where every word is capitalised
        if title_case or i in taken or i == 0 or not text[s].isupper():
            continue
        if words[i] in _FUNCTION or lex.match("interactions", words, i):
            continue  # "With Putin's Support, Kim …": a cue, not a name
        near = {words[i - 1], words[i + 1] if i + 1 < len(words) else ""}
        if near & {",", "and", "or"}:
            members.append(_Member(i, i, "other", toks[i]))
    members.sort(key=lambda m: m.first)
    return members


def _lists(members: list[_Member], words: list[str]) -> list[list[_Member]]:
    """Group members joined only by list words into coordinated lists."""
    lists: list[list[_Member]] = []
    for m in members:
        prev = lists[-1][-1] if lists else None
        gap = words[prev.last + 1 : m.first] if prev else None
        if prev is not None and gap is not None and gap and all(w in _JOINERS for w in gap):
            lists[-1].append(m)
        elif prev is not None and gap == [] and prev.group == m.group:
            lists[-1].append(m)  # "North Korean leader Kim Jong Un": one actor
        else:
            lists.append([m])
        m.list_id = len(lists) - 1
    return lists


def _pairs(members: list[_Member]) -> Iterable[tuple[_Member, _Member]]:
    """Every (earlier, later) pair of one left and one right actor, closest first."""
    pairs = [
        (x, y)
        for x in members
        for y in members
        if x.first < y.first and {x.group, y.group} == {"a", "b"}
    ]
    return sorted(pairs, key=lambda p: p[1].first - p[0].last)


def _link_pair(
    x: _Member, y: _Member, lists: list[list[_Member]], words: list[str], lex: Lexicon
) -> tuple[int, int, str] | None:
    """(cue start, cue length, how) when the pair is linked."""
    if x.list_id == y.list_id:
        return _same_list(lists[x.list_id], words, lex)
    first, second = lists[x.list_id], lists[y.list_id]
    a, b = first[-1].last + 1, second[0].first  # the words between the two lists
    if lex.find("breaks", words, a, b) is not None:
        return None
    if words[b - 1] in _DENYING:
        return None  # "Peru-Chile deal's key factor: no Bolivian involvement"
    cue = lex.find("interactions", words, a, b)
    if cue is not None:
        opens_predicate = a < len(words) and words[a] in _COORDINATORS and cue[0] <= a + 1
        if opens_predicate and _is_object(first, words):
            return None  # "pressure on Russia, condemn North Korea": another subject's act
        return (*cue, "between")
    said = lex.find("speech", words, a, b)
    if said is not None and sum(w.isalnum() for w in words[a:b]) <= 2:
        return (*said, "between")
    if b - a >= 2 and words[b - 1] == "with" and not _is_object(first, words):
        # "Kim vows to hold hands with Putin": the first actor does something with the second
        return (b - 1, 1, "with")
    about = lex.find("about", words, a, b)
    if about is not None and about[0] + about[1] == b:
        start = _clause_start(words, first[0].first, lex)
        act = lex.find("interactions", words, start, first[0].first)
        if act is not None:
            return (*act, "about")
    end = second[-1].last + 1
    after = lex.find("relations", words, end, min(end + 3, len(words)))
    if after is not None:
        return (*after, "after")
    return None


def _same_list(
    members: list[_Member], words: list[str], lex: Lexicon
) -> tuple[int, int, str] | None:
    """Two actors of one list are linked only by a relation the list itself names."""
    start, end = members[0].first, members[-1].last + 1
    joined = words[members[0].last + 1 : members[-1].first]
    if any(w in _HYPHENS for w in joined):  # "Russia-North Korea ties", "a Russia-China axis"
        noun = lex.find("relations", words, end, min(end + 3, len(words)))
        return (*noun, "compound") if noun is not None else None
    actors = [m for m in members if m.group != "other"]
    if len(members) != 2 or len(actors) != 2 or "both" in words[max(0, start - 1) : end + 2]:
        return None  # a list of several, or "both": they share an attribute, not a relation
    if start >= 1 and words[start - 1] == "between":
        noun = lex.find("relations", words, max(0, start - 4), start - 1)
        return (*noun, "pair") if noun is not None else (start - 1, 1, "pair")
    if start >= 2 and words[start - 1] in ("with", "of", "among"):
        noun = lex.find("relations", words, max(0, start - 3), start - 1)
        if noun is not None:
            return (*noun, "pair")
    stop = min(len(words), end + 8)
    brk = lex.find("breaks", words, end, stop)
    mutual = lex.find("mutual", words, end, brk[0] if brk else stop)
    return (*mutual, "pair") if mutual is not None else None


def _is_object(members: list[_Member], words: list[str]) -> bool:
    """Whether a list is governed by a preposition ("pressure on Russia"), not a subject."""
    first = members[0].first
    return first > 0 and words[first - 1] in _PREPOSITIONS


def _clause_start(words: list[str], before: int, lex: Lexicon) -> int:
    for i in range(before - 1, -1, -1):
        if lex.match("breaks", words, i):
            return i + 1
    return 0


def link_words(text: str, link: FoundLink) -> str:
    """The link in words, for evidence: the predicate and the two roles when a parse read it.

    ``linked by "greets": Putin (subject) — greets — Kim (object)``, the two
    in the order the sentence names them; without roles (the cue words
    decided) ``linked by "supplying": between``.
    """
    cue = text[link.cue[0] : link.cue[1]]
    if link.roles is None:
        return f'linked by "{cue}": {link.how}'
    sides = sorted(zip((link.left, link.right), link.roles, strict=True))  # in text order
    (first, first_role), (second, second_role) = sides
    a, b = _actor_words(text, link, first), _actor_words(text, link, second)
    return f'linked by "{cue}": {a} ({first_role}) — {cue} — {b} ({second_role})'


def _actor_words(text: str, link: FoundLink, span: Span) -> str:
    """An actor as the evidence names it: a reference with the name it stands for
    ("it = India")."""
    words = text[span[0] : span[1]]
    if link.referent is not None and link.referent[0] == span:
        name = link.referent[1]
        return f"{words} = {text[name[0] : name[1]]}"
    return words


def describe(text: str, link: FoundLink) -> dict[str, Any]:
    """The evidence of a link, for the alert: the sentence, the cue and how it linked."""
    lo, hi = link.sentence
    out: dict[str, Any] = {
        "sentence": text[lo:hi],
        "cue": text[link.cue[0] : link.cue[1]],
        "how": link.how,
        "actors": [text[link.left[0] : link.left[1]], text[link.right[0] : link.right[1]]],
    }
    if link.roles is not None:
        out["roles"] = list(link.roles)
    if link.referent is not None:
        ref, name = link.referent
        out["refers"] = [text[ref[0] : ref[1]], text[name[0] : name[1]]]
    return out
