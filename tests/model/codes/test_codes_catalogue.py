"""The full INEGI catalogue loads from the shapes INEGI publishes and replaces the packaged one."""

from __future__ import annotations

from pathlib import Path

import pytest

from plataforma.model.codes import (
    CodeError,
    all_municipalities,
    import_catalogue,
    install_catalogue,
    load_catalogue,
    reset_cache,
    resolve_municipality,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "mexico"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path))
    reset_cache()


def test_ageeml_csv_in_latin1(tmp_path: Path) -> None:
    path = tmp_path / "ageeml.csv"
    text = (
        "CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN,LAT_DECIMAL,LON_DECIMAL,POB_TOTAL\n"
        "01,Aguascalientes,004,Cosío,22.366,-102.300,17000\n"
        "01,Aguascalientes,999,No especificado,,,\n"
    )
    path.write_bytes(text.encode("latin-1"))
    [muni] = load_catalogue(path)
    assert (muni.code, muni.name, muni.lat, muni.population) == ("01004", "Cosío", 22.366, 17000)


def test_shouting_names_become_titles(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text('"state_code","mun_code","MUNICIPIO"\n"9","5","GUSTAVO A. MADERO"\n')
    assert load_catalogue(path)[0].name == "Gustavo A. Madero"


def test_centroids_alone_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "centroids.csv"
    path.write_text('"long","lat","state_code","mun_code"\n-102.29,21.87,1,1\n')
    with pytest.raises(CodeError, match="no municipality names"):
        load_catalogue(path)


def test_install_replaces_the_packaged_table(tmp_path: Path) -> None:
    count = import_catalogue(
        [{"CVE_ENT": "14", "CVE_MUN": "039", "NOM_MUN": "Guadalajara"}], tmp_path
    )
    assert count == 1
    assert [m.code for m in all_municipalities()] == ["14039"]
    assert resolve_municipality("guadalajara").lat is None


def test_real_inegi_files_names_and_centroids(tmp_path: Path) -> None:
    names, centroids = SHARED / "municipio_names.csv", SHARED / "municipio_centroids.csv"
    if not (names.is_file() and centroids.is_file()):
        pytest.skip(f"reference data absent in {SHARED}")
    munis = load_catalogue(names, centroids)
    assert 2440 <= len(munis) <= 2500
    by_code = {m.code: m for m in munis}
    assert by_code["14039"].name.lower() == "guadalajara"
    assert by_code["14039"].lat == pytest.approx(20.68, abs=0.1)
    assert sum(m.lat is not None for m in munis) >= 2450
    install_catalogue(munis, tmp_path)
    assert resolve_municipality("cosio", "ags").code == "01004"
    assert len(all_municipalities()) == len(munis)
