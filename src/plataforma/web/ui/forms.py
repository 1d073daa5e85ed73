"""Turn the IPH form's flat field names into the nested record, and errors back into fields.

Inputs are named by path with ``-`` separators (``place-state``, ``persons-0-given_names``,
``detentions-1-person-curp``), so any annex can gain rows without new server code. Blank
inputs are left out and annex rows left entirely blank are dropped; the positions of the rows
kept are remembered, so an error at ``/persons/0/curp`` can be shown beside the input the user
typed in, even when an empty row above it was dropped.

The names come from the client, so they are bounded before they are mapped: a form with too
many fields, names nested too deeply, row numbers out of range, or one name used both as a
value and as a group (``a`` and ``a-b``) is refused with :class:`UnmappableForm`, which the
routes answer as a form error (400), never as a server error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Fields that hold several values (a multi-select); errors on their items go to the field.
MULTI_VALUED = frozenset({"crime_types"})
SEPARATOR = "-"
# The deepest real input is ``detentions-0-person-given_names`` (4 parts); the IPH form has a
# few hundred inputs with every annex row filled; rows are numbered by the page from 0.
MAX_DEPTH = 6
MAX_FIELDS = 1000
MAX_NAME_LENGTH = 200
MAX_ROW = 999

TOO_MANY_FIELDS = "the form has too many fields"
NAME_TOO_DEEP = "field name too long or too deeply nested"
NAME_HAS_EMPTY_PART = "field name has an empty part"
ROW_OUT_OF_RANGE = "row number out of range"
VALUE_AND_GROUP = "field name used both for a value and for a group of fields"


class UnmappableForm(ValueError):
    """A form whose names cannot become a record; ``reason`` is a translatable message."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


def is_row_number(part: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²", which ``int`` refuses."""
    return part.isascii() and part.isdigit()


@dataclass
class FormPayload:
    payload: dict[str, Any]
    # list path (tuple of form segments) -> original row index of each kept row
    rows: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    def field_name(self, pointer: str, known: Iterable[str]) -> str | None:
        """The form input an error at JSON ``pointer`` belongs to, or ``None`` if no input."""
        segments: list[str] = []
        for part in pointer.strip("/").split("/"):
            if is_row_number(part) and tuple(segments) in self.rows:
                kept = self.rows[tuple(segments)]
                part = kept[int(part)] if int(part) < len(kept) else part
            segments.append(part)
        names = set(known)
        for end in range(len(segments), 0, -1):
            name = SEPARATOR.join(segments[:end])
            if name in names:
                return name
        return None


def _checked_path(name: str) -> list[str]:
    if len(name) > MAX_NAME_LENGTH:
        raise UnmappableForm(name[:40] + "…", NAME_TOO_DEEP)
    path = name.split(SEPARATOR)
    if len(path) > MAX_DEPTH:
        raise UnmappableForm(name, NAME_TOO_DEEP)
    for part in path:
        if not part:
            raise UnmappableForm(name, NAME_HAS_EMPTY_PART)
        if is_row_number(part) and int(part) > MAX_ROW:
            raise UnmappableForm(name, ROW_OUT_OF_RANGE)
    return path


def _insert(tree: dict[str, Any], name: str, path: list[str], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise UnmappableForm(name, VALUE_AND_GROUP)
        node = child
    if isinstance(node.get(path[-1]), dict | list):
        raise UnmappableForm(name, VALUE_AND_GROUP)
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
    if node and all(is_row_number(key) for key in node):
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
    """Nested payload from ``(name, value)`` pairs; raises :class:`UnmappableForm`.

    Values of a multi-valued name become a list; any other repeated name keeps its last value.
    """
    tree: dict[str, Any] = {}
    for count, (name, raw) in enumerate(items, start=1):
        if count > MAX_FIELDS:
            raise UnmappableForm(name[:40], TOO_MANY_FIELDS)
        if name == "csrf_token":
            continue
        value = raw.strip()
        path = _checked_path(name)
        if name in MULTI_VALUED:
            values = tree.setdefault(name, [])
            if not isinstance(values, list):
                raise UnmappableForm(name, VALUE_AND_GROUP)
            if value:
                values.append(value)
            continue
        _insert(tree, name, path, value or None)
    rows: dict[tuple[str, ...], list[str]] = {}
    payload = _lists(tree, (), rows)
    return FormPayload(payload, rows)
