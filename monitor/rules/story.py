"""New-story detection: a story key computed from what an article says.

Two reports of one event rarely share words, but they share *who* and
*where*: Ishiba and Yoon in Lima is one summit whatever the outlet writes.
A rule's ``new_story.key`` lists the parts:

* ``entity: SELECTOR`` — the entity of that selection the article is most
  about: the most mentions, ties going to the one named first. "Former
  President Yoon" in a story about President Lee loses on count.
* ``place: SELECTOR`` — where it happened: the first place named (not as an
  owner, "Tokyo's partners") in the first sentence that also names every
  entity picked by the other parts ("Ishiba and Lee met in Tokyo"); failing
  that, the place most often written after "in"/"at"; else unknown.

A part that cannot be determined is ``?`` and matches any value when keys are
compared, so a report that omits the city is still a repeat of the same
leaders' summit within the window. Dates written in the text are *not* used:
they are too often wrong (a report misdating a summit by a year is still the
same summit); the window runs on the source's published time, or the time we
observed the item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.rules.gazetteer import Gazetteer
from monitor.rules.matcher import Doc, Span
from monitor.rules.watchlist import KeyPart

UNKNOWN = "?"
_LOCATIVE = ("in", "at")


def story_key(doc: Doc, parts: Sequence[KeyPart], gazetteer: Gazetteer) -> tuple[str, ...]:
    """The key parts for an article, in the rule's order."""
    picked: list[str | None] = []
    for part in parts:
        ids = gazetteer.select(part.selector)
        if part.kind == "entity":
            picked.append(_most_mentioned(doc, ids))
        else:
            picked.append(None)  # places are picked once the people are known
    people = [p for p in picked if p]
    for i, part in enumerate(parts):
        if part.kind == "place":
            picked[i] = _place(doc, gazetteer.select(part.selector), people)
    return tuple(p or UNKNOWN for p in picked)


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

    def find_repeat(self, key: tuple[str, ...], when: datetime, window: timedelta) -> Story | None:
        """The earliest story this report repeats within the window, if any."""
        pool = self.all if UNKNOWN in key else self._by_key.get(key, []) + self._partial
        hits = [s for s in pool if abs(when - s.time) <= window and same_story(s.key, key)]
        return min(hits, key=lambda s: s.raised_at) if hits else None


def format_key(key: tuple[str, ...]) -> str:
    return "|".join(key)
