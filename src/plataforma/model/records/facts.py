"""Impossible facts: births in the future, events that have not happened yet, ages that lie.

A record may be typed wrong in ways no format check sees: a person born in 2031, a detention
dated next week, an age of 70 beside a date of birth in 2001. Where the record cannot stand
without the fact (a detention's ``detained_at``), the record is refused naming the field;
where the fact is optional (a witness's date of birth), the record is kept and the field is
flagged, as invalid identifiers are, so that an officer sees why not to trust it.

The checks run over every field marked with a :class:`~plataforma.model.records.fields.Fact`
in every nested model (see shape.py), so a new record type is covered by using the types.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from pydantic import BaseModel

from plataforma.model.records.fields import Fact
from plataforma.model.records.shape import FieldShape, holds, shapes
from plataforma.model.values import InvalidValue, PartialDate, parse_partial_date

# Clocks of the agencies' systems drift; a time a few minutes ahead is not impossible.
CLOCK_SKEW = dt.timedelta(minutes=10)
# Dates carry no zone: a date is in the future only once it is tomorrow everywhere (UTC+14).
DATE_SKEW = dt.timedelta(hours=14)
MAX_AGE_YEARS = 120
# A stated age may be a year off (a birthday between the event and the report).
AGE_TOLERANCE = 1

IN_THE_FUTURE = "in the future"
BORN_IN_THE_FUTURE = "date of birth in the future"
BORN_TOO_LONG_AGO = "date of birth more than 120 years ago"
AGE_CONTRADICTS_BIRTH = "age does not match the date of birth"

Location = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Impossible:
    """One impossible value: where, why, and whether its model requires the field."""

    loc: Location
    problem: str
    required: bool

    @property
    def field(self) -> str:
        return "/".join(str(part) for part in self.loc)


@functools.cache
def _checked(model: type[BaseModel]) -> tuple[FieldShape, ...]:
    """The fields of ``model`` that carry a fact or lead to a model that does."""
    return tuple(
        s for s in shapes(model) if s.facts or (s.child is not None and holds(s.child, "fact"))
    )


def _bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a (possibly partial) ISO date can mean."""
    try:
        partial: PartialDate = parse_partial_date(value)
    except InvalidValue:
        return None
    first = dt.date(partial.year, partial.month or 1, partial.day or 1)
    if partial.day is not None:
        return first, first
    if partial.month is None:
        return first, dt.date(partial.year, 12, 31)
    following = dt.date(partial.year + partial.month // 12, partial.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _years_back(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _birth_problem(value: object, today: dt.date) -> str | None:
    bounds = _bounds(str(value))
    if bounds is None:
        return None
    first, last = bounds
    if first > today:
        return BORN_IN_THE_FUTURE
    if last < _years_back(today, MAX_AGE_YEARS):
        return BORN_TOO_LONG_AGO
    return None


def _age_problem(age: object, birth: object, on: dt.date) -> str | None:
    bounds = _bounds(str(birth)) if birth is not None else None
    if bounds is None or not isinstance(age, int):
        return None
    first, last = bounds
    youngest, oldest = _years_between(last, on), _years_between(first, on)
    if not youngest - AGE_TOLERANCE <= age <= oldest + AGE_TOLERANCE:
        return AGE_CONTRADICTS_BIRTH
    return None


def _past_problem(value: object, now: dt.datetime) -> str | None:
    if isinstance(value, dt.datetime):
        return IN_THE_FUTURE if value > now + CLOCK_SKEW else None
    if isinstance(value, dt.date):
        return IN_THE_FUTURE if value > (now + DATE_SKEW).date() else None
    return None


class _Walk:
    """One pass over a record, collecting every impossible value with its location."""

    def __init__(self, now: dt.datetime, reference: dt.datetime) -> None:
        self.now = now
        self.today = (now + DATE_SKEW).date()
        self.reference = reference
        self.found: list[Impossible] = []

    def model(self, node: BaseModel, loc: Location) -> None:
        checked = _checked(type(node))
        birth = next((getattr(node, s.name) for s in checked if Fact.BIRTH in s.facts), None)
        for shape in checked:
            value = getattr(node, shape.name)
            if value is None:
                continue
            items = list(enumerate(value)) if shape.many else [(None, value)]
            for index, item in items:
                where = (*loc, shape.name) if index is None else (*loc, shape.name, index)
                if isinstance(item, BaseModel):
                    self.model(item, where)
                else:
                    self.value(shape, item, birth, where)

    def value(self, shape: FieldShape, value: object, birth: object, loc: Location) -> None:
        problem: str | None = None
        if Fact.PAST in shape.facts:
            problem = _past_problem(value, self.now)
        if problem is None and Fact.BIRTH in shape.facts:
            problem = _birth_problem(value, self.today)
        if problem is None and Fact.AGE in shape.facts:
            problem = _age_problem(value, birth, self.reference.date())
        if problem is not None:
            self.found.append(Impossible(loc, problem, shape.required))


def _reference_time(record: BaseModel, now: dt.datetime) -> dt.datetime:
    """When the record's facts were stated: its required event time, else now."""
    for shape in _checked(type(record)):
        if shape.kind == "time" and shape.required and Fact.PAST in shape.facts:
            value = getattr(record, shape.name)
            if isinstance(value, dt.datetime):
                return min(value, now)
    return now


def impossible_facts(record: BaseModel, now: dt.datetime | None = None) -> list[Impossible]:
    """Every impossible value in ``record``, outermost first."""
    if not holds(type(record), "fact"):
        return []
    now = now or dt.datetime.now(dt.UTC)
    walk = _Walk(now, _reference_time(record, now))
    walk.model(record, ())
    return walk.found
