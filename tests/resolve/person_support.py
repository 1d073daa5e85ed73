"""Helpers for the person-index tests: agencies and users, records written for real, their
outbox events handed to the person-index consumer (twice, as an at-least-once bus may)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from conftest import add_agency, add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.realtime.events import RecordEvent
from plataforma.records.service import RecordService
from plataforma.resolve.consumer import handle_event
from plataforma.resolve.links import LinkRow, links_of_records
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import outbox

MARKINGS = ("PUBLIC", "SBU", "CONFIDENTIAL", "SECRET")
JOSE = {
    "given_names": "José",
    "first_surname": "Ramírez",
    "second_surname": "Acuña",
    "date_of_birth": "1984-07-19",
    "sex": "H",
}
#: The same man as a clerk of another agency typed him: a transposed surname, no accents.
JOSE_MISSPELT = {
    "given_names": "JOSE",
    "first_surname": "RAMIERZ",
    "second_surname": "ACUNA",
    "date_of_birth": "1984-07-19",
    "sex": "H",
}
OTHER_MAN = {
    "given_names": "Pedro",
    "first_surname": "Zarza",
    "second_surname": "Olvera",
    "date_of_birth": "1990-02-13",
    "sex": "H",
}


def two_agencies(platform: Platform) -> Platform:
    """A municipal police (POL-GDL) and the state prosecutor (FGE-JAL) of Jalisco, a federal
    agency, and analysts, supervisors and officers with several clearances."""
    add_agency(platform, "SSPC", "federal", "police")
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "POL-ZAP", "municipal", "police", "14")
    add_user(platform, "ana_gdl", "POL-GDL", ["analyst"], Marking.SBU)
    add_user(platform, "sup_gdl", "POL-GDL", ["supervisor"], Marking.SECRET)
    add_user(platform, "intel_zap", "POL-ZAP", ["intelligence_analyst"], Marking.SECRET)
    add_user(platform, "officer_gdl", "POL-GDL", ["officer"], Marking.SBU)
    add_user(platform, "clerk_gdl", "POL-GDL", ["records_clerk"], Marking.SECRET)
    add_user(platform, "clerk_jal", "FGE-JAL", ["records_clerk"], Marking.SECRET)
    add_user(platform, "fed", "SSPC", ["intelligence_analyst"], Marking.SECRET, ("juvenile",))
    return platform


def last_outbox_id(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar_one())


def events_after(platform: Platform, after: int) -> list[RecordEvent]:
    with platform.engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.id > after).order_by(outbox.c.id))
        return [RecordEvent.from_row(row._mapping) for row in rows]


def enter(platform: Platform, record_type: str, payload: dict[str, Any], link: bool = True) -> str:
    """Store ``payload`` as the local administrator and, with ``link``, hand its events to
    the person-index consumer twice; the record id."""
    before = last_outbox_id(platform)
    result = RecordService(platform).submit(LOCAL_ADMIN, record_type, payload)
    if link:
        for _ in range(2):
            for event in events_after(platform, before):
                handle_event(platform, event)
    return result.id


def person(ref: str, agency: str, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"source_ref": ref, "agency": agency, **fields, **extra}


def warrant(ref: str, agency: str, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": agency,
        **fields,
        "warrant_type": "aprehension",
        "case_number": f"CP-{ref}",
        "issued_by": "Juzgado Penal 3",
        "issued_at": "2026-03-01",
        "issuing_state": "14",
        "crime_types": ["homicidio_doloso"],
        **extra,
    }


def links(platform: Platform, *record_ids: str) -> list[LinkRow]:
    with platform.engine.connect() as conn:
        return sorted(links_of_records(conn, record_ids), key=lambda r: r.mention_id)
