"""Periods are integers: Monday weeks, calendar months, and their first days back."""

from __future__ import annotations

import datetime as dt

import numpy as np

from plataforma.trends.periods import Period, index_of, period_index, period_start


def test_weeks_start_on_monday() -> None:
    sunday, monday = dt.date(2024, 12, 29), dt.date(2024, 12, 30)
    assert index_of(monday, Period.WEEK) == index_of(sunday, Period.WEEK) + 1
    assert period_start(index_of(sunday, Period.WEEK), Period.WEEK) == dt.date(2024, 12, 23)
    assert period_start(index_of(dt.date(2025, 1, 5), Period.WEEK), Period.WEEK) == monday


def test_months_and_days_round_trip() -> None:
    days = np.array(["2024-02-29", "1999-12-31"], dtype="datetime64[D]")
    for period in Period:
        for value, index in zip(days, period_index(days, period), strict=True):
            start = period_start(int(index), period)
            assert start <= value.item()
            assert index_of(start, period) == index
    assert period_start(index_of(dt.date(2024, 2, 29), Period.MONTH), Period.MONTH) == dt.date(
        2024, 2, 1
    )
