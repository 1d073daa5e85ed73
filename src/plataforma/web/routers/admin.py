"""``/api/v1/admin``: agencies, users and API keys over HTTP, for administrators only.

A thin layer over :class:`plataforma.administration.Administration`, which checks
``can_administer`` and audits every act, so the API and ``plataforma admin`` behave alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, Field

from plataforma.administration import Administration, IdentityError
from plataforma.model.envelope import Envelope, Marking, RestrictedFile
from plataforma.model.records.agency import AgencyKind, AgencyLevel
from plataforma.records.errors import FieldError, InvalidRecord
from plataforma.security import identity
from plataforma.security.principal import Role
from plataforma.web.deps import CurrentPrincipal, PlatformDep

router = APIRouter(prefix="/admin", tags=["admin"])

Username = Annotated[str, Path(min_length=1, max_length=64)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


def administration(principal: CurrentPrincipal, platform: PlatformDep) -> Administration:
    return Administration(platform, principal)


AdminDep = Annotated[Administration, Depends(administration)]


def _invalid(error: IdentityError) -> InvalidRecord:
    """``field: problem`` messages become a problem document naming the field."""
    field, _, detail = str(error).partition(": ")
    return InvalidRecord([FieldError(f"/{field}", detail or str(error))])


class AgencyRequest(BaseModel):
    code: Code
    name: str = Field(min_length=1, max_length=200)
    level: AgencyLevel
    kind: AgencyKind
    state: str | None = Field(default=None, max_length=40)
    municipality: str | None = Field(default=None, max_length=80)
    contact_desk: str | None = Field(default=None, max_length=200, description="24/7 desk")
    contact_phone: str | None = Field(default=None, max_length=40, description="24/7 phone")
    contact_email: str | None = Field(default=None, max_length=200)
    contact_radio: str | None = Field(default=None, max_length=80)


class AgencyReply(BaseModel):
    code: str
    name: str
    level: str
    kind: str
    state: str | None = None
    municipality: str | None = None
    contact_desk: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    contact_radio: str | None = None
    record_id: str
    version: int


@router.post(
    "/agencies",
    status_code=201,
    response_model=AgencyReply,
    responses={409: {"description": "An agency with this code exists (use PATCH to change it)"}},
)
def add_agency(admin: AdminDep, body: Annotated[AgencyRequest, Body()]) -> AgencyReply:
    """Register a new agency (a record of type ``agency``); an existing code is a 409."""
    fields = body.model_dump(exclude={"code"})
    result = admin.add_agency(body.code, fields)
    return AgencyReply(**fields, code=body.code, record_id=result.id, version=result.version)


class AgencyChanges(BaseModel):
    """Only the fields given change; the others keep their stored values."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    level: AgencyLevel | None = None
    kind: AgencyKind | None = None
    state: str | None = Field(default=None, max_length=40)
    municipality: str | None = Field(default=None, max_length=80)
    contact_desk: str | None = Field(default=None, max_length=200, description="24/7 desk")
    contact_phone: str | None = Field(default=None, max_length=40, description="24/7 phone")
    contact_email: str | None = Field(default=None, max_length=200)
    contact_radio: str | None = Field(default=None, max_length=80)


@router.patch("/agencies/{code}", response_model=AgencyReply)
def update_agency(
    admin: AdminDep,
    code: Annotated[str, Path(min_length=1, max_length=32)],
    body: Annotated[AgencyChanges, Body()],
) -> AgencyReply:
    """Change an agency's directory entry; 404 when the code is not registered."""
    admin.update_agency(code, body.model_dump())
    return _agency_reply(admin.agency_entry(code))


def _agency_reply(entry: Envelope) -> AgencyReply:
    return AgencyReply(
        code=entry.source_ref,
        name=entry.data["name"],
        level=entry.data["level"],
        kind=entry.data["kind"],
        state=entry.data.get("state"),
        municipality=entry.data.get("municipality"),
        contact_desk=entry.data.get("contact_desk"),
        contact_phone=entry.data.get("contact_phone"),
        contact_email=entry.data.get("contact_email"),
        contact_radio=entry.data.get("contact_radio"),
        record_id=entry.id,
        version=entry.version,
    )


@router.get("/agencies", response_model=list[AgencyReply])
def list_agencies(admin: AdminDep) -> list[AgencyReply]:
    """The agency directory."""
    return [_agency_reply(entry) for entry in admin.list_agencies()]


class UserRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
    agency: str = Field(min_length=1, max_length=32)
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    password: str = Field(min_length=1, max_length=256)
    clearance: Marking = Marking.SBU
    restricted: list[RestrictedFile] = Field(default_factory=list, max_length=len(RestrictedFile))
    full_name: str | None = Field(default=None, max_length=200)


class UserReply(BaseModel):
    username: str
    full_name: str
    agency: str
    roles: list[str]
    clearance: str
    restricted: list[str]
    active: bool
    locked_until: datetime | None

    @classmethod
    def of(cls, user: identity.User) -> UserReply:
        return cls(
            username=user.username,
            full_name=user.full_name,
            agency=user.agency,
            roles=sorted(user.roles),
            clearance=user.clearance,
            restricted=sorted(user.restricted_access),
            active=user.active,
            locked_until=user.locked_until,
        )


class NewUserReply(UserReply):
    totp_secret: str = Field(description="Shown once: enrol it in an authenticator app")
    otpauth_uri: str


@router.post("/users", status_code=201, response_model=NewUserReply)
def add_user(admin: AdminDep, body: Annotated[UserRequest, Body()]) -> NewUserReply:
    """Create an account; the reply carries its TOTP secret, which is never shown again."""
    try:
        created = admin.add_user(
            body.username,
            body.agency,
            body.roles,
            body.password,
            body.clearance,
            body.restricted,
            body.full_name,
        )
    except IdentityError as error:
        raise _invalid(error) from None
    reply = UserReply.of(created.user).model_dump()
    return NewUserReply(**reply, totp_secret=created.totp_secret, otpauth_uri=created.otpauth_uri)


@router.get("/users", response_model=list[UserReply])
def list_users(
    admin: AdminDep, agency: Annotated[str | None, Query(max_length=32)] = None
) -> list[UserReply]:
    """Accounts, optionally of one agency."""
    return [UserReply.of(user) for user in admin.list_users(agency)]


@router.post("/users/{username}/disable", status_code=204)
def disable_user(admin: AdminDep, username: Username) -> None:
    """Disable an account; its tokens stop working at the next request."""
    admin.set_active(username, False)


@router.post("/users/{username}/enable", status_code=204)
def enable_user(admin: AdminDep, username: Username) -> None:
    admin.set_active(username, True)


@router.post("/users/{username}/unlock", status_code=204)
def unlock_user(admin: AdminDep, username: Username) -> None:
    """Lift a lockout after too many failed logins."""
    admin.unlock(username)


class KeyRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    agency: str = Field(min_length=1, max_length=32)
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    clearance: Marking = Marking.SBU


class NewKeyReply(BaseModel):
    key: str = Field(description="Shown once; only its SHA-256 is stored")
    prefix: str


class KeyReply(BaseModel):
    prefix: str
    name: str
    agency: str
    roles: list[str]
    clearance: str
    created_at: datetime
    revoked_at: datetime | None


@router.post("/keys", status_code=201, response_model=NewKeyReply)
def create_key(admin: AdminDep, body: Annotated[KeyRequest, Body()]) -> NewKeyReply:
    """An API key for an agency system (sent as ``X-API-Key``)."""
    try:
        key = admin.create_key(body.name, body.agency, body.roles, body.clearance)
    except IdentityError as error:
        raise _invalid(error) from None
    return NewKeyReply(key=key, prefix=key[:10])


@router.get("/keys", response_model=list[KeyReply])
def list_keys(admin: AdminDep) -> list[KeyReply]:
    """Keys and whether they are revoked; never the keys themselves."""
    return [KeyReply(**vars(key)) for key in admin.list_keys()]


@router.delete("/keys/{prefix}", status_code=204)
def revoke_key(admin: AdminDep, prefix: Annotated[str, Path(min_length=1, max_length=16)]) -> None:
    """Revoke a key: requests carrying it get 401 from now on."""
    admin.revoke_key(prefix)
