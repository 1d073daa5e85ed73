"""Agency messages in the service, on SQLite and PostgreSQL: addressing, markings, receipts,
acknowledgements, boxes and the audit trail."""

from __future__ import annotations

import pytest

from conftest import add_agency
from exchange_helpers import MARKINGS, audit_rows, exchange_world, notes, principal
from plataforma.context import Platform
from plataforma.errors import Forbidden, InvalidRecord, NotFound
from plataforma.exchange.agency_desks import AddressKind
from plataforma.exchange.boxes import Box
from plataforma.exchange.message_model import MessageKind, MessagePriority
from plataforma.exchange.messages import Draft, MessageService
from plataforma.model.envelope import Marking


def draft(
    to: AddressKind = AddressKind.AGENCY,
    value: str | None = "FGE-JAL",
    marking: Marking = Marking.SBU,
    body: str = "Vehículo Nissan blanco, placas JAL-123-A, visto en Periférico.",
) -> Draft:
    return Draft(
        kind=MessageKind.BOLO,
        priority=MessagePriority.FLASH,
        marking=marking,
        to_kind=to,
        to_value=value,
        subject="BOLO: vehículo robado",
        body=body,
    )


@pytest.fixture
def platform3(world: Platform) -> Platform:
    exchange_world(world)
    add_agency(world, "SSP-CDMX", "state", "police", "09")
    return world


@pytest.mark.parametrize(
    ("to", "value", "reached"),
    [
        (AddressKind.AGENCY, "fge-jal", ["FGE-JAL"]),
        (AddressKind.STATE, "Jalisco", ["FGE-JAL", "POL-ZAP"]),  # the sender's own left out
        (AddressKind.LEVEL, "state", ["FGE-JAL", "SSP-CDMX"]),
        (AddressKind.ALL, None, ["FGE-JAL", "POL-ZAP", "SSP-CDMX", "SSPC"]),
    ],
)
def test_addresses_reach_agencies_and_each_desk_is_told(
    platform3: Platform, to: AddressKind, value: str | None, reached: list[str]
) -> None:
    service = MessageService(platform3)
    sent = service.send(principal(platform3, "officer"), draft(to, value))
    assert sorted(r.agency for r in sent.receipts) == reached
    assert sent.recipient_count == len(reached)
    assert all(r.delivered_at is not None and r.acked_at is None for r in sent.receipts)
    told = notes(platform3, kind="message")
    assert sorted(n.recipient_agency for n in told) == reached
    # The desk's notification says who sent what kind; never the text.
    assert all("Nissan" not in str(n.summary) and n.priority == "urgent" for n in told)
    [event] = [r for r in audit_rows(platform3, "message") if r.detail.get("step") == "send"]
    assert event.detail["recipients"] == len(reached) and event.actor == "officer"


def test_acknowledgement_is_seen_by_the_sender(platform3: Platform) -> None:
    service = MessageService(platform3)
    sent = service.send(principal(platform3, "officer"), draft(AddressKind.STATE, "14"))
    fiscal, zapopan = principal(platform3, "fiscal"), principal(platform3, "zapopan")
    acked = service.ack(fiscal, sent.id)
    # A recipient sees only its own receipt.
    assert [(r.agency, r.acked_by) for r in acked.receipts] == [("FGE-JAL", "fiscal")]
    assert service.ack(principal(platform3, "jefe"), sent.id).receipts[0].acked_by == "fiscal"
    seen = service.get(principal(platform3, "officer"), sent.id)
    assert {r.agency: r.acked_by for r in seen.receipts} == {"FGE-JAL": "fiscal", "POL-ZAP": None}
    assert [m.id for m in service.box(zapopan, Box.IN).items] == [sent.id]
    with pytest.raises(Forbidden):  # the sender's agency does not acknowledge its own message
        service.ack(principal(platform3, "officer"), sent.id)
    acks = [
        (r.actor, r.outcome)
        for r in audit_rows(platform3, "message")
        if r.detail.get("step") == "ack"
    ]
    assert acks == [("fiscal", "ok"), ("officer", "denied")]


@pytest.mark.parametrize("marking", MARKINGS)
def test_markings_bind_readers_and_a_third_agency_sees_nothing(
    platform3: Platform, marking: Marking
) -> None:
    service = MessageService(platform3)
    sender = principal(platform3, "secreto")  # POL-GDL, SECRET
    sent = service.send(sender, draft(marking=marking))
    fiscal = principal(platform3, "fiscal")  # FGE-JAL, CONFIDENTIAL
    zapopan = principal(platform3, "zapopan")  # POL-ZAP, SECRET, not a recipient
    officer = principal(platform3, "officer")  # POL-GDL, SBU, the sender's agency
    for who in (zapopan,):
        with pytest.raises(NotFound):
            service.get(who, sent.id)
        with pytest.raises(NotFound):
            service.ack(who, sent.id)
        assert service.box(who, Box.IN).items == [] and service.box(who, Box.OUT).items == []
    cleared = marking.rank <= Marking.CONFIDENTIAL.rank
    assert [m.id for m in service.box(fiscal, Box.IN).items] == ([sent.id] if cleared else [])
    if cleared:
        assert service.ack(fiscal, sent.id).receipts[0].acked_by == "fiscal"
    else:
        with pytest.raises(NotFound):
            service.get(fiscal, sent.id)
    low = marking.rank <= Marking.SBU.rank
    assert [m.id for m in service.box(officer, Box.OUT).items] == ([sent.id] if low else [])


def test_refusals_name_the_field_or_the_rule(platform3: Platform) -> None:
    service = MessageService(platform3)
    officer, secreto = principal(platform3, "officer"), principal(platform3, "secreto")
    bad = [
        (draft(AddressKind.STATE, "Jalsco"), "/to_value"),
        (draft(AddressKind.LEVEL, "provincial"), "/to_value"),
        (draft(AddressKind.AGENCY, None), "/to_value"),
        (draft(AddressKind.AGENCY, "NO-EXISTE"), "/to_value"),
        (draft(body="x" * (platform3.settings.message_max_body_chars + 1)), "/body"),
        (draft(body="   "), "/body"),
    ]
    for item, pointer in bad:
        with pytest.raises(InvalidRecord) as error:
            service.send(officer, item)
        assert error.value.errors[0].pointer == pointer
    with pytest.raises(Forbidden):  # above the sender's clearance
        service.send(officer, draft(marking=Marking.CONFIDENTIAL))
    with pytest.raises(Forbidden):  # a classified broadcast
        service.send(secreto, draft(AddressKind.ALL, None, Marking.CONFIDENTIAL))
    with pytest.raises(Forbidden):  # auditors read the trail, they do not send
        service.send(principal(platform3, "auditor"), draft())
    assert notes(platform3) == []


def test_too_many_recipients_is_refused(platform3: Platform) -> None:
    platform3.settings.message_max_recipients = 2
    with pytest.raises(InvalidRecord) as error:
        MessageService(platform3).send(
            principal(platform3, "officer"), draft(AddressKind.ALL, None)
        )
    assert error.value.errors[0].pointer == "/to"


def test_boxes_page_with_cursors(platform3: Platform) -> None:
    service = MessageService(platform3)
    officer, fiscal = principal(platform3, "officer"), principal(platform3, "fiscal")
    made = [service.send(officer, draft()).id for _ in range(5)]
    for who, box in ((officer, Box.OUT), (fiscal, Box.IN)):
        seen, cursor = [], None
        while True:
            page = service.box(who, box, cursor, limit=2)
            seen += [m.id for m in page.items]
            if (cursor := page.next_cursor) is None:
                break
        assert seen == list(reversed(made))
