"""Every person a record names becomes one mention, with its ordinal and role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from plataforma.model.envelope import Envelope, Marking
from plataforma.resolve.records import mention_id, mentions_of_record, split_mention_id

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def envelope(record_type: str, data: dict[str, Any]) -> Envelope:
    return Envelope(
        id="R1",
        record_type=record_type,
        agency="POL-GDL",
        source_ref="X",
        marking=Marking.SBU,
        version=1,
        entered_by="clerk",
        entered_at=NOW,
        updated_at=NOW,
        data=data,
    )


def test_a_person_record_maps_its_fields_onto_the_mention_columns() -> None:
    record = envelope(
        "person",
        {
            "given_names": "José Luis",
            "first_surname": "Ramírez",
            "second_surname": "Acuña",
            "date_of_birth": "1984-07-19",
            "curp": "RAAJ840719HJCMCS09",
            "aliases": ["El Güero"],
            "documents": [{"kind": "ine", "number": "IDMEX1234567"}],
            "phones": ["33 1234 5678"],
            "addresses": [{"street": "Av. Juárez 10", "municipality": "14039", "state": "14"}],
        },
    )
    [named] = mentions_of_record(record)
    mention = named.mention
    assert (named.ordinal, named.role) == (0, "person")
    assert mention.record_id == "R1.0"
    assert mention.given_tokens == ("JOSE", "LUIS")
    assert (mention.first_surname, mention.second_surname) == ("RAMIREZ", "ACUNA")
    assert mention.dob is not None and mention.dob.iso == "1984-07-19"
    assert mention.municipality == "14039" and mention.street
    assert mention.document and mention.phone and mention.aliases


def test_a_protection_order_names_the_respondent_and_separately_the_protected_person() -> None:
    record = envelope(
        "protection_order",
        {
            "given_names": "Carlos",
            "first_surname": "Soto",
            "protected": {"given_names": "Lucía", "first_surname": "Mena", "role": "victim"},
        },
    )
    named = mentions_of_record(record)
    assert [(n.ordinal, n.role, n.mention.first_surname) for n in named] == [
        (0, "respondent", "SOTO"),
        (1, "protected", "MENA"),
    ]


def test_an_incident_names_each_involved_person_in_their_role_and_its_detainees() -> None:
    record = envelope(
        "incident",
        {
            "persons": [
                {"given_names": "Ana", "first_surname": "Ruiz", "role": "victim"},
                {"given_names": "Luis", "first_surname": "Pérez", "role": "probable_responsible"},
                {"given_names": "", "role": "witness"},  # nameless: links nobody
                {"given_names": "Eva", "first_surname": "Gil", "role": "witness"},
            ],
            "detentions": [{"person": {"given_names": "Luis", "first_surname": "Perez"}}],
        },
    )
    named = mentions_of_record(record)
    assert [(n.ordinal, n.role) for n in named] == [
        (0, "victim"),
        (1, "probable_responsible"),
        (3, "witness"),
        (4, "detainee"),
    ]
    assert [n.mention.record_id for n in named][-1] == "R1.4"


def test_warrants_and_detentions_name_their_subject_and_other_types_nobody() -> None:
    assert [n.role for n in mentions_of_record(envelope("warrant", {"given_names": "A"}))] == [
        "wanted"
    ]
    assert [n.role for n in mentions_of_record(envelope("detention", {"given_names": "A"}))] == [
        "detainee"
    ]
    assert mentions_of_record(envelope("vehicle", {"plate": "ABC123"})) == []


def test_mention_ids_round_trip() -> None:
    assert split_mention_id(mention_id("0192-ab", 3)) == ("0192-ab", 3)
    assert split_mention_id("0192-ab") == ("0192-ab", 0)
