"""The policy's decisions on hit confirmations and agency messages, as tables, no database."""

from __future__ import annotations

import pytest

from plataforma.model.envelope import Marking
from plataforma.security import policy
from plataforma.security.principal import Principal, Role

GDL, FGE, ZAP = "POL-GDL", "FGE-JAL", "POL-ZAP"


def who(role: str, agency: str = GDL, clearance: Marking = Marking.SECRET) -> Principal:
    return Principal(role, agency, frozenset({Role(role)}), clearance)


@pytest.mark.parametrize(
    ("role", "agency", "inquiry_agency", "hit", "allowed"),
    [
        ("officer", GDL, GDL, True, True),
        ("prosecutor", GDL, GDL, True, True),
        ("administrator", GDL, GDL, True, True),
        ("officer", GDL, GDL, False, False),  # not a hit of that inquiry
        ("officer", GDL, ZAP, True, False),  # another agency's inquiry
        ("officer", GDL, None, False, False),  # no such inquiry
        ("administrator", FGE, GDL, True, False),  # administrators ask for their own agency
        ("auditor", GDL, GDL, True, False),
    ],
)
def test_who_requests(
    role: str, agency: str, inquiry_agency: str | None, hit: bool, allowed: bool
) -> None:
    decision = policy.can_request_confirmation(who(role, agency), inquiry_agency, hit)
    assert decision.allowed is allowed, decision.reason


def test_refusals_of_a_request_do_not_tell_whose_inquiry_it_was() -> None:
    officer = who("officer")
    other = policy.can_request_confirmation(officer, ZAP, True)
    missing = policy.can_request_confirmation(officer, None, False)
    assert other.reason == missing.reason


@pytest.mark.parametrize(
    ("role", "agency", "sees", "answers"),
    [
        ("officer", GDL, True, False),  # the requester
        ("officer", FGE, True, True),  # the owner
        ("supervisor", FGE, True, True),
        ("records_clerk", FGE, True, True),
        ("officer", ZAP, False, False),  # a third agency
        ("analyst", ZAP, False, False),
        ("auditor", ZAP, True, False),  # auditors read, never answer
        ("administrator", ZAP, True, False),  # another agency's administrator: not the owner
        ("administrator", FGE, True, True),
    ],
)
def test_who_sees_and_answers(role: str, agency: str, sees: bool, answers: bool) -> None:
    principal = who(role, agency)
    assert policy.can_see_confirmation(principal, GDL, FGE).allowed is sees
    assert policy.can_answer_confirmation(principal, FGE).allowed is answers


@pytest.mark.parametrize(
    ("clearance", "marking", "one_agency", "allowed"),
    [
        (Marking.SBU, Marking.PUBLIC, False, True),
        (Marking.SBU, Marking.SBU, False, True),
        (Marking.SBU, Marking.CONFIDENTIAL, True, False),  # above the sender's clearance
        (Marking.SECRET, Marking.CONFIDENTIAL, True, True),
        (Marking.SECRET, Marking.SECRET, True, True),
        (Marking.SECRET, Marking.CONFIDENTIAL, False, False),  # classified broadcast
        (Marking.SECRET, Marking.SECRET, False, False),
    ],
)
def test_who_sends_what_to_whom(
    clearance: Marking, marking: Marking, one_agency: bool, allowed: bool
) -> None:
    assert (
        policy.can_send_message(who("officer", clearance=clearance), marking, one_agency).allowed
        is allowed
    )
    assert not policy.can_send_message(who("auditor"), Marking.PUBLIC, True)


@pytest.mark.parametrize("marking", list(Marking))
@pytest.mark.parametrize("clearance", list(Marking))
def test_reading_and_acknowledging_follow_clearance(marking: Marking, clearance: Marking) -> None:
    cleared = marking.rank <= clearance.rank
    recipient = who("officer", FGE, clearance)
    sender_side = who("officer", GDL, clearance)
    third = who("officer", ZAP, clearance)
    auditor = who("auditor", ZAP, clearance)
    assert policy.can_read_message(recipient, GDL, True, marking).allowed is cleared
    assert policy.can_read_message(sender_side, GDL, False, marking).allowed is cleared
    assert policy.can_read_message(auditor, GDL, False, marking).allowed is cleared
    assert not policy.can_read_message(third, GDL, False, marking)
    assert policy.can_ack_message(recipient, True, marking).allowed is cleared
    assert not policy.can_ack_message(sender_side, False, marking)
    assert not policy.can_ack_message(auditor, False, marking)


@pytest.mark.parametrize(
    ("role", "agency", "all_receipts"),
    [("officer", GDL, True), ("officer", FGE, False), ("auditor", ZAP, True)],
)
def test_receipts_of_other_recipients(role: str, agency: str, all_receipts: bool) -> None:
    assert policy.can_see_all_receipts(who(role, agency), GDL).allowed is all_receipts
