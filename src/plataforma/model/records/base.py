"""What every submitted record has in common, and the hooks the store calls on each type.

A record type is a pydantic model deriving from :class:`RecordBody`. The store never looks
inside the content: it asks the body for its match keys (what inquiries look up), its
jurisdiction (what the policy checks) and its flags (identifiers kept as written but invalid).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from plataforma.model.codes import resolve_state
from plataforma.model.envelope import Flag, Marking, RecordStatus, RestrictedFile
from plataforma.model.records.fields import (
    Latitude,
    Longitude,
    ShortText,
    StateCode,
    drop_blanks,
)
from plataforma.model.records.fields import municipality_code as _municipality_code
from plataforma.model.values import parse_datetime

ENVELOPE_FIELDS = frozenset(
    {"source_ref", "agency", "marking", "restricted_file", "valid_until", "purge_after", "status"}
)

MatchKey = tuple[str, str]
_ENVELOPE_SET = set(ENVELOPE_FIELDS)


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a column name must not silently drop data.

    Blank strings are absent values (an empty CSV cell), so a required field left blank is
    reported as missing rather than stored empty.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blanks_are_absent(cls, data: Any) -> Any:
        return drop_blanks(data)


class RecordBody(Strict):
    """Envelope fields a submitter may set, shared by every record type."""

    record_type: ClassVar[str]
    retention_years: ClassVar[int] = 10

    source_ref: str = Field(min_length=1, max_length=128, description="The agency's own id")
    agency: str | None = Field(default=None, max_length=32, description="Owner; default: caller")
    marking: Marking = Marking.SBU
    restricted_file: RestrictedFile | None = None
    status: RecordStatus = RecordStatus.ACTIVE
    valid_until: date | None = None
    purge_after: date | None = None

    def content(self) -> dict[str, Any]:
        """The record's own fields, without the envelope, as JSON-ready data."""
        # The serializer itself: model_dump adds Python-level argument handling per call.
        data: dict[str, Any] = self.__pydantic_serializer__.to_python(
            self, mode="json", exclude=_ENVELOPE_SET, exclude_none=True
        )
        return data

    def match_keys(self) -> list[MatchKey]:
        """(kind, value) pairs an inquiry can find this record by; valid identifiers only."""
        return []

    def flags(self) -> list[Flag]:
        """Identifiers kept as written but invalid, with the reason."""
        return []

    def jurisdiction(self) -> str | None:
        """INEGI state code the record belongs to, for the policy's jurisdiction rule."""
        return None


class Place(Strict):
    """Where something happened, with INEGI codes; a municipality may be given by name."""

    state: StateCode
    municipality: ShortText | None = None
    locality: ShortText | None = None
    street: ShortText | None = None
    postal_code: str | None = Field(default=None, max_length=10)
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    @model_validator(mode="after")
    def _resolve_municipality(self) -> Place:
        self.municipality = _municipality_code(self.municipality, self.state)
        return self


def localise_times(data: Any, fields: tuple[str, ...], place_key: str = "place") -> Any:
    """Read naive times in the zone of the record's place (IPH times are local)."""
    if not isinstance(data, dict):
        return data
    data = dict(data)  # never change the caller's payload
    place = data.get(place_key)
    zone: str | None = None
    state = place.get("state") if isinstance(place, dict) else getattr(place, "state", None)
    if state:
        try:
            zone = resolve_state(str(state)).tz
        except ValueError:
            zone = None  # the place's own validation reports the bad state
    for name in fields:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            # A value that does not parse is left for pydantic to reject with the field's name.
            with suppress(ValueError):
                data[name] = parse_datetime(value, zone)
        elif isinstance(value, datetime) and value.tzinfo is None and zone:
            data[name] = value.replace(tzinfo=ZoneInfo(zone))
    return data
