"""Words the confirmation and message pages show for their vocabularies (catalogue ids)."""

from __future__ import annotations

from enum import StrEnum

from plataforma.exchange.agency_desks import AddressKind
from plataforma.exchange.confirmation_model import Answer, ConfirmationStatus, StepKind
from plataforma.exchange.message_model import MessageKind, MessagePriority
from plataforma.realtime.inbox import Priority
from plataforma.web.ui.labels import N_

CONFIRMATION_STATUS_LABELS: dict[str, str] = {
    ConfirmationStatus.PENDING: N_("Awaiting answer"),
    ConfirmationStatus.PROMISED: N_("Answer promised"),
    ConfirmationStatus.CONFIRMED: N_("Confirmed"),
    ConfirmationStatus.NOT_CONFIRMED: N_("Not confirmed"),
}
ANSWER_LABELS: dict[str, str] = {
    Answer.CONFIRMED: N_("Confirmed: the record stands"),
    Answer.NOT_CONFIRMED: N_("Not confirmed (served, recovered, cancelled…)"),
    Answer.WILL_ANSWER_BY: N_("Will answer by…"),
}
STEP_LABELS: dict[str, str] = {
    StepKind.REQUEST: N_("Request"),
    StepKind.ANSWER: N_("Answer"),
    StepKind.PROMISE: N_("Promise to answer"),
    StepKind.REMINDER: N_("Reminder: deadline passed"),
    StepKind.ESCALATION: N_("Escalated to supervisors"),
}
PRIORITY_LABELS: dict[str, str] = {
    Priority.URGENT: N_("Urgent (10 minutes)"),
    Priority.ROUTINE: N_("Routine (1 hour)"),
}
MESSAGE_KIND_LABELS: dict[str, str] = {
    MessageKind.BOLO: N_("BOLO alert"),
    MessageKind.REQUEST_FOR_INFORMATION: N_("Request for information"),
    MessageKind.FREE_TEXT: N_("Free text"),
}
MESSAGE_PRIORITY_LABELS: dict[str, str] = {
    MessagePriority.ROUTINE: N_("Routine"),
    MessagePriority.URGENT: N_("Urgent"),
    MessagePriority.FLASH: N_("Flash"),
}
ADDRESS_LABELS: dict[str, str] = {
    AddressKind.AGENCY: N_("One agency (code)"),
    AddressKind.STATE: N_("Every agency of a state"),
    AddressKind.LEVEL: N_("Every agency of a level"),
    AddressKind.ALL: N_("Every agency"),
}

EXCHANGE_ENUMS: tuple[tuple[type[StrEnum], dict[str, str]], ...] = (
    (ConfirmationStatus, CONFIRMATION_STATUS_LABELS),
    (Answer, ANSWER_LABELS),
    (StepKind, STEP_LABELS),
    (Priority, PRIORITY_LABELS),
    (MessageKind, MESSAGE_KIND_LABELS),
    (MessagePriority, MESSAGE_PRIORITY_LABELS),
    (AddressKind, ADDRESS_LABELS),
)

GLOBALS = {
    "CONFIRMATION_STATUS_LABELS": CONFIRMATION_STATUS_LABELS,
    "ANSWER_LABELS": ANSWER_LABELS,
    "STEP_LABELS": STEP_LABELS,
    "PRIORITY_LABELS": PRIORITY_LABELS,
    "MESSAGE_KIND_LABELS": MESSAGE_KIND_LABELS,
    "MESSAGE_PRIORITY_LABELS": MESSAGE_PRIORITY_LABELS,
    "ADDRESS_LABELS": ADDRESS_LABELS,
}
