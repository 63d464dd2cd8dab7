"""Is an event reported as fact or as a possibility? Read from the parse.

"Kishida and Yoon met", "are meeting", "meet on Thursday" report a meeting;
"a summit is possible later this year", "Yoon could visit Tokyo", "they
plan to meet", "officials are working towards a meeting" report none yet.
The difference is grammar: a modal auxiliary (tagged ``MD``: will, could,
may …) on the event's clause, a modal adjective its clause is predicated of
("is *possible*", "is *likely*"), or a verb of intention that governs it
("*plans* to visit", "*working towards* a meeting"). Which adjectives and
verbs are modal is the language's lexicon, kept here; the parse says what
governs what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.analysis.meetings import INTENT_VERBS, TAKE_PART
from monitor.analysis.pipeline import parse_at

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "CANCEL_VERBS",
    "DOUBT_MODALS",
    "DOUBT_NOUNS",
    "PLAN_VERBS",
    "REFUSE_VERBS",
    "Modality",
    "modality",
]

#: Adjectives that make their subject a possibility, not a fact: "a summit is possible".
MODAL_ADJECTIVES = frozenset(
    {"possible", "likely", "unlikely", "probable", "expected", "due", "set", "slated", "poised"}
    | {"scheduled", "planned", "mooted", "proposed", "tentative", "potential", "hopeful"}
)
#: Adjectives that make the event noun they modify a possibility only: "a *possible*
#: Takaichi-Lee meeting", "a potential summit".
DOUBT_ADJECTIVES = frozenset({"possible", "potential", "mooted", "tentative", "hypothetical"})
#: Verbs whose object is an event still to come: "confirming a summit with Xi", "plans a
#: visit", "announced talks for next week" (dated as a plan when a date is given).
PLAN_VERBS = frozenset(
    {"plan", "propose", "confirm", "announce", "schedule", "arrange", "offer", "promise"}
    | {"pave"}  # "pave the way for a summit"
)
#: Verbs whose object is an event still being talked over, no plan yet: "Seoul, Beijing
#: *discuss* possible Yoon-Li meeting" (a possibility, whatever day it names).
DISCUSS_VERBS = frozenset({"discuss", "negotiate", "debate"})
#: Nouns of getting ready whose "for" is an event still to come: "preparations *for*
#: Modi's visit", "plans for a summit".
PLAN_NOUNS = frozenset({"preparation", "plan", "arrangement", "groundwork"})
#: Nouns of a talk whose "about" or "over" is such an event: "in talks *about* a meeting
#: between Yoon and Li on Thursday, but nothing has been finalised".
TALKS_ABOUT = frozenset({"talk", "discussion", "negotiation", "consultation"})
#: Verbs that refuse an event: "refused to meet", "ruled out a summit".
REFUSE_VERBS = frozenset({"refuse", "decline", "reject"})
#: Verbs that call an event off: "the visit was cancelled", "Biden calls off his trip".
CANCEL_VERBS = frozenset(
    {"cancel", "postpone", "scrap", "shelve", "axe", "scupper", "delay", "suspend", "abort"}
    | {"scuttle", "derail"}
)
#: Modal auxiliaries of doubt: "could meet", "may visit" is a possibility, never a report,
#: whatever day it names ("will meet on Thursday" is a plan and is dated as one).
DOUBT_MODALS = frozenset({"could", "may", "might", "can"})
#: Nouns that put an event in doubt: "summit in doubt", "on the brink of collapse",
#: "hangs in the balance". ("In question" is left out: "the summit in question" is the
#: one being spoken of.)
DOUBT_NOUNS = frozenset({"doubt", "jeopardy", "limbo", "balance", "brink", "verge", "peril"})
#: Verb and particle that call an event off together: "call off", "put off".
CANCEL_PHRASES = frozenset({("call", "off"), ("put", "off")})
#: Edges by which an event word is what a verb calls off (its object or passive subject),
#: or a participle on the event noun ("the cancelled summit").
_CALLED_OFF = frozenset({"dobj", "nsubjpass", "nsubj", "amod", "conj"})
#: Prepositions that make the event a circumstance of another act, presupposed as a fact:
#: "seek to mend ties *at* the summit", "agreed *during* the visit".
_CIRCUMSTANCE = frozenset(
    {"at", "during", "in", "on", "amid", "after", "following", "before", "since", "throughout"}
)
#: Verbs whose object is an event they refuse ("rule" with "out": :func:`_denied`).
_REFUSES_AN_OBJECT = REFUSE_VERBS | {"rule"}
#: Marks of a clause that happens at the time of the clause it hangs from.
_AT_THE_TIME = frozenset({"as", "when", "while", "whilst"})
#: Edges climbed from the event word to the head of its clause.
_UP = frozenset(
    {"pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "compound", "amod", "xcomp", "pcomp"}
    | {"acomp", "conj", "appos", "npadvmod", "nmod", "poss", "oprd", "agent", "dative"}
)


@dataclass(frozen=True, slots=True)
class Modality:
    """How the event is reported: ``possible`` (not a fact yet: a plan, dated as one),
    ``planned`` (the event noun itself is a plan: "the planned visit"),
    ``doubtful`` (a possibility only, whatever day it names: "could meet", "summit in
    doubt"), ``cancelled`` (called off: it will not take place), ``past``, or ``None``."""

    mood: str | None
    cue: str = ""


def modality(sentence: str, anchor: tuple[int, int], names: list[tuple[int, int]]) -> Modality:
    """The mood of the event word at ``anchor`` (offsets into ``sentence``).

    ``names`` are the spans the gazetteer found (kept capitalised in a Title
    Case headline).
    """
    doc, word = parse_at(sentence, anchor, names)
    if word is None:
        return Modality(None)
    called_off = _called_off(word)
    if called_off is not None:
        return called_off
    doubted = _in_doubt(word)
    if doubted is not None:
        return doubted
    no = next((c for c in word.children if c.dep_ == "det" and c.lower_ == "no"), None)
    if no is not None and word.pos_ == "NOUN":
        # "has no meeting with Biden on her schedule": none to report, like one called off
        return Modality("cancelled", f"{no.text} {word.text}")
    for child in word.children:
        # "a possible summit", "a potential meeting": a possibility only, whatever day it
        # names; "the planned visit": a plan, whatever the verb around it says ("Kishida
        # said of the planned visit")
        if child.dep_ == "amod" and child.lower_ in DOUBT_ADJECTIVES:
            return Modality("doubtful", child.text)
        if child.dep_ == "amod" and child.lower_ in MODAL_ADJECTIVES:
            return Modality("planned", child.text)
    planned = _headline_plan(doc)
    if planned is not None:
        return planned
    node: Token = word
    seen = 0
    # an event that is only where or when something else happens ("seek to mend ties at
    # the summit") is as certain as that act: only a modal on it counts, not its intentions
    circumstance = False
    # a denial counts on the meeting word, or up a chain of verbs that take part in it or
    # control it ("will not hold talks", "refused to meet"), not on any verb above ("did not
    # mention the meeting")
    taking_part = True
    after_of = False
    while True:
        denied = (
            _denied(node)
            if node.pos_ in ("VERB", "AUX") and taking_part and not circumstance
            else ""
        )
        if denied:
            # "did not meet", "will not meet", "should not be trusted to lead talks": no
            # meeting reported, like one called off
            return Modality("cancelled", denied)
        found = _marked(node, circumstance)
        if found is not None:
            return found
        if node.dep_ not in _UP or node.head.i == node.i or seen > 12:
            break
        governor = node.head.lemma_.lower()
        # "agreed on a visit", "agreed on Xi visiting": the event is what was agreed, not
        # where or when (but "agreed on the sidelines of the summit" is a circumstance)
        agreed_on = node.lower_ == "on" and governor in INTENT_VERBS and seen == 1
        if node.dep_ == "prep" and node.lower_ in _CIRCUMSTANCE and not agreed_on:
            circumstance = True
        intent = (node.dep_ in ("xcomp", "pcomp", "pobj", "prep") and governor in INTENT_VERBS) or (
            node.dep_ == "dobj" and governor in PLAN_VERBS
        )
        if intent and not circumstance:
            return Modality("possible", node.head.text)  # "plans to visit", "working towards"
        if not circumstance and node.dep_ == "dobj" and governor in DISCUSS_VERBS:
            return Modality("doubtful", node.head.text)  # "discuss a Yoon-Li meeting"
        if (
            seen == 1
            and node.dep_ == "prep"
            and node.lower_ in ("about", "over")
            and node.head.lemma_.lower() in TALKS_ABOUT
        ):
            return Modality("doubtful", f"{node.head.text} {node.text}")  # "in talks about"
        if (
            seen == 1
            and node.dep_ == "prep"
            and node.lower_ == "for"
            and node.head.lemma_.lower() in PLAN_NOUNS
        ):
            # "discussed preparations for Modi's visit to Japan": still to come
            return Modality("possible", f"{node.head.text} {node.text}")
        of_content = node.dep_ in ("pobj", "prep") and "of" in (node.lower_, node.head.lower_)
        taking_part = taking_part and (
            node.dep_ == "xcomp"
            or node.dep_ == "compound"  # "a summit meeting": the same event
            or of_content  # "ruled out the possibility of talks"
            or (node.dep_ == "dobj" and (node.head.lemma_.lower() in TAKE_PART or after_of))
            # "rejected a summit", "ruled out a summit meeting": the object is what it refuses
            or (node.dep_ == "dobj" and node.head.lemma_.lower() in _REFUSES_AN_OBJECT)
        )
        after_of = of_content
        node = node.head
        seen += 1
    if circumstance:
        return Modality(None)
    if node.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in _AT_THE_TIME for c in node.children
    ):
        # "Sunak will announce the uplift as he holds talks with Biden": a clause of the
        # same time as a modal act is as much to come as that act
        found = _marked(node.head, modal_only=True)
        if found is not None:
            return found
        head = node.head
        while head.dep_ == "xcomp" and head.head.i != head.i:
            # "the declaration they are expected to sign when they meet": as much to come
            # as the act it is the time of
            if head.head.lemma_.lower() in INTENT_VERBS or head.head.lower_ in MODAL_ADJECTIVES:
                return Modality("possible", head.head.text)
            head = head.head
    if node.tag_ == "VBD" and not any(c.tag_ == "MD" for c in node.children):
        return Modality("past", node.text)
    return Modality(None)


def _marked(node: Token, modal_only: bool = False) -> Modality | None:
    """A modal auxiliary on ``node``, or ``node`` a modal adjective ("is possible")."""
    for child in node.children:
        if child.tag_ == "MD" and child.dep_ == "aux":
            mood = "doubtful" if child.lower_ in DOUBT_MODALS else "possible"
            return Modality(mood, child.text)
        if modal_only:
            continue
        if child.dep_ == "acomp" and child.lemma_.lower() in MODAL_ADJECTIVES:
            return Modality("possible", child.text)
    modal = node.pos_ == "ADJ" and node.lemma_.lower() in MODAL_ADJECTIVES
    if modal and not modal_only and node.dep_ in ("acomp", "ROOT"):
        return Modality("possible", node.text)
    return None


def _denied(verb: Token) -> str:
    """The words that deny a verb ("did not meet", "will not visit") or make it refuse what
    it governs ("refused to meet", "ruled out a summit"); "" if none."""
    neg = next((c for c in verb.children if c.dep_ == "neg"), None)
    if neg is not None:
        return f"{neg.text} {verb.text}"
    lemma = verb.lemma_.lower()
    if lemma in REFUSE_VERBS:
        return verb.text
    out = next((c for c in verb.children if c.dep_ == "prt" and c.lower_ == "out"), None)
    return f"{verb.text} out" if lemma == "rule" and out is not None else ""


def _cancels(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in CANCEL_VERBS:
        return True
    return any(c.dep_ == "prt" and (lemma, c.lower_) in CANCEL_PHRASES for c in verb.children)


def _called_off(word: Token) -> Modality | None:
    """The event is what a verb calls off: "Visit to Australia cancelled", "calls off the
    trip", "the postponed summit"; through a list, once ("the summit and the visit")."""
    for child in word.children:
        # "the cancelled summit"; "Quad summit cancelled after …" (a participle after it)
        if (child.dep_ == "amod" or (child.dep_ == "acl" and child.tag_ == "VBN")) and _cancels(
            child
        ):
            return Modality("cancelled", child.text)
    node = word
    for _ in range(2):
        if node.dep_ not in _CALLED_OFF or node.head.i == node.i:
            return None
        head = node.head
        if node.dep_ != "conj" and head.pos_ in ("VERB", "AUX") and _cancels(head):
            return Modality("cancelled", head.text)
        if node.dep_ != "conj":
            return None
        node = head
    return None


def _in_doubt(word: Token) -> Modality | None:
    """The event is in doubt: a phrase of its own or of the verb it is the subject of puts
    it there ("Summit in doubt after …", "Quad summit on the brink of collapse", "the
    visit hangs in the balance"). Not a fact yet: a preview, like a possible meeting."""
    holders = [word]
    if word.dep_ in ("nsubj", "nsubjpass") and word.head.pos_ in ("VERB", "AUX"):
        holders.append(word.head)
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "on", "into", "at"):
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in DOUBT_NOUNS:
                    return Modality("doubtful", f"{prep.text} {obj.text}")
    return None


#: Tags of a finite verb or a modal: a sentence with one is not a "to"-headline.
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _headline_plan(doc: Any) -> Modality | None:
    """A headline whose only predicate is an infinitive states a plan: "Biden to meet
    Kishida at White House", "Meeting between Biden, Kishida to focus on security".

    Taggers read such headlines in many shapes (the infinitive as a relative or
    adverbial clause of the first noun), so the test is the sentence's: no
    finite verb at all, and a "to"-infinitive with a word before it.
    """
    if any(t.tag_ in _FINITE for t in doc):
        return None
    for tok in doc:
        if tok.tag_ == "VB" and tok.i > 1:
            to = doc[tok.i - 1]
            if to.tag_ == "TO" and to.dep_ == "aux":
                return Modality("possible", f"to {tok.text}")
    return None
