"""Vehicles and firearms: the objects a patrol officer checks at a stop."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from plataforma.model.envelope import Flag
from plataforma.model.records.base import MatchKey, RecordBody, Strict
from plataforma.model.records.fields import EventTime, Identifier, ModelYear, ShortText, StateCode
from plataforma.model.records.object_keys import plate_keys, serial_keys, vin_keys
from plataforma.model.roles import FIELD_ENTRY
from plataforma.model.values import parse_firearm_serial, parse_plate, parse_vin


class VehicleStatus(StrEnum):
    """REPUVE-style theft status."""

    NO_REPORT = "sin_reporte"
    STOLEN = "robado"
    RECOVERED = "recuperado"


class VehicleFields(Strict):
    plate: Identifier | None = None
    plate_state: StateCode | None = None
    vin: Identifier | None = None
    make: ShortText | None = None
    model: ShortText | None = None
    year: ModelYear | None = None
    colour: ShortText | None = None
    vehicle_type: ShortText | None = None

    def vehicle_keys(self) -> list[MatchKey]:
        """Exact plate and VIN keys, and their confusion-tolerant keys (``object_keys``)."""
        keys: list[MatchKey] = []
        if self.plate:
            keys += plate_keys(parse_plate(self.plate, self.plate_state))
        if self.vin:
            keys += vin_keys(parse_vin(self.vin))
        return keys

    def vehicle_flags(self, prefix: str = "") -> list[Flag]:
        flags = []
        if self.plate:
            plate = parse_plate(self.plate, self.plate_state)
            if not plate.valid:
                flags.append(Flag(field=f"{prefix}plate", problem=plate.problem or ""))
        if self.vin:
            vin = parse_vin(self.vin)
            if not vin.valid:
                flags.append(Flag(field=f"{prefix}vin", problem=vin.problem or ""))
        return flags


class Vehicle(RecordBody, VehicleFields):
    record_type = "vehicle"
    entered_by = FIELD_ENTRY
    # A vehicle has no place: a naive theft time is read in the zone of its plate's state.
    time_zone_from: ClassVar[tuple[str, ...]] = ("plate_state",)

    theft_status: VehicleStatus = VehicleStatus.NO_REPORT
    reported_stolen_at: EventTime | None = None
    theft_incident_folio: ShortText | None = None
    owner_name: ShortText | None = None

    def match_keys(self) -> list[MatchKey]:
        return self.vehicle_keys()

    def identifier_flags(self) -> list[Flag]:
        return self.vehicle_flags()

    def jurisdiction(self) -> str | None:
        return self.plate_state


class FirearmStatus(StrEnum):
    REGISTERED = "registered"
    STOLEN = "stolen"
    LOST = "lost"
    SEIZED = "seized"


class FirearmFields(Strict):
    serial: Identifier | None = None
    make: ShortText | None = None
    model: ShortText | None = None
    calibre: ShortText | None = None
    firearm_type: ShortText | None = None

    def firearm_keys(self) -> list[MatchKey]:
        """The exact serial key and its skeleton (``object_keys``)."""
        if self.serial:
            return serial_keys(parse_firearm_serial(self.serial, self.make))
        return []

    def firearm_flags(self, prefix: str = "") -> list[Flag]:
        if self.serial:
            serial = parse_firearm_serial(self.serial, self.make)
            if not serial.valid:
                return [Flag(field=f"{prefix}serial", problem=serial.problem or "")]
        return []


class Firearm(RecordBody, FirearmFields):
    record_type = "firearm"
    entered_by = FIELD_ENTRY

    firearm_status: FirearmStatus = FirearmStatus.REGISTERED
    registered_to: ShortText | None = None
    registry_state: StateCode | None = None

    def match_keys(self) -> list[MatchKey]:
        return self.firearm_keys()

    def identifier_flags(self) -> list[Flag]:
        return self.firearm_flags()

    def jurisdiction(self) -> str | None:
        return self.registry_state
