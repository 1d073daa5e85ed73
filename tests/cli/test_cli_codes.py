"""``plataforma codes``: the full INEGI catalogue is installed at run time from users' files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from plataforma.cli.main import app
from plataforma.model.codes import reset_cache, resolve_municipality


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="reference data ../shared/data is absent")
def test_install_full_catalogue_from_reference_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path))
    from plataforma.settings import get_settings

    get_settings.cache_clear()
    files = [str(SHARED_DATA / "municipio_names.csv"), str(SHARED_DATA / "municipio_centroids.csv")]
    result = CliRunner().invoke(app, ["codes", "install-municipalities", *files])
    try:
        assert result.exit_code == 0, result.output
        assert "2,4" in result.output
        reset_cache()
        # A small municipality that the packaged table of major cities does not hold.
        assert resolve_municipality("20001").state == "20"
    finally:
        get_settings.cache_clear()
        reset_cache()


def test_unreadable_catalogue_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path))
    bad = tmp_path / "empty.csv"
    bad.write_text("nothing,here\n1,2\n")
    result = CliRunner().invoke(app, ["codes", "install-municipalities", str(bad)])
    assert result.exit_code == 2
