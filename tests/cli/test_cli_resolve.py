"""``plataforma resolve persons IN.csv --out OUT.csv``: the file mode of DESIGN §5."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from typer.testing import CliRunner

from plataforma.cli import resolve

HEADER = (
    "record_id,agency,given_name,first_surname,second_surname,sex,date_of_birth,curp,"
    "birth_state,municipality,street,alias"
)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(resolve.app, name="resolve")
    return app


def _run(tmp_path: Path, text: str, *extra: str, encoding: str = "utf-8") -> tuple[int, str, Path]:
    infile, out = tmp_path / "in.csv", tmp_path / "out.csv"
    infile.write_text(text, encoding=encoding)
    result = CliRunner().invoke(
        _app(), ["resolve", "persons", str(infile), "--out", str(out), *extra]
    )
    return result.exit_code, " ".join(result.output.split()), out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_row_once_with_its_person(tmp_path: Path) -> None:
    text = "\n".join(
        [
            HEADER + ",document_number,phone,extra",
            "a,FGE,José,Ramírez,Acuña,H,1985-07-12,,,14039,,,,,ignored",
            "b,SSP,Pepe,Ramírez,,H,12/07/1985,,,14039,,,,,",
            "c,SSP,Ana,Zarza,Núñez,M,1990-01-01,,,,,,,,",
            "d,SSP,Juan,,,,,,,,,,,,",
        ]
    )
    code, output, out = _run(tmp_path, text)
    assert code == 0, output
    rows = _rows(out)
    assert [r["record_id"] for r in rows] == ["a", "b", "c", "d"]
    persons = {r["record_id"]: r["person_id"] for r in rows}
    assert persons["a"] == persons["b"] == "a"
    assert persons["c"] == "c" and persons["d"] == "d"
    assert float(rows[1]["match_score"]) > 0.9 and float(rows[3]["match_score"]) == 0.0


def test_given_names_column_and_cp1252_file(tmp_path: Path) -> None:
    text = "record_id,given_names,first_surname\nx,Iñaki,Peña\ny,Inaki,Pena\n"
    code, output, out = _run(tmp_path, text, encoding="cp1252")
    assert code == 0, output
    assert len(_rows(out)) == 2


def test_empty_and_header_only_files_give_an_empty_result(tmp_path: Path) -> None:
    for text in ("", HEADER + "\n"):
        code, output, out = _run(tmp_path, text)
        assert code == 0, output
        assert out.read_text(encoding="utf-8").splitlines() == ["record_id,person_id,match_score"]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    code, output, _ = _run(tmp_path, "agency,sex\nFGE,H\n")
    assert code == 2
    assert "record_id" in output and "name column" in output
    assert "Traceback" not in output


def test_empty_record_id_is_a_clear_error(tmp_path: Path) -> None:
    code, output, _ = _run(tmp_path, "record_id,given_name\n,Juan\n")
    assert code == 2 and "line 2" in output and "record_id" in output


def test_missing_file_and_bad_model_are_clear_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(), ["resolve", "persons", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2 and "cannot read" in " ".join(result.output.split())
    bad = tmp_path / "model.json"
    bad.write_text("{}")
    code, output, _ = _run(tmp_path, "record_id,given_name\na,Juan\n", "--model", str(bad))
    assert code == 2 and "--model" in output


def test_saved_model_can_be_reused(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    code, output, _ = _run(
        tmp_path, HEADER + "\na,FGE,Ana,Zarza,,M,1990-01-01,,,,,\n", "--save-model", str(model)
    )
    assert code == 0, output
    code, output, out = _run(
        tmp_path, HEADER + "\nb,FGE,Ana,Zarza,,M,1990-01-01,,,,,\n", "--model", str(model)
    )
    assert code == 0, output
    assert _rows(out)[0]["person_id"] == "b"


def test_review_file_lists_pairs_kept_apart_with_their_explanation(tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    text = "\n".join(
        [
            HEADER,
            "f,FGE,Juan,Ruiz,Ortiz,H,1960-05-05,,,14039,Calle Hidalgo 12,",
            "s,FGE,Juan,Ruiz,Ortiz,H,1988-05-05,,,14039,Calle Hidalgo 12,",
            "u,FGE,Juan,Ruiz,Ortiz,H,,,,14039,Calle Hidalgo 12,",
        ]
    )
    code, output, _ = _run(tmp_path, text, "--review", str(review))
    assert code == 0, output
    rows = _rows(review)
    assert rows, "the undated record links to father and son: it must be offered for review"
    assert {r["why"] for r in rows} <= {"uncertain", "refused"}
    assert all("given_name=exact" in r["explanation"] for r in rows)
    assert {r["record_id"] for r in rows} | {r["other_record_id"] for r in rows} >= {"u"}
