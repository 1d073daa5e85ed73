"""Plates, VINs and serials misread by a camera or a typist: possible matches, on both engines."""

from __future__ import annotations

import pytest
from inquiry_fixtures import PLATE, TODAY, VIN, firearm, store, vehicle

from conftest import add_agency
from plataforma.context import Platform
from plataforma.inquiry import Answer, FirearmQuery, VehicleQuery, inquire
from plataforma.model.envelope import Marking
from plataforma.security.policy import Purpose
from plataforma.security.principal import AgencyLevel, Principal, Role

OFFICER = Principal(
    "officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SECRET, AgencyLevel.MUNICIPAL, "14"
)


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_agency(platform, "POL-MTY", "municipal", "police", "19")
    add_agency(platform, "SSPC")


def ask(platform: Platform, query: VehicleQuery | FirearmQuery) -> Answer:
    return inquire(platform, OFFICER, query, Purpose.PATROL, today=TODAY)


def test_a_plate_read_with_i_for_1_is_a_possible_hit_that_says_so(platform: Platform) -> None:
    (stolen,) = store(platform, [vehicle("V1")])  # JKL-123-A, stolen
    answer = ask(platform, VehicleQuery(plate="JKL-I23-A"))
    assert answer.hit and not answer.exact_hit
    body = answer.to_json()
    (hit,) = body["hits"]
    assert hit["record_id"] == stolen and hit["match_quality"] == "confusable"
    assert hit["match"]["quality"] == "confusable" and not hit["match"]["exact"]
    assert hit["match"]["read_as"] == "JKLI23A" and hit["match"]["on_record"] == PLATE
    assert hit["match"]["note"].startswith("possible match: plate read as JKLI23A vs JKL-123-A")
    assert 0.5 <= hit["match"]["score"] < 1
    assert body["exact_hit"] is False


def test_a_different_car_whose_plate_differs_by_a_confusable_is_possible_never_exact(
    platform: Platform,
) -> None:
    # Two genuinely different cars: "ABC-123" and "ABC-I23". Each is exact only for itself.
    one, other = store(
        platform,
        [
            vehicle("V1", plate="ABC-123", vin=None, theft="sin_reporte"),
            vehicle("V2", plate="ABC-I23", vin=None),
        ],
    )
    answer = ask(platform, VehicleQuery(plate="ABC-123")).to_json()
    found = answer["hits"] + answer["other_records"]
    qualities = {r["record_id"]: r["match_quality"] for r in found}
    assert qualities == {one: "exact", other: "confusable"}
    assert answer["hit"] and not answer["exact_hit"]  # the stolen one is the other car


def test_exact_matches_come_before_possible_ones(platform: Platform) -> None:
    store(
        platform,
        [vehicle("V1", plate="ABC-I23", vin=None), vehicle("V2", plate="ABC-123", vin=None)],
    )
    hits = ask(platform, VehicleQuery(plate="abc 123")).to_json()["hits"]
    assert [h["match_quality"] for h in hits] == ["exact", "confusable"]
    assert "note" not in hits[0]["match"] and "note" in hits[1]["match"]


def test_every_confusion_class_is_found(platform: Platform) -> None:
    store(platform, [vehicle("V1", plate="SBZ-160-G", vin=None)])
    for read in ("5BZ-160-G", "S8Z-160-G", "SB2-160-G", "SBZ-I60-G", "SBZ-1G0-G", "SBZ-16O-6",
                 "SBZ-16D-G", "SBZ-16Q-G", "SBZ-l60-G"):  # fmt: skip
        answer = ask(platform, VehicleQuery(plate=read))
        assert [h.quality for h in answer.hits] == ["confusable"], read


def test_a_plate_differing_by_a_glyph_outside_the_classes_is_not_found(platform: Platform) -> None:
    store(platform, [vehicle("V1")])
    assert not ask(platform, VehicleQuery(plate="JKL-124-A")).to_json()["hits"]


def test_the_analysts_vin_one_car_in_two_agencies(platform: Platform) -> None:
    stolen, recovered = store(
        platform,
        [
            vehicle("A-1", vin=VIN, plate=None),  # FGE-JAL: stolen
            vehicle("B-1", agency="POL-GDL", vin="3VWFE2lC04MOOOOO1", plate=None,
                    theft="recuperado"),
        ],
    )  # fmt: skip
    answer = ask(platform, VehicleQuery(vin=VIN)).to_json()
    assert [h["record_id"] for h in answer["hits"]] == [stolen]
    assert answer["hits"][0]["match_quality"] == "exact"
    (other,) = answer["other_records"]
    assert other["record_id"] == recovered and other["match_quality"] == "confusable"
    assert other["reason"] == "recovered_vehicle"
    assert other["match"]["check_digit_repair"] is True and other["match"]["score"] == 0.9
    assert other["match"]["on_record"] == "3VWFE2lC04MOOOOO1"


def test_a_vin_typed_with_a_failing_check_digit_still_finds_possible_matches(
    platform: Platform,
) -> None:
    (stolen,) = store(platform, [vehicle("A-1", plate=None)])
    answer = ask(platform, VehicleQuery(vin="3VWFE2LC04M000001"))
    assert [h.record_id for h in answer.hits] == [stolen] and not answer.exact_hit
    assert answer.asked["vin_problem"].startswith("check digit mismatch; possibly " + VIN)
    assert answer.hits[0].match["check_digit_repair"] is True


def test_a_vin_with_o_for_zero_is_an_exact_match_the_standard_allows_no_o(
    platform: Platform,
) -> None:
    (stolen,) = store(platform, [vehicle("A-1", plate=None)])
    answer = ask(platform, VehicleQuery(vin=VIN.replace("0", "O")))
    assert [(h.record_id, h.quality) for h in answer.hits] == [(stolen, "exact")]


def test_a_serial_from_a_worn_stamping(platform: Platform) -> None:
    (gun,) = store(platform, [firearm("F1", serial="AB801")])
    answer = ask(platform, FirearmQuery(serial="A8B-O1"))
    assert [(h.record_id, h.quality) for h in answer.hits] == [(gun, "confusable")]
    assert "serial read as A8BO1 vs AB801" in answer.hits[0].match["note"]


def test_the_objects_inside_an_incident_are_found_too(platform: Platform) -> None:
    (report,) = store(
        platform,
        [
            (
                "incident",
                {
                    "source_ref": "IPH-1",
                    "agency": "POL-GDL",
                    "folio": "IPH-1",
                    "occurred_at": "2026-05-01T10:00:00-06:00",
                    "place": {"state": "14", "municipality": "14039"},
                    "crime_types": ["robo_de_vehiculo_automotor"],
                    "vehicles": [{"plate": "JKL-I23-A"}],
                },
            )
        ],
    )
    answer = ask(platform, VehicleQuery(plate=PLATE)).to_json()
    (other,) = answer["other_records"]
    assert other["record_id"] == report and other["match_quality"] == "confusable"
    assert other["match"]["on_record"] == "JKL-I23-A"


@pytest.mark.parametrize("marking", list(Marking))
@pytest.mark.parametrize("restricted", [None, "gang"])
def test_a_possible_match_the_caller_may_not_read_changes_nothing(
    platform: Platform, marking: Marking, restricted: str | None
) -> None:
    # POL-MTY (Nuevo León) holds the misread car; the officer is of Guadalajara (Jalisco).
    extra = {"marking": str(marking), "plate_state": "19"}
    if restricted:
        extra["restricted_file"] = restricted
    (hidden,) = store(platform, [vehicle("M-1", agency="POL-MTY", plate="JKL-I23-A", **extra)])
    answer = ask(platform, VehicleQuery(plate=PLATE)).to_json()
    visible = marking in (Marking.PUBLIC, Marking.SBU) and restricted is None
    found = [h["record_id"] for h in answer["hits"] + answer["other_records"]]
    assert found == ([hidden] if visible else [])
    assert answer["hit"] is visible and answer["complete"]
