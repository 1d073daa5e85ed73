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
from plataforma.model.records.shape import holds, shapes
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


@dataclass(frozen=True, slots=True)
class _Step:
    """One field to look at: its checks, or the plan of the model it holds."""

    name: str
    past: bool
    birth: bool
    age: bool
    required: bool
    many: bool
    child: _Plan | None


@dataclass(frozen=True, slots=True)
class _Plan:
    steps: tuple[_Step, ...]
    birth: str | None  # the date of birth an age in the same model is compared with


@functools.cache
def _plan(model: type[BaseModel], required_only: bool) -> _Plan:
    """The fields of ``model`` that carry a fact (a required one, with ``required_only``) or
    lead to a model that does, compiled once per model: this runs for every imported row."""
    wanted = "required fact" if required_only else "fact"
    steps = []
    for s in shapes(model):
        if s.child is not None and holds(s.child, wanted):
            child: _Plan | None = _plan(s.child, required_only)
        elif s.facts and (s.required or not required_only):
            child = None
        else:
            continue
        steps.append(
            _Step(
                s.name,
                Fact.PAST in s.facts,
                Fact.BIRTH in s.facts,
                Fact.AGE in s.facts,
                s.required,
                s.many,
                child,
            )
        )
    birth = next((s.name for s in shapes(model) if Fact.BIRTH in s.facts), None)
    return _Plan(tuple(steps), birth)


# Dates of birth repeat heavily in bulk loads; the result is immutable.
@functools.lru_cache(maxsize=1 << 14)
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
    if last < _oldest_birth(today):
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


@functools.lru_cache(maxsize=4)
def _oldest_birth(today: dt.date) -> dt.date:
    return _years_back(today, MAX_AGE_YEARS)


class _Walk:
    """One pass over a record, collecting every impossible value with its location."""

    __slots__ = ("found", "now", "record", "reference", "today")

    def __init__(self, record: BaseModel, now: dt.datetime) -> None:
        self.record = record
        self.now = now
        self.today = (now + DATE_SKEW).date()
        self.reference: dt.date | None = None
        self.found: list[Impossible] = []

    def model(self, node: BaseModel, plan: _Plan, loc: Location) -> None:
        birth = getattr(node, plan.birth) if plan.birth else None
        for step in plan.steps:
            value = getattr(node, step.name)
            if value is None:
                continue
            if step.child is not None:
                if step.many:
                    for index, item in enumerate(value):
                        self.model(item, step.child, (*loc, step.name, index))
                else:
                    self.model(value, step.child, (*loc, step.name))
            elif step.many:
                for index, item in enumerate(value):
                    self.value(step, item, birth, (*loc, step.name, index))
            else:
                self.value(step, value, birth, (*loc, step.name))

    def value(self, step: _Step, value: object, birth: object, loc: Location) -> None:
        problem: str | None = None
        if step.past:
            problem = _past_problem(value, self.now)
        if problem is None and step.birth:
            problem = _birth_problem(value, self.today)
        if problem is None and step.age:
            problem = _age_problem(value, birth, self.reference_day())
        if problem is not None:
            self.found.append(Impossible(loc, problem, step.required))

    def reference_day(self) -> dt.date:
        """When the record's facts were stated: its required event time, else today."""
        if self.reference is None:
            self.reference = self.now.date()
            for step in _plan(type(self.record), True).steps:
                value = getattr(self.record, step.name)
                if step.past and step.required and isinstance(value, dt.datetime):
                    self.reference = min(value, self.now).date()
                    break
        return self.reference


def impossible_facts(
    record: BaseModel, now: dt.datetime | None = None, required_only: bool = False
) -> list[Impossible]:
    """Every impossible value in ``record`` (only in required fields, with ``required_only``),
    outermost first."""
    plan = _plan(type(record), required_only)
    if not plan.steps:
        return []
    walk = _Walk(record, now or dt.datetime.now(dt.UTC))
    walk.model(record, plan, ())
    return walk.found
