"""The roles a user or an agency system holds: vocabulary shared by the model and the policy.

It lives in the model because a record type declares which roles enter it
(:attr:`RecordBody.entered_by`), and the model sits below the security package that decides.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"
    RECORDS_CLERK = "records_clerk"
    ANALYST = "analyst"
    INTELLIGENCE_ANALYST = "intelligence_analyst"
    PROSECUTOR = "prosecutor"
    SCREENING_OFFICER = "screening_officer"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


#: Who enters what happens in the street (incidents, detentions, what was seized or checked).
FIELD_ENTRY = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RECORDS_CLERK})
#: Who enters what a court or a prosecutor orders (warrants, protection orders).
COURT_ENTRY = frozenset({Role.PROSECUTOR, Role.RECORDS_CLERK})
