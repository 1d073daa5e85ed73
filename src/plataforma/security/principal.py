"""Who is acting: a person with a login, an agency system with an API key, or the local admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.model.records.agency import AgencyLevel
from plataforma.model.roles import Role

__all__ = ["LOCAL_ADMIN", "AuthMethod", "Principal", "Role", "anonymous"]


class AuthMethod(StrEnum):
    PASSWORD_TOTP = "password_totp"
    API_KEY = "api_key"
    LOCAL = "local"
    # Nobody signed in: the public RND lookup, which anyone may use.
    ANONYMOUS = "anonymous"


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


def anonymous(source_ip: str) -> Principal:
    """Whoever asks the public lookup from ``source_ip``: no login, no role, PUBLIC only.

    No rule of the policy grants anything to a principal without roles; it exists so that the
    lookup's events are built like every other (:meth:`AuditEvent.of`), with actor and agency
    ``public`` and the address the question came from.
    """
    return Principal(
        username="public",
        agency="public",
        roles=frozenset(),
        clearance=Marking.PUBLIC,
        method=AuthMethod.ANONYMOUS,
        source_ip=source_ip,
    )


def system(job: str) -> Principal:
    """A platform job acting on its own (a deadline sweep, a bus consumer): ``system:<job>``.

    It holds no role, so the policy grants it nothing; it exists so that a job's audit events
    are built like every other (:meth:`AuditEvent.of`) and name the job that acted.
    """
    return Principal(
        username=f"system:{job}",
        agency="PLATAFORMA",
        roles=frozenset(),
        clearance=Marking.PUBLIC,
        method=AuthMethod.LOCAL,
        source_ip="local",
    )
