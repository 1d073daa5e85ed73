"""Crime types follow SESNSP's published hierarchy and resolve from its labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from plataforma.model.codes import (
    CodeError,
    Severity,
    all_crime_types,
    modalities_of,
    reset_cache,
    resolve_crime_type,
    slugify,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "mexico"


@pytest.fixture(autouse=True)
def _packaged_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path))
    reset_cache()


def test_hierarchy_shape() -> None:
    types = all_crime_types()
    assert len(types) == 55
    assert len({t.tipo for t in types}) == 40
    assert all(t.code == slugify(t.label) and t.tipo_code == slugify(t.tipo) for t in types)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("homicidio_doloso", "homicidio_doloso"),
        ("Homicidio doloso", "homicidio_doloso"),
        ("EXTORSION", "extorsion"),
        ("Extorsión", "extorsion"),
        ("robo a casa habitacion", "robo_a_casa_habitacion"),
        ("Robo de vehículo automotor", "robo_de_vehiculo_automotor"),
        ("Violencia familiar", "violencia_familiar"),
        ("Narcomenudeo", "narcomenudeo"),
    ],
)
def test_resolve_crime_type(value: str, code: str) -> None:
    assert resolve_crime_type(value).code == code


def test_tipo_with_several_subtipos_is_refused() -> None:
    with pytest.raises(CodeError, match="ambiguous crime type 'Robo'"):
        resolve_crime_type("Robo")
    with pytest.raises(CodeError, match="unknown crime type 'x'"):
        resolve_crime_type("x")


def test_severity_and_violence() -> None:
    high = {t.code for t in all_crime_types() if t.severity is Severity.HIGH}
    assert {"homicidio_doloso", "feminicidio", "secuestro", "extorsion"} <= high
    assert resolve_crime_type("feminicidio").violent
    assert not resolve_crime_type("fraude").violent


def test_modalities() -> None:
    robbery = {m.code: m.violent for m in modalities_of("robo_a_negocio")}
    assert robbery == {"con_violencia": True, "sin_violencia": False}
    assert modalities_of("extorsion") == []


def test_slugify() -> None:
    assert slugify("Robo a transeúnte en vía pública") == "robo_a_transeunte_en_via_publica"
    assert slugify("  Otros delitos del Fuero Común ") == "otros_delitos_del_fuero_comun"


def test_every_sesnsp_label_resolves() -> None:
    path = SHARED / "sesnsp_estatal_2015_2024.csv"
    if not path.is_file():
        pytest.skip(f"reference data absent: {path}")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for label in {r["Subtipo de delito"] for r in rows}:
        assert resolve_crime_type(label).label == label
    published = {(r["Subtipo de delito"], r["Modalidad"]) for r in rows}
    for label, modality in published:
        if modality != label:
            assert modality in {m.label for m in modalities_of(label)}
