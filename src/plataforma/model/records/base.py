"""What every submitted record has in common, and the hooks the store calls on each type.

A record type is a pydantic model deriving from :class:`RecordBody`. The store never looks
inside the content: it asks the body for its match keys (what inquiries look up), its
jurisdiction (what the policy checks) and its flags (identifiers kept as written but invalid).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any, ClassVar, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from plataforma.model.codes import resolve_state
from plataforma.model.envelope import Flag, Marking, RecordStatus, RestrictedFile
from plataforma.model.records.facts import impossible_facts
from plataforma.model.records.fields import (
    Day,
    Latitude,
    Longitude,
    ShortText,
    StateCode,
    drop_blanks,
)
from plataforma.model.records.fields import municipality_code as _municipality_code
from plataforma.model.records.shape import holds, leading_to
from plataforma.model.roles import Role
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
    # The roles that enter records of this type; administrators enter every type. The write
    # policy reads it from the registry, so a new type names its writers here, not there.
    entered_by: ClassVar[frozenset[Role]] = frozenset()
    # Where the state whose zone reads naive times is: the place of the event by default.
    time_zone_from: ClassVar[tuple[str, ...]] = ("place", "state")

    source_ref: str = Field(min_length=1, max_length=128, description="The agency's own id")
    agency: str | None = Field(default=None, max_length=32, description="Owner; default: caller")
    marking: Marking = Marking.SBU
    restricted_file: RestrictedFile | None = None
    status: RecordStatus = RecordStatus.ACTIVE
    valid_until: Day | None = None
    purge_after: Day | None = None

    @model_validator(mode="before")
    @classmethod
    def _local_times(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not holds(cls, "time"):
            return data
        return localise_times(cls, data, _zone_of(data, cls.time_zone_from))

    @model_validator(mode="after")
    def _possible_facts(self) -> Self:
        """Refuse a record whose required facts are impossible, naming each field.

        Only the required facts are checked here (most types have none, or one at the top);
        the optional ones become flags when the store asks for them, once per write.
        """
        refused = impossible_facts(self, required_only=True)
        if refused:
            details = [
                InitErrorDetails(
                    type=PydanticCustomError("impossible_fact", found.problem),
                    loc=found.loc,
                    input=getattr(self, str(found.loc[0]), None),
                )
                for found in refused
            ]
            raise ValidationError.from_exception_data(type(self).__name__, details)
        return self

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
        """Values kept as written but not trusted: invalid identifiers, impossible facts."""
        facts = [Flag(field=f.field, problem=f.problem) for f in impossible_facts(self)]
        return [*self.identifier_flags(), *facts]

    def identifier_flags(self) -> list[Flag]:
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


def _zone_of(data: dict[str, Any], path: tuple[str, ...]) -> str | None:
    """The IANA zone of the state found at ``path`` in the raw payload, if it names one."""
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    if not node:
        return None
    try:
        return resolve_state(str(node)).tz
    except ValueError:
        return None  # the state's own validation reports the bad value


def _localised(value: Any, zone: str | None) -> Any:
    if isinstance(value, str) and value.strip():
        # A value that does not parse is left for pydantic to reject with the field's name.
        with suppress(ValueError):
            return parse_datetime(value, zone)
    elif isinstance(value, datetime) and value.tzinfo is None and zone:
        return value.replace(tzinfo=ZoneInfo(zone))
    return value


def localise_times(model: type[BaseModel], data: Any, zone: str | None) -> Any:
    """Read every naive time of ``data`` (at any depth) as wall-clock time in ``zone``.

    IPH and RND times are written in the local time of the place; the API, the importer and
    the UI's ``datetime-local`` inputs all send them without an offset, so this one pass, run
    by every record type, is what makes them agree. The caller's payload is never changed.
    """
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] | None = None
    for shape in leading_to(model, "time"):
        value = data.get(shape.name)
        if value is None:
            continue
        if shape.kind == "time":
            if shape.many and isinstance(value, list):
                new = [_localised(item, zone) for item in value]
            else:
                new = _localised(value, zone)
        elif shape.child is not None:
            child = shape.child
            if shape.many and isinstance(value, list):
                new = [localise_times(child, item, zone) for item in value]
            else:
                new = localise_times(child, value, zone)
        else:
            continue
        if out is None:
            out = dict(data)
        out[shape.name] = new
    return data if out is None else out
