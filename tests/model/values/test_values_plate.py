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


# --- the confusion-folded skeleton (issue 9 item 5) ---------------------------------------


@pytest.mark.parametrize(
    ("read", "on_record"),
    [
        ("ABC-I23", "ABC-123"),  # I / 1
        ("JKL-l23-A", "JKL-123-A"),  # a lower-case l typed for 1
        ("ABC-1O3", "ABC-103"),  # O / 0
        ("ABC-1D3", "ABC-103"),  # D / 0
        ("ABC-1Q3", "ABC-103"),  # Q / 0
        ("5AB-123", "SAB-123"),  # S / 5
        ("A8C-123", "ABC-123"),  # B / 8
        ("ABZ-123", "AB2-123"),  # Z / 2
        ("6HK-123", "GHK-123"),  # G / 6
        ("A8C-I2S", "ABC-125"),  # three at once
    ],
)
def test_ocr_and_typing_confusions_share_a_skeleton_but_not_an_exact_key(
    read: str, on_record: str
) -> None:
    asked, stored = parse_plate(read), parse_plate(on_record)
    assert asked.skeleton_key == stored.skeleton_key
    assert asked.match_key != stored.match_key  # a possible match, never an exact one


@pytest.mark.parametrize(
    ("one", "other"), [("ABC-123", "ABC-124"), ("ABC-123", "ABC-723"), ("ABC-123", "AEC-123")]
)
def test_glyphs_outside_the_confusion_classes_are_different_plates(one: str, other: str) -> None:
    assert parse_plate(one).skeleton_key != parse_plate(other).skeleton_key


def test_an_invalid_plate_has_no_skeleton() -> None:
    assert parse_plate("AB1").skeleton_key is None


def test_a_placeholder_read_through_its_skeleton_is_still_a_placeholder() -> None:
    assert parse_plate("OOO-000").problem == "placeholder (all zeros)"
