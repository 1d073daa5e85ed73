"""Seizures: drugs with quantity, unit and purity; cash; weapons; conveyances."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from plataforma.model.envelope import Flag
from plataforma.model.records.base import MatchKey, Place, RecordBody, Strict
from plataforma.model.records.fields import (
    Amount,
    EventTime,
    Percent,
    PositiveCount,
    ShortText,
    Text,
)
from plataforma.model.records.objects import FirearmFields, VehicleFields
from plataforma.model.roles import FIELD_ENTRY


class DrugUnit(StrEnum):
    MILLIGRAM = "mg"
    GRAM = "g"
    KILOGRAM = "kg"
    MILLILITRE = "ml"
    LITRE = "l"
    UNITS = "units"
    DOSES = "doses"
    PLANTS = "plants"


class SeizedDrug(Strict):
    substance: ShortText
    quantity: Amount
    unit: DrugUnit
    purity_pct: Percent | None = None


class SeizedCash(Strict):
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")
    amount: Amount


class SeizedWeapon(FirearmFields):
    quantity: PositiveCount = 1


class ConveyanceKind(StrEnum):
    VEHICLE = "vehicle"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    CONTAINER = "container"
    OTHER = "other"


class SeizedConveyance(VehicleFields):
    kind: ConveyanceKind = ConveyanceKind.VEHICLE
    registration: ShortText | None = None
    description: ShortText | None = None


class Seizure(RecordBody):
    record_type = "seizure"
    entered_by = FIELD_ENTRY

    seized_at: EventTime
    place: Place
    incident_folio: ShortText | None = None
    operation: ShortText | None = None
    drugs: list[SeizedDrug] = Field(default_factory=list)
    cash: list[SeizedCash] = Field(default_factory=list)
    weapons: list[SeizedWeapon] = Field(default_factory=list)
    conveyances: list[SeizedConveyance] = Field(default_factory=list)
    narrative: Text | None = None

    @model_validator(mode="after")
    def _something_seized(self) -> Seizure:
        if not (self.drugs or self.cash or self.weapons or self.conveyances):
            raise ValueError("a seizure needs at least one of drugs, cash, weapons, conveyances")
        return self

    def match_keys(self) -> list[MatchKey]:
        keys: list[MatchKey] = []
        for weapon in self.weapons:
            keys.extend(weapon.firearm_keys())
        for conveyance in self.conveyances:
            keys.extend(conveyance.vehicle_keys())
        return keys

    def identifier_flags(self) -> list[Flag]:
        flags: list[Flag] = []
        for i, weapon in enumerate(self.weapons):
            flags.extend(weapon.firearm_flags(f"weapons/{i}/"))
        for i, conveyance in enumerate(self.conveyances):
            flags.extend(conveyance.vehicle_flags(f"conveyances/{i}/"))
        return flags

    def jurisdiction(self) -> str | None:
        return self.place.state
