"""Dependencies shared by the routers: the platform, the caller and the declared purpose."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request
from starlette.concurrency import run_in_threadpool

from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.authn import AuthError, authenticate, cached_principal
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal


async def get_platform(request: Request) -> Platform:
    # Dependencies that do no I/O are async: FastAPI runs sync ones on the thread pool, a
    # hop that costs more than the work.
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]

#: A table row id in a path (inbox notifications, review items, judgements): bounded so an
#: id past what the database's integer holds is a 422, not a driver overflow and a 500.
RowIdPath = Annotated[int, Path(ge=1, le=2**62)]


async def get_records(platform: PlatformDep) -> RecordService:
    return RecordService(platform)


RecordsDep = Annotated[RecordService, Depends(get_records)]


async def current_principal(
    request: Request,
    platform: PlatformDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Principal:
    """The caller from a bearer token, an ``X-API-Key`` or the UI's session cookie.

    A recently verified API key is answered on the event loop; anything that needs the
    database goes to the thread pool.
    """
    source_ip = request.client.host if request.client else None
    cached = cached_principal(platform, x_api_key, source_ip)
    if cached is not None:
        return cached
    cookie = request.cookies.get("plataforma_token")
    try:
        return await run_in_threadpool(
            authenticate, platform, authorization, x_api_key, cookie, source_ip
        )
    except AuthError as error:
        raise HTTPException(401, str(error), headers={"WWW-Authenticate": "Bearer"}) from None


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def declared_purpose(
    x_purpose: Annotated[
        Purpose | None, Header(description="Why this query is made; required to read records")
    ] = None,
) -> Purpose | None:
    return x_purpose


PurposeDep = Annotated[Purpose | None, Depends(declared_purpose)]
