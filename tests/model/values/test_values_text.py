import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import normalize_name_part, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Peña   Nieto ", "PENA NIETO"),
        ("PÉREZ-GARCÍA", "PEREZ GARCIA"),
        ("O'Brien", "OBRIEN"),
        ("Ma. Ñúñez", "MA NUNEZ"),
        ("¿Qué?", "QUE"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected
    assert normalize_name_part(raw) == expected


@given(st.text())
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once
