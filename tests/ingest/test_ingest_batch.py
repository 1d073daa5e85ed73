"""Preparing a batch: every row lands in exactly one list, and the result survives pickling."""

from __future__ import annotations

import pickle

from plataforma.ingest.batch import Malformed, Owners, PreparedBatch, prepare_batch
from plataforma.model.envelope import Marking
from plataforma.security.principal import Principal, Role
from plataforma.store.bulk import EncodedRecord

CLERK = Principal(
    username="clerk",
    agency="POL-GDL",
    roles=frozenset({Role.RECORDS_CLERK}),
    clearance=Marking.SBU,
    agency_level="municipal",
    agency_state="14",
)
OWNERS = Owners(frozenset({"POL-GDL", "OTRA"}), "POL-GDL")


def _rows() -> list[tuple[int, object]]:
    return [
        (2, {"source_ref": "P-1", "given_names": "Ana", "first_surname": "Ruiz"}),
        (3, {"source_ref": "P-2", "given_names": "Luis", "curp": "NOT-A-CURP"}),
        (4, {"source_ref": "P-3"}),  # no given_names: rejected
        (5, Malformed("unterminated quote", 'P-4,"Ana')),
        (6, {"source_ref": "P-5", "given_names": "Eva", "agency": "OTRA"}),  # not ours
    ]


def test_every_row_is_either_a_record_or_a_reject() -> None:
    batch = prepare_batch("person", CLERK, None, _rows(), owners=OWNERS)  # type: ignore[arg-type]
    assert [line for line, _ in batch.records] == [2, 3]
    assert {r.line: r.denied for r in batch.rejects} == {4: False, 5: False, 6: True}
    flagged = batch.records[1][1]
    assert "curp" in flagged.flags_json and not any(k == "curp" for k, _ in flagged.keys)


def test_a_pickled_batch_comes_back_equal_with_named_records() -> None:
    batch = prepare_batch("person", CLERK, None, _rows(), owners=OWNERS)  # type: ignore[arg-type]
    again = pickle.loads(pickle.dumps(batch))
    assert isinstance(again, PreparedBatch)
    assert again.records == batch.records and again.rejects == batch.rejects
    assert all(isinstance(record, EncodedRecord) for _, record in again.records)
    assert again.records[0][1].natural_key == ("POL-GDL", "person", "P-1")


def test_an_owner_that_is_no_registered_agency_is_a_reject() -> None:
    """Defect 4: a row's own agency column named an agency that does not exist."""
    admin = Principal("admin", "SSPC", frozenset({Role.ADMINISTRATOR}), Marking.SBU)
    owners = Owners(frozenset({"POL-GDL"}), "SSPC")
    rows = [
        (2, {"source_ref": "P-1", "given_names": "Ana", "agency": "POL-GDL"}),
        (3, {"source_ref": "P-2", "given_names": "Eva", "agency": "NOPE"}),
        (4, {"source_ref": "P-3", "given_names": "Luz"}),  # the importer's own agency
    ]
    batch = prepare_batch("person", admin, None, rows, owners=owners)  # type: ignore[arg-type]
    assert [line for line, _ in batch.records] == [2, 4]
    assert [(r.line, r.reason, r.denied) for r in batch.rejects] == [
        (3, "agency: unknown agency NOPE", False)
    ]
    # An agency's own directory record is what registers its code.
    entry = {"source_ref": "FGE-X", "agency": "FGE-X", "name": "X", "level": "federal"}
    agency_rows = [(2, {**entry, "kind": "police"})]
    made = prepare_batch("agency", admin, None, agency_rows, owners=owners)  # type: ignore[arg-type]
    assert len(made.records) == 1 and not made.rejects


def test_an_unknown_default_owner_is_refused_naming_it() -> None:
    import pytest

    from plataforma.ingest.batch import UnknownAgency

    owners = Owners(frozenset({"POL-GDL"}), "SSPC")
    owners.require("POL-GDL")
    owners.require("SSPC")
    owners.require(None)
    with pytest.raises(UnknownAgency, match="unknown agency NOPE"):
        owners.require("NOPE")
