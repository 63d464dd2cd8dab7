"""Digest schedules: when a rule's batched alerts are sent.

A watchlist's ``digest: {every: 1d, at: "08:00", timezone: Asia/Tokyo}``
sends its alerts together at 08:00 Tokyo time each day. ``every`` must
divide a day (``1h``, ``6h``, ``12h``, ``1d``): the digests of a day are
``at``, ``at + every``, … in wall-clock time of ``timezone``, so "08:00
Tokyo" stays 08:00 on the clocks there across daylight-saving changes, and a
digest's time is a pure function of the schedule and the alert's time —
which is what lets the outbox decide it from the log alone. A schedule that
does not divide a day (a weekly digest) has no such fixed daily pattern and
is refused at load.

An alert belongs to the first digest strictly after the time it was raised.
Kept at the bottom of the layers: the watchlist loader validates schedules
with it, the rule engine records them in the alert, the outbox times digests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.durations import format_duration, parse_duration

__all__ = ["DigestSchedule"]

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """Send at ``at`` and every ``every`` after it, each day, on the clocks of ``timezone``."""

    every: timedelta = _DAY
    at: time = time(0, 0)
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        if self.every < timedelta(minutes=1) or _DAY % self.every:
            raise ValueError(
                f"every: {format_duration(self.every)} does not divide a day "
                "(use e.g. 1h, 6h, 12h or 1d)"
            )

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"timezone: unknown time zone {self.timezone!r} (an IANA name like Asia/Tokyo)"
            ) from exc

    @classmethod
    def parse(cls, value: Mapping[str, Any], *, check_zone: bool = True) -> DigestSchedule:
        """From a watchlist's or a payload's mapping; ValueError names the bad key.

        A stored alert's schedule is read with ``check_zone=False``: a zone
        this host's tzdata lacks must not make the alert unreadable, only
        its digest time (the outbox then sends it at once).
        """
        unknown = sorted(set(value) - {"every", "at", "timezone"})
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown key (allowed: every, at, timezone)")
        try:
            every = parse_duration(value.get("every", "1d"))
        except ValueError as exc:
            raise ValueError(f"every: {exc}") from exc
        at_text = str(value.get("at", "00:00"))
        try:
            at = time.fromisoformat(at_text)
        except ValueError:
            raise ValueError(f"at: {at_text!r} is not a time of day like '08:00'") from None
        if at.tzinfo is not None:
            raise ValueError(f"at: {at_text!r}: give the zone as 'timezone', not in the time")
        if at.microsecond:
            raise ValueError(f"at: {at_text!r}: whole seconds at most, like '08:00:30'")
        schedule = cls(every, at, str(value.get("timezone", "UTC")))
        if check_zone:
            _ = schedule.zone  # raises for an unknown time zone
        return schedule

    def to_payload(self) -> dict[str, str]:
        return {
            "every": format_duration(self.every),
            "at": self.at.isoformat(timespec="minutes" if not self.at.second else "seconds"),
            "timezone": self.timezone,
        }

    def next_after(self, moment: datetime) -> datetime:
        """The first digest time strictly after ``moment`` (aware), in UTC."""
        zone = self.zone
        local_day = moment.astimezone(zone).date()
        for offset in (-1, 0, 1, 2):
            start = datetime.combine(local_day + timedelta(days=offset), self.at, zone)
            steps = _DAY // self.every
            for k in range(steps):
                # wall-clock arithmetic: an aware datetime plus a timedelta keeps its zone
                slot = (start + k * self.every).astimezone(UTC)
                if slot > moment:
                    return slot
        raise AssertionError("a digest time within three days always exists")  # pragma: no cover

    def describe(self) -> str:
        """``every 1d at 08:00 Asia/Tokyo``, for listings."""
        p = self.to_payload()
        return f"every {p['every']} at {p['at']} {p['timezone']}"
