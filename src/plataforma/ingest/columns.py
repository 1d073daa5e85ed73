"""From flat CSV columns to the nested payload a record model validates.

A dotted column (``place.state``, ``first_responder.name``) becomes a nested object; a cell of
a field that holds objects (``persons``, ``documents``) may carry them as JSON text, which is
how an export writes them; empty cells are absent values, not empty strings. Per-type aliases
let published layouts import as they are: the trends incident CSV of DESIGN §5
(``source_ref, agency, occurred_at, crime_type, state, municipality, latitude, longitude``)
has no folio, so an incident's folio defaults to its source_ref.
"""

from __future__ import annotations

import json
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from plataforma.model.records import record_model

ALIASES: dict[str, dict[str, str]] = {
    "incident": {
        "crime_type": "crime_types",
        "state": "place.state",
        "municipality": "place.municipality",
        "latitude": "place.latitude",
        "longitude": "place.longitude",
        "locality": "place.locality",
        "street": "place.street",
        "postal_code": "place.postal_code",
    },
}

# Columns an export writes that are the store's, not the submitter's: ignored on import.
READ_ONLY_COLUMNS = frozenset({"id", "version"})


def _holds_models(annotation: Any) -> bool:
    """Whether a field's type is (a list of, or optional) pydantic model(s)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        return any(_holds_models(arg) for arg in typing.get_args(annotation))
    return False


@cache
def json_fields(record_type: str) -> frozenset[str]:
    """Top-level fields whose CSV cell may hold JSON (objects or lists of objects)."""
    model = record_model(record_type)
    return frozenset(
        name for name, info in model.model_fields.items() if _holds_models(info.annotation)
    )


def _maybe_json(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value  # left for validation to reject with the field's name
    return value


def nest_row(record_type: str, cells: dict[str, str]) -> dict[str, Any]:
    """The nested payload for one CSV row of ``record_type``."""
    aliases = ALIASES.get(record_type, {})
    decoded = json_fields(record_type)
    payload: dict[str, Any] = {}
    for column, raw in cells.items():
        value = raw.strip() if raw else ""
        if not value or column in READ_ONLY_COLUMNS:
            continue
        path = aliases.get(column, column).split(".")
        target = payload
        for part in path[:-1]:
            child = target.setdefault(part, {})
            if not isinstance(child, dict):
                child = target[part] = {}
            target = child
        target[path[-1]] = _maybe_json(value) if path[0] in decoded else value
    return complete(record_type, payload)


def complete(record_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Defaults a published layout leaves out (an incident's folio is its source_ref)."""
    for column in READ_ONLY_COLUMNS:
        payload.pop(column, None)
    if record_type == "incident" and "folio" not in payload and payload.get("source_ref"):
        payload["folio"] = payload["source_ref"]
    return payload
