"""Agency levels are the AgencyLevel enum, and whatever is unknown gets the least reach."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.model.records.agency import AgencyLevel
from plataforma.records.service import RecordService
from plataforma.security import agencies, policy
from plataforma.security.authn import authenticate, login
from plataforma.security.identity import create_api_key
from plataforma.security.passwords import current_totp
from plataforma.security.policy import Purpose, RecordFacts
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role
from plataforma.store.tables import records

OTHER_AGENCYS_SECRET = RecordFacts("incident", "FGE-JAL", Marking.CONFIDENTIAL, None)


def _analyst(**level: AgencyLevel | str | None) -> Principal:
    return Principal("ana", "POL-GDL", frozenset({Role.ANALYST}), Marking.SECRET, **level)  # type: ignore[arg-type]


def test_a_principal_built_without_its_level_reaches_only_its_own_agency() -> None:
    principal = _analyst()
    assert principal.agency_level is AgencyLevel.MUNICIPAL
    assert not policy.can_read(principal, OTHER_AGENCYS_SECRET, Purpose.INVESTIGATION)
    own = RecordFacts("incident", "POL-GDL", Marking.CONFIDENTIAL, "14")
    assert policy.can_read(principal, own, Purpose.INVESTIGATION)


def test_levels_are_the_enum_and_an_unknown_one_is_refused() -> None:
    assert _analyst(agency_level="state").agency_level is AgencyLevel.STATE
    with pytest.raises(ValueError, match="galactic"):
        _analyst(agency_level="galactic")
    assert LOCAL_ADMIN.agency_level is AgencyLevel.FEDERAL


def test_a_state_agency_without_a_state_reaches_no_other_agency() -> None:
    stateless = _analyst(agency_level=AgencyLevel.STATE, agency_state=None)
    assert not policy.can_read(stateless, OTHER_AGENCYS_SECRET, Purpose.INVESTIGATION)
    in_state = _analyst(agency_level=AgencyLevel.STATE, agency_state="14")
    jalisco = RecordFacts("incident", "FGE-JAL", Marking.CONFIDENTIAL, "14")
    assert policy.can_read(in_state, jalisco, Purpose.INVESTIGATION)
    assert not policy.can_read(in_state, OTHER_AGENCYS_SECRET, Purpose.INVESTIGATION)


def test_logins_and_keys_carry_the_enum_and_unregistered_agencies_act_as_municipal(
    platform: Platform,
) -> None:
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_user(platform, "fiscal", "FGE-JAL", ["prosecutor"], Marking.CONFIDENTIAL)
    add_user(platform, "ghost", "NOT-REGISTERED", ["analyst"], Marking.SECRET)
    fiscal = login(platform, "fiscal", PASSWORD, current_totp(TOTP_SECRET), None).principal
    assert fiscal.agency_level is AgencyLevel.STATE and fiscal.agency_state == "14"
    ghost = login(platform, "ghost", PASSWORD, current_totp(TOTP_SECRET), None).principal
    assert ghost.agency_level is AgencyLevel.MUNICIPAL and ghost.agency_state is None
    with platform.engine.begin() as conn:
        key = create_api_key(conn, "cad", "NOT-REGISTERED", [Role.ANALYST], Marking.SECRET)
    system = authenticate(platform, None, key, None, None)
    assert system.agency_level is AgencyLevel.MUNICIPAL


def test_a_directory_entry_with_an_unknown_level_gets_the_least_reach(platform: Platform) -> None:
    add_agency(platform, "SSPC", "federal", "police")
    sspc = select(records.c.id, records.c.data).where(records.c.source_ref == "SSPC")
    with platform.engine.begin() as conn:
        row = conn.execute(sspc).one()
        corrupt = {**row.data, "level": "galactic"}
        conn.execute(update(records).where(records.c.id == row.id).values(data=corrupt))
    agencies.forget_agencies()
    with platform.engine.connect() as conn:
        facts = agencies.agency_facts(conn, "SSPC")
    assert facts is not None and facts.level is AgencyLevel.MUNICIPAL


def test_an_agency_registered_elsewhere_is_known_at_once(platform: Platform) -> None:
    """Absence is not cached: another worker's new agency is not refused for a minute."""
    with platform.engine.connect() as conn:
        assert agencies.agency_facts(conn, "FGE-NEW") is None
    entry = {"source_ref": "FGE-NEW", "agency": "FGE-NEW", "name": "Nueva", "level": "state"}
    # Written as another worker would: nothing here tells this process's cache about it.
    RecordService(platform).submit(
        LOCAL_ADMIN, "agency", {**entry, "kind": "police", "state": "14"}
    )
    with platform.engine.connect() as conn:
        found = agencies.agency_facts(conn, "FGE-NEW")
        assert found is not None and found.level is AgencyLevel.STATE
        assert not agencies.unknown_owner(conn, "incident", "FGE-NEW", "X-1")
