"""``/api/v1/persons``: national persons, analysts' judgements and the review queue.

Translation only: `resolve.service` and `resolve.review` authorise, audit and decide.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from plataforma.resolve.judgements import Verdict
from plataforma.resolve.review import ReviewService
from plataforma.resolve.service import PersonService
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep, RowIdPath

router = APIRouter(prefix="/persons", tags=["persons"])

MentionId = Annotated[str, Field(min_length=1, max_length=48, pattern=r"^[0-9A-Za-z.\-]+$")]


class JudgementIn(BaseModel):
    left: MentionId = Field(description="A person mention id (``<record_id>.<ordinal>``)")
    right: MentionId
    verdict: Verdict = Field(description="``same`` or ``not_same``")
    reason: str = Field(min_length=3, max_length=2000, description="Why, for the audit trail")


class DecisionIn(BaseModel):
    decision: Annotated[str, Field(pattern="^(accept|reject)$")] = Field(
        description="``accept``: the same person; ``reject``: not the same"
    )
    reason: str = Field(min_length=3, max_length=2000)


@router.get("/review")
def review_queue(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Uncertain pairs whose two records you may read, with the per-field explanation."""
    return ReviewService(platform).queue(principal, purpose, cursor, limit)


@router.post("/review/{review_id}")
def decide_review(
    review_id: RowIdPath,
    body: Annotated[DecisionIn, Body()],
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
) -> dict[str, Any]:
    """Accept or reject a pair: a judgement, audited, applied at once, reversible."""
    accept = body.decision == "accept"
    return ReviewService(platform).decide(principal, review_id, accept, body.reason, purpose)


@router.post("/judgements", status_code=201)
def create_judgement(
    body: Annotated[JudgementIn, Body()],
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
) -> dict[str, Any]:
    """Merge ("same") or split ("not_same") two mentions; a "not_same" is never overridden."""
    stored = PersonService(platform).judge(
        principal, body.left, body.right, body.verdict, body.reason, purpose
    )
    return stored.to_json()


@router.delete("/judgements/{judgement_id}")
def revoke_judgement(
    judgement_id: RowIdPath,
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
) -> dict[str, Any]:
    """Revoke a judgement (kept, marked revoked); the persons it touched are resolved again."""
    return PersonService(platform).revoke(principal, judgement_id, purpose).to_json()


@router.get("/{person_id}")
def get_person(
    person_id: Annotated[str, Path(min_length=1, max_length=48, pattern=r"^[0-9A-Za-z.\-]+$")],
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
) -> dict[str, Any]:
    """The national person (by person, mention or record id) with the records you may read."""
    return PersonService(platform).person(principal, person_id, purpose)
