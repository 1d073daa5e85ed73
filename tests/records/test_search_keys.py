"""Search text becomes the same key the store indexed when the record was written."""

from __future__ import annotations

from datetime import date

import pytest

from plataforma.model.records import record_model
from plataforma.model.values import make_curp, normalize_text
from plataforma.records.search import InvalidQuery, SearchKind, search_key


def _person_keys(**fields: str) -> set[tuple[str, str]]:
    body = record_model("person").model_validate({"source_ref": "P-1", **fields})
    return set(body.match_keys())


def test_name_and_date_of_birth_keys_match_what_persons_index() -> None:
    keys = _person_keys(
        given_names="Ana María", first_surname="de la Cruz", second_surname="Núñez",
        date_of_birth="13/02/1990",
    )  # fmt: skip
    by_name = search_key(SearchKind.NAME, "Ana Maria de la Cruz Nunez")
    with_dob = search_key(SearchKind.NAME, "ANA MARÍA DE LA CRUZ NÚÑEZ", "1990-02-13")
    by_year = search_key(SearchKind.NAME, "Ana Maria de la Cruz Nunez", "1990")
    indexed = {value for kind, value in keys if kind == "name"}
    assert all(k.kind == "name" and k.prefix for k in (by_name, with_dob, by_year))
    assert all(any(v.startswith(k.value) for v in indexed) for k in (by_name, with_dob, by_year))
    other = search_key(SearchKind.NAME, "Ana Maria de la Cruz Nunez", "1991")
    assert not any(v.startswith(other.value) for v in indexed)


def test_identifiers_are_normalised_and_invalid_ones_refused() -> None:
    curp = make_curp("Ana", "Ruiz", "Soto", date(1990, 2, 13), "M", "JC")
    assert search_key(SearchKind.CURP, curp.lower()).value == curp
    assert search_key(SearchKind.PLATE, "jkl-123-a").value == "JKL123A"
    assert search_key(SearchKind.FOLIO, "iph-ñ 01").value == normalize_text("IPH-Ñ 01")
    bad = [(SearchKind.CURP, "RUSA900213"), (SearchKind.VIN, "123"), (SearchKind.SERIAL, "S/N")]
    for kind, text in bad:
        with pytest.raises(InvalidQuery) as raised:
            search_key(kind, text)
        assert raised.value.errors[0].pointer == "/q"
    with pytest.raises(InvalidQuery):
        search_key(SearchKind.NAME, "Ana")  # a given name alone would match half the country
    with pytest.raises(InvalidQuery) as raised:
        search_key(SearchKind.NAME, "Ana Ruiz", "31/02/1990")
    assert raised.value.errors[0].pointer == "/dob"
