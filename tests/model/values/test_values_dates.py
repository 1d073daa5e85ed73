import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import InvalidValue, PartialDate, parse_datetime, parse_partial_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("1990-05-01", "1990-05-01"),
        ("01/05/1990", "1990-05-01"),
        ("1/5/1990", "1990-05-01"),
        ("01-05-1990", "1990-05-01"),
        ("1990-05", "1990-05"),
        ("1990", "1990"),
        (" 2000-02-29 ", "2000-02-29"),
    ],
)
def test_accepted_formats(raw: str, iso: str) -> None:
    assert parse_partial_date(raw).iso == iso


def test_partial_dates_are_not_padded() -> None:
    year_only = parse_partial_date("1990")
    assert year_only == PartialDate(1990)
    assert year_only.as_date() is None
    assert parse_partial_date("14/02/1990").as_date() == dt.date(1990, 2, 14)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/02/1990", "impossible date 31/02/1990"),
        ("1990-13", "impossible month 13/1990"),
        ("1899", "year out of range 1900-2100: '1899'"),
        ("ayer", "not a date: 'ayer'"),
        ("05/1990", "not a date: '05/1990'"),
    ],
)
def test_rejected_dates(raw: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_partial_date(raw)
    assert caught.value.reason == reason


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.integers(1, 3))
def test_partial_dates_round_trip(day: dt.date, precision: int) -> None:
    date = PartialDate(
        day.year, day.month if precision > 1 else None, day.day if precision > 2 else None
    )
    assert parse_partial_date(date.iso) == date
    if precision == 3:
        assert parse_partial_date(f"{day.day}/{day.month}/{day.year}").as_date() == day


@given(st.text())
def test_junk_raises_only_invalid_value(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        parse_partial_date(text)


def test_datetime_with_offset_keeps_it() -> None:
    value = parse_datetime("2024-01-05T10:00:00Z", None)
    assert value == dt.datetime(2024, 1, 5, 10, tzinfo=dt.UTC)


def test_naive_datetime_is_read_in_the_place_given() -> None:
    value = parse_datetime("05/01/2024 10:30", "America/Mexico_City")
    assert value.utcoffset() == dt.timedelta(hours=-6)
    assert value.hour == 10
    assert parse_datetime("2024-01-05 10:00:00", "America/Tijuana").utcoffset() == dt.timedelta(
        hours=-8
    )


@pytest.mark.parametrize(
    ("raw", "tz", "reason"),
    [
        ("05/01/2024 10:30", None, "time has no offset and no place"),
        ("2024-01-05", "America/Mexico_City", "not a date-time: '2024-01-05'"),
        ("31/02/2024 10:30", "America/Mexico_City", "impossible date-time '31/02/2024 10:30'"),
        ("05/01/2024 10:30", "Mars/Base", "unknown time zone 'Mars/Base'"),
    ],
)
def test_rejected_datetimes(raw: str, tz: str | None, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_datetime(raw, tz)
    assert caught.value.reason == reason


@given(st.text(), st.sampled_from([None, "America/Mexico_City", "", "../etc"]))
def test_datetime_junk_raises_only_invalid_value(text: str, tz: str | None) -> None:
    with contextlib.suppress(InvalidValue):
        parse_datetime(text, tz)
