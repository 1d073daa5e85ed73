"""Hidden records change nothing a searcher sees: not a record, a count, a group or a page.

A national database must not be an existence oracle. For two callers of different agencies,
states and clearances, records of two agencies in every marking, in and out of a restricted
file, are stored in two steps: first those the caller may read, then those it may not. Every
answer (three kinds of search, several page sizes, a scan bound that cuts the answer short)
must be identical before and after the second step, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_search_groups import BORN, CURP, NAME, TODAY, person, store, warrant

from conftest import add_agency
from plataforma.context import Platform
from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.records.search import SearchKind, SearchPage, search_records
from plataforma.security import policy
from plataforma.security.audit import AuditAction
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.principal import Principal, Role
from plataforma.store import reader

PURPOSE = policy.Purpose.INVESTIGATION
CALLERS = {
    "state_prosecutor": Principal(
        "fiscal", "FGE-JAL", frozenset({Role.PROSECUTOR}), Marking.CONFIDENTIAL, "state", "14"
    ),
    "gang_analyst": Principal(
        "analista",
        "FGE-NL",
        frozenset({Role.ANALYST}),
        Marking.SECRET,
        "state",
        "19",
        frozenset({RestrictedFile.GANG}),
    ),
}
OWNERS = {"FGE-JAL": "14", "FGE-NL": "19"}
QUERIES = [
    (SearchKind.NAME, "Ramón Salas Ibarra", None),
    (SearchKind.NAME, "Ramon Salas Ibarra", "1984-07-19"),
    (SearchKind.CURP, CURP, None),
]


def combinations() -> list[tuple[str, Marking, RestrictedFile | None]]:
    return [
        (owner, marking, restricted)
        for owner in OWNERS
        for marking in Marking
        for restricted in (None, RestrictedFile.GANG)
    ]


def combination_rows(n: int, owner: str, marking: Marking, restricted: Any) -> list[Any]:
    """A warrant that would link his two groups (and be a hit), a person of a new group."""
    envelope = {"marking": str(marking), "agency": owner}
    if restricted:
        envelope["restricted_file"] = str(restricted)
    state = OWNERS[owner]
    linking = warrant(f"OA-{n}", curp=CURP, date_of_birth=BORN, issuing_state=state, **envelope)
    address = [{"state": state}]
    other = person(f"P-{n}", date_of_birth=f"19{50 + n}-01-01", addresses=address, **envelope)
    return [linking, other]


def visible(caller: Principal, kind: str, owner: str, marking: Marking, restricted: Any) -> bool:
    facts = policy.RecordFacts(kind, owner, marking, OWNERS[owner], restricted)
    return bool(policy.can_read(caller, facts, PURPOSE))


def answer(platform: Platform, caller: Principal) -> list[Any]:
    """Everything a caller is shown, for every query, page size and bound, page by page."""
    seen = []
    for kind, text, dob in QUERIES:
        for options in (
            {"page_size": 1},
            {"page_size": 2, "per_group": 1},
            {"page_size": 50, "per_group": 100},
            {"page_size": 1, "scan_bound": 2},
        ):
            cursor = None
            while True:
                page = search_records(
                    platform, caller, kind, text, PURPOSE, dob, cursor=cursor, today=TODAY,
                    **options,
                )  # fmt: skip
                seen.append(_shown(page))
                cursor = page.next_cursor
                if not cursor:
                    break
    return seen


def _shown(page: SearchPage) -> tuple[Any, ...]:
    groups = [
        (
            g.subject,
            g.basis,
            g.label,
            g.record_count,
            sorted(g.counts.items()),
            g.hit_count,
            [(f.record.agency, f.record.source_ref, f.hit) for f in g.records],
        )
        for g in page.groups
    ]
    return (page.group_count, page.record_count, page.complete, page.next_cursor, groups)


@pytest.mark.parametrize("who", sorted(CALLERS))
def test_hidden_records_change_nothing_the_caller_sees(platform: Platform, who: str) -> None:
    caller = CALLERS[who]
    for code, state in OWNERS.items():
        add_agency(platform, code, "state", "prosecutor", state)
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    base = [
        person("P-DOB", date_of_birth=BORN),  # name + date of birth
        ("person", {"source_ref": "P-CURP", "agency": "POL-GDL", **NAME, "curp": CURP}),
    ]
    shown_rows, hidden_rows = [], []
    for n, (owner, marking, restricted) in enumerate(combinations()):
        rows = combination_rows(n, owner, marking, restricted)
        for row in rows:
            readable = visible(caller, row[0], owner, marking, restricted)
            (shown_rows if readable else hidden_rows).append(row)
    assert shown_rows and hidden_rows  # both callers see some, and miss some
    store(platform, base + shown_rows)
    before = answer(platform, caller)

    store(platform, hidden_rows)
    after = answer(platform, caller)

    assert after == before
    hidden_refs = {(row[1]["agency"], row[1]["source_ref"]) for row in hidden_rows}
    shown_refs = {(agency, ref) for page in after for g in page[4] for agency, ref, _ in g[6]}
    assert shown_refs == {(r[1]["agency"], r[1]["source_ref"]) for r in base + shown_rows}
    assert not shown_refs & hidden_refs
    # The policy the test predicted is the policy the store applies.
    with platform.engine.connect() as conn:
        for agency, ref in hidden_refs:
            kind = "warrant" if ref.startswith("OA-") else "person"
            record = reader.get_by_source(conn, agency, kind, ref)
            assert record is not None
            facts = policy.RecordFacts(
                kind, record.agency, record.marking, record.state, record.restricted_file
            )
            assert not policy.can_read(caller, facts, PURPOSE)
    # And the audit trail names no hidden record either.
    platform.audit.sync()
    with platform.engine.connect() as conn:
        events = search_audit(
            conn, AuditQuery(actor=caller.username, action=AuditAction.QUERY, limit=1000)
        )
        hidden_ids = {
            record.id
            for agency, ref in hidden_refs
            if (record := reader.get_by_source(conn, agency, _kind(ref), ref)) is not None
        }
    assert events and not {i for e in events for i in e["detail"].get("ids", [])} & hidden_ids


def _kind(ref: str) -> str:
    return "warrant" if ref.startswith("OA-") else "person"
