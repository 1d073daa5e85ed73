import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import CURP_STATE_CODES, curp_check_digit, make_curp, parse_curp

VALID = make_curp("Juan Carlos", "Pérez", "García", dt.date(1985, 3, 14), "H", "DF", 3)


def test_make_curp_follows_renapo_layout() -> None:
    assert VALID == "PEGJ850314HDFRRN33"
    assert curp_check_digit(VALID[:17]) == VALID[17]


def test_valid_curp_decodes() -> None:
    curp = parse_curp(" pegj 850314 hdfrrn33 ")
    assert curp.valid
    assert curp.normalized == VALID
    assert curp.birth_date == dt.date(1985, 3, 14)
    assert curp.sex == "H"
    assert curp.state_code == "DF"


def test_homoclave_letter_means_born_after_2000() -> None:
    curp = parse_curp(make_curp("Ana", "López", None, dt.date(2003, 1, 2), "M", "JC", 1))
    assert curp.birth_date == dt.date(2003, 1, 2)
    assert curp.normalized is not None
    assert curp.normalized[2] == "X"  # no second surname


def test_compound_given_name_skips_maria_and_particles() -> None:
    curp = make_curp("María de los Ángeles", "de la Cruz", "Núñez", dt.date(1990, 1, 1), "M", "NE")
    assert curp.startswith("CUNA")
    assert parse_curp(curp).valid


def test_forbidden_word_is_masked() -> None:
    curp = make_curp("Oscar", "Puente", "Tapia", dt.date(1990, 1, 1), "H", "DF")
    assert curp.startswith("PXTO")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        (VALID[:17], "not 18 characters"),
        (VALID[:17] + "0", "check digit mismatch"),
        ("PEGJ851314HDFRRN30", "impossible birth date"),
        ("PEGJ850314HZZRRN33", "unknown state code"),
        ("PEGJ850231HDFRRN33", "impossible birth date"),
        ("1EGJ850314HDFRRN33", "malformed CURP structure"),
    ],
)
def test_invalid_curps_are_kept_with_a_reason(raw: str, problem: str) -> None:
    curp = parse_curp(raw)
    assert not curp.valid
    assert curp.raw == raw
    assert curp.match_key is None
    assert curp.birth_date is None
    assert curp.problem == problem


@given(
    given_names=st.text(max_size=30),
    first=st.text(max_size=30),
    second=st.one_of(st.none(), st.text(max_size=30)),
    born=st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    sex=st.sampled_from("HMX"),
    state=st.sampled_from(sorted(CURP_STATE_CODES)),
    seed=st.integers(),
)
def test_make_curp_is_always_valid_and_decodes_back(
    given_names: str,
    first: str,
    second: str | None,
    born: dt.date,
    sex: str,
    state: str,
    seed: int,
) -> None:
    curp = parse_curp(make_curp(given_names, first, second, born, sex, state, seed))
    assert curp.valid, curp.problem
    assert (curp.birth_date, curp.sex, curp.state_code) == (born, sex, state)


def test_make_curp_rejects_unknown_state() -> None:
    with pytest.raises(ValueError):
        make_curp("Juan", "Pérez", None, dt.date(1990, 1, 1), "H", "XX")
