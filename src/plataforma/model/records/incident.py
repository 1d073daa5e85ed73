"""The IPH (Informe Policial Homologado): the police report of an event, with its annexes."""

from __future__ import annotations

from pydantic import Field

from plataforma.model.envelope import Flag
from plataforma.model.records.base import MatchKey, Place, RecordBody, Strict
from plataforma.model.records.fields import Amount, CrimeTypeList, EventTime, ShortText, Text
from plataforma.model.records.objects import FirearmFields, VehicleFields
from plataforma.model.records.person import PersonRef
from plataforma.model.roles import FIELD_ENTRY
from plataforma.model.values import normalize_text


class FirstResponder(Strict):
    name: ShortText
    agency: ShortText | None = None
    unit: ShortText | None = None
    rank: ShortText | None = None
    badge: ShortText | None = None


class DetentionAnnex(Strict):
    """Annex A: a person detained at the event."""

    person: PersonRef
    detained_at: EventTime | None = None
    reason: Text | None = None


class InspectedVehicle(VehicleFields):
    """Annex: a vehicle inspected or secured at the event."""

    reason: ShortText | None = None


class InventoriedWeapon(FirearmFields):
    """Annex: inventory of weapons found."""

    found_with: ShortText | None = None


class InventoriedObject(Strict):
    description: ShortText
    quantity: Amount = 1
    unit: ShortText | None = None


class Interview(Strict):
    interviewee: PersonRef
    summary: Text


class Incident(RecordBody):
    """One IPH: who responded, what happened, where and when, and what was found."""

    record_type = "incident"
    entered_by = FIELD_ENTRY

    folio: ShortText
    first_responder: FirstResponder | None = None
    occurred_at: EventTime
    reported_at: EventTime | None = None
    place: Place
    crime_types: CrimeTypeList
    narrative: Text | None = None
    persons: list[PersonRef] = Field(default_factory=list)
    detentions: list[DetentionAnnex] = Field(default_factory=list)
    vehicles: list[InspectedVehicle] = Field(default_factory=list)
    weapons: list[InventoriedWeapon] = Field(default_factory=list)
    objects: list[InventoriedObject] = Field(default_factory=list)
    interviews: list[Interview] = Field(default_factory=list)

    def match_keys(self) -> list[MatchKey]:
        keys: list[MatchKey] = [("folio", normalize_text(self.folio))]
        for person in self.persons:
            keys.extend(person.person_keys())
        for detention in self.detentions:
            keys.extend(detention.person.person_keys())
        for vehicle in self.vehicles:
            keys.extend(vehicle.vehicle_keys())
        for weapon in self.weapons:
            keys.extend(weapon.firearm_keys())
        return keys

    def identifier_flags(self) -> list[Flag]:
        flags: list[Flag] = []
        for i, person in enumerate(self.persons):
            flags.extend(person.person_flags(f"persons/{i}/"))
        for i, detention in enumerate(self.detentions):
            flags.extend(detention.person.person_flags(f"detentions/{i}/person/"))
        for i, vehicle in enumerate(self.vehicles):
            flags.extend(vehicle.vehicle_flags(f"vehicles/{i}/"))
        for i, weapon in enumerate(self.weapons):
            flags.extend(weapon.firearm_flags(f"weapons/{i}/"))
        return flags

    def jurisdiction(self) -> str | None:
        return self.place.state
