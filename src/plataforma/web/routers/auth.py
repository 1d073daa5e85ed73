"""``/api/v1/auth``: log in with password and TOTP for a short-lived token; log out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Request
from pydantic import BaseModel, Field

from plataforma.security.authn import AuthError, login, logout
from plataforma.web.deps import CurrentPrincipal, PlatformDep

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    totp: str = Field(min_length=6, max_length=8, pattern=r"^\d+$")


class TokenReply(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    agency: str
    roles: list[str]


@router.post("/token", response_model=TokenReply)
def issue_token(
    request: Request, body: Annotated[TokenRequest, Body()], platform: PlatformDep
) -> TokenReply:
    """Password plus the current TOTP code. Five failures in 15 minutes lock the account."""
    source_ip = request.client.host if request.client else None
    try:
        result = login(platform, body.username, body.password, body.totp, source_ip)
    except AuthError as error:
        raise HTTPException(401, str(error)) from None
    return TokenReply(
        access_token=result.token,
        expires_at=result.expires_at,
        agency=result.principal.agency,
        roles=sorted(result.principal.roles),
    )


@router.post("/logout", status_code=204)
def end_session(principal: CurrentPrincipal, platform: PlatformDep) -> None:
    """End the session behind the token; the token stops working at once."""
    if principal.session_id:
        logout(platform, principal)


class WhoAmI(BaseModel):
    username: str
    agency: str
    roles: list[str]
    clearance: str


@router.get("/me", response_model=WhoAmI)
def whoami(principal: CurrentPrincipal) -> WhoAmI:
    return WhoAmI(
        username=principal.username,
        agency=principal.agency,
        roles=sorted(principal.roles),
        clearance=principal.clearance,
    )
