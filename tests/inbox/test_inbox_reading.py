"""The inbox's read side: whose notifications a reader sees, pages, counts, read state, audit.

Two agencies of one state, users of every clearance, records of every marking in and out of a
restricted file: nobody sees another user's or another agency's notifications, and a
notification about a record the reader may not see is listed without its reference.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from conftest import add_two_desks, add_user
from plataforma.context import Platform
from plataforma.inbox import reading
from plataforma.model.envelope import Marking
from plataforma.realtime.inbox import Notification, NotificationKind, deliver
from plataforma.records.service import RecordService
from plataforma.security import policy
from plataforma.security.authn import principal_of_user
from plataforma.security.identity import get_user
from plataforma.security.principal import LOCAL_ADMIN, AuthMethod, Principal, Role
from plataforma.store.tables import audit_log


@pytest.fixture
def desks(platform: Platform) -> Platform:
    add_two_desks(platform)
    add_user(platform, "beto", "POL-GDL", ["officer"], Marking.SECRET, ("juvenile",))
    return platform


def who(platform: Platform, username: str) -> Principal:
    """The principal a login of ``username`` gives (the authentication's own builder)."""
    with platform.engine.connect() as conn:
        user = get_user(conn, username)
        assert user is not None
        return principal_of_user(conn, user, AuthMethod.PASSWORD_TOTP, None, "127.0.0.1")


def note(
    key: str, user: str | None = None, agency: str | None = None, **extra: Any
) -> Notification:
    return Notification(
        NotificationKind.SUBSCRIPTION_MATCH,
        key,
        recipient_user=user,
        recipient_agency=agency,
        summary={"event": "created"},
        **extra,
    )


def _deliver_mixed(platform: Platform) -> None:
    deliver(
        platform.engine,
        None,
        [
            note("ana-1", user="ana"),
            note("beto-1", user="beto"),
            note("gdl-1", agency="POL-GDL"),
            note("zap-1", agency="POL-ZAP"),
            note("zoe-1", user="zoe"),
            note("ana-2", user="ana"),
        ],
    )


def _keys(platform: Platform, items: list[reading.InboxItem]) -> list[int]:
    return [item.id for item in items]


def test_each_reader_sees_their_own_and_their_desks_only(desks: Platform) -> None:
    _deliver_mixed(desks)
    seen = {
        name: reading.list_page(desks, who(desks, name), limit=50)
        for name in ("ana", "beto", "zoe")
    }
    assert [i.to for i in seen["ana"].items] == ["user", "agency", "user"]
    assert len(seen["beto"].items) == 2  # beto-1 and the POL-GDL desk
    assert len(seen["zoe"].items) == 2  # zoe-1 and the POL-ZAP desk
    ana_ids = set(_keys(desks, seen["ana"].items))
    zoe_ids = set(_keys(desks, seen["zoe"].items))
    assert not ana_ids & zoe_ids
    assert seen["ana"].unread == 3 and seen["zoe"].unread == 2


def test_pages_cover_the_inbox_once_newest_first(desks: Platform) -> None:
    deliver(desks.engine, None, [note(f"n{i}", user="ana") for i in range(7)])
    deliver(desks.engine, None, [note(f"z{i}", user="zoe") for i in range(5)])
    ana = who(desks, "ana")
    ids: list[int] = []
    cursor = None
    while True:
        page = reading.list_page(desks, ana, cursor, limit=3)
        ids.extend(item.id for item in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(ids) == 7 == len(set(ids)) and ids == sorted(ids, reverse=True)
    with pytest.raises(reading.BadCursor):
        reading.list_page(desks, ana, "abc")


def test_marking_read_is_for_the_reader_only(desks: Platform) -> None:
    _deliver_mixed(desks)
    ana, zoe = who(desks, "ana"), who(desks, "zoe")
    zoes = reading.list_page(desks, zoe).items
    with pytest.raises(reading.NotYours):
        reading.mark_read(desks, ana, zoes[0].id)
    with pytest.raises(reading.NotYours):
        reading.mark_read(desks, ana, 10**9)
    assert reading.list_page(desks, zoe).unread == 2  # untouched
    desk = next(i for i in reading.list_page(desks, ana).items if i.to == "agency")
    marked = reading.mark_read(desks, ana, desk.id)
    assert marked.read_at is not None
    assert reading.mark_read(desks, ana, desk.id).read_at == marked.read_at  # idempotent
    # A desk notification read by one officer is read for the desk.
    assert reading.list_page(desks, who(desks, "beto")).unread == 1
    assert reading.list_page(desks, ana, unread_only=True).unread == 2
    assert all(i.read_at is None for i in reading.list_page(desks, ana, unread_only=True).items)


def test_reads_and_refusals_are_audited(desks: Platform) -> None:
    _deliver_mixed(desks)
    ana = who(desks, "ana")
    page = reading.list_page(desks, ana)
    zoes = reading.list_page(desks, who(desks, "zoe")).items
    with pytest.raises(reading.NotYours):
        reading.mark_read(desks, ana, zoes[0].id)
    # Durable: committed before the answer, so in the table now.
    with desks.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.actor, audit_log.c.outcome, audit_log.c.detail).where(
                audit_log.c.action == "notification"
            )
        ).all()
    listed = [r for r in rows if r.actor == "ana" and r.detail["op"] == "list"]
    assert listed and listed[0].detail["ids"] == [i.id for i in page.items]
    refused = [r for r in rows if r.actor == "ana" and r.detail["op"] == "mark_read"]
    assert refused[0].outcome == "denied"


MARKINGS = ["PUBLIC", "SBU", "CONFIDENTIAL", "SECRET"]
FILES: tuple[str | None, ...] = (None, "juvenile")


def _record(platform: Platform, ref: str, marking: str, restricted: str | None) -> str:
    body: dict[str, Any] = {
        "source_ref": ref,
        "agency": "POL-ZAP",
        "given_names": "Eva",
        "first_surname": "Luna",
        "marking": marking,
    }
    if restricted:
        body["restricted_file"] = restricted
    return RecordService(platform).submit(LOCAL_ADMIN, "person", body).id


def test_references_follow_the_read_policy_for_every_marking(desks: Platform) -> None:
    """Desk notifications of POL-GDL naming POL-ZAP's records of every marking and file."""
    facts: dict[str, policy.RecordFacts] = {}
    for marking in MARKINGS:
        for restricted in FILES:
            ref = f"{marking}-{restricted}"
            record_id = _record(desks, ref, marking, restricted)
            facts[record_id] = policy.RecordFacts(
                "person", "POL-ZAP", Marking(marking), None, restricted
            )
            deliver(
                desks.engine,
                None,
                [note(f"n-{ref}", agency="POL-GDL", record_id=record_id, record_type="person")],
            )
    for name in ("ana", "beto"):
        reader = who(desks, name)
        items = reading.list_page(desks, reader, limit=50).items
        assert len(items) == len(facts)  # every notification listed: no count changes
        shown = {item.record_id for item in items if not item.withheld}
        for record_id, record in facts.items():
            may = bool(policy.can_see_reference(reader, record))
            assert (record_id in shown) == may, (name, record)
        for item in items:
            if item.withheld:
                assert item.record_id is None and item.record_type is None
                assert item.summary == {}
    ana_shown = {
        i.record_id for i in reading.list_page(desks, who(desks, "ana"), limit=50).items
    } - {None}
    # ana (SBU, municipal, no files) sees PUBLIC and SBU outside the restricted file only.
    assert {facts[r].marking for r in ana_shown} == {Marking.PUBLIC, Marking.SBU}
    assert all(facts[r].restricted_file is None for r in ana_shown)


@pytest.mark.parametrize(
    ("user", "agency", "allowed"),
    [
        ("ana", None, True),
        ("beto", None, False),
        (None, "POL-GDL", True),
        (None, "POL-ZAP", False),
    ],
)
def test_policy_who_reads_a_notification(
    user: str | None, agency: str | None, allowed: bool
) -> None:
    ana = Principal("ana", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU)
    assert bool(policy.can_read_notification(ana, user, agency)) is allowed
    nobody = Principal("x", "POL-GDL", frozenset(), Marking.SBU)
    assert not policy.can_read_notification(nobody, "x", None)
    assert policy.notification_recipients(nobody) is None
