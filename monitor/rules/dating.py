"""When the reported event happens, from the words of the text and the publication time.

A report is about a *new* event only if the event it reports is recent relative
to the item's publication: "will meet on Thursday" (tomorrow), "met on Sunday"
(two days ago) or "is visiting Seoul" are news; "met in Tokyo on March 16,
2023" in a caption published in April, or "plans to visit next month", are
not. Dates in news are mostly relative, so they are resolved against the
publication time, and tense and modality ("will meet", "plans to visit",
"met", "is visiting") say on which side of it the event lies.

The *anchors* are the words that satisfied the rule's event terms (a summit
rule's "summit", "met", "visit" …). For each anchor, within its clause (a
sentence cut at ", which/after/before/…", ";" and dashes, so that "…, which
reciprocates a mid-March trip" does not date the visit the sentence reports):

* the tense: the nearest cue word around the anchor — an auxiliary or modal
  ("will", "is", "was", "plans to", "set to"), the anchor's own form ("met",
  "meets"), a temporal preposition ("ahead of", "after") — else unknown;
* the date: the temporal expression nearest to the anchor
  (:mod:`monitor.rules.timewords`: weekdays, today/yesterday/tomorrow,
  last/this/next week or month, "N days ago", months with or without a day
  or year, ISO dates, "hours before", "on the eve of"), resolved to an
  interval of days on the side the tense says.

An anchor without a cue of its own takes the tense of another anchor in its
clause ("plan to hold a meeting … on the sidelines of the summit"). Each
anchor is then ``new`` (within the rule's recency: by default from a week
before publication to two days after), ``recap`` (before it) or ``preview``
(after it, or future without a date: "plans to visit" is not a meeting
confirmed within two days).

The item's event comes from the anchors in the title or in a sentence naming
the story's people (the rule's key entities) first, then from the others:
the first one dated within the recency, else the first one with a tense or a
date (the title comes first) decides. An anchor attached to a third leader
("summit with Trump", "the Trump meeting") is another event and is skipped.
An item with nothing to go on is dated on its publication day if its
headline names one of the people, else it is ``undated``; an item whose
event words all stand in sentences about others is ``elsewhere``; an event
word that a verb calls off ("visit cancelled") is ``cancelled``. Every
decision keeps the words that made it, for the alert.

Everything here is word lists and a few regular expressions: explainable, and
the same for any rule whose terms name an event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from monitor.analysis.meetings import (
    Participants,
    dates_the_meeting,
    participants,
    remote,
    since,
    spoken_of,
    when_future,
)
from monitor.analysis.modality import modality
from monitor.analysis.reference import PERSONAL_PRONOUN, titled_in
from monitor.analysis.roles import dates_the_act
from monitor.article import Span
from monitor.rules.timewords import Tense, TimeWords, find, nearest, resolve

if TYPE_CHECKING:
    from monitor.rules.matcher import Doc

Status = Literal[
    "new", "recap", "preview", "cancelled", "remote", "elsewhere", "undated", "unproven"
]

# -- word lists (words of the language, not phrases of any corpus) --------------

_FUTURE = frozenset(
    (
        *("will", "'ll", "shall", "would", "could", "might", "can", "going"),
        *("plan", "plans", "planned", "planning", "scheduled", "expected", "expects", "due"),
        *("slated", "upcoming", "forthcoming", "prepare", "prepares", "preparing", "ahead"),
        *("before", "eve", "prior", "aim", "aims", "aiming", "hope", "hopes", "hoping"),
        *("want", "wants", "intend", "intends", "seek", "seeks", "seeking", "propose"),
        *("proposed", "proposes", "invite", "invites", "invited", "arrange", "arranging"),
        *("considering", "mulls", "mulling", "weighs", "weighing", "eyes", "eyeing"),
        *("tomorrow", "soon", "later", "likely", "possible", "potential"),
    )
)
_PAST = frozenset(
    (
        *("met", "held", "had", "was", "were", "did", "visited", "hosted", "welcomed"),
        *("received", "talked", "discussed", "agreed", "signed", "attended", "arrived"),
        *("concluded", "ended", "wrapped", "gathered", "convened", "shook", "laid", "paid"),
        *("toured", "joined", "pledged", "vowed", "said", "told", "announced", "reached"),
        *("made", "took", "sat", "greeted", "hailed", "stressed", "expressed", "exchanged"),
        *("reaffirmed", "confirmed", "condemned", "urged", "after", "following", "since"),
        *("yesterday", "ago", "last", "previous", "earlier", "recently", "has", "have"),
        *("finished", "completed", "returned", "flew", "traveled", "travelled", "went"),
        *("started", "began", "opened", "kicked", "launched", "sought", "tried", "moved"),
    )
)
_PRESENT = frozenset(
    (
        *("is", "are", "am", "meets", "visits", "holds", "hosts", "welcomes", "arrives"),
        *("begins", "starts", "opens", "kicks", "greets", "receives", "says", "tells"),
        *("today", "tonight", "now", "currently", "underway", "ongoing", "travels"),
        *("heads", "goes", "lands", "wraps", "ends", "sits", "joins"),
    )
)
#: After "is"/"was", these make it a plan: "is set to", "was expected to".
_PLANNED = frozenset(
    ("set", "expected", "scheduled", "due", "slated", "to", "going", "likely", "poised")
    + ("planning", "preparing", "about", "planned", "supposed")
)
#: Forms of event verbs that are past by themselves ("met", "held talks").
_PAST_FORMS = frozenset(
    ("met", "held", "visited", "hosted", "welcomed", "received", "talked", "greeted", "sat")
    + ("gathered", "convened", "arrived", "toured", "attended", "discussed", "signed")
)
#: Verbs that carry an event word as their object: "to hold a summit", "to pay a visit".
_SUPPORT = frozenset(
    ("hold", "have", "host", "attend", "make", "pay", "stage", "convene", "join", "see")
    + ("meet", "visit", "travel", "talk", "sit", "welcome", "receive", "resume", "restore")
)
#: Present verbs of effort before another infinitive: "seek to mend ties at the summit".
_EFFORT = frozenset(("seek", "seeks", "move", "moves", "try", "tries", "vow", "vows", "look"))
#: Verbs of the report itself, not of the event, when they follow the event word.
_REPORTING = frozenset(
    ("said", "says", "told", "tells", "reported", "reports", "announced", "announces")
    + ("added", "noted", "stated", "confirmed", "according")
)
#: Event verbs in their base form: present after a plural subject ("leaders meet").
_BASE_FORMS = frozenset(("meet", "hold", "talk", "gather", "convene", "sit"))
#: Event words that are nouns after "to"/"will" ("to talks" is not "to talk").
_NOUNS = frozenset(("talks", "summit", "summits", "meeting", "meetings", "visit", "visits"))
_DETERMINERS = frozenset(("the", "a", "an", "his", "her", "their", "its", "this", "that", "be"))
_MOTION_PAST = frozenset(
    ("arrived", "flew", "traveled", "travelled", "went", "came", "headed", "landed")
    + ("returned", "slipped", "stopped", "sailed", "drove", "rushed", "hurried")
)
_MOTION_PRESENT = frozenset(
    ("arrives", "flies", "travels", "goes", "comes", "heads", "lands", "returns", "slips")
)
#: Modal words directly before a base form: "will meet", "to visit".
_MODAL = frozenset(("to", "will", "'ll", "would", "could", "may", "might", "shall", "can"))
#: Words that never tell the tense, even when listed above in another sense.
_TRANSPARENT = frozenset(("during", "at", "amid", "in", "on", "for", "with", "of", "the"))

#: Words that count meetings ("met 68 times", "have met several times"): their history.
_TIMES = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens? of|several|many|"
    r"numerous|multiple|countless)\s+times\b",
    re.IGNORECASE,
)

#: Where a sentence splits into clauses that may report different events.
_CLAUSE_BREAK = re.compile(
    r";\s|:\s|\s[—–-]\s|,\s+(?=(?:which|who|whom|whose|where|after|before|following|since"
    r"|while|when|whereas|although|though|but|even as|as|and then)\b)",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"(?:which|who|whom|whose|where|when)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'.]*|\d+")
#: Between a third leader and an event word: "Trump meeting", "Trump's visit".
_OWNER_GAP = re.compile(r"(?:'s?)? ")
#: Prepositions that make their object past ("after the summit"); they say nothing of
#: an event word before them.
_AFTER = frozenset({"after", "following", "since"})
#: Between an event word and a third leader: "summit with US President Donald Trump".
_WITH_GAP = re.compile(r"s? (?:with|and) (?:the )?(?:[A-Z][\w.']*[ -])*")

_DESCRIBE = {
    "new": "new",
    "recap": "a recap",
    "preview": "a preview",
    "cancelled": "called off",
    "remote": "a call, not a meeting in person",
    "elsewhere": "not about them",
    "undated": "undated, and the headline is about something else",
    "unproven": "no meeting word has the two of them as its participants",
}


#: How far back an undated past meeting may be one already reported: a new meeting's first
#: reports say when ("on Sunday") or speak in the present ("Xi meets Putin").
UNDATED_PAST = timedelta(days=30)


#: How far back a meeting told in the present may be: the UTC day of publication is the
#: day before in the time zones west of the outlet's.
PRESENT_SPREAD = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Recency:
    """How far from publication an event may be to count as news."""

    before: timedelta = timedelta(days=7)
    after: timedelta = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Mention:
    """One anchor of the event: its clause, tense, date words and verdict."""

    anchor: Span
    clause: Span
    tense: Tense = "unknown"
    cue: str = ""
    when: TimeWords | None = None
    lo: date | None = None
    hi: date | None = None
    status: Status | None = None
    #: the word that calls the event off ("cancelled", "calls off"), if any
    cancelled: str = ""
    #: the words that make it only a possibility ("could", "in doubt"), if any
    doubtful: str = ""
    #: the words that make it a meeting at a distance ("video meeting", "by phone"), if any
    remote: str = ""
    #: the verb names its participants, and they are someone else's: a group of others or
    #: a third party meeting one of the pair ("when leaders meet", "Macron meets Xi")
    theirs_not: bool = False
    #: the words that count the meetings ("met Xi 68 times"): many occasions, all past
    habitual: str = ""
    #: the parse names the pair as its participants: each side's person, or one side's
    #: person and the other side's land ("Kishida met Yoon", "Kishida's visit to Seoul")
    pair: bool = False

    @property
    def informative(self) -> bool:
        return (
            self.tense != "unknown"
            or self.when is not None
            or bool(self.cancelled)
            or bool(self.doubtful)
            or bool(self.remote)
        )


@dataclass(frozen=True, slots=True)
class EventTime:
    """When the item's event happens, relative to its publication, and why."""

    status: Status
    lo: date
    hi: date
    published: date
    mention: Mention | None = None
    mentions: tuple[Mention, ...] = field(default=(), repr=False)

    def explain(self) -> dict[str, Any]:
        """The alert's ``dated`` field: the words, the date they give, tense, verdict."""
        m = self.mention
        words = m.when.text if m and m.when else (m.cue if m else "")
        if m and m.doubtful and self.status == "preview":
            words = m.doubtful  # what makes it only a possibility, not the day it names
        out: dict[str, Any] = {
            "words": words or None,
            "date": self.lo.isoformat(),
            "tense": m.tense if m else "unknown",
            "status": self.status,
        }
        if self.hi != self.lo:
            out["until"] = self.hi.isoformat()
        if m and m.when and m.cue:
            out["cue"] = m.cue
        if not (m and m.when):
            out["assumed"] = _assumed(self) if self.status == "new" else None
        return out

    def describe(self) -> str:
        """One line for people: ``dated: "on Thursday" → 2023-03-16 (future): new``."""
        info = self.explain()
        when = info["date"] + (f"..{info['until']}" if "until" in info else "")
        words = f"“{info['words']}”" if info["words"] else "no date or tense"
        if self.status in ("cancelled", "remote"):
            return f"dated: {words}: {_DESCRIBE[self.status]}"
        if self.status == "preview" and self.mention is not None and self.mention.doubtful:
            return f"dated: {words}: only a possibility, {_DESCRIBE[self.status]}"
        if self.status == "undated":
            return f"dated: no date or tense: {_DESCRIBE[self.status]}"
        if self.status == "unproven":
            return f"dated: {words} → {when}: {_DESCRIBE[self.status]}: not their summit"
        if self.status == "elsewhere" and self.mention is not None and self.mention.theirs_not:
            return "dated: every meeting word is someone else's meeting: not about them"
        if self.status == "elsewhere":
            return "dated: event words only in sentences that name neither of them: not about them"
        if self.mention is None or self.mention.when is None:
            when = "undated" if self.status == "preview" else f"{when} ({_assumed(self)})"
        return f"dated: {words} → {when} ({info['tense']}): {_DESCRIBE[self.status]}"


def _assumed(event: EventTime) -> str:
    """What an undated event is taken to be: the publication day (or, told in the present,
    the day before in the time zones west of it), or for a past tense with no date, some
    day of the month before it."""
    if event.mention is not None and event.mention.tense == "present":
        return "publication day or the day before"
    return "before publication" if event.lo < event.hi else "publication day"


# -- entry points ----------------------------------------------------------------


def event_mentions(
    doc: Doc,
    spans: Iterable[Span],
    others: frozenset[str] = frozenset(),
    sides: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    pair_words: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    lands: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    titles: Mapping[str, frozenset[str]] | None = None,
) -> list[Mention]:
    """The anchors of a rule's match (its non-entity spans), with clause, tense and date words.

    Needs no publication time: it is what :func:`date_event` classifies, and
    what story keys read the place of the meeting from. An anchor attached to
    one of ``others`` (a third leader: "summit with Trump", "Trump meeting")
    is another event: someone else's (``theirs_not``), like a meeting whose
    participants are. ``pair_words`` are the words of every name of each side
    (lower case): a one-word name that is none of them is a third party
    ("Xi to meet Blinken"), one that is ("Lee", left unresolved) is not. ``lands``
    are each side's places: one side's person going to the other's land meets that
    side ("Kishida arrives in Seoul"), for a mention that is the ``pair``'s. ``titles``
    are the people's office words, for "the prime minister will host him" of the prime
    minister just named (:mod:`monitor.analysis.reference`).
    """
    entity = {s for found in doc.mentions.values() for s in found}
    starts = frozenset(s[0] for s in entity)
    side_spans = (_spans(doc, sides[0]), _spans(doc, sides[1]))
    land_spans = (_spans(doc, lands[0]), _spans(doc, lands[1]))
    third = sorted(_spans(doc, others))
    offices = {s: words for ent, words in (titles or {}).items() for s in doc.mentions.get(ent, ())}
    out: list[Mention] = []
    unread: set[Span] = set()  # the title's meeting words whose participants are not read
    for anchor in sorted(set(spans)):
        if anchor in entity:
            continue
        clause = _clause(doc, anchor)
        # the anchor's sentence as the readers of :mod:`monitor.analysis` take it, cut once
        here = _sentence(doc, anchor, entity)
        met = _others_meet(
            doc,
            anchor,
            here,
            _stand_ins(doc, anchor, side_spans, third, offices),
            pair_words,
            land_spans,
        )
        if third and _attached(doc, anchor, third) and not all(met.sides):
            # "summit with Trump" (not "a meeting with Albanese, Kishida and Modi", whose
            # participants hold both sides)
            out.append(Mention(anchor, clause, theirs_not=True))
            continue
        if met.someone_else:
            # "when leaders meet", "Macron meets Xi": someone else's meeting
            out.append(Mention(anchor, clause, theirs_not=True))
            continue
        if anchor[1] <= doc.title_end and not met.found:
            unread.add(anchor)
        tense, cue = _tense(doc, clause, anchor, starts)
        if tense in ("present", "unknown"):
            if over := since(*here):
                tense, cue = "past", over  # "dismiss peace talk after Putin-Xi meet"
            elif later := when_future(*here):
                tense, cue = "future", later  # "will urge Putin … when he visits Russia"
            elif was := spoken_of(*here):
                tense, cue = "past", was  # "Zakaria says part of the meeting got little notice"
        # a possibility is not a fact, and a cancelled visit is no visit: "a summit is
        # possible later this year" is a plan although its words read as present ("is");
        # the parse says whether a modal governs the anchor or a verb calls it off
        mood = modality(*here)
        if mood.mood in ("possible", "planned"):
            # a plan, agreed or hoped for in whatever tense ("has agreed on Xi visiting")
            tense, cue = "future", mood.cue
        dating = [t for t in find(doc.text, *clause) if _dates(doc, anchor, t, here)]
        # a date in the meeting's own phrase first: "said on Monday he hoped to meet Putin
        # in Moscow on Thursday or Friday" (the parser may hang Monday on "hoped")
        own = [t for t in dating if _dates(doc, anchor, t, here, own=True)]
        when = nearest(own or dating, anchor)
        if when is None:
            when = _fronted(doc, anchor, clause, here)  # "Back in November, … met Biden"
        cancelled = mood.cue if mood.mood == "cancelled" else ""
        doubtful = mood.cue if mood.mood == "doubtful" else ""
        counted = _TIMES.search(doc.text, *clause) if tense != "future" else None
        out.append(
            Mention(
                anchor,
                clause,
                tense,
                cue,
                when,
                cancelled=cancelled,
                doubtful=doubtful,
                remote=remote(*here),  # a call is no meeting in person
                habitual=counted.group() if counted else "",
                pair=_pair(met),
            )
        )
    body = [m for m in out if m.anchor[0] > doc.title_end]
    both = all(any(s[0] < doc.title_end for s in side) for side in side_spans)
    if unread and body and not both and all(m.theirs_not for m in body):
        # a headline tells the body's meeting in fewer words ("Xi to Meet Blinken Monday",
        # the tagger reading "Blinken" as part of the day): when every meeting the body
        # tells is someone else's, so is the headline's that names no one — unless the
        # headline names both sides' people ("Biden, Kishida laud ties in meeting")
        out = [replace(m, theirs_not=True) if m.anchor in unread else m for m in out]
    return [_share_tense(m, out) for m in out]


def _spans(doc: Doc, entities: Iterable[str]) -> list[Span]:
    """Where the item names any of ``entities``."""
    return [s for ent in entities for s in doc.mentions.get(ent, ())]


def _sentence(doc: Doc, anchor: Span, names: Iterable[Span]) -> tuple[str, Span, list[Span]]:
    """The anchor's sentence, and the anchor and ``names`` in it, as offsets into it: what
    the parse-reading functions of :mod:`monitor.analysis` take; a dateline that opens
    the sentence is left out, as the link's reading leaves it out ("CANBERRA, May 23
    (Reuters) - Albanese left for Tokyo, where he will … hold a meeting with Kishida":
    the parser takes the city for the subject)."""
    lo, hi = doc.sentence_read(anchor[0])
    local = [(s - lo, e - lo) for s, e in names if lo <= s < hi]
    return doc.text[lo:hi], (anchor[0] - lo, anchor[1] - lo), local


def _dates(
    doc: Doc, anchor: Span, when: TimeWords, here: tuple[str, Span, list[Span]], own: bool = False
) -> bool:
    """Whether a time expression in the anchor's clause can date it: not the day of a
    saying above it (:func:`monitor.analysis.meetings.dates_the_meeting`); with ``own``,
    whether it is inside the meeting word's own phrase or clause."""
    text, at, local = here
    lo = anchor[0] - at[0]
    return dates_the_meeting(text, at, (when.span[0] - lo, when.span[1] - lo), local, own)


def _stand_ins(
    doc: Doc,
    anchor: Span,
    sides: tuple[list[Span], list[Span]],
    third: list[Span],
    offices: Mapping[Span, frozenset[str]] | None = None,
) -> tuple[list[Span], list[Span], list[Span]]:
    """The spans of each side's people and of third leaders in the anchor's sentence, with
    the pronouns that stand for them ("…, both of whom he met": "he" is the third leader
    named as the subject above, :mod:`monitor.analysis.reference`), and the office that
    does ("Xi lands in Ahmedabad, and the prime minister will host him": of ``offices``,
    each person's office words)."""
    left, right, others = list(sides[0]), list(sides[1]), list(third)
    sent = doc.sentence_read(anchor[0])  # the parser takes a dateline's city for a subject
    people = (*left, *right, *others)
    named = {s: offices[s] for s in people if offices and s in offices}
    pronoun = PERSONAL_PRONOUN.search(doc.text, sent[0], sent[1]) is not None
    if not pronoun and not any(
        titled_in(words, doc.text[sent[0] : sent[1]]) for words in named.values()
    ):
        return left, right, others
    # one key per person, that a name said twice ("Modi", "Narendra Modi") is one person
    whose = {s: ent for ent, found in doc.mentions.items() for s in found}
    persons = {s: (whose.get(s, str(s)), True) for s in people}
    titles = frozenset(w for words in named.values() for w in words)
    for ref in doc.references(sent, persons, None, named):
        if not pronoun and not titled_in(titles, doc.text[ref.span[0] : ref.span[1]]):
            continue  # read for an office: not "they" of a sentence with no "he" or "him"
        for group in (left, right, others):
            if any(name in group for name in ref.names):
                group.append(ref.span)
    return left, right, others


def _fronted(
    doc: Doc, anchor: Span, clause: Span, here: tuple[str, Span, list[Span]]
) -> TimeWords | None:
    """A date of the anchor's sentence outside its clause that the parse hangs from the
    anchor's own act: a fronted adverbial ("Back in November, before the spiral in ties, Xi
    cast himself as a statesman in a meeting with Biden") the clause cut leaves out."""
    lo, hi = doc.sentence_read(anchor[0])
    text, at, local = here
    for words in find(doc.text, lo, hi):
        if clause[0] <= words.span[0] < clause[1]:
            continue
        if dates_the_act(text, at, (words.span[0] - lo, words.span[1] - lo), local):
            return words
    return None


def _pair(met: Participants) -> bool:
    """Whether a meeting's participants are the pair: each side's person, or one side's
    person and the other's land (a person may be a bare word of their names left
    unresolved); two lands alone are their countries' talks ("US-China talks"), not the
    leaders'."""
    people = [person or bare for person, bare in zip(met.sides, met.unresolved, strict=True)]
    return any(people) and all(
        person or land for person, land in zip(people, met.lands, strict=True)
    )


def _others_meet(
    doc: Doc,
    anchor: Span,
    here: tuple[str, Span, list[Span]],
    people: tuple[list[Span], list[Span], list[Span]],
    pair_words: tuple[frozenset[str], frozenset[str]],
    lands: tuple[list[Span], list[Span]] = ([], []),
) -> Participants:
    """The anchor's participants: whether the verb names them and they are someone else's
    (:mod:`monitor.analysis.meetings`): a group of others ("foreign ministers met", "G7
    leaders meet"), or a third party meeting one of the pair ("Macron meets Xi", "he met
    Xi" of a third leader). ``people`` are the spans of the two sides' people and of the
    third leaders, the pronouns that stand for them included."""
    left, right, third = (_sentence(doc, anchor, spans)[2] for spans in people)
    places = (_sentence(doc, anchor, lands[0])[2], _sentence(doc, anchor, lands[1])[2])
    return participants(*here, (left, right), pair_words, third, places)


def _attached(doc: Doc, anchor: Span, third: list[Span]) -> bool:
    """ "a summit with US President Donald Trump", "the Trump meeting", "Trump's visit"."""
    for lo, hi in third:
        if 0 <= anchor[0] - hi <= 3 and _OWNER_GAP.fullmatch(doc.mtext, hi, anchor[0]):
            return True
        if 0 <= lo - anchor[1] <= 40 and _WITH_GAP.fullmatch(doc.text, anchor[1], lo):
            return True
    return False


def _share_tense(m: Mention, clause_mates: list[Mention]) -> Mention:
    """An anchor without a tense cue takes its clause's ("plan to hold a meeting … summit")."""
    if m.tense != "unknown":
        return m
    mates = [o for o in clause_mates if o.clause == m.clause and o.tense != "unknown"]
    if not mates:
        return m
    near = min(mates, key=lambda o: abs(o.anchor[0] - m.anchor[0]))
    return replace(m, tense=near.tense, cue=near.cue)  # whose it is stays as it was


def date_event(
    doc: Doc,
    spans: Iterable[Span],
    published: datetime,
    recency: Recency,
    people: frozenset[str] = frozenset(),
    others: frozenset[str] = frozenset(),
    sides: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    pair_words: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    lands: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    titles: Mapping[str, frozenset[str]] | None = None,
) -> EventTime:
    """Date the event a rule matched, relative to ``published`` (see the module doc).

    ``people`` are the entities the story is about (a rule's key entities):
    event words in the title or in a sentence naming one of them come first,
    so "officials visited a shrine last week" does not date a leaders' summit.
    ``others`` are entities of the same kind that are not (other countries'
    leaders): their meetings are other events. ``sides`` are ``people`` by side (the
    key's two entities): a meeting verb whose participants hold one side and someone
    else ("Macron meets Xi") is another event too; ``pair_words`` the words of each
    side's names (see :func:`event_mentions`), ``lands`` their places, ``titles`` the
    office words of ``people`` and ``others``.

    With two sides, a new meeting is theirs only when a meeting word's
    participants, as the parse names them, are the pair (each side's person, or
    one's person and the other's land): "Biden says … after meeting" (whose
    meeting?), a digest naming each of them beside a meeting word, "a day after
    US-China talks" (their countries') are no report of their summit
    (``unproven``). Recaps, previews and calls are judged as before.
    """
    day = _utc_day(published)
    found = event_mentions(doc, spans, others, sides, pair_words, lands, titles)
    if found and all(m.theirs_not for m in found):
        # every meeting word is someone else's meeting ("Macron meets Xi … Putin"): not theirs
        return EventTime("elsewhere", day, day, day, found[0], tuple(found))
    kept = [m for m in found if not m.theirs_not]
    mentions = [replace(_classify(m, day, recency), pair=m.pair) for m in kept]
    # the pair's own meeting word must not be an old one beside another's news
    # ("Albanese visits Vietnam" over a caption of his meeting with Biden weeks ago)
    proven = any(m.pair and _proves(c) for m, c in zip(kept, mentions, strict=True))
    theirs = {m.anchor for m in found if m.pair}  # "the two leaders, meeting in …" is theirs
    named = {m.anchor for m in about(doc, mentions, people)}
    told = [m for m in mentions if m.anchor in named or m.anchor in theirs]
    if mentions and people and not told:
        # every event word is in a sentence about others: no event of theirs is reported
        return EventTime("elsewhere", day, day, day, mentions[0], tuple(mentions))
    chosen = _choose(told) or _choose(mentions)
    if chosen is None or chosen.status is None:
        if people and not _in_title(doc, people):
            # nothing dates it, and the headline is about something else (a digest,
            # an analysis, another event): no benefit of the doubt
            return EventTime("undated", day, day, day, chosen, tuple(mentions))
        status: Status = "new"
        lo, hi = day - UNDATED_PAST, day
    else:
        status, lo, hi = chosen.status, chosen.lo or day, chosen.hi or day
    if status == "new" and all(sides) and not proven:
        status = "unproven"  # news, but no meeting word has the two of them as participants
    return EventTime(status, lo, hi, day, chosen, tuple(mentions))


#: Verdicts of the pair's own meeting word that prove no new meeting of theirs.
_NO_PROOF = frozenset({"recap", "cancelled", "remote"})


def _proves(m: Mention) -> bool:
    """Whether the pair's meeting word can make another mention's news theirs: not an old
    meeting, a call or a cancelled one, nor one to come on a day of its own; a plan with
    no day of its own may ("… during his first state visit to Russia": the visit under
    way)."""
    if m.status in _NO_PROOF or m.doubtful:
        return False  # nor a possibility only ("discuss a possible meeting")
    return not (m.status == "preview" and m.when is not None)


def _choose(mentions: list[Mention]) -> Mention | None:
    """The first mention dated within the recency, else the first with a tense or date."""
    for m in mentions:
        if m.when is not None and m.status == "new":
            return m
    return next((m for m in mentions if m.informative), None)


def _in_title(doc: Doc, people: frozenset[str]) -> bool:
    """Whether the headline names one of ``people``."""
    return any(s[0] < doc.title_end for s in _spans(doc, people))


def about(doc: Doc, mentions: list[Mention], people: frozenset[str]) -> list[Mention]:
    """The mentions in the title or in a sentence that names one of ``people``."""
    spans = _spans(doc, people)
    out = []
    for m in mentions:
        if m.anchor[0] < doc.title_end:
            out.append(m)
            continue
        lo, hi = doc.sentence_of(m.anchor[0])
        if any(lo <= s[0] < hi for s in spans):
            out.append(m)
    return out


def same_time(a: tuple[date, date], b: tuple[date, date], tolerance: timedelta) -> bool:
    """Two events' day intervals overlap once widened by ``tolerance``."""
    return a[0] - tolerance <= b[1] and b[0] - tolerance <= a[1]


# -- clauses and tense -------------------------------------------------------------


def _clause(doc: Doc, anchor: Span) -> Span:
    """The anchor's clause: its sentence cut at the breaks.

    A relative clause set off by commas (", who hosted Lee in Tokyo in
    January, met him again …") also ends at its closing comma, so the main
    clause after it is dated on its own.
    """
    lo, hi = doc.sentence_of(anchor[0])
    hi = max(hi, anchor[1])
    cuts: list[tuple[int, int]] = []
    for brk in _CLAUSE_BREAK.finditer(doc.text, lo, hi):
        cuts.append(brk.span())
        if _RELATIVE.match(doc.text, brk.end()):
            close = doc.text.find(", ", brk.end(), hi)
            if close >= 0:
                cuts.append((close, close + 2))
    start = lo
    for cut_lo, cut_hi in sorted(cuts):
        if cut_lo >= anchor[0]:
            return (start, cut_lo)
        start = max(start, cut_hi)
    return (start, hi)


Word = tuple[str, str, int]  # lower-case, as written, offset


def _tense(doc: Doc, clause: Span, anchor: Span, names: frozenset[int]) -> tuple[Tense, str]:
    """The tense of the anchor's event: its own form, else the nearest cue around it.

    ``names`` are the offsets where an entity mention starts: "to" before one
    is a direction ("trip to Seoul"), not an infinitive ("to visit").
    """
    words: list[Word] = [
        (m.group().lower().rstrip("."), m.group(), m.start())
        for m in _WORD.finditer(doc.text, *clause)
        if not (m.start() and doc.text[m.start() - 1].isdigit())  # "4.30am" is a time, not "am"
        # "face-to-face" has no infinitive "to face"
        and not (m.group().lower() == "to" and m.start() and doc.text[m.start() - 1] == "-")
    ]
    at = next((i for i, w in enumerate(words) if w[2] >= anchor[0]), None)
    if at is None:
        return "unknown", ""
    own, prev = words[at][0], words[at - 1][0] if at else ""
    if own in _PAST_FORMS:
        return _after_aux(words, at)
    if own.endswith("ing") and prev in ("is", "are", "am", "was", "were", "be"):
        tense: Tense = "past" if prev in ("was", "were") else "present"
        if prev == "be":
            tense = "future"
        return tense, f"{prev} {own}"
    if prev in _MODAL and not own.endswith(("ing", "ed")) and own not in _NOUNS:
        return ("future", f"{prev} {own}") if prev != "to" else _to(words, at)
    if own in _PRESENT and own not in ("is", "are", "am"):
        return "present", own  # "Kishida meets Yoon", "Yoon visits Tokyo"
    if own in _BASE_FORMS and prev not in _DETERMINERS and prev not in ("did", "didn't"):
        return "present", own  # a headline's plural subject: "Leaders meet at Camp David"
    title = anchor[0] < doc.title_end
    reach = len(words) if title else 12  # a headline has one predicate: its verb counts
    for dist in range(1, max(reach, 14) + 1):
        for j in (at - dist, at + dist):
            if not 0 <= j < len(words) or (j < at and dist > reach):
                continue
            found = _cue(words, j, names, left=j < at, title=title)
            if found is not None:
                return found
    return "unknown", ""


def _after_aux(words: list[Word], at: int) -> tuple[Tense, str]:
    """ "met" is past, but "to be held"/"will be held" is a plan."""
    before = [w[0] for w in words[max(0, at - 2) : at]]
    if len(before) == 2 and before[1] == "be" and before[0] in _MODAL:
        return "future", " ".join((*before, words[at][0]))
    return "past", words[at][0]


def _to(words: list[Word], at: int) -> tuple[Tense, str]:
    """ "to visit": a plan ("plans to visit"), unless a trip did it ("flew to Seoul to meet")."""
    verb = words[at][0]
    for gov, _, _ in reversed(words[max(0, at - 6) : at - 1]):
        if gov in _MOTION_PAST:
            return "past", f"{gov} … to {verb}"
        if gov in _MOTION_PRESENT:
            return "present", f"{gov} … to {verb}"
        if gov != "to" and (gov in _FUTURE or gov in _PLANNED):
            return "future", f"{gov} to {verb}" if gov == words[at - 2][0] else f"{gov} … to {verb}"
    return "future", f"to {verb}"


def _cue(
    words: list[Word], j: int, names: frozenset[int], *, left: bool, title: bool
) -> tuple[Tense, str] | None:
    word, written, _ = words[j]
    nxt, nxt_written, nxt_pos = words[j + 1] if j + 1 < len(words) else ("", "", -1)
    if word in _TRANSPARENT or (not left and word in _REPORTING):
        return None  # "… for a two-day visit, his office said": the report, not the event
    if word in ("run", "lead") and nxt == "up" and left:
        return "future", f"{written}-up"  # "in the run-up to the summit": still to come
    if word in ("is", "are", "am", "was", "were"):
        if nxt in _PLANNED:
            return "future", f"{word} {nxt}"
        return ("past" if word in ("was", "were") else "present"), word
    if word == "to":
        if not left:
            return ("future", "to be") if nxt == "be" else None
        verb_like = nxt.isalpha() and nxt not in _DETERMINERS and nxt_pos not in names
        if not verb_like or not (title or nxt_written[:1].islower()):
            return None  # "a trip to Seoul"
        if nxt in _SUPPORT:
            return "future", f"to {nxt}"  # "to hold a summit"
        # another action's infinitive ("to mend ties at the summit"): its governor tells
        gov = words[j - 1][0] if j else ""
        if gov in _EFFORT:
            return "present", f"{gov} to {nxt}"
        if gov in _PAST and gov not in ("has", "have", "had"):
            return "past", f"{gov} to {nxt}"
        return "future", f"to {nxt}"  # a plan ("plans to …") or a headline ("Biden to …")
    if word in ("has", "have", "had"):
        return ("future", f"{word} to") if nxt == "to" else ("past", word)
    if word == "may":
        return ("future", word) if written == "may" else None  # "May" is a month
    if word in ("next", "last") and nxt in ("to", "year's", "week's", "month's"):
        return None  # "next to Blinken", "last year's": not the event's time
    if word == "next":
        return "future", word
    if word in _FUTURE:
        return "future", word
    if word in _BASE_FORMS:
        before = words[j - 1][0] if j else ""
        return ("future", f"{before} {word}") if before in _MODAL else ("present", word)
    if word in _AFTER and not left:
        return None  # "summit on the brink after Biden's call": the call is past, not the summit
    if word in _PAST:
        return "past", word
    if word in _PRESENT:
        return "present", word
    return None


# -- verdict -----------------------------------------------------------------------------


def _classify(m: Mention, day: date, recency: Recency) -> Mention:
    """Resolve the mention's date and say whether it is new, a recap or a preview
    (or called off: nothing took place, whatever the date)."""
    if m.cancelled:
        return Mention(
            m.anchor, m.clause, m.tense, m.cancelled, status="cancelled", cancelled=m.cancelled
        )
    if m.remote:
        # a call is no summit, whenever it was
        return Mention(
            m.anchor, m.clause, m.tense, m.remote, m.when, status="remote", remote=m.remote
        )
    if m.habitual:
        # "has met Xi 68 times": a count of meetings is their history, not one occasion
        return Mention(m.anchor, m.clause, "past", m.habitual, status="recap")
    if m.doubtful:
        # a possibility is no report, and no story later reports are compared with
        return Mention(
            m.anchor, m.clause, m.tense, m.doubtful, m.when, status="preview", doubtful=m.doubtful
        )
    tense = m.tense
    if m.when is not None:
        found = resolve(m.when, day, tense)
        contradicts = found is not None and (
            (tense == "future" and found[1] < day) or (tense == "past" and found[0] > day)
        )
        if contradicts and m.when.kind == "apart":
            found = None  # "will visit, days after the talks collapsed": dates something else
        if found is not None:
            lo, hi = found
            if tense == "past" and lo <= day < hi:
                hi = day
            elif tense == "future" and lo < day <= hi:
                lo = day
            status = _verdict(lo, hi, tense, day, recency)
            return Mention(m.anchor, m.clause, tense, m.cue, m.when, lo, hi, status)
        m = Mention(m.anchor, m.clause, tense, m.cue)
    if tense == "future":
        return Mention(m.anchor, m.clause, tense, m.cue, None, None, None, "preview")
    if tense == "past":
        # some day before publication: the same pair's meeting already reported in the month
        # before is the one meant ("Xi's trip to Moscow was …", "… after the Xi-Putin
        # meeting" a fortnight later); with none, it is news
        return Mention(m.anchor, m.clause, tense, m.cue, None, day - UNDATED_PAST, day, "new")
    if tense == "present":
        # today somewhere in the world: "Lula meets Xi" filed at 00:17 UTC is of the day
        # before in the Americas (a present-tense report's UTC day is one of two)
        return Mention(m.anchor, m.clause, tense, m.cue, None, day - PRESENT_SPREAD, day, "new")
    return m


def _verdict(lo: date, hi: date, tense: Tense, day: date, recency: Recency) -> Status:
    earliest, latest = day - recency.before, day + recency.after
    if hi < earliest:
        return "recap"
    if lo > latest or (tense == "future" and hi > latest):
        return "preview"
    middle = lo + (hi - lo) / 2
    if middle < earliest:
        return "recap"  # "last month": mostly more than a week ago
    return "new"


def _utc_day(when: datetime) -> date:
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.date()


__all__ = [
    "EventTime",
    "Mention",
    "PRESENT_SPREAD",
    "UNDATED_PAST",
    "Recency",
    "about",
    "TimeWords",
    "date_event",
    "event_mentions",
    "resolve",
    "same_time",
]
