"""Given names: the nickname data file, abbreviations and tokens."""

from __future__ import annotations

import pytest

from plataforma.model.values.given_names import (
    ABBREVIATIONS,
    given_name_forms,
    given_tokens,
    name_variants,
)


def test_data_file_holds_at_least_150_pairs() -> None:
    pairs = sum(len(formals - {variant}) for variant, formals in name_variants().items())
    assert pairs >= 150


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("PACO", "FRANCISCO"),
        ("PANCHO", "FRANCISCO"),
        ("PEPE", "JOSE"),
        ("LUPE", "GUADALUPE"),
        ("CHUY", "JESUS"),
        ("NACHO", "IGNACIO"),
        ("CONCHITA", "CONCEPCION"),
        ("PONCHO", "ALFONSO"),
        ("KIKE", "ENRIQUE"),
        ("CHAYO", "ROSARIO"),
        ("LALO", "EDUARDO"),
        ("CHALO", "GONZALO"),
        ("CUCA", "REFUGIO"),
        ("MECHE", "MERCEDES"),
        ("TONO", "ANTONIO"),  # Toño: the Ñ folds to N
    ],
)
def test_nickname_stands_for_its_formal_name(nickname: str, formal: str) -> None:
    assert formal in given_name_forms(nickname)


def test_a_nickname_may_stand_for_several_names() -> None:
    assert {"ALBERTO", "ROBERTO", "HUMBERTO"} <= given_name_forms("BETO")


def test_formal_name_is_its_own_form_and_unknown_names_only_themselves() -> None:
    assert "JOSE" in given_name_forms("JOSE")
    assert given_name_forms("XOCHITL") == frozenset({"XOCHITL"})


def test_abbreviations_expand() -> None:
    assert ABBREVIATIONS["MA"] == "MARIA"
    assert given_tokens("Ma. Guadalupe") == ("MARIA", "GUADALUPE")
    assert given_tokens("Fco. Javier") == ("FRANCISCO", "JAVIER")


def test_tokens_drop_particles_accents_and_case() -> None:
    assert given_tokens("maría DE LOS Ángeles") == ("MARIA", "ANGELES")
    assert given_tokens("   ") == ()
