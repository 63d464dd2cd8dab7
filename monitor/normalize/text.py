"""Character folding, whitespace collapsing and sentence splitting.

Everything here is character-for-character or regex-driven in C: the normalizer
runs on every paragraph of thousands of articles per second during replay.
"""

from __future__ import annotations

from monitor.sentences import split_sentences

__all__ = ["DASHES", "FOLD", "collapse", "fold", "fold_term", "split_sentences"]

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u02bc\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\uff02"
# Unicode spaces, and invisible characters that would otherwise glue or split
# words unpredictably. Invisible ones become a space rather than vanishing so
# that folding stays 1:1 and offsets into the folded text match the original.
_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_INVISIBLES = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_LINE_BREAKS = "\u2028\u2029"
DASHES = "-\u2010\u2011\u2013\u2014"
"""Hyphen-minus, hyphen, non-breaking hyphen, en dash, em dash: they join words.

``fold`` keeps them (article text keeps its meaning, "Seoul–Tokyo"); a term
treats each as a space (:func:`fold_term`), and so does the matcher's text,
so "Suk-yeol" in a watchlist finds "Suk Yeol" and "Suk–yeol" in an article.
"""

FOLD: dict[int, int] = str.maketrans(
    _SINGLE_QUOTES + _DOUBLE_QUOTES + _SPACES + _INVISIBLES + _LINE_BREAKS,
    "'" * len(_SINGLE_QUOTES)
    + '"' * len(_DOUBLE_QUOTES)
    + " " * (len(_SPACES) + len(_INVISIBLES))
    + "\n" * len(_LINE_BREAKS),
)
"""Translation table: typographic quotes to ASCII, odd spaces to ' '; 1 char -> 1 char.

En and em dashes are deliberately left alone: they carry meaning ("Seoul–Tokyo")
and watchlist authors can write them.
"""


# ``str.translate`` with a dict looks every character up in Python objects
# (~1 ms for a 5 KB non-ASCII article); a C-level ``in`` test per table entry
# plus ``str.replace`` for the few that occur is ~50x faster and equivalent.
_FOLD_PAIRS: tuple[tuple[str, str], ...] = tuple((chr(k), chr(v)) for k, v in FOLD.items())


def fold(text: str) -> str:
    """Fold quotes and spaces so "North Korea’s" matches "North Korea's".

    Length-preserving (every mapping is one character to one character), so a
    match offset in the folded text is an offset in the original too.
    Equivalent to ``text.translate(FOLD)``.
    """
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def collapse(line: str) -> str:
    """Collapse whitespace runs to one space and strip: sites pad text arbitrarily."""
    return " ".join(line.split())


_DASH_SPACES: dict[int, int] = str.maketrans(DASHES, " " * len(DASHES))


def fold_term(text: str) -> str:
    """Fold a query term, an alias or an office word the way article text is folded.

    :func:`fold` (quotes to ASCII, odd spaces to spaces), then lower case,
    hyphens and dashes (:data:`DASHES`) as spaces and whitespace runs as one:
    "Yoon Suk-yeol", "yoon suk yeol" and "Yoon Suk–yeol" are the same key, and
    "North Korea’s" is "north korea's". The one fold for everything a rule
    names: the query parser, the gazetteer and the matcher's keys all use it.
    Not length-preserving (it collapses), unlike ``fold``; idempotent.
    """
    return collapse(fold(text).lower().translate(_DASH_SPACES))
