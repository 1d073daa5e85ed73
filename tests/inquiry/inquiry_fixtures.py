"""Records an officer may meet at a stop, stored through the records service."""

from __future__ import annotations

from datetime import date
from typing import Any

from plataforma.context import Platform
from plataforma.model.values import make_curp
from plataforma.records.service import RecordService, validate
from plataforma.security.principal import LOCAL_ADMIN

NAME = {"given_names": "Ramón", "first_surname": "Salas", "second_surname": "Ibarra"}
BORN = "1984-07-19"
CURP = make_curp("Ramón", "Salas", "Ibarra", date(1984, 7, 19), "H", "JC")
TODAY = date(2026, 12, 1)
PLATE = "JKL-123-A"
VIN = "3VWFE21C04M000001"
SERIAL = "ABC12345"


def store(platform: Platform, rows: list[tuple[str, dict[str, Any]]]) -> list[str]:
    service = RecordService(platform)
    items = [service.prepare_for(LOCAL_ADMIN, validate(kind, row)) for kind, row in rows]
    return [r.id for r in service.write(LOCAL_ADMIN, items)]


def person(ref: str, agency: str = "POL-GDL", **extra: Any) -> tuple[str, dict[str, Any]]:
    return "person", {"source_ref": ref, "agency": agency, **NAME, **extra}


def warrant(ref: str, agency: str = "FGE-JAL", **extra: Any) -> tuple[str, dict[str, Any]]:
    return "warrant", {
        "source_ref": ref,
        "agency": agency,
        **NAME,
        "date_of_birth": BORN,
        "warrant_type": "aprehension",
        "case_number": f"CP-{ref}",
        "issued_by": "Juzgado de Control de Zapopan",
        "issued_at": "2026-03-02",
        "issuing_state": "14",
        "crime_types": ["homicidio_doloso"],
        **extra,
    }


def protection_order(ref: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    return "protection_order", {
        "source_ref": ref,
        "agency": "FGE-JAL",
        **NAME,
        "date_of_birth": BORN,
        "protected": {"given_names": "Lucía", "first_surname": "Mora"},
        "issued_by": "Juzgado Familiar",
        "issued_at": "2026-06-01",
        "state": "14",
        **extra,
    }


def incident(ref: str, role: str = "victim", **who: Any) -> tuple[str, dict[str, Any]]:
    return "incident", {
        "source_ref": ref,
        "agency": "POL-GDL",
        "folio": ref,
        "occurred_at": "2026-05-01T10:00:00-06:00",
        "place": {"state": "14", "municipality": "14039"},
        "crime_types": ["robo_a_transeunte_en_via_publica"],
        "persons": [{**NAME, "date_of_birth": BORN, **who, "role": role}],
    }


def vehicle(ref: str, theft: str = "robado", **extra: Any) -> tuple[str, dict[str, Any]]:
    return "vehicle", {
        "source_ref": ref,
        "agency": "FGE-JAL",
        "plate": PLATE,
        "plate_state": "14",
        "vin": VIN,
        "make": "Nissan",
        "model": "Versa",
        "theft_status": theft,
        "reported_stolen_at": "2026-11-20T08:00:00-06:00",
        **extra,
    }


def firearm(ref: str, status: str = "stolen", **extra: Any) -> tuple[str, dict[str, Any]]:
    return "firearm", {
        "source_ref": ref,
        "agency": "SSPC",
        "serial": SERIAL,
        "make": "Glock",
        "calibre": "9mm",
        "firearm_status": status,
        **extra,
    }
