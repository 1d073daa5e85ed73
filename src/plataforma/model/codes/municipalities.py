"""Municipalities and how a value in a record finds one.

The packaged table covers the capitals and large cities. `catalogue.install_catalogue` puts
INEGI's full catalogue in the data dir, and from then on it is used instead. Names repeat
across states (there are several "Benito Juárez"), so a bare name resolves only when unique.
"""

from __future__ import annotations

from dataclasses import dataclass

from plataforma.model.codes._data import cached, read_table
from plataforma.model.codes._text import fold
from plataforma.model.codes.errors import CodeError
from plataforma.model.codes.states import resolve_state

__all__ = [
    "Municipality",
    "all_municipalities",
    "municipalities_of",
    "resolve_municipality",
]


@dataclass(frozen=True)
class Municipality:
    """One municipality. Coordinates and population are absent in catalogues without them."""

    code: str
    state: str
    name: str
    lat: float | None
    lon: float | None
    population: int | None


@dataclass(frozen=True)
class _MunicipalityTable:
    by_code: dict[str, Municipality]
    by_state: dict[str, tuple[Municipality, ...]]
    # (state code, folded name) -> municipality; folded name -> every municipality so called.
    by_state_name: dict[tuple[str, str], Municipality]
    by_name: dict[str, tuple[Municipality, ...]]


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _from_row(row: dict[str, str]) -> Municipality:
    lat, lon, pop = (_optional(row.get(k)) for k in ("lat", "lon", "population"))
    return Municipality(
        code=row["code"].strip(),
        state=row["state"].strip(),
        name=row["name"].strip(),
        lat=float(lat) if lat else None,
        lon=float(lon) if lon else None,
        population=int(float(pop)) if pop else None,
    )


@cached
def _table() -> _MunicipalityTable:
    munis = sorted((_from_row(r) for r in read_table("municipalities.csv")), key=lambda m: m.code)
    by_code = {m.code: m for m in munis}
    by_state: dict[str, list[Municipality]] = {}
    by_state_name: dict[tuple[str, str], Municipality] = {}
    by_name: dict[str, list[Municipality]] = {}
    names = [(m, m.name) for m in munis]
    aliases = [
        (by_code[r["code"]], r["alias"])
        for r in read_table("municipality_aliases.csv")
        if r["code"] in by_code
    ]
    # Official names are indexed first, so an alias never shadows a real name in its state.
    for muni, name in names + aliases:
        key = fold(name)
        by_state_name.setdefault((muni.state, key), muni)
        same = by_name.setdefault(key, [])
        if muni not in same:
            same.append(muni)
    for muni in munis:
        by_state.setdefault(muni.state, []).append(muni)
    return _MunicipalityTable(
        by_code=by_code,
        by_state={k: tuple(v) for k, v in by_state.items()},
        by_state_name=by_state_name,
        by_name={k: tuple(v) for k, v in by_name.items()},
    )


def all_municipalities() -> list[Municipality]:
    """Every municipality of the catalogue in use, in code order."""
    return list(_table().by_code.values())


def municipalities_of(state: str) -> list[Municipality]:
    """The municipalities of a state, given in any form `resolve_state` accepts."""
    return list(_table().by_state.get(resolve_state(state).code, ()))


def _by_code(table: _MunicipalityTable, code: str, state: str | None) -> Municipality:
    muni = table.by_code.get(code)
    if muni is None:
        raise CodeError(f"unknown municipality {code!r}")
    if state is not None and muni.state != state:
        raise CodeError(f"municipality {code!r} is not in state {state}")
    return muni


def resolve_municipality(value: str, state: str | None = None) -> Municipality:
    """The municipality named by a 5-digit INEGI code, or by its name (or a known alias).

    With `state` (any form `resolve_state` accepts) a name is looked up in that state and a
    3-digit code is taken as the municipality part; without it a name must be unique.
    """
    table = _table()
    if value in table.by_code and state is None:
        return table.by_code[value]
    state_code = resolve_state(state).code if state is not None else None
    text = value.strip()
    if text.isdigit():
        if len(text) > 3 or state_code is None:
            return _by_code(table, text.zfill(5), state_code)
        return _by_code(table, state_code + text.zfill(3), state_code)
    key = fold(text)
    if state_code is not None:
        muni = table.by_state_name.get((state_code, key))
        if muni is None:
            raise CodeError(f"unknown municipality {value!r} in state {state_code}")
        return muni
    found = table.by_name.get(key, ())
    if len(found) == 1:
        return found[0]
    if not found:
        raise CodeError(f"unknown municipality {value!r}")
    raise CodeError(f"ambiguous municipality {value!r}: give the state")
