"""One-pass matching of every rule against an article.

Every word, phrase and entity alias of every rule goes into ONE Aho-Corasick
automaton, so an article is scanned once however many rules there are. The
scan yields, per term and per entity, the character spans where it occurs;
each rule's query is compiled to a small closure tree that combines those
span lists (AND / OR / NOT / NEAR / field scopes) and returns the spans that
satisfied it, which become the alert's evidence.

Only rules that *can* match are evaluated: each rule has a trigger set (terms
or entities one of which must occur for the rule to hold); an article wakes up
only the rules whose triggers it contains. Rules that hold on absence alone
(``NOT x``) are always evaluated.

Text model: the article's title, then each body paragraph, joined by ``\\n``;
the match text is that string lower-cased with hyphens, dashes, brackets,
double quotes, slashes and line breaks turned into spaces (one character for
one, so offsets are shared with the original). Every key starts with a space,
so a match always starts at a word; it must also end at one, except a
``prefix*`` term, which may run on to the end of the word. Words are what
whitespace separates in the original text; that is what ``NEAR/n`` counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TypeAlias

import ahocorasick

from monitor.analysis import (
    ANY_PRONOUN,
    Name,
    Reference,
    dates_the_act,
    described_subject,
    link_materiel,
    link_roles,
    named_subject,
    of_the_dead,
    relation_with,
    repeats_a_noun,
    resolve_references,
    titled_in,
    unnamed_mediation,
    year_dates_the_act,
)
from monitor.article import Article, Span
from monitor.normalize.furniture import BULLET
from monitor.normalize.text import DASHES, fold_term, split_sentences
from monitor.rules.ast import And, EntityRef, Field, Link, Near, Node, Not, Or, Term
from monitor.rules.gazetteer import TITLE_WORDS, Gazetteer
from monitor.rules.linking import FoundLink, Lexicon, find_link, semicolon_items
from monitor.rules.offices import Offices, publication_day
from monitor.rules.timewords import CALENDAR_NAMES, find, resolve

Result: TypeAlias = list[Span] | None  # None: false; []: true without evidence (NOT)
Eval: TypeAlias = Callable[["Doc", int, int], Result]

#: What joins a combining form to the next name: "Sino-US", "Sino–US", "Sino‐US", "Sino‑US".
_HYPHENS = frozenset("-–‐‑")
_TERM, _ALIAS, _ROLE = 0, 1, 2  # _ROLE: a word for an office (monitor.rules.offices)
#: Characters that separate words as a space does; each becomes a space in the match text
#: (one for one, so offsets stay shared with the original): the line between paragraphs,
#: the hyphens and dashes a term's fold also turns into spaces, brackets, quotes, slashes.
_SEPARATORS = ("\n", *DASHES, "(", ")", "[", "]", '"', "/")


#: How many sentences on, in one paragraph, the other side's weapon or attack may be told.
MATERIEL_REACH = 2
#: How long ago an act must be to be history rather than a relation (the guide: "historical
#: background older than a few years with no present relation").
HISTORY = timedelta(days=2 * 365)


#: A country named by what its land is called now ("present-day Thailand", "in what is now
#: Cambodia"): the sentence tells of a time before it was that country.
_NOW_CALLED = re.compile(
    r"\b(?:present[- ]day|modern[- ]day|what is now|what are now)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A word of dying: only a sentence with one is parsed for an obituary's past.
_DEATH = re.compile(r"\b(?:die[sd]?|dying)\b", re.IGNORECASE)
#: A year written alone, as a noun's modifier ("the 1954 treaty"): not money, a share, a
#: range or a number with more digits.
_BARE_YEAR = re.compile(r"(?<![\d$£€,.-])(?:1[5-9]\d\d|20\d\d)(?![\d%,.]\d|[\d%]|[-–]\d)")

#: A title that is only a day of the past ("On this day, 1950", "June 25, 1950", "1950:"):
#: an anniversary column, whose text is all of that day.
_DATED_COLUMN = re.compile(
    r"(?:(?:on )?this (?:day|date|week)(?: in history)?[,:]?\s*(?:in )?)?"
    r"(?:[A-Z][a-z]+\.? \d{1,2},?\s*)?(?P<year>1[5-9]\d\d|20\d\d)[.:]?",
    re.IGNORECASE,
)
#: A headline that opens as such a column does, with its year and a colon, and goes on
#: with the entry ("On this day, 1968: Modibo Keita overthrown"), or that opens with a
#: month and its year ("July 1914: how Russia's mobilisation for Serbia led to war"): all
#: of it that year's.
_DATED_HEADLINE = re.compile(
    r"(?:(?:on )?this (?:day|date|week)(?: in history)?[,:]?\s*(?:in )?"
    r"(?:[A-Z][a-z]+\.? \d{1,2},?\s*)?"
    rf"|(?:{'|'.join(sorted(CALENDAR_NAMES, key=len, reverse=True))})\s+(?:\d{{1,2}},?\s+)?)"
    r"(?P<year>1[5-9]\d\d|20\d\d)\s*[:–—]\s",
    re.IGNORECASE,
)
#: A sentence that opens with a year and a colon or dash: an entry of a chronology ("On
#: this day, June 8 | … 1950: Burma establishes diplomatic relations with China").
_CHRONICLE_ENTRY = re.compile(r"\s*(?P<year>1[5-9]\d\d|20\d\d)\s*[:–—]\s")
#: What may follow a word in the match text (after separators became spaces).
_WORD_ENDS = tuple(" .,;:!?'…*|&%+=<>@#$^~`\\")


def match_text(text: str) -> str:
    """Lower-case ``text`` and turn separators into spaces, keeping every offset."""
    out = text.lower()
    if len(out) != len(text):  # a few characters lower-case to two
        out = "".join(c.lower()[0] for c in text)
    for sep in _SEPARATORS:
        if sep in out:
            out = out.replace(sep, " ")
    out = out.replace(" '", "  ")  # an opening quote, not an apostrophe
    return " " + out[1:] if out.startswith("'") else out  # a title that opens with a quote


def match_key(term: str) -> str:
    """The automaton key for a term or alias: folded like the text, led by one space.

    First the one term fold, :func:`~monitor.normalize.text.fold_term` (the
    query parser and the gazetteer have applied it already: a no-op for them),
    then :func:`match_text`'s separators as spaces. The leading space anchors
    every key at the start of a word, so the automaton does not report the
    thousands of hits inside other words ("lima" in "climate") that would
    otherwise be filtered one by one.
    """
    return " " + " ".join(match_text(fold_term(term)).split())


@dataclass(slots=True)
class Doc:
    """An article laid out for matching, with what the scan found in it."""

    article: Article
    text: str
    mtext: str
    title_end: int
    body_start: int
    lead_end: int
    para_starts: list[int]
    terms: dict[int, list[Span]] = field(default_factory=dict)
    mentions: dict[str, list[Span]] = field(default_factory=dict)
    #: links ``LINK`` found, by their cue span (the evidence of an alert looks them up)
    links: dict[Span, FoundLink] = field(default_factory=dict)
    _words: dict[int, int] = field(default_factory=dict)
    _para_sentences: dict[int, list[Span]] = field(default_factory=dict)
    #: :meth:`datelines`, found once the scan has found every name
    _datelines: list[Span] | None = None

    def field_range(self, name: str) -> Span:
        if name == "title":
            return (0, self.title_end)
        if name == "lead":
            return (self.body_start, self.lead_end)
        return (self.body_start, len(self.text))

    def field_of(self, offset: int) -> str:
        if offset < self.body_start:
            return "title"
        return "lead" if offset < self.lead_end else "body"

    def word_index(self, offset: int) -> int:
        """How many word separators come before ``offset`` (cached: NEAR asks often)."""
        w = self._words.get(offset)
        if w is None:
            w = self.text.count(" ", 0, offset) + self.text.count("\n", 0, offset)
            self._words[offset] = w
        return w

    def near_pairs(self, lspans: list[Span], rspans: list[Span], distance: int) -> list[Span]:
        """Spans of either list that have a partner in the other within ``distance`` words.

        Both lists are placed on the word axis once and walked in order, so
        the cost is about the number of spans, not their product.
        """
        body = self.body_start
        wi = self.word_index
        # (first word, last word, is body, span); title and body never pair
        left = sorted((wi(s[0]), wi(s[1]), s[0] >= body, s) for s in lspans)
        right = sorted((wi(s[0]), wi(s[1]), s[0] >= body, s) for s in rspans)
        found: set[Span] = set()
        lo = 0
        for a_first, a_last, a_body, a in left:
            while lo < len(right) and right[lo][0] < a_first - distance - 64:
                lo += 1  # cannot pair with this or any later left span (bounded span length)
            for b_first, b_last, b_body, b in right[lo:]:
                if b_first - a_last - 1 > distance:
                    break
                if a_body != b_body:
                    continue
                gap = b_first - a_last - 1 if b_first > a_last else a_first - b_last - 1
                if gap <= distance:
                    found.add(a)
                    found.add(b)
        return sorted(found)

    def lead(self) -> list[Span]:
        """The sentences of the first body paragraph when it tells the title's story: none
        when there is no body, or when it opens with a bullet point ("• Exclusive: …"), a
        list of other items under the title (the guide's separate items of a digest)."""
        if not self.para_starts:
            return []
        start = self.para_starts[0]
        if BULLET.match(self.text, start):
            return []
        return self.paragraph_sentences(0)

    def paragraph_sentences(self, index: int) -> list[Span]:
        """Sentence spans of one paragraph (``-1`` is the title), split on first use."""
        cached = self._para_sentences.get(index)
        if cached is not None:
            return cached
        if index < 0:
            spans = [(0, self.title_end)]
        else:
            art, start = self.article, self.para_starts[index]
            para = art.paragraphs[index]
            sents = split_sentences(para)
            spans, cursor = [], 0
            for sent in sents:
                at = para.find(sent, cursor)
                at = cursor if at < 0 else at
                spans.append((start + at, start + at + len(sent)))
                cursor = at + len(sent)
            if not spans:
                spans = [(start, start + len(para))]
        self._para_sentences[index] = spans
        return spans

    def sentences(self) -> list[Span]:
        """Every sentence span in document order (the title counts as one)."""
        out = self.paragraph_sentences(-1)[:]
        for i in range(len(self.para_starts)):
            out.extend(self.paragraph_sentences(i))
        return out

    def sentence_of(self, offset: int) -> Span:
        """The sentence holding ``offset``; only its paragraph is ever split."""
        index = bisect_right(self.para_starts, offset) - 1
        for span in self.paragraph_sentences(index):
            if offset < span[1] + 1:
                return span
        return (offset, offset)

    def same_sentence(self, lspans: list[Span], rspans: list[Span]) -> list[Span]:
        """Spans of either list that share a sentence with a span of the other."""
        left = {self.sentence_of(s[0]) for s in lspans}
        right = {self.sentence_of(s[0]) for s in rspans}
        both = left & right
        return sorted(s for s in [*lspans, *rspans] if self.sentence_of(s[0]) in both)

    def linked(
        self,
        lspans: list[Span],
        rspans: list[Span],
        lexicon: Lexicon,
        people: frozenset[str] = frozenset(),
        places: frozenset[Span] = frozenset(),
        countries: Mapping[str, str] | None = None,
        together: frozenset[str] | None = None,
        titles: Mapping[str, frozenset[str]] | None = None,
    ) -> list[Span]:
        """Actor and cue spans of every sentence where a left and a right actor are linked.

        Each sentence naming both sides is parsed (:mod:`monitor.analysis`);
        ``people`` are the entity ids that name persons (leaders, officials), whom
        "he" and "she" may stand for; ``together`` those of them whose joint acts are
        acts together (leaders: "Kim and Putin tour a site"; default ``people``) —
        two ministers named together are as often a list of a verb's objects or
        honourees ("A and B named among …"); ``places`` are spans that stand for a side only
        as its territory (they link as where the other goes or is). Where the
        parse cannot be read (a verbless fragment) the cue words of
        :mod:`monitor.rules.linking` decide, without the territories. When no
        sentence links the two, a sentence naming one may link it to a reference
        to the other ("… as it catches up with China"; ``countries`` maps an
        entity to its country, to tell names apart; ``titles`` a person to the words
        of their office, for "the prime minister said …": :meth:`_by_reference`).
        """
        joint = people if together is None else together
        persons = frozenset(s for e in joint & self.mentions.keys() for s in self.mentions[e])
        # where the report was filed is no actor of it ("WASHINGTON, March 17 (Reuters) - …",
        # "OSAKA, Japan — …": the place and its country)
        dated = self.datelines()
        lspans = [s for s in lspans if not any(lo <= s[0] < hi for lo, hi in dated)]
        rspans = [s for s in rspans if not any(lo <= s[0] < hi for lo, hi in dated)]
        by_sentence: dict[Span, tuple[list[Span], list[Span]]] = {}
        for side, spans in ((0, lspans), (1, rspans)):
            for s in spans:
                by_sentence.setdefault(self.sentence_of(s[0]), ([], []))[side].append(s)
        out: list[Span] = []
        parts = self._digest_items(by_sentence, lexicon)
        for sent, (ls, rs) in sorted(parts.items()):  # text order, whatever the set order
            if not ls or not rs:
                continue
            mine = set(ls) | set(rs)
            others = self._names_in(sent, mine)
            found, readable, not_actors = _role_link(
                self.text, sent, ls, rs, others, lexicon, persons, places, self.after_dateline(sent)
            )
            if found is not None and self.historical(found, [*ls, *rs, *others]):
                continue  # "… arrive in Boao, China, on April 10, 2018": background
            if found is None and not readable:  # the parse cannot be read: the cue words decide
                # nor the names the parse found to be none ("the South China Sea")
                named_l = [x for x in ls if x not in places and x not in not_actors]
                named_r = [x for x in rs if x not in places and x not in not_actors]
                if named_l and named_r:
                    found = find_link(self.text, sent, named_l, named_r, others, lexicon)
            if found is not None:
                if sent not in by_sentence:  # a digest's item is told with its whole sentence
                    found = replace(found, sentence=self.sentence_of(sent[0]))
                self.links[found.cue] = found
                out.extend((found.left, found.right, found.cue))
        if not out and countries is not None:
            found = self._by_reference(  # a digest's items, each alone
                parts, lspans, rspans, lexicon, people, places, countries, titles or {}
            )
            if found is not None:
                assert found.referent is not None
                self.links[found.cue] = found
                out.extend((found.left, found.right, found.cue, found.referent[1]))
        if not out:
            found = self._materiel_across(by_sentence, places, lexicon)
            if found is None:
                found = self._mediated_across(by_sentence, lspans, rspans, places, lexicon)
            if found is not None:
                self.links[found.cue] = found
                out.extend((found.left, found.right, found.cue))
        if not out:
            found = self._described_across(by_sentence, lspans, rspans, places, lexicon, persons)
            if found is not None:
                assert found.referent is not None
                self.links[found.cue] = found
                out.extend((found.left, found.right, found.cue, found.referent[1]))
        return sorted(set(out))

    def _digest_items(
        self, by_sentence: dict[Span, tuple[list[Span], list[Span]]], lexicon: Lexicon
    ) -> dict[Span, tuple[list[Span], list[Span]]]:
        """``by_sentence`` with a digest's list ("Also in this edition: …") or a list told
        with semicolons cut into its items, each read alone (:meth:`Lexicon.digest_items`,
        :func:`semicolon_items`)."""
        out: dict[Span, tuple[list[Span], list[Span]]] = {}
        for sent, (ls, rs) in by_sentence.items():
            items = lexicon.digest_items(self.text, *sent) if ls and rs else None
            if items is None and ls and rs:
                items = semicolon_items(self.text, *sent, headline=sent[0] < self.title_end)
            if items is None:
                out[sent] = (ls, rs)
                continue
            for lo, hi in items:
                out[(lo, hi)] = (
                    [s for s in ls if lo <= s[0] < hi],
                    [s for s in rs if lo <= s[0] < hi],
                )
        return out

    def historical(self, link: FoundLink, names: list[Span]) -> bool:
        """Whether the act that links the two is dated more than :data:`HISTORY` before the
        publication ("signed in 2019", a file photo's "arrive … on April 10, 2018"): the
        guide's historical background, no present relation. The date must hang from the
        act itself ("tense since clashes in 2020" is not the tension's date); only a year
        written out or a count back ("five years ago") dates so far; an undated item has
        nothing to measure against. A side named by what its land is called now ("in
        what is now Cambodia") is history at any date."""
        lo, hi = link.sentence
        text = self.text[lo:hi]
        act = (link.cue[0] - lo, link.cue[1] - lo)
        local = [(s - lo, e - lo) for s, e in names]
        if any(_NOW_CALLED.search(self.text, lo, at[0]) for at in (link.left, link.right)):
            return True  # "armies from Siam, present-day Thailand, sacked …": before X was X
        if _DEATH.search(text) and of_the_dead(text, act, local):
            return True  # "…, who carried messages under the noses of German troops, has died"
        day = publication_day(self)
        if day is None:
            return False
        title = self.text[: self.title_end].strip()
        column = _DATED_COLUMN.fullmatch(title) or _DATED_HEADLINE.match(title)
        if column and date(int(column["year"]), 12, 31) < day - HISTORY:
            return True  # "On this day, 1950 | North Korean troops crossed …": all of it
        entry = _CHRONICLE_ENTRY.match(text)
        if entry and date(int(entry["year"]), 12, 31) < day - HISTORY:
            return True  # "1987: India and Sri Lanka sign an accord": a chronology's entry
        for words in find(self.text, lo, hi):
            when = resolve(words, day, "past")
            if when is None or when[1] >= day - HISTORY:
                continue
            if dates_the_act(text, act, (words.span[0] - lo, words.span[1] - lo), local):
                return True
        for m in _BARE_YEAR.finditer(text):
            if date(int(m.group()), 12, 31) < day - HISTORY and year_dates_the_act(
                text, act, m.span(), local
            ):
                return True  # "the 1954 US-Taiwan treaty", "the 1914 episode, in which …"
        return False

    def previous_sentence(self, sent: Span) -> Span | None:
        """The sentence before ``sent``: in its paragraph, else the last of the paragraph
        before (the title before the first)."""
        index = bisect_right(self.para_starts, sent[0]) - 1
        sents = self.paragraph_sentences(index)
        at = sents.index(sent) if sent in sents else -1
        if at > 0:
            return sents[at - 1]
        if at < 0 or index < 0:
            return None
        return self.paragraph_sentences(index - 1)[-1]

    def references(
        self,
        sent: Span,
        names: Mapping[Span, tuple[str, bool]],
        cues: Lexicon | None,
        titles: Mapping[Span, frozenset[str]] | None = None,
    ) -> list[Reference]:
        """The references in a sentence to names of it or of the sentence before
        (:func:`monitor.analysis.resolve_references`); ``names`` maps each name's span to its
        country (a city and its country are one) and whether it is a person, ``titles``
        a person's span to the words of their office; without ``cues`` only pronouns
        are read."""
        prev = self.previous_sentence(sent)
        lo = prev[0] if prev is not None else sent[0]
        near = [
            Name(s, key, person, (titles or {}).get(s, frozenset()))
            for s, (key, person) in sorted(names.items())
            if lo <= s[0] < sent[1]
        ]
        previous = self.text[prev[0] : prev[1]] if prev is not None else None
        return resolve_references(self.text[sent[0] : sent[1]], sent[0], previous, lo, near, cues)

    def _by_reference(
        self,
        by_sentence: dict[Span, tuple[list[Span], list[Span]]],
        lspans: list[Span],
        rspans: list[Span],
        lexicon: Lexicon,
        people: frozenset[str],
        places: frozenset[Span],
        countries: Mapping[str, str],
        titles: Mapping[str, frozenset[str]],
    ) -> FoundLink | None:
        """An actor of one side linked to a reference to the other side in its sentence.

        "India has opened an expressway as it tries to catch up with its rival
        China": "it" stands for India (:mod:`monitor.analysis.reference`), and
        the parse reads the link between "it" and China as between two names.
        A reference that stands for neither side links nothing; one that stands for
        both is read as the pair itself (:meth:`_as_the_pair`).
        """
        lset, rset = set(lspans), set(rspans)
        owner = {s: ent for ent, spans in self.mentions.items() for s in spans}
        for sent, (ls, rs) in sorted(by_sentence.items()):
            prev = self.previous_sentence(sent)
            lo = prev[0] if prev is not None else sent[0]
            nearby = [s for s in (*lspans, *rspans) if lo <= s[0] < sent[1]]
            if not (any(s in lset for s in nearby) and any(s in rset for s in nearby)):
                continue  # the other side is named neither here nor just before
            text = self.text[sent[0] : sent[1]]
            titled = {s: titles.get(ent, frozenset()) for s, ent in owner.items()}
            before = self.text[prev[0] : prev[1]] if prev is not None else None
            if not (
                ANY_PRONOUN.search(text)
                or repeats_a_noun(text, before)
                or lexicon.mentions("references", text)
                or lexicon.mentions("people", text)
                or lexicon.mentions("deeds", text)
                or any(titled_in(words, text) for s, words in titled.items() if s in nearby)
            ):
                continue
            names = {s: (countries.get(ent, ent), ent in people) for s, ent in owner.items()}
            refs = self.references(sent, names, lexicon, titled)
            for ref in refs:
                left = any(s in lset for s in ref.names)
                right = any(s in rset for s in ref.names)
                if left and right:
                    # only two countries named up to it: no doubt which two it is
                    named = {names[s][0] for s in names if lo <= s[0] < ref.span[0]}
                    pair = (
                        self._as_the_pair(sent, ref, lset, rset, lexicon)
                        if len(named) == 2
                        else None
                    )
                    if pair is not None:
                        return pair
                    continue
                if left == right:
                    continue  # neither side
                name = next(s for s in ref.names if s in (lset if left else rset))
                them = [s for s in (rs if left else ls) if s != ref.span]
                if not them:
                    continue
                mine = set(them)
                others = self._names_in(sent, mine)
                sides = ([ref.span], them) if left else (them, [ref.span])
                who = frozenset(
                    s for s, ent in owner.items() if ent in people and sent[0] <= s[0] < sent[1]
                ) | ({ref.span} if owner.get(name) in people else set())
                where = places | ({ref.span} if name in places else set())
                found, _, _ = _role_link(
                    self.text, sent, *sides, others, lexicon, who, where, self.after_dateline(sent)
                )
                if found is not None and not self.historical(found, [*them, *others]):
                    return replace(found, referent=(ref.span, name))
        return None

    def _as_the_pair(
        self, sent: Span, ref: Reference, lset: set[Span], rset: set[Span], lexicon: Lexicon
    ) -> FoundLink | None:
        """ "… while relations between *the two countries* remain strained": a reference
        that stands for both sides is read as the pair itself. The two names it stands
        for are put in its place ("relations between Tokyo and Beijing") and the parse
        decides, as for names: a relation or a mutual act of the pair links them; a
        predicate they only share ("both countries face inflation") or a third party's
        act on both ("the US criticised both countries") does not. The evidence shows
        the reference with the first name it stands for and the second name."""
        first = next(s for s in ref.names if s in lset)
        second = next(s for s in ref.names if s in rset)
        lo, hi = sent
        a, b = ref.span
        put = f"{self.text[first[0] : first[1]]} and {self.text[second[0] : second[1]]}"
        text = self.text[lo:a] + put + self.text[b:hi]
        shift = len(put) - (b - a)
        ls = (a - lo, a - lo + first[1] - first[0])
        rs = (len(put) - (second[1] - second[0]) + a - lo, a - lo + len(put))

        def local(span: Span) -> Span:
            move = 0 if span[0] < a else shift
            return span[0] - lo + move, span[1] - lo + move

        others = [local(s) for s in self._names_in(sent, set()) if not a <= s[0] < b]
        reading = link_roles(text, [ls], [rs], others, lexicon)
        found = reading.link
        if found is None or (found.left, found.right) != (ls, rs):
            return None
        p = found.predicate
        if a - lo <= p[0] < a - lo + len(put):
            cue = ref.span  # the reference itself ("the two countries' ties")
        else:
            move = 0 if p[0] < a - lo else shift
            cue = (p[0] + lo - move, p[1] + lo - move)
        link = FoundLink(
            sent, cue, found.how, ref.span, second, (found.left_role, found.right_role)
        )
        if self.historical(link, [ref.span, *self._names_in(sent, set())]):
            return None
        return replace(link, referent=(ref.span, first))

    def _materiel_across(
        self,
        by_sentence: dict[Span, tuple[list[Span], list[Span]]],
        places: frozenset[Span],
        lexicon: Lexicon,
    ) -> FoundLink | None:
        """One side's weapons in the other's attack or hands, told in two sentences of one
        paragraph, the second right after the first or one sentence further on ("Russia
        launched a series of attacks. Seven homes were destroyed, it said. The update also
        said ten Iranian-made drones had been shot down"), or in the title and the lead
        (one story by construction). Not across a paragraph break of the body, which may
        start another matter ("Russia launched strikes." / "North Korean missiles were
        shown at a parade."). Only when no sentence links the two by itself."""
        for sent, (ls, rs) in sorted(by_sentence.items()):
            if sent[0] < self.title_end:
                lead = self.lead()
                if not lead:
                    continue
                later = lead[:1]
            else:
                index = bisect_right(self.para_starts, sent[0]) - 1
                sents = self.paragraph_sentences(index)
                at = sents.index(sent) if sent in sents else -1
                if at < 0:
                    continue
                later = sents[at + 1 : at + 1 + MATERIEL_REACH]
            # the nearest later sentence that names the other side
            nxt = next(
                (
                    n
                    for n in later
                    if (ls and by_sentence.get(n, ([], []))[1])
                    or (rs and by_sentence.get(n, ([], []))[0])
                ),
                None,
            )
            if nxt is None or not self._quiet_between(sent, nxt, lexicon):
                continue
            nls, nrs = by_sentence[nxt]
            both = (sent[0], nxt[1])
            if not lexicon.mentions("materiel", self.text[both[0] : both[1]]):
                continue
            mine = [x for x in (*ls, *rs, *nls, *nrs) if x not in places]
            lefts = [x for x in (*ls, *nls) if x in mine]
            rights = [x for x in (*rs, *nrs) if x in mine]
            lo = both[0]
            link = link_materiel(
                self.text[both[0] : both[1]],
                [(a - lo, b - lo) for a, b in lefts],
                [(a - lo, b - lo) for a, b in rights],
                [],
                lexicon,
                headline=self.title_end if sent[0] < self.title_end else 0,
            )
            if link is not None:
                return FoundLink(
                    both,
                    (link.predicate[0] + lo, link.predicate[1] + lo),
                    link.how,
                    (link.left[0] + lo, link.left[1] + lo),
                    (link.right[0] + lo, link.right[1] + lo),
                    (link.left_role, link.right_role),
                )
        return None

    def _mediated_across(
        self,
        by_sentence: dict[Span, tuple[list[Span], list[Span]]],
        lspans: list[Span],
        rspans: list[Span],
        places: frozenset[Span],
        lexicon: Lexicon,
    ) -> FoundLink | None:
        """A mediator in one sentence, the parties of what it brokered in the sentence before
        it in its paragraph, in the title when it opens the lead (or the lead when it is in
        the title), or in its own sentence: "Saudi Arabia and Iran to restore diplomatic
        ties" / "Agreement mediated by China seeks to reduce tensions". The mediation names
        no party of its own (:func:`~monitor.analysis.unnamed_mediation`); the
        other sentence relates a side to a third name by a relation or a mutual act
        (:func:`~monitor.analysis.relation_with`). The mediator is linked to that side, as
        when one sentence tells both (the guide's "acts toward, with or for"). Not in a
        digest's list, and only when no sentence links the two by itself."""
        sides = (frozenset(lspans), frozenset(rspans))
        lead = self.lead()
        title = self.title_sentences()
        for sent, (ls, rs) in sorted(by_sentence.items()):
            text = self.text[sent[0] : sent[1]]
            if not lexicon.mentions("mediation", text) or self._digest(sent, lexicon):
                continue
            beside = [sent]
            if sent[0] < self.title_end:
                beside += lead[:1]
            elif lead and sent == lead[0]:
                beside += title
            else:
                index = bisect_right(self.para_starts, sent[0]) - 1
                mine_para = self.paragraph_sentences(index)
                at = mine_para.index(sent) if sent in mine_para else 0
                beside += mine_para[at - 1 : at] if at > 0 else []
            for side, mine in ((0, ls), (1, rs)):
                mediators = [s for s in mine if s not in places]
                if not mediators:
                    continue
                others = _local(sent, self._names_in(sent, set(mediators)))
                found = unnamed_mediation(text, _local(sent, mediators), others, lexicon)
                if found is None:
                    continue
                for other in dict.fromkeys(beside):
                    if other != sent and self._digest(other, lexicon):
                        continue
                    party = [
                        s for s in by_sentence.get(other, ([], []))[1 - side] if s not in places
                    ]
                    there = self._names_in(other, set())
                    thirds = [s for s in there if s not in sides[0] and s not in sides[1]]
                    if not party or not thirds:
                        continue
                    mine_there = [s for s in there if s in sides[side]]
                    related = relation_with(
                        self.text[other[0] : other[1]],
                        _local(other, party),
                        _local(other, thirds),
                        _local(other, mine_there),
                        lexicon,
                    )
                    if related is None:
                        continue
                    word, mediator = _shift(sent, found[0]), _shift(sent, found[1])
                    them = _shift(other, related[1])
                    both = (min(sent[0], other[0]), max(sent[1], other[1]))
                    left, right = (mediator, them) if side == 0 else (them, mediator)
                    roles = ("mediator", "party") if side == 0 else ("party", "mediator")
                    return FoundLink(both, word, "mediation", left, right, roles)
        return None

    def _digest(self, sent: Span, lexicon: Lexicon) -> bool:
        """Whether a sentence is a digest's list (:meth:`Lexicon.digest_items`)."""
        return lexicon.digest_items(self.text, *sent) is not None

    def _described_across(
        self,
        by_sentence: dict[Span, tuple[list[Span], list[Span]]],
        lspans: list[Span],
        rspans: list[Span],
        places: frozenset[Span],
        lexicon: Lexicon,
        persons: frozenset[Span],
    ) -> FoundLink | None:
        """The title's subject described by a side in the lead: "Siemens unveils big
        investments in China factories" / "German conglomerate says it needs to
        diversify". A lead that opens with a side's adjective on an unnamed subject
        (:func:`~monitor.analysis.described_subject`) describes whom the title is about,
        when the gazetteer does not know that name
        (:func:`~monitor.analysis.named_subject`): the title's link between that name and
        the other side is read as the side's ("Siemens = German"). Only when no
        sentence links the two otherwise."""
        lead = self.lead()
        if not lead:
            return None
        first = lead[0]
        for side, mine in ((0, lspans), (1, rspans)):
            opening = [s for s in mine if first[0] <= s[0] < first[1] and s not in places]
            if not opening:
                continue
            name = opening[0]
            text = self.text[first[0] : first[1]]
            others = self._names_in(first, {name})
            if not described_subject(text, _local(first, [name])[0], _local(first, others)):
                continue
            for sent in self.title_sentences():
                theirs = [s for s in by_sentence.get(sent, ([], []))[1 - side]]
                if not theirs:
                    continue
                known = self._names_in(sent, set())
                subject = named_subject(self.text[sent[0] : sent[1]], _local(sent, known))
                if subject is None:
                    continue
                who = _shift(sent, subject)
                rest = [s for s in known if s not in theirs]
                sides = ([who], theirs) if side == 0 else (theirs, [who])
                found, _, _ = _role_link(self.text, sent, *sides, rest, lexicon, persons, places)
                if found is not None and not self.historical(found, [*theirs, *rest]):
                    return replace(found, referent=(who, name))
        return None

    def title_sentences(self) -> list[Span]:
        """The sentences of the title."""
        return [s for s in self.sentences() if s[0] < self.title_end]

    def _names_in(self, sent: Span, but: set[Span]) -> list[Span]:
        """Every name the gazetteer found in a sentence, but ``but``."""
        return sorted(
            s
            for spans in self.mentions.values()
            for s in spans
            if sent[0] <= s[0] < sent[1] and s not in but
        )

    def _quiet_between(self, sent: Span, nxt: Span, lexicon: Lexicon) -> bool:
        """Whether what stands between two sentences leaves them one story of weapons: no
        name of the gazetteer, no attack and no weapon of its own ("Russia launched
        attacks. *Ukraine struck back with drones.* North Korean missiles were shown …")."""
        between = (sent[1], nxt[0])
        if between[1] - between[0] < 2:
            return True
        if any(between[0] <= s[0] < between[1] for spans in self.mentions.values() for s in spans):
            return False
        text = self.text[between[0] : between[1]]
        return not (lexicon.mentions("attacks", text) or lexicon.mentions("materiel", text))

    def datelines(self) -> list[Span]:
        """The datelines opening the first body paragraphs, from their place to their dash
        ("OSAKA, Japan — …", "SEOUL, May 3 (Reuters) - …", "Lima (Jiji Press) — …"): where
        the report was filed, no actor of what it reports.

        The place is in capitals, or a date or an agency follows it: a name and a dash in
        ordinary case open an aside or a pair far more often ("Kim Jong Un — making his
        first trip abroad — crossed …", "Russia - North Korea military cooperation …").
        Found once (every sentence's reading and the story's venue ask), after the scan."""
        if self._datelines is not None:
            return self._datelines
        starts = set(self.para_starts[:DATELINE_PARAGRAPHS])
        out = []
        for spans in self.mentions.values():
            for place in spans:
                if place[0] not in starts:
                    continue
                tail = _DATELINE_TAIL.match(self.text, place[1])
                name = self.text[place[0] : place[1]]
                capitals = name.isupper() and sum(c.isalpha() for c in name) > 3  # not "US -"
                if tail and (capitals or tail["date"] or tail["agency"]):
                    out.append((place[0], tail.end()))
        self._datelines = out
        return out

    def after_dateline(self, sent: Span) -> int:
        """Where the reading of a sentence starts: after the dateline that opens it, if one
        does. The parser reads "RIYADH, March 10 (Reuters) - Saudi Arabia and Iran agreed
        …" with the city as the subject and the pair as something else."""
        return max((hi for lo, hi in self.datelines() if lo == sent[0]), default=sent[0])

    def sentence_read(self, offset: int) -> Span:
        """The sentence at ``offset`` as the readers of :mod:`monitor.analysis` take it:
        from after the dateline that opens it (:meth:`after_dateline`) to its end."""
        sent = self.sentence_of(offset)
        return self.after_dateline(sent), sent[1]

    def is_dateline(self, span: Span) -> bool:
        """Whether a name is the place of a dateline (:meth:`datelines`)."""
        return any(start == span[0] for start, _ in self.datelines())

    def is_possessive(self, span: Span) -> bool:
        """``Tokyo's partners``: a name used as an owner, not as a place."""
        return self.mtext.startswith("'", span[1])


#: How far down the body a dateline may open a paragraph (captions and bylines come first).
DATELINE_PARAGRAPHS = 3
#: What follows the place of a dateline: ", Japan", ", May 3", " (Reuters)", then a dash.
_DATELINE_TAIL = re.compile(
    r"(?:,\s*[A-Z][\w.'’ ]{1,30}?)?"  # a country or state
    r"(?P<date>,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?)?"  # a date
    r"\s*(?P<agency>\([^)\n]{1,40}\)\s*)?"  # an agency
    r"[-–—]\s"
)


#: Nouns only a state has, after its possessive: "Chad's president", "Jordan's army" (not
#: "capital" or "governor": Georgia the US state has those).
_STATE_NOUNS = frozenset(
    {"president", "prime", "foreign", "defence", "defense", "interior", "army", "military"}
    | {"troops", "forces", "junta", "parliament", "embassy", "ambassador", "king", "queen"}
    | {"transitional", "ruling", "border", "borders"}
)
#: What may stand between two names of one list of countries.
_LISTED = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+$")


def _a_state_here(
    text: str, start: int, end: int, ent: str, countries: Sequence[tuple[int, int, str, bool]]
) -> bool:
    """Whether an ambiguous country name ("Chad", "Jordan", "Georgia": also given names or
    a US state) is the state by its own words, where the text names it no other way: the
    owner of a noun only a state has ("Chad's president", "Jordan's army"), or one of a
    list with a country named for sure ("Sudan and Chad", "Niger, Chad and Mali")."""
    after = text[end : end + 24].lower()
    if after.startswith(("'s ", "’s ")) and after[3:].split(" ", 1)[0] in _STATE_NOUNS:
        return True
    for lo, hi, other, amb in countries:
        if amb or other == ent:
            continue
        if hi <= start and _LISTED.fullmatch(text[hi:start] + " "):
            return True
        if lo >= end and _LISTED.fullmatch(text[end:lo] + " "):
            return True
    return False


def _local(sent: Span, spans: Iterable[Span]) -> list[Span]:
    """Document spans as offsets into the sentence ``sent``."""
    return [(s - sent[0], e - sent[0]) for s, e in spans]


def _shift(sent: Span, span: Span) -> Span:
    """A span of the sentence ``sent`` as document offsets."""
    return (span[0] + sent[0], span[1] + sent[0])


def _role_link(
    text: str,
    sent: Span,
    ls: list[Span],
    rs: list[Span],
    others: list[Span],
    lexicon: Lexicon,
    persons: frozenset[Span],
    places: frozenset[Span] = frozenset(),
    start: int | None = None,
) -> tuple[FoundLink | None, bool, frozenset[Span]]:
    """The link the parse reads in one sentence (document offsets), whether it could read
    it, and the mentions it found to be no actor (:attr:`Reading.not_actors`); the parser
    reads from ``start`` on (after a dateline: :meth:`Doc.after_dateline`)."""
    read = (sent[0] if start is None else start, sent[1])
    lo, hi = read

    def inside(spans: Iterable[Span]) -> list[Span]:
        return _local(read, [s for s in spans if lo <= s[0] < hi])

    ls, rs = inside(ls), inside(rs)
    if not ls or not rs:
        return None, True, frozenset()
    reading = link_roles(
        text[lo:hi],
        ls,
        rs,
        inside(others),
        lexicon,
        frozenset(inside(persons)),
        frozenset(inside(places)),
    )
    found = reading.link
    if found is None:
        return None, reading.readable, frozenset(_shift(read, s) for s in reading.not_actors)
    roles = (found.left_role, found.right_role)
    link = FoundLink(
        sent,
        _shift(read, found.predicate),
        found.how,
        _shift(read, found.left),
        _shift(read, found.right),
        roles,
    )
    return link, True, frozenset()


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that holds for an article, with the spans that made it hold."""

    rule: str
    index: int
    spans: tuple[Span, ...]


class Matcher:
    """All rules compiled into one automaton plus one closure tree per rule."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        rules: Sequence[tuple[str, Node]],
        lexicon: Lexicon | None = None,
    ):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.rule_ids = [rule_id for rule_id, _ in rules]
        self._term_ids: dict[tuple[str, bool], int] = {}
        self._entries: dict[str, list[tuple[int, object, int, bool]]] = {}
        self._exact: dict[tuple[str, str], str] = {}
        self._capitalised: set[tuple[str, str]] = set()
        self._prefixes: set[tuple[str, str]] = set()
        for alias in gazetteer.aliases():
            key = match_key(alias.key)
            self._add(key, (_ALIAS, alias.entity, len(key) - 1, alias.ambiguous))
            if alias.exact:
                self._exact[(key[1:], alias.entity)] = alias.exact
            if alias.capitalised:
                self._capitalised.add((key[1:], alias.entity))
            if alias.prefix:
                self._prefixes.add((key[1:], alias.entity))
        #: capital city id -> its country's id
        countries = [e for e in gazetteer.entities.values() if e.kind == "country"]
        self._capital_of = {e.capital: e.id for e in countries if e.capital}
        self._offices = Offices(gazetteer)
        for index, (word, _) in enumerate(self._offices.words):
            key = match_key(word)
            self._add(key, (_ROLE, index, len(key) - 1, False))
        self._evals: list[Eval] = []
        self._always: list[int] = []
        self._triggers: dict[tuple[int, object], list[int]] = {}
        for index, (_, node) in enumerate(rules):
            self._evals.append(self._compile(node))
            triggers = self._trigger_set(node)
            if triggers is None:
                self._always.append(index)
            else:
                for trig in triggers:
                    self._triggers.setdefault(trig, []).append(index)
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, list[tuple[int, object, int, bool, int]]] = {}
        for key, entries in self._entries.items():
            for kind, ident, length, flag in entries:
                if kind == _TERM and flag:  # prefix*: no end boundary
                    keys.setdefault(key, []).append((kind, ident, length, flag, 0))
                else:  # a whole word: one key per character that can end a word
                    for end in _WORD_ENDS:
                        keys.setdefault(key + end, []).append((kind, ident, length, flag, 1))
        for key, found in keys.items():
            self._automaton.add_word(key, tuple(found))
        if self._entries:
            self._automaton.make_automaton()

    # -- compilation ---------------------------------------------------------

    def _add(self, key: str, entry: tuple[int, object, int, bool]) -> None:
        self._entries.setdefault(key, []).append(entry)

    def _term_id(self, term: Term) -> int:
        ident = (term.text, term.prefix)
        tid = self._term_ids.get(ident)
        if tid is None:
            tid = self._term_ids[ident] = len(self._term_ids)
            key = match_key(term.text)
            self._add(key, (_TERM, tid, len(key) - 1, term.prefix))
        return tid

    def _trigger_set(self, node: Node) -> set[tuple[int, object]] | None:
        """Keys one of which must be present for ``node`` to hold (None: always check)."""
        if isinstance(node, Term):
            return {(_TERM, self._term_ids[(node.text, node.prefix)])}
        if isinstance(node, EntityRef):
            return {(_ALIAS, e) for e in self.gazetteer.actors(node.selector)}
        if isinstance(node, Field):
            return self._trigger_set(node.item)
        if isinstance(node, Not):
            return None
        if isinstance(node, Link):
            sets = []
            for side in (node.left, node.right):
                found = self._trigger_set(side)
                land = {(_ALIAS, city) for city in self.territory(side)}
                sets.append(None if found is None else found | land)
        elif isinstance(node, Near):
            sets = [self._trigger_set(node.left), self._trigger_set(node.right)]
        elif isinstance(node, And):
            sets = [self._trigger_set(item) for item in node.items]
        else:  # Or: any branch may be the one that holds
            union: set[tuple[int, object]] = set()
            for item in node.items:
                sub = self._trigger_set(item)
                if sub is None:
                    return None
                union |= sub
            return union
        known = [s for s in sets if s is not None]
        return min(known, key=len) if known else None

    def _compile(self, node: Node) -> Eval:
        if isinstance(node, Term):
            tid = self._term_id(node)

            def term(doc: Doc, lo: int, hi: int) -> Result:
                spans = doc.terms.get(tid)
                if spans and (lo > 0 or hi < len(doc.text)):
                    spans = [s for s in spans if s[0] >= lo and s[1] <= hi]
                return spans or None

            return term
        if isinstance(node, EntityRef):
            ids = self.gazetteer.actors(node.selector)

            def entity(doc: Doc, lo: int, hi: int) -> Result:
                # walk whichever is smaller: "@city" selects dozens, an article names few
                mentions = doc.mentions
                found = (
                    [e for e in mentions if e in ids]
                    if len(mentions) < len(ids)
                    else [e for e in ids if e in mentions]
                )
                if not found:
                    return None
                whole = lo == 0 and hi >= len(doc.text)
                out: list[Span] = []
                for ent in found:
                    spans = mentions[ent]
                    out.extend(spans if whole else (s for s in spans if s[0] >= lo and s[1] <= hi))
                return out or None

            return entity
        if isinstance(node, And):
            parts = [self._compile(item) for item in node.items]

            def all_of(doc: Doc, lo: int, hi: int) -> Result:
                out: list[Span] = []
                for part in parts:
                    res = part(doc, lo, hi)
                    if res is None:
                        return None
                    out.extend(res)
                return out

            return all_of
        if isinstance(node, Or):
            parts = [self._compile(item) for item in node.items]

            def any_of(doc: Doc, lo: int, hi: int) -> Result:
                out: list[Span] | None = None
                for part in parts:
                    res = part(doc, lo, hi)
                    if res is not None:
                        out = (out or []) + res
                return out

            return any_of
        if isinstance(node, Not):
            inner = self._compile(node.item)

            def none_of(doc: Doc, lo: int, hi: int) -> Result:
                return [] if inner(doc, lo, hi) is None else None

            return none_of
        if isinstance(node, Link):
            return self._compile_link(node)
        if isinstance(node, Near):
            left, right = self._compile(node.left), self._compile(node.right)
            pair = self._pairing(node)

            def near(doc: Doc, lo: int, hi: int) -> Result:
                lspans = left(doc, lo, hi)
                if not lspans:
                    return None
                rspans = right(doc, lo, hi)
                if not rspans:
                    return None
                return pair(doc, lspans, rspans) or None

            return near
        inner_field = self._compile(node.item)
        name = node.field

        def scoped(doc: Doc, lo: int, hi: int) -> Result:
            flo, fhi = doc.field_range(name)
            return inner_field(doc, max(lo, flo), min(hi, fhi))

        return scoped

    def territory(self, node: Node) -> frozenset[str]:
        """The cities of the countries a LINK side names: where its actors' visits go.

        ``@russia`` names Russia and Moscow; "Kim arrived in Vladivostok" is a
        visit to Russia too. Only a side's country entities count (through
        ``OR``), and only cities the side does not already name.
        """
        refs: list[EntityRef] = []
        stack = [node]
        while stack:
            cur = stack.pop()
            if isinstance(cur, EntityRef):
                refs.append(cur)
            elif isinstance(cur, Or):
                stack.extend(cur.items)
        named = self.gazetteer.select_all(r.selector for r in refs) if refs else frozenset()
        countries = {e for e in named if self.gazetteer.entities[e].kind == "country"}
        return frozenset(
            e.id
            for e in self.gazetteer.entities.values()
            if e.kind == "city" and e.country in countries and e.id not in named
        )

    def _compile_link(self, node: Link) -> Eval:
        """``a LINK b``: each side's actors, plus its cities as places (see :meth:`territory`)."""
        lexicon = self.lexicon
        if lexicon is None:
            raise ValueError("LINK needs a cue lexicon (cues.yaml in the watchlist directory)")
        left, right = self._compile(node.left), self._compile(node.right)
        lands = (self.territory(node.left), self.territory(node.right))
        leaders = self.gazetteer.select("leader")
        people = leaders | self.gazetteer.select("official")
        countries = {e.id: e.country for e in self.gazetteer.entities.values()}
        titles = {e: self.gazetteer.titles(e) for e in people}

        def link(doc: Doc, lo: int, hi: int) -> Result:
            sides: list[list[Span]] = []
            places: list[Span] = []
            for side, land in zip((left, right), lands, strict=True):
                spans = side(doc, lo, hi) or []
                where = [
                    s
                    for city in land
                    for s in doc.mentions.get(city, ())
                    if s[0] >= lo and s[1] <= hi and s not in spans
                ]
                if not spans and not where:
                    return None
                sides.append(spans + where)
                places.extend(where)
            return (
                doc.linked(
                    sides[0],
                    sides[1],
                    lexicon,
                    people,
                    frozenset(places),
                    countries,
                    leaders,
                    titles,
                )
                or None
            )

        return link

    def _pairing(self, node: Near) -> Callable[[Doc, list[Span], list[Span]], list[Span]]:
        """How a NEAR/n or NEAR/s combines the spans of its two sides."""
        if node.sentence:
            return lambda doc, ls, rs: doc.same_sentence(ls, rs)
        distance = node.distance
        return lambda doc, ls, rs: doc.near_pairs(ls, rs, distance)

    # -- matching ------------------------------------------------------------

    def scan(self, article: Article) -> Doc:
        """Lay the article out and run the automaton over it once."""
        title = article.title
        text = title + "\n" + "\n".join(article.paragraphs)
        mtext = match_text(text)
        para_starts: list[int] = []
        pos = len(title) + 1
        for para in article.paragraphs:
            para_starts.append(pos)
            pos += len(para) + 1
        lead_end = len(title) + 1
        if article.lead_end and para_starts:
            last = min(article.lead_end, len(para_starts)) - 1
            lead_end = para_starts[last] + len(article.paragraphs[last])
        doc = Doc(article, text, mtext, len(title), len(title) + 1, lead_end, para_starts)
        if self._entries:
            self._collect(doc)
        return doc

    def _collect(self, doc: Doc) -> None:
        mtext, n = doc.mtext, len(doc.mtext)
        terms = doc.terms
        aliases: list[tuple[int, int, str, bool]] = []
        combining: list[tuple[int, int, str, bool]] = []
        roles: list[tuple[int, int, int]] = []
        # Keys start with a space, so scan " " + text + " ": index i there is i - 1
        # here. A whole-word key also ends with the character after the word
        # (shift 1), so only real word matches are reported at all.
        for last, entries in self._automaton.iter(" " + mtext + " "):
            for kind, ident, length, flag, shift in entries:
                end = last - shift
                start = end - length
                if not shift:  # prefix*: run on to the end of the word
                    stop = end
                    while stop < n and mtext[stop].isalnum():
                        stop += 1
                    terms.setdefault(ident, []).append((start, stop))
                    continue
                if kind == _TERM:
                    terms.setdefault(ident, []).append((start, end))
                    continue
                if kind == _ROLE:
                    written = self._offices.words[ident][1].exact
                    if written is None or doc.text[start:end] == written:
                        roles.append((start, end, ident))
                    continue
                exact = self._exact.get((mtext[start:end], ident)) if self._exact else None
                if exact is not None and doc.text[start:end] != exact:
                    continue  # an acronym alias must be written as one
                if not doc.text[start].isupper() and (mtext[start:end], ident) in self._capitalised:
                    continue  # "polish the shoes" is not Poland
                if self._prefixes and (mtext[start:end], ident) in self._prefixes:
                    combining.append((start, end, ident, flag))
                    continue
                aliases.append((start, end, ident, flag))
        if combining:
            aliases += self._combined(doc.text, combining, aliases)
        if aliases:
            self._resolve_entities(doc, aliases, roles)

    def _combined(
        self,
        text: str,
        combining: list[tuple[int, int, str, bool]],
        aliases: list[tuple[int, int, str, bool]],
    ) -> list[tuple[int, int, str, bool]]:
        """The combining forms ("Sino", "Franco") that are hyphened to another country's
        name or adjective, or to another such form: "Sino-US ties", "Franco-German
        council", "Sino-Russo-Iranian drills". Alone they are other things ("Franco" the
        dictator, "Sino-Ocean" a developer, "Indo-Pacific" a region)."""
        countries = self._offices.countries
        starts = {h[0]: h[2] for h in (*aliases, *combining) if h[2] in countries}
        return [
            h
            for h in combining
            if text[h[1] : h[1] + 1] in _HYPHENS and starts.get(h[1] + 1, h[2]) != h[2]
        ]

    def _resolve_entities(
        self,
        doc: Doc,
        hits: list[tuple[int, int, str, bool]],
        roles: Sequence[tuple[int, int, int]] = (),
    ) -> None:
        """Longest match wins; ambiguous short names need context to count.

        Leaders count only in office on the publication day and not as "former …";
        role phrases ("Japan's prime minister") then add whoever held the office
        (:mod:`monitor.rules.offices`).
        """
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        kept: list[tuple[int, int, str, bool]] = []
        last_start, last_end = -1, -1
        for hit in hits:
            start, end = hit[0], hit[1]
            if start >= last_end or (start == last_start and end == last_end):
                kept.append(hit)
                last_start, last_end = start, end
        sure = {ent for _, _, ent, amb in kept if not amb}
        # a capital names its country for sure too: "Jordan" counts beside "Amman"
        sure |= {self._capital_of[e] for e in sure if e in self._capital_of}
        text, mtext = doc.text, doc.mtext
        mentions = doc.mentions
        offices, day = self._offices, publication_day(doc)
        countries = [h for h in kept if h[2] in offices.countries]
        ends = [h[1] for h in countries]
        found_ends = frozenset(h[1] for h in kept)
        # the office named for its country makes its holder's surname sure, as the full
        # name does: "Xi: Taiwan must be reunified | China's president offered …"
        by_role: dict[str, list[Span]] = {}
        offices.resolve(doc, [h for h in kept if not h[3]], list(roles), day, by_role)
        sure |= by_role.keys()
        # the countries a title names for sure, by name, people or capital: a headline
        # names their leaders by surname ("Xi lands in Dhaka as Beijing readies loans")
        titled = {
            self._capital_of.get(ent, ent)
            for start, end, ent, amb in kept
            if not amb and end <= doc.title_end
        }
        for start, end, ent, amb in kept:
            if amb and ent in offices.countries:
                # "CSIS" (also a Washington think tank), "PLA" (also a plastic): a state's
                # ambiguous metonym counts, capitalised, where the state itself is named
                if not (
                    text[start].isupper()
                    and (ent in sure or _a_state_here(text, start, end, ent, countries))
                ):
                    continue
            elif amb:
                owned = offices.context(doc, kept, countries, ends, start, end, ent, day)
                leader = offices.leaders.get(ent)
                own_title = leader is not None and end <= doc.title_end and leader.country in titled
                if not self._ambiguous_ok(
                    doc, text, mtext, start, end, ent in sure or own_title, owned
                ):
                    continue
            if not offices.sitting(doc, ent, start, end, day):
                continue
            if offices.namesake(doc, start, end, ent, found_ends):
                continue  # "Jill Biden", "Hunter Biden"
            mentions.setdefault(ent, []).append((start, end))
        offices.resolve(doc, kept, list(roles), day, mentions)

    @staticmethod
    def _ambiguous_ok(
        doc: Doc,
        text: str,
        mtext: str,
        start: int,
        end: int,
        sure: bool,
        owned: bool | None = None,
    ) -> bool:
        """ "Lee" is Lee Jae Myung only capitalised, not as "Lee Jin-man", and in context.

        ``owned``: a country is named right before the surname — its own ("S Korea's
        Yoon") counts like a title, another's ("Singapore PM Lee") never counts.
        """
        if not text[start].isupper():
            return False
        in_title = start < doc.title_end
        if not in_title and end + 1 < len(text) and text[end] == " " and text[end + 1].isupper():
            return False  # another person's full name: "Lee Jin-man", "Kim Tae-hyo"
        if end + 1 < len(text) and text[end] == "-" and text[end + 1].islower():
            # the start of a longer name, a given name's second syllable: "Park Jin-young"
            # (not a pair: "Kim-Putin summit")
            return False
        if owned is not None:
            return owned
        if sure:
            return True
        before = mtext[max(0, start - 20) : start].rstrip()
        return before.endswith(TITLE_WORDS)

    def evaluate(self, doc: Doc) -> list[RuleMatch]:
        """Every rule that holds, in rule order, with its evidence spans."""
        candidates = set(self._always)
        triggers = self._triggers
        for tid in doc.terms:
            candidates.update(triggers.get((_TERM, tid), ()))
        for ent in doc.mentions:
            candidates.update(triggers.get((_ALIAS, ent), ()))
        out: list[RuleMatch] = []
        end = len(doc.text)
        for index in sorted(candidates):
            res = self._evals[index](doc, 0, end)
            if res is not None:
                out.append(RuleMatch(self.rule_ids[index], index, tuple(sorted(set(res)))))
        return out

    def evaluate_node(self, node: Node, doc: Doc) -> Result:
        """Evaluate one clause of a loaded rule on its own (``monitor rules test``)."""
        return self._compile(node)(doc, 0, len(doc.text))

    def match(self, article: Article) -> tuple[Doc, list[RuleMatch]]:
        doc = self.scan(article)
        return doc, self.evaluate(doc)
