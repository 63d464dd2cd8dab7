"""Sentence splitting: where a paragraph's sentences begin and end.

At the bottom of the layers, beside :class:`~monitor.article.Article`, whose
``sentences`` split on demand; :mod:`monitor.normalize.text` re-exports
:func:`split_sentences` for the normalizer and the rules.
"""

from __future__ import annotations

import re
from collections import defaultdict

__all__ = ["split_sentences"]


# Abbreviations that end in "." but rarely end a sentence.
_ABBREVIATIONS: tuple[str, ...] = (
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gov.", "Sen.", "Rep.", "St.", "Mt.", "Ft.",
    "Jr.", "Sr.", "Gen.", "Lt.", "Col.", "Capt.", "Sgt.", "Adm.", "Cmdr.", "Rev.", "Hon.",
    "Pres.", "Sec.", "Amb.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.",
    "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "No.", "Nos.", "vs.", "approx.", "cf.",
    "e.g.", "i.e.", "al.", "Fig.", "Vol.", "Art.",
)  # fmt: skip


def _abbreviation_guards(abbreviations: tuple[str, ...]) -> str:
    """Negative lookbehinds, one per abbreviation length.

    Lookbehind must be fixed-width, but an alternation of equal-width
    alternatives is allowed: ~6 assertions instead of ~50 per punctuation mark.
    """
    by_length: dict[int, list[str]] = defaultdict(list)
    for abbreviation in abbreviations:
        by_length[len(abbreviation)].append(re.escape(abbreviation))
    return "".join(rf"(?<!\b(?:{'|'.join(alts)}))" for _, alts in sorted(by_length.items()))


_ABBREV_GUARDS = _abbreviation_guards(_ABBREVIATIONS)

# A boundary: sentence punctuation, not an abbreviation or a single capital
# initial (J., and the last letter of U.S./U.N.), optional closing quotes or
# brackets, whitespace (group 1, where we cut), then something that can start a
# sentence. The pattern starts with a character class so the C scanner skips
# ahead cheaply instead of testing lookbehinds at every position.
_BOUNDARY = re.compile(
    r"[.!?](?<!\b[A-Z]\.)" + _ABBREV_GUARDS
    + r"[\"'\u201d\u2019)\]]{0,3}(\s+)"
    r"(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0410-\u042f])"
)  # fmt: skip


def split_sentences(paragraph: str) -> tuple[str, ...]:
    """Split a paragraph into sentences so rules can ask "in the same sentence".

    Cuts only at whitespace, so the sentences' words are exactly the
    paragraph's words. Deliberately conservative: an abbreviation or initial
    followed by a capital keeps the sentence together (a missed split costs
    less than a false one, which would break a "same sentence" match).
    """
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(paragraph):
        piece = paragraph[start : m.start(1)].strip()
        if piece:
            out.append(piece)
        start = m.end(1)
    last = paragraph[start:].strip()
    if last:
        out.append(last)
    return tuple(out)
