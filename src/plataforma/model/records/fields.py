"""Annotated field types that normalise values as people type them.

Codes (state, municipality, crime type, sex, country, dates) are normalised or rejected with
the reason; identifiers (CURP, plate, VIN, serial, documents) are only trimmed here: they are
kept as written and judged by their value types when the record's keys and flags are built.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

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
Latitude = Annotated[float, Field(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0)]
Timestamp = datetime


def municipality_code(value: str | None, state: str | None) -> str | None:
    """Resolve a municipality given as a 5-digit code or as a name within ``state``."""
    if value is None:
        return None
    return resolve_municipality(value, state).code
