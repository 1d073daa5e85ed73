"""The ``delayed-inquiry`` consumer (NCIC's delayed inquiry): a new hit finds who just asked.

When a record becomes a hit (a warrant or protection order entered, a vehicle or firearm
reported stolen: created, or updated into it), the inquiries of the last
``delayed_inquiry_hours`` that looked up one of its keys are found through ``inquiry_keys``
(an index probe on (kind, value), then the time window), and whoever asked is told of the
new hit, urgently, if they may read the record for the purpose they gave. An inquiry whose
answer already held the record is skipped: it was not a miss. A hit is a lead to confirm with
the owning agency, not proof; the notice says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from plataforma.model.envelope import Envelope
from plataforma.model.records.object_keys import is_possible_key
from plataforma.realtime.bus import Handler
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.inbox import Notification, NotificationKind, Priority
from plataforma.records.hits import HIT_TYPES, HitKind, hit_of
from plataforma.security.policy import Purpose
from plataforma.security.services import PlatformServices
from plataforma.store import reader
from plataforma.store.tables import inquiries, inquiry_keys
from plataforma.subscriptions.candidates import key_candidates, key_in
from plataforma.subscriptions.notify import Outgoing, may_learn, outgoing, send
from plataforma.subscriptions.principals import Recipients
from plataforma.subscriptions.targets import RECORD, Key

CONSUMER = "delayed-inquiry"
LEAD_NOT_PROOF = "a hit is a lead to confirm with the owning agency, not proof"
POSSIBLE_NOTE = (
    "possible match: the plate, VIN or serial asked differs from the record's by confusable"
    " characters (O/0, I/1, S/5, B/8...); compare it, then " + LEAD_NOT_PROOF
)


@dataclass(frozen=True, slots=True)
class Inquiry:
    id: str
    at: datetime
    actor: str
    agency: str
    purpose: str
    hit_ids: frozenset[str]
    possible: bool = False  # matched only on a confusion-tolerant key


def _hit_ids(hits: Any) -> frozenset[str]:
    """The record ids of an inquiry's answer (ids, or hit objects with a ``record_id``)."""
    out: set[str] = set()
    for hit in hits or ():
        if isinstance(hit, str):
            out.add(hit)
        elif isinstance(hit, dict) and hit.get("record_id"):
            out.add(str(hit["record_id"]))
    return frozenset(out)


def recent_inquiries(conn: Connection, keys: Sequence[Key], since: datetime) -> list[Inquiry]:
    """Inquiries since ``since`` that looked up any of ``keys``, oldest first.

    An inquiry that matched only on a skeleton (a plate, VIN or serial that differs by
    confusable glyphs) is marked ``possible``: its notice says so.
    """
    if not keys:
        return []
    query = (
        select(inquiries, inquiry_keys.c.kind.label("key_kind"))
        .join(inquiry_keys, inquiry_keys.c.inquiry_id == inquiries.c.id)
        .where(
            key_in(inquiry_keys.c.kind, inquiry_keys.c.value, keys),
            inquiry_keys.c.at >= since,
            inquiries.c.at >= since,
        )
        .order_by(inquiries.c.at, inquiries.c.id)
    )
    found: dict[str, Inquiry] = {}
    for r in conn.execute(query):
        possible = is_possible_key(r.key_kind)
        known = found.get(r.id)
        if known is not None:
            if known.possible and not possible:
                found[r.id] = replace(known, possible=False)
            continue
        found[r.id] = Inquiry(
            r.id,
            r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC),
            r.actor,
            r.agency,
            r.purpose,
            _hit_ids(r.hits),
            possible,
        )
    return list(found.values())


def inquiry_keys_of(event: RecordEvent) -> list[Key]:
    """The event's keys and name prefixes, as an inquiry would have stored them."""
    return [k for k in key_candidates(event, prefix_kind="name") if k[0] != RECORD]


def _notice(inquiry: Inquiry, record: Envelope, hit: HitKind, to_user: bool) -> Notification:
    return Notification(
        kind=NotificationKind.DELAYED_HIT,
        dedupe_key=f"delayed:{inquiry.id}:{record.id}",
        recipient_user=inquiry.actor if to_user else None,
        recipient_agency=None if to_user else inquiry.agency,
        priority=Priority.URGENT,
        record_id=record.id,
        record_type=record.record_type,
        ref_id=inquiry.id,
        summary={
            "hit": str(hit),
            "record_type": record.record_type,
            "agency": record.agency,
            "inquired_at": inquiry.at.isoformat(),
            "match": "confusable" if inquiry.possible else "exact",
            "note": POSSIBLE_NOTE if inquiry.possible else LEAD_NOT_PROOF,
        },
    )


def notices_for(platform: PlatformServices, event: RecordEvent) -> list[Outgoing]:
    if event.event == "purged" or event.record_type not in HIT_TYPES:
        return []
    now = datetime.now(UTC)
    since = now - timedelta(hours=platform.settings.delayed_inquiry_hours)
    out: list[Outgoing] = []
    with platform.engine.connect() as conn:
        # Most records were asked about by nobody lately: look that up before reading them.
        asked = recent_inquiries(conn, inquiry_keys_of(event), since)
        record = reader.get_record(conn, event.record_id) if asked else None
        hit = hit_of(record, now.date()) if record else None
        if record is None or hit is None:
            return []
        recipients = Recipients(conn)
        for inquiry in asked:
            if record.id in inquiry.hit_ids or inquiry.purpose not in set(Purpose):
                continue
            # A person is told as themself; an agency system (API key) through its desk.
            user = recipients.user(inquiry.actor)
            principal = user or recipients.desk(inquiry.agency)
            purpose = Purpose(inquiry.purpose)
            if may_learn(principal, record, purpose):
                notice = _notice(inquiry, record, hit, to_user=user is not None)
                out.append(outgoing(notice, principal, purpose))
    return out


def delayed_inquiry_consumer(platform: PlatformServices) -> tuple[str, Handler]:
    def handle(event: RecordEvent) -> None:
        send(platform, notices_for(platform, event))

    return CONSUMER, handle
