"""Installing the full municipal catalogue, which users download from INEGI.

INEGI publishes the catalogue (AGEEML) in several shapes and encodings: the official CSV with
CVE_ENT/CVE_MUN/NOM_MUN, older latin-1 extracts with `state_code, mun_code, MUNICIPIO`, a
separate centroid file with `state_code, mun_code, long, lat`, and CONAPO's projections keyed by
5-digit `CVE` with one column per year. `load_catalogue` reads any of them and merges several
files by code, so names, centroids and population can come from different sources.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from plataforma.model.codes._data import data_dir, decode, reset_cache
from plataforma.model.codes.errors import CodeError
from plataforma.model.codes.municipalities import Municipality

__all__ = ["import_catalogue", "install_catalogue", "load_catalogue", "parse_catalogue"]

_COLUMNS = ("code", "state", "name", "lat", "lon", "population")
# Header spellings seen in INEGI/CONAPO files, lower-cased; first present wins.
_STATE = ("cve_ent", "state_code", "state")
_MUN = ("cve_mun", "mun_code")
_CODE = ("cvegeo", "cve", "code")
_NAME = ("nom_mun", "municipio", "nomgeo", "name", "nombre")
_LAT = ("lat_decimal", "lat", "latitude", "latitud")
_LON = ("lon_decimal", "lon", "long", "longitude", "longitud")
_POP = ("pob_total", "population", "poblacion")
# INEGI's placeholders (996-999: "no especificado", "otros municipios") are not places.
_PLACEHOLDERS = range(996, 1000)
_Fields = dict[str, str]


def _first(row: Mapping[str, str], names: tuple[str, ...]) -> str:
    return next((row[n].strip() for n in names if (row.get(n) or "").strip()), "")


def _code(row: Mapping[str, str]) -> str | None:
    state, mun = _first(row, _STATE), _first(row, _MUN)
    if state.isdigit() and mun.isdigit():
        code = f"{int(state):02d}{int(mun):03d}"
    else:
        code = _first(row, _CODE).zfill(5)
    if not code.isdigit() or len(code) != 5 or int(code[2:]) in _PLACEHOLDERS:
        return None
    return code


def _population(row: Mapping[str, str]) -> str:
    pop = _first(row, _POP)
    # CONAPO: one column per year; take the latest that is not a projection into the future.
    years = sorted(k for k in row if k.isdigit() and int(k) <= dt.date.today().year)
    return pop or (_first(row, (years[-1],)) if years else "")


def _name(row: Mapping[str, str]) -> str:
    name = " ".join(_first(row, _NAME).split())
    if not name.isupper():
        return name
    # Old extracts shout; "SAN PEDRO DE LAS COLONIAS" reads better as a title.
    small = {"de", "del", "la", "las", "los", "el", "y"}
    words = name.lower().split()
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words))


def parse_catalogue(
    rows: Iterable[Mapping[str, str]], into: dict[str, _Fields] | None = None
) -> dict[str, _Fields]:
    """Fields by code from rows of any supported shape, merged over `into` (later wins)."""
    merged = {} if into is None else into
    for raw in rows:
        row = {(k or "").strip().lower(): v or "" for k, v in raw.items()}
        code = _code(row)
        if code is None:
            continue
        found = {
            "name": _name(row),
            "lat": _first(row, _LAT),
            "lon": _first(row, _LON),
            "population": _population(row),
        }
        fields = merged.setdefault(code, {"code": code, "state": code[:2]})
        fields.update({k: v for k, v in found.items() if v})
    return merged


def _municipalities(merged: Mapping[str, _Fields]) -> list[Municipality]:
    munis = [
        Municipality(
            code=f["code"],
            state=f["state"],
            name=f["name"],
            lat=float(f["lat"]) if f.get("lat") else None,
            lon=float(f["lon"]) if f.get("lon") else None,
            population=int(float(f["population"])) if f.get("population") else None,
        )
        for f in merged.values()
        if f.get("name")  # a centroid without a name identifies nothing a person would type
    ]
    return sorted(munis, key=lambda m: m.code)


def load_catalogue(path: Path, *more: Path) -> list[Municipality]:
    """Municipalities from one or more catalogue files, merged by code in the order given."""
    merged: dict[str, _Fields] = {}
    for p in (path, *more):
        parse_catalogue(csv.DictReader(io.StringIO(decode(p.read_bytes()))), merged)
    munis = _municipalities(merged)
    if not munis:
        raise CodeError(f"no municipality names found in {', '.join(map(str, (path, *more)))}")
    return munis


def install_catalogue(munis: Iterable[Municipality], data_dir: Path) -> Path:
    """Write the catalogue where the resolver looks for it; atomic, so readers never see half."""
    target = data_dir / "codes" / "municipalities.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for m in munis:
            writer.writerow(["" if v is None else v for v in (getattr(m, c) for c in _COLUMNS)])
    os.replace(tmp, target)
    reset_cache()
    return target


def import_catalogue(rows: Iterable[Mapping[str, str]], target_dir: Path | None = None) -> int:
    """Parse rows already read (e.g. by the CLI), install them, and return how many."""
    munis = _municipalities(parse_catalogue(rows))
    if not munis:
        raise CodeError("no municipality names found in the rows given")
    install_catalogue(munis, target_dir if target_dir is not None else data_dir())
    return len(munis)
