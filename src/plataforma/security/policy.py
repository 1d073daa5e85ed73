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
from plataforma.model.records import RECORD_TYPES
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
    TRENDS = "trends"


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
    # The anonymous RND lookup's purpose, set by the platform: nobody signed in declares it.
    PUBLIC_LOOKUP = "public_lookup"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, "allowed")

#: The purposes a signed-in caller may declare: the public lookup's is the platform's own, so
#: an officer's read can never be filed as an anonymous citizen's question.
DECLARABLE_PURPOSES = frozenset(Purpose) - {Purpose.PUBLIC_LOOKUP}
_NOT_DECLARABLE = Decision(False, "public_lookup is the public lookup's purpose; declare yours")


def _purpose_refusal(purpose: Purpose | None, missing: str) -> Decision | None:
    """Why ``purpose`` cannot justify a signed-in caller's act, or None when it can."""
    if purpose is None:
        return Decision(False, missing)
    if purpose not in DECLARABLE_PURPOSES:
        return _NOT_DECLARABLE
    return None


_READERS = frozenset(Role) - {Role.AUDITOR}
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


def _entered_by(record_type: str) -> frozenset[Role]:
    """Who enters ``record_type``, as the record type declares it; nobody for an unknown one."""
    model = RECORD_TYPES.get(record_type)
    return model.entered_by if model is not None else frozenset()


def can_write(principal: Principal, record_type: str, owner: str) -> Decision:
    """Agencies write only their own records, and only the types their roles enter.

    Administrators enter every type; every other role enters the types whose model lists it
    (:attr:`RecordBody.entered_by`), so a new record type plugs in without a rule here.
    """
    admin = principal.has(Role.ADMINISTRATOR)
    if not admin and not principal.roles.intersection(_entered_by(record_type)):
        if not any(principal.roles.intersection(_entered_by(t)) for t in RECORD_TYPES):
            return Decision(False, "no role of yours enters records")
        return Decision(False, f"your roles do not enter {record_type} records")
    if owner != principal.agency and not admin:
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
    refusal = _purpose_refusal(purpose, "a purpose (X-Purpose) is required to read records")
    if refusal is not None:
        return refusal
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
        nothing=not principal.roles.intersection(_READERS) or purpose not in DECLARABLE_PURPOSES,
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
    refusal = _purpose_refusal(purpose, "a purpose (X-Purpose) is required for queries")
    return ALLOW if refusal is None else refusal


def can_export(principal: Principal, purpose: Purpose | None) -> Decision:
    if not principal.roles.intersection(_EXPORTERS):
        return Decision(False, "exports need the analyst, supervisor or administrator role")
    refusal = _purpose_refusal(purpose, "a purpose (X-Purpose) is required for exports")
    return ALLOW if refusal is None else refusal


def can_read_audit(principal: Principal) -> Decision:
    if principal.has(Role.AUDITOR, Role.ADMINISTRATOR):
        return ALLOW
    return Decision(False, "only auditors and administrators read the audit log")


def can_administer(principal: Principal) -> Decision:
    if principal.has(Role.ADMINISTRATOR):
        return ALLOW
    return Decision(False, "only administrators manage agencies, users and keys")


# --- hit confirmations and agency messages --------------------------------------------------

# Who takes part in an exchange between agencies: everyone who reads records. Auditors read
# the exchange (it is part of the trail) but never ask, answer, send or acknowledge.
_CORRESPONDENTS = _READERS


def can_request_confirmation(
    principal: Principal, inquiry_agency: str | None, record_was_hit: bool
) -> Decision:
    """Only the agency that made the inquiry asks, and only about a record it got as a hit.

    ``inquiry_agency`` is None when no such inquiry exists. Both refusals read the same, so a
    caller cannot tell another agency's inquiry from one that does not exist.
    """
    if not principal.roles.intersection(_CORRESPONDENTS):
        return Decision(False, "no role of yours asks for hit confirmations")
    if inquiry_agency != principal.agency or not record_was_hit:
        return Decision(False, "no inquiry of your agency had this record as a hit")
    return ALLOW


def can_see_confirmation(principal: Principal, requester: str, owner: str) -> Decision:
    """The two agencies of the exchange see it; auditors and administrators too."""
    if principal.agency in (requester, owner) and principal.roles.intersection(_CORRESPONDENTS):
        return ALLOW
    if principal.has(Role.AUDITOR, Role.ADMINISTRATOR):
        return ALLOW
    return Decision(False, "only the two agencies of a confirmation see it")


def can_answer_confirmation(principal: Principal, owner: str) -> Decision:
    """Only the owning agency answers for its record; no administrator of another agency."""
    if not principal.roles.intersection(_CORRESPONDENTS):
        return Decision(False, "no role of yours answers hit confirmations")
    if principal.agency != owner:
        return Decision(False, f"only agency {owner}, which owns the record, answers")
    return ALLOW


#: Markings above this travel only to one named agency: a broadcast of CONFIDENTIAL or SECRET
#: text to every agency of a state or of the country would defeat the marking.
BROADCAST_MARKING_LIMIT = Marking.SBU


def can_send_message(principal: Principal, marking: Marking, to_one_agency: bool) -> Decision:
    """A sender writes within their clearance; markings above SBU go to one agency only."""
    if not principal.roles.intersection(_CORRESPONDENTS):
        return Decision(False, "no role of yours sends agency messages")
    if marking.rank > principal.clearance.rank:
        return Decision(False, f"a message marked {marking} is above your clearance")
    if marking.rank > BROADCAST_MARKING_LIMIT.rank and not to_one_agency:
        return Decision(False, f"messages marked {marking} go to one named agency only")
    return ALLOW


def can_read_message(
    principal: Principal, sender_agency: str, recipient: bool, marking: Marking
) -> Decision:
    """Users of the sending and receiving agencies, and auditors and administrators, read a
    message, each only within their clearance (the marking binds people, not desks)."""
    involved = principal.agency == sender_agency or recipient
    if not (involved and principal.roles.intersection(_CORRESPONDENTS)) and not principal.has(
        Role.AUDITOR, Role.ADMINISTRATOR
    ):
        return Decision(False, "only the agencies of a message read it")
    if marking.rank > principal.clearance.rank:
        return Decision(False, f"message marked {marking} is above your clearance")
    return ALLOW


def can_ack_message(principal: Principal, recipient: bool, marking: Marking) -> Decision:
    """A user of a recipient agency who may read the message acknowledges it for the agency."""
    if not recipient or not principal.roles.intersection(_CORRESPONDENTS):
        return Decision(False, "only a recipient agency acknowledges a message")
    if marking.rank > principal.clearance.rank:
        return Decision(False, f"message marked {marking} is above your clearance")
    return ALLOW


def can_see_all_receipts(principal: Principal, sender_agency: str) -> Decision:
    """The sender's agency (and auditors, administrators) sees every recipient's receipt; a
    recipient sees only its own, so a broadcast does not list who else got it."""
    if principal.agency == sender_agency or principal.has(Role.AUDITOR, Role.ADMINISTRATOR):
        return ALLOW
    return Decision(False, "recipients see only their own agency's receipt")


# Subscriptions: standing queries whose matches are read on the subscriber's behalf later.
_DESK_KEEPERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def can_subscribe(principal: Principal, purpose: Purpose | None, desk: bool) -> Decision:
    """A subscription is a standing query: any reader, with a declared purpose; one for the
    agency's desk (everyone of the agency reads its notices) needs a supervisor or an
    administrator."""
    if not principal.roles.intersection(_READERS):
        return Decision(False, "no role of yours queries records")
    if purpose is None:
        return Decision(False, "a purpose is required for a subscription")
    if desk and not principal.roles.intersection(_DESK_KEEPERS):
        return Decision(False, "desk subscriptions need the supervisor or administrator role")
    return ALLOW


def can_manage_subscription(
    principal: Principal, owner_user: str, agency: str, desk: bool
) -> Decision:
    """Who sees and deletes a subscription: its owner; a desk one, its agency's supervisors
    and administrators too. Anyone else is answered as if it did not exist."""
    if principal.username == owner_user:
        return ALLOW
    if desk and agency == principal.agency and principal.roles.intersection(_DESK_KEEPERS):
        return ALLOW
    return Decision(False, "not your subscription")


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


# The master person index: analysts judge whether two records name one person.
_JUDGES = frozenset({Role.ANALYST, Role.INTELLIGENCE_ANALYST, Role.SUPERVISOR})
# Who is told how many records of a national person they may not read (never which): those
# whose work is to ask the owning agencies (deconfliction), not a patrol officer at a stop.
_WITHHELD_COUNTERS = frozenset({Role.INTELLIGENCE_ANALYST, Role.SUPERVISOR})


def can_judge_persons(principal: Principal, purpose: Purpose | None) -> Decision:
    """Merges and splits of national persons, and the review queue: analysts, intelligence
    analysts and supervisors, with a declared purpose (each record must also be readable)."""
    if not principal.roles.intersection(_JUDGES):
        return Decision(False, "judging identities needs the analyst or supervisor role")
    refusal = _purpose_refusal(purpose, "a purpose (X-Purpose) is required to judge identities")
    return ALLOW if refusal is None else refusal


def can_count_withheld(principal: Principal) -> Decision:
    """Whether a national person's page may say how many of its records are withheld."""
    if principal.roles.intersection(_WITHHELD_COUNTERS):
        return ALLOW
    return Decision(False, "records you may not read are not counted for your role")


# --- trends: aggregate counts, alarms, CompStat and hotspots -------------------------------

#: Who reads the national picture. Officers and clerks work cases, not trends; prosecutors
#: and screening officers neither. Auditors read it to check what analysts were shown.
TREND_READERS = frozenset({Role.ANALYST, Role.INTELLIGENCE_ANALYST, Role.SUPERVISOR, Role.AUDITOR})


def can_view_trends(principal: Principal, purpose: Purpose | None) -> Decision:
    """Counts, series, alarms, CompStat and hotspots: the trend roles, with a purpose.

    What they show is aggregate data of the incidents every agency may read (PUBLIC and SBU,
    no restricted file: the live counts keep nothing else), so no marking rule applies here;
    the role and the declared purpose do. An alarm notice is judged by this same rule for its
    subscriber (a desk, judged as its least member, an officer, gets none).
    """
    if not principal.roles.intersection(TREND_READERS):
        return Decision(
            False, "trends need the analyst, intelligence analyst, supervisor or auditor role"
        )
    refusal = _purpose_refusal(purpose, "a purpose (X-Purpose) is required for trends")
    return ALLOW if refusal is None else refusal
