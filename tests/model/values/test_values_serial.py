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


def test_slashes_and_underscores_are_separators() -> None:
    assert parse_firearm_serial("ab/12_345").match_key == "AB12345"


@pytest.mark.parametrize(
    ("read", "stamped"),
    [("A8BO1", "AB801"), ("GL0CK-5S1", "GLOCK-551"), ("l2345", "12345"), ("DZ-66", "02-G6")],
)
def test_a_worn_stamping_misread_shares_the_skeleton(read: str, stamped: str) -> None:
    asked, stored = parse_firearm_serial(read), parse_firearm_serial(stamped)
    assert asked.skeleton_key == stored.skeleton_key
    assert asked.match_key != stored.match_key


def test_o_for_zero_fillers_are_placeholders_not_everyones_twin() -> None:
    assert parse_firearm_serial("OOOO").problem == "no serial (obliterated or missing)"
