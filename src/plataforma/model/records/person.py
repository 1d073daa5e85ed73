"""Person records and the person references embedded in incidents, detentions and warrants.

There are deliberately no fields for ethnicity, religion or similar protected traits: what is
not collected cannot be matched on.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from plataforma.model.envelope import Flag
from plataforma.model.records.base import MatchKey, RecordBody, Strict
from plataforma.model.records.fields import (
    Age,
    BirthDate,
    CountryCode,
    Identifier,
    SexCode,
    ShortText,
    StateCode,
    Text,
    TextList,
)
from plataforma.model.roles import COURT_ENTRY, FIELD_ENTRY
from plataforma.model.values import parse_curp, parse_document, parse_person_name, parse_phone

CURP_BIRTH_DATE_DIFFERS = "does not match the birth date in the CURP"


def _same_birth_date(from_curp: date | None, typed: str | None) -> bool:
    """Whether a (possibly partial) ISO date of birth agrees with the CURP's birth date."""
    if from_curp is None or not typed:
        return True
    return from_curp.isoformat().startswith(typed)


class IdentityDocumentEntry(Strict):
    kind: ShortText = "other"
    number: Identifier
    country: CountryCode | None = None


class Address(Strict):
    street: ShortText | None = None
    municipality: ShortText | None = None
    state: StateCode | None = None
    postal_code: str | None = Field(default=None, max_length=10)


class PhysicalDescription(Strict):
    height_cm: int | None = Field(default=None, ge=40, le=260)
    weight_kg: int | None = Field(default=None, ge=2, le=400)
    build: ShortText | None = None
    eye_colour: ShortText | None = None
    hair: ShortText | None = None
    marks: TextList = Field(default_factory=list, description="Scars, marks and tattoos")


class PersonFields(Strict):
    """Who someone is, as a clerk writes it down; shared by persons and embedded references."""

    given_names: ShortText
    first_surname: ShortText | None = None
    second_surname: ShortText | None = None
    aliases: TextList = Field(default_factory=list)
    sex: SexCode | None = None
    date_of_birth: BirthDate | None = None
    age: Age | None = Field(default=None, description="Age in years as stated at the event")
    curp: Identifier | None = None
    birth_state: StateCode | None = None
    nationality: CountryCode | None = None

    def person_keys(self) -> list[MatchKey]:
        keys: list[MatchKey] = []
        # One key serves name-only and name + date-of-birth inquiries: the date is its last
        # part, so a search by name (or by name and birth year) is a prefix range on it.
        name_key = parse_person_name(self.given_names, self.first_surname, self.second_surname).key
        keys.append(("name", f"{name_key}|{self.date_of_birth or ''}"))
        if self.curp:
            curp = parse_curp(self.curp)
            if curp.match_key:
                keys.append(("curp", curp.match_key))
        return keys

    def person_flags(self, prefix: str = "") -> list[Flag]:
        if not self.curp:
            return []
        curp = parse_curp(self.curp)
        if not curp.valid:
            return [Flag(field=f"{prefix}curp", problem=curp.problem or "invalid")]
        if not _same_birth_date(curp.birth_date, self.date_of_birth):
            # The CURP carries a check digit, the typed date does not: the date is suspect.
            return [Flag(field=f"{prefix}date_of_birth", problem=CURP_BIRTH_DATE_DIFFERS)]
        return []


class Person(RecordBody, PersonFields):
    """A person known to an agency: suspect, offender, victim or missing person."""

    record_type = "person"
    entered_by = FIELD_ENTRY | COURT_ENTRY
    retention_years = 20

    documents: list[IdentityDocumentEntry] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    phones: TextList = Field(default_factory=list)
    description: PhysicalDescription | None = None
    notes: Text | None = None

    def match_keys(self) -> list[MatchKey]:
        keys = self.person_keys()
        for doc in self.documents:
            parsed = parse_document(doc.number, doc.kind, doc.country)
            if parsed.match_key:
                keys.append(("document", parsed.match_key))
        for phone in self.phones:
            parsed_phone = parse_phone(phone)
            if parsed_phone.match_key:
                keys.append(("phone", parsed_phone.match_key))
        return keys

    def identifier_flags(self) -> list[Flag]:
        flags = self.person_flags()
        for i, doc in enumerate(self.documents):
            parsed = parse_document(doc.number, doc.kind, doc.country)
            if not parsed.valid:
                flags.append(Flag(field=f"documents/{i}/number", problem=parsed.problem or ""))
        for i, phone in enumerate(self.phones):
            parsed_phone = parse_phone(phone)
            if not parsed_phone.valid:
                flags.append(Flag(field=f"phones/{i}", problem=parsed_phone.problem or ""))
        return flags

    def jurisdiction(self) -> str | None:
        for address in self.addresses:
            if address.state:
                return address.state
        return None


class PersonRole(StrEnum):
    VICTIM = "victim"
    PROBABLE_RESPONSIBLE = "probable_responsible"
    DETAINEE = "detainee"
    WITNESS = "witness"
    COMPLAINANT = "complainant"
    OTHER = "other"


class PersonRef(PersonFields):
    """A person named inside another record; resolved to person records later."""

    role: PersonRole = PersonRole.OTHER
    person_ref: str | None = Field(default=None, description="source_ref of a person record")
