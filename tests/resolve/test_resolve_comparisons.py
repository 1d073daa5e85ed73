"""Comparison levels, one Mexican error kind at a time."""

from __future__ import annotations

import pytest
from resolve_rows import curp, mentions, row

from plataforma.resolve import COMPARISONS
from plataforma.resolve.comparisons import comparison_levels

LEVEL = {c.name: i for i, c in enumerate(COMPARISONS)}


def _level(name: str, a: dict[str, str], b: dict[str, str]) -> str:
    x, y = mentions(a, b)
    comparison = COMPARISONS[LEVEL[name]]
    return comparison.levels[comparison_levels(x, y)[LEVEL[name]]]


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("José Luis", "JOSE LUIS", "exact"),
        ("Pepe", "José", "nickname or abbreviation"),
        ("Ma. Guadalupe", "María Guadalupe", "exact"),
        ("Paco Javier", "Franciscoo Javier", "similar spelling"),
        ("José Luis", "Luis", "part of a compound name"),
        ("EmilioPatricio", "Emilio Patricio", "part of a compound name"),
        ("José Luis", "José Antonio", "one name shared, another differs"),
        ("J.", "Jorge", "initial"),
        ("Tomás", "Toaás", "similar spelling"),
        ("Joaquín", "Óscar", "different"),
        ("", "Óscar", "unknown"),
    ],
)
def test_given_name(a: str, b: str, level: str) -> None:
    assert _level("given_name", row("a", given_name=a), row("b", given_name=b)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (("Pérez", "López"), ("PEREZ", "LOPEZ"), "both exact"),
        (("Pérez", "López"), ("Peres", "Lopes"), "both similar"),
        (("Pérez", "López"), ("López", "Pérez"), "swapped"),
        (("Pérez", "López"), ("Pérez", ""), "first exact, second missing"),
        (("Pérez", "López"), ("Pérez", "Zarza"), "first agrees, second differs"),
        (("Pérez", "López"), ("Ruiz", "Ortiz"), "different"),
    ],
)
def test_surnames(a: tuple[str, str], b: tuple[str, str], level: str) -> None:
    ra = row("a", given_name="Juan", first_surname=a[0], second_surname=a[1])
    rb = row("b", given_name="Juan", first_surname=b[0], second_surname=b[1])
    assert _level("surnames", ra, rb) == level


def test_surname_folded_into_given_names() -> None:
    ra = row("a", given_name="Juan Pérez", first_surname="López")
    rb = row("b", given_name="Juan", first_surname="Pérez", second_surname="López")
    assert _level("surnames", ra, rb) == "in other name fields"


def test_curp_levels() -> None:
    one = curp("Juan", "Pérez", "López", "1990-02-14", seed=1)
    other = curp("Juan", "Pérez", "López", "1990-02-14", seed=2)  # a namesake's homoclave
    typo = one[:5] + ("1" if one[5] != "1" else "2") + one[6:]
    assert _level("curp", row("a", curp=one), row("b", curp=one.lower())) == "exact"
    assert _level("curp", row("a", curp=one), row("b", curp=typo)) == "one or two characters differ"
    assert _level("curp", row("a", curp=one), row("b", curp=other)) == "two valid CURPs differ"


def test_date_of_birth_errors() -> None:
    assert (
        _level(
            "date_of_birth",
            row("a", date_of_birth="1990-02-05"),
            row("b", date_of_birth="1990-05-02"),
        )
        == "swapped day month"
    )


def test_fused_levels_equal_each_comparison() -> None:
    rows = [
        row(
            "a",
            given_name="Pepe",
            first_surname="Pérez",
            second_surname="López",
            sex="H",
            date_of_birth="1990-02-05",
            birth_state="14",
            municipality="14039",
            street="Hidalgo 1",
            alias="El Güero",
            document_number="ABC123456",
            phone="3312345678",
        ),
        row(
            "b",
            given_name="José",
            first_surname="López",
            second_surname="Peres",
            sex="H",
            date_of_birth="1990-05-02",
            birth_state="14",
            municipality="14040",
            street="Hidalgo 2",
            alias="Güero",
            document_number="ABC123465",
            phone="5512345678",
        ),
        row("c", given_name="Ana"),
    ]
    ms = mentions(*rows)
    for x in ms:
        for y in ms:
            assert comparison_levels(x, y) == [c.compare(x, y) for c in COMPARISONS]
