"""The IPH form: field errors as you type, storing, and the form-to-record mapping."""

from __future__ import annotations

from typing import Any

import pytest
from ui_session import csrf, signed_in

from plataforma.web.ui.forms import UnmappableForm, parse_form

FORM = {
    "folio": "IPH-UI-0001",
    "marking": "SBU",
    "occurred_at": "2024-05-01T13:45",
    "place-state": "14",
    "place-municipality": "14039",
    "crime_types": ["robo_a_transeunte_en_via_publica"],
    "narrative": "Robo a transeúnte.",
    "persons-0-role": "",
    "persons-0-given_names": "",
    "persons-1-role": "victim",
    "persons-1-given_names": "Ana",
    "persons-1-first_surname": "Ruiz",
    "persons-1-date_of_birth": "1990-02-31",
    "detentions-0-person-given_names": "Luis",
    "detentions-0-person-first_surname": "Soto",
    "detentions-0-detained_at": "2024-05-01T14:10",
}


def test_form_names_become_the_nested_record() -> None:
    parsed = parse_form(
        [
            ("persons-0-given_names", ""),
            ("persons-3-given_names", "Ana"),
            ("persons-3-role", "victim"),
            ("crime_types", "homicidio_doloso"),
            ("crime_types", "extorsion"),
            ("place-state", "14"),
            ("narrative", "  "),
        ]
    )
    assert parsed.payload == {
        "persons": [{"given_names": "Ana", "role": "victim"}],
        "crime_types": ["homicidio_doloso", "extorsion"],
        "place": {"state": "14"},
    }
    names = ["persons-3-role", "crime_types", "place-state"]
    assert parsed.field_name("/persons/0/role", names) == "persons-3-role"
    assert parsed.field_name("/crime_types/1", names) == "crime_types"
    assert parsed.field_name("/place", names) is None


def test_validation_puts_each_error_beside_its_input(client: Any) -> None:
    signed_in(client, "clerk")
    form = {**FORM, "folio": "", "place-state": "99", "csrf_token": csrf(client)}
    reply = client.post("/ui/incidents/validate", data=form, headers={"HX-Request": "true"})
    assert reply.status_code == 200
    html = reply.text
    assert 'id="err-folio" role="alert" hx-swap-oob="true">Campo obligatorio<' in html
    assert 'id="err-persons-1-date_of_birth"' in html
    error_of = html.split('id="err-persons-1-date_of_birth" role="alert" hx-swap-oob="true">')[1]
    assert not error_of.startswith("<")  # the row kept its own index despite the blank row 0
    assert 'id="err-place-state" role="alert" hx-swap-oob="true"><' not in html
    assert 'hx-swap-oob="true"></span>' in html  # fields now valid are cleared
    good = client.post(
        "/ui/incidents/validate",
        data={**FORM, "persons-1-date_of_birth": "1990"},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert "listo para guardarse" in good.text


def test_storing_a_report_shows_it_and_search_finds_it(client: Any) -> None:
    signed_in(client, "clerk")
    invalid = client.post("/ui/incidents", data={**FORM, "csrf_token": csrf(client)})
    assert invalid.status_code == 422
    assert 'value="Ana"' in invalid.text and 'aria-invalid="true"' in invalid.text
    form = {**FORM, "persons-1-date_of_birth": "1990-02-03", "csrf_token": csrf(client)}
    stored = client.post("/ui/incidents", data=form, follow_redirects=False)
    assert stored.status_code == 303
    record = client.get(stored.headers["location"])
    assert "IPH-UI-0001" in record.text and "POL-GDL" in record.text
    assert "2024-05-01 14:10 CST" in record.text  # annex time read in the place's zone
    found = client.get("/ui/search?kind=folio&q=iph-ui-0001&purpose=investigation")
    assert "1 registro encontrado" in found.text
    by_name = client.get(
        "/ui/search",
        params={"kind": "name", "q": "Ana Ruiz", "dob": "1990-02-03", "purpose": "investigation"},
    )
    assert "IPH-UI-0001" in by_name.text


@pytest.mark.parametrize(
    ("names", "reason"),
    [
        (["place", "place-state"], "both for a value and for a group"),
        (["place-state", "place"], "both for a value and for a group"),
        (["crime_types", "crime_types-0"], "both for a value and for a group"),
        (["-".join(["x"] * 500)], "too deeply nested"),
        (["persons-0-given_names-a-b-c-d"], "too deeply nested"),
        (["persons-1000-given_names"], "row number out of range"),
        (["persons--given_names"], "empty part"),
        ([f"objects-{i}-description" for i in range(1001)], "too many fields"),
    ],
)
def test_form_names_that_cannot_be_mapped_are_refused(names: list[str], reason: str) -> None:
    with pytest.raises(UnmappableForm) as refused:
        parse_form([(name, "x") for name in names])
    assert reason in refused.value.reason


def test_unmappable_forms_are_form_errors_not_server_errors(client: Any) -> None:
    signed_in(client, "clerk")
    for extra in ({"folio": "X", "folio-a": "Y"}, {"-".join(["persons"] * 2000): "1"}):
        form = {**FORM, **extra, "csrf_token": csrf(client)}
        checked = client.post("/ui/incidents/validate", data=form)
        assert checked.status_code == 400
        assert "folio" in checked.text or "persons" in checked.text
        stored = client.post("/ui/incidents", data=form)
        assert stored.status_code == 400
        assert 'value="Ana"' in stored.text  # the form comes back as typed


def test_the_annex_time_is_localised_by_the_model_not_by_the_page() -> None:
    from plataforma.web.ui import routes_incident

    assert not hasattr(routes_incident, "_localise_detentions")


def test_decimal_inputs_carry_their_attributes_escaped_once(client: Any) -> None:
    signed_in(client, "clerk")
    page = client.get("/ui/incidents/new").text
    assert 'step="any"' in page and "&quot;" not in page.split("<form", 1)[1].split("</form>")[0]
    row = client.post(
        "/ui/incidents/validate",
        data={**FORM, "place-latitude": "20.6767", "place-longitude": "-103.3475"},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert 'id="err-place-latitude" role="alert" hx-swap-oob="true"></span>' in row.text
