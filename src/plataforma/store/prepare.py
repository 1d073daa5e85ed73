"""Turn a validated record body into the rows the store writes, outside any transaction.

Doing this work (key derivation, flags, hashing, serialisation) before the transaction opens
keeps write transactions short, which is what lets SQLite's single writer keep up.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from plataforma.model.records import RecordBody
from plataforma.store.jsontext import dumps


@dataclass(slots=True)
class PreparedRecord:
    record_type: str
    agency: str
    source_ref: str
    marking: str
    restricted_file: str | None
    state: str | None
    status: str
    valid_until: date | None
    purge_after: date
    data: dict[str, Any]
    flags: list[dict[str, str]]
    keys: list[tuple[str, str]]
    content_hash: str
    data_json: str = ""
    flags_json: str = "[]"
    # The submitter gave no purge date: ``purge_after`` is the default counted from today,
    # and a record that exists keeps its own date (see :meth:`keeping_purge_date`).
    purge_defaulted: bool = False

    @property
    def natural_key(self) -> tuple[str, str, str]:
        return (self.agency, self.record_type, self.source_ref)

    def keeping_purge_date(self, existing: date) -> PreparedRecord:
        """This record with an existing record's purge date, when the submitter set none.

        Retention is counted from entry: resubmitting a record without a date, a day or a
        year later, neither moves its purge date nor makes a new version.
        """
        if not self.purge_defaulted or existing == self.purge_after:
            return self
        kept = dataclasses.replace(self, purge_after=existing)
        kept.content_hash = content_hash(kept)
        return kept


def default_purge_date(body: RecordBody, today: date) -> date:
    """Retention by record type, counted from entry, unless the submitter set one."""
    try:
        return today.replace(year=today.year + body.retention_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + body.retention_years, day=28)


def content_hash(item: PreparedRecord) -> str:
    """A digest of everything a write stores: content, flags, keys and every envelope field.

    A resubmission is ``unchanged`` exactly when storing it would change nothing; a field left
    out here (as ``purge_after`` once was) is a change the store silently drops.
    """
    envelope = {
        "agency": item.agency,
        "marking": item.marking,
        "restricted_file": item.restricted_file,
        "status": item.status,
        "state": item.state,
        "valid_until": item.valid_until.isoformat() if item.valid_until else None,
        "purge_after": item.purge_after.isoformat(),
        "keys": item.keys,
    }
    data_json = item.data_json or dumps(item.data)
    flags_json = item.flags_json if item.data_json else dumps(item.flags)
    canonical = f"{data_json}|{flags_json}|{dumps(envelope)}"
    return hashlib.sha256(canonical.encode()).hexdigest()


def prepare(body: RecordBody, agency: str, today: date | None = None) -> PreparedRecord:
    """Everything the store needs from ``body``, owned by ``agency`` (the caller's by default)."""
    today = today or datetime.now(UTC).date()
    data = body.content()
    flags = [flag.model_dump() for flag in body.flags()]
    item = PreparedRecord(
        record_type=body.record_type,
        agency=body.agency or agency,
        source_ref=body.source_ref,
        marking=str(body.marking),
        restricted_file=str(body.restricted_file) if body.restricted_file else None,
        state=body.jurisdiction(),
        status=str(body.status),
        valid_until=body.valid_until,
        purge_after=body.purge_after or default_purge_date(body, today),
        data=data,
        flags=flags,
        keys=sorted(set(body.match_keys())),
        content_hash="",
        data_json=dumps(data),
        flags_json=dumps(flags),
        purge_defaulted=body.purge_after is None,
    )
    item.content_hash = content_hash(item)
    return item
