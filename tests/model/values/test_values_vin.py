import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import make_vin, parse_vin, vin_check_digit


@pytest.mark.parametrize("vin", ["1HGCM82633A004352", "11111111111111111", "3VWFE21C04M000001"])
def test_known_valid_vins(vin: str) -> None:
    assert vin_check_digit(vin) == vin[8]
    parsed = parse_vin(vin.lower())
    assert parsed.valid
    assert parsed.check_digit_applies
    assert parsed.match_key == vin


def test_check_digit_x_stands_for_ten() -> None:
    vin = make_vin(next(i for i in range(1000) if make_vin(i)[8] == "X"))
    assert parse_vin(vin).valid


def test_check_digit_enforced_in_north_america_only() -> None:
    assert parse_vin("1HGCM82643A004352").problem == "check digit mismatch"
    european = parse_vin("WVWZZZ1JZXW000001")  # position 9 is free outside North America
    assert european.valid
    assert not european.check_digit_applies


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        ("1HGCM82633A00435", "not a 17-character VIN"),
        ("HJ-1234567", "not a 17-character VIN"),
        ("1HGCM82633AO04352", "contains I, O or Q"),
        ("1HGCM82633A00435*", "unexpected characters"),
    ],
)
def test_invalid_vins(raw: str, problem: str) -> None:
    vin = parse_vin(raw)
    assert vin.problem == problem
    assert vin.match_key is None


@given(st.integers(min_value=0, max_value=10**17))
def test_make_vin_is_valid_and_deterministic(n: int) -> None:
    vin = make_vin(n)
    assert parse_vin(vin).valid
    assert vin[0] in "12345"
    assert make_vin(n) == vin


def test_make_vin_gives_distinct_vins() -> None:
    assert len({make_vin(i) for i in range(10_000)}) == 10_000
