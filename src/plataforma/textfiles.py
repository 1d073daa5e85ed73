"""Users' text files: which encoding a file is in, and the error for a file that cannot be read.

Mexican government files are often Windows-1252 or Latin-1, not UTF-8, and some start with a
byte-order mark. Every reader of users' files (the bulk importer, the trends and SESNSP
readers, the resolver's file mode) detects the encoding here, so they agree on the rules. A
top-level module of its own: domain packages import it without importing the importer.
"""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["SourceError", "detect_encoding"]

_CHUNK = 1 << 20


class SourceError(Exception):
    """The file cannot be read at all (missing, unreadable, undecodable, no header)."""


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path, encoding: str | None = None) -> str:
    """``encoding`` checked against the whole file, or the first of UTF-8, cp1252, latin-1.

    Latin-1 decodes any bytes, so detection never fails; a named encoding that does not
    decode the file is a :class:`SourceError` rather than a file half imported.
    """
    try:
        if encoding:
            codecs.lookup(encoding)
            if not _decodes(path, encoding):
                raise SourceError(f"{path.name} is not valid {encoding}")
            return encoding
        for candidate in ("utf-8-sig", "cp1252"):
            if _decodes(path, candidate):
                return candidate
        return "latin-1"
    except LookupError:
        raise SourceError(f"unknown encoding '{encoding}'") from None
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from None
