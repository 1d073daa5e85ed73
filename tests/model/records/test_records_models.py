"""Record models: normalisation of codes, identifiers kept as written, keys, flags, errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from plataforma.model.records import Agency, Incident, Person, Seizure, Warrant
from plataforma.model.values import make_curp, make_vin

CURP = make_curp("JOSE LUIS", "HERNANDEZ", "DE LA CRUZ", date(1979, 11, 30), "H", "JC")


def incident(**extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "source_ref": "I-1",
        "folio": "IPH/14/2024/0001",
        "occurred_at": "15/06/2024 22:10",
        "place": {
            "state": "Jalisco",
            "municipality": "Guadalajara",
            "latitude": 20.67,
            "longitude": -103.35,
        },
        "crime_types": "Robo de vehículo automotor;extorsion",
        "persons": [{"role": "victim", "given_names": "María", "first_surname": "Pérez"}],
        "vehicles": [{"plate": "JKL-123-A", "vin": make_vin(42)}],
        "weapons": [{"serial": "S/N", "calibre": "9mm"}],
    }
    row.update(extra)
    return row


def test_incident_codes_are_normalised_and_local_time_gets_the_state_zone() -> None:
    body = Incident.model_validate(incident())
    assert body.place.state == "14" and body.place.municipality == "14039"
    assert body.crime_types == ["robo_de_vehiculo_automotor", "extorsion"]
    assert body.occurred_at.utcoffset() == timedelta(hours=-6)
    assert body.jurisdiction() == "14"


def test_incident_keys_come_from_annexes_and_bad_serial_is_flagged() -> None:
    body = Incident.model_validate(incident())
    kinds = {kind for kind, _ in body.match_keys()}
    assert {"folio", "plate", "vin", "name"} <= kinds
    assert "serial" not in kinds
    assert [f.field for f in body.flags()] == ["weapons/0/serial"]


def test_person_keeps_invalid_curp_as_written_and_flags_it() -> None:
    body = Person.model_validate(
        {
            "source_ref": "P",
            "given_names": "José Luis",
            "first_surname": "Hernández",
            "curp": CURP[:-1] + "X",
        }
    )
    assert body.curp == CURP[:-1] + "X"
    assert body.flags()[0].field == "curp"
    assert all(kind != "curp" for kind, _ in body.match_keys())


def test_person_with_valid_curp_and_iph_date() -> None:
    body = Person.model_validate(
        {
            "source_ref": "P",
            "given_names": "José Luis",
            "first_surname": "Hernández",
            "second_surname": "de la Cruz",
            "curp": CURP.lower(),
            "date_of_birth": "30/11/1979",
            "sex": "hombre",
            "nationality": "México",
        }
    )
    keys = dict(body.match_keys())
    assert keys["curp"] == CURP
    assert keys["name"] == "JOSE LUIS|HERNANDEZ|DE LA CRUZ|1979-11-30"
    assert body.sex == "H" and body.nationality == "MX"


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"place": {"state": "Atlantis"}}, ("place", "state")),
        ({"crime_types": "jaywalking"}, ("crime_types", 0)),
        ({"occurred_at": "31/02/2024 10:00"}, ("occurred_at",)),
        ({"colour_of_car": "red"}, ("colour_of_car",)),
        ({"folio": ""}, ("folio",)),
    ],
)
def test_bad_fields_are_named(change: dict[str, object], pointer: tuple[object, ...]) -> None:
    with pytest.raises(ValidationError) as error:
        Incident.model_validate(incident(**change))
    assert pointer in [tuple(e["loc"]) for e in error.value.errors()]


def test_seizure_needs_something_seized() -> None:
    with pytest.raises(ValidationError, match="at least one"):
        Seizure.model_validate(
            {"source_ref": "S", "seized_at": "2024-01-01T10:00:00-06:00", "place": {"state": "09"}}
        )


def test_state_agency_needs_a_state() -> None:
    with pytest.raises(ValidationError, match="state"):
        Agency.model_validate({"source_ref": "X", "name": "X", "level": "state", "kind": "police"})


def test_warrant_caveat_and_jurisdiction() -> None:
    body = Warrant.model_validate(
        {
            "source_ref": "W",
            "given_names": "Juan",
            "first_surname": "Soto",
            "warrant_type": "aprehension",
            "case_number": "123/2024",
            "issued_by": "Juzgado 3o",
            "issued_at": "2024-02-01",
            "issuing_state": "Sinaloa",
            "crime_types": "homicidio doloso",
            "armed_and_dangerous": True,
        }
    )
    assert body.jurisdiction() == "25" and body.armed_and_dangerous


def test_injection_looking_text_is_kept_verbatim() -> None:
    text = "'; DROP TABLE records; -- <script>alert(1)</script>"
    body = Incident.model_validate(incident(narrative=text))
    assert body.content()["narrative"] == text
