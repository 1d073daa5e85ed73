"""policy.can_view_trends: the trend roles with a declared purpose, nobody else."""

from __future__ import annotations

import pytest

from plataforma.model.envelope import Marking
from plataforma.security import policy
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal, Role


def who(*roles: Role) -> Principal:
    return Principal(
        username="u",
        agency="POL-GDL",
        roles=frozenset(roles),
        clearance=Marking.SECRET,
        agency_level="municipal",
        agency_state="14",
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ANALYST, True),
        (Role.INTELLIGENCE_ANALYST, True),
        (Role.SUPERVISOR, True),
        (Role.AUDITOR, True),
        (Role.OFFICER, False),
        (Role.RECORDS_CLERK, False),
        (Role.PROSECUTOR, False),
        (Role.SCREENING_OFFICER, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_the_trend_roles(role: Role, allowed: bool) -> None:
    decision = policy.can_view_trends(who(role), Purpose.ANALYSIS)
    assert bool(decision) is allowed
    if not allowed:
        assert "analyst" in decision.reason


def test_a_purpose_is_required_and_must_be_declarable() -> None:
    assert "purpose" in policy.can_view_trends(who(Role.ANALYST), None).reason
    assert not policy.can_view_trends(who(Role.ANALYST), Purpose.PUBLIC_LOOKUP)
    # An officer who is also a supervisor reads trends: any trend role suffices.
    assert policy.can_view_trends(who(Role.OFFICER, Role.SUPERVISOR), Purpose.ANALYSIS)
