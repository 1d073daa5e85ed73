"""The public lookup of the Registro Nacional de Detenciones.

The law behind the RND lets anyone ask whether a person is detained, so that families can
find them; it does not let anyone read the record. The lookup therefore answers only *whether*,
*when*, *in which state* and *who received the person*, for active detentions whose marking is
shareable (PUBLIC or SBU) and outside every restricted file (juveniles above all).

Every lookup is audited here, not in the router, as any query is: actor ``public`` (an
:func:`anonymous` principal carrying the asker's address), purpose
:attr:`Purpose.PUBLIC_LOOKUP`, one event per detention shown (or one saying nothing was
found), so that "who asked about this person" has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from plataforma.model.codes import CodeError, resolve_state
from plataforma.model.envelope import Envelope, Marking, RecordStatus
from plataforma.model.values import parse_curp, parse_person_name
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.policy import Purpose
from plataforma.security.principal import anonymous
from plataforma.security.services import PlatformServices as Platform
from plataforma.store.reader import PREFIX_END, to_envelope
from plataforma.store.tables import record_keys, records

_SHAREABLE = (str(Marking.PUBLIC), str(Marking.SBU))
_MAX_HITS = 50


@dataclass(frozen=True, slots=True)
class PublicDetention:
    record_id: str
    detained_at: datetime
    state: str | None
    state_name: str | None
    receiving_authority: str


class LookupQueryError(ValueError):
    """The query cannot identify anyone (no CURP and no name with a first surname)."""


def _curp_key(curp: str) -> str:
    parsed = parse_curp(curp)
    if not parsed.match_key:
        raise LookupQueryError(f"curp: {parsed.problem or 'not a valid CURP'}")
    return parsed.match_key


def _name_prefix(name: str, first_surname: str, second_surname: str | None) -> tuple[str, bool]:
    """The name key, or its prefix when the second surname is unknown to the asker."""
    parsed = parse_person_name(name, first_surname, second_surname)
    # Without a second surname the key "GIVEN|SURNAME1|" is a prefix of every fuller key; with
    # it, "GIVEN|SURNAME1|SURNAME2|" is the prefix of the key whatever the date of birth.
    return (parsed.key if not parsed.second_surname else parsed.key + "|"), True


def lookup(
    platform: Platform,
    client: str,
    curp: str | None = None,
    name: str | None = None,
    first_surname: str | None = None,
    second_surname: str | None = None,
) -> list[PublicDetention]:
    """:func:`find_detentions` for the public, audited; durable before the answer leaves."""
    with platform.engine.connect() as conn:
        found = find_detentions(conn, curp, name, first_surname, second_surname)
    asker = anonymous(client)
    detail = {"by": "curp" if curp else "name", "found": len(found)}
    record_ids: list[str | None] = [d.record_id for d in found] or [None]
    platform.audit.record_many(
        [
            AuditEvent.of(
                asker,
                AuditAction.QUERY,
                record_type="detention",
                record_id=record_id,
                purpose=Purpose.PUBLIC_LOOKUP,
                detail=detail,
            )
            for record_id in record_ids
        ]
    )
    return found


def find_detentions(
    conn: Connection,
    curp: str | None = None,
    name: str | None = None,
    first_surname: str | None = None,
    second_surname: str | None = None,
) -> list[PublicDetention]:
    """Active, shareable detentions of the person named by CURP or by name and surname(s)."""
    if curp:
        kind, value, prefix = "curp", _curp_key(curp), False
    elif name and first_surname:
        kind = "name"
        value, prefix = _name_prefix(name, first_surname, second_surname)
    else:
        raise LookupQueryError("query: give a curp, or a name and a first_surname")
    match = (
        record_keys.c.value.between(value, value + PREFIX_END)
        if prefix
        else (record_keys.c.value == value)
    )
    query = (
        select(records)
        .join(record_keys, record_keys.c.record_id == records.c.id)
        .where(
            record_keys.c.kind == kind,
            match,
            record_keys.c.record_type == "detention",
            records.c.status == str(RecordStatus.ACTIVE),
            records.c.marking.in_(_SHAREABLE),
            records.c.restricted_file.is_(None),
        )
        .order_by(records.c.id)
        .limit(_MAX_HITS)
    )
    seen: dict[str, PublicDetention] = {}
    for row in conn.execute(query):
        if row.id not in seen:
            seen[row.id] = _public(to_envelope(row))
    return list(seen.values())


def _public(record: Envelope) -> PublicDetention:
    data = record.data
    state = (data.get("place") or {}).get("state") or record.state
    state_name = None
    if state:
        try:
            state_name = resolve_state(state).name
        except CodeError:
            state_name = None
    return PublicDetention(
        record.id,
        datetime.fromisoformat(data["detained_at"]),
        state,
        state_name,
        data["receiving_authority"],
    )
