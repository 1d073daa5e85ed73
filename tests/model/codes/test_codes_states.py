"""States resolve from every spelling a record may carry, and agree with INEGI's geography."""

from __future__ import annotations

import csv
import math
import zoneinfo
from pathlib import Path

import pytest

from plataforma.model.codes import (
    CURP_BORN_ABROAD,
    CodeError,
    all_states,
    reset_cache,
    resolve_state,
    state_by_curp,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "mexico"


@pytest.fixture(autouse=True)
def _packaged_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path))
    reset_cache()


def test_thirty_two_states_with_unique_codes() -> None:
    states = all_states()
    assert [s.code for s in states] == [f"{i:02d}" for i in range(1, 33)]
    assert len({s.curp for s in states}) == 32
    assert len({s.abbr for s in states}) == 32


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("09", "09"),
        ("9", "09"),
        (" 9 ", "09"),
        ("ciudad de mexico", "09"),
        ("CDMX", "09"),
        ("Distrito Federal", "09"),
        ("DF", "09"),
        ("Edo. de México", "15"),
        ("Estado de México", "15"),
        ("EDOMEX", "15"),
        ("México", "15"),
        ("Veracruz de Ignacio de la Llave", "30"),
        ("Coahuila de Zaragoza", "05"),
        ("Michoacán de Ocampo", "16"),
        ("MICHOACAN", "16"),
        ("AGS", "01"),
        ("bcs", "03"),
        ("QT", "22"),
        ("Q. Roo", "23"),
        ("nuevo leon", "19"),
    ],
)
def test_resolve_state(value: str, code: str) -> None:
    assert resolve_state(value).code == code


@pytest.mark.parametrize("value", ["XX", "33", "0", "", CURP_BORN_ABROAD])
def test_unknown_state_raises(value: str) -> None:
    with pytest.raises(CodeError, match="unknown state"):
        resolve_state(value)


def test_curp_codes() -> None:
    assert state_by_curp("DF") == resolve_state("09")
    assert state_by_curp("mc") == resolve_state("15")
    assert state_by_curp(CURP_BORN_ABROAD) is None


def test_time_zones_exist() -> None:
    for state in all_states():
        zoneinfo.ZoneInfo(state.tz)
    assert resolve_state("BC").tz == "America/Tijuana"
    assert resolve_state("Sonora").tz == "America/Hermosillo"


def test_override_in_data_dir(tmp_path: Path) -> None:
    codes = tmp_path / "codes"
    codes.mkdir()
    (codes / "states.csv").write_text(
        "code,name,abbr,curp,tz,lat,lon\n01,Ñuble,NUB,NB,America/Santiago,-36.6,-72.1\n",
        encoding="utf-8",
    )
    reset_cache()
    assert resolve_state("nuble").abbr == "NUB"
    assert len(all_states()) == 1


def test_centroids_near_their_municipalities() -> None:
    path = SHARED / "municipio_centroids.csv"
    if not path.is_file():
        pytest.skip(f"reference data absent: {path}")
    points: dict[str, list[tuple[float, float]]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            state = f"{int(row['state_code']):02d}"
            points.setdefault(state, []).append((float(row["lat"]), float(row["long"])))
    for s in all_states():
        lat = sum(p[0] for p in points[s.code]) / len(points[s.code])
        lon = sum(p[1] for p in points[s.code]) / len(points[s.code])
        # Loose: Baja California has five large municipalities, all in its north.
        assert math.hypot(lat - s.lat, lon - s.lon) < 2.5, s.name
