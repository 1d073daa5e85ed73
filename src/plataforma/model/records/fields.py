"""Annotated field types that normalise values as people type them.

Codes (state, municipality, crime type, sex, country, dates) are normalised or rejected with
the reason; identifiers (CURP, plate, VIN, serial, documents) are only trimmed here: they are
kept as written and judged by their value types when the record's keys and flags are built.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

from plataforma.model.codes import resolve_crime_type, resolve_municipality, resolve_state
from plataforma.model.values import parse_country, parse_partial_date, parse_sex


def drop_blanks(data: Any) -> Any:
    """An object's fields without the blank ones: an empty cell is an absent value."""
    if not isinstance(data, dict):
        return data
    # A plain loop: this runs for every object of every imported row.
    for value in data.values():
        if value.__class__ is str and not value.strip():
            break
    else:
        return data
    return {k: v for k, v in data.items() if not (v.__class__ is str and not v.strip())}


def _state(value: str) -> str:
    return resolve_state(value).code


def _crime_type(value: str) -> str:
    return resolve_crime_type(value).code


def _sex(value: str) -> str:
    return str(parse_sex(value))


def _partial_date(value: str) -> str:
    return parse_partial_date(value).iso


def _country(value: str) -> str:
    return parse_country(value)


def _split_list(value: Any) -> Any:
    """CSV cells carry repeated values separated by ``;``."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if value is None:
        return []
    return value


# Blank values are dropped once per object by ``Strict`` (see base.py), not per field: a
# Python call per field was a fifth of a bulk import's validation time.
Text = Annotated[str, Field(max_length=4000)]
ShortText = Annotated[str, Field(max_length=200)]
Identifier = Annotated[str, Field(max_length=64)]
StateCode = Annotated[str, AfterValidator(_state)]
CrimeTypeCode = Annotated[str, AfterValidator(_crime_type)]
SexCode = Annotated[str, AfterValidator(_sex)]
PartialDate = Annotated[str, AfterValidator(_partial_date)]
CountryCode = Annotated[str, AfterValidator(_country)]
TextList = Annotated[list[ShortText], BeforeValidator(_split_list)]
CrimeTypeList = Annotated[list[CrimeTypeCode], BeforeValidator(_split_list), Field(min_length=1)]
Latitude = Annotated[float, Field(ge=-90.0, le=90.0, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0, allow_inf_nan=False)]

# Every number a record holds is bounded: the store serialises content with orjson (64-bit
# integers only) into JSON/JSONB columns, and a count of 10^19 seized weapons is a typo, not
# a fact. One set of types so that every model gets the same domain.
COUNT_MAX = 1_000_000_000
AMOUNT_MAX = 1e15
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
PositiveCount = Annotated[int, Field(ge=1, le=COUNT_MAX)]
Amount = Annotated[float, Field(gt=0, le=AMOUNT_MAX, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
ModelYear = Annotated[int, Field(ge=1900, le=2100)]


class Fact(Enum):
    """What a date says about the world, so that impossible ones can be caught (facts.py).

    ``PAST``: something that happened (an event, an order issued) cannot be in the future.
    ``BIRTH``: a date of birth is neither in the future nor more than 120 years back.
    ``AGE``: a stated age agrees with the date of birth beside it.
    """

    PAST = "past"
    BIRTH = "birth"
    AGE = "age"


# Python's dates run from year 1 to 9999, PostgreSQL's further, SQLite stores text: none of
# those is a police fact. Dates and times outside 1900-2200 are typos (retention dates run a
# century ahead, so the upper bound leaves room for them); bounding them here also keeps every
# later conversion (to UTC, to a local zone) inside what datetime can represent.
FIRST_YEAR, LAST_YEAR = 1900, 2200


_D = TypeVar("_D", bound=date)
YEAR_OUT_OF_RANGE = "year outside 1900-2200"  # literal: it is a translatable message id


def in_date_range(value: _D) -> _D:
    """``value`` if its year is within the platform's dates, else ``ValueError``."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(YEAR_OUT_OF_RANGE)
    return value


Day = Annotated[date, AfterValidator(in_date_range)]
Moment = Annotated[AwareDatetime, AfterValidator(in_date_range)]
EventDay = Annotated[Day, Fact.PAST]
EventTime = Annotated[Moment, Fact.PAST]
BirthDate = Annotated[PartialDate, Fact.BIRTH]
Age = Annotated[int, Field(ge=0, le=130), Fact.AGE]


def municipality_code(value: str | None, state: str | None) -> str | None:
    """Resolve a municipality given as a 5-digit code or as a name within ``state``."""
    if value is None:
        return None
    return resolve_municipality(value, state).code
