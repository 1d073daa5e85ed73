"""What a subscription is on, as typed, and the keys it matches in the store's normal forms.

Each kind of target is its own model (one schema per kind in the OpenAPI), and each turns
what the user typed into the ``(kind, value)`` pairs the records were indexed with, through
the same value types: a subscription to plate "abc-123-d" matches a record entered as
"ABC123D". Kinds beyond ``record_keys``': ``name*`` (a name prefix, from a saved name
search), ``record`` (one record's id), ``area`` (``state|municipality|crime_type``, ``*``
for any).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from plataforma.errors import FieldError, InvalidRecord
from plataforma.model.codes import CodeError
from plataforma.model.codes.crime_types import resolve_crime_type
from plataforma.model.codes.states import resolve_state
from plataforma.model.records.fields import municipality_code
from plataforma.model.records.object_keys import skeleton_candidates
from plataforma.model.values import (
    InvalidValue,
    parse_curp,
    parse_firearm_serial,
    parse_partial_date,
    parse_plate,
    parse_vin,
    split_full_name,
)
from plataforma.records.search import InvalidQuery, SearchKind, search_key
from plataforma.security.policy import Purpose

Key = tuple[str, str]
NAME_PREFIX = "name*"
RECORD = "record"
AREA = "area"
ANY = "*"


class SubscriptionKind(StrEnum):
    PERSON = "person"
    VEHICLE = "vehicle"
    FIREARM = "firearm"
    RECORD = "record"
    SEARCH = "search"
    AREA = "area"


class _Target(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: Purpose = Field(description="Why you follow this (required: a standing query)")
    desk: bool = Field(
        default=False,
        description="Notify the agency's desk (everyone of your agency) instead of only you;"
        " needs the supervisor or administrator role",
    )
    label: str | None = Field(default=None, max_length=120, description="Your own name for it")


class PersonTarget(_Target):
    kind: Literal["person"] = "person"
    curp: str | None = Field(default=None, max_length=40)
    name: str | None = Field(
        default=None, max_length=200, description="GIVEN SURNAME1 SURNAME2, with date_of_birth"
    )
    date_of_birth: str | None = Field(default=None, max_length=10)


class VehicleTarget(_Target):
    kind: Literal["vehicle"] = "vehicle"
    plate: str | None = Field(default=None, max_length=40)
    vin: str | None = Field(default=None, max_length=40)


class FirearmTarget(_Target):
    kind: Literal["firearm"] = "firearm"
    serial: str = Field(max_length=40)


class RecordTarget(_Target):
    kind: Literal["record"] = "record"
    record_id: str = Field(min_length=1, max_length=36)


class SearchTarget(_Target):
    kind: Literal["search"] = "search"
    search_kind: SearchKind
    q: str = Field(min_length=1, max_length=200)
    dob: str | None = Field(default=None, max_length=10)


class AreaTarget(_Target):
    kind: Literal["area"] = "area"
    state: str = Field(min_length=1, max_length=40, description="INEGI code or name")
    municipality: str | None = Field(default=None, max_length=80)
    crime_type: str | None = Field(default=None, max_length=80, description="SESNSP subtipo")


Target = Annotated[
    PersonTarget | VehicleTarget | FirearmTarget | RecordTarget | SearchTarget | AreaTarget,
    Field(discriminator="kind"),
]


@dataclass(frozen=True, slots=True)
class Normalised:
    """A target as stored: its keys, its normalised facts (shown back) and a label."""

    keys: list[Key]
    facts: dict[str, Any]
    label: str


def _invalid(pointer: str, detail: str) -> InvalidRecord:
    return InvalidRecord([FieldError(pointer, detail)])


def _person(target: PersonTarget) -> Normalised:
    keys: list[Key] = []
    facts: dict[str, Any] = {}
    if target.curp:
        curp = parse_curp(target.curp)
        if curp.match_key is None:
            raise _invalid("/curp", f"not a valid curp: {curp.problem}")
        keys.append(("curp", curp.match_key))
        facts["curp"] = curp.match_key
    if target.name:
        name = split_full_name(target.name)
        if not name.given_names or not name.first_surname:
            raise _invalid("/name", "give a name and at least one surname")
        born = _full_date(target.date_of_birth)
        keys.append(("name", f"{name.key}|{born}"))
        facts.update(name=name.key.replace("|", " ").strip(), date_of_birth=born)
    if not keys:
        raise _invalid("/curp", "give a CURP, or a name with its date of birth")
    return Normalised(keys, facts, " · ".join(str(v) for v in facts.values()))


def _full_date(value: str | None) -> str:
    """A person subscription by name needs a full date of birth: a name alone is too many."""
    if not value:
        raise _invalid("/date_of_birth", "required with a name (YYYY-MM-DD)")
    try:
        born = parse_partial_date(value).iso
    except InvalidValue as error:
        raise _invalid("/date_of_birth", error.reason) from None
    if len(born) != 10:
        raise _invalid("/date_of_birth", "give the full date (YYYY-MM-DD)")
    return born


def _with_skeletons(exact: list[Key]) -> list[Key]:
    """The exact keys and their skeletons: a record misread by one confusable glyph is a
    possible match, and its notice says so (``matcher``)."""
    return exact + skeleton_candidates(exact)


def _vehicle(target: VehicleTarget) -> Normalised:
    keys: list[Key] = []
    if target.plate:
        plate = parse_plate(target.plate)
        if plate.match_key is None:
            raise _invalid("/plate", f"not a valid plate: {plate.problem}")
        keys.append(("plate", plate.match_key))
    if target.vin:
        vin = parse_vin(target.vin)
        if vin.match_key is None:
            raise _invalid("/vin", f"not a valid vin: {vin.problem}")
        keys.append(("vin", vin.match_key))
    if not keys:
        raise _invalid("/plate", "give a plate or a VIN")
    return Normalised(_with_skeletons(keys), dict(keys), " · ".join(v for _, v in keys))


def _firearm(target: FirearmTarget) -> Normalised:
    serial = parse_firearm_serial(target.serial)
    if serial.match_key is None:
        raise _invalid("/serial", f"not a valid serial: {serial.problem}")
    exact = [("serial", serial.match_key)]
    return Normalised(_with_skeletons(exact), {"serial": serial.match_key}, serial.match_key)


def _search(target: SearchTarget) -> Normalised:
    try:
        key = search_key(target.search_kind, target.q, target.dob)
    except InvalidQuery as error:
        # The search's own pointers (/q, /dob) are this body's fields too.
        raise InvalidRecord(error.errors) from None
    kind = NAME_PREFIX if key.prefix else key.kind
    facts = {"search_kind": str(target.search_kind), "key": key.value}
    return Normalised([(kind, key.value)], facts, f"{target.search_kind}: {target.q.strip()}")


def _area(target: AreaTarget) -> Normalised:
    try:
        state = resolve_state(target.state).code
    except CodeError as error:
        raise _invalid("/state", str(error)) from None
    try:
        municipality = municipality_code(target.municipality, state)
    except (CodeError, ValueError) as error:
        raise _invalid("/municipality", str(error)) from None
    try:
        crime = resolve_crime_type(target.crime_type).code if target.crime_type else None
    except CodeError as error:
        raise _invalid("/crime_type", str(error)) from None
    value = area_value(state, municipality or ANY, crime or ANY)
    facts = {"state": state, "municipality": municipality, "crime_type": crime}
    return Normalised([(AREA, value)], facts, value.replace("|", " · "))


def area_value(state: str, municipality: str, crime_type: str) -> str:
    return f"{state}|{municipality}|{crime_type}"


def normalise(target: Target) -> Normalised:
    """The keys and facts of ``target``; :class:`InvalidRecord` naming the bad field."""
    if isinstance(target, PersonTarget):
        return _person(target)
    if isinstance(target, VehicleTarget):
        return _vehicle(target)
    if isinstance(target, FirearmTarget):
        return _firearm(target)
    if isinstance(target, SearchTarget):
        return _search(target)
    if isinstance(target, AreaTarget):
        return _area(target)
    return Normalised([(RECORD, target.record_id)], {"record_id": target.record_id}, "")
