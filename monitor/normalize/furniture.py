"""Recognise page furniture so watchlist rules only see the article itself.

News pages carry link lists (related / popular / recent posts / access ranking),
cookie banners, share and follow prompts, navigation labels and copyright
lines. Their headlines mention other countries and people, so if rules saw them
an article about Japan would "match" Canada. Furniture is kept apart (not
discarded) so an auditor can see what was removed and why.

The method is line-based and general, never site-specific:

1. A *single-line rule* (the named regexes below) marks a line by its own text.
2. A *list header* ("Related Stories", "Most Read", "JN ACCESS RANKING") starts
   a run: the following headline-like lines (short, no sentence-final
   punctuation), teasers ending in an ellipsis, "9 hours ago" stamps and "-"
   separators are furniture until the first line that reads like prose.
3. A *headerless run* of >= 3 consecutive headline-like lines after the body has
   started is a link list too; one or two such lines are subheadings and stay.
4. *Navigation labels*: lines of one or two words without sentence punctuation.

Every decision has a reason string (see :func:`classify`) so it is explainable.
"""

from __future__ import annotations

import operator
import re
from itertools import compress, repeat

__all__ = ["HEADER", "LINE_RULES", "classify", "strip_furniture"]

# Single-line rules that hold whatever the line's length: their opening words
# are unambiguous. Matched with ``re.match`` (anchored at the line start).
_ANY_LENGTH_RULES: tuple[tuple[str, str], ...] = (
    (
        "cookies",
        r"(?:this (?:web)?site uses cookies|we use cookies|we and our partners use cookies"
        r"|by (?:continuing to use|using) (?:this|our) (?:web)?site"
        r"|(?:accept|manage|reject) (?:all )?cookies"
        r"|cookie (?:policy|settings|preferences|consent))",
    ),
    ("copyright", r"(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\) \d{4})"),
    (
        "newsletter",
        r"(?:(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b|get (?:our|the) .{0,40}newsletter)",
    ),
    (
        "comment-form",
        r"(?:your email address will not be published|required fields are marked"
        r"|you must be logged in to post|save my name, email)",
    ),
    ("hashtags", r"#\w+(?: #\w+)*$"),
    (
        "timestamp",
        r"(?:(?:updated |published |posted )?(?:\d+|an?|one) "
        r"(?:sec|second|min|minute|hr|hour|day|week|month|year)s? ago"
        r"|just now|yesterday)$",
    ),
    ("separator", r"[-–—•·*|=_~/]+$"),
    ("tags", r"(?:tags?|filed under|categories|category|posted in|topics):"),
)

# Single-line rules for short lines only (<= _SHORT_WORDS words): the same
# words could open a real sentence ("Follow the money, he said, ...").
_SHORT_RULES: tuple[tuple[str, str], ...] = (
    ("continue-reading", r"(?:continue reading|keep reading|story continues below)\b.{0,30}$"),
    ("read-more", r"(?:read (?:more|the full|the rest|full (?:story|article))\b|more\s*[»>]+$)"),
    # A comment form's heading is "Leave a <noun>" whatever the noun: themes
    # translate it, vary it ("Response") and misspell it, so the line's shape
    # decides, not a list of spellings. Longer lines need the known nouns.
    ("comments", r"(?:leave an? \w+$|leave a (?:reply|comment)|post a comment|add a comment"
                 r"|join the (?:conversation|discussion)$|\d+ comments?$|(?:view|show) comments)"),
    ("connect", r"(?:connect with us|stay connected$|find us on \S+$)"),
    ("share", r"(?:share|click to share|email|print)(?: (?:this|on|via|to|the article|the story"
              r"|article|story|post)\b.{0,40})?:?$"),
    ("follow", r"follow (?:us|me|@)"),
    ("subscribe", r"(?:subscribe|sign up|sign in|log in|register)(?: (?:now|today|here|for free"
                  r"|for \S+ updates|to (?:our|the|get) .{1,40}))?\W*$"),
    ("advertisement", r"(?:(?:advertisement|advertising|sponsored(?: content)?|ad)\s*:?$"
                      r"|scroll to continue)"),
    ("skip-link", r"(?:skip to (?:main )?content|back to top|jump to (?:navigation|content|main))"),
    # a single linked headline set into the body: "Related: Kim meets Putin"
    ("inline-link", r"(?:related(?: \w+)?|read (?:also|next)|also read|see also|more(?: on this)?"
                    r"|watch|listen|recommended|editor'?s picks?|trending|top stor(?:y|ies))"
                    r"\s*:\s*\S.*$"),
)  # fmt: skip

LINE_RULES: tuple[tuple[str, str], ...] = _ANY_LENGTH_RULES + _SHORT_RULES
"""All single-line rules, ``(reason, regex)``, in priority order.

Patterns are lower-case and matched against the lower-cased line: that is
several times faster than ``re.IGNORECASE`` over a large alternation.
"""

_RIGHTS_RESERVED = "all rights reserved"  # anywhere in a line's first _PREFIX characters
_PREFIX = slice(0, 160)  # rules look at most this far into a line


_SHORT_GROUPS = frozenset(name.replace("-", "_") for name, _ in _SHORT_RULES)
# One alternation with a named group per rule: a single C-level match per line,
# and ``m.lastgroup`` names the rule that fired. Any-length rules come first, so
# when a short-only rule wins no any-length rule matched.
_LINE_RULE_RE = re.compile(
    "|".join(f"(?P<{name.replace('-', '_')}>{pat})" for name, pat in LINE_RULES)
)

_NOUN = (
    r"(?:articles?|posts?|stories|story|news|content|reads?|links?|videos?|headlines"
    r"|items|coverage|topics?)"
)
# A list header is the whole (short) line: a phrase, optionally after a quoted
# section name or an acronym ("JN", "\"Politics\"") and before a few trailing
# words ("in Politics", "this week").
HEADER = re.compile(
    r"(?:(?:\"[^\"]{1,30}\"|(?-i:[A-Z]{1,4})|[|»•]) )?(?:"
    rf"related(?: {_NOUN})?|popular(?: {_NOUN})?"
    rf"|most (?:read|popular|viewed|shared|commented|emailed)(?: {_NOUN})?"
    rf"|(?:recent|latest|top|more|other|further|trending|recommended|featured) {_NOUN}"
    r"|(?:\w+ )?ranking|trending(?: now)?|recommended(?: for you)?|editor'?s'? picks?"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|(?:what to )?read next"
    r"|up next|(?:also|further) read(?:ing)?|see also|don'?t miss|in case you missed it"
    r"|more (?:from|on|in|about) .{1,40}"
    r")(?: (?:now|today|this week|for you|in \S+|on \S+))?\s*:?",
    re.IGNORECASE,
)
"""A link-list header line; matched against the whole line."""

_SHORT_WORDS = 12  # short-only rules and headers apply up to this many words
_HEADER_WORDS = 6
_HEADLINE_MAX_WORDS = 20  # longer unpunctuated lines are captions or prose
_RUN_ITEM_MAX_WORDS = 40
_PROSE_MIN_WORDS = 15  # "a real paragraph": this long and ends like a sentence
_HEADERLESS_RUN = 3

_CLOSERS = "\"')]*»"
_STOPS = (".", "!", "?")
_ELLIPSES = ("...", "…")
#: A bullet point opening a line ("• Exclusive: …", "- item").
BULLET = re.compile(r"[-•·▪►*]\s")


def _rules(lines: list[str], spaces: list[int], ends: list[bool]) -> list[str | None]:
    """Per line, the single-line rule (or "nav") that marks it as furniture.

    Iterates with ``map``/``compress`` so the per-line work stays in C; only
    the few lines that match pay for Python-level handling.
    """
    n = len(lines)
    rules: list[str | None] = [None] * n
    # Rules are anchored at the line start, so only a prefix needs lower-casing
    # (lower() on non-ASCII text is slow and articles are mostly long lines).
    lows = list(map(str.lower, map(str.__getitem__, lines, repeat(_PREFIX, n))))
    for i, m in enumerate(map(_LINE_RULE_RE.match, lows)):
        if m is not None and m.lastgroup is not None:
            group = m.lastgroup
            if spaces[i] < _SHORT_WORDS or group not in _SHORT_GROUPS:
                rules[i] = group.replace("_", "-")
    for i in compress(range(n), map(operator.contains, lows, repeat(_RIGHTS_RESERVED, n))):
        rules[i] = rules[i] or "copyright"
    for i in compress(range(n), map(operator.le, spaces, repeat(1, n))):
        if rules[i] is None and not ends[i]:
            rules[i] = "nav"
    return rules


def classify(lines: list[str]) -> list[str | None]:
    """Per line, the reason it is furniture, or ``None`` for article content.

    ``lines`` are non-empty, folded and collapsed. Exposed so tests and the CLI
    can show *why* a line was removed.
    """
    n = len(lines)
    reasons: list[str | None] = [None] * n
    # Per-line features, computed with C-level map() calls (see module doc).
    spaces = list(map(str.count, lines, repeat(" ", n)))  # words - 1 (lines are collapsed)
    tails = list(map(str.rstrip, lines, repeat(_CLOSERS, n)))
    teasers = list(map(str.endswith, tails, repeat(_ELLIPSES, n)))
    ends = [
        stop and not teaser
        for stop, teaser in zip(map(str.endswith, tails, repeat(_STOPS, n)), teasers, strict=True)
    ]
    rules = _rules(lines, spaces, ends)

    def headline_like(k: int) -> bool:
        """Short and unpunctuated (or a teaser), but not a bullet point of the body."""
        if BULLET.match(lines[k]):
            return False
        return teasers[k] or (not ends[k] and 2 <= spaces[k] < _HEADLINE_MAX_WORDS)

    in_run = False  # inside a list that a header opened
    body_started = False  # headerless runs only count once prose has begun
    i = 0
    while i < n:
        s, rule = spaces[i], rules[i]
        if s < _HEADER_WORDS and not ends[i] and HEADER.fullmatch(lines[i]):
            reasons[i] = "list-header"
            in_run = True
            i += 1
            continue
        if in_run:
            if (
                rule is not None
                or teasers[i]
                or (not ends[i] and s < _RUN_ITEM_MAX_WORDS)
                or (s < _PROSE_MIN_WORDS - 1 and lines[i].endswith("?"))
            ):
                reasons[i] = rule or "list-item"
                i += 1
                continue
            in_run = False
        if rule is not None:
            reasons[i] = rule
            i += 1
            continue
        if body_started and headline_like(i):
            j, headlines = i, 0
            while j < n:
                if headline_like(j):
                    headlines += 1
                elif rules[j] is None:
                    break
                j += 1
            if headlines >= _HEADERLESS_RUN:
                for k in range(i, j):
                    reasons[k] = rules[k] or "headline-run"
                i = j
                continue
        if ends[i] and s >= _PROSE_MIN_WORDS - 1:
            body_started = True
        i += 1
    return reasons


def strip_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split lines into (content, furniture), each in original order.

    Rules must not match the headlines of *other* stories that a page lists
    around the article; the furniture is returned too, for the audit log.
    """
    content: list[str] = []
    furniture: list[str] = []
    for line, reason in zip(lines, classify(lines), strict=True):
        (content if reason is None else furniture).append(line)
    return content, furniture
