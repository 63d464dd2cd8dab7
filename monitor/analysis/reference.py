"""Who "it", "they" and "the two countries" are: references to actors, read from the parse.

News names a country once and then goes on with a pronoun or a description:
"India has opened an expressway as *it* tries to catch up with its rival
China", "The US and India signed a pledge. *The two nations* want to counter
China". The act that links the two sides is then told of the pronoun, and a
reading that only looks at names misses it.

Full coreference resolution needs a large neural model (the libraries that do
it for spaCy need a transformer pipeline or an older spaCy); news style lets a
few rules of salience do the job for the references that matter here, and
refuse when unsure:

* **"it"/"its", "the country", "the nation"** stand for the subject of the
  clause that governs the pronoun's clause ("India has opened …, as *it*
  tries …"), else for the subject of the sentence before (of what it reports
  when it ends with who reports it: "…, officials said") ("India's ties with
  Russia remain steady. But Moscow's embrace of China makes *it* wary": the
  subject "ties" is plural, so its owner, "India"). The subject must be a
  name of a country or a city, or a noun a name owns or modifies; a person,
  or a subject that is no name at all ("the ministry said it …"), leaves the
  pronoun unresolved; a possessive in its own clause does not stand for a
  plural subject only an adjective names ("Japan protested after *Chinese*
  ships entered *its* waters" is Japan's waters); "the country" (not "it") also stands for the place
  such a subject is in ("the Supreme Court *in the Philippines* ruled the
  country's deal void"). A pronoun never stands for the subject of its own
  clause ("Moscow's embrace makes it wary": not Moscow), and a name that
  only completes that subject ("wariness *of China*") does not keep an "it"
  object from the sentence before.
* **"he"/"his", "she"/"her"** the same way, for a person's name; a subject
  that is no person (a country or a body by name, a thing) is passed over,
  not a "he" ("Kishida said Japan would act after *he* met Biden", "Biden
  said democracy prevailed as *he* met Lula"); a noun of people ("the
  minister") still stops the search. A possessive no subject above it
  stands for is the person the main verb acts on ("the committee honoured
  Kishida, citing *his* …"). "Him"/"her" as the object of a
  clause whose subject is a person is never that subject (that would be
  "himself"): it stands for the one other person named before it, else the
  subject of the sentence before ("Biden said he met *him*").
* **"they"/"their", "both countries", "the two nations", "the two sides"**
  stand for a conjoined subject ("The US and India …. *They* …"), a
  plural noun a name modifies ("Indian officials said *they* …"), or a plural
  noun of people of a list of names ("the leaders of the US, Australia and the
  UK … as *they* deepen the partnership"); "both" and
  "the two" also for the last two different countries named before them
  ("Austin discussed ties with India as *both countries* grapple with
  China"). **"The two leaders", "both presidents"** (the cue book's
  ``people``) the same way, for the last two people of different countries
  ("Biden hosted Modi. *The two leaders* share concerns about countering
  China").
* **"the terminal"** — "the" and a common noun alone as a subject — stands for
  the one name that owned or modified the same noun in the sentence before
  ("Abuja's new airport terminal opens. *The terminal* was financed by …").
* **"the prime minister", "the defence secretary"** — a title with "the" and
  no owner — stand for the last person named before it, in its sentence or
  the one before, whose office the gazetteer calls so (``Name.titles``):
  "Starmer condemned the strike. *The prime minister* said Putin …". Two
  people of different countries who both hold such an office leave it
  unresolved ("Xi met Putin. The president said …").

A reference is resolved within its sentence and the one before it, never
further: the longer the distance, the likelier a reader's guess is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.analysis.pipeline import headline_case, parse_sentence
from monitor.analysis.roles import subjectless_infinitive
from monitor.article import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

    from monitor.analysis.roles import CueBook

__all__ = [
    "ANY_PRONOUN",
    "PERSONAL_PRONOUN",
    "Name",
    "Reference",
    "resolve_references",
    "titled_in",
]

_NEUTER = frozenset({"it", "its"})
_PERSONAL = frozenset({"he", "his", "him", "she", "her"})
_PLURAL = frozenset({"they", "their", "them"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_VERBAL = frozenset({"VERB", "AUX"})


def _words(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(words)) + r")\b", re.IGNORECASE)


#: A cheap test before a sentence is parsed for references: any pronoun this module
#: reads, or one that stands for a person.
ANY_PRONOUN = _words(_NEUTER | _PERSONAL | _PLURAL)
PERSONAL_PRONOUN = _words(_PERSONAL)
#: Words that make a plural description stand for exactly two ("both countries",
#: "the two nations").
_TWO = frozenset({"both", "two"})


@dataclass(frozen=True, slots=True)
class Name:
    """A name the gazetteer found: where (document offsets), whose, and whether a person.

    ``country`` tells names apart for "the two countries": a city and its
    country are one.
    """

    span: Span
    country: str
    person: bool
    #: the words of a person's office ("prime minister", "PM"), for "the prime minister"
    titles: frozenset[str] = frozenset()


def titled_in(titles: frozenset[str], text: str) -> bool:
    """Whether ``text`` may call someone by one of ``titles`` ("… the prime minister …");
    a title in capitals ("PM") only as written."""
    low = text.lower()
    return any((t in text) if t.isupper() else (t in low) for t in titles)


@dataclass(frozen=True, slots=True)
class Reference:
    """A pronoun or description (document offsets) and the names it stands for."""

    span: Span
    names: tuple[Span, ...]


def resolve_references(
    sentence: str,
    at: int,
    previous: str | None,
    previous_at: int,
    names: Sequence[Name],
    cues: CueBook | None,
) -> list[Reference]:
    """Every reference in ``sentence`` (which starts at document offset ``at``) that stands
    for names of it or of ``previous`` (the sentence before it, at ``previous_at``).

    ``names`` are every name the gazetteer found in the two, in document
    offsets; ``cues`` supplies the nouns that describe a country
    (``references``: "country", "nation", "sides" …); without it only
    pronouns are read.
    """
    here = [n for n in names if at <= n.span[0] < at + len(sentence)]
    doc = _parse(sentence, at, here)
    before: list[Name] = []
    if previous is not None:
        before = [n for n in names if previous_at <= n.span[0] < previous_at + len(previous)]
    prev_doc: list[SpacyDoc] = []  # the sentence before: parsed only when needed

    def subject_before(tok: Token) -> tuple[Token | None, Sequence[Name]]:
        """The subject of the sentence before the reference's (as the parser split this
        text, else ``previous``) and the names there."""
        first = tok.sent.start
        if first > 0:
            return _reported_subject(doc[first - 1].sent.root), here
        if previous is None:
            return None, before
        if not prev_doc:
            prev_doc.append(_parse(previous, previous_at, before))
        return (_reported_subject(prev_doc[0][-1].sent.root) if len(prev_doc[0]) else None), before

    def may_locate(tok: Token) -> bool:
        """Whether "the country" may stand for the place a subject is in: not when the
        sentence before has a country for its subject ("The Philippines won its case. A
        tribunal in the Netherlands said the country's claims …")."""
        if tok.pos_ != "NOUN":
            return False
        subject, there = subject_before(tok)
        return not _subject_names(subject, "it", there, previous_at if there is before else at)

    out: list[Reference] = []
    resolved: dict[int, tuple[Span, ...]] = {}  # token → names, for "it … its rival"
    titled = frozenset(t for n in [*before, *here] if n.person for t in n.titles)
    for tok in doc:
        kind = _kind(tok, cues)
        if kind is None and cues is not None and _deed(tok, cues):
            # "Japan sent a destroyer to the strait. Officials said *the move* was a signal
            # to China": the act of the subject before, so that subject's
            subject, there = subject_before(tok)
            there_at = previous_at if there is before else at
            doer = _subject_names(subject, "it", there, there_at) or _subject_names(
                subject, "person", there, there_at
            )
            if doer:
                resolved[tok.i] = doer
                out.append(Reference((at + tok.left_edge.idx, at + tok.idx + len(tok.text)), doer))
            continue
        if kind is None and titled:
            title = _title(tok, titled)
            if (
                title is not None
                and not any(n.span[0] <= at + tok.idx < n.span[1] for n in here)
                and not _strangers(sentence[: tok.idx], here, at)
                and not (previous is not None and _strangers(previous, before, previous_at))
            ):
                holder = _holder(title, [*before, *here], at + tok.left_edge.idx)
                if holder:
                    resolved[tok.i] = holder
                    out.append(
                        Reference((at + tok.left_edge.idx, at + tok.idx + len(tok.text)), holder)
                    )
            continue
        if kind is None and previous is not None and _bare_definite(tok):
            if not prev_doc:
                prev_doc.append(_parse(previous, previous_at, before))
            owner = _repeated_owner(tok, prev_doc[0], before, previous_at)
            if owner is not None:
                resolved[tok.i] = (owner.span,)
                out.append(
                    Reference((at + tok.left_edge.idx, at + tok.idx + len(tok.text)), (owner.span,))
                )
            continue
        if kind is None:
            continue
        if any(n.span[0] <= at + tok.idx < n.span[1] for n in here):
            continue  # part of a name ("the Islamic Republic")
        found = _within(tok, kind, here, at, resolved, may_locate(tok))
        if kind == "person" and (other := _not_the_subject(tok, here, at, resolved)) is not None:
            # "Biden said he met *him*": not whom its own clause's subject stands for
            if not other:
                subject, there = subject_before(tok)
                there_at = previous_at if there is before else at
                other = _previous_person(tok, subject, there, there_at, resolved, here, at)
            found = other
        if not found and kind in ("two", "two people"):
            subject, there = subject_before(tok)
            if subject is not None and any(c.dep_ == "conj" for c in subject.children):
                found = _subject_names(subject, kind, there, previous_at if there is before else at)
            else:  # "… ties with India as both countries …": the last two named
                candidates = [*here, *_unknown(doc, at, here)]
                found = _last_two(tok, candidates, before, at, people=kind == "two people")
        elif found is None and not _named_before(tok, kind, here, at):
            subject, there = subject_before(tok)
            found = _subject_names(
                subject, kind, there, previous_at if there is before else at, tok.pos_ == "NOUN"
            )
        if found and kind == "person" and _stranger_between(doc, tok, found, here, at):
            found = ()
        if found:
            resolved[tok.i] = found
            first = tok if tok.tag_ in ("PRP", "PRP$") else tok.left_edge  # "the two nations"
            start = at + first.idx
            out.append(Reference((start, at + tok.idx + len(tok.text)), found))
    return out


def _title(tok: Token, titles: frozenset[str]) -> str | None:
    """The office ``tok`` ends, when it is "the" and words of one of ``titles`` only: "the
    prime minister", "the PM", "the defence secretary"; not "the country's president",
    "the president of Brazil" (an owner of its own) nor "a minister"."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ not in ("NN", "NNP"):
        return None
    if [c.lower_ for c in tok.children if c.dep_ in ("det", "predet")] != ["the"]:
        return None
    if any(
        c.dep_ in ("poss", "nmod") or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children
    ):
        return None
    words = sorted(
        [tok, *(c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i)],
        key=lambda t: t.i,
    )
    if words[-1].i - words[0].i != len(words) - 1:
        return None  # the words of the office stand together
    phrase = " ".join(t.text for t in words)
    if phrase in titles:
        return phrase
    return phrase.lower() if phrase.lower() in titles else None


def _strangers(text: str, names: Sequence[Name], at: int) -> bool:
    """Whether ``text`` (at document offset ``at``) names a person the gazetteer does not
    know: "New Zealand's Luxon meets Albanese. The prime minister said …" may mean
    Luxon, so the title stands for no one."""
    known = [(n.span[0] - at, n.span[1] - at) for n in names]
    doc = parse_sentence(text, known)

    def unknown(lo: int, hi: int) -> bool:
        return not any(a < hi and lo < b for a, b in known)

    if any(e.label_ == "PERSON" and unknown(e.start_char, e.end_char) for e in doc.ents):
        return True
    # "New Zealand's Luxon": a name a country owns, which the recogniser may not tag
    return any(
        t.pos_ == "PROPN"
        and unknown(t.idx, t.idx + len(t.text))
        and any(c.dep_ == "poss" and c.ent_type_ == "GPE" for c in t.children)
        for t in doc
    )


def _stranger_between(
    doc: SpacyDoc, tok: Token, found: tuple[Span, ...], names: Sequence[Name], at: int
) -> bool:
    """Whether a person the gazetteer does not know is named between the person a "he" or
    "her" was read as and the pronoun: "Lula left the summit to visit former president
    Cristina Kirchner at *her* apartment" may be hers, so the pronoun stands for no one
    (refuse when unsure). Only a person of the pronoun's own verb counts."""
    last = max(s[0] for s in found)
    known = [(n.span[0] - at, n.span[1] - at) for n in names]
    act = _clause(tok)
    return act is not None and any(
        e.label_ == "PERSON"
        and at + e.start_char > last
        and e.end_char <= tok.idx
        and not any(a < e.end_char and e.start_char < b for a, b in known)
        # an argument of the pronoun's own verb: not a name in an aside the recogniser may
        # have misread ("in an interview with Kathimerini …, before he arrives")
        and (verb := _clause(e.root)) is not None
        and verb.i == act.i
        for e in doc.ents
    )


def _holder(title: str, names: Sequence[Name], offset: int) -> tuple[Span, ...]:
    """The spans of the last person named before ``offset`` whose office is ``title``; none
    when people of two countries hold such an office there."""
    holders = [n for n in names if n.person and title in n.titles and n.span[0] < offset]
    if not holders or len({n.country for n in holders}) > 1:
        return ()
    return (max(holders, key=lambda n: n.span[0]).span,)


def _parse(text: str, at: int, names: Sequence[Name]) -> SpacyDoc:
    keep = [(n.span[0] - at, n.span[1] - at) for n in names]
    return parse_sentence(headline_case(text, keep), keep)


def _kind(tok: Token, cues: CueBook | None) -> str | None:
    """What a token refers to, if it is a reference: one thing, a person, several, two
    (``cues`` None: pronouns only)."""
    low = tok.lower_
    if tok.tag_ in ("PRP", "PRP$"):
        if low in _NEUTER:
            return None if _pleonastic(tok) else "it"
        if low in _PERSONAL:
            return "person"
        if low in _PLURAL:
            return "they"
        return None
    if cues is None or tok.pos_ != "NOUN":
        return None
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "predet", "nummod", "preconj")]
    if tok.tag_ == "NNS" and cues.match("people", [low], 0):
        return "two people" if _TWO & set(dets) else None  # "the two leaders"
    if not cues.match("references", [low], 0):
        return None
    if tok.tag_ == "NNS":
        return "two" if _TWO & set(dets) else None
    if "the" in dets and not any(c.dep_ in ("poss", "compound", "prep") for c in tok.children):
        return "it"  # "the country", "the Asian nation"; not "the country's" … of someone
    return None


#: Verbs whose "it" subject is often no thing at all ("it is time", "it seems that").
_EMPTY_IT_VERBS = frozenset({"be", "seem", "appear", "take", "remain", "look", "become"})


def _pleonastic(tok: Token) -> bool:
    """ "It was a great day", "it is likely that …", "it seems": an "it" that stands for
    nothing, the subject of a copula or of a clause it announces."""
    if tok.dep_ not in _SUBJECTS:
        return False
    verb = tok.head
    if verb.lemma_.lower() in _EMPTY_IT_VERBS:
        return True
    return any(c.dep_ in ("ccomp", "xcomp") and c.i > verb.i for c in verb.children) and any(
        c.dep_ == "acomp" for c in verb.children
    )


#: What a thing (a war, a crisis, a programme) has as much as a country does: "as the war
#: continues into its second year" is the war's year.
_SPANS_OF_TIME = frozenset(
    {"year", "month", "week", "day", "decade", "anniversary", "phase", "stage", "round"}
)


def _within(
    tok: Token,
    kind: str,
    names: Sequence[Name],
    at: int,
    resolved: dict[int, tuple[Span, ...]],
    located: bool = False,
) -> tuple[Span, ...] | None:
    """The names a reference stands for in its own sentence: the subject of a clause
    that governs its own, nearest first (a subject that is itself a resolved reference
    stands for what that stands for); with ``located``, a subject's place counts
    (:func:`_subject_names`)."""
    if kind == "it" and tok.tag_ == "PRP$" and _phrase_owner(tok, names, at) is not None:
        # "Russia's invasion of its neighbour": Russia's, which the phrase already names, so
        # the pronoun adds no one (and is not the subject's above: not "Japan would …")
        return ()
    own = _clause(tok)
    if own is None:
        return None
    # a possessive may stand for its own clause's subject ("India is making its case");
    # "it" may not ("Moscow's embrace makes it wary" is not Moscow: that is "itself")
    clause: Token | None = own if tok.tag_ == "PRP$" else None
    if clause is None and own.head.i != own.i:
        # a second verb shares its first's subject: that is still its own clause's ("the
        # Philippines isn't shifting away from China and will foster ties with the
        # country" is China)
        first = _sharing(own)
        clause = _clause(first.head) if first.head.i != first.i else None
    while clause is not None:
        subject = _subject_of(clause)
        if subject is not None and subject.i < tok.i and subject.i != tok.i:
            if subject.i in resolved and _kind(subject, None) == kind:
                return resolved[subject.i]
            described = (
                clause is own
                and tok.tag_ == "PRP$"
                and subject.tag_ == "NNS"
                and _name_of(subject, names, at) is None
                and not any(
                    c.dep_ in ("poss", "compound") and _name_of(c, names, at) is not None
                    for c in subject.children
                )
            )
            # "Japan protested after Chinese ships entered its waters": a plural subject
            # only an adjective names is not what its own clause's "its" stands for
            found = (
                None
                if described
                else _subject_names(
                    subject, kind, names, at, located, kind == "person" and tok.tag_ == "PRP$"
                )
            )
            if not found and kind == "person" and _no_one(subject, names, at):
                pass  # "Kishida said Japan would act after he met Biden": no "he"; go on up
            elif found or clause is not own:
                # the nearest subject decides: one that does not agree leaves it unresolved
                if not found and kind == "it" and tok.dep_ == "dobj" and subject.tag_ == "NNS":
                    # "Four Arab states cut ties with Doha, accusing it of …": a plural
                    # subject is no "it"; the one country named before it in the sentence is
                    return _only_country_before(tok, names, at) or ()
                return found or ()
            owned = tok.head
            if (
                kind == "it"
                and subject.tag_ == "NN"
                and subject.dep_ in ("nsubj", "nsubjpass")
                and subject.head.i == own.i
                and owned.lemma_.lower() in _SPANS_OF_TIME
            ):
                # "as Russia's war continues into its second year": its own clause's subject
                # is a thing that agrees, and "its" is that thing's, not a name above:
                # only for a span of time, which a war or a talk has ("the regime sent
                # its envoy" is the country's)
                return ()
        if clause.head.i == clause.i:
            return _object_person(clause, tok, kind, names, at, located)
        clause = _clause(clause.head)
    return None


def _only_country_before(tok: Token, names: Sequence[Name], at: int) -> tuple[Span, ...] | None:
    """The one country named before ``tok`` in its sentence, if exactly one is."""
    start = at + tok.sent[0].idx
    before = [n for n in names if start <= n.span[0] < at + tok.idx and not n.person]
    if len({n.country for n in before}) != 1:
        return None
    return (before[-1].span,)


def _object_person(
    clause: Token, tok: Token, kind: str, names: Sequence[Name], at: int, located: bool
) -> tuple[Span, ...] | None:
    """ "The committee honoured Ethiopia's prime minister, citing *his* push …": a
    possessive "his"/"her" no subject above it stands for (a body, a country) stands for
    the person the sentence's main verb acts on before it, when that object names one."""
    if kind != "person" or tok.tag_ != "PRP$":
        return None
    for c in clause.children:
        if c.dep_ == "dobj" and c.i < tok.i:
            found = _subject_names(c, "person", names, at, located, True)
            if found:
                return found
    return None


#: Edges of a personal pronoun that is an object of its clause's verb ("met *him*").
_OBJECT_EDGES = frozenset({"dobj", "dative", "pobj"})


def _subject_spans(
    tok: Token, names: Sequence[Name], at: int, resolved: dict[int, tuple[Span, ...]]
) -> tuple[Span, ...]:
    """The names the subject of ``tok``'s own clause is or stands for."""
    own = _clause(tok)
    # "meets Putin and tells him": the shared subject
    subject = _subject_of(_sharing(own)) if own is not None else None
    if subject is None or subject.i >= tok.i:
        return ()
    if subject.i in resolved:
        return resolved[subject.i]
    return tuple(
        n.span for t in subject.subtree if (n := _name_of(t, names, at)) is not None and n.person
    )


def _not_the_subject(
    tok: Token, names: Sequence[Name], at: int, resolved: dict[int, tuple[Span, ...]]
) -> tuple[Span, ...] | None:
    """For "him" or "her" the object of a clause whose subject is a person ("Asked about
    Kishida, Biden said he met *him*"): a non-reflexive object is never its own clause's
    subject ("he met himself" says that), so it stands for the one other person named
    before it in the sentence; ``()`` when there is none or more than one (the sentence
    before may say); None when the rule does not apply."""
    if tok.tag_ != "PRP" or tok.dep_ not in _OBJECT_EDGES or tok.lower_ not in ("him", "her"):
        return None
    taken = _subject_spans(tok, names, at, resolved)
    if not taken:
        return None
    subject = _own_subject(tok)
    inside = {at + t.idx for t in subject.subtree} if subject is not None else set()
    others = [
        n
        for n in names
        if n.person
        and n.span[1] <= at + tok.idx
        and n.span not in taken
        and n.span[0] not in inside
        and not any(n.country == m.country for m in names if m.span in taken)
    ]
    if len({n.country for n in others}) != 1:
        return ()
    return (others[-1].span,)


def _previous_person(
    tok: Token,
    subject: Token | None,
    there: Sequence[Name],
    there_at: int,
    resolved: dict[int, tuple[Span, ...]],
    here: Sequence[Name],
    at: int,
) -> tuple[Span, ...]:
    """The person the sentence before (its names ``there``, at ``there_at``) has for its
    subject ("Kishida is in Washington. Biden met *him*."), when that is not whom the
    object's own clause's subject stands for."""
    mine = _own_subject(tok)
    if subject is None or any(
        t.dep_ in _SUBJECTS
        and t.pos_ in ("NOUN", "PROPN")
        and t.i < tok.i
        and (mine is None or t.i != mine.i)
        for t in tok.sent
    ):
        # "After the archbishop flew on, Biden welcomed *him*": someone of its own sentence
        return ()
    found = _subject_names(subject, "person", there, there_at)
    taken = _subject_spans(tok, here, at, resolved)
    return found if found and not set(found) & set(taken) else ()


#: Nouns of people a "he" may stand for, as a clause's subject ("the minister said he …").
_PERSON_NOUNS = frozenset(
    {"minister", "president", "leader", "official", "spokesman", "spokeswoman", "aide"}
    | {"man", "woman", "chief", "envoy", "ambassador", "secretary", "premier", "king"}
    | {"general", "officer", "diplomat", "adviser", "advisor", "lawmaker", "senator"}
    | {"governor", "mayor", "candidate", "father", "mother", "son", "daughter", "wife"}
    | {"husband", "reporter", "analyst", "expert", "source", "spokesperson", "prince"}
    | {"chancellor", "commander", "head", "director", "ruler", "dictator", "boss"}
)


def _no_one(subject: Token, names: Sequence[Name], at: int) -> bool:
    """Whether a subject is no person, which no "he" stands for: a country or a body by
    name, or a thing ("Japan would act", "democracy prevailed"); not a pronoun, a
    person's name or a noun of people ("the minister")."""
    name = _name_of(subject, names, at)
    if name is not None:
        return not name.person
    if subject.pos_ == "PRON" or subject.ent_type_ == "PERSON":
        return False
    return subject.lemma_.lower() not in _PERSON_NOUNS


def _named_before(tok: Token, kind: str, names: Sequence[Name], at: int) -> bool:
    """Whether a name the reference could stand for comes before it in its sentence: then
    the sentence before is too far to look.

    The object of a preposition on the subject of an "it" object's own clause
    does not count ("But wariness of China is pushing *it* closer to
    Washington"): a name that only completes that subject is no topic; the
    sentence before says who "it" is, or no one does. The subject's owner
    still counts ("Russia's slump has forced *it* to seek loans": Russia,
    likely; and "Moscow's embrace of China makes *it* wary" stays unresolved).
    """
    lo = at + tok.sent[0].idx
    inside: set[int] = set()
    subject = _own_subject(tok)
    if kind == "it" and tok.tag_ == "PRP" and subject is not None and subject.tag_ != "PRP":
        words = range(subject.left_edge.i, subject.right_edge.i + 1)
        if tok.i not in words and _name_of(subject, names, at) is None:
            # only the objects of its prepositions: an owner of the subject often is "it"
            # ("Russia's slump has forced it to seek loans")
            inside = {
                at + tok.doc[i].idx
                for i in words
                if tok.doc[i].dep_ == "pobj" and tok.doc[i].head.head.i == subject.i
            }
    return any(
        lo <= n.span[0] < at + tok.idx
        and n.person == (kind == "person")
        and n.span[0] not in inside
        for n in names
    )


def _clause(tok: Token) -> Token | None:
    """The verb of the clause a token is in (itself when it is one)."""
    cur = tok
    while True:
        if cur.pos_ in _VERBAL and cur.dep_ != "aux" and cur.dep_ != "auxpass":
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head


def _subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in _SUBJECTS), None)


def _reported_subject(root: Token) -> Token | None:
    """The subject of a sentence as a reference after it sees it: the subject of what is
    reported when the sentence ends with who reports it ("Haddad died when his plane
    crashed, officials said. *He* had been in Ankara": Haddad, not the officials), else
    the root's own."""
    subject = _subject_of(root)
    told = next((c for c in root.children if c.dep_ == "ccomp" and c.i < root.i), None)
    if told is not None and (subject is None or subject.i > told.i):
        return _subject_of(_sharing(told)) or subject
    return subject


def _own_subject(tok: Token) -> Token | None:
    """The subject of the clause a token is in, if that clause has one of its own."""
    own = _clause(tok)
    return _subject_of(own) if own is not None else None


def _sharing(verb: Token) -> Token:
    """The verb whose subject a verb shares: itself, or the first of the conjoined verbs
    above it that has one ("… and will foster ties", "meets Putin and tells him")."""
    while verb.dep_ == "conj" and _subject_of(verb) is None and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _subject_names(
    subject: Token | None,
    kind: str,
    names: Sequence[Name],
    at: int,
    country: bool = False,
    owner: bool = False,
) -> tuple[Span, ...] | None:
    """The names a subject stands for, if the reference ``kind`` agrees with them.

    With ``owner`` (a possessive "his"/"her"), a person's thing as the subject stands
    for its owner ("Kishida's motorcade arrived … for *his* meeting"). A ``country``
    noun ("the country", "the nation") also stands for the place a
    subject is in ("the Supreme Court *in the Philippines* ruled the country's deal
    illegal", "officials in Japan said the nation …"); "it" stays the court's."""
    if subject is None:
        return None
    members = [subject]
    while True:
        nxt = next((c for c in members[-1].children if c.dep_ == "conj"), None)
        if nxt is None:
            break
        members.append(nxt)
    named = [n for m in members if (n := _name_of(m, names, at)) is not None]
    if kind in ("they", "two", "two people"):
        if len(named) >= 2 and len(named) == len(members):
            return tuple(n.span for n in named)
        if len(members) == 1 and subject.tag_ == "NNS":
            held = _owner(subject, names, at)
            if held is None and subject.lemma_.lower() in _PERSON_NOUNS:
                return _people_of(subject, names, at)  # "the leaders of A, B and C … they"
            return (held.span,) if held is not None and not held.person else None
        return None
    if len(members) != 1:
        return None
    name = named[0] if named else None
    if name is None and subject.tag_ == "NNS":
        name = _owner(subject, names, at)  # "India's ties … it": not the ties, India
    if (
        name is None
        and subject.tag_ == "NN"
        and kind == "it"
        and subject.lemma_.lower() not in _ANOTHER
    ):
        # "Japan's weather agency warned of gusts on its southern islands", "the Chinese
        # carmaker … it says": the thing's owner, when one name alone owns or modifies it
        # ("the Riyadh-Tehran deal" is no one's)
        owners = {
            n.span
            for c in subject.children
            if c.dep_ in ("poss", "compound", "amod") and c.i < subject.i
            for t in c.subtree
            if (n := _name_of(t, names, at)) is not None
        }
        if len(owners) == 1:
            name = _owner(subject, names, at)
    if name is None and owner and subject.lemma_.lower() not in _PERSON_NOUNS:
        # "Kishida's motorcade arrived for his meeting": a person's thing is no "he", its
        # owner is (not "Biden's spokesman said he …", who is a person of his own)
        name = _owner(subject, names, at)
    if name is None and country:
        name = _located(subject, names, at)
    if name is None:
        return None
    if name.person != (kind == "person"):
        return None
    return (name.span,)


#: Nouns a name owns that are another party of its own ("Russia's *neighbour* … its"):
#: not the owner.
_ANOTHER = frozenset(
    {"neighbor", "neighbour", "ally", "partner", "rival", "enemy", "foe", "adversary"}
    | {"friend", "counterpart", "client", "proxy", "creditor", "debtor", "supplier"}
)


def _people_of(noun: Token, names: Sequence[Name], at: int) -> tuple[Span, ...] | None:
    """The names a plural noun of people is of, when it is of a list of them and of
    nothing else ("the leaders *of the US, Australia and the UK* … as *they* deepen the
    partnership": the three, or the leaders the gazetteer read in them)."""
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "from"):
            continue
        first = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if first is None:
            return None
        members = [first, *(t for t in first.subtree if t.dep_ == "conj" and t.pos_ == "PROPN")]
        named = [n for m in members if (n := _name_of(m, names, at)) is not None]
        if len(members) >= 2 and len(named) == len(members):
            return tuple(n.span for n in named)
        return None
    return None


_THE_NOUN = re.compile(r"\s*The (?P<noun>[a-z]{3,})\b")


def repeats_a_noun(sentence: str, previous: str | None) -> bool:
    """Whether a sentence opens with "The" and a noun the sentence before has ("Abuja's
    new airport terminal opens. *The terminal* was …"): a reference worth parsing for."""
    m = _THE_NOUN.match(sentence)
    return (
        m is not None
        and previous is not None
        and re.search(rf"\b{m['noun']}\b", previous, re.IGNORECASE) is not None
    )


def _deed(tok: Token, cues: CueBook) -> bool:
    """ "The move", "this decision" (the cue book's ``deeds``), a subject or an object with
    no owner, no name and no "of" or "by" of its own: an act the sentence before told, its
    subject's ("Turkey ratified the accession. Russia criticised *the move*")."""
    return (
        tok.pos_ == "NOUN"
        and tok.dep_ in ("nsubj", "nsubjpass", "dobj")
        and bool(cues.match("deeds", [tok.lower_], 0))
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
        and not any(
            c.dep_ in ("poss", "compound", "nmod", "prep", "relcl", "acl") for c in tok.children
        )
    )


def _bare_definite(tok: Token) -> bool:
    """A subject that is "the" and a common noun alone ("*The terminal* was financed by
    …"): a noun the sentence before may have named with its owner."""
    return (
        tok.pos_ == "NOUN"
        and tok.dep_ in ("nsubj", "nsubjpass")
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        and not any(c.dep_ in ("poss", "compound", "amod", "nmod", "prep") for c in tok.children)
    )


def _repeated_owner(tok: Token, before: SpacyDoc, names: Sequence[Name], at: int) -> Name | None:
    """The one name that owns or modifies the same noun in the sentence before ("Abuja's
    new airport terminal opens. *The terminal* was financed by a loan from China's
    Export-Import Bank": Abuja's), if exactly one such noun has exactly one."""
    owners = [
        name
        for t in before
        if t.pos_ == "NOUN" and t.lemma_.lower() == tok.lemma_.lower()
        for c in t.children
        if c.dep_ in ("poss", "compound") and c.i < t.i
        if (name := _name_of(c, names, at)) is not None
    ]
    return owners[0] if len(owners) == 1 else None


def _name_of(tok: Token, names: Sequence[Name], at: int) -> Name | None:
    """The name a token belongs to, if any."""
    offset = at + tok.idx
    return next((n for n in names if n.span[0] <= offset < n.span[1]), None)


def _phrase_owner(tok: Token, names: Sequence[Name], at: int) -> Name | None:
    """The country that owns the noun phrase an "its" is inside: "the start of *Russia's*
    invasion of its neighbour", "*China's* claims over its waters" — the possessive of a
    noun whose "of" or other preposition holds the pronoun's noun, up the phrase only
    (not a clause's subject: that is :func:`_within`'s)."""
    node = tok.head
    while node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ == "NOUN":
        noun = node.head.head
        for c in noun.children:
            if c.dep_ == "poss" and c.i < noun.i:
                name = _name_of(c, names, at)
                if name is not None and not name.person:
                    return name
        node = noun
    return None


def _owner(noun: Token, names: Sequence[Name], at: int) -> Name | None:
    """The name that owns or modifies a noun ("India's ties", "Indian officials")."""
    for c in noun.children:
        if c.dep_ in ("poss", "compound", "amod") and c.i < noun.i:
            name = _name_of(c, names, at)
            if name is not None:
                return name
    return None


def _located(noun: Token, names: Sequence[Name], at: int) -> Name | None:
    """The name of the place a noun is in ("the Supreme Court in the Philippines")."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for c in prep.children:
                name = _name_of(c, names, at) if c.dep_ == "pobj" else None
                if name is not None and not name.person:
                    return name
    return None


def _unknown(doc: SpacyDoc, at: int, names: Sequence[Name]) -> list[Name]:
    """Countries the parser's entity recogniser finds in the reference's own sentence that
    the gazetteer does not know ("Ruritania and Mongolia … the two nations"): they count
    among the last two named, so that the two are never taken from further back."""
    out: list[Name] = []
    for ent in doc.ents:
        span = (at + ent.start_char, at + ent.end_char)
        if ent.label_ == "GPE" and not any(
            n.span[0] < span[1] and span[0] < n.span[1] for n in names
        ):
            out.append(Name(span, ent.text, False))
    return out


def _last_two(
    tok: Token, here: Sequence[Name], before: Sequence[Name], at: int, people: bool = False
) -> tuple[Span, ...] | None:
    """The last two different countries named before "both countries", "the two sides".

    For ``people`` ("the two leaders") the two countries are the last two that
    a person was named for, so "Biden hosted Modi in Tokyo. The two leaders …"
    means Biden and Modi, not Tokyo; without two such countries, the last two
    named at all. Each country stands as its last name of the kind the
    reference is: a person for ``people`` (Modi rather than New Delhi), a
    country or a city otherwise, else whatever names it. A name above the
    reference in its own clause is not one of the two: the subject of the
    clause it is an object in, or an owner or modifier of a noun it
    completes ("China brokered a deal to restore ties between *the two
    regional powers*", "a China-brokered deal between *the two Gulf
    states*": the two named before China).
    """
    taken = {at + t.idx for t in _above(tok)}  # "China brokered a deal between the two"
    earlier = sorted(
        (n for n in [*before, *here] if n.span[1] <= at + tok.idx and n.span[0] not in taken),
        key=lambda n: n.span,
    )
    countries = _two_countries([n for n in earlier if n.person] if people else [])
    countries = countries or _two_countries(earlier)
    if countries is None:
        return None
    out: list[Span] = []
    for country in countries:
        theirs = [n for n in earlier if n.country == country]
        liked = [n for n in theirs if n.person == people] or theirs
        out.append(liked[-1].span)
    return tuple(out)


#: Edges by which a phrase stays within the clause above it (an object, a preposition, a
#: noun's modifier, an infinitive without a subject of its own: "a deal *to restore* ties").
_WITHIN_CLAUSE = frozenset(
    {"pobj", "prep", "dobj", "obj", "compound", "amod", "conj", "cc", "appos", "acl", "xcomp"}
)


#: Edges of a noun's owner or modifier ("*China's* deal", "a *China*-brokered deal").
_MODIFIERS = frozenset({"poss", "compound", "amod", "npadvmod", "nmod"})


def _above(tok: Token) -> list[Token]:
    """The words above ``tok`` in its own clause that it cannot stand for: climbing
    through prepositions, objects, nouns and infinitives without a subject of their own,
    the owners and modifiers of each noun passed and the subject of the clause reached
    (none when ``tok`` is a subject itself or a clause of its own comes first)."""
    out: list[Token] = []
    word = tok
    while word.head.i != word.i and (
        word.dep_ in _WITHIN_CLAUSE
        # "brokered a deal *to restore* ties": a purpose infinitive shares the subject
        or (word.dep_ == "advcl" and subjectless_infinitive(word))
    ):
        below, word = word, word.head
        if word.pos_ in _VERBAL:
            subject = _subject_of(word)
            if subject is not None:
                return [*out, *subject.subtree]
        elif word.pos_ in ("NOUN", "PROPN"):
            out.extend(
                t
                for c in word.children
                if c.dep_ in _MODIFIERS and c.i != below.i
                for t in c.subtree
            )
    return out


def _two_countries(names: Sequence[Name]) -> list[str] | None:
    """The last two different countries among ``names`` (in text order), latest first."""
    countries: list[str] = []
    for name in reversed(names):
        if name.country not in countries:
            countries.append(name.country)
        if len(countries) == 2:
            return countries
    return None
