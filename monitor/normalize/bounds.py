"""How much of an item we keep, and which characters never get past the edge.

Feeds are written by strangers. A 2,000,005-character title was once stored
as it came and then took minutes of CPU per email (the standard library
encodes a mail subject in time quadratic in its length); right-to-left
overrides (U+202E) reversed text in subjects and Slack; NUL and other C0/C1
controls are invisible in a terminal and refused by PostgreSQL text columns.
So normalization bounds every field it keeps and deletes those characters,
and the notification templates bound and clean again (payloads stored before
these bounds may hold anything). Every limit lives here, in one place.

Truncation is deterministic (same input, same output, same content hash) and
cuts at a word boundary with "…" when one is near, so a truncated title still
reads as a title.
"""

from __future__ import annotations

import hashlib
import re

__all__ = [
    "DIGEST_MAX_ALERTS",
    "EVIDENCE_MAX_CHARS",
    "EVIDENCE_MAX_ITEMS",
    "FIELD_MAX_CHARS",
    "ITEM_ID_MAX_CHARS",
    "PARAGRAPH_MAX_CHARS",
    "SUBJECT_MAX_BYTES",
    "SUBJECT_MAX_CHARS",
    "TEXT_MAX_CHARS",
    "TITLE_MAX_CHARS",
    "URL_MAX_CHARS",
    "bound_item_id",
    "bound_lines",
    "bound_utf8",
    "clean_link",
    "shorten",
    "strip_hostile",
]

# -- what an Article keeps -------------------------------------------------------

TITLE_MAX_CHARS = 500
"""A headline; real ones are under 200 characters."""
PARAGRAPH_MAX_CHARS = 20_000
"""One paragraph (or furniture line); a feed without block markup can still be one long line."""
TEXT_MAX_CHARS = 200_000
"""The whole body (paragraphs joined by newlines), and separately the furniture: a long read
is ~60,000 characters."""
URL_MAX_CHARS = 2_048
"""The link; longer ones are dropped, not cut (a cut URL is a wrong link)."""
ITEM_ID_MAX_CHARS = 512
"""The item id, part of every article's idempotency key; longer ones keep a digest of the rest."""

# -- what a notification renders (monitor.notify.templates) ---------------------------

SUBJECT_MAX_CHARS = 200
"""The email subject / Slack title, one line."""
SUBJECT_MAX_BYTES = 300
"""The subject in UTF-8 bytes. apprise encodes a non-ASCII subject as one unfolded
quoted-printable word (up to 3 octets per byte) and SMTP servers refuse lines over
1,000 octets (RFC 5321 4.5.3.1.6): 300 bytes keep the Subject line under 1,000."""
FIELD_MAX_CHARS = 300
"""Any other one-line field of an alert (rule, severity, source, item, story key, dates)."""
EVIDENCE_MAX_ITEMS = 10
EVIDENCE_MAX_CHARS = 1_000
"""Evidence snippets: the rule engine makes at most 6 of ~240 characters; old payloads may not."""
DIGEST_MAX_ALERTS = 100
"""Alerts a digest lists; it counts the rest (``digest.more``) and names the command to see them."""

_ELLIPSIS = "…"

# C0 and C1 controls except the whitespace ones (tab, LF, VT, FF, CR, FS-US, NEL), which
# line splitting and whitespace collapsing already turn into line breaks and spaces; and
# the Unicode bidi controls (embeddings, overrides, isolates, LRM/RLM, ALM), which can
# make "txt.exe" read "exe.txt" or reverse a subject. Lone surrogates too (a JSON feed can
# spell "\ud800"): they cannot be encoded as UTF-8, so hashing or storing them fails.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_HOSTILE = re.compile(f"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f{_BIDI}{_SURROGATES}]")
# In a link every control goes, whitespace ones included (browsers drop tabs and newlines
# inside URLs, so "java\tscript:" would otherwise be a scheme we did not see).
_LINK_HOSTILE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")


def strip_hostile(text: str) -> str:
    """``text`` without C0/C1 controls (whitespace ones excepted), bidi controls, lone surrogates.

    Deleted, not replaced by a space: "Pu\\u202etin" is an attempt to hide
    "Putin" from a watchlist, not two words.
    """
    return _HOSTILE.sub("", text)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" if it was cut."""
    if len(text) <= limit:
        return text
    return _cut(text, limit - 1) if limit >= 1 else ""


def _cut(text: str, keep: int) -> str:
    """The first ``keep`` characters of ``text`` (fewer, to end at a word) and "…".

    Cuts at the last space when that keeps at least half of them (CJK text
    or a run without spaces is cut mid-word).
    """
    head = text[:keep]
    if keep < len(text) and not text[keep].isspace():
        space = head.rfind(" ")
        if space > keep // 2:
            head = head[:space]
    return head.rstrip() + _ELLIPSIS


def bound_lines(
    lines: list[str], *, line_max: int = PARAGRAPH_MAX_CHARS, total_max: int = TEXT_MAX_CHARS
) -> tuple[list[str], bool]:
    """Lines each at most ``line_max`` characters and, joined by newlines, at most
    ``total_max``; and whether anything was cut or dropped.

    The last line that fits only partly is shortened; the ones after it are dropped.
    """
    out: list[str] = []
    used = 0
    cut = False
    for line in lines:
        room = total_max - used - (1 if out else 0)
        if room <= 1:
            return out, True
        limit = min(line_max, room)
        if len(line) > limit:
            line = shorten(line, limit)
            cut = True
        used += len(line) + (1 if out else 0)
        out.append(line)
    return out, cut


def bound_utf8(text: str, max_bytes: int) -> str:
    """``text`` shortened (with "…") until its UTF-8 encoding is at most ``max_bytes``."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    fits = data[: max_bytes - len(_ELLIPSIS.encode("utf-8"))].decode("utf-8", "ignore")
    return _cut(text, len(fits))


def clean_link(url: str | None) -> str | None:
    """A link without controls or bidi characters, trimmed; ``None`` if nothing is left.

    No length or scheme check here: normalization drops links longer than
    ``URL_MAX_CHARS`` and records it; the notification templates allow only
    http(s) (:func:`monitor.notify.templates.safe_link`).
    """
    if url is None:
        return None
    return _LINK_HOSTILE.sub("", url).strip() or None


def bound_item_id(item_id: str) -> tuple[str, bool]:
    """An item id without hostile characters and at most ``ITEM_ID_MAX_CHARS`` long,
    and whether it had to be shortened.

    A long id keeps its head and a digest of the whole, so two ids that
    differ only past the limit stay two items.
    """
    item_id = _LINK_HOSTILE.sub("", item_id)
    if len(item_id) <= ITEM_ID_MAX_CHARS:
        return item_id, False
    digest = hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:16]
    return f"{item_id[: ITEM_ID_MAX_CHARS - len(digest) - 1]}{_ELLIPSIS}{digest}", True
