"""Dates and times as they appear in police reports.

Reports give "14/02/1990" (the IPH format), ISO dates from systems, or only a year for a
person whose exact birth date is unknown. A partial date is kept partial rather than padded
to January 1st, which would invent a birthday and create false matches. Times without an
offset are only meaningful together with the place they were recorded in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .base import InvalidValue

__all__ = ["PartialDate", "parse_datetime", "parse_partial_date"]

_YMD = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})(?:[-/]([0-9]{1,2}))?")
_DMY = re.compile(r"([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{4})")
_YEAR = re.compile(r"[0-9]{4}")
_DMY_TIME = re.compile(
    r"([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{4})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?"
)
_MIN_YEAR, _MAX_YEAR = 1900, 2100


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month, or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> dt.date | None:
        """The full date, or `None` when only the year or month is known."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso


def _checked(year: int, month: int | None, day: int | None, raw: str) -> PartialDate:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise InvalidValue(f"year out of range {_MIN_YEAR}-{_MAX_YEAR}: {raw!r}")
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue(f"impossible month {month:02d}/{year}")
    if month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise InvalidValue(f"impossible date {day:02d}/{month:02d}/{year}") from None
    return PartialDate(year, month, day)


def parse_partial_date(raw: str) -> PartialDate:
    """Parse "YYYY-MM-DD", "DD/MM/YYYY" (or "D-M-YYYY"), "YYYY-MM" or "YYYY".

    Raises `InvalidValue` for anything else, impossible dates and years outside 1900–2100.
    """
    text = raw.strip()
    if m := _YMD.fullmatch(text):
        day = int(m.group(3)) if m.group(3) else None
        return _checked(int(m.group(1)), int(m.group(2)), day, raw)
    if m := _DMY.fullmatch(text):
        return _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)), raw)
    if _YEAR.fullmatch(text):
        return _checked(int(text), None, None, raw)
    raise InvalidValue(f"not a date: {raw!r}")


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(f"unknown time zone {tz!r}") from None


def parse_datetime(raw: str, tz: str | None) -> dt.datetime:
    """Parse an ISO 8601 date-time or "DD/MM/YYYY HH:MM[:SS]" into an aware datetime.

    A time written with an offset keeps it. A naive time is read as wall-clock time in the
    IANA zone `tz` (e.g. "America/Mexico_City"); without `tz` it is rejected, because guessing
    the zone would silently shift events by hours across Mexico's four time zones.
    """
    text = raw.strip()
    if m := _DMY_TIME.fullmatch(text):
        day, month, year, hour, minute = (int(g) for g in m.groups()[:5])
        try:
            value = dt.datetime(year, month, day, hour, minute, int(m.group(6) or 0))
        except ValueError:
            raise InvalidValue(f"impossible date-time {raw!r}") from None
    elif ":" in text:  # a bare date is not a moment
        try:
            value = dt.datetime.fromisoformat(text)
        except (ValueError, OverflowError):
            raise InvalidValue(f"not a date-time: {raw!r}") from None
    else:
        raise InvalidValue(f"not a date-time: {raw!r}")
    if value.tzinfo is not None:
        return value
    if tz is None:
        raise InvalidValue("time has no offset and no place")
    return value.replace(tzinfo=_zone(tz))
