"""The inquiry log: who asked what, why, which records were hits, and the keys looked up.

The rows are committed with the inquiry's audit event, in the audit log's group commit
(``AuditLog.record(event, rows=...)``): no commit of their own on the answer's path, and as
durable as the event. ``inquiry_keys`` holds the keys in ``record_keys``' own kinds and
normal forms, so a wanted or stolen record entered later finds the inquiries of the last
hours by exact ``(kind, value)`` equality (delayed inquiry).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table

from plataforma.inquiry.answer import Answer
from plataforma.security.principal import Principal
from plataforma.store.tables import inquiries, inquiry_keys


def log_rows(
    answer: Answer,
    principal: Principal,
    purpose: str,
    keys: Sequence[tuple[str, str]],
    at: datetime,
) -> list[tuple[Table, Sequence[dict[str, Any]]]]:
    """The ``inquiries`` row and the ``inquiry_keys`` rows of ``answer``."""
    inquiry = {
        "id": answer.inquiry_id,
        "at": at,
        "actor": principal.username[:64],
        "agency": principal.agency,
        "purpose": purpose,
        "kind": answer.kind,
        "query": dict(answer.asked),
        "hits": [h.record_id for h in answer.hits],
    }
    key_rows = [
        {"kind": kind, "value": value[:160], "inquiry_id": answer.inquiry_id, "at": at}
        for kind, value in dict.fromkeys(keys)
    ]
    return [(inquiries, [inquiry]), (inquiry_keys, key_rows)]
