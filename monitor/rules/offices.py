"""Leaders in their time: terms, "former …", role phrases and counterparts.

A leader's alias ("Kishida", "President Yoon") names a person, but a rule
about leaders means whoever *holds the office* when the item was published.
Given the item's publication date:

* a leader's alias counts only while that date is inside one of the leader's
  terms (``entities.yaml``), and not when the text says "former …" about that
  mention ("former President Moon", "Kishida Fumio, former prime minister");
* a *role phrase* — a country's name or adjective next to a word for one of
  its offices ("Japan's prime minister", "the Japanese leader", "ROK
  President", "president of South Korea") — is a mention of whoever held the
  office that day; "the leaders of Japan and South Korea" of both;
* "his South Korean counterpart" is South Korea's leader when the sentence
  names another country's sitting leader before it, with no minister or
  official in between (a foreign minister's counterpart is a minister);
* an ambiguous surname right after *another* country's name is not ours
  ("Singapore PM Lee" is not a Korean leader), and right after its own
  country's it is ("S Korea's Yoon").

The words of each office are data (``roles:`` in ``entities.yaml``), and the
country is whatever alias the gazetteer matched, so every spelling of a
country ("S Korea", "ROK", "South Korean") works with every word of an office
without listing the combinations. Without a publication date nobody can say
who was in office: terms are not checked and role phrases resolve to no one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date
from typing import Protocol

from monitor.analysis.pipeline import is_title_case
from monitor.article import Article, Span
from monitor.normalize.text import fold_term
from monitor.rules.gazetteer import TITLE_WORDS, Entity, Gazetteer
from monitor.rules.timewords import CALENDAR_NAMES

Hit = tuple[int, int, str, bool]  # start, end, entity id, ambiguous


class Doc(Protocol):
    """What resolving an office reads of a scanned article.

    :class:`monitor.rules.matcher.Doc` is one; naming only what is read here
    keeps this module below the matcher (which resolves offices while it
    scans), with no import back up.
    """

    article: Article
    text: str
    mtext: str
    title_end: int

    def is_possessive(self, span: Span) -> bool: ...

    def sentence_of(self, offset: int) -> Span: ...

    def word_index(self, offset: int) -> int: ...


#: Words that may stand between a country and an office without changing who
#: holds it ("Japan's new prime minister"); anything else ("deputy", "former",
#: "opposition") makes it someone else.
_MODIFIERS = (
    "new",
    "current",
    "sitting",
    "incumbent",
    "outgoing",
    "embattled",
    "beleaguered",
    "conservative",
    "liberal",
    "progressive",
    "populist",
    "hawkish",
    "top",
)
#: A word right before a role phrase that makes it not the sitting holder, or
#: not one person: "former", "a South Korean president", "the first Japanese
#: prime minister to …", "deputy prime minister".
_NOT_SITTING = frozenset(
    (
        *("a", "an", "any", "every", "each", "no", "another", "other", "some", "many"),
        *("former", "ex", "late", "then", "erstwhile", "onetime", "past", "previous"),
        *("successive", "future", "next", "first", "last", "deputy", "vice"),
    )
)
#: A word right after a role phrase that makes it someone else ("president-elect").
_NOT_HOLDER = frozenset(
    ("elect", "designate", "candidate", "candidates", "hopeful", "hopefuls", "contender")
    + ("nominee", "race")
)
#: Between a leader and "his … counterpart": the counterpart is then a minister's.
_NOT_LEADER_PARTNER = re.compile(
    r"\b(?:minister|ministers|secretary|officials?|envoys?|ambassadors?|chief|general|spokes\w*"
    r"|advis[eo]rs?|governors?|mayors?|lawmakers?|deputy|vice|commanders?|delegations?"
    r"|negotiators?|diplomats?)\b"
)
_FORMER = ("former", "ex", "late", "then", "erstwhile", "onetime")
#: A plural noun of people right before a pair of surnames: they are those people.
_PEOPLE_BEFORE = re.compile(r"\b[A-Za-z]+(?:ers|ists|ants|ents|ors|ians)\s*,?\s*$")
#: Capitalised words before a surname that are no given name (titles and modifiers of
#: office are matched separately; the calendar's are timewords').
_NOT_GIVEN = frozenset(
    {
        "mr", "mrs", "ms", "dr", "sir", "team", "president", "prime", "premier", "chancellor",
        "king", "queen", "general",
        # words that open a sentence and are no stop word
        "earlier", "later", "today", "yesterday", "tomorrow", "tonight", "now",
        "recently", "separately", "instead", "overnight", "previously", "initially",
        "finally", "currently", "still", "there", "here", "and", "but", "so",
    }
) | CALENDAR_NAMES  # fmt: skip
_FORMER_AFTER = re.compile(
    r"[ ,]*(?:(?:a|the|who was) )?(?:former|ex) (?:[a-z']+ ){0,2}"
    r"(?:prime minister|president|premier|pm|leader|chancellor)\b"
)
# (patterns below are used with match(text, pos, endpos): anchored at pos, "$" at endpos)
_LIST_SEP = re.compile(r"(?:'s?)? *(?:, *and|,|and|&)? +(?:the +)?$")
_OF = re.compile(r" (?:of|from) (?:the )?$")
_POSSESSIVE_GAP = re.compile(r"(?:'s?)? $")
#: Between two leaders' names that are named together: "Kishida, Yoon", "Putin meets Kim".
_PAIRED = re.compile(r"(?:'s)?(?: ?,| and| &| with| meets?| met| hosts?| hosted| to meet) ")


@dataclass(frozen=True, slots=True)
class RoleWord:
    """An automaton key for an office: a word, its plural, or "counterpart"."""

    word: str  # folded singular ("prime minister", "pm", "leader")
    plural: bool = False
    counterpart: bool = False
    exact: str | None = None  # an acronym as it must be written ("PM")


def _plural(word: str) -> str:
    """ "prime minister" → "prime ministers", "head of state" → "heads of state"."""
    head, sep, rest = word.partition(" of ")
    return f"{head}s{sep}{rest}" if sep else f"{word}s"


class Offices:
    """Who holds which office when, and the role phrases that name them."""

    def __init__(self, gazetteer: Gazetteer):
        ents = gazetteer.entities
        self.leaders: dict[str, Entity] = {e.id: e for e in ents.values() if e.kind == "leader"}
        #: who holds an office for a time: leaders and officials (whose terms count the same)
        self.terms: dict[str, Entity] = {
            e.id: e for e in ents.values() if e.kind in ("leader", "official")
        }
        self.countries = frozenset(e.id for e in ents.values() if e.kind == "country")
        self._holders: dict[tuple[str, str], list[Entity]] = {}
        words: dict[str, RoleWord] = {}
        for leader in self.leaders.values():
            for raw in gazetteer.roles.get(leader.role or "", ()):
                word = fold_term(raw)
                self._holders.setdefault((leader.country, word), []).append(leader)
                exact = raw if raw.isupper() and raw.isalpha() else None
                words.setdefault(word, RoleWord(word, exact=exact))
                plural = _plural(word)
                words.setdefault(
                    plural, RoleWord(word, plural=True, exact=_plural(exact) if exact else None)
                )
        if words:
            words["counterpart"] = RoleWord("leader", counterpart=True)
        self.words: list[tuple[str, RoleWord]] = sorted(words.items())
        titles = sorted({*TITLE_WORDS, *(w.word for _, w in self.words), *_MODIFIERS}, key=len)
        alternatives = "|".join(re.escape(t) for t in reversed(titles))
        self._title_gap = re.compile(rf"(?:'s?)?(?: (?:{alternatives}))* $")
        mods = "|".join(_MODIFIERS)
        self._role_gap = re.compile(rf"(?:'s?)?(?: (?:{mods}))* $")

    # -- names -----------------------------------------------------------------

    def sitting(self, doc: Doc, ent: str, start: int, end: int, day: date | None) -> bool:
        """A leader's alias at ``start:end`` names the sitting holder of the office; an
        official's, someone in office by the official's terms. "Former" unmakes a leader
        ("former President Moon"), not an official, who moves between offices: "former
        defence minister Shoigu" is the security council's secretary."""
        leader = self.terms.get(ent)
        if leader is None:
            return True
        if day is not None and not leader.in_office(day):
            return False
        return leader.kind != "leader" or not self.is_former(doc, start, end)

    def namesake(
        self, doc: Doc, start: int, end: int, ent: str, named: frozenset[int] = frozenset()
    ) -> bool:
        """Whether a leader's or an official's surname at ``start:end`` is another
        person's: right after a given name that is not theirs ("Jill Biden", "Hunter
        Biden", the astronaut "Frank Rubio").

        The word before must be a capitalised word of letters, not a title, a day or a
        month, not a possessive ("Britain's Sunak"), not a name the gazetteer found
        (``named``: where each found name ends; "Xi Putin meeting"), not the leader's
        own given name misspelt (its first three letters: "Narenda Modi"), and not a
        word of the language (spaCy's stop words: "When Biden …"). A Title Case
        headline capitalises every word ("Sunak Meets Biden"): there no word says it
        is a name.
        """
        if start - 1 in named:
            return False
        leader = self.terms.get(ent)
        surname = doc.text[start:end]
        if leader is None or " " in surname or start < 2 or doc.text[start - 1] != " ":
            return False
        if not any(n != surname and n.endswith(" " + surname) for n in leader.names):
            return False  # not a surname alias
        lo = start - 1
        while lo > 0 and doc.text[lo - 1].isalpha():
            lo -= 1
        word = doc.text[lo : start - 1]
        if not (len(word) > 1 and word[0].isupper() and word[1:].islower()):
            return False
        low = word.lower()
        if low in TITLE_WORDS or low in _NOT_GIVEN or low in _FORMER:
            return False
        if any(n.lower().startswith(low[:3]) for n in leader.names if " " in n):
            return False  # the leader's own given name, spelt another way
        line = doc.sentence_of(start)
        if is_title_case(doc.text[line[0] : line[1]], strict=True):
            return False
        from spacy.lang.en.stop_words import STOP_WORDS  # the parser's own list, loaded late

        return low not in STOP_WORDS

    @staticmethod
    def is_former(doc: Doc, start: int, end: int) -> bool:
        """ "former President Moon", "ex-PM Suga", "Kishida Fumio, former prime minister".

        Walks back from the name over titles and capitalised words ("former
        Japanese Prime Minister Kishida") to a word that makes it a past
        holder; "then" counts only before a title ("then-President Moon", not
        "and then Kishida met …"), and a weekday or month ends the walk ("late
        Thursday, Kishida …").
        """
        if _FORMER_AFTER.match(doc.mtext, end, min(len(doc.mtext), end + 48)):
            return True
        lo = max(0, start - 48)
        cut = max(doc.text.rfind(c, lo, start) for c in (". ", ";", ":", "(", "\n"))
        words = doc.text[max(lo, cut + 1) : start].replace(",", " ").replace("-", " ").split()
        titled = False
        for word in reversed(words[-6:]):
            low = word.lower().strip("'").removesuffix("'s")
            if low in _FORMER and (titled or low != "then"):
                return True
            if low in TITLE_WORDS or low == "prime":
                titled = True
            elif not word[:1].isupper() or low in CALENDAR_NAMES or low in _FORMER:
                return False
        return False

    def owner(self, doc: Doc, countries: list[Hit], ends: list[int], start: int) -> str | None:
        """The country named right before ``start`` ("Singapore PM ", "S Korea's "), if any."""
        hit = _before(doc, countries, ends, start, self._title_gap)
        return hit[2] if hit else None

    def context(
        self,
        doc: Doc,
        kept: list[Hit],
        countries: list[Hit],
        ends: list[int],
        start: int,
        end: int,
        ent: str,
        day: date | None,
    ) -> bool | None:
        """Whether an ambiguous surname at ``start:end`` is the leader ``ent`` (None: no clue).

        * right after a country's name: its own ("S Korea's Yoon") yes, another's
          ("Singapore PM Lee") no;
        * in a headline that names another sitting leader outright ("Kishida,
          Yoon hold summit"): yes — headlines name leaders by surname;
        * coordinated with another leader's name ("Takaichi and Lee", "Putin
          meets Kim"): yes; with another leader's surname ("Xi and Marcos hold
          talks"), when the article names both leaders' countries: yes, each
          surname the other's context.
        """
        leader = self.leaders.get(ent)
        if leader is None:
            return None
        if countries:
            owner = self.owner(doc, countries, ends, start)
            if owner is not None:
                return leader.country == owner
        in_title = start < doc.title_end
        # two surnames vouch for each other only in an article about their two countries:
        # both named in its title ("China, Philippines agree …: Xi and Marcos held talks"),
        # not in any report that names two Koreas beside a Kim and a Lee
        named = {h[2] for h in countries if h[1] <= doc.title_end}
        for lo, hi, other, amb in kept:
            if other == ent or other not in self.leaders:
                continue
            paired = _PAIRED.fullmatch(doc.mtext, hi, start) or _PAIRED.fullmatch(
                doc.mtext, end, lo
            )
            if amb:
                # two surnames only: each stands for its leader when both countries are named
                # in the title and no noun of people stands before the pair ("researchers,
                # Kim and Lee"; "Defenders Kim and Lee")
                mine = self.leaders[other].country
                first = min(start, lo)
                before = doc.text[max(0, first - 3) : first]
                together = (
                    bool(paired)
                    and {leader.country, mine} <= named
                    and not before.rstrip().endswith(",")
                    and not _PEOPLE_BEFORE.search(doc.text[max(0, first - 30) : first])
                )
            else:
                together = bool(paired) or (in_title and hi <= doc.title_end)
            if together and self.sitting(doc, other, lo, hi, day):
                return True
        return None

    # -- role phrases ----------------------------------------------------------

    def resolve(
        self,
        doc: Doc,
        kept: list[Hit],
        roles: list[tuple[int, int, int]],
        day: date | None,
        mentions: dict[str, list[Span]],
    ) -> None:
        """Add a mention of the office holder for every role phrase (names first)."""
        if day is None or not roles:
            return
        countries = [h for h in kept if h[2] in self.countries]
        if not countries:
            return
        ends = [h[1] for h in countries]
        names = frozenset(h[0] for h in kept if h[2] in self.leaders)
        touched: set[str] = set()
        later: list[tuple[int, int, RoleWord]] = []
        for start, end, index in roles:
            role = self.words[index][1]
            if role.counterpart:
                later.append((start, end, role))
                continue
            found = (
                self._plural(doc, countries, ends, start, end, role, day)
                if role.plural
                else self._single(doc, countries, ends, start, end, role, day, names)
            )
            for ent, span in found:
                mentions.setdefault(ent, []).append(span)
                touched.add(ent)
        for start, end, _ in later:
            for ent, span in self._counterpart(doc, countries, ends, start, end, day, mentions):
                mentions.setdefault(ent, []).append(span)
                touched.add(ent)
        for ent in touched:
            mentions[ent].sort()

    def holders(self, country: str, word: str, day: date) -> list[str]:
        """Who held an office named ``word`` in ``country`` on ``day``."""
        return [e.id for e in self._holders.get((country, word), ()) if e.in_office(day)]

    def _single(
        self,
        doc: Doc,
        countries: list[Hit],
        ends: list[int],
        start: int,
        end: int,
        role: RoleWord,
        day: date,
        names: frozenset[int],
    ) -> list[tuple[str, Span]]:
        hit = _before(doc, countries, ends, start, self._role_gap)
        if hit is not None:
            span = (hit[0], end)
        else:
            hit = _after(doc, countries, end, _OF)
            if hit is None or doc.is_possessive((hit[0], hit[1])):
                return []  # "leader of Japan's ruling party" leads a party
            span = (start, hit[1])
        if not _sitting_phrase(doc, span):
            return []
        if _named_after(doc, span[1], names):
            return []  # "Japan's Prime Minister Fumio Kishida": the name is the mention
        return [(ent, span) for ent in self.holders(hit[2], role.word, day)]

    def _plural(
        self,
        doc: Doc,
        countries: list[Hit],
        ends: list[int],
        start: int,
        end: int,
        role: RoleWord,
        day: date,
    ) -> list[tuple[str, Span]]:
        """ "the leaders of Japan and South Korea", "Japanese and South Korean leaders"."""
        listed: list[Hit] = []
        hit = _before(doc, countries, ends, start, _POSSESSIVE_GAP)
        if hit is not None:
            listed.append(hit)
            while (prev := _before(doc, countries, ends, listed[-1][0], _LIST_SEP)) is not None:
                listed.append(prev)
            first = listed[-1][0]
        else:
            hit = _after(doc, countries, end, _OF)
            while hit is not None:
                listed.append(hit)
                hit = _after(doc, countries, hit[1], _LIST_SEP)
            first = start
        if len({h[2] for h in listed}) < 2 or not _sitting_phrase(doc, (first, end)):
            return []  # "Japan's leaders" is a government, not one office holder
        return [(ent, (h[0], h[1])) for h in listed for ent in self.holders(h[2], role.word, day)]

    def _counterpart(
        self,
        doc: Doc,
        countries: list[Hit],
        ends: list[int],
        start: int,
        end: int,
        day: date,
        mentions: dict[str, list[Span]],
    ) -> list[tuple[str, Span]]:
        """ "Kishida met his South Korean counterpart": the other country's leader."""
        hit = _before(doc, countries, ends, start, _POSSESSIVE_GAP)
        if hit is None:
            return []
        sent = doc.sentence_of(start)
        partner: Span | None = None
        for ent, spans in mentions.items():
            leader = self.leaders.get(ent)
            if leader is None or leader.country == hit[2]:
                continue
            for span in spans:
                if (
                    sent[0] <= span[0]
                    and span[1] <= hit[0]
                    and (partner is None or span[1] > partner[1])
                ):
                    partner = span
        if partner is None or _NOT_LEADER_PARTNER.search(doc.mtext, partner[1], hit[0]):
            return []
        if doc.word_index(hit[0]) - doc.word_index(partner[1]) > 25:
            return []
        return [(ent, (hit[0], end)) for ent in self.holders(hit[2], "leader", day)]


def publication_day(doc: Doc) -> date | None:
    """The item's publication date (UTC), or None when the source gave none."""
    published = doc.article.published
    if published is None:
        return None
    if published.tzinfo is not None:
        published = published.astimezone(UTC)
    return published.date()


def _before(
    doc: Doc, countries: list[Hit], ends: list[int], pos: int, gap: re.Pattern[str]
) -> Hit | None:
    """The country hit ending just before ``pos`` with only ``gap`` between."""
    i = bisect_right(ends, pos)
    while i > 0:
        i -= 1
        hit = countries[i]
        if pos - hit[1] > 48:
            return None
        if hit[1] <= pos and gap.match(doc.mtext, hit[1], pos):
            return hit
    return None


def _after(doc: Doc, countries: list[Hit], pos: int, gap: re.Pattern[str]) -> Hit | None:
    """The country hit starting just after ``pos`` with only ``gap`` between."""
    for i in range(bisect_right(countries, (pos, -1)), len(countries)):
        hit = countries[i]
        if hit[0] - pos > 16:
            return None
        if gap.match(doc.mtext, pos, hit[0]):
            return hit
    return None


def _named_after(doc: Doc, pos: int, names: frozenset[int]) -> bool:
    """A person's name follows ``pos``: a leader's alias, or a capitalised word in prose.

    In a Title Case headline every word is capitalised ("Japan's Prime
    Minister Says …"), so there only a leader's alias counts as a name.
    """
    rest = doc.text[pos : pos + 40]
    word = rest.split(maxsplit=1)[0] if rest.strip() else ""
    if not rest.startswith(" ") or not word[:1].isupper():
        return False
    if pos + 1 in names:
        return True
    if word.strip(",.;:'").lower() in CALENDAR_NAMES:
        return False
    return pos >= doc.title_end or not _title_case(doc)


def _title_case(doc: Doc) -> bool:
    words = [w for w in doc.text[: doc.title_end].split()[1:] if len(w) > 3 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def _sitting_phrase(doc: Doc, span: Span) -> bool:
    """No "former"/"a"/"deputy" right before, no "-elect" right after."""
    before = doc.mtext[max(0, span[0] - 16) : span[0]].split()
    if before and before[-1].strip(",") in _NOT_SITTING:
        return False
    after = doc.mtext[span[1] : span[1] + 16].split()
    return not (after and after[0].strip(",.") in _NOT_HOLDER)


__all__ = ["Offices", "RoleWord", "publication_day"]
