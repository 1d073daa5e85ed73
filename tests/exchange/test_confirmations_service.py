"""Hit confirmation end to end in the service, on SQLite and PostgreSQL: the request, the
answers, the thread both sides see, the notifications, the audit trail and the deadlines."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from exchange_helpers import (
    MARKINGS,
    add_inquiry,
    audit_rows,
    exchange_world,
    hit_record,
    notes,
    principal,
)
from plataforma.context import Platform
from plataforma.errors import Forbidden, InvalidRecord, NotFound
from plataforma.exchange.boxes import Box, Closed
from plataforma.exchange.confirmation_deadlines import check_deadlines
from plataforma.exchange.confirmation_model import Answer, ConfirmationStatus, StepKind
from plataforma.exchange.confirmations import ConfirmationService
from plataforma.model.envelope import Marking
from plataforma.realtime.inbox import NotificationKind, Priority
from plataforma.store.tables import confirmations


@pytest.fixture
def setup(world: Platform) -> tuple[Platform, str, str]:
    """FGE-JAL owns a record; POL-GDL's officer got it as a hit of an inquiry."""
    exchange_world(world)
    record = hit_record(world, "FGE-JAL", "W-1", Marking.SBU)
    inquiry = add_inquiry(world, "POL-GDL", "officer", [record])
    return world, inquiry, record


def test_request_answer_and_thread(setup: tuple[Platform, str, str]) -> None:
    platform, inquiry, record = setup
    service = ConfirmationService(platform)
    officer, fiscal = principal(platform, "officer"), principal(platform, "fiscal")
    asked = service.request(officer, inquiry, record, Priority.URGENT, "detenido en retén")
    assert asked.owner_agency == "FGE-JAL" and asked.status is ConfirmationStatus.PENDING
    assert timedelta(minutes=9) < asked.due_at - asked.created_at <= timedelta(minutes=10)
    # The owner's desk is told, with no content of the record.
    [desk] = notes(platform, recipient_agency="FGE-JAL")
    assert desk.kind == NotificationKind.CONFIRMATION_REQUEST and desk.ref_id == asked.id
    assert desk.priority == "urgent" and "narrative" not in str(desk.summary)
    # Asking again about the same hit returns the open request.
    assert service.request(officer, inquiry, record, Priority.URGENT).id == asked.id
    answered = service.answer(fiscal, asked.id, Answer.NOT_CONFIRMED, "orden cumplimentada")
    assert answered.status is ConfirmationStatus.NOT_CONFIRMED
    assert answered.answered_by == "fiscal"
    [back] = notes(platform, recipient_user="officer")
    assert back.kind == NotificationKind.CONFIRMATION_ANSWER
    # Both sides see the same thread, and the owner's 24/7 contact point.
    for who in (officer, fiscal):
        seen = service.get(who, asked.id)
        assert [s.step for s in seen.steps] == [StepKind.REQUEST, StepKind.ANSWER]
        assert seen.steps[1].detail["note"] == "orden cumplimentada"
        assert seen.contact is not None and seen.contact.agency == "FGE-JAL"
    with pytest.raises(Closed):
        service.answer(fiscal, asked.id, Answer.CONFIRMED)
    steps = [
        r.detail.get("step") for r in audit_rows(platform, "confirmation") if r.outcome == "ok"
    ]
    assert steps.count("request") == 1 and steps.count("answer") == 1 and "read" in steps


def test_only_the_inquiring_agency_asks_about_its_own_hits(
    setup: tuple[Platform, str, str],
) -> None:
    platform, inquiry, record = setup
    service = ConfirmationService(platform)
    other = hit_record(platform, "FGE-JAL", "W-2", Marking.SBU)
    attempts = [
        (principal(platform, "zapopan"), inquiry, record),  # another agency's inquiry
        (principal(platform, "officer"), inquiry, other),  # not a hit of that inquiry
        (principal(platform, "officer"), "0190a0a0-0000-7000-8000-000000000000", record),
        (principal(platform, "auditor"), inquiry, record),  # auditors never ask
    ]
    for who, inquiry_id, record_id in attempts:
        with pytest.raises(Forbidden):
            service.request(who, inquiry_id, record_id, Priority.ROUTINE)
    assert notes(platform) == []
    denied = [r for r in audit_rows(platform, "confirmation") if r.outcome == "denied"]
    assert len(denied) == len(attempts)


@pytest.mark.parametrize("marking", MARKINGS)
def test_a_third_agency_sees_and_answers_nothing(
    setup: tuple[Platform, str, str], marking: Marking
) -> None:
    platform, _, _ = setup
    record = hit_record(platform, "FGE-JAL", f"M-{marking}", marking)
    inquiry = add_inquiry(platform, "POL-GDL", "officer", [record])
    service = ConfirmationService(platform)
    asked = service.request(principal(platform, "officer"), inquiry, record, Priority.ROUTINE)
    zapopan, officer = principal(platform, "zapopan"), principal(platform, "officer")
    with pytest.raises(NotFound):
        service.get(zapopan, asked.id)
    with pytest.raises(NotFound):
        service.answer(zapopan, asked.id, Answer.CONFIRMED)
    with pytest.raises(Forbidden):  # the requester sees it but does not answer for the owner
        service.answer(officer, asked.id, Answer.CONFIRMED)
    for box in Box:
        assert service.box(zapopan, box).items == []
    assert [c.id for c in service.box(officer, Box.OUT).items] == [asked.id]
    assert [c.id for c in service.box(principal(platform, "fiscal"), Box.IN).items] == [asked.id]
    assert service.get(principal(platform, "auditor"), asked.id).id == asked.id
    assert notes(platform, recipient_agency="POL-ZAP") == []


def test_a_promise_moves_the_deadline_within_bounds(setup: tuple[Platform, str, str]) -> None:
    platform, inquiry, record = setup
    service = ConfirmationService(platform)
    fiscal = principal(platform, "fiscal")
    asked = service.request(principal(platform, "officer"), inquiry, record, Priority.URGENT)
    for bad in (
        None,
        datetime.now(UTC) - timedelta(minutes=1),
        datetime.now(UTC) + timedelta(days=30),
    ):
        with pytest.raises(InvalidRecord) as error:
            service.answer(fiscal, asked.id, Answer.WILL_ANSWER_BY, answer_by=bad)
        assert error.value.errors[0].pointer == "/answer_by"
    by = datetime.now(UTC) + timedelta(hours=2)
    promised = service.answer(fiscal, asked.id, Answer.WILL_ANSWER_BY, answer_by=by)
    assert promised.status is ConfirmationStatus.PROMISED and promised.due_at == by
    final = service.answer(fiscal, asked.id, Answer.CONFIRMED)
    assert final.status is ConfirmationStatus.CONFIRMED


def test_overdue_reminds_then_escalates_once_across_processes(
    setup: tuple[Platform, str, str],
) -> None:
    platform, inquiry, record = setup
    service = ConfirmationService(platform)
    asked = service.request(principal(platform, "officer"), inquiry, record, Priority.URGENT)
    assert check_deadlines(platform) == 0  # not due yet
    late = asked.due_at + timedelta(seconds=1)
    # Several server processes run the job at once: each step is taken exactly once.
    taken: list[int] = []
    runners = [
        threading.Thread(target=lambda: taken.append(check_deadlines(platform, late)))
        for _ in range(4)
    ]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert sum(taken) == 1
    [reminder] = notes(platform, kind="confirmation_overdue")
    assert reminder.recipient_agency == "FGE-JAL"
    assert check_deadlines(platform, late) == 0
    escalate = late + timedelta(minutes=platform.settings.confirmation_escalate_minutes + 1)
    assert check_deadlines(platform, escalate) == 1
    assert check_deadlines(platform, escalate) == 0
    [told] = notes(platform, kind="confirmation_overdue", recipient_user="jefe")
    assert told.summary["stage"] == "escalation"
    seen = service.get(principal(platform, "officer"), asked.id)
    assert [s.step for s in seen.steps] == [
        StepKind.REQUEST,
        StepKind.REMINDER,
        StepKind.ESCALATION,
    ]
    # An answered confirmation is never reminded again.
    service.answer(principal(platform, "fiscal"), asked.id, Answer.CONFIRMED)
    with platform.engine.begin() as conn:
        conn.execute(confirmations.update().values(reminded_at=None, escalated_at=None))
    assert check_deadlines(platform, escalate + timedelta(hours=1)) == 0
    system = [r for r in audit_rows(platform, "confirmation") if r.actor.startswith("system:")]
    assert [r.detail["step"] for r in system] == ["reminder", "escalation"]


def test_a_box_pages_with_a_cursor(setup: tuple[Platform, str, str]) -> None:
    platform, _, _ = setup
    service = ConfirmationService(platform)
    officer = principal(platform, "officer")
    made = []
    for n in range(5):
        record = hit_record(platform, "FGE-JAL", f"P-{n}", Marking.SBU)
        inquiry = add_inquiry(platform, "POL-GDL", "officer", [record])
        made.append(service.request(officer, inquiry, record, Priority.ROUTINE).id)
    seen, cursor = [], None
    while True:
        page = service.box(officer, Box.OUT, cursor, limit=2)
        seen += [c.id for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(reversed(made))
    with pytest.raises(InvalidRecord) as error:
        service.box(officer, Box.OUT, "not-a-cursor")
    assert error.value.errors[0].pointer == "/cursor"
    with platform.engine.connect() as conn:
        assert len(conn.execute(select(confirmations)).all()) == 5
