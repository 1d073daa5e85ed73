"""What each field of a record model holds, read once from the model's annotations.

Localising naive times and catching impossible dates must reach every time and date of a
record, however deeply nested (an incident's detention annex, a seizure's weapons), and must
cover a record type added tomorrow without anyone listing its fields again. Both walk the
same description of the model, built here from the annotations and cached per class.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel, NaiveDatetime
from pydantic.fields import FieldInfo

from plataforma.model.records.fields import Fact


@dataclass(frozen=True, slots=True)
class FieldShape:
    """One field: its name, whether the model requires it, and what it holds.

    ``kind`` is ``"time"`` (a datetime), ``"day"`` (a date), ``"model"`` (a nested model,
    ``child``), or ``"other"``; ``many`` says the field is a list of those.
    """

    name: str
    required: bool
    kind: str
    many: bool
    facts: frozenset[Fact]
    child: type[BaseModel] | None = None


# pydantic's datetime flavours are marker classes at run time, not datetime subclasses.
_DATETIME_MARKERS: tuple[Any, ...] = (AwareDatetime, NaiveDatetime)


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, bool, list[Any]]:
    """The bare type under ``Optional``, ``Annotated`` and ``list``, and its metadata."""
    many = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata = [*metadata, *extra]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, many, metadata
            annotation = args[0]
        elif origin is list:
            many = True
            (annotation,) = get_args(annotation) or (Any,)
        else:
            return annotation, many, metadata


def _shape(name: str, info: FieldInfo) -> FieldShape:
    bare, many, metadata = _unwrap(info.annotation, list(info.metadata))
    facts = frozenset(m for m in metadata if isinstance(m, Fact))
    child: type[BaseModel] | None = None
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        kind, child = "model", bare
    elif bare in _DATETIME_MARKERS or (isinstance(bare, type) and issubclass(bare, dt.datetime)):
        kind = "time"
    elif isinstance(bare, type) and issubclass(bare, dt.date):
        kind = "day"
    else:
        kind = "other"
    return FieldShape(name, info.is_required(), kind, many, facts, child)


@functools.cache
def shapes(model: type[BaseModel]) -> tuple[FieldShape, ...]:
    """Every field of ``model`` in declaration order."""
    return tuple(_shape(name, info) for name, info in model.model_fields.items())


@functools.cache
def holds(model: type[BaseModel], wanted: str) -> bool:
    """Whether ``model`` or a model nested in it has a field of kind ``wanted``.

    ``wanted`` is a kind, ``"fact"`` (a field with a fact marker) or ``"required fact"``.
    """
    for shape in shapes(model):
        if shape.kind == wanted or (wanted == "fact" and shape.facts):
            return True
        if wanted == "required fact" and shape.facts and shape.required:
            return True
        if shape.child is not None and holds(shape.child, wanted):
            return True
    return False


@functools.cache
def leading_to(model: type[BaseModel], wanted: str) -> tuple[FieldShape, ...]:
    """The fields of ``model`` of kind ``wanted`` or holding a model that has one: the only
    fields a walk for ``wanted`` needs to visit (it runs for every imported row)."""
    return tuple(
        s
        for s in shapes(model)
        if s.kind == wanted or (s.child is not None and holds(s.child, wanted))
    )
