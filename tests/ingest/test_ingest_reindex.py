"""``reindex_keys``: records stored under older key rules get today's keys, flags and hash."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select, update

from conftest import add_agency
from plataforma.context import Platform
from plataforma.errors import Forbidden
from plataforma.ingest.reindex import reindex_keys
from plataforma.inquiry import VehicleQuery, inquire
from plataforma.model.envelope import Marking
from plataforma.records.service import RecordService
from plataforma.security.audit import AuditAction
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN, AgencyLevel, Principal, Role
from plataforma.store.prepare import PreparedRecord, content_hash
from plataforma.store.tables import record_keys, records, subscription_keys
from plataforma.subscriptions.service import SubscriptionService
from plataforma.subscriptions.targets import VehicleTarget

OFFICER = Principal(
    "officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU, AgencyLevel.MUNICIPAL, "14"
)
CAR = {
    "source_ref": "V1",
    "agency": "POL-GDL",
    "plate": "ABS-123-D",
    "plate_state": "14",
    "vin": "1HGCM82633AO04352",  # an O the old rules flagged; now read as 0
    "theft_status": "robado",
}
GUN = {"source_ref": "F1", "agency": "POL-GDL", "serial": "AB801"}
OLD_KEYS = {"V1": [("plate", "ABS123D")], "F1": [("serial", "AB801")]}
OLD_FLAGS = {"V1": [{"field": "vin", "problem": "contains I, O or Q"}], "F1": []}


@pytest.fixture
def old_store(platform: Platform) -> dict[str, str]:
    """Two records as the rules before skeletons stored them: old keys, old flags, old hash."""
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    service = RecordService(platform)
    ids = {
        payload["source_ref"]: service.submit(LOCAL_ADMIN, kind, payload).id
        for kind, payload in (("vehicle", CAR), ("firearm", GUN))
    }
    with platform.engine.begin() as conn:
        for ref, record_id in ids.items():
            row = conn.execute(select(records).where(records.c.id == record_id)).one()
            conn.execute(delete(record_keys).where(record_keys.c.record_id == record_id))
            conn.execute(
                record_keys.insert(),
                [
                    {"kind": k, "value": v, "record_id": record_id, "record_type": row.record_type}
                    for k, v in OLD_KEYS[ref]
                ],
            )
            conn.execute(
                update(records)
                .where(records.c.id == record_id)
                .values(
                    flags=OLD_FLAGS[ref], content_hash=_hash(row, OLD_KEYS[ref], OLD_FLAGS[ref])
                )
            )
    return ids


def _hash(row: Any, keys: list[tuple[str, str]], flags: list[dict[str, str]]) -> str:
    fields = ("record_type", "agency", "source_ref", "marking", "restricted_file", "state")
    item = PreparedRecord(
        **{f: getattr(row, f) for f in fields},
        status=row.status,
        valid_until=row.valid_until,
        purge_after=row.purge_after,
        data=row.data,
        flags=flags,
        keys=keys,
        content_hash="",
    )
    return content_hash(item)


def _keys(platform: Platform, record_id: str) -> list[tuple[str, str]]:
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(record_keys.c.kind, record_keys.c.value).where(
                record_keys.c.record_id == record_id
            )
        )
        return sorted((r.kind, r.value) for r in rows)


def _misread(platform: Platform) -> list[str]:
    answer = inquire(platform, OFFICER, VehicleQuery(plate="A8S-I23-D"), Purpose.PATROL)
    return [h.record_id for h in answer.hits]


def test_old_records_get_todays_keys_flags_and_hash_without_a_new_version(
    platform: Platform, old_store: dict[str, str]
) -> None:
    car = old_store["V1"]
    assert _misread(platform) == []  # the old keys cannot find a misread plate
    summary = reindex_keys(platform, LOCAL_ADMIN)
    assert (summary.read, summary.changed, summary.failed) == (3, 2, 0)  # + the agency record
    assert _keys(platform, car) == [
        ("plate", "ABS123D"),
        ("plate_skeleton", "A851230"),
        ("vin", "1HGCM82633A004352"),
        ("vin_skeleton", "1H6CM82633A004352"),
    ]
    assert _keys(platform, old_store["F1"]) == [("serial", "AB801"), ("serial_skeleton", "A8801")]
    with platform.engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.id == car)).one()
    assert row.flags == [] and row.version == 1
    assert _misread(platform) == [car]
    # The hash is what a write under today's rules stores: resubmitting changes nothing.
    again = RecordService(platform).submit(LOCAL_ADMIN, "vehicle", CAR)
    assert (again.outcome, again.version) == ("unchanged", 1)
    assert reindex_keys(platform, LOCAL_ADMIN).changed == 0  # idempotent


def test_a_dry_run_counts_and_writes_nothing(platform: Platform, old_store: dict[str, str]) -> None:
    summary = reindex_keys(platform, LOCAL_ADMIN, dry_run=True)
    assert summary.changed == 2
    assert _keys(platform, old_store["F1"]) == [("serial", "AB801")]


def test_types_and_resume(platform: Platform, old_store: dict[str, str]) -> None:
    only_guns = reindex_keys(platform, LOCAL_ADMIN, ["firearm"])
    assert (only_guns.read, only_guns.changed) == (1, 1)
    assert _keys(platform, old_store["V1"]) == [("plate", "ABS123D")]
    past_all = reindex_keys(platform, LOCAL_ADMIN, after="~")
    assert (past_all.read, past_all.changed) == (0, 0)


def test_a_record_that_no_longer_validates_keeps_its_keys_and_is_counted(
    platform: Platform, old_store: dict[str, str]
) -> None:
    car = old_store["V1"]
    with platform.engine.begin() as conn:
        data = {**CAR, "plate_state": "99"}  # a state code no catalogue knows
        del data["source_ref"], data["agency"]
        conn.execute(update(records).where(records.c.id == car).values(data=data))
    summary = reindex_keys(platform, LOCAL_ADMIN)
    assert (summary.changed, summary.failed) == (1, 1)
    assert _keys(platform, car) == [("plate", "ABS123D")]


def test_subscriptions_get_their_skeletons_and_the_run_is_audited(
    platform: Platform, old_store: dict[str, str]
) -> None:
    target = VehicleTarget(plate="ABS-123-D", purpose=Purpose.INVESTIGATION)
    sub = SubscriptionService(platform).create(OFFICER, target)
    with platform.engine.begin() as conn:
        conn.execute(delete(subscription_keys).where(subscription_keys.c.kind != "plate"))
    summary = reindex_keys(platform, LOCAL_ADMIN)
    assert summary.subscription_keys_added == 1
    with platform.engine.connect() as conn:
        held = conn.execute(
            select(subscription_keys.c.kind, subscription_keys.c.value).where(
                subscription_keys.c.subscription_id == sub.id
            )
        ).all()
        events = search_audit(conn, AuditQuery(action=AuditAction.ADMIN))
    assert sorted(tuple(h) for h in held) == [("plate", "ABS123D"), ("plate_skeleton", "A851230")]
    assert any(e["detail"].get("reindex", {}).get("changed") == 2 for e in events)


def test_only_administrators_reindex(platform: Platform, old_store: dict[str, str]) -> None:
    with pytest.raises(Forbidden):
        reindex_keys(platform, OFFICER)
