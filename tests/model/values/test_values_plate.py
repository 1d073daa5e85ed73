import pytest

from plataforma.model.values import parse_plate


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("ABC-123-D", "ABC123D"),
        ("abc 123 d", "ABC123D"),
        ("123-ABC", "123ABC"),
        ("ÑAB.12.34", "NAB1234"),
    ],
)
def test_separators_and_case_do_not_matter(raw: str, normalized: str) -> None:
    assert parse_plate(raw).match_key == normalized


def test_state_is_kept_but_not_part_of_the_key() -> None:
    jalisco, sonora = parse_plate("JKL-12-34", "Jalisco"), parse_plate("JKL1234", "Sonora")
    assert jalisco.state == "Jalisco"
    assert jalisco.match_key == sonora.match_key


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        ("AB1", "not 5 to 8 characters"),
        ("ABC-123-DEF", "not 5 to 8 characters"),
        ("SIN PLACA", "no digits"),
        ("ABC/123", "unexpected characters"),
        ("000-000", "placeholder (all zeros)"),
    ],
)
def test_invalid_plates(raw: str, problem: str) -> None:
    plate = parse_plate(raw)
    assert plate.problem == problem
    assert plate.match_key is None
    assert plate.raw == raw
