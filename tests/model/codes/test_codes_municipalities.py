"""Municipalities resolve by code or by name, and refuse names that are not unique."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from plataforma.model.codes import (
    CodeError,
    all_municipalities,
    all_states,
    municipalities_of,
    reset_cache,
    resolve_municipality,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "mexico"


@pytest.fixture(autouse=True)
def _packaged_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path))
    reset_cache()


def test_every_state_has_its_capital_and_cdmx_all_alcaldias() -> None:
    for state in all_states():
        assert municipalities_of(state.code), state.name
    assert [m.code for m in municipalities_of("CDMX")] == [f"09{i:03d}" for i in range(2, 18)]


def test_packaged_rows_are_complete() -> None:
    munis = all_municipalities()
    assert 150 <= len(munis) <= 250
    for m in munis:
        assert m.code[:2] == m.state and len(m.code) == 5
        assert m.lat is not None and m.lon is not None and m.population


@pytest.mark.parametrize(
    ("value", "state", "code"),
    [
        ("02004", None, "02004"),
        ("14039", "14", "14039"),
        ("039", "jalisco", "14039"),
        ("Tijuana", None, "02004"),
        ("monterrey", "NL", "19039"),
        ("Cancún", None, "23005"),
        ("Benito Juárez", "Quintana Roo", "23005"),
        ("benito juarez", "cdmx", "09014"),
        ("Guadalupe", "19", "19026"),
        ("Villahermosa", None, "27004"),
        ("Chetumal", None, "23004"),
        ("Tlaquepaque", "JAL", "14098"),
        ("CUAUHTEMOC", "09", "09015"),
    ],
)
def test_resolve_municipality(value: str, state: str | None, code: str) -> None:
    assert resolve_municipality(value, state).code == code


def test_ambiguous_name_needs_the_state() -> None:
    with pytest.raises(CodeError, match="ambiguous municipality 'Benito Juárez': give the state"):
        resolve_municipality("Benito Juárez")


def test_unknown_name_names_the_state() -> None:
    with pytest.raises(CodeError, match="unknown municipality 'Tijuana' in state 14"):
        resolve_municipality("Tijuana", "14")


def test_code_in_another_state_is_refused() -> None:
    with pytest.raises(CodeError, match="not in state 09"):
        resolve_municipality("14039", "09")


def test_codes_and_centroids_agree_with_inegi() -> None:
    names, centroids = SHARED / "municipio_names.csv", SHARED / "municipio_centroids.csv"
    if not (names.is_file() and centroids.is_file()):
        pytest.skip(f"reference data absent in {SHARED}")
    with centroids.open(encoding="utf-8") as f:
        ref = {
            f"{int(r['state_code']):02d}{int(r['mun_code']):03d}": (
                float(r["lat"]),
                float(r["long"]),
            )
            for r in csv.DictReader(f)
        }
    for m in all_municipalities():
        assert m.code in ref, m.name
        lat, lon = ref[m.code]
        assert m.lat is not None and m.lon is not None
        assert math.hypot(lat - m.lat, lon - m.lon) < 0.5, m.name
