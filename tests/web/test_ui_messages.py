"""The model's English reasons reach a Spanish page in Spanish, and stay English in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from plataforma.model.codes import (
    CodeError,
    resolve_crime_type,
    resolve_municipality,
    resolve_state,
)
from plataforma.model.values import (
    InvalidValue,
    parse_country,
    parse_curp,
    parse_datetime,
    parse_document,
    parse_firearm_serial,
    parse_partial_date,
    parse_phone,
    parse_plate,
    parse_sex,
    parse_vin,
)
from plataforma.records.errors import InvalidRecord
from plataforma.records.service import validate
from plataforma.web.ui.i18n import translations
from plataforma.web.ui.messages import translate_reason

SPANISH = translations("es").gettext
ENGLISH = translations("en").gettext

# Bad values of every kind a value type judges; each yields its reason.
FLAGGED: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
    (parse_curp, ("",)),
    (parse_curp, ("GAHA900213",)),
    (parse_curp, ("1AHA900213MJCRRN01",)),
    (parse_curp, ("GAHA900213MZZRRN01",)),
    (parse_curp, ("GAHA901313MJCRRN01",)),
    (parse_curp, ("GAHA900213MJCRRN09",)),
    (parse_plate, ("",)),
    (parse_plate, ("AB$12",)),
    (parse_plate, ("AB1",)),
    (parse_plate, ("ABCDEF",)),
    (parse_plate, ("00000",)),
    (parse_vin, ("123",)),
    (parse_vin, ("1HGCM82633A00435O",)),
    (parse_vin, ("1HGCM82633A00435$",)),
    (parse_vin, ("1HGCM82633A004353",)),
    (parse_vin, ("3VWFE2lC04MOOOOO1",)),  # check digit repairable: the flag says so
    (parse_firearm_serial, ("S/N",)),
    (parse_firearm_serial, ("AB$",)),
    (parse_firearm_serial, ("AB",)),
    (parse_phone, ("abc",)),
    (parse_phone, ("3312",)),
    (parse_phone, ("0312345678",)),
    (parse_phone, ("+12",)),
    (parse_document, ("ABC", "ine")),
    (parse_document, ("XAXX010101000", "rfc")),
    (parse_document, ("GAHA9002", "rfc")),
    (parse_document, ("123", "nss")),
    (parse_document, ("12345678901", "nss")),
    (parse_document, ("A", "passport")),
    (parse_document, ("G1234567", "passport", "Narnia")),
]

# Strict parsers and code tables that refuse a value; each raises with its reason.
REFUSED: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
    (parse_country, ("Narnia",)),
    (parse_sex, ("Q",)),
    (parse_partial_date, ("1066",)),
    (parse_partial_date, ("1990-13",)),
    (parse_partial_date, ("1990-02-31",)),
    (parse_partial_date, ("mañana",)),
    (parse_datetime, ("2024-05-01T13:45", "Mars/Olympus")),
    (parse_datetime, ("2024-02-31T13:45", "America/Mexico_City")),
    (parse_datetime, ("ayer", "America/Mexico_City")),
    (parse_datetime, ("2024-05-01T13:45", None)),
    (resolve_state, ("Jalsco",)),
    (resolve_municipality, ("99999",)),
    (resolve_municipality, ("Nowhere", "14")),
    (resolve_crime_type, ("tiranía",)),
]

BAD_INCIDENTS: list[dict[str, Any]] = [
    {"source_ref": "X"},
    {
        "source_ref": "X",
        "folio": "F" * 300,
        "occurred_at": "nunca",
        "place": {"state": "14", "latitude": "norte", "longitude": 500},
        "crime_types": [],
        "persons": [{"role": "villain", "given_names": "Ana", "colour": "rojo"}],
        "objects": [{"description": "caja", "quantity": 0}],
    },
]


def _reasons() -> list[str]:
    reasons = [
        call(*args).problem
        for call, args in FLAGGED
        if call(*args).problem  # type: ignore[misc]
    ]
    for call, args in REFUSED:
        with pytest.raises((InvalidValue, CodeError)) as refused:
            call(*args)
        reasons.append(str(refused.value))
    for payload in BAD_INCIDENTS:
        with pytest.raises(InvalidRecord) as invalid:
            validate("incident", payload)
        reasons.extend(error.detail for error in invalid.value.errors)
    return reasons


def test_every_reason_the_model_gives_is_shown_in_spanish() -> None:
    reasons = _reasons()
    assert len(set(reasons)) > 40
    untranslated = [r for r in reasons if translate_reason(SPANISH, r) == r]
    assert untranslated == []


def test_policy_reasons_are_shown_in_spanish() -> None:
    reasons = [
        "no role of yours reads records",
        "record marked SECRET is above your clearance",
        "restricted file 'gang' not granted to you",
        "CONFIDENTIAL records of other jurisdictions are not shared",
        "your roles do not enter warrant records",
        "records of agency POL-GDL are entered by that agency",
        "only auditors and administrators read the audit log",
    ]
    assert [r for r in reasons if translate_reason(SPANISH, r) == r] == []


def test_nested_reasons_and_field_names_are_translated() -> None:
    assert translate_reason(SPANISH, "not a valid curp: not 18 characters") == (
        "CURP no válido: no tiene 18 caracteres"
    )
    assert translate_reason(SPANISH, "state: required for state and municipal agencies") == (
        "Entidad federativa: obligatoria para instituciones estatales y municipales"
    )
    role = "Input should be 'victim', 'witness' or 'other'"
    assert translate_reason(SPANISH, role) == "Elija uno de: Víctima, Testigo, Otro"
    both = translate_reason(SPANISH, "Field required; check digit mismatch")
    assert both == "Campo obligatorio; el dígito verificador no coincide"


def test_english_pages_keep_the_english_reasons() -> None:
    for reason in ("not 18 characters", "unknown state 'Jalsco'", "Field required"):
        assert translate_reason(ENGLISH, reason) == reason
    assert translate_reason(ENGLISH, "not a valid curp: not 18 characters") == (
        "not a valid CURP: not 18 characters"
    )


def test_an_unknown_reason_is_shown_as_written() -> None:
    assert translate_reason(SPANISH, "the moon is in the wrong phase") == (
        "the moon is in the wrong phase"
    )
