"""The confirmation and message pages through a signed-in TestClient: each side sees its box,
the owner answers, a recipient acknowledges, a third agency sees nothing, forms need CSRF."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from ui_session import csrf, signed_in

from exchange_helpers import add_inquiry, exchange_world, hit_record
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.web.app import create_app


@pytest.fixture
def client(world: Platform) -> Iterator[TestClient]:
    """``world`` plus the third agency and users, added before the server (and its audit
    chainer) starts: SQLite refuses a deferred transaction's upgrade that races a writer."""
    exchange_world(world)
    with TestClient(create_app(world)) as test_client:
        yield test_client


def test_confirmation_pages_between_two_agencies(client: TestClient, world: Platform) -> None:
    record = hit_record(world, "FGE-JAL", "W-1", Marking.SBU)
    inquiry = add_inquiry(world, "POL-GDL", "officer", [record])
    signed_in(client, "officer")
    form = client.get(f"/ui/confirmations?inquiry_id={inquiry}&record_id={record}")
    assert "no una prueba" in form.text and inquiry in form.text
    asked = client.post(
        "/ui/confirmations",
        data={
            "inquiry_id": inquiry,
            "record_id": record,
            "priority": "urgent",
            "csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert asked.status_code == 303
    url = asked.headers["location"]
    page = client.get(url)
    assert "Esperando respuesta" in page.text and 'id="answer-form"' not in page.text
    refused = client.post(
        "/ui/confirmations",
        data={
            "inquiry_id": inquiry,
            "record_id": "x",
            "priority": "urgent",
            "csrf_token": csrf(client),
        },
    )
    assert refused.status_code == 403 and 'id="form-errors"' in refused.text

    signed_in(client, "fiscal")
    box = client.get("/ui/confirmations")
    assert 'id="incoming"' in box.text and url.rsplit("/", 1)[1] in box.text
    assert 'class="countdown"' in box.text
    no_csrf = client.post(f"{url}/answer", data={"answer": "confirmed"})
    assert no_csrf.status_code == 403
    bad = client.post(
        f"{url}/answer",
        data={"answer": "will_answer_by", "answer_by": "", "csrf_token": csrf(client)},
    )
    assert bad.status_code == 422 and 'id="form-errors"' in bad.text
    done = client.post(
        f"{url}/answer",
        data={"answer": "confirmed", "note": "vigente", "csrf_token": csrf(client)},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "vigente" in done.text and "Confirmado" in done.text

    signed_in(client, "zapopan")
    assert client.get(url).status_code == 404
    assert url.rsplit("/", 1)[1] not in client.get("/ui/confirmations").text


def test_message_pages_compose_and_acknowledge(client: TestClient, world: Platform) -> None:
    signed_in(client, "officer")
    data = {
        "kind": "bolo",
        "priority": "flash",
        "marking": "SBU",
        "to": "agency",
        "to_value": "FGE-JAL",
        "subject": "BOLO camioneta",
        "body": "Camioneta gris con placas JAL-999",
        "csrf_token": csrf(client),
    }
    bad = client.post("/ui/messages", data=data | {"to": "state", "to_value": "Jalsco"})
    assert bad.status_code == 422 and 'id="form-errors"' in bad.text
    sent = client.post("/ui/messages", data=data, follow_redirects=False)
    assert sent.status_code == 303
    url = sent.headers["location"]
    assert "Camioneta gris" in client.get(url).text

    signed_in(client, "fiscal")
    inbox = client.get("/ui/messages")
    assert "BOLO camioneta" in inbox.text and "Acusar recibo" in inbox.text
    acked = client.post(f"{url}/ack", data={"csrf_token": csrf(client)}, follow_redirects=True)
    assert acked.status_code == 200 and 'id="ack-form"' not in acked.text

    signed_in(client, "officer")
    assert "fiscal" in client.get(url).text  # the sender sees who acknowledged

    signed_in(client, "zapopan")
    assert client.get(url).status_code == 404
    assert "BOLO camioneta" not in client.get("/ui/messages").text
