"""The records service's errors, which live in :mod:`plataforma.errors`.

Kept so that ``from plataforma.records.errors import …`` goes on working; new code imports
:mod:`plataforma.errors`, which every package may use without importing ``records``.
"""

from __future__ import annotations

from plataforma.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidRecord,
    NotFound,
    RecordError,
    field_errors,
)

__all__ = [
    "Conflict",
    "FieldError",
    "Forbidden",
    "InvalidRecord",
    "NotFound",
    "RecordError",
    "field_errors",
]
