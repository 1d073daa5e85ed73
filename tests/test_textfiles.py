"""Encoding detection of users' files: what every reader of a user's file relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from plataforma.textfiles import SourceError, detect_encoding


def test_cp1252_utf8_and_a_bom_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("a\nJosé “Ñúñez”\n".encode("cp1252"))
    assert detect_encoding(path) == "cp1252"
    path.write_bytes("a\nJosé\n".encode())
    assert detect_encoding(path) == "utf-8-sig"
    path.write_bytes(b"\x81\x8d\x8f")  # undefined in cp1252: only latin-1 reads them
    assert detect_encoding(path) == "latin-1"


def test_named_encoding_that_does_not_decode_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("source_ref\nÑ\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not valid utf-8"):
        detect_encoding(path, "utf-8")
    with pytest.raises(SourceError, match="unknown encoding"):
        detect_encoding(path, "no-such-codec")


def test_a_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        detect_encoding(tmp_path / "absent.csv")
