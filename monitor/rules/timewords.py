"""Temporal expressions in news text, and the days they name.

"on Thursday", "yesterday", "last week", "next month", "in early May",
"March 16, 2023", "16 March", "2023-03-16", "three days ago", "hours before",
"on the eve of", "in 2019": found with one regular expression and resolved
to an interval of days seen from a reference day (the item's publication).
Relative words need a side: "Thursday" said on a Wednesday is tomorrow in
"will meet Thursday" and six days ago in "met Thursday", so :func:`resolve`
takes the tense (:mod:`monitor.rules.dating` reads it from the text). A month
or a day without a year is put in the year that fits the tense, nearest to
the reference day.

Month and weekday names count only capitalised ("may" and "march" are verbs);
"since March" is a bound, not a date, and is left out.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from monitor.analysis.pipeline import is_title_case
from monitor.article import Span

Tense = Literal["past", "present", "future", "unknown"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_FORMS = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
)  # fmt: skip
_MONTHS = {name: i for i, names in enumerate(_MONTH_FORMS, start=1) for name in names}
#: The full names of the weekdays and the months, lower-case: a capitalised word that is a
#: date, never a given name or part of an office ("Friday Biden met Sunak").
CALENDAR_NAMES = frozenset(_WEEKDAYS) | frozenset(names[0] for names in _MONTH_FORMS)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a hundred": 100,
}

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ANY_MONTH = rf"(?:{_MONTH_NAMES})\.?"
_COUNT = r"\d+|" + "|".join(_NUMBERS) + r"|a few|few|several|some"
_NUM = rf"(?P<num>{_COUNT})"


def _month(tag: str) -> str:
    return rf"(?P<month_{tag}>{_MONTH_NAMES})\.?"


def _day(tag: str) -> str:
    return rf"(?P<day_{tag}>[0-3]?\d)(?:st|nd|rd|th)?"


def _year(tag: str) -> str:
    return rf"(?P<year_{tag}>(?:19|20)\d\d|{_OLD_YEAR})"


#: A year of an earlier century ("in 1854", "the war of 1812") — only where it cannot be a
#: count or a clock: no plural noun after it ("in 1500 towns"), no "hours", "%", range.
_OLD_YEAR = (
    r"1[5-8]\d\d(?![\d%]|\s*(?:-|–|hours|hrs|gmt|utc)"
    r"|\s+(?!(?:as|is|was|has|his|its|this|thus|across|whereas)\b)[a-z]+s\b)"
)


#: The years of the wars news names by name alone.
_WORLD_WAR_ONE = (date(1914, 7, 28), date(1918, 11, 11))
_WORLD_WAR_TWO = (date(1939, 9, 1), date(1945, 9, 2))
_ERAS: dict[str, tuple[date, date]] = {
    **dict.fromkeys(
        ("first world war", "world war one", "world war i", "world war 1", "wwi", "ww1"),
        _WORLD_WAR_ONE,
    ),
    **dict.fromkeys(
        ("second world war", "world war two", "world war ii", "world war 2", "wwii", "ww2"),
        _WORLD_WAR_TWO,
    ),
    "cold war": (date(1947, 3, 12), date(1991, 12, 26)),
    "korean war": (date(1950, 6, 25), date(1953, 7, 27)),
    "vietnam war": (date(1955, 11, 1), date(1975, 4, 30)),
}


_NO_DAY = r"(?!\s+[0-3]?\d(?:st|nd|rd|th)?\b)"
#: Temporal expressions, most specific first. Case-insensitive, but month and
#: weekday names must be capitalised (checked in :func:`find`: "may", "march").
_TIME = re.compile(
    "|".join(
        (
            r"(?P<iso>\b(?:on\s+)?(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)",
            rf"(?P<md>\b(?:on\s+)?{_month('md')}\s+{_day('md')}"
            rf"(?:\s*(?:-|–|to|and|or)\s*(?:{_ANY_MONTH}\s+)?[0-3]?\d(?:st|nd|rd|th)?)?"
            rf"(?:,?\s+{_year('md')})?\b)",
            rf"(?P<dm>\b(?:on\s+)?{_day('dm')}\s+{_month('dm')}(?:,?\s+{_year('dm')})?\b)",
            r"(?P<part>\b(?P<pw>early|mid|late|the end of|end of|the beginning of|beginning of"
            rf"|the middle of|the start of|start of)[\s-]*{_month('p')}{_NO_DAY}"
            rf"(?:,?\s+{_year('p')})?\b)",
            r"(?P<mon>\b(?P<mw>in|during|since|until|by|of|last|next|this|for)\s+"
            rf"{_month('m')}{_NO_DAY}(?:\s+{_year('m')})?\b)",
            rf"(?P<my>\b{_month('y')}\s+{_year('y')}\b)",
            r"(?P<attr>(?:'s|\bthe|\ba|\bhis|\bher|\btheir|\bits|\blast|\bnext)\s+"
            rf"{_month('a')}{_NO_DAY}(?=\s+(?-i:[a-z])))",
            r"(?P<wd>\b(?:(?P<wmod>last|next|this|on|early|late|coming)\s+)?(?P<weekday>"
            + "|".join(_WEEKDAYS)
            + r")\b)",
            r"(?P<rel>\b(?P<rmod>last|this|next|earlier this|later this|early next|late last)"
            r"\s+(?P<unit>week|weekend|month|year)\b)",
            rf"(?P<ago>\b{_NUM}\s+(?P<aunit>hours?|days?|weeks?|months?|years?|decades?"
            r"|century|centuries)\s+ago\b)",
            r"(?P<bare_ago>\b(?P<bunit>hours|days|weeks|months|years)\s+ago\b)",
            # "forty years since Israel invaded …": the act that long ago
            rf"(?P<since>\b(?P<snum>{_COUNT})\s+(?P<sunit>days?|weeks?|months?|years?|decades?)"
            r"\s+since\b)",
            r"(?P<hours>\b(?:just\s+)?hours\s+(?P<hdir>before|after|ahead of|later|earlier)\b)",
            rf"(?P<apart>\b(?:(?:just|only|mere)\s+)?(?:(?P<pnum>{_COUNT})\s+)?"
            r"(?P<punit>days?|weeks?|months?|years?)\s+(?P<pdir>before|ahead of|after)\b)",
            r"(?P<eve>\b(?:on\s+)?the\s+eve\s+of\b)",
            # "will receive him at 3pm", "is due to meet Xi for dinner in the evening": a time
            # or a part of a day with no day of its own is today's
            r"(?P<clock>\bat\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
            r"|\d{1,2}:\d{2}\b|noon\b|midday\b)"
            r"|\bin\s+the\s+(?:morning|afternoon|evening)\b)",
            r"(?P<coming>\b(?:in|within|over)\s+the\s+(?:coming|next)\s+(?:few\s+)?"
            r"(?P<cunit>days|weeks)\b|\bwithin\s+days\b)",
            r"(?P<word>\b(?P<ww>today|tonight|yesterday|tomorrow|this\s+morning|this\s+afternoon"
            r"|this\s+evening|last\s+night)\b)",
            rf"(?P<span>\b(?:from|between)\s+{_year('sf')}\s*(?:-|–|to|and|until|through)\s*"
            rf"{_year('st')}\b)",
            r"(?P<decade>\b(?:in|during|of|until|by)\s+the\s+(?:early\s+|late\s+|mid-?)?"
            r"(?P<dy>1[5-9]\d0|20[0-2]0)s\b)",
            # a war that names its own years ("during World War Two"); not "since" or "after"
            # it, a bound an act of now is measured from ("the first such deployment since
            # World War II")
            r"(?P<era>\b(?:in|during)\s+(?:the\s+)?(?P<ew>(?:first|second)\s+world\s+war"
            r"|world\s+war\s+(?:one|two|i{1,2}|[12])|ww\s?(?:i{1,2}|[12])"
            r"|(?:cold|korean|vietnam)\s+war)\b)",
            rf"(?P<yr>\b(?P<yw>in|during|of|since|until|by)\s+{_year('yr')}\b)",
        )
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TimeWords:
    """A temporal expression in the text, not yet resolved (that needs the tense)."""

    span: Span
    text: str
    kind: str
    groups: dict[str, str]


def find(text: str, lo: int = 0, hi: int | None = None) -> list[TimeWords]:
    """The temporal expressions in ``text[lo:hi]``, with their offsets in ``text``."""
    out: list[TimeWords] = []
    for m in _TIME.finditer(text, lo, len(text) if hi is None else hi):
        kind = m.lastgroup or ""
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        if not _capitalised(m, groups):
            continue
        if kind == "wd" and "wmod" not in groups and _in_a_name(text, m.end(), lo, hi):
            continue  # "the Good Friday Agreement", "the Sunday Times"
        if kind in ("mon", "yr") and groups.get("mw", groups.get("yw", "")).lower() == "since":
            continue  # "since March": a bound, not when the event happens
        out.append(TimeWords(m.span(), m.group().strip(), kind, groups))
    # a time of day beside a day ("at 3pm on Friday", "Friday at 3pm") is that day's
    out = [
        t
        for t in out
        if t.kind != "clock"
        or not any(
            o is not t
            and (0 <= o.span[0] - t.span[1] <= _BESIDE or 0 <= t.span[0] - o.span[1] <= _BESIDE)
            for o in out
        )
    ]
    # "on Friday, Feb. 10, 2023": the weekday is the day the date after it spells out
    return [
        t
        for t, after in zip(out, [*out[1:], None], strict=False)
        if not (
            t.kind == "wd"
            and after is not None
            and after.kind in ("md", "dm", "iso")
            and not text[t.span[1] : after.span[0]].strip(" ,")
        )
    ]


#: How far (characters) a day may be from a time of day to be its day.
_BESIDE = 25


#: Capitalised words after a weekday that are still the day ("Friday Morning").
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night", "noon", "midday"})
_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b")


def _in_a_name(text: str, end: int, lo: int, hi: int | None) -> bool:
    """Whether the weekday ending at ``end`` starts or is part of a longer name: with no
    "on", "last", "next" … before it, a capitalised word of the language follows it in a
    text that is not a Title Case headline ("to commemorate the Good Friday Agreement";
    not "Sunak Friday In Belfast" in a headline that capitalises every word, nor "on
    Friday Biden met Sunak")."""
    m = _NEXT_WORD.match(text, end)
    if m is None or m.group(1).lower() in _DAY_PARTS or m.group(1).lower() in _MONTHS:
        return False
    # a name starts after "the" or another capitalised word ("the Sunday Times", "Good
    # Friday Agreement"), not after a verb ("Biden said Friday China must stop")
    words = text[max(0, end - 64) : end].split()  # the weekday and the word before it
    if len(words) < 2 or not (words[-2] == "the" or words[-2][:1].isupper()):
        return False
    from spacy.lang.en.stop_words import STOP_WORDS  # the parser's own list, loaded late

    if m.group(1).lower() in STOP_WORDS:
        return False
    return not is_title_case(text[lo : len(text) if hi is None else hi], strict=True)


def _capitalised(m: re.Match[str], groups: dict[str, str]) -> bool:
    """Month and weekday names count only capitalised ("may", "march" are verbs)."""
    for key, value in groups.items():
        if (key.startswith("month") or key == "weekday") and not value[:1].isupper():
            return False
    return True


def nearest(times: Sequence[TimeWords], anchor: Span) -> TimeWords | None:
    """The expression closest to ``anchor`` (by characters, either side)."""
    if not times:
        return None
    return min(times, key=lambda t: min(abs(t.span[0] - anchor[1]), abs(anchor[0] - t.span[1])))


def resolve(words: TimeWords, day: date, tense: Tense) -> tuple[date, date] | None:
    """The day interval a temporal expression names, seen from ``day`` with ``tense``."""
    g, kind = {k: v.lower() for k, v in words.groups.items()}, words.kind
    try:
        if kind == "iso":
            d = date(int(g["iy"]), int(g["im"]), int(g["id"]))
            return d, d
        if kind in ("md", "dm"):
            suffix = "_" + kind
            month, dnum = _MONTHS[g["month" + suffix]], int(g["day" + suffix])
            year = g.get("year" + suffix)
            return _pick_day(month, dnum, int(year) if year else None, day, tense)
        if kind in ("part", "mon", "my", "attr"):
            suffix = {"part": "_p", "mon": "_m", "my": "_y", "attr": "_a"}[kind]
            month, year = _MONTHS[g["month" + suffix]], g.get("year" + suffix)
            mod = g.get("mw", "")
            if kind == "mon" and mod in ("last", "next", "this"):
                tense = {"last": "past", "next": "future"}.get(mod, tense)  # type: ignore[assignment]
            lo, hi = _pick_month(month, int(year) if year else None, day, tense)
            return _month_part(lo, hi, g.get("pw", ""))
        if kind == "wd":
            return _weekday(_WEEKDAYS.index(g["weekday"]), g.get("wmod", ""), day, tense)
        if kind == "rel":
            return _relative(g["rmod"], g["unit"], day, tense)
        if kind in ("ago", "bare_ago"):
            return _ago(g, day)
        if kind == "since":
            return _ago({"num": g["snum"], "aunit": g["sunit"]}, day)
        if kind == "hours":
            ahead = g["hdir"] in ("before", "ahead of")
            return (day, day + timedelta(days=1)) if ahead else (day - timedelta(days=1), day)
        if kind == "apart":
            return _apart(g, day)
        if kind == "eve":
            return day, day + timedelta(days=1)
        if kind == "clock":  # the publication day, in the UTC day on either side of it
            if tense == "future":
                return day, day + timedelta(days=1)
            if tense == "past":
                return day - timedelta(days=1), day
            return day - timedelta(days=1), day + timedelta(days=1)
        if kind == "coming":
            return day, day + timedelta(days=7 if g.get("cunit") != "weeks" else 21)
        if kind == "word":
            offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(
                " ".join(g["ww"].split()), 0
            )
            d = day + timedelta(days=offset)
            return d, d
        if kind == "yr":
            y = int(g["year_yr"])
            return date(y, 1, 1), date(y, 12, 31)
        if kind == "span":  # "from 1942 to 1945": the whole stretch, so its end says how long ago
            return date(int(g["year_sf"]), 1, 1), date(int(g["year_st"]), 12, 31)
        if kind == "era":
            return _ERAS[" ".join(g["ew"].split()).replace("ww ", "ww")]
        if kind == "decade":
            y = int(g["dy"])
            return date(y, 1, 1), date(y + 9, 12, 31)
    except (KeyError, ValueError):
        return None
    return None


def _pick_day(
    month: int, dnum: int, year: int | None, day: date, tense: Tense
) -> tuple[date, date]:
    if year is not None:
        d = date(year, month, dnum)
        return d, d
    candidates = []
    for y in (day.year - 1, day.year, day.year + 1):
        try:
            candidates.append(date(y, month, dnum))
        except ValueError:
            continue
    slack = timedelta(days=1)
    if tense == "past":
        pool = [c for c in candidates if c <= day + slack] or candidates
        d = max(pool)
    elif tense == "future":
        pool = [c for c in candidates if c >= day - slack] or candidates
        d = min(pool)
    else:
        d = min(candidates, key=lambda c: abs((c - day).days))
    return d, d


def _pick_month(month: int, year: int | None, day: date, tense: Tense) -> tuple[date, date]:
    def span(y: int) -> tuple[date, date]:
        return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1])

    if year is not None:
        return span(year)
    spans = [span(y) for y in (day.year - 1, day.year, day.year + 1)]
    if tense == "past":
        return max(s for s in spans if s[0] <= day)
    if tense == "future":
        return min(s for s in spans if s[1] >= day)
    return min(
        spans,
        key=lambda s: (
            0 if s[0] <= day <= s[1] else min(abs((s[0] - day).days), abs((s[1] - day).days))
        ),
    )


def _month_part(lo: date, hi: date, part: str) -> tuple[date, date]:
    if part in ("early", "the beginning of", "beginning of", "the start of", "start of"):
        return lo, lo.replace(day=10)
    if part in ("mid", "the middle of"):
        return lo.replace(day=11), lo.replace(day=20)
    if part in ("late", "the end of", "end of"):
        return lo.replace(day=21), hi
    return lo, hi


def _weekday(target: int, mod: str, day: date, tense: Tense) -> tuple[date, date]:
    back = (day.weekday() - target) % 7  # 0..6 days ago
    ahead = (target - day.weekday()) % 7  # 0..6 days ahead
    if mod == "last":
        offset = -(back or 7)
    elif mod in ("next", "coming"):
        offset = ahead or 7
    elif tense == "past":
        # a day ahead of the UTC date is still today where the outlet is ("met on
        # Friday", published early Friday in Seoul, late Thursday in UTC)
        offset = 1 if ahead == 1 else -back
    elif tense == "future":
        offset = -1 if back == 1 else ahead  # likewise, a day behind
    else:
        offset = -back if back <= ahead else ahead
    d = day + timedelta(days=offset)
    return d, d


def _relative(mod: str, unit: str, day: date, tense: Tense) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    if unit in ("week", "weekend"):
        weeks = {"last": -1, "late last": -1, "next": 1, "early next": 1}.get(mod, 0)
        if mod == "this" and tense == "future" and day.weekday() >= 5 and unit == "week":
            weeks = 1  # "this week" said at the weekend: the coming one
        start = monday + timedelta(weeks=weeks)
        lo, hi = (
            (start + timedelta(days=5), start + timedelta(days=6))
            if unit == "weekend"
            else (start, start + timedelta(days=6))
        )
        if mod == "this" and tense == "past" and day.weekday() <= 1 and unit == "week":
            # "met this week" said on a Monday or Tuesday: the past seven days (a week
            # begun on Sunday, copy written before the weekend), not one or two days
            lo, hi = day - timedelta(days=6), day
    elif unit == "month":
        shift = {"last": -1, "late last": -1, "next": 1, "early next": 1}.get(mod, 0)
        y, m = divmod(day.year * 12 + day.month - 1 + shift, 12)
        lo = date(y, m + 1, 1)
        hi = date(y, m + 1, calendar.monthrange(y, m + 1)[1])
        if mod == "late last":
            lo = lo.replace(day=21)
    else:
        y = day.year + {"last": -1, "late last": -1, "next": 1, "early next": 1}.get(mod, 0)
        lo, hi = date(y, 1, 1), date(y, 12, 31)
    if mod == "earlier this":
        hi = day
    elif mod == "later this":
        lo = day
    return lo, hi


def _apart(g: dict[str, str], day: date) -> tuple[date, date]:
    """ "weeks before Modi visits": the event some days, weeks or months from the report.

    "before"/"ahead of" put the event after the report's day, "after" before
    it, as far as "… ago" would ("weeks": two to five weeks).
    """
    count = {"num": g["pnum"]} if g.get("pnum") else {}
    back_lo, back_hi = _ago({"aunit": g["punit"], **count}, day)
    if g["pdir"] == "after":
        return back_lo, back_hi
    return day + (day - back_hi), day + (day - back_lo)


#: Days in a unit of "… ago", and how far either side of it the count may mean.
_UNIT_DAYS = {
    "hour": 0,
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
    "decade": 3652,
    "century": 36524,
}
_UNIT_SLACK = {
    "hour": 1,
    "day": 0,
    "week": 3,
    "month": 15,
    "year": 182,
    "decade": 1826,
    "century": 18262,
}


def _ago(g: dict[str, str], day: date) -> tuple[date, date]:
    unit = g.get("aunit") or g.get("bunit") or "days"
    unit = "century" if unit.startswith("centur") else unit.rstrip("s")
    raw = g.get("num")
    n = (
        3
        if raw in (None, "a few", "few", "several", "some")
        else int(_NUMBERS.get(raw.lower(), raw))
    )
    days = _UNIT_DAYS[unit] * n
    slack = _UNIT_SLACK[unit]
    if raw is None:  # "days ago", "weeks ago": a few of them
        slack = max(slack, days // 2)
    return day - timedelta(days=days + slack), day - timedelta(days=max(0, days - slack))


__all__ = ["TimeWords", "Tense", "find", "nearest", "resolve"]
