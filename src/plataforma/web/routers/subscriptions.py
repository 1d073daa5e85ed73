"""``/api/v1/subscriptions``: standing queries whose matches arrive in the inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, Field

from plataforma.subscriptions.repository import Subscription
from plataforma.subscriptions.service import MAX_PAGE, SubscriptionService
from plataforma.subscriptions.targets import Target
from plataforma.web.deps import CurrentPrincipal, PlatformDep

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])

NOTE = (
    "A notice is a lead: open the record (your access is checked again) and confirm with the"
    " owning agency before acting on it."
)


class SubscriptionOut(BaseModel):
    id: str
    kind: str
    label: str
    target: dict[str, Any] = Field(description="What it matches, in normalised form")
    purpose: str
    desk: bool = Field(description="Notices go to the agency's desk instead of only you")
    owner: str
    agency: str
    created_at: datetime

    @classmethod
    def of(cls, item: Subscription) -> SubscriptionOut:
        return cls(
            id=item.id,
            kind=item.kind,
            label=item.label,
            target=item.target,
            purpose=item.purpose,
            desk=item.desk,
            owner=item.owner_user,
            agency=item.agency,
            created_at=item.created_at,
        )


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]
    next_cursor: str | None
    note: str = NOTE


@router.post("", status_code=201, response_model=SubscriptionOut)
def create_subscription(
    body: Annotated[Target, Body(description="What to follow; ``kind`` picks the fields")],
    principal: CurrentPrincipal,
    platform: PlatformDep,
    response: Response,
) -> SubscriptionOut:
    """Follow a person, vehicle, firearm, record, saved search or area × crime type.

    Any new or changed record anywhere that matches produces a notice in your inbox (or your
    agency desk's, with ``desk``) if you may read that record: a record you may not read
    produces nothing. ``purpose`` is required and recorded; creation is audited. Identifiers
    are normalised as the records' keys are (``abc-123-d`` follows plate ``ABC123D``); a bad
    one is answered 422 naming its field, one subscription too many 422 naming ``/kind``.
    """
    created = SubscriptionService(platform).create(principal, body)
    response.headers["Location"] = f"/api/v1/subscriptions/{created.id}"
    return SubscriptionOut.of(created)


@router.get("", response_model=SubscriptionPage)
def list_subscriptions(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    cursor: Annotated[
        str | None, Query(max_length=36, description="``next_cursor`` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> SubscriptionPage:
    """Your subscriptions and your agency desk's, oldest first."""
    items, next_cursor = SubscriptionService(platform).page(principal, cursor, limit)
    return SubscriptionPage(items=[SubscriptionOut.of(s) for s in items], next_cursor=next_cursor)


@router.delete("/{subscription_id}", status_code=204)
def delete_subscription(
    subscription_id: Annotated[str, Path(min_length=1, max_length=36)],
    principal: CurrentPrincipal,
    platform: PlatformDep,
) -> Response:
    """Stop following; someone else's subscription is answered 404. Audited."""
    SubscriptionService(platform).delete(principal, subscription_id)
    return Response(status_code=204)
