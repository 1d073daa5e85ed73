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


def test_ascii_key_transliterates_any_script() -> None:
    from plataforma.model.values.text import ascii_key

    assert ascii_key("Владимир") == "VLADIMIR"
    assert ascii_key("Ελένη") == "ELENI"
    assert ascii_key("José\u00a0Ñúñez") == "JOSE NUNEZ"
    assert ascii_key("Jose\u0301") == "JOSE"  # a combining accent
    assert ascii_key("習近平").isascii()
