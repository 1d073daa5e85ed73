"""Whom a notice is judged for: the subscriber or inquirer as they are now, or a desk.

A notice is a read made later on someone's behalf, so it is judged by the policy against
that someone as the store knows them *now* (a user since disabled, moved or declassified
gets what their account allows today). An agency's desk is read by everyone of the agency,
so it is judged as the least of them: an officer with SBU clearance and no restricted file.
"""

from __future__ import annotations

from sqlalchemy import Connection

from plataforma.model.envelope import Marking
from plataforma.security.agencies import agency_facts, level_of
from plataforma.security.authn import principal_of_user
from plataforma.security.identity import get_user
from plataforma.security.principal import AuthMethod, Principal, Role

DESK_PREFIX = "desk:"


def user_principal(conn: Connection, username: str) -> Principal | None:
    """``username`` as a principal, or None (no such user, or disabled: told nothing)."""
    user = get_user(conn, username)
    if user is None or not user.active:
        return None
    return principal_of_user(conn, user, AuthMethod.LOCAL, None, None)


def desk_principal(conn: Connection, agency: str) -> Principal:
    """The desk of ``agency``: what every one of its users may read."""
    facts = agency_facts(conn, agency)
    return Principal(
        username=f"{DESK_PREFIX}{agency}",
        agency=agency,
        roles=frozenset({Role.OFFICER}),
        clearance=Marking.SBU,
        agency_level=level_of(facts),
        agency_state=facts.state if facts else None,
        method=AuthMethod.LOCAL,
    )


class Recipients:
    """Principals looked up once per event (many notices of one event share a recipient)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._users: dict[str, Principal | None] = {}
        self._desks: dict[str, Principal] = {}

    def user(self, username: str) -> Principal | None:
        if username not in self._users:
            self._users[username] = user_principal(self._conn, username)
        return self._users[username]

    def desk(self, agency: str) -> Principal:
        if agency not in self._desks:
            self._desks[agency] = desk_principal(self._conn, agency)
        return self._desks[agency]
