import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import InvalidValue, parse_country


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("MX", "MX"), ("mex", "MX"), ("México", "MX"), ("MEXICO", "MX"),
        ("Estados Unidos", "US"), ("EUA", "US"), ("EE.UU.", "US"), ("USA", "US"),
        ("United States", "US"), ("Guatemala", "GT"), ("gtm", "GT"), ("El Salvador", "SV"),
        ("Alemania", "DE"), ("Germany", "DE"), ("Reino Unido", "GB"), ("Perú", "PE"),
        ("Corea del Sur", "KR"), ("Kosovo", "XK"),
    ],
)  # fmt: skip
def test_codes_and_names(raw: str, code: str) -> None:
    assert parse_country(raw) == code


@pytest.mark.parametrize("raw", ["", "N/A", "Narnia", "ZZ", "Unión Europea"])
def test_unknown_countries(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_country(raw)
    assert caught.value.reason == f"unknown country '{raw}'"


@given(st.text())
def test_junk_raises_only_invalid_value(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        assert len(parse_country(text)) == 2
