"""Turn the IPH form's flat field names into the nested record, and errors back into fields.

Inputs are named by path with ``-`` separators (``place-state``, ``persons-0-given_names``,
``detentions-1-person-curp``), so any annex can gain rows without new server code. Blank
inputs are left out and annex rows left entirely blank are dropped; the positions of the rows
kept are remembered, so an error at ``/persons/0/curp`` can be shown beside the input the user
typed in, even when an empty row above it was dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Fields that hold several values (a multi-select); errors on their items go to the field.
MULTI_VALUED = frozenset({"crime_types"})
SEPARATOR = "-"


@dataclass
class FormPayload:
    payload: dict[str, Any]
    # list path (tuple of form segments) -> original row index of each kept row
    rows: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    def field_name(self, pointer: str, known: Iterable[str]) -> str | None:
        """The form input an error at JSON ``pointer`` belongs to, or ``None`` if no input."""
        segments: list[str] = []
        for part in pointer.strip("/").split("/"):
            if part.isdigit() and tuple(segments) in self.rows:
                kept = self.rows[tuple(segments)]
                part = kept[int(part)] if int(part) < len(kept) else part
            segments.append(part)
        names = set(known)
        for end in range(len(segments), 0, -1):
            name = SEPARATOR.join(segments[:end])
            if name in names:
                return name
        return None


def _insert(tree: dict[str, Any], path: list[str], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return not value
    return value is None or (isinstance(value, str) and not value.strip())


def _lists(node: Any, path: tuple[str, ...], rows: dict[tuple[str, ...], list[str]]) -> Any:
    """Dicts keyed by row numbers become lists of their non-blank rows, in row order."""
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        kept = [k for k in sorted(node, key=int) if not _blank(node[k])]
        rows[path] = kept
        return [_lists(node[k], (*path, k), rows) for k in kept]
    out = {}
    for key, value in node.items():
        converted = _lists(value, (*path, key), rows)
        if not _blank(converted):
            out[key] = converted
    return out


def parse_form(items: Iterable[tuple[str, str]]) -> FormPayload:
    """Nested payload from ``(name, value)`` pairs; repeated names become lists."""
    tree: dict[str, Any] = {}
    for name, raw in items:
        if name == "csrf_token":
            continue
        value = raw.strip()
        path = name.split(SEPARATOR)
        if name in MULTI_VALUED:
            tree.setdefault(name, [])
            if value:
                tree[name].append(value)
            continue
        _insert(tree, path, value or None)
    rows: dict[tuple[str, ...], list[str]] = {}
    payload = _lists(tree, (), rows)
    return FormPayload(payload, rows)
