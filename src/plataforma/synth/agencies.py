"""The agency directory of the synthetic country: three levels of government.

Federal: SSPC, FGR, GN, INM and SIC. Per state: its prosecutor (``FGE-<ABBR>``), its public
security secretariat (``SSP-<ABBR>``) and its prison system (``PEN-<ABBR>``). Per packaged
municipality: its police (``POL-<INEGI code>``). Records are owned by the agency that would
hold them in life: municipal police write most IPHs, prosecutors hold warrants.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from plataforma.model.codes import all_municipalities, all_states

FEDERAL = (
    ("SSPC", "Secretaría de Seguridad y Protección Ciudadana", "police"),
    ("FGR", "Fiscalía General de la República", "prosecutor"),
    ("GN", "Guardia Nacional", "police"),
    ("INM", "Instituto Nacional de Migración", "migration"),
    ("SIC", "Sistema de Inteligencia Criminal", "intelligence"),
)


@dataclass(frozen=True)
class Directory:
    """Agency rows plus the lookups the generators need."""

    rows: tuple[dict[str, Any], ...]
    state_abbr: dict[str, str]

    def prosecutor(self, state: str) -> str:
        return f"FGE-{self.state_abbr[state]}"

    def state_police(self, state: str) -> str:
        return f"SSP-{self.state_abbr[state]}"

    def prisons(self, state: str) -> str:
        return f"PEN-{self.state_abbr[state]}"

    @staticmethod
    def municipal_police(municipality: str) -> str:
        return f"POL-{municipality}"


@cache
def directory() -> Directory:
    """Every synthetic agency, as ``agency`` records the store accepts."""
    rows: list[dict[str, Any]] = [
        {
            "source_ref": code,
            "agency": code,
            "name": name,
            "level": "federal",
            "kind": kind,
            **contact_point(code, _serial(code)),
        }
        for code, name, kind in FEDERAL
    ]
    abbr = {s.code: s.abbr for s in all_states()}
    for state in all_states():
        for code, name, kind in (
            (f"FGE-{state.abbr}", f"Fiscalía General del Estado de {state.name}", "prosecutor"),
            (f"SSP-{state.abbr}", f"Secretaría de Seguridad de {state.name}", "police"),
            (f"PEN-{state.abbr}", f"Sistema Penitenciario de {state.name}", "prisons"),
        ):
            rows.append(_row(code, name, "state", kind, state.code))
    for town in all_municipalities():
        code = f"POL-{town.code}"
        row = _row(code, f"Policía Municipal de {town.name}", "municipal", "police", town.state)
        row["municipality"] = town.code
        row["parent"] = f"SSP-{abbr[town.state]}"
        rows.append(row)
    return Directory(tuple(rows), abbr)


def contact_point(code: str, serial: int) -> dict[str, str]:
    """A synthetic 24/7 desk: every agency of the demo has one (numbers in a fictional range)."""
    return {
        "contact_desk": "Centro de Mando 24/7",
        "contact_phone": f"+52 55 0{serial:03d} {serial % 10000:04d}",
        "contact_email": f"guardia@{code.lower()}.example.gob.mx",
    }


def _row(code: str, name: str, level: str, kind: str, state: str) -> dict[str, Any]:
    return {
        "source_ref": code,
        "agency": code,
        "name": name,
        "level": level,
        "kind": kind,
        "state": state,
        **contact_point(code, _serial(code)),
    }


def _serial(code: str) -> int:
    """A stable small number per agency code, so its synthetic phone never changes."""
    return sum(ord(c) * (i + 1) for i, c in enumerate(code)) % 1000
