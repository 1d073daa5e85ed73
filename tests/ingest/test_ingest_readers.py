"""Readers: encodings as government files come, and malformed rows that must not stop a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from plataforma.ingest.batch import Malformed
from plataforma.ingest.readers import FileFormat, guess_format, read_csv, read_jsonl
from plataforma.textfiles import SourceError, detect_encoding


def _rows(path: Path, record_type: str = "person") -> list[tuple[int, object]]:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        _, rows = read_csv(handle, record_type)
        return list(rows)


def test_latin1_bytes_are_detected_and_decoded(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("source_ref,given_names\nA1,José Ñúñez\n".encode("latin-1"))
    assert detect_encoding(path) in ("cp1252", "latin-1")
    assert _rows(path) == [(2, {"source_ref": "A1", "given_names": "José Ñúñez"})]


def test_utf8_bom_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbfsource_ref,given_names\nA1,Ana\n")
    assert detect_encoding(path) == "utf-8-sig"
    assert _rows(path) == [(2, {"source_ref": "A1", "given_names": "Ana"})]


def test_malformed_rows_are_marked_and_the_rest_continue(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "source_ref,given_names\n"
        "A1,Ana\n"
        "A2,Beto,extra\n"
        'A3,"Carla\n'
        "A4,Dora\n"
        "A5,Eva\x00\n"
        'A6,"Fito\nde la Cruz"\n'
        "A7,Gil\n",
        newline="",
    )
    rows = dict(_rows(path))
    assert rows[2] == {"source_ref": "A1", "given_names": "Ana"}
    assert isinstance(rows[3], Malformed) and "3 fields" in rows[3].reason
    assert isinstance(rows[4], Malformed) and "quote" in rows[4].reason
    assert rows[5] == {"source_ref": "A4", "given_names": "Dora"}
    assert isinstance(rows[6], Malformed) and "NUL" in rows[6].reason
    assert rows[7] == {"source_ref": "A6", "given_names": "Fito\nde la Cruz"}
    assert rows[9] == {"source_ref": "A7", "given_names": "Gil"}


def test_unterminated_quote_at_end_of_file_rejects_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('source_ref,given_names\nA1,"Ana\nA2,Beto\n', newline="")
    rows = dict(_rows(path))
    assert isinstance(rows[2], Malformed)
    assert rows[3] == {"source_ref": "A2", "given_names": "Beto"}


def test_dotted_columns_and_incident_aliases_nest(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    path.write_text(
        "source_ref,agency,occurred_at,crime_type,state,municipality,latitude,longitude,"
        "first_responder.name\n"
        "F1,POL-GDL,2024-03-01T10:00:00,extorsion,14,,20.6,-103.3,Oficial Uno\n"
    )
    [(line, row)] = _rows(path, "incident")
    assert line == 2
    assert row == {
        "source_ref": "F1",
        "folio": "F1",
        "agency": "POL-GDL",
        "occurred_at": "2024-03-01T10:00:00",
        "crime_types": "extorsion",
        "place": {"state": "14", "latitude": "20.6", "longitude": "-103.3"},
        "first_responder": {"name": "Oficial Uno"},
    }


def test_jsonl_bad_lines_are_malformed(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"source_ref": "A1", "given_names": "Ana"}\n{oops\n[1, 2]\n\n')
    assert guess_format(path) is FileFormat.JSONL
    with path.open() as handle:
        rows = dict(read_jsonl(handle, "person"))
    assert rows[1] == {"source_ref": "A1", "given_names": "Ana"}
    assert isinstance(rows[2], Malformed) and "JSON" in rows[2].reason
    assert isinstance(rows[3], Malformed) and "object" in rows[3].reason
    assert 4 not in rows


def test_unknown_extension_needs_a_format(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="--format"):
        guess_format(tmp_path / "p.txt")
