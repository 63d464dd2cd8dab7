"""New-story detection: a story key computed from what an article says.

Two reports of one event rarely share words, but they share *who* and
*where*: Ishiba and Yoon in Lima is one summit whatever the outlet writes.
A rule's ``new_story.key`` lists the parts:

* ``entity: SELECTOR`` — the entity of that selection the article is most
  about: the most mentions, ties going to the one named first. "Former
  President Yoon" in a story about President Lee loses on count.
* ``place: SELECTOR`` — where it happened: a place written as the location
  of the event ("met *in* Tokyo", "visits Seoul", "a Tokyo summit") in the
  clause of the words that matched the rule's event terms — the clause that
  dated the event first, then the other clauses reporting it. Not the first
  city in the text: "Kishida arrived in South Korea on Sunday, which
  reciprocates a mid-March trip to Tokyo" is not a Tokyo summit, and "ties
  with Moscow" is no venue. No place named that way: the dateline's
  ("OSAKA, Japan —"), else unknown.

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

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.article import Span
from monitor.rules.dating import EventTime, Mention, date_event, event_mentions, same_time
from monitor.rules.gazetteer import Gazetteer
from monitor.rules.matcher import Doc
from monitor.rules.watchlist import KeyPart, NewStory

UNKNOWN = "?"
_LOCATIVE = ("in", "at")
#: Words after which a place is where the event happens: "met in Tokyo", "visits Seoul".
_VENUE_BEFORE = re.compile(
    r"(?:\b(?:in|at|to|into|inside|visit|visits|visited|visiting|reach|reached|reaches)"
    r"|\bhosted by|\bheld in) +(?:the +)?$"
)
#: How far down the body a dateline may open a paragraph (captions and bylines come first).
DATELINE_PARAGRAPHS = 3
#: What follows the place of a dateline: ", Japan", ", May 3", " (Reuters)", then a dash.
_DATELINE_TAIL = re.compile(
    r"(?:,\s*[A-Z][\w.'’ ]{1,30}?)?"  # a country or state
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?)?"  # a date
    r"\s*(?:\([^)\n]{1,40}\)\s*)?"  # an agency
    r"[-–—]\s"
)
#: Words of an event that a place may stand right before: "a Tokyo summit".
_VENUE_AFTER = re.compile(r" +(?:summit|summits|talks|meeting|meetings|visit|trip)\b")


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
    others = gazetteer.select_all(s.split(":")[0] for s in selectors) - people
    sides = (
        (gazetteer.select_all(selectors[:1]), gazetteer.select_all(selectors[1:2]))
        if len(selectors) == 2
        else (frozenset(), frozenset())
    )
    return date_event(doc, spans, published, new_story.dating, people, others, sides)


def story_key(
    doc: Doc,
    parts: Sequence[KeyPart],
    gazetteer: Gazetteer,
    *,
    spans: Iterable[Span] | None = None,
    event: EventTime | None = None,
) -> tuple[str, ...]:
    """The key parts for an article, in the rule's order.

    ``spans`` are the rule's matched spans: their event words locate the
    meeting clause for a ``place`` part (``event``, when the rule dates
    events, puts the clause that dated it first). Without them the place is
    the first one in a sentence naming the key's entities (older callers).
    """
    picked: list[str | None] = []
    for part in parts:
        ids = gazetteer.select(part.selector)
        if part.kind == "entity":
            picked.append(_most_mentioned(doc, ids))
        else:
            picked.append(None)  # places are picked once the people are known
    people = [p for p in picked if p]
    clauses: list[Mention] | None = None
    if event is not None:
        chosen = [event.mention] if event.mention is not None else []
        clauses = chosen + [m for m in event.mentions if m.status != "recap" and m not in chosen]
    elif spans is not None:
        clauses = [m for m in event_mentions(doc, spans) if not m.theirs_not]
    for i, part in enumerate(parts):
        if part.kind == "place":
            places = gazetteer.select(part.selector)
            picked[i] = (
                _venue(doc, places, clauses) if clauses is not None else _place(doc, places, people)
            )
    return tuple(p or UNKNOWN for p in picked)


def _venue(doc: Doc, places: frozenset[str], mentions: list[Mention]) -> str | None:
    """The place the event happens, from the clauses of its words, else the dateline.

    See the module doc. A report filed from the venue says where in its
    dateline ("OSAKA, Japan —", "SEOUL, May 3 (Reuters) -"): the strongest
    evidence of where an on-the-spot report was written, taken when no
    clause of the event names its place.
    """
    located = sorted(
        (span, ent)
        for ent in places
        for span in doc.mentions.get(ent, ())
        if not doc.is_possessive(span) and _written_as_venue(doc, span)
    )
    for m in mentions:
        inside = [(span, ent) for span, ent in located if m.clause[0] <= span[0] < m.clause[1]]
        if inside:
            return min(inside, key=lambda se: abs(se[0][0] - m.anchor[0]))[1]
    return dateline(doc, places) if mentions else None


def dateline(doc: Doc, places: frozenset[str]) -> str | None:
    """The place of the dateline opening one of the first body paragraphs, if one of ``places``.

    "OSAKA, Japan — …", "SEOUL, May 3 (Reuters) - …", "LIMA (Jiji Press) — …":
    a place name at the very start of a paragraph, then an optional country,
    date and agency, then a dash.
    """
    starts = doc.para_starts[:DATELINE_PARAGRAPHS]
    for ent in places:
        for span in doc.mentions.get(ent, ()):
            if span[0] in starts and _DATELINE_TAIL.match(doc.text, span[1]):
                return ent
    return None


def _written_as_venue(doc: Doc, span: Span) -> bool:
    before = doc.mtext[max(0, span[0] - 16) : span[0]]
    return bool(_VENUE_BEFORE.search(before) or _VENUE_AFTER.match(doc.mtext, span[1]))


def _most_mentioned(doc: Doc, ids: frozenset[str]) -> str | None:
    best: tuple[int, int, str] | None = None
    for ent in ids:
        spans = doc.mentions.get(ent)
        if spans:
            cand = (-len(spans), spans[0][0], ent)
            if best is None or cand < best:
                best = cand
    return best[2] if best else None


def _place(doc: Doc, places: frozenset[str], people: list[str]) -> str | None:
    located: list[tuple[int, str]] = []
    for ent in places:
        for span in doc.mentions.get(ent, ()):
            if not doc.is_possessive(span):
                located.append((span[0], ent))
    if not located:
        return None
    located.sort()
    people_spans = [doc.mentions.get(p, []) for p in people]
    for sent in doc.sentences():
        if all(any(_inside(s, sent) for s in spans) for spans in people_spans):
            for start, ent in located:
                if sent[0] <= start < sent[1]:
                    return ent
    counts = Counter(ent for start, ent in located if _after_locative(doc, start))
    if counts:
        return max(
            counts.items(), key=lambda kv: (kv[1], -min(s for s, e in located if e == kv[0]))
        )[0]
    return None


def _inside(span: Span, sent: Span) -> bool:
    return sent[0] <= span[0] < sent[1]


def _after_locative(doc: Doc, start: int) -> bool:
    words = doc.mtext[max(0, start - 12) : start].split()
    return bool(words) and words[-1] in _LOCATIVE


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
    ) -> Story | None:
        """The earliest story this report repeats, if any.

        Same key, and the same time: event dates within ``tolerance`` when
        both reports were dated, else published times within ``window``.
        """
        pool = self.all if UNKNOWN in key else self._by_key.get(key, []) + self._partial

        def close(s: Story) -> bool:
            if event is not None and s.event is not None and tolerance is not None:
                return same_time(s.event, event, tolerance)
            return abs(when - s.time) <= window

        hits = [s for s in pool if close(s) and same_story(s.key, key)]
        return min(hits, key=lambda s: s.raised_at) if hits else None


def format_key(key: tuple[str, ...]) -> str:
    return "|".join(key)
