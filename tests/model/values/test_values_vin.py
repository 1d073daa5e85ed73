import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import make_vin, parse_vin, vin_check_digit
from plataforma.model.values.confusable import confusable_alternatives, skeleton


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


# --- I/O/Q, check-digit repair and the skeleton (issue 9 item 5) ---------------------------


def test_i_o_q_are_read_as_1_0_0_because_iso_3779_never_uses_them() -> None:
    vin = parse_vin("1hgcm82633ao04352")
    assert vin.valid and vin.match_key == "1HGCM82633A004352"
    assert parse_vin("3VWFE2IC04MQOOOO1").match_key == "3VWFE21C04M000001"


def test_the_analysts_example_is_repaired_to_the_stolen_vin_and_flagged() -> None:
    typed = parse_vin("3VWFE2lC04MOOOOO1")  # lower-case l for 1, letter O for zero
    assert not typed.valid and typed.match_key is None
    assert typed.repaired == "3VWFE21C04M000001"
    assert typed.problem == (
        "check digit mismatch; possibly 3VWFE21C04M000001 (one confusable character changed)"
    )
    assert typed.skeleton_key == parse_vin("3VWFE21C04M000001").skeleton_key


@pytest.mark.parametrize("n", range(0, 400, 7))
def test_one_confused_glyph_is_repaired_to_the_original_or_not_at_all(n: int) -> None:
    vin = make_vin(n)
    for i, glyph in enumerate(vin):
        for other in confusable_alternatives(glyph):
            typed = parse_vin(vin[:i] + other + vin[i + 1 :])
            # Whatever happens to the exact key, the skeleton still finds the car.
            assert typed.skeleton_key == skeleton(vin)
            if other in "IOQ" and glyph in "10":  # read back as the digit it stands for
                assert typed.match_key == vin
            elif typed.valid:
                # Only a first glyph that moved the VIN out of North America (5 → S) escapes
                # the check digit: its exact key is another VIN, never this one.
                assert i == 0 and not typed.check_digit_applies
            else:
                assert typed.repaired in (vin, None)


def test_an_ambiguous_repair_is_no_repair() -> None:
    # Two different one-glyph changes would both satisfy the check digit: neither is chosen.
    vin = next(
        v
        for v in (make_vin(i) for i in range(5000))
        if len({c for c in _vin_candidates(v[:12] + "B" + v[13:]) if vin_check_digit(c) == c[8]})
        > 1
    )
    assert parse_vin(vin[:12] + "B" + vin[13:]).repaired is None


def _vin_candidates(vin: str) -> list[str]:
    from plataforma.model.values.vin import _candidates

    return _candidates(vin)


def test_a_repair_keeps_the_structure_north_american_vins_must_have() -> None:
    # Positions 13-17 are digits in North America: a repair never puts a letter there.
    assert parse_vin("3VWFE21C0AM000001").repaired is None


def test_a_check_digit_typed_as_a_letter_is_repaired() -> None:
    vin = next(v for v in (make_vin(i) for i in range(1000)) if v[8] == "5")
    assert parse_vin(vin[:8] + "S" + vin[9:]).repaired == vin


def test_chinese_vins_carry_the_check_digit_too() -> None:
    body = "LSVAG2180E2100001"
    vin = body[:8] + vin_check_digit(body) + body[9:]
    assert parse_vin(vin).valid and parse_vin(vin).check_digit_applies
    wrong = "X" if vin[8] != "X" else "0"
    assert parse_vin(vin[:8] + wrong + vin[9:]).problem.startswith("check digit mismatch")  # type: ignore[union-attr]


def test_other_regions_are_structure_only_with_a_skeleton_for_misreadings() -> None:
    european = parse_vin("WVWZZZ1JZXW000001")
    assert european.valid and european.repaired is None
    misread = parse_vin("WVW222IJ2XW0000O1")
    assert misread.valid and misread.match_key != european.match_key
    assert misread.skeleton_key == european.skeleton_key == "WVW2221J2XW000001"


def test_a_vin_of_the_wrong_length_has_no_skeleton() -> None:
    assert parse_vin("1HGCM82633A00435").skeleton_key is None
