"""The SQL visibility filter and ``policy.can_read`` agree, for every principal and record.

Listings, searches, overviews and exports select rows with :func:`visible_clause`; the single
record endpoints decide with :func:`policy.can_read`. If the two ever disagreed, a listing
would show what a read refuses, or its cursors would again depend on hidden rows. So every
combination is stored and asked: roles × clearance × restricted files × agency level × state
for the principal, agency × marking × restricted file × state for the record.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.records.service import RecordService, validate
from plataforma.records.visibility import visible_clause
from plataforma.security import policy
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role
from plataforma.store.tables import records

RECORD_AGENCIES = ("MUN-A", "MUN-B")
RECORD_STATES = ("14", "09", None)
RECORD_FILES = (None, RestrictedFile.JUVENILE, RestrictedFile.GANG)


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    """The owning agencies are registered: the records service refuses unknown owners."""
    for code in ("MUN-A", "MUN-B"):
        add_agency(platform, code)


def _store_every_combination(platform: Platform) -> dict[str, policy.RecordFacts]:
    service = RecordService(platform)
    stored: dict[str, policy.RecordFacts] = {}
    combos = itertools.product(RECORD_AGENCIES, Marking, RECORD_FILES, RECORD_STATES)
    items = []
    for n, (agency, marking, restricted, state) in enumerate(combos):
        body: dict[str, object] = {
            "source_ref": f"R-{n}",
            "agency": agency,
            "marking": marking,
            "restricted_file": restricted,
            "given_names": "Ana",
            "first_surname": "Sintética",
        }
        if state:
            body["addresses"] = [{"state": state}]
        items.append(service.prepare_for(LOCAL_ADMIN, validate("person", body)))
    for result, item in zip(service.write(LOCAL_ADMIN, items), items, strict=True):
        stored[result.id] = policy.RecordFacts(
            "person",
            item.agency,
            Marking(item.marking),
            item.state,
            item.restricted_file,
        )
    return stored


def _principals() -> list[Principal]:
    found = []
    for roles, clearance, access, (level, state), agency in itertools.product(
        (frozenset({Role.OFFICER}), frozenset({Role.AUDITOR})),
        Marking,
        (frozenset(), frozenset({RestrictedFile.JUVENILE})),
        (("federal", None), ("state", "14"), ("state", None), ("municipal", "14")),
        ("MUN-A", "OTHER"),
    ):
        found.append(Principal("u", agency, roles, clearance, level, state, access))
    return found


def test_the_sql_filter_and_can_read_agree_everywhere(platform: Platform) -> None:
    stored = _store_every_combination(platform)
    assert len(stored) == 2 * 4 * 3 * 3
    assert {f.state for f in stored.values()} == {"14", "09", None}  # the state was derived
    disagreements = []
    with platform.engine.connect() as conn:
        for principal in _principals():
            for purpose in (policy.Purpose.PATROL, None):
                clause = visible_clause(policy.visibility(principal, purpose))
                query = select(records.c.id).where(records.c.record_type == "person", clause)
                in_sql = {row.id for row in conn.execute(query)}
                by_policy = {
                    record_id
                    for record_id, facts in stored.items()
                    if policy.can_read(principal, facts, purpose)
                }
                if in_sql != by_policy:
                    disagreements.append((principal, purpose, in_sql ^ by_policy))
    assert not disagreements, disagreements[:3]


def test_the_filter_lets_something_through_and_keeps_something_out(platform: Platform) -> None:
    """Guards the test above against agreeing vacuously (everything or nothing visible)."""
    stored = _store_every_combination(platform)
    officer = Principal(
        "u", "MUN-A", frozenset({Role.OFFICER}), Marking.CONFIDENTIAL, "municipal", "14"
    )
    clause = visible_clause(policy.visibility(officer, policy.Purpose.PATROL))
    with platform.engine.connect() as conn:
        seen = {r.id for r in conn.execute(select(records.c.id).where(clause))}
    markings = {stored[i].marking for i in seen if i in stored}
    assert Marking.CONFIDENTIAL in markings and Marking.SECRET not in markings
    assert all(stored[i].restricted_file is None for i in seen if i in stored)
    assert all(
        stored[i].agency == "MUN-A" for i in seen if i in stored and stored[i].marking.rank > 1
    )
