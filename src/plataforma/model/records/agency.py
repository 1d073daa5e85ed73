"""Agencies own records; their level, kind and territory drive the policy's jurisdiction rule."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

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
    # The 24/7 contact point (NCIC's around-the-clock terminal): where hit confirmation
    # requests and agency messages go, shown to the inquiring agency so it can also call.
    # Flat fields, so the directory stays one CSV row per agency. Optional in the schema so
    # directories entered before it existed still load; the synthetic directory and the
    # admin commands record one for every agency, and pages say when one is missing.
    contact_desk: ShortText | None = Field(default=None, description="24/7 desk's name")
    contact_phone: str | None = Field(default=None, max_length=40, description="24/7 phone")
    contact_email: str | None = Field(default=None, max_length=200, description="24/7 email")
    contact_radio: str | None = Field(default=None, max_length=80, description="Radio channel")

    @model_validator(mode="after")
    def _territory(self) -> Agency:
        if self.level is not AgencyLevel.FEDERAL and not self.state:
            raise ValueError("state: required for state and municipal agencies")
        self.municipality = _municipality_code(self.municipality, self.state)
        return self

    @model_validator(mode="after")
    def _reachable(self) -> Agency:
        """A contact point names at least its desk and a phone that is answered."""
        given = (self.contact_desk, self.contact_phone, self.contact_email, self.contact_radio)
        if not any(given):
            return self
        missing = [
            InitErrorDetails(
                type=PydanticCustomError("missing", "required with a 24/7 contact point"),
                loc=(name,),
                input=None,
            )
            for name in ("contact_desk", "contact_phone")
            if not getattr(self, name)
        ]
        if missing:
            raise ValidationError.from_exception_data(type(self).__name__, missing)
        return self

    def match_keys(self) -> list[MatchKey]:
        return [("agency_code", self.source_ref.upper())]

    def jurisdiction(self) -> str | None:
        return self.state
