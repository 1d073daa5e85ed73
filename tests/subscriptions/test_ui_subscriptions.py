"""The subscriptions page through the UI's forms (TestClient), in Spanish by default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from subs_support import two_agencies

from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN


@pytest.fixture
def ui(platform: Platform) -> Iterator[TestClient]:
    from plataforma.web.app import create_app

    two_agencies(platform)
    with TestClient(create_app(platform)) as client:
        yield client


def _signed_in(client: TestClient, user: str) -> str:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
    from ui_session import csrf, sign_in

    assert sign_in(client, user).status_code == 303
    return csrf(client)


def _post(client: TestClient, token: str, **form: Any) -> Any:
    return client.post(
        "/ui/subscriptions", data={"csrf_token": token, **form}, follow_redirects=False
    )


def test_create_each_kind_list_and_delete(ui: TestClient) -> None:
    token = _signed_in(ui, "gdl_conf")
    forms = [
        {"kind": "person", "curp": "SAIR840719HJCLBM02", "purpose": "investigation"},
        {"kind": "vehicle", "plate": "jal 123 a", "purpose": "patrol", "label": "Tsuru rojo"},
        {"kind": "firearm", "serial": "AB12345", "purpose": "patrol"},
        {"kind": "search", "search_kind": "name", "q": "Ramón Salas Ibarra", "purpose": "patrol"},
        {"kind": "area", "state": "14", "crime_type": "extorsion", "purpose": "analysis",
         "desk": "1"},
    ]  # fmt: skip
    for form in forms:
        reply = _post(ui, token, **form)
        assert reply.status_code == 303, reply.text
    page = ui.get("/ui/subscriptions")
    assert page.status_code == 200
    assert "Suscripciones" in page.text and "Tsuru rojo" in page.text
    assert "Mesa de POL-GDL" in page.text  # the desk subscription
    assert page.text.count("/delete") == len(forms)
    first = page.text.split('action="/ui/subscriptions/')[1].split("/delete")[0]
    gone = ui.post(
        f"/ui/subscriptions/{first}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert gone.status_code == 303
    assert ui.get("/ui/subscriptions").text.count("/delete") == len(forms) - 1


def test_bad_input_comes_back_on_the_page_in_spanish(ui: TestClient) -> None:
    token = _signed_in(ui, "gdl_sbu")
    reply = _post(ui, token, kind="vehicle", plate="00000", purpose="patrol")
    assert reply.status_code == 422
    assert 'id="subscription-errors"' in reply.text
    assert "Placa" in reply.text or "placa" in reply.text
    without_csrf = ui.post("/ui/subscriptions", data={"kind": "vehicle", "plate": "JAL123A"})
    assert without_csrf.status_code == 403


def test_subscribe_from_a_record_page(ui: TestClient, platform: Platform) -> None:
    record = RecordService(platform).submit(
        LOCAL_ADMIN, "vehicle", {"source_ref": "V1", "agency": "POL-GDL", "plate": "JAL123A"}
    )
    token = _signed_in(ui, "gdl_sbu")
    page = ui.get(f"/ui/records/{record.id}?purpose=patrol")
    assert 'id="subscribe-record"' in page.text and "Suscribirse a este registro" in page.text
    reply = _post(ui, token, kind="record", record_id=record.id, purpose="patrol")
    assert reply.status_code == 303
    assert f'href="/ui/records/{record.id}"' in ui.get("/ui/subscriptions").text
