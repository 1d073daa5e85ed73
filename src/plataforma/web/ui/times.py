"""Which clock a page reads times on, and how a time is written there.

Times are stored as instants (UTC from the server's clock, or with the offset they were
typed in). People read them on a local clock: a record's times on the clock of the state
where it happened (its ``place``), because "the robbery was at 21:15" is said in the
place's time; other pages on the clock of the user's agency's state; with neither,
America/Mexico_City, the time most of the country keeps. The zone's abbreviation is always
written ("CST", "PST", "EST"), so a time read in Tijuana and one read in Cancún cannot be
confused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from plataforma.model.codes import CodeError, resolve_state
from plataforma.security.principal import Principal

DEFAULT_ZONE = "America/Mexico_City"


def state_zone(code: str | None) -> ZoneInfo | None:
    """The IANA zone of a state's capital (``model/codes/states.csv``), if the code is known."""
    if not code:
        return None
    try:
        return ZoneInfo(resolve_state(code).tz)
    except CodeError:
        return None


def user_zone(principal: Principal | None) -> ZoneInfo:
    """The clock of the user's agency's state, else Mexico City's (federal agencies, admin)."""
    zone = state_zone(principal.agency_state) if principal else None
    return zone or ZoneInfo(DEFAULT_ZONE)


def record_zone(data: dict[str, Any] | None, principal: Principal | None) -> ZoneInfo:
    """The clock of the record's place (incidents, detentions, seizures), else the user's."""
    place = data.get("place") if isinstance(data, dict) else None
    state = place.get("state") if isinstance(place, dict) else None
    return state_zone(state if isinstance(state, str) else None) or user_zone(principal)


def local_time(value: datetime | date | str | None, zone: ZoneInfo) -> str:
    """``2026-12-01 14:52 CST``; a date stays a date; a naive time is taken as UTC.

    The server stores naive times only from its own UTC clock (SQLite drops the offset), so
    UTC is the one reading of a naive value that is right.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if "T" not in value and " " not in value:
            return value  # a date, or text that is no time at all
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, datetime):
        return value.isoformat()
    instant = value if value.tzinfo else value.replace(tzinfo=UTC)
    local = instant.astimezone(zone)
    name = local.tzname() or ""
    if not name or name[0] in "+-":  # zones without an abbreviation: write the offset
        offset = local.strftime("%z")
        name = f"UTC{offset[:3]}:{offset[3:]}"
    return f"{local:%Y-%m-%d %H:%M} {name}"
