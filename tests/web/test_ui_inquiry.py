"""The officer's inquiry screen (server side): hit banner first, caveats, lead-not-proof."""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient
from ui_session import signed_in

from plataforma.context import Platform

sys.path.insert(0, str(Path(__file__).parents[1] / "inquiry"))
from inquiry_fixtures import BORN, PLATE, person, store, vehicle, warrant


def test_a_wanted_man_with_many_files_shows_the_banner_and_the_warrant_first(
    client: TestClient, world: Platform
) -> None:
    """Issue 8: the quick check listed matching records with no banner, warrants past row 100."""
    store(world, [*[person(f"P{i}", date_of_birth=BORN) for i in range(150)]])
    store(world, [warrant("W1", armed_and_dangerous=True)])
    page = signed_in(client, "officer").get(
        "/ui/inquiry",
        params={"kind": "person", "name": "Ramon Salas Ibarra", "dob": BORN, "purpose": "patrol"},
    )
    assert page.status_code == 200
    text = page.text
    banner = text.index('id="hit-banner"')
    assert banner < text.index('class="hit-card"') < text.index('class="others"')
    assert "COINCIDENCIA: 1 registro por confirmar" in text
    assert "Armado y peligroso" in text[banner : text.index('class="hit-card"')]
    assert "una pista, no una prueba" in text
    assert "Confirmación: consulta" in text


def test_no_hit_and_bad_input(client: TestClient, world: Platform) -> None:
    store(world, [vehicle("V1", theft="recuperado")])
    session = signed_in(client, "officer")
    page = session.get(
        "/ui/inquiry", params={"kind": "vehicle", "plate": PLATE, "purpose": "patrol"}
    )
    assert 'id="no-hit-banner"' in page.text and "recuperado" in page.text
    bad = session.get("/ui/inquiry", params={"kind": "vehicle", "plate": "A1", "purpose": "patrol"})
    assert bad.status_code == 422 and 'class="alert"' in bad.text
    partial = session.get(
        "/ui/inquiry",
        params={"kind": "vehicle", "plate": PLATE, "purpose": "patrol"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in partial.text and "no-hit-banner" in partial.text


def test_the_officer_home_has_the_inquiry_form(client: TestClient, world: Platform) -> None:
    home = signed_in(client, "officer").get("/ui/")
    assert 'id="panel-check"' in home.text and 'hx-get="/ui/inquiry"' in home.text


def test_a_misread_plate_shows_a_possible_match_to_compare(
    client: TestClient, world: Platform
) -> None:
    store(world, [vehicle("V1"), vehicle("V2", plate="JKL-I23-A", theft="recuperado")])
    page = signed_in(client, "officer").get(
        "/ui/inquiry", params={"kind": "vehicle", "plate": "JKL-I23-A", "purpose": "patrol"}
    )
    assert page.status_code == 200
    card = page.text[page.text.index('class="hit-card"') :]
    assert "Posible coincidencia" in card
    assert "leído como JKLI23A, en el registro JKL-123-A" in card
    # The recovered car typed exactly as read is an exact match: no "possible" tag on it.
    others = page.text[page.text.index('class="others"') :]
    assert "posible coincidencia" not in others
