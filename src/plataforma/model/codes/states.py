"""The federal entities (states) and every way people write them.

Records arrive with "09", "9", "CDMX", "Distrito Federal", "Ciudad de México" or the CURP code
"DF" for the same entity; all resolve to one `State`, written back as its 2-digit INEGI code.
"""

from __future__ import annotations

from dataclasses import dataclass

from plataforma.model.codes._data import cached, read_table
from plataforma.model.codes._text import fold
from plataforma.model.codes.errors import CodeError

__all__ = ["CURP_BORN_ABROAD", "State", "all_states", "resolve_state", "state_by_curp"]

CURP_BORN_ABROAD = "NE"
"""CURP entity code of people born abroad ("nacido en el extranjero"): a birthplace, not a state."""


@dataclass(frozen=True)
class State:
    """One federal entity. `tz` is the IANA zone used to read naive times recorded there."""

    code: str
    name: str
    abbr: str
    curp: str
    tz: str
    lat: float
    lon: float


@dataclass(frozen=True)
class _StateTable:
    states: tuple[State, ...]
    by_key: dict[str, State]
    by_curp: dict[str, State]


def _keys(row: dict[str, str]) -> list[str]:
    code = row["code"].strip()
    aliases = [a for a in (row.get("aliases") or "").split(";") if a.strip()]
    keys = [code, row["name"], row["abbr"], row["curp"], *aliases]
    if code.isdigit():
        keys.append(str(int(code)))
    return keys


@cached
def _table() -> _StateTable:
    states: list[State] = []
    by_key: dict[str, State] = {}
    for row in read_table("states.csv"):
        state = State(
            code=row["code"].strip(),
            name=row["name"].strip(),
            abbr=row["abbr"].strip(),
            curp=row["curp"].strip().upper(),
            tz=row["tz"].strip(),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        states.append(state)
        for key in {fold(k) for k in _keys(row)}:
            other = by_key.setdefault(key, state)
            # A key shared by two states would make resolution depend on row order.
            if other is not state:
                raise CodeError(f"state key {key!r} names both {other.code} and {state.code}")
    return _StateTable(tuple(states), by_key, {s.curp: s for s in states})


def all_states() -> list[State]:
    """Every state in code order as the table lists them."""
    return list(_table().states)


def resolve_state(value: str) -> State:
    """The state named by an INEGI code (padded or not), name, alias, abbreviation or CURP code."""
    by_key = _table().by_key
    state = by_key.get(value)
    if state is None:
        key = fold(value)
        # "009" or "9.0"-free integers: compare as numbers, not strings.
        state = by_key.get(str(int(key)) if key.isdigit() else key)
    if state is None:
        raise CodeError(f"unknown state {value!r}")
    return state


def state_by_curp(code: str) -> State | None:
    """The state of a CURP's entity code; None for "NE" (born abroad) or an unknown code."""
    return _table().by_curp.get(code.strip().upper())
