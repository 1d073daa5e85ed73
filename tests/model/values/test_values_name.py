import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import (
    PersonName,
    normalize_text,
    parse_person_name,
    split_full_name,
)


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("MARIA DE LOS ANGELES DE LA CRUZ PEREZ", ("MARIA DE LOS ANGELES", "DE LA CRUZ", "PEREZ")),
        ("Juan Carlos de la Cruz Pérez", ("Juan Carlos", "de la Cruz", "Pérez")),
        ("MARIA DEL CARMEN LOPEZ", ("MARIA DEL CARMEN", "LOPEZ", None)),
        ("JOSE DE JESUS DEL VALLE", ("JOSE DE JESUS", "DEL VALLE", None)),
        ("JOSE DE LA LUZ RAMIREZ LOPEZ", ("JOSE DE LA LUZ", "RAMIREZ", "LOPEZ")),
        ("JUAN PEREZ", ("JUAN", "PEREZ", None)),
        ("JUAN  PEREZ   GARCIA", ("JUAN", "PEREZ", "GARCIA")),
        ("PEREZ GARCIA, JUAN", ("JUAN", "PEREZ", "GARCIA")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven", None)),
        ("Cher", ("Cher", None, None)),
        ("", (None, None, None)),
    ],
)
def test_split_full_name(full: str, parts: tuple[str | None, ...]) -> None:
    name = split_full_name(full)
    assert (name.given_names, name.first_surname, name.second_surname) == parts


def test_display_keeps_accents_and_lowercases_particles() -> None:
    name = parse_person_name("JUAN CARLOS", "DE LA CRUZ", "PÉREZ")
    assert name.display == "Juan Carlos de la Cruz Pérez"


def test_key_folds_accents_and_keeps_particles() -> None:
    name = parse_person_name(" Juan  Carlos ", "de la Cruz", "Pérez")
    assert name.key == "JUAN CARLOS|DE LA CRUZ|PEREZ"
    assert name.surname_key == "DE LA CRUZ|PEREZ"
    assert name.tokens == {"JUAN", "CARLOS", "CRUZ", "PEREZ"}


def test_spelling_variants_share_a_key() -> None:
    a = parse_person_name("Ma. del Carmen", "Núñez", "Peña")
    b = parse_person_name("MARIA DEL CARMEN", "NUNEZ", "PENA")
    assert a.key == b.key
    assert a.tokens == b.tokens


def test_blank_parts_become_none() -> None:
    assert parse_person_name("Juan", "  ", None) == PersonName("Juan", None, None)
    assert parse_person_name("Juan", "", None).key == "JUAN||"


name_words = st.lists(
    st.sampled_from(["JUAN", "María", "de", "la", "DEL", "Y", "Pérez", "LOS", "Ñúñez", "MA."]),
    max_size=7,
)


@given(st.one_of(st.text(), name_words.map(" ".join)))
def test_split_never_raises_and_keeps_every_word(full: str) -> None:
    name = split_full_name(full)
    assert name.key.count("|") == 2
    if "," not in full:
        parts = (name.given_names, name.first_surname, name.second_surname)
        kept = " ".join(p for p in parts if p).split()
        assert kept == [w for w in full.split() if normalize_text(w)]
