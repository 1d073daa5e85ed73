"""Widen a person inquiry to the national person: the records linked to the one it matched.

An inquiry that finds a man's person file under his name should also find the warrant another
agency entered under a misspelt name, if entity resolution linked the two. Each matched
record's mention (for an incident, the involved person the key matched) leads to its national
person, and that person's other records are read under the caller's visibility, like any
match: a record the caller may not read is never read, counted or ordered. What comes this
way is marked ``via: national_person`` with its link score, because a link is a lead, not
proof: a weaker one than a key match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Connection, select

from plataforma.inquiry.lookup import Match
from plataforma.inquiry.names import key_of_fields
from plataforma.model.envelope import Envelope
from plataforma.model.values import parse_curp
from plataforma.records.visibility import visible_clause
from plataforma.resolve.links import LinkRow, links_of_persons, links_of_records
from plataforma.resolve.records import PERSON_BEARING_TYPES, mention_id
from plataforma.security.policy import Visibility
from plataforma.store.reader import to_envelope
from plataforma.store.tables import records

__all__ = ["VIA_NATIONAL_PERSON", "through_national_person"]

VIA_NATIONAL_PERSON = "national_person"
#: Records a national person may add to one answer; more than any one person has.
BOUND = 200


def _incident_blocks(record: Envelope) -> list[dict[str, object]]:
    data = record.data
    detained = [dict(d.get("person") or {}) for d in data.get("detentions") or ()]
    return [*(dict(p) for p in data.get("persons") or ()), *detained]


def matched_mentions(match: Match) -> list[str]:
    """The mention ids of ``match``'s record that the inquiry's key matched."""
    record = match.record
    if record.record_type != "incident":
        return [mention_id(record.id, 0)]
    out = []
    for ordinal, fields in enumerate(_incident_blocks(record)):
        by_name = match.key_kind == "name" and key_of_fields(fields) == match.key
        by_curp = match.key_kind == "curp" and (
            parse_curp(str(fields.get("curp") or "")).match_key == match.key
        )
        if by_name or by_curp:
            out.append(mention_id(record.id, ordinal))
    return out


def _readable_records(
    conn: Connection, ids: Iterable[str], rule: Visibility, readable: Callable[[Envelope], bool]
) -> dict[str, Envelope]:
    wanted = list(ids)[: BOUND * 2]
    if not wanted:
        return {}
    query = select(records).where(records.c.id.in_(wanted), visible_clause(rule))
    found = (to_envelope(row) for row in conn.execute(query))
    return {r.id: r for r in found if readable(r)}


def through_national_person(
    conn: Connection,
    matches: list[Match],
    rule: Visibility,
    readable: Callable[[Envelope], bool],
) -> list[Match]:
    """The readable records linked to the national persons of ``matches``, not among them."""
    seen = {m.record.id for m in matches}
    mentions = {
        mid
        for m in matches
        if m.record.record_type in PERSON_BEARING_TYPES
        for mid in matched_mentions(m)
    }
    if not mentions:
        return []
    own = [row for row in links_of_records(conn, seen) if row.mention_id in mentions]
    persons = {row.person_id for row in own}
    best: dict[str, LinkRow] = {}
    for row in links_of_persons(conn, persons):
        if row.record_id in seen:
            continue
        kept = best.get(row.record_id)
        if kept is None or row.match_score > kept.match_score:
            best[row.record_id] = row
    found = _readable_records(conn, best, rule, readable)
    out = []
    for record_id, row in best.items():
        record = found.get(record_id)
        if record is None:
            continue
        out.append(
            Match(
                record,
                VIA_NATIONAL_PERSON,
                row.person_id,
                score=row.match_score,
                exact=False,
                role=row.role if record.record_type == "incident" else None,
                via=VIA_NATIONAL_PERSON,
                link_score=row.match_score,
            )
        )
        if len(out) == BOUND:
            break
    return out
