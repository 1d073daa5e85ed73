"""Preparation: one normalised mention per row, never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from resolve_rows import curp, row

from plataforma.model.values import PartialDate
from plataforma.resolve import COMPARISONS, INPUT_FIELDS, prepare_mention
from plataforma.resolve.blocking import blocking_keys
from plataforma.resolve.comparisons import comparison_levels


def test_row_is_normalised() -> None:
    m = prepare_mention(
        row(
            "r1",
            given_name="Ma. Guadalupe",
            first_surname="Peña",
            second_surname="de la Cruz",
            sex="mujer",
            date_of_birth="14/02/1990",
            birth_state="Jalisco",
            municipality="14039",
            alias="La Güera",
            phone="33 1234 5678",
        ),
        0,
    )
    assert m.given_tokens == ("MARIA", "GUADALUPE")
    assert (m.first_surname, m.second_surname) == ("PENA", "DE LA CRUZ")
    assert m.sex == "M" and m.birth_state == "14" and m.municipality == "14039"
    assert m.dob == PartialDate(1990, 2, 14)
    assert m.aliases == frozenset({"GUERA"})
    assert m.phone == "+523312345678"
    assert m.curp_prefix.endswith("900214")  # derived from the name and date


def test_given_names_column_is_accepted() -> None:
    m = prepare_mention({"record_id": "r", "given_names": "José Luis"}, 0)
    assert m.given_tokens == ("JOSE", "LUIS")


def test_unicode_oddities_give_the_same_mention() -> None:
    plain = prepare_mention(row("a", given_name="José Ángel", first_surname="Peña"), 0)
    odd = prepare_mention(
        row("b", given_name="JOSE\u0301\u00a0a\u0301ngel", first_surname="PENNA"), 1
    )
    assert odd.given == plain.given
    assert odd.first_phonetic == plain.first_phonetic


def test_non_latin_names_are_transliterated() -> None:
    m = prepare_mention(row("r", given_name="Владимир", first_surname="Петров"), 0)
    assert m.given == "VLADIMIR" and m.first_surname == "PETROV"


def test_invalid_fields_are_problems_not_exceptions() -> None:
    m = prepare_mention(row("r", given_name="Juan", date_of_birth="31/02/1990", sex="?"), 0)
    assert m.dob is None and m.sex == ""
    assert any(p.startswith("date_of_birth") for p in m.problems)
    assert any(p.startswith("sex") for p in m.problems)


def test_invalid_curp_is_weak_evidence() -> None:
    good = curp("Juan", "Pérez", "López", "1990-02-14")
    # Position 15 weighs 3 in the check digit: a neighbouring letter always breaks it.
    typo = good[:15] + ("M" if good[15] != "M" else "N") + good[16:]
    m = prepare_mention(row("r", given_name="Juan", first_surname="Pérez", curp=typo), 0)
    assert m.curp == "" and m.curp_text == typo
    assert m.dob == PartialDate(1990, 2, 14) and m.sex == "H" and m.birth_state == "14"
    assert "curp: invalid, kept as weak evidence" in m.problems


def test_lone_surname_moves_to_first_and_sparse_records_are_flagged() -> None:
    m = prepare_mention(row("r", given_name="Juan", second_surname="López"), 0)
    assert (m.first_surname, m.second_surname) == ("LOPEZ", "")
    assert prepare_mention(row("s", given_name="Juan"), 1).sparse
    assert not m.sparse


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
)  # any Unicode but lone surrogates, which no CSV reader produces


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(INPUT_FIELDS), _TEXT),
    st.dictionaries(st.sampled_from(INPUT_FIELDS), _TEXT),
)
def test_any_text_in_any_field_prepares_and_compares(
    first: dict[str, str], second: dict[str, str]
) -> None:
    a, b = prepare_mention(first, 0), prepare_mention(second, 1)
    levels = comparison_levels(a, b)
    assert len(levels) == len(COMPARISONS)
    assert all(0 <= level < len(c.levels) for level, c in zip(levels, COMPARISONS, strict=True))
    blocking_keys(a)
