"""The Spanish phonetic key: spellings that sound alike in Mexico share it."""

from __future__ import annotations

import pytest

from plataforma.model.values.phonetic import phonetic_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Vázquez", "Basquez"),
        ("Yáñez", "Llanes"),
        ("Jiménez", "Giménez"),
        ("Peña", "Penna"),
        ("Hernández", "Ernandes"),
        ("Xavier", "Javier"),
        ("González", "Gonsales"),
        ("Guerrero", "Guerero"),
    ],
)
def test_same_sound_same_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), [("Pérez", "López"), ("Ramos", "Ramírez"), ("Juan", "Iván")])
def test_different_names_differ(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


def test_empty_and_non_latin_do_not_crash() -> None:
    assert phonetic_key("") == ""
    assert phonetic_key("Владимир") == phonetic_key("Vladimir")
    assert phonetic_key("習近平")  # transliterated, not empty
