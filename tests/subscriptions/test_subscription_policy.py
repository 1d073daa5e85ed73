"""The policy's subscription rules as a table (no database)."""

from __future__ import annotations

import pytest

from plataforma.model.envelope import Marking
from plataforma.security.policy import Purpose, can_manage_subscription, can_subscribe
from plataforma.security.principal import Principal, Role


def person(*roles: Role, name: str = "u", agency: str = "POL-GDL") -> Principal:
    return Principal(name, agency, frozenset(roles), Marking.SBU)


@pytest.mark.parametrize(
    ("principal", "purpose", "desk", "allowed"),
    [
        (person(Role.OFFICER), Purpose.PATROL, False, True),
        (person(Role.OFFICER), None, False, False),  # a standing query needs a purpose
        (person(Role.OFFICER), Purpose.PATROL, True, False),  # desk: supervisors only
        (person(Role.SUPERVISOR), Purpose.INVESTIGATION, True, True),
        (person(Role.ADMINISTRATOR), Purpose.INVESTIGATION, True, True),
        (person(Role.AUDITOR), Purpose.AUDIT, False, False),  # auditors read no records
    ],
)
def test_can_subscribe(
    principal: Principal, purpose: Purpose | None, desk: bool, allowed: bool
) -> None:
    assert bool(can_subscribe(principal, purpose, desk)) is allowed


@pytest.mark.parametrize(
    ("principal", "owner", "agency", "desk", "allowed"),
    [
        (person(Role.OFFICER, name="ana"), "ana", "POL-GDL", False, True),
        (person(Role.OFFICER, name="ana"), "beto", "POL-GDL", False, False),
        (person(Role.SUPERVISOR, name="ana"), "beto", "POL-GDL", False, False),  # not a desk one
        (person(Role.SUPERVISOR, name="ana"), "beto", "POL-GDL", True, True),
        (person(Role.OFFICER, name="ana"), "beto", "POL-GDL", True, False),
        (person(Role.SUPERVISOR, name="ana", agency="POL-ZAP"), "beto", "POL-GDL", True, False),
    ],
)
def test_can_manage_subscription(
    principal: Principal, owner: str, agency: str, desk: bool, allowed: bool
) -> None:
    assert bool(can_manage_subscription(principal, owner, agency, desk)) is allowed
