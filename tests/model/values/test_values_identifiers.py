"""Properties every keep-as-written identifier shares, checked for all of them at once."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plataforma.model.values import (
    Identifier,
    parse_curp,
    parse_document,
    parse_firearm_serial,
    parse_phone,
    parse_plate,
    parse_vin,
)

PARSERS: dict[str, Callable[[str], Identifier]] = {
    "curp": parse_curp,
    "plate": parse_plate,
    "vin": parse_vin,
    "serial": parse_firearm_serial,
    "phone": parse_phone,
    "phone_us": lambda s: parse_phone(s, "US"),
    "passport": lambda s: parse_document(s, "passport", "GT"),
    "ine": lambda s: parse_document(s, "ine"),
    "rfc": lambda s: parse_document(s, "rfc"),
    "nss": lambda s: parse_document(s, "nss"),
    "other_document": parse_document,
}
# Text that looks like identifiers is far likelier to reach the valid branches than st.text().
identifier_like = st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789 -+.", max_size=20)
any_text = st.one_of(st.text(), identifier_like)


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@given(text=any_text)
def test_parsing_never_raises_and_keys_follow_validity(
    parse: Callable[[str], Identifier], text: str
) -> None:
    value = parse(text)
    assert value.raw == text.strip()
    if value.valid:
        assert value.match_key is not None
        assert value.problem is None
    else:
        assert value.match_key is None
        assert value.normalized is None
        assert value.problem


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@given(text=any_text)
def test_normalisation_is_idempotent(parse: Callable[[str], Identifier], text: str) -> None:
    value = parse(text)
    if value.normalized is not None:
        again = parse(value.normalized)
        assert again.normalized == value.normalized
        assert again.match_key == value.match_key
