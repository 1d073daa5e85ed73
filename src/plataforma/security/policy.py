"""The one place that decides who may do what to which record, and why not.

Rules, in the order they are checked (the first that fails is the reason given):
role may perform the action → clearance covers the marking → a purpose is declared where the
action needs one → restricted files only for agencies granted them → markings above SBU only
inside the caller's own agency or jurisdiction. PUBLIC and SBU records are shared nationally:
that sharing is the point of a unified database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from plataforma.model.envelope import Marking
from plataforma.model.records.agency import AgencyLevel
from plataforma.security.principal import Principal, Role


class Action(StrEnum):
    READ = "read"
    QUERY = "query"
    WRITE = "write"
    EXPORT = "export"
    AUDIT_READ = "audit_read"
    ADMIN = "admin"
    PURGE = "purge"


class Purpose(StrEnum):
    """Why a query is made; recorded with every read so an auditor can ask why."""

    INVESTIGATION = "investigation"
    PATROL = "patrol"
    PROSECUTION = "prosecution"
    INTELLIGENCE = "intelligence"
    ANALYSIS = "analysis"
    SCREENING = "screening"
    VETTING = "vetting"
    AUDIT = "audit"
    ADMINISTRATION = "administration"
    DATA_QUALITY = "data_quality"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, "allowed")

_READERS = frozenset(Role) - {Role.AUDITOR}
_WRITERS: dict[Role, frozenset[str] | None] = {
    Role.ADMINISTRATOR: None,  # every type
    Role.RECORDS_CLERK: frozenset(
        {
            "person",
            "vehicle",
            "firearm",
            "incident",
            "detention",
            "warrant",
            "protection_order",
            "seizure",
        }
    ),
    Role.SUPERVISOR: frozenset(
        {"person", "vehicle", "firearm", "incident", "detention", "seizure"}
    ),
    Role.OFFICER: frozenset({"person", "vehicle", "firearm", "incident", "detention", "seizure"}),
    Role.PROSECUTOR: frozenset({"person", "warrant", "protection_order", "detention"}),
}
_EXPORTERS = frozenset(
    {Role.ADMINISTRATOR, Role.ANALYST, Role.INTELLIGENCE_ANALYST, Role.SUPERVISOR}
)


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What the policy needs to know about a record, without its content."""

    record_type: str
    agency: str
    marking: Marking
    state: str | None = None
    restricted_file: str | None = None


def can_write(principal: Principal, record_type: str, owner: str) -> Decision:
    """Agencies write only their own records, and only the types their roles enter."""
    types = [_WRITERS[r] for r in principal.roles if r in _WRITERS]
    if not types:
        return Decision(False, "no role of yours enters records")
    if not any(t is None or record_type in t for t in types):
        return Decision(False, f"your roles do not enter {record_type} records")
    if owner != principal.agency and not principal.has(Role.ADMINISTRATOR):
        return Decision(False, f"records of agency {owner} are entered by that agency")
    return ALLOW


# What every refused write of a record answers, whatever the real reason (which the audit log
# keeps): a refusal that named it would tell a caller that a record it may not see exists
# under the source_ref it chose.
WRITE_REFUSED = "you may not write this record (its type, its agency or its marking)"


def can_overwrite(principal: Principal, existing: RecordFacts) -> Decision:
    """Whether a write may replace ``existing``: only if the writer could read it.

    :func:`can_write` judges the new content; this judges the record it would replace, so
    that nobody learns or rewrites a record above their clearance, in a restricted file they
    were not granted, or of a jurisdiction not theirs by resubmitting its source_ref.
    """
    if not principal.roles.intersection(_READERS):
        return Decision(False, "no role of yours reads records")
    return _sees(principal, existing)


def can_read(principal: Principal, record: RecordFacts, purpose: Purpose | None) -> Decision:
    """Whether ``principal`` may see ``record`` for ``purpose``."""
    if not principal.roles.intersection(_READERS):
        return Decision(False, "no role of yours reads records")
    if purpose is None:
        return Decision(False, "a purpose (X-Purpose) is required to read records")
    return _sees(principal, record)


def _sees(principal: Principal, record: RecordFacts) -> Decision:
    """The rules on the record's own facts; :func:`visibility` is their SQL twin."""
    if record.marking.rank > principal.clearance.rank:
        return Decision(False, f"record marked {record.marking} is above your clearance")
    if record.restricted_file and record.restricted_file not in principal.restricted_access:
        return Decision(False, f"restricted file '{record.restricted_file}' not granted to you")
    if record.marking.rank > Marking.SBU.rank and not _in_jurisdiction(principal, record):
        return Decision(False, f"{record.marking} records of other jurisdictions are not shared")
    return ALLOW


def _in_jurisdiction(principal: Principal, record: RecordFacts) -> bool:
    """Own agency always; federal everywhere; state inside its state; municipal only its own."""
    if record.agency == principal.agency or principal.agency_level is AgencyLevel.FEDERAL:
        return True
    return (
        principal.agency_level is AgencyLevel.STATE
        and principal.agency_state is not None
        and record.state == principal.agency_state
    )


@dataclass(frozen=True, slots=True)
class Visibility:
    """:func:`can_read` as a filter over record columns, for the store to apply in SQL.

    A record is visible when ``nothing`` is false, its marking is in ``markings``, its
    restricted file is empty or in ``restricted_files``, and either its marking is in
    ``shared`` (PUBLIC and SBU travel nationally) or it is in the caller's jurisdiction:
    its agency is ``agency``, or ``every_jurisdiction``, or its state is ``state``. Listings
    filtered this way hold only visible rows, so their cursors and lengths say nothing about
    the hidden ones (tests/records/test_visibility.py proves it agrees with can_read).
    """

    nothing: bool
    markings: frozenset[Marking]
    shared: frozenset[Marking]
    restricted_files: frozenset[str]
    agency: str
    every_jurisdiction: bool
    state: str | None


def visibility(principal: Principal, purpose: Purpose | None) -> Visibility:
    """What ``principal`` may read for ``purpose``, as a :class:`Visibility` filter."""
    covered = frozenset(m for m in Marking if m.rank <= principal.clearance.rank)
    return Visibility(
        nothing=not principal.roles.intersection(_READERS) or purpose is None,
        markings=covered,
        shared=frozenset(m for m in covered if m.rank <= Marking.SBU.rank),
        restricted_files=frozenset(str(f) for f in principal.restricted_access),
        agency=principal.agency,
        every_jurisdiction=principal.agency_level is AgencyLevel.FEDERAL,
        state=principal.agency_state if principal.agency_level is AgencyLevel.STATE else None,
    )


def can_query(principal: Principal, purpose: Purpose | None) -> Decision:
    """Searches and inquiries: any reader, always with a declared purpose."""
    if not principal.roles.intersection(_READERS):
        return Decision(False, "no role of yours queries records")
    if purpose is None:
        return Decision(False, "a purpose (X-Purpose) is required for queries")
    return ALLOW


def can_export(principal: Principal, purpose: Purpose | None) -> Decision:
    if not principal.roles.intersection(_EXPORTERS):
        return Decision(False, "exports need the analyst, supervisor or administrator role")
    if purpose is None:
        return Decision(False, "a purpose (X-Purpose) is required for exports")
    return ALLOW


def can_read_audit(principal: Principal) -> Decision:
    if principal.has(Role.AUDITOR, Role.ADMINISTRATOR):
        return ALLOW
    return Decision(False, "only auditors and administrators read the audit log")


def can_administer(principal: Principal) -> Decision:
    if principal.has(Role.ADMINISTRATOR):
        return ALLOW
    return Decision(False, "only administrators manage agencies, users and keys")


def can_read_notification(
    principal: Principal, recipient_user: str | None, recipient_agency: str | None
) -> Decision:
    """A notification is read by the user it names, or by anyone of the agency whose desk it
    names; :func:`notification_recipients` is its SQL twin's input."""
    if not principal.roles:
        return Decision(False, "no role of yours reads notifications")
    if recipient_user is not None and recipient_user == principal.username:
        return ALLOW
    if recipient_agency is not None and recipient_agency == principal.agency:
        return ALLOW
    return Decision(False, "this notification is addressed to someone else")


def notification_recipients(principal: Principal) -> tuple[str, str] | None:
    """``(user, agency)`` whose notifications ``principal`` reads; None: none at all."""
    if not principal.roles:
        return None
    return principal.username, principal.agency


def can_see_reference(principal: Principal, record: RecordFacts | None) -> Decision:
    """Whether a notification may show which record it is about (its id, type and summary).

    A notification is addressed by whoever produced it; the reader may still lack the
    clearance, restricted-file grant or jurisdiction for the record it names (a desk
    notification reaches everyone of an agency). Then the notification is shown without
    its reference, so nothing about the record leaks. A record gone (purged) hides nothing.
    """
    if record is None:
        return ALLOW
    return _sees(principal, record)
