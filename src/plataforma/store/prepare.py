"""Turn a validated record body into the rows the store writes, outside any transaction.

Doing this work (key derivation, flags, hashing, serialisation) before the transaction opens
keeps write transactions short, which is what lets SQLite's single writer keep up.
"""

from __future__ import annotations

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

    @property
    def natural_key(self) -> tuple[str, str, str]:
        return (self.agency, self.record_type, self.source_ref)


def default_purge_date(body: RecordBody, today: date) -> date:
    """Retention by record type, counted from entry, unless the submitter set one."""
    try:
        return today.replace(year=today.year + body.retention_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + body.retention_years, day=28)


def prepare(body: RecordBody, agency: str, today: date | None = None) -> PreparedRecord:
    """Everything the store needs from ``body``, owned by ``agency`` (the caller's by default).

    The content hash covers everything a write stores (content, flags, keys and every envelope
    field), so a resubmission is ``unchanged`` exactly when storing it would change nothing.
    """
    today = today or datetime.now(UTC).date()
    data = body.content()
    flags = [flag.model_dump() for flag in body.flags()]
    keys = sorted(set(body.match_keys()))
    owner = body.agency or agency
    purge_after = body.purge_after or default_purge_date(body, today)
    restricted = str(body.restricted_file) if body.restricted_file else None
    state = body.jurisdiction()
    data_json = dumps(data)
    flags_json = dumps(flags)
    envelope = {
        "agency": owner,
        "marking": str(body.marking),
        "restricted_file": restricted,
        "status": str(body.status),
        "state": state,
        "valid_until": body.valid_until.isoformat() if body.valid_until else None,
        # The submitted date only: a default counted from today would make every rerun of an
        # unchanged file on a later day a new version.
        "purge_after": body.purge_after.isoformat() if body.purge_after else None,
        "keys": keys,
    }
    canonical = f"{data_json}|{flags_json}|{dumps(envelope)}"
    return PreparedRecord(
        record_type=body.record_type,
        agency=owner,
        source_ref=body.source_ref,
        marking=str(body.marking),
        restricted_file=restricted,
        state=state,
        status=str(body.status),
        valid_until=body.valid_until,
        purge_after=purge_after,
        data=data,
        flags=flags,
        keys=keys,
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        data_json=data_json,
        flags_json=flags_json,
    )
