"""Calendar periods as integers, so series are arrays and a period is an index into them.

A day is days since 1970-01-01, a week (Monday to Sunday, as SESNSP and CompStat count) is
weeks since the Monday 1969-12-29, a month is months since January 1970. Working on these
integers keeps counting a million incidents one `bincount`, and a live aggregator can keep
the same index for an incident that arrives late.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = ["Period", "index_of", "period_index", "period_start", "period_starts", "season_length"]

_EPOCH = dt.date(1970, 1, 1)
# 1970-01-01 was a Thursday: adding 3 days makes Monday the first day of week 0.
_WEEK_SHIFT = 3

DayArray = npt.NDArray[np.datetime64]
IndexArray = npt.NDArray[np.int64]


class Period(StrEnum):
    """How finely a series is cut in time."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_index(days: DayArray, period: Period) -> IndexArray:
    """The period number of each local date (`datetime64[D]`)."""
    if period is Period.MONTH:
        return days.astype("datetime64[M]").astype(np.int64)
    number = days.astype("datetime64[D]").astype(np.int64)
    if period is Period.WEEK:
        return (number + _WEEK_SHIFT) // 7
    return number


def period_start(index: int, period: Period) -> dt.date:
    """The first day of period `index`: the day itself, the Monday, or the 1st of the month."""
    if period is Period.MONTH:
        return dt.date(1970 + index // 12, index % 12 + 1, 1)
    if period is Period.WEEK:
        return _EPOCH + dt.timedelta(days=index * 7 - _WEEK_SHIFT)
    return _EPOCH + dt.timedelta(days=index)


def period_starts(first: int, count: int, period: Period) -> list[dt.date]:
    """The first days of `count` consecutive periods from `first`."""
    return [period_start(first + i, period) for i in range(count)]


def index_of(day: dt.date, period: Period) -> int:
    """The period number of one date."""
    return int(period_index(np.array([day], dtype="datetime64[D]"), period)[0])


def season_length(period: Period) -> float:
    """Periods in the dominant cycle: a year of months or weeks, a week of days."""
    return {Period.MONTH: 12.0, Period.WEEK: 365.25 / 7, Period.DAY: 7.0}[period]
