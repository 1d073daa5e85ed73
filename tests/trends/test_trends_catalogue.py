"""SESNSP's 2026 labels count as their 2015 subtipo; a label in neither catalogue is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from plataforma.model.codes import CodeError
from plataforma.trends.catalogue import load_catalogue_map


def test_2026_attempts_count_with_the_consummated_crime() -> None:
    catalogue = load_catalogue_map()
    assert catalogue.resolve("Tentativa de homicidio").code == "homicidio_doloso"
    assert catalogue.resolve("tentativa_de_feminicidio").code == "feminicidio"
    assert catalogue.is_mapped("Tentativa de homicidio")
    assert not catalogue.is_mapped("homicidio_doloso")
    assert "homicidio_doloso" in catalogue.affected()


def test_unmapped_label_is_reported_not_guessed() -> None:
    with pytest.raises(CodeError, match="nor in the 2026"):
        load_catalogue_map().resolve("Ciberacoso agravado")


def test_a_deployment_extends_the_map(tmp_path: Path) -> None:
    extra = tmp_path / "map.csv"
    extra.write_text("label,code,note\nCiberacoso agravado,otros_delitos_del_fuero_comun,local\n")
    assert (
        load_catalogue_map(extra).resolve("Ciberacoso agravado").code
        == "otros_delitos_del_fuero_comun"
    )
    extra.write_text("label,code,note\nCiberacoso,no_such_code,x\n")
    with pytest.raises(CodeError, match=r"map\.csv row 1"):
        load_catalogue_map(extra)
