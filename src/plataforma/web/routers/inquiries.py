"""``/api/v1/inquiries``: hit/no-hit on a person, a vehicle or a firearm.

Thin: the body becomes an ``inquiry`` query, the answer its JSON. The answer is encoded once
with orjson and sent as is (the response models below document it in the OpenAPI; FastAPI
does not re-validate a returned ``Response``), which the request path's profile asked for.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from plataforma.inquiry import FirearmQuery, PersonQuery, Query, VehicleQuery, inquire
from plataforma.inquiry.rate import RateLimiter
from plataforma.records.hits import LEAD_NOT_PROOF
from plataforma.security.principal import AuthMethod, Principal
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep

router = APIRouter(prefix="/inquiries", tags=["inquiries"])

Short = Annotated[str | None, Field(default=None, max_length=120)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonInquiry(_Body):
    """Exactly one of ``curp``, ``document``, or a name (``name`` or its three parts)."""

    curp: Short = None
    name: Short = Field(default=None, description="GIVEN SURNAME1 SURNAME2, as typed")
    given_names: Short = None
    first_surname: Short = None
    second_surname: Short = None
    date_of_birth: Short = Field(default=None, description="YYYY-MM-DD (or YYYY, YYYY-MM)")
    document: Short = Field(default=None, description="An identity document's number")
    document_kind: Short = Field(default=None, description="passport, ine, rfc, nss, ...")
    document_country: Short = None


class VehicleInquiry(_Body):
    """A plate (its issuing state optional) or a VIN."""

    plate: Short = Field(default=None, description="As typed: ABC-123-D, abc 123 d, ABC123D")
    state: Short = Field(default=None, description="Issuing state: INEGI code or name")
    vin: Short = None


class FirearmInquiry(_Body):
    serial: Short = None


_QUALITY = (
    "exact; fuzzy (a name within spelling tolerance); or confusable: a plate, VIN or serial"
    " that differs by glyphs a camera or a typist confuses (O/0, I/1, S/5, B/8...), a possible"
    " match whose match.note says what was read and what the record holds"
)


class Confirmation(BaseModel):
    inquiry_id: str
    record_id: str
    owner_agency: str


class HitOut(BaseModel):
    record_id: str
    record_type: str
    agency: str = Field(description="The owning agency: the one that confirms the hit")
    status: str
    match_quality: str = Field(description=_QUALITY)
    hit_kind: str = Field(description="active_warrant, stolen_vehicle, ...")
    date: str = Field(description="Issued, detained or reported stolen")
    caveats: list[str] = Field(description="armed_and_dangerous, violent, protection_order")
    remarks: str | None
    what_to_do: str
    what_to_do_text: str
    match: dict[str, Any] = Field(description="How the record matched (key, score, state)")
    summary: dict[str, Any]
    confirmation: Confirmation = Field(
        description="Send with a priority to POST /api/v1/confirmations"
    )


class OtherOut(BaseModel):
    record_id: str
    record_type: str
    agency: str
    status: str
    match_quality: str = Field(description=_QUALITY)
    reason: str = Field(description="Why the record is not a hit")
    detail: str
    match: dict[str, Any]


class InquiryReply(BaseModel):
    inquiry_id: str
    kind: str
    hit: bool
    exact_hit: bool = Field(description="False when every hit is a possible (confusable) match")
    hit_count: int
    hits: list[HitOut] = Field(description="Most urgent first; armed and dangerous first")
    other_records: list[OtherOut]
    complete: bool = Field(description="False when more records matched than are answered")
    asked: dict[str, str] = Field(description="The normalised keys that were looked up")
    notice: str = Field(default=LEAD_NOT_PROOF)


def _limiters(request: Request) -> tuple[RateLimiter, RateLimiter]:
    state = request.app.state
    limiters: tuple[RateLimiter, RateLimiter] | None = getattr(state, "inquiry_limits", None)
    if limiters is None:
        settings = state.platform.settings
        limiters = (
            RateLimiter(settings.inquiry_rate_per_user, settings.inquiry_burst_per_user),
            RateLimiter(settings.inquiry_rate_per_key, settings.inquiry_burst_per_key),
        )
        state.inquiry_limits = limiters
    return limiters


async def rate_limited(request: Request, principal: CurrentPrincipal) -> Principal:
    """The caller, if within the inquiry rate of its API key or of its user; else 429."""
    per_user, per_key = _limiters(request)
    limiter = per_key if principal.method is AuthMethod.API_KEY else per_user
    wait = limiter.take(principal.username)
    if wait:
        raise HTTPException(
            429,
            f"too many inquiries: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    return principal


Caller = Annotated[Principal, Depends(rate_limited)]


def _answer(platform: PlatformDep, caller: Principal, query: Query, purpose: Any) -> Response:
    answer = inquire(platform, caller, query, purpose)
    return Response(orjson.dumps(answer.to_json()), media_type="application/json")


_DOC = """Needs ``X-Purpose``. Hits come first: each with its owning agency, status, date,
caveats, what to do and a ``confirmation`` handle. A hit is a lead, not proof: confirm it
with the owning agency. Records you may not read are left out and change nothing in the
answer. Bad input is a 422 naming the field; too many inquiries a 429 with Retry-After."""


@router.post("/person", response_model=InquiryReply, description=_DOC)
def inquire_person(
    body: PersonInquiry, caller: Caller, platform: PlatformDep, purpose: PurposeDep
) -> Response:
    """Is this person wanted, bound by a protection order or held on a detention?"""
    return _answer(platform, caller, PersonQuery(**body.model_dump()), purpose)


@router.post("/vehicle", response_model=InquiryReply, description=_DOC)
def inquire_vehicle(
    body: VehicleInquiry, caller: Caller, platform: PlatformDep, purpose: PurposeDep
) -> Response:
    """Is this vehicle reported stolen?"""
    return _answer(platform, caller, VehicleQuery(**body.model_dump()), purpose)


@router.post("/firearm", response_model=InquiryReply, description=_DOC)
def inquire_firearm(
    body: FirearmInquiry, caller: Caller, platform: PlatformDep, purpose: PurposeDep
) -> Response:
    """Is this firearm reported stolen or lost?"""
    return _answer(platform, caller, FirearmQuery(**body.model_dump()), purpose)
