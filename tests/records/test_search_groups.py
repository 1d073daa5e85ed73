"""Search answers by subject: one man once, his warrant first, every subject on exactly one page.

Issue 7 defect 8: name + date of birth of a wanted man returned 100 copies of his person file
and not the warrant. These tests store such a man on SQLite and PostgreSQL and read the
answer the way an officer would.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import add_agency
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.model.values import make_curp
from plataforma.records.errors import Forbidden
from plataforma.records.hits import HitKind
from plataforma.records.search import InvalidQuery, SearchKind, SearchPage, search_records
from plataforma.records.search_subjects import SubjectBasis
from plataforma.records.service import RecordService, validate
from plataforma.security.audit import AuditAction
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role

TODAY = date(2026, 12, 1)
OFFICER = Principal("officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU, "municipal", "14")
NAME = {"given_names": "Ramón", "first_surname": "Salas", "second_surname": "Ibarra"}
BORN = "1984-07-19"
CURP = make_curp("Ramón", "Salas", "Ibarra", date(1984, 7, 19), "H", "JC")


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    """The owning agencies are registered: the records service refuses unknown owners."""
    for code in ("POL-GDL", "FGE-JAL"):
        add_agency(platform, code)


def store(platform: Platform, rows: list[tuple[str, dict[str, Any]]]) -> None:
    service = RecordService(platform)
    items = [service.prepare_for(LOCAL_ADMIN, validate(kind, row)) for kind, row in rows]
    service.write(LOCAL_ADMIN, items)


def person(ref: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    return "person", {"source_ref": ref, "agency": "POL-GDL", **NAME, **extra}


def warrant(ref: str, agency: str = "FGE-JAL", **extra: Any) -> tuple[str, dict[str, Any]]:
    body = {
        "source_ref": ref,
        "agency": agency,
        **NAME,
        "warrant_type": "aprehension",
        "case_number": f"CP-{ref}",
        "issued_by": "Juzgado de Control de Zapopan",
        "issued_at": "2026-03-02",
        "issuing_state": "14",
        "crime_types": ["robo_a_transeunte_en_via_publica"],
        **extra,
    }
    return "warrant", body


def incident(ref: str, **who: Any) -> tuple[str, dict[str, Any]]:
    return "incident", {
        "source_ref": ref,
        "agency": "POL-GDL",
        "folio": ref,
        "occurred_at": "2026-05-01T10:00:00-06:00",
        "place": {"state": "14", "municipality": "14039"},
        "crime_types": ["robo_a_transeunte_en_via_publica"],
        "persons": [{"given_names": "Lucía", "first_surname": "Mora", "role": "victim"},
                    {**NAME, **who, "role": "probable_responsible"}],
    }  # fmt: skip


def search(platform: Platform, text: str, **options: Any) -> SearchPage:
    kind = options.pop("kind", SearchKind.NAME)
    dob = options.pop("dob", None)
    principal = options.pop("principal", OFFICER)
    return search_records(
        platform, principal, kind, text, Purpose.PATROL, dob, today=TODAY, **options
    )


def every_page(platform: Platform, text: str, **options: Any) -> list[SearchPage]:
    pages = [search(platform, text, **options)]
    while pages[-1].next_cursor:
        pages.append(search(platform, text, cursor=pages[-1].next_cursor, **options))
    return pages


def test_a_hundred_files_and_one_warrant_answer_one_subject_warrant_first(
    platform: Platform,
) -> None:
    files = [
        person(f"P-{i:03d}", date_of_birth=BORN, curp=CURP if i % 2 else None) for i in range(100)
    ]
    store(
        platform,
        [*files, warrant("OA-1", date_of_birth=BORN), incident("IPH-1", date_of_birth=BORN)],
    )
    store(platform, [person("P-OTHER", date_of_birth="1990-01-01")])  # same name, another man

    answer = search(platform, "Ramón Salas Ibarra", dob="19/07/1984")

    assert answer.group_count == 1 and answer.record_count == 102 and answer.complete
    (group,) = answer.groups
    assert group.basis in (SubjectBasis.CURP, SubjectBasis.NAME_AND_DATE_OF_BIRTH)
    assert group.records[0].record.record_type == "warrant"
    assert group.records[0].hit is HitKind.WARRANT
    assert group.counts == {"person": 100, "warrant": 1, "incident": 1}
    assert group.hit_count == 1 and group.record_count == 102
    assert len(group.records) == 10  # shown per group; the counts say there are more
    assert group.label.name == "Ramón Salas Ibarra" and group.label.date_of_birth == BORN

    by_name = search(platform, "Ramon Salas Ibarra")
    assert [g.label.date_of_birth for g in by_name.groups] == [BORN, "1990-01-01"]
    assert by_name.groups[0].records[0].hit is HitKind.WARRANT


def test_a_curp_links_writings_of_one_man_and_expired_orders_are_not_hits(
    platform: Platform,
) -> None:
    store(
        platform,
        [
            person("P-1", curp=CURP, date_of_birth=BORN),
            ("person", {"source_ref": "P-2", "agency": "POL-GDL", "given_names": "Ramon",
                        "first_surname": "Zalas", "curp": CURP}),
            warrant("OA-OLD", curp=CURP, expires_at="2026-06-30"),
            warrant("OA-CANCELLED", curp=CURP, status="cleared"),
        ],
    )  # fmt: skip
    answer = search(platform, CURP.lower(), kind=SearchKind.CURP)
    (group,) = answer.groups
    assert group.basis is SubjectBasis.CURP and group.subject == f"curp:{CURP}"
    assert group.record_count == 4 and group.hit_count == 0
    assert {f.record.source_ref for f in group.records} == {"P-1", "P-2", "OA-OLD", "OA-CANCELLED"}


def test_paging_returns_every_subject_exactly_once_in_one_stable_order(
    platform: Platform,
) -> None:
    rows = [person(f"P-{year}", date_of_birth=f"{year}-02-03") for year in range(1970, 1983)]
    rows += [warrant(f"OA-{year}", date_of_birth=f"{year}-02-03") for year in (1975, 1980)]
    rows += [person("P-NODOB"), incident("IPH-NODOB")]  # no date of birth: a bucket of its own
    store(platform, rows)

    whole = search(platform, "Ramón Salas Ibarra", page_size=50)
    pages = every_page(platform, "Ramón Salas Ibarra", page_size=3)
    paged = [g.subject for page in pages for g in page.groups]

    assert len(whole.groups) == whole.group_count == 14
    assert paged == [g.subject for g in whole.groups]  # each once, in the same order
    assert all(p.group_count == 14 and p.record_count == 17 for p in pages)
    assert [g.label.date_of_birth for g in whole.groups[:2]] == ["1975-02-03", "1980-02-03"]
    assert whole.groups[-1].basis is SubjectBasis.NAME_ONLY
    assert whole.groups[-1].record_count == 2


def test_bad_cursors_and_sizes_name_their_field_and_searches_are_audited(
    platform: Platform,
) -> None:
    store(platform, [person("P-1", date_of_birth=BORN)])
    for options, pointer in (
        ({"cursor": "not-a-cursor"}, "/cursor"),
        ({"cursor": "WzEsMiwzXQ"}, "/cursor"),  # valid base64 JSON, wrong shape
        ({"page_size": 0}, "/limit"),
        ({"per_group": 101}, "/per_group"),
    ):
        with pytest.raises(InvalidQuery) as raised:
            search(platform, "Ramón Salas Ibarra", **options)
        assert raised.value.errors[0].pointer == pointer
    with pytest.raises(Forbidden):
        search_records(platform, OFFICER, SearchKind.NAME, "Ramón Salas Ibarra", None)
    search(platform, "Ramón Salas Ibarra")
    platform.audit.sync()
    with platform.engine.connect() as conn:
        logged = search_audit(conn, AuditQuery(actor="officer", action=AuditAction.QUERY))
    assert sorted(e["outcome"] for e in logged) == ["denied", "ok"]
    (answered,) = [e for e in logged if e["outcome"] == "ok"]
    assert answered["purpose"] == "patrol"
    assert answered["detail"]["groups"] == [f"name:RAMON|SALAS|IBARRA|{BORN}"]
    assert len(answered["detail"]["ids"]) == answered["detail"]["returned"] == 1
