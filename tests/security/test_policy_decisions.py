"""The policy module's decisions, rule by rule, without a database."""

from __future__ import annotations

from typing import ClassVar

import pytest

from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.model.records import RECORD_TYPES, RecordBody
from plataforma.security import policy
from plataforma.security.policy import Purpose, RecordFacts
from plataforma.security.principal import Principal, Role

INVESTIGATION = Purpose.INVESTIGATION


def who(
    role: str,
    agency: str = "POL-GDL",
    level: str = "municipal",
    state: str | None = "14",
    clearance: Marking = Marking.SECRET,
    restricted: frozenset[RestrictedFile] = frozenset(),
) -> Principal:
    return Principal(
        username=role,
        agency=agency,
        roles=frozenset({Role(role)}),
        clearance=clearance,
        agency_level=level,
        agency_state=state,
        restricted_access=restricted,
    )


def record(
    agency: str = "POL-GDL",
    marking: Marking = Marking.SBU,
    state: str | None = "14",
    restricted: str | None = None,
) -> RecordFacts:
    return RecordFacts("incident", agency, marking, state, restricted)


@pytest.mark.parametrize(
    ("role", "record_type", "allowed"),
    [
        ("officer", "incident", True),
        ("officer", "detention", True),
        ("officer", "warrant", False),
        ("prosecutor", "warrant", True),
        ("prosecutor", "protection_order", True),
        ("prosecutor", "incident", False),
        ("records_clerk", "warrant", True),
        ("analyst", "incident", False),
        ("analyst", "person", False),
        ("auditor", "incident", False),
        ("auditor", "person", False),
        ("administrator", "agency", True),
    ],
)
def test_role_matrix_for_writes(role: str, record_type: str, allowed: bool) -> None:
    assert bool(policy.can_write(who(role), record_type, "POL-GDL")) is allowed


def test_agencies_write_only_their_own_records() -> None:
    decision = policy.can_write(who("records_clerk"), "incident", "SSPC")
    assert not decision and "SSPC" in decision.reason
    assert policy.can_write(who("administrator", "SSPC", "federal", None), "incident", "POL-GDL")


@pytest.mark.parametrize(
    ("clearance", "marking", "allowed"),
    [
        (Marking.SBU, Marking.PUBLIC, True),
        (Marking.SBU, Marking.SBU, True),
        (Marking.SBU, Marking.CONFIDENTIAL, False),
        (Marking.CONFIDENTIAL, Marking.CONFIDENTIAL, True),
        (Marking.CONFIDENTIAL, Marking.SECRET, False),
        (Marking.SECRET, Marking.SECRET, True),
    ],
)
def test_clearance_covers_the_marking(clearance: Marking, marking: Marking, allowed: bool) -> None:
    reader = who("officer", clearance=clearance)
    assert bool(policy.can_read(reader, record(marking=marking), INVESTIGATION)) is allowed


def test_confidential_records_stay_in_their_jurisdiction() -> None:
    state = who("prosecutor", "FGE-JAL", "state", "14")
    municipal = who("officer", "POL-GDL", "municipal", "14")
    federal = who("analyst", "SSPC", "federal", None)
    jalisco = record("POL-ZAP", Marking.CONFIDENTIAL, "14")
    cdmx = record("SSC-CDMX", Marking.CONFIDENTIAL, "09")
    own = record("POL-GDL", Marking.CONFIDENTIAL, "14")
    assert policy.can_read(state, jalisco, INVESTIGATION)
    assert not policy.can_read(state, cdmx, INVESTIGATION)
    assert policy.can_read(municipal, own, INVESTIGATION)
    assert not policy.can_read(municipal, jalisco, INVESTIGATION)
    assert not policy.can_read(municipal, cdmx, INVESTIGATION)
    assert policy.can_read(federal, cdmx, INVESTIGATION)


def test_sbu_records_are_shared_nationally() -> None:
    municipal = who("officer", "POL-GDL", "municipal", "14", Marking.SBU)
    assert policy.can_read(municipal, record("SSC-CDMX", Marking.SBU, "09"), INVESTIGATION)


def test_restricted_files_need_the_grant() -> None:
    gang = record(restricted="gang")
    assert not policy.can_read(who("officer"), gang, INVESTIGATION)
    granted = who("officer", restricted=frozenset({RestrictedFile.GANG}))
    assert policy.can_read(granted, gang, INVESTIGATION)
    assert not policy.can_read(granted, record(restricted="juvenile"), INVESTIGATION)


def test_reads_and_queries_need_a_purpose() -> None:
    assert "X-Purpose" in policy.can_read(who("officer"), record(), None).reason
    assert not policy.can_query(who("officer"), None)
    assert policy.can_query(who("officer"), Purpose.PATROL)
    assert not policy.can_export(who("analyst"), None)
    assert not policy.can_export(who("officer"), Purpose.ANALYSIS)
    assert policy.can_export(who("analyst"), Purpose.ANALYSIS)


def test_auditors_search_the_log_but_read_no_records() -> None:
    auditor = who("auditor", "SSPC", "federal", None)
    assert policy.can_read_audit(auditor)
    assert not policy.can_read(auditor, record(), Purpose.AUDIT)
    assert not policy.can_query(auditor, Purpose.AUDIT)
    assert not policy.can_read_audit(who("officer"))


def test_only_administrators_administer() -> None:
    assert policy.can_administer(who("administrator"))
    for role in Role:
        if role is not Role.ADMINISTRATOR:
            assert not policy.can_administer(who(role))


def test_the_public_lookups_purpose_is_not_declared_by_signed_in_callers() -> None:
    """An officer's read can never be filed as the anonymous lookup's question."""
    lookup = Purpose.PUBLIC_LOOKUP
    for decision in (
        policy.can_read(who("officer"), record(), lookup),
        policy.can_query(who("officer"), lookup),
        policy.can_export(who("analyst"), lookup),
    ):
        assert not decision and "public_lookup" in decision.reason
    assert policy.visibility(who("officer"), lookup).nothing
    assert lookup not in policy.DECLARABLE_PURPOSES
    assert frozenset(Purpose) - {lookup} == policy.DECLARABLE_PURPOSES


# The write matrix as policy.py listed it by hand before the record types declared their
# writers (RecordBody.entered_by): reading it from the registry changed no decision.
_HAND_LISTED: dict[Role, frozenset[str] | None] = {
    Role.ADMINISTRATOR: None,
    Role.RECORDS_CLERK: frozenset(
        {
            "person",
            "vehicle",
            "firearm",
            "incident",
            "detention",
            "warrant",
            "protection_order",
            "seizure",
        }
    ),
    Role.SUPERVISOR: frozenset(
        {"person", "vehicle", "firearm", "incident", "detention", "seizure"}
    ),
    Role.OFFICER: frozenset({"person", "vehicle", "firearm", "incident", "detention", "seizure"}),
    Role.PROSECUTOR: frozenset({"person", "warrant", "protection_order", "detention"}),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("record_type", [*RECORD_TYPES, "not_a_type"])
def test_every_role_and_type_decides_as_the_hand_listed_table(role: Role, record_type: str) -> None:
    listed = _HAND_LISTED.get(role, frozenset())
    expected = listed is None or record_type in listed
    decision = policy.can_write(who(role), record_type, "POL-GDL")
    assert bool(decision) is expected
    if not expected:
        enters_nothing = role not in _HAND_LISTED
        assert ("no role of yours enters records" in decision.reason) is enters_nothing


def test_a_new_record_type_names_its_writers_in_its_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Registering a type is enough: the policy reads who enters it from the model."""

    class MissingPerson(RecordBody):
        record_type: ClassVar[str] = "missing_person"
        entered_by: ClassVar[frozenset[Role]] = frozenset({Role.ANALYST})

    monkeypatch.setitem(RECORD_TYPES, "missing_person", MissingPerson)
    assert policy.can_write(who("analyst"), "missing_person", "POL-GDL")
    assert not policy.can_write(who("officer"), "missing_person", "POL-GDL")
    assert policy.can_write(who("administrator"), "missing_person", "POL-GDL")
    # The analyst now enters something, so it is refused other types by name.
    refused = policy.can_write(who("analyst"), "incident", "POL-GDL")
    assert refused.reason == "your roles do not enter incident records"
