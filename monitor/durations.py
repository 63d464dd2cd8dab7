"""Human durations (``90s``, ``5m``, ``12h``, ``7d``, ``2w``) for intervals and windows."""

from __future__ import annotations

import math
import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
#: The longest duration anything here means: a century. Longer ones are typing
#: mistakes, and "now - 99999999d" is before year 1 (an OverflowError, not an answer).
MAX_DURATION = timedelta(days=36525)
_SECONDS = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_WHOLE = re.compile(r"^(?:\s*\d+(?:\.\d+)?\s*[smhdw])+\s*$")


def parse_duration(text: str | int | float) -> timedelta:
    """Parse ``"1h30m"``-style text (or a number of seconds, as a number or as plain
    digits: ``"90"``); ``ValueError`` says why, also for one longer than
    :data:`MAX_DURATION`."""
    if isinstance(text, bool):
        raise ValueError("expected a duration like '10m', not a boolean")
    if isinstance(text, int | float) or _SECONDS.match(text):
        seconds = float(text)
    else:
        value = text.strip().lower()
        if not _WHOLE.match(value):
            raise ValueError(
                f"bad duration {text!r}: use a number and a unit s/m/h/d/w, e.g. '10m'"
            )
        seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(value))
    if seconds < 0:
        raise ValueError(f"duration {text!r} must not be negative")
    if not math.isfinite(seconds) or seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"duration {text!r} is longer than a century ({MAX_DURATION.days}d)")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest exact spelling: ``timedelta(days=7)`` → ``"7d"``."""
    seconds = int(delta.total_seconds())
    for unit in ("w", "d", "h", "m"):
        if seconds % _UNITS[unit] == 0 and seconds >= _UNITS[unit]:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"
