"""The official statistics importer: cp1252, thousands separators, unpublished months."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import SHARED_DATA
from plataforma.trends.extract import write_parquet
from plataforma.trends.population import rates_per_100k, read_population
from plataforma.trends.sesnsp import read_sesnsp

MONTHS = "Enero,Febrero,Marzo,Abril,Mayo,Junio,Julio,Agosto,Septiembre,Octubre,Noviembre,Diciembre"
HEADER = (
    "Año,Clave_Ent,Entidad,Cve. Municipio,Municipio,Bien jurídico afectado,Tipo de delito,"
    f"Subtipo de delito,Modalidad,{MONTHS}\n"
)
JALISCO = "2024,14,Jalisco,14039,Guadalajara"


def test_municipal_file_in_cp1252(tmp_path: Path) -> None:
    lines = [
        HEADER,
        f'{JALISCO},El patrimonio,Robo,Robo a negocio,Con violencia,"1,200",5,,,,,,,,,,\n',
        f"{JALISCO},El patrimonio,Robo,Robo a negocio,Sin violencia,10,5,,,,,,,,,,\n",
        f"{JALISCO},La vida,Homicidio,Tentativa de homicidio,No especificado,1,0,,,,,,,,,,\n",
        f"{JALISCO},X,Y,Delito nuevo,Z,1,1,,,,,,,,,,\n",
    ]
    path = tmp_path / "municipal.csv"
    path.write_bytes("".join(lines).encode("cp1252"))
    official = read_sesnsp(path)
    cube = official.cube
    assert official.municipal and cube.periods == 2  # March onwards not published yet
    assert cube.counts[cube.find("14039", "robo_a_negocio")].tolist() == [1210, 10]
    assert cube.counts[cube.find("00", "robo")].tolist() == [1210, 10]
    assert cube.counts[cube.find("14", "homicidio_doloso")].tolist() == [1, 0]
    assert official.mapped == {"Tentativa de homicidio": 1}
    assert len(official.rejected) == 1 and "Delito nuevo" in official.rejected[0].reason
    people = tmp_path / "pop.csv"
    people.write_text(
        "CVE,Entidad,Municipio,2023,2024\n14039,Jalisco,Guadalajara,1000000,1000000\n"
    )
    population = read_population(people)
    row = cube.find("14039", "robo_a_negocio")
    assert rates_per_100k(cube, population)[row].tolist() == pytest.approx([121.0, 1.0])
    rows = write_parquet(cube, tmp_path / "out" / "counts.parquet", population)
    table = pq.read_table(tmp_path / "out" / "counts.parquet")
    assert rows == table.num_rows == 2 * len(cube)
    assert {"rate_per_100k", "population", "period_start"} <= set(table.column_names)


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="reference data ../shared/data is absent")
def test_real_state_file_reads_whole() -> None:
    official = read_sesnsp(SHARED_DATA / "sesnsp_estatal_2015_2024.csv")
    assert not official.rejected and official.rows == 31360
    cube = official.cube
    assert cube.starts()[0].isoformat() == "2015-01-01" and cube.periods == 119
    national = cube.counts[cube.find("00", "homicidio_doloso")]
    assert 1500 < national[-1] < 3500
