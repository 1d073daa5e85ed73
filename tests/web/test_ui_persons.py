"""The review queue and the national person pages over HTTP, on every backend: what each
role sees, a decision applied at once, a revoke, refusals as pages, forged posts refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from person_pages_support import SECRET_SPELLING, Seeded, seed_person_pages
from ui_session import csrf, signed_in

from plataforma.context import Platform
from plataforma.web.app import create_app


@pytest.fixture
def seeded(platform: Platform) -> Iterator[tuple[TestClient, Seeded]]:
    data = seed_person_pages(platform)
    with TestClient(create_app(platform)) as client:
        yield client, data


def _pair_ids(html: str) -> list[str]:
    return re.findall(r'id="pair-(\d+)"', html)


def _assert_nothing_hidden(html: str, data: Seeded) -> None:
    assert SECRET_SPELLING not in html
    assert data.hidden_warrant not in html


def test_analyst_sees_the_pair_decides_it_and_the_person_page_shows_both(
    seeded: tuple[TestClient, Seeded],
) -> None:
    client, data = seeded
    signed_in(client, "ana_gdl")
    queue = client.get("/ui/review?purpose=intelligence")
    assert queue.status_code == 200, queue.text
    _assert_nothing_hidden(queue.text, data)
    assert "Revisión de identidad" in queue.text  # Spanish by default
    pairs = _pair_ids(queue.text)
    assert pairs, "the sparse warrant should wait in the queue"
    assert data.sparse_warrant in queue.text and data.person_record in queue.text
    before = client.get(f"/ui/persons/{data.person_record}?purpose=intelligence")
    assert f'id="m-{data.sparse_warrant}-0"' not in before.text

    form = {
        "decision": "accept",
        "reason": "mismo nombre y domicilio",
        "purpose": "intelligence",
        "csrf_token": csrf(client),
    }
    done = client.post(f"/ui/review/{pairs[0]}", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"])
    assert page.status_code == 200
    assert f'id="m-{data.sparse_warrant}-0"' in page.text
    assert f'id="m-{data.person_record}-0"' in page.text
    assert "mismo nombre y domicilio" in page.text and "Misma persona" in page.text
    _assert_nothing_hidden(page.text, data)
    # The analyst is not told how many records are withheld; a supervisor is.
    assert 'id="withheld"' not in page.text
    assert pairs[0] not in _pair_ids(client.get("/ui/review?purpose=intelligence").text)

    judgement = re.search(r"/ui/persons/judgements/(\d+)/revoke", page.text)
    assert judgement is not None
    revoke = {
        "person_id": data.person_record,
        "purpose": "intelligence",
        "csrf_token": csrf(client),
    }
    undone = client.post(judgement.group(0), data=revoke, follow_redirects=False)
    assert undone.status_code == 303
    after = client.get(undone.headers["location"])
    assert 'id="revoked"' in after.text and "Revocado por ana_gdl" in after.text
    assert f'id="m-{data.sparse_warrant}-0"' not in after.text


def test_the_supervisor_is_told_how_many_are_withheld_never_which(
    seeded: tuple[TestClient, Seeded],
) -> None:
    client, data = seeded
    signed_in(client, "sup_gdl")
    page = client.get(f"/ui/persons/{data.person_record}.0?purpose=intelligence&lang=en")
    assert page.status_code == 200
    assert 'id="withheld"' in page.text and "1 record withheld" in page.text
    _assert_nothing_hidden(page.text, data)


def test_a_refused_role_sees_no_queue(seeded: tuple[TestClient, Seeded]) -> None:
    client, data = seeded
    signed_in(client, "officer_gdl")
    home = client.get("/ui/")
    assert "/ui/review" not in home.text
    queue = client.get("/ui/review?purpose=patrol")
    assert queue.status_code == 403
    assert not _pair_ids(queue.text) and data.sparse_warrant not in queue.text
    form: dict[str, Any] = {"decision": "accept", "reason": "xyz", "csrf_token": csrf(client)}
    assert client.post("/ui/review/1", data=form).status_code == 403


def test_bad_posts_are_refused_with_a_reason(seeded: tuple[TestClient, Seeded]) -> None:
    client, _data = seeded
    signed_in(client, "ana_gdl")
    [pair, *_] = _pair_ids(client.get("/ui/review?purpose=intelligence").text)
    forged = client.post(f"/ui/review/{pair}", data={"decision": "accept", "reason": "xyz"})
    assert forged.status_code == 403
    short = {"decision": "accept", "reason": " a ", "purpose": "intelligence"}
    reply = client.post(f"/ui/review/{pair}", data={**short, "csrf_token": csrf(client)})
    assert reply.status_code == 422 and "Motivo" in reply.text
    missing = {"decision": "accept", "reason": "una razón", "csrf_token": csrf(client)}
    assert client.post("/ui/review/999999", data=missing).status_code == 404


def test_unknown_person_and_missing_purpose(seeded: tuple[TestClient, Seeded]) -> None:
    client, data = seeded
    signed_in(client, "ana_gdl")
    assert client.get("/ui/persons/nobody?purpose=intelligence").status_code == 404
    ask = client.get(f"/ui/persons/{data.person_record}")
    assert ask.status_code == 200 and f'action="/ui/persons/{data.person_record}"' in ask.text
    # Another agency's CONFIDENTIAL warrant is not a person this analyst may open.
    hidden = client.get(f"/ui/persons/{data.hidden_warrant}?purpose=intelligence")
    assert hidden.status_code == 404 and SECRET_SPELLING not in hidden.text


def test_the_record_page_links_to_its_national_person(
    seeded: tuple[TestClient, Seeded],
) -> None:
    client, data = seeded
    signed_in(client, "ana_gdl")
    page = client.get(f"/ui/records/{data.person_record}?purpose=intelligence")
    assert f"/ui/persons/{data.person_record}.0?purpose=intelligence" in page.text
