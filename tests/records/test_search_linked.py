"""Search groups by national person where the person index has linked the records.

Without links a name search splits a man's file with a birth date from the warrant written
without one ("may be several people"); once the resolver links both to one national person
they are one subject, marked as a resolution cluster. Links never show a hidden record.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.search import SearchKind, search_records
from plataforma.records.search_linked import LinkedResolver
from plataforma.records.search_subjects import Mention, SubjectBasis, SubjectLabel
from plataforma.records.service import RecordService, validate
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role
from plataforma.store import reader
from plataforma.store.engine import begin_write
from plataforma.store.tables import person_links, records

OFFICER = Principal("officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU, "municipal", "14")
NAME = {"given_names": "José", "first_surname": "Ramírez", "second_surname": "Acuña"}


def _mention(record_id: str, *keys: str, ordinal: int = 0) -> Mention:
    return Mention(record_id, keys, SubjectLabel(), ordinal=ordinal)


def test_linked_mentions_form_one_resolution_subject_and_others_keep_their_keys() -> None:
    resolver = LinkedResolver({("a", 0): "a.0", ("b", 0): "a.0", ("inc", 1): "a.0"})
    subjects = resolver.resolve(
        [
            _mention("a", "name:JOSE|RAMIREZ|ACUNA|1980-02-03"),
            _mention("b", "name:JOSE|RAMIREZ|ACUNA|"),
            _mention("inc", "name:JOSE|RAMIREZ|ACUNA|", ordinal=1),
            _mention("inc", "name:LUCIA|MORA||", ordinal=0),  # the victim: not linked
            _mention("c", "curp:RAAJ800203HJCMCS09"),
        ]
    )
    assert subjects[0] == subjects[1] == subjects[2]
    assert subjects[0].basis is SubjectBasis.RESOLVER and subjects[0].id == "person:a.0"
    assert subjects[3].id != subjects[0].id and subjects[3].basis is SubjectBasis.NAME_ONLY
    assert subjects[4].basis is SubjectBasis.CURP


def _store(platform: Platform, kind: str, body: dict[str, Any]) -> str:
    service = RecordService(platform)
    result = service.write(LOCAL_ADMIN, [service.prepare_for(LOCAL_ADMIN, validate(kind, body))])
    with platform.engine.connect() as conn:
        found = reader.get_by_source(conn, body["agency"], kind, body["source_ref"])
    assert found is not None and result
    return found.id


def _link(platform: Platform, record_id: str, person_id: str) -> None:
    with begin_write(platform.engine) as conn:
        conn.execute(
            insert(person_links),
            {"mention_id": f"{record_id}.0", "record_id": record_id, "ordinal": 0,
             "role": "subject", "person_id": person_id, "match_score": 0.97,
             "explanation": {}, "model_version": "test", "linked_at": datetime.now(UTC)},
        )  # fmt: skip


@pytest.fixture
def world(platform: Platform) -> Platform:
    for code in ("POL-GDL", "FGE-JAL"):
        add_agency(platform, code)
    return platform


def _groups(platform: Platform, principal: Principal = OFFICER) -> list[Any]:
    page = search_records(
        platform, principal, SearchKind.NAME, "José Ramírez Acuña", Purpose.PATROL,
        today=date(2026, 12, 1),
    )  # fmt: skip
    return list(page.groups)


def test_a_name_search_groups_a_file_and_an_undated_warrant_by_their_national_person(
    world: Platform,
) -> None:
    file_id = _store(world, "person", {"source_ref": "P1", "agency": "POL-GDL", **NAME,
                                        "date_of_birth": "1980-02-03"})  # fmt: skip
    warrant_id = _store(world, "warrant", {
        "source_ref": "W1", "agency": "FGE-JAL", **NAME, "warrant_type": "aprehension",
        "case_number": "CP-1", "issued_by": "Juzgado", "issued_at": "2026-03-02",
        "issuing_state": "14", "crime_types": ["extorsion"]})  # fmt: skip
    assert len(_groups(world)) == 2  # by keys alone: one dated, one "may be several people"
    person = f"{file_id}.0"
    _link(world, file_id, person)
    _link(world, warrant_id, person)
    (group,) = _groups(world)
    assert group.basis is SubjectBasis.RESOLVER
    assert {r.record.id for r in group.records} == {file_id, warrant_id}
    assert group.records[0].record.id == warrant_id  # the hit first


def test_a_linked_record_the_caller_may_not_read_is_never_in_the_group(world: Platform) -> None:
    file_id = _store(world, "person", {"source_ref": "P1", "agency": "POL-GDL", **NAME,
                                        "date_of_birth": "1980-02-03"})  # fmt: skip
    secret_id = _store(world, "person", {"source_ref": "P2", "agency": "FGE-JAL", **NAME,
                                          "marking": "SECRET"})  # fmt: skip
    for record_id in (file_id, secret_id):
        _link(world, record_id, f"{file_id}.0")
    groups = _groups(world)
    shown = {r.record.id for g in groups for r in g.records}
    assert shown == {file_id} and sum(g.record_count for g in groups) == 1
    with world.engine.connect() as conn:  # the hidden record is there, only not shown
        assert conn.execute(select(records.c.id).where(records.c.id == secret_id)).first()
