"""Impossible facts in every date field of every record type: refused where required, flagged
where the record stands without them; and dates outside 1900-2200 refused everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_examples import (
    EVENT_DAY,
    EXAMPLES,
    all_fields,
    container,
    payload,
    pointer,
    reaches,
)

from plataforma.model.records import RECORD_TYPES
from plataforma.model.values import make_curp
from plataforma.records.errors import InvalidRecord
from plataforma.records.service import validate

# Dates that are meant to lie ahead; every other date or time is something that happened.
FUTURE_ALLOWED = {"valid_until", "purge_after", "expires_at"}
DATES = all_fields({"time", "day", "birth"})
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _id(case: tuple[str, Any, str, bool]) -> str:
    return f"{case[0]}:{pointer(case[1])}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _outcome(record_type: str, data: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(pointers refused, fields flagged) for ``data``."""
    try:
        body = validate(record_type, data)
    except InvalidRecord as error:
        return {e.pointer for e in error.errors}, set()
    return set(), {flag.field for flag in body.flags()}


def _set(record_type: str, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = payload(record_type)
    container(data, path)[str(path[-1])] = value
    return data


def test_every_record_type_has_an_example_reaching_every_date() -> None:
    assert set(EXAMPLES) == set(RECORD_TYPES), "add an example for the new record type"
    for record_type, path, _, _ in all_fields({"time", "day", "birth", "age", "number"}):
        assert reaches(payload(record_type), path), (record_type, path)
    for record_type in RECORD_TYPES:
        assert _outcome(record_type, payload(record_type)) == (set(), set()), record_type


def test_a_person_born_in_2031_is_flagged_not_silently_accepted() -> None:
    refused, flagged = _outcome("person", {**payload("person"), "date_of_birth": "2031-01-01"})
    assert not refused and "date_of_birth" in flagged


def test_a_detention_next_week_is_refused_naming_the_field() -> None:
    next_week = (_now() + dt.timedelta(days=7)).isoformat()
    refused, _ = _outcome("detention", {**payload("detention"), "detained_at": next_week})
    assert refused == {"/detained_at"}


CASES = [case for case in DATES if case[1][-1] not in FUTURE_ALLOWED]


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
@FAST
@given(ahead=st.integers(min_value=11, max_value=60 * 24 * 365 * 50))
def test_future_facts_are_refused_when_required_and_flagged_otherwise(
    case: tuple[str, tuple[str | int, ...], str, bool], ahead: int
) -> None:
    record_type, path, kind, required = case
    moment = _now() + dt.timedelta(minutes=ahead)
    # A date is in the future once it is tomorrow everywhere: at least two days ahead.
    day = (_now() + dt.timedelta(days=2 + ahead // (60 * 24))).date()
    value = {"time": moment.isoformat(), "day": day.isoformat(), "birth": day.isoformat()}[kind]
    refused, flagged = _outcome(record_type, _set(record_type, path, value))
    if required:
        assert refused == {pointer(path)}
    else:
        assert not refused and "/".join(map(str, path)) in flagged


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
@FAST
@given(back=st.integers(min_value=0, max_value=60 * 24 * 365 * 100))
def test_past_facts_within_reach_are_accepted_without_a_flag(
    case: tuple[str, tuple[str | int, ...], str, bool], back: int
) -> None:
    record_type, path, kind, _ = case
    moment = _now() - dt.timedelta(minutes=back) + dt.timedelta(minutes=5)  # clock skew
    day = moment.date() - dt.timedelta(days=1)
    value = {"time": moment.isoformat(), "day": day.isoformat(), "birth": day.isoformat()}[kind]
    refused, flagged = _outcome(record_type, _set(record_type, path, value))
    assert not refused
    assert "/".join(map(str, path)) not in flagged


BIRTHS = [case for case in DATES if case[2] == "birth"]


@pytest.mark.parametrize("case", BIRTHS, ids=[_id(c) for c in BIRTHS])
@FAST
@given(years=st.integers(min_value=121, max_value=126), partial=st.sampled_from([4, 7, 10]))
def test_births_more_than_120_years_back_are_flagged(
    case: tuple[str, tuple[str | int, ...], str, bool], years: int, partial: int
) -> None:
    record_type, path, _, _ = case
    born = _now().date().replace(year=_now().year - years, day=1)
    value = born.isoformat()[:partial]  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    refused, flagged = _outcome(record_type, _set(record_type, path, value))
    assert not refused and "/".join(map(str, path)) in flagged


@pytest.mark.parametrize("case", DATES, ids=[_id(c) for c in DATES])
@FAST
@given(year=st.one_of(st.integers(1, 1899), st.integers(2201, 9999)))
def test_dates_outside_1900_2200_are_refused_naming_the_field(
    case: tuple[str, tuple[str | int, ...], str, bool], year: int
) -> None:
    record_type, path, kind, _ = case
    value = {"time": f"{year:04d}-06-15T10:00:00-06:00", "day": f"{year:04d}-06-15"}
    refused, _ = _outcome(record_type, _set(record_type, path, value.get(kind, f"{year:04d}")))
    assert pointer(path) in refused


AGES = all_fields({"age"})


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.mark.parametrize("case", AGES, ids=[_id(c) for c in AGES])
@FAST
@given(age=st.integers(min_value=0, max_value=130))
def test_an_age_that_contradicts_the_date_of_birth_is_flagged(
    case: tuple[str, tuple[str | int, ...], str, bool], age: int
) -> None:
    record_type, path, _, _ = case
    data = _set(record_type, path, age)
    born = dt.date.fromisoformat(container(data, path)["date_of_birth"])
    true_age = _age(born, EVENT_DAY.get(record_type) or _now().date())
    refused, flagged = _outcome(record_type, data)
    assert not refused
    contradicts = abs(age - true_age) > 1  # a year's tolerance: a birthday in between
    assert ("/".join(map(str, path)) in flagged) == contradicts


def test_a_curp_whose_birth_date_differs_from_date_of_birth_flags_the_date() -> None:
    curp = make_curp("Rosa", "Mendoza", None, dt.date(1990, 6, 15), "M", "JC", 4)
    agreeing = {**payload("person"), "curp": curp}
    assert _outcome("person", agreeing) == (set(), set())
    assert _outcome("person", {**agreeing, "date_of_birth": "1990"}) == (set(), set())
    swapped = {**agreeing, "date_of_birth": "1990-15-06"}  # day and month swapped: invalid
    assert _outcome("person", swapped)[0] == {"/date_of_birth"}
    differs = {**agreeing, "date_of_birth": "1990-06-16"}
    assert _outcome("person", differs) == (set(), {"date_of_birth"})
    nested = payload("incident")
    nested["persons"][0] |= {"curp": curp, "date_of_birth": "1991"}
    assert "persons/0/date_of_birth" in _outcome("incident", nested)[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(skew=st.integers(min_value=0, max_value=9))
def test_clock_skew_of_a_few_minutes_is_not_the_future(skew: int) -> None:
    ahead = (_now() + dt.timedelta(minutes=skew)).isoformat()
    refused, flagged = _outcome("incident", {**payload("incident"), "reported_at": ahead})
    assert not refused and "reported_at" not in flagged
    refused, _ = _outcome("incident", {**payload("incident"), "occurred_at": ahead})
    assert not refused
