import pytest

from plataforma.model.values import parse_phone


@pytest.mark.parametrize(
    "raw",
    [
        "55 1234 5678",
        "(55) 1234-5678",
        "044 55 1234 5678",
        "045 55 1234 5678",
        "01 55 1234 5678",
        "+52 55 1234 5678",
        "+52 1 55 1234 5678",
        "52 55 1234 5678",
        "0052 55 1234 5678",
    ],
)
def test_every_mexican_dialling_plan_gives_the_same_key(raw: str) -> None:
    phone = parse_phone(raw)
    assert phone.match_key == "+525512345678"
    assert phone.country == "MX"


def test_foreign_numbers_with_plus_are_kept() -> None:
    assert parse_phone("+1 (212) 555-0100").match_key == "+12125550100"
    assert parse_phone("+44 20 7946 0958").match_key == "+442079460958"


def test_default_country_supplies_the_calling_code() -> None:
    assert parse_phone("(212) 555-0100", "US").match_key == "+12125550100"
    assert parse_phone("5555 1234", "GT").match_key == "+50255551234"


@pytest.mark.parametrize(
    ("raw", "country", "problem"),
    [
        ("", "MX", "no digits"),
        ("sin teléfono", "MX", "no digits"),
        ("1234 5678", "MX", "Mexican number must have 10 digits"),
        ("0123456789", "MX", "Mexican numbers do not start with 0 or 1"),
        ("+1 234", "MX", "international number must have 8 to 15 digits"),
        ("1234567", "FR", "no country code"),
    ],
)
def test_invalid_phones(raw: str, country: str, problem: str) -> None:
    phone = parse_phone(raw, country)
    assert phone.problem == problem
    assert phone.match_key is None
