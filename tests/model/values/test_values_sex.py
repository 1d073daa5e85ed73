import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import InvalidValue, Sex, parse_sex


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("H", Sex.H), ("hombre", Sex.H), ("Masculino", Sex.H), ("male", Sex.H), ("man", Sex.H),
        ("M", Sex.M), ("m", Sex.M), ("MUJER", Sex.M), ("femenino", Sex.M), ("F", Sex.M),
        ("female", Sex.M), ("woman", Sex.M),
        ("X", Sex.X), ("NB", Sex.X), ("no binario", Sex.X), ("No-Binarie", Sex.X),
        (" Varón ", Sex.H),
    ],
)  # fmt: skip
def test_sex_words(raw: str, sex: Sex) -> None:
    assert parse_sex(raw) is sex


def test_m_means_mujer() -> None:
    # The Mexican convention, fixed by the design; never "male".
    assert parse_sex("M") is Sex.M


@pytest.mark.parametrize("raw", ["", "?", "desconocido", "1"])
def test_unknown_sex_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidValue):
        parse_sex(raw)


@given(st.text())
def test_junk_raises_only_invalid_value(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        assert parse_sex(text) in set(Sex)
