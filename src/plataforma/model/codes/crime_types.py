"""SESNSP's crime classification for fuero común incidence, as records and files name it.

Codes are the published subtipo labels slugified, so anyone can derive them from SESNSP's
tables; a value in a record may be the code, the Spanish label, or a tipo that has only one
subtipo ("Extorsión"). Severity and violence are our judgements, explained in the CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from plataforma.model.codes._data import cached, read_table
from plataforma.model.codes._text import fold, slugify
from plataforma.model.codes.errors import CodeError

__all__ = [
    "CrimeType",
    "Modality",
    "Severity",
    "all_crime_types",
    "modalities_of",
    "resolve_crime_type",
]


class Severity(StrEnum):
    """How much an incident weighs in alarms and dashboards."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class CrimeType:
    """One subtipo de delito with its place in the hierarchy (bien jurídico > tipo > subtipo)."""

    code: str
    label: str
    tipo: str
    tipo_code: str
    bien_juridico: str
    severity: Severity
    violent: bool


@dataclass(frozen=True)
class Modality:
    """A modalidad SESNSP counts separately under a subtipo ("Con violencia", "Con arma ...")."""

    crime_type: str
    code: str
    label: str
    violent: bool


@dataclass(frozen=True)
class _CrimeTable:
    types: tuple[CrimeType, ...]
    by_key: dict[str, CrimeType]
    # Keys that name several subtipos ("Homicidio", "Robo"): kept to explain the refusal.
    ambiguous: frozenset[str]
    modalities: dict[str, tuple[Modality, ...]]


def _flag(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes", "si", "sí"}


@cached
def _table() -> _CrimeTable:
    types = tuple(
        CrimeType(
            code=r["code"].strip(),
            label=r["label"].strip(),
            tipo=r["tipo"].strip(),
            tipo_code=r["tipo_code"].strip() or slugify(r["tipo"]),
            bien_juridico=r["bien_juridico"].strip(),
            severity=Severity(r["severity"].strip().lower()),
            violent=_flag(r["violent"]),
        )
        for r in read_table("crime_types.csv")
    )
    by_key: dict[str, CrimeType] = {}
    for ct in types:
        by_key[ct.code] = ct
        by_key.setdefault(fold(ct.label), ct)
    subtipos_of: dict[str, set[CrimeType]] = {}
    for ct in types:
        subtipos_of.setdefault(fold(ct.tipo), set()).add(ct)
    ambiguous = {key for key, found in subtipos_of.items() if len(found) > 1}
    for key, found in subtipos_of.items():
        if key not in ambiguous:
            by_key.setdefault(key, next(iter(found)))
    modalities: dict[str, list[Modality]] = {}
    for r in read_table("crime_modalities.csv"):
        m = Modality(r["crime_type"], r["code"], r["label"], _flag(r["violent"]))
        modalities.setdefault(m.crime_type, []).append(m)
    return _CrimeTable(
        types,
        by_key,
        frozenset(ambiguous - by_key.keys()),
        {k: tuple(v) for k, v in modalities.items()},
    )


def all_crime_types() -> list[CrimeType]:
    """Every subtipo in SESNSP's publication order."""
    return list(_table().types)


def resolve_crime_type(value: str) -> CrimeType:
    """The subtipo named by its code, its Spanish label, or a tipo with a single subtipo."""
    table = _table()
    found = table.by_key.get(value)
    if found is not None:
        return found
    key = fold(value)
    found = table.by_key.get(key) or table.by_key.get(key.replace(" ", "_"))
    if found is not None:
        return found
    if key in table.ambiguous:
        raise CodeError(f"ambiguous crime type {value!r}: give the subtipo")
    raise CodeError(f"unknown crime type {value!r}")


def modalities_of(crime_type: str) -> list[Modality]:
    """The modalities counted under a subtipo; empty when SESNSP publishes no breakdown."""
    return list(_table().modalities.get(resolve_crime_type(crime_type).code, ()))
