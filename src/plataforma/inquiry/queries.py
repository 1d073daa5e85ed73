"""What an officer asks, checked and turned into the keys the store indexed.

Each query kind parses what was typed with the value types (``model/values``), refuses what
cannot be looked up with a :class:`InvalidQuery` naming the field (an unknown plate format,
a name without a surname, a wildcard), and says which keys to read: exact ``(kind, value)``
pairs, prefix ranges, and for names the spelling variants and CURP block of ``names``.
The keys are also what the inquiry log keeps, so a record entered later with one of them
finds this inquiry (delayed inquiry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from plataforma.inquiry.names import NameQuery
from plataforma.inquiry.objects import probes
from plataforma.model.codes import CodeError, resolve_state
from plataforma.model.records.object_keys import ObjectKey
from plataforma.model.values import (
    InvalidValue,
    curp_name_prefix,
    parse_curp,
    parse_document,
    parse_firearm_serial,
    parse_partial_date,
    parse_person_name,
    parse_plate,
    parse_vin,
    split_full_name,
)
from plataforma.records.errors import FieldError
from plataforma.records.search import InvalidQuery

__all__ = [
    "FirearmQuery",
    "InquiryKind",
    "InvalidQuery",
    "KeyPlan",
    "PersonQuery",
    "Query",
    "VehicleQuery",
]

# Wildcards and patterns are not inquiries: an officer asks about one person or object.
_WILDCARDS = re.compile(r"[*%?_\\\[\]]")
_MIN_PART = 2


class InquiryKind(StrEnum):
    PERSON = "person"
    VEHICLE = "vehicle"
    FIREARM = "firearm"


@dataclass(frozen=True, slots=True)
class KeyPlan:
    """The index reads of one inquiry.

    ``exact`` pairs are probed by equality, ``ranges`` are prefix ranges (kind, prefix),
    ``logged`` the keys kept in the inquiry log. ``name`` is set for name inquiries: the
    candidates are scored against it. ``possible`` pairs are probed by equality too, but a
    record found only through them is a possible match (a plate, VIN or serial that differs
    by confusable glyphs), judged against the read form of the identifier asked,
    ``asked[exact kind]`` (``plate``, ``vin``, ``serial``).
    """

    exact: tuple[tuple[str, str], ...]
    ranges: tuple[tuple[str, str], ...] = ()
    logged: tuple[tuple[str, str], ...] = ()
    name: NameQuery | None = None
    possible: tuple[tuple[str, str], ...] = ()
    # Set for plate inquiries with a state: found records of another state are still shown.
    plate_state: str | None = None
    asked: dict[str, str] = field(default_factory=dict)


def _bad(pointer: str, detail: str) -> InvalidQuery:
    return InvalidQuery([FieldError(pointer, detail)])


def _text(value: str | None, pointer: str, *, limit: int = 120) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise _bad(pointer, f"longer than {limit} characters")
    if _WILDCARDS.search(value):
        raise _bad(pointer, "wildcards are not accepted: type the value as written")
    return value.strip()


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """Exactly one of CURP, document number, or name (with an optional date of birth)."""

    curp: str | None = None
    name: str | None = None
    given_names: str | None = None
    first_surname: str | None = None
    second_surname: str | None = None
    date_of_birth: str | None = None
    document: str | None = None
    document_kind: str | None = None
    document_country: str | None = None

    kind = InquiryKind.PERSON

    def plan(self) -> KeyPlan:
        curp = _text(self.curp, "/curp", limit=40)
        document = _text(self.document, "/document", limit=40)
        named = any(
            _text(v, p)
            for v, p in (
                (self.name, "/name"),
                (self.given_names, "/given_names"),
                (self.first_surname, "/first_surname"),
                (self.second_surname, "/second_surname"),
            )
        )
        given = sum(1 for x in (curp, document, named) if x)
        if given != 1:
            raise _bad("/", "give exactly one of curp, document or name")
        if curp:
            parsed = parse_curp(curp)
            if parsed.match_key is None:
                raise _bad("/curp", f"not a valid CURP: {parsed.problem}")
            key = ("curp", parsed.match_key)
            return KeyPlan((key,), logged=(key,), asked={"curp": parsed.match_key})
        if document:
            return self._document_plan(document)
        return self._name_plan()

    def _document_plan(self, number: str) -> KeyPlan:
        parsed = parse_document(number, self.document_kind, self.document_country)
        if parsed.match_key is None:
            raise _bad("/document", f"not a valid document number: {parsed.problem}")
        keys = [("document", parsed.match_key)]
        if self.document_kind is None and parsed.normalized:
            # The kind was not said: a Mexican passport's key carries its country.
            keys.append(("document", f"MX:{parsed.normalized}"))
        return KeyPlan(tuple(keys), logged=tuple(keys), asked={"document": parsed.match_key})

    def _name_plan(self) -> KeyPlan:
        if self.name and (self.given_names or self.first_surname or self.second_surname):
            raise _bad("/name", "give the name in one field or in its parts, not both")
        person = (
            split_full_name(self.name)
            if self.name
            else parse_person_name(self.given_names, self.first_surname, self.second_surname)
        )
        pointer = "/name" if self.name else "/first_surname"
        given, first, second = [*person.key.split("|"), "", ""][:3]
        if len(given.replace(" ", "")) < _MIN_PART:
            raise _bad("/name" if self.name else "/given_names", "give the given name")
        if len(first.replace(" ", "")) < _MIN_PART:
            raise _bad(pointer, "give at least the first surname")
        born = ""
        if self.date_of_birth and self.date_of_birth.strip():
            try:
                born = parse_partial_date(self.date_of_birth).iso
            except InvalidValue as error:
                raise _bad("/date_of_birth", error.reason) from None
        query = NameQuery(given, first, second, born)
        exact = {query.key()}
        ranges: list[tuple[str, str]] = []
        if born and not query.full_date:
            ranges.append(("name", query.key()))  # a year or month: every fuller date
        if born:
            exact.add(query.key().rsplit("|", 1)[0] + "|")  # entered without a date
        if not second:
            # One surname typed: any second surname on record.
            ranges.append(("name", f"{given}|{first}|"))
        elif not born:
            ranges.append(("name", query.key()))
        exact |= query.variant_keys()
        if query.full_date:
            block = curp_name_prefix(given, first, second or None, date.fromisoformat(born))
            ranges.append(("curp", block))
        logged = (("name", query.key()),)
        asked = {"name": f"{given}|{first}|{second}", "date_of_birth": born}
        return KeyPlan(
            tuple(("name", k) for k in sorted(exact)),
            tuple(ranges),
            logged,
            name=query,
            asked=asked,
        )


@dataclass(frozen=True, slots=True)
class VehicleQuery:
    """A plate (with its issuing state when known) or a VIN."""

    plate: str | None = None
    state: str | None = None
    vin: str | None = None

    kind = InquiryKind.VEHICLE

    def plan(self) -> KeyPlan:
        plate = _text(self.plate, "/plate", limit=20)
        vin = _text(self.vin, "/vin", limit=30)
        if bool(plate) == bool(vin):
            raise _bad("/", "give either a plate or a VIN")
        if vin:
            return _vin_plan(vin)
        assert plate is not None
        state = None
        if self.state and self.state.strip():
            try:
                state = resolve_state(self.state.strip()).code
            except CodeError as error:
                raise _bad("/state", str(error)) from None
        parsed = parse_plate(plate, state)
        if parsed.match_key is None:
            raise _bad("/plate", f"not a plate format: {parsed.problem}")
        asked = {"plate": parsed.match_key, **({"state": state} if state else {})}
        return _object_plan(ObjectKey.PLATE, parsed.match_key, parsed.skeleton_key, asked, state)


def _object_plan(
    kind: ObjectKey,
    exact: str | None,
    skeleton: str | None,
    asked: dict[str, str],
    plate_state: str | None = None,
) -> KeyPlan:
    """The exact and possible probes of a plate, VIN or serial (``inquiry.objects``).

    The log keeps the exact key and the skeleton, so a record entered later that differs
    by a confusable glyph still reaches this inquiry (as a possible match).
    """
    one, other = probes(kind, exact, skeleton)
    logged = (*one, *other[:1])
    return KeyPlan(
        tuple(one),
        logged=logged,
        plate_state=plate_state,
        asked=asked,
        possible=tuple(other),
    )


def _vin_plan(vin: str) -> KeyPlan:
    """A VIN whose check digit fails is still looked up, for possible matches only."""
    parsed = parse_vin(vin)
    if parsed.read_as is None:
        raise _bad("/vin", f"not a valid VIN: {parsed.problem}")
    asked = {"vin": parsed.read_as}
    if parsed.problem:
        asked["vin_problem"] = parsed.problem
    return _object_plan(ObjectKey.VIN, parsed.match_key, parsed.skeleton_key, asked)


@dataclass(frozen=True, slots=True)
class FirearmQuery:
    """A firearm's serial number (the make is shown beside each hit, not matched)."""

    serial: str | None = None

    kind = InquiryKind.FIREARM

    def plan(self) -> KeyPlan:
        serial = _text(self.serial, "/serial", limit=30)
        if not serial:
            raise _bad("/serial", "give the serial number")
        parsed = parse_firearm_serial(serial)
        if parsed.match_key is None:
            raise _bad("/serial", f"not a usable serial: {parsed.problem}")
        asked = {"serial": parsed.match_key}
        return _object_plan(ObjectKey.SERIAL, parsed.match_key, parsed.skeleton_key, asked)


Query = PersonQuery | VehicleQuery | FirearmQuery
