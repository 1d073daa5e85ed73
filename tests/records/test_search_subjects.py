"""The subject grouping reads the same keys the store indexed, and the resolver seam holds.

``search_subjects`` recomputes, from a found record's content, which of its persons a key
matched. If that drifted from the models' ``match_keys`` a record would be found and then
shown as a stray group of its own, so every synthetic record is checked against its keys.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, date, datetime

from plataforma.model.envelope import Envelope
from plataforma.records.search_subjects import (
    KeyResolver,
    Mention,
    Subject,
    SubjectBasis,
    SubjectLabel,
    group_records,
    mentions_of,
)
from plataforma.records.service import validate
from plataforma.store.prepare import prepare
from plataforma.synth import generate

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PERSON_KINDS = ("person", "warrant", "detention", "protection_order", "incident")


def envelope(record_type: str, row: dict[str, object], n: int) -> tuple[Envelope, list[str]]:
    """The record as the store keeps it, and its ``name``/``curp`` key values."""
    item = prepare(validate(record_type, copy.deepcopy(row)), "X")
    record = Envelope(
        id=f"r{n}", record_type=record_type, agency=item.agency, source_ref=item.source_ref,
        marking=item.marking, version=1, entered_by="t", entered_at=NOW, updated_at=NOW,
        data=item.data,
    )  # fmt: skip
    return record, [f"{kind}:{value}" for kind, value in item.keys if kind in ("name", "curp")]


def test_every_indexed_person_key_finds_its_mention() -> None:
    checked = 0
    for record_type, rows in generate(120, 4):
        if record_type not in PERSON_KINDS:
            continue
        for n, row in enumerate(rows):
            record, keys = envelope(record_type, row, n)
            for key in keys:
                kind, _, value = key.partition(":")
                found = mentions_of(record, kind, value, prefix=False)
                assert found and not found[0].keys[0].startswith("record:"), (record_type, key)
                assert any(key in m.keys or kind == "name" for m in found)
                checked += 1
    assert checked > 300


def test_a_cluster_id_from_elsewhere_replaces_the_keys() -> None:
    """What entity resolution will do: say which mentions are one subject, by its own ids."""

    class Clusters:
        def resolve(self, mentions: Sequence[Mention]) -> list[Subject]:
            return [Subject("cluster-7", SubjectBasis.RESOLVER) for _ in mentions]

    rows = [
        ("person", {"source_ref": "A", "given_names": "Eva", "first_surname": "Luna",
                    "date_of_birth": "1991-01-01"}),
        ("person", {"source_ref": "B", "given_names": "Eva", "first_surname": "Luna",
                    "date_of_birth": "1992-02-02"}),
    ]  # fmt: skip
    found = [envelope(kind, row, n)[0] for n, (kind, row) in enumerate(rows)]
    today = date(2026, 12, 1)
    by_keys = group_records(found, "name", "EVA|LUNA||", True, today, KeyResolver())
    assert [g.basis for g in by_keys] == [SubjectBasis.NAME_AND_DATE_OF_BIRTH] * 2
    (one,) = group_records(found, "name", "EVA|LUNA||", True, today, Clusters())
    assert one.subject == "cluster-7" and one.record_count == 2
    assert one.label == SubjectLabel("Eva Luna", "1991-01-01", None)


def test_union_of_keys_is_order_free_and_names_without_dates_stay_apart() -> None:
    resolver = KeyResolver()
    a = Mention("1", ("curp:X", "name:N|1990-01-01"), SubjectLabel())
    b = Mention("2", ("name:N|1990-01-01",), SubjectLabel())
    c = Mention("3", ("curp:X",), SubjectLabel())
    d = Mention("4", ("name:N|",), SubjectLabel())
    forward = resolver.resolve([a, b, c, d])
    backward = resolver.resolve([d, c, b, a])[::-1]
    assert forward == backward
    assert {s.id for s in forward[:3]} == {"curp:X"} and forward[0].basis is SubjectBasis.CURP
    assert forward[3] == Subject("name:N|", SubjectBasis.NAME_ONLY)
