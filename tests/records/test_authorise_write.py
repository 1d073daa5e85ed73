"""``authorise_write``: the one write check the records service and the importer share."""

from __future__ import annotations

import pytest

from plataforma.model.envelope import Marking
from plataforma.model.records import RecordBody, record_model
from plataforma.model.records.agency import AgencyLevel
from plataforma.records.authorise import authorise_write
from plataforma.security import policy
from plataforma.security.principal import Principal, Role

VEHICLE = {"source_ref": "V-1", "plate": "JAL1234", "plate_state": "14"}


def who(role: Role, agency: str = "POL-GDL") -> Principal:
    return Principal(agency, agency, frozenset({role}), Marking.SECRET, AgencyLevel.FEDERAL)


class Directory:
    """A ``known`` owner check that remembers what it was asked."""

    def __init__(self, *codes: str) -> None:
        self.codes = set(codes)
        self.asked: list[str] = []

    def __call__(self, record_type: str, owner: str, source_ref: str) -> bool:
        self.asked.append(owner)
        return owner in self.codes


def body(**extra: str) -> RecordBody:
    return record_model("vehicle").model_validate({**VEHICLE, **extra})


def test_the_owner_defaults_to_the_writer_and_needs_no_lookup() -> None:
    directory = Directory()
    check = authorise_write(who(Role.OFFICER), body(), directory)
    assert check.decision and not check.unknown_owner
    assert check.item.agency == "POL-GDL" and directory.asked == []


def test_the_policy_decides_before_the_owner_is_looked_up() -> None:
    """A refused attempt is a denial (audited) even when the agency it names does not exist."""
    directory = Directory()
    check = authorise_write(who(Role.OFFICER), body(agency="NOPE"), directory)
    assert not check.decision and "NOPE" in check.decision.reason
    assert not check.unknown_owner and directory.asked == []


@pytest.mark.parametrize(("owner", "unknown"), [("SSPC", False), ("NOPE", True)])
def test_an_allowed_write_for_another_agency_needs_a_known_owner(owner: str, unknown: bool) -> None:
    directory = Directory("SSPC")
    admin = who(Role.ADMINISTRATOR, "PLATAFORMA")
    check = authorise_write(admin, body(agency=owner), directory)
    assert check.decision and check.unknown_owner is unknown and directory.asked == [owner]


def test_decisions_are_memoised_per_owner() -> None:
    decided: dict[str, policy.Decision] = {}
    officer = who(Role.OFFICER)
    first = authorise_write(officer, body(), Directory(), decided)
    assert decided == {"POL-GDL": first.decision}
    decided["POL-GDL"] = policy.Decision(False, "remembered")
    again = authorise_write(officer, body(), Directory(), decided)
    assert again.decision.reason == "remembered"
