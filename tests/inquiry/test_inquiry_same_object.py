"""Listing the other records of one car or gun: exact and possible, only what the caller may see."""

from __future__ import annotations

import pytest
from inquiry_fixtures import VIN, firearm, store, vehicle

from conftest import add_agency
from plataforma.context import Platform
from plataforma.inquiry.same_object import same_object
from plataforma.model.envelope import Marking
from plataforma.records.errors import Forbidden, NotFound
from plataforma.records.search import InvalidQuery
from plataforma.security.audit import AuditAction
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.policy import Purpose
from plataforma.security.principal import AgencyLevel, Principal, Role

ANALYST = Principal(
    "analyst", "POL-GDL", frozenset({Role.ANALYST}), Marking.SECRET, AgencyLevel.MUNICIPAL, "14"
)
INVESTIGATION = Purpose.INVESTIGATION


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_agency(platform, "POL-MTY", "municipal", "police", "19")
    add_agency(platform, "SSPC")


def test_a_stolen_report_and_a_misread_recovery_are_one_car(platform: Platform) -> None:
    stolen, recovered, replated, unrelated = store(
        platform,
        [
            vehicle("A-1", agency="POL-GDL", plate="JKL-123-A"),
            vehicle("B-1", agency="POL-MTY", plate=None, vin="3VWFE2lC04MOOOOO1",
                    theft="recuperado", plate_state="19"),
            vehicle("C-1", agency="FGE-JAL", plate="JNM-900-B"),  # same VIN, new plate
            vehicle("D-1", agency="FGE-JAL", plate="XYZ-999-A", vin=None),
        ],
    )  # fmt: skip
    listing = same_object(platform, ANALYST, stolen, INVESTIGATION)
    body = listing.to_json()
    assert body["identifiers"] == {"plate": "JKL123A", "vin": VIN}
    assert [(r["record_id"], r["match_quality"]) for r in body["records"]] == [
        (replated, "exact"),
        (recovered, "confusable"),
    ]
    assert unrelated not in {r["record_id"] for r in body["records"]}
    possible = body["records"][1]
    assert possible["agency"] == "POL-MTY" and not possible["same_agency"]
    assert possible["check_digit_repair"] is True and possible["score"] == 0.9
    assert possible["note"].startswith(f"possible match: VIN read as {VIN} vs 3VWFE2lC04MOOOOO1")
    assert body["records"][0]["hit_kind"] == "stolen_vehicle"
    assert (body["exact_count"], body["possible_count"]) == (1, 1)


def test_from_the_misread_record_the_stolen_one_is_found(platform: Platform) -> None:
    stolen, recovered = store(
        platform,
        [
            vehicle("A-1", plate=None),
            vehicle("B-1", agency="POL-GDL", plate=None, vin="3VWFE2lC04MOOOOO1"),
        ],
    )
    body = same_object(platform, ANALYST, recovered, INVESTIGATION).to_json()
    assert body["identifiers"] == {"vin": "3VWFE2LC04M000001"}  # as read; it fails its check
    assert [(r["record_id"], r["match_quality"]) for r in body["records"]] == [
        (stolen, "confusable")
    ]


def test_firearms_too(platform: Platform) -> None:
    mine, theirs = store(
        platform, [firearm("F1", agency="POL-GDL", serial="AB801"), firearm("F2", serial="A8BO1")]
    )
    body = same_object(platform, ANALYST, mine, INVESTIGATION).to_json()
    assert [(r["record_id"], r["agency"]) for r in body["records"]] == [(theirs, "SSPC")]


@pytest.mark.parametrize("marking", list(Marking))
@pytest.mark.parametrize("restricted", [None, "informant"])
def test_records_the_caller_may_not_read_are_neither_listed_nor_counted(
    platform: Platform, marking: Marking, restricted: str | None
) -> None:
    extra = {"marking": str(marking), "plate_state": "19"}
    if restricted:
        extra["restricted_file"] = restricted
    mine, exact, possible = store(
        platform,
        [
            vehicle("A-1", agency="POL-GDL"),
            vehicle("M-1", agency="POL-MTY", **extra),
            vehicle("M-2", agency="POL-MTY", plate="JKL-I23-A", vin=None, **extra),
        ],
    )
    body = same_object(platform, ANALYST, mine, INVESTIGATION).to_json()
    visible = marking in (Marking.PUBLIC, Marking.SBU) and restricted is None
    expected = [(exact, "exact"), (possible, "confusable")] if visible else []
    assert [(r["record_id"], r["match_quality"]) for r in body["records"]] == expected
    assert body["exact_count"] + body["possible_count"] == len(expected)
    with platform.engine.connect() as conn:
        events = search_audit(conn, AuditQuery(action=AuditAction.QUERY))
    (event,) = [e for e in events if e["detail"].get("same_object_of") == mine]
    assert event["detail"]["ids"] == [r for r, _ in expected]


def test_the_record_itself_is_read_under_the_policy(platform: Platform) -> None:
    (secret,) = store(
        platform, [vehicle("M-1", agency="POL-MTY", marking="SECRET", plate_state="19")]
    )
    with pytest.raises(Forbidden):
        same_object(platform, ANALYST, secret, INVESTIGATION)
    with pytest.raises(Forbidden):
        same_object(platform, ANALYST, secret, None)
    with pytest.raises(NotFound):
        same_object(platform, ANALYST, "no-such-record", INVESTIGATION)


def test_only_vehicles_and_firearms(platform: Platform) -> None:
    from inquiry_fixtures import warrant

    (order,) = store(platform, [warrant("W1")])
    with pytest.raises(InvalidQuery) as error:
        same_object(platform, ANALYST, order, INVESTIGATION)
    assert error.value.errors[0].pointer == "/record_type"
