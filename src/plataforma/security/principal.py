"""Who is acting: a person with a login, an agency system with an API key, or the local admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.model.records.agency import AgencyLevel


class Role(StrEnum):
    OFFICER = "officer"
    RECORDS_CLERK = "records_clerk"
    ANALYST = "analyst"
    INTELLIGENCE_ANALYST = "intelligence_analyst"
    PROSECUTOR = "prosecutor"
    SCREENING_OFFICER = "screening_officer"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class AuthMethod(StrEnum):
    PASSWORD_TOTP = "password_totp"
    API_KEY = "api_key"
    LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Principal:
    """The facts the policy decides on; built once per request from the token or key.

    ``agency_level`` defaults to the least reach (municipal): a principal built without its
    agency's facts must never see other jurisdictions' records by accident.
    """

    username: str
    agency: str
    roles: frozenset[Role]
    clearance: Marking
    agency_level: AgencyLevel = AgencyLevel.MUNICIPAL
    agency_state: str | None = None
    restricted_access: frozenset[RestrictedFile] = field(default_factory=frozenset)
    method: AuthMethod = AuthMethod.PASSWORD_TOTP
    session_id: str | None = None
    source_ip: str | None = None

    def __post_init__(self) -> None:
        # A plain string ("state") becomes the enum, and an unknown one fails here, loudly.
        object.__setattr__(self, "agency_level", AgencyLevel(self.agency_level))

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


LOCAL_ADMIN = Principal(
    username="local-admin",
    agency="PLATAFORMA",
    roles=frozenset({Role.ADMINISTRATOR}),
    clearance=Marking.SECRET,
    agency_level=AgencyLevel.FEDERAL,
    restricted_access=frozenset(RestrictedFile),
    method=AuthMethod.LOCAL,
    source_ip="local",
)
