"""Agencies own records; their level, kind and territory drive the policy's jurisdiction rule."""

from __future__ import annotations

from enum import StrEnum

from pydantic import model_validator

from plataforma.model.records.base import MatchKey, RecordBody
from plataforma.model.records.fields import ShortText, StateCode
from plataforma.model.records.fields import municipality_code as _municipality_code


class AgencyLevel(StrEnum):
    FEDERAL = "federal"
    STATE = "state"
    MUNICIPAL = "municipal"


class AgencyKind(StrEnum):
    POLICE = "police"
    PROSECUTOR = "prosecutor"
    MIGRATION = "migration"
    PRISONS = "prisons"
    INTELLIGENCE = "intelligence"
    CUSTOMS = "customs"
    VETTING_CENTRE = "vetting_centre"
    COURT = "court"
    ADMINISTRATION = "administration"


class Agency(RecordBody):
    """An agency's directory entry; its ``source_ref`` is its code (like NCIC's ORI)."""

    record_type = "agency"
    retention_years = 100

    name: ShortText
    level: AgencyLevel
    kind: AgencyKind
    state: StateCode | None = None
    municipality: ShortText | None = None
    parent: ShortText | None = None

    @model_validator(mode="after")
    def _territory(self) -> Agency:
        if self.level is not AgencyLevel.FEDERAL and not self.state:
            raise ValueError("state: required for state and municipal agencies")
        self.municipality = _municipality_code(self.municipality, self.state)
        return self

    def match_keys(self) -> list[MatchKey]:
        return [("agency_code", self.source_ref.upper())]

    def jurisdiction(self) -> str | None:
        return self.state
