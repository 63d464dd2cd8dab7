"""New-story detection: a story key computed from what an article says.

Two reports of one event rarely share words, but they share *who* and
*where*: Ishiba and Yoon in Lima is one summit whatever the outlet writes.
A rule's ``new_story.key`` lists the parts:

* ``entity: SELECTOR`` — the entity of that selection the article is most
  about: the most mentions, ties going to the one named first. "Former
  President Yoon" in a story about President Lee loses on count.
* ``place: SELECTOR`` — where it happened: a place the parse hangs from one
  of the words that matched the rule's event terms ("met *in* Tokyo", "held
  talks in Tokyo", "visits Seoul", "a Tokyo summit", "met on the sidelines of
  the summit in Hiroshima") — the word that dated the event first, then the
  others reporting it. Not the first city in the text, nor one in another
  clause or under another noun: "Kishida arrived in South Korea on Sunday,
  which reciprocates a mid-March trip to Tokyo" is not a Tokyo summit, "a move
  met with scepticism in Kyiv" puts no meeting in Kyiv, and "ties with Moscow"
  is no venue (:func:`monitor.analysis.meetings.venue`). No place named that
  way: the dateline's ("OSAKA, Japan —"), else unknown.

A part that cannot be determined is ``?`` and matches any value when keys are
compared, so a report that omits the city is still a repeat of the same
leaders' summit.

Time is the other half of identity. A rule with ``new_story.recency`` dates
each report's event from its text (:mod:`monitor.rules.dating`); two reports
are one story when their keys match and their event dates are within the
rule's ``tolerance``, so a follow-up a week later about the same summit is a
repeat, and the same leaders meeting again a fortnight later is news. Reports
that cannot be dated (no published time, or a rule without recency) are
compared on their published (else observed) times within ``window``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.analysis.meetings import venue
from monitor.article import Span
from monitor.rules.dating import EventTime, Mention, about, date_event, event_mentions, same_time
from monitor.rules.gazetteer import Gazetteer
from monitor.rules.matcher import Doc
from monitor.rules.watchlist import KeyPart, NewStory

UNKNOWN = "?"
#: The kinds of people: another's meeting is another event, whichever kind the key names.
_PERSONS = frozenset({"leader", "official"})


def date_story(
    doc: Doc, spans: Iterable[Span], new_story: NewStory, gazetteer: Gazetteer
) -> EventTime | None:
    """When the reported event happens, for a rule whose ``new_story`` has a recency.

    None when the rule does not date events or the item has no published
    time (relative dates need one: such an item is judged as news, as before).
    The key's entities are the story's people; other entities of their kinds
    (other countries' leaders) mark event words that belong to another event.
    """
    published = doc.article.published
    if new_story.dating is None or published is None:
        return None
    selectors = [p.selector for p in new_story.key if p.entity is not None]
    people = gazetteer.select_all(selectors)
    kinds = {s.split(":")[0] for s in selectors}
    if kinds & _PERSONS:
        kinds |= _PERSONS  # a minister's meeting is another event than the leaders' summit
    others = gazetteer.select_all(kinds) - people
    sides = (
        (gazetteer.select_all(selectors[:1]), gazetteer.select_all(selectors[1:2]))
        if len(selectors) == 2
        else (frozenset(), frozenset())
    )
    words = (
        (_words(gazetteer, sides[0]), _words(gazetteer, sides[1]))
        if any(sides)
        else (_words(gazetteer, people), frozenset[str]())
    )
    lands = (_territory(gazetteer, sides[0]), _territory(gazetteer, sides[1]))
    titles = {ent: gazetteer.titles(ent) for ent in people | others if ent in doc.mentions}
    return date_event(
        doc, spans, published, new_story.dating, people, others, sides, words, lands, titles
    )


def _words(gazetteer: Gazetteer, people: frozenset[str]) -> frozenset[str]:
    """The one-word names of ``people`` ("Lee", "Xi", "Lula"): a bare one the gazetteer
    leaves unresolved is still theirs; a word inside a longer name is not ("Silva" is
    someone else than Lula da Silva)."""
    return frozenset(
        name.lower()
        for ent in people
        for name in (*gazetteer.entities[ent].names, *gazetteer.entities[ent].ambiguous)
        if len(name.replace("-", " ").split()) == 1
    )


def _territory(gazetteer: Gazetteer, side: frozenset[str]) -> frozenset[str]:
    """The places of a side's country: the country and its cities (where a visit to that
    side's leader goes: "Kishida arrives in Seoul")."""
    countries = {gazetteer.entities[ent].country for ent in side}
    return frozenset(
        e.id
        for e in gazetteer.entities.values()
        if e.country in countries and e.kind in ("country", "city")
    )


def story_key(
    doc: Doc,
    parts: Sequence[KeyPart],
    gazetteer: Gazetteer,
    *,
    spans: Iterable[Span],
    event: EventTime | None = None,
) -> tuple[str, ...]:
    """The key parts for an article, in the rule's order.

    ``spans`` are the rule's matched spans: their event words are what a
    ``place`` part is the venue of (``event``, when the rule dates events, puts
    the word that dated it first and leaves out recaps).
    """
    picked: list[str | None] = []
    for part in parts:
        ids = gazetteer.select(part.selector)
        picked.append(_most_mentioned(doc, ids) if part.kind == "entity" else None)
    if event is not None:
        chosen = [event.mention] if event.mention is not None else []
        rest = [m for m in event.mentions if m.status != "recap" and m not in chosen]
        # only their meeting's words place it: not "… meetings in Washington this week" of a
        # sentence that names neither of them
        people = frozenset(
            e for part in parts if part.kind == "entity" for e in gazetteer.select(part.selector)
        )
        mentions = chosen + about(doc, rest, people)
        if any(m.pair for m in mentions):
            # their own meeting's words place it, not a meeting beside it the parse does not
            # give them ("Erdogan welcomes Zelensky as US-Russia talks open in Riyadh")
            mentions = [m for m in mentions if m.pair]
    else:
        mentions = [m for m in event_mentions(doc, spans) if not m.theirs_not]
    # the key's people's own places: where a journey through several meets them
    home = frozenset[str]().union(
        *(_territory(gazetteer, gazetteer.select(p.selector)) for p in parts if p.kind == "entity")
    )
    for i, part in enumerate(parts):
        if part.kind == "place":
            picked[i] = _venue(doc, gazetteer.select(part.selector), mentions, home, gazetteer)
    return tuple(p or UNKNOWN for p in picked)


def _venue(
    doc: Doc,
    places: frozenset[str],
    mentions: list[Mention],
    home: frozenset[str] = frozenset(),
    gazetteer: Gazetteer | None = None,
) -> str | None:
    """The place the event happens: the first event word a place hangs from in the
    parse (:func:`monitor.analysis.meetings.venue`), else the dateline.

    See the module doc. A report filed from the venue says where in its
    dateline ("OSAKA, Japan —", "SEOUL, May 3 (Reuters) -"): the strongest
    evidence of where an on-the-spot report was written, taken when no
    event word has a place of its own — nor a country of its own the dateline is
    not in: "BEIJING — Li Qiang will visit Saudi Arabia on Tuesday" is filed far from
    the meeting, whose city it does not name.
    """
    found = _placed(doc, places, mentions, home)
    if found is not None or not mentions:
        return found
    filed = dateline(doc, places)
    if filed is None or gazetteer is None:
        return filed
    countries = gazetteer.select("country")
    land = _placed(doc, countries, mentions, home & countries)
    if land is not None and gazetteer.entities[filed].country != land:
        return None  # the meeting is in another country than the report's desk
    return filed


def _placed(
    doc: Doc, places: frozenset[str], mentions: list[Mention], home: frozenset[str]
) -> str | None:
    """The first of ``places`` an event word's parse hangs a venue from (see :func:`_venue`)."""
    located = [
        (span, ent)
        for ent in places
        for span in doc.mentions.get(ent, ())
        if not doc.is_possessive(span)
    ]
    names = sorted({s for found in doc.mentions.values() for s in found})
    for m in mentions:
        lo, hi = doc.sentence_read(m.anchor[0])
        inside = {(s - lo, e - lo): ent for (s, e), ent in located if lo <= s < hi}
        if not inside:
            continue
        local = [(s - lo, e - lo) for s, e in names if lo <= s < hi]
        theirs = [span for span, ent in inside.items() if ent in home]
        at = venue(
            doc.text[lo:hi], (m.anchor[0] - lo, m.anchor[1] - lo), list(inside), local, theirs
        )
        if at is not None:
            return inside[at]
    return None


def dateline(doc: Doc, places: frozenset[str]) -> str | None:
    """The place of the dateline opening one of the first body paragraphs, if one of ``places``.

    "OSAKA, Japan — …", "SEOUL, May 3 (Reuters) - …", "LIMA (Jiji Press) — …":
    a place name at the very start of a paragraph, then an optional country,
    date and agency, then a dash.
    """
    for ent in places:
        for span in doc.mentions.get(ent, ()):
            if doc.is_dateline(span):
                return ent
    return None


def _most_mentioned(doc: Doc, ids: frozenset[str]) -> str | None:
    best: tuple[int, int, str] | None = None
    for ent in ids:
        spans = doc.mentions.get(ent)
        if spans:
            cand = (-len(spans), spans[0][0], ent)
            if best is None or cand < best:
                best = cand
    return best[2] if best else None


@dataclass(frozen=True, slots=True)
class Story:
    """A raised alert's story: what later reports are compared against."""

    rule: str
    key: tuple[str, ...]
    time: datetime
    alert_key: str
    source: str
    item: str
    raised_at: datetime
    event: tuple[date, date] | None = None  # the event's days, when the rule dates events
    #: its report had no time of its own (a text replayed without a publication time):
    #: ``time`` is the replay's, no measure of when the story happened
    timeless: bool = False


def same_story(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Keys match part by part; an unknown part matches anything."""
    return len(a) == len(b) and all(x == y or UNKNOWN in (x, y) for x, y in zip(a, b, strict=True))


class StoryIndex:
    """A rule's raised stories, indexed by key so a lookup does not scan them all.

    Keys with an unknown part (``?``) match many others; the few stories that
    have one are scanned, and a report with an unknown part scans everything.
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, ...], list[Story]] = {}
        self._partial: list[Story] = []
        self.all: list[Story] = []

    def add(self, story: Story) -> None:
        self.all.append(story)
        self._by_key.setdefault(story.key, []).append(story)
        if UNKNOWN in story.key:
            self._partial.append(story)

    def find_repeat(
        self,
        key: tuple[str, ...],
        when: datetime,
        window: timedelta,
        *,
        event: tuple[date, date] | None = None,
        tolerance: timedelta | None = None,
        timeless: bool = False,
        observed: datetime | None = None,
    ) -> Story | None:
        """The earliest story this report repeats, if any.

        Same key, and the same time: event dates within ``tolerance`` when
        both reports were dated, else published times within ``window``. A
        report or story without a time of its own (``timeless``) is compared
        on when it was read: the same story as a report of its key ``observed``
        within ``window`` of the story's raising — a saved text of a summit and
        a dated report of it replayed together are one story, while a text the
        daemon read in January is no repeat of a report in July.
        """
        pool = self.all if UNKNOWN in key else self._by_key.get(key, []) + self._partial

        def close(s: Story) -> bool:
            if timeless or s.timeless:
                return observed is not None and abs(observed - s.raised_at) <= window
            if event is not None and s.event is not None and tolerance is not None:
                return same_time(s.event, event, tolerance)
            return abs(when - s.time) <= window

        hits = [s for s in pool if close(s) and same_story(s.key, key)]
        return min(hits, key=lambda s: s.raised_at) if hits else None


def format_key(key: tuple[str, ...]) -> str:
    return "|".join(key)
