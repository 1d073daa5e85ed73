import pytest

from plataforma.model.values import parse_firearm_serial


def test_serial_is_normalised_and_keeps_make() -> None:
    serial = parse_firearm_serial(" abc-12.345 ", make="Glock")
    assert serial.match_key == "ABC12345"
    assert serial.make == "Glock"


@pytest.mark.parametrize(
    "raw",
    ["S/N", "s/n", "SIN NUMERO", "Sin número", "NA", "N/A", "0000", "XXXX", "xxxxxx", "ILEGIBLE",
     "limado", "BORRADO", ""],
)  # fmt: skip
def test_obliterated_or_missing_serials_are_never_keys(raw: str) -> None:
    serial = parse_firearm_serial(raw)
    assert serial.problem == "no serial (obliterated or missing)"
    assert serial.match_key is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("AB", "not 3 to 20 characters"), ("A" * 21, "not 3 to 20 characters"),
     ("AB#123", "unexpected characters")],
)  # fmt: skip
def test_malformed_serials(raw: str, problem: str) -> None:
    assert parse_firearm_serial(raw).problem == problem
