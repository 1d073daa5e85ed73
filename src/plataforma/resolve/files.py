"""File mode (DESIGN §5): read the input CSV into mentions, write ``record_id, person_id,
match_score``.

Bad files get an `InputError` naming what is wrong (missing columns by name, an unreadable
file), never a traceback. Any column may be empty in any row; extra columns are ignored;
``given_names`` (the person record's own field name) is read as ``given_name``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from .mention import PersonMention, prepare_mention
from .resolver import Resolution

__all__ = [
    "OUTPUT_COLUMNS",
    "REVIEW_COLUMNS",
    "InputError",
    "read_mentions",
    "review_pairs",
    "write_resolution",
    "write_review",
]

OUTPUT_COLUMNS = ("record_id", "person_id", "match_score")
_NAME_COLUMNS = ("given_name", "given_names", "first_surname")
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class InputError(ValueError):
    """The input file cannot be resolved; the message says why, naming the field."""


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not text")  # latin-1 decodes anything: kept for clarity


def _header(fields: Sequence[str] | None, path: Path) -> list[str]:
    header = [f.strip().lower() for f in fields or ()]
    missing = [] if "record_id" in header else ["record_id"]
    if not any(name in header for name in _NAME_COLUMNS):
        missing.append("a name column (given_name, given_names or first_surname)")
    if missing and header:
        raise InputError(f"{path.name}: missing required column(s): {', '.join(missing)}")
    return header


def iter_rows(path: Path) -> Iterator[dict[str, str | None]]:
    """The rows of ``path`` with lower-cased, stripped column names."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    header = _header(next(reader, None), path)
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line
        row: dict[str, str | None] = dict(zip(header, cells, strict=False))
        if not (row.get("record_id") or "").strip():
            raise InputError(f"{path.name} line {line}: record_id: empty")
        yield row


def read_mentions(path: Path) -> list[PersonMention]:
    """Every row of the file as a mention, in file order (the order makes cluster ids)."""
    try:
        return [prepare_mention(row, i) for i, row in enumerate(iter_rows(path))]
    except csv.Error as error:
        raise InputError(f"{path.name}: not a readable CSV ({error})") from None


def write_resolution(path: Path, resolution: Resolution) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(
            (m.record_id, person, f"{score:.4f}")
            for m, person, score in zip(
                resolution.mentions, resolution.person_ids, resolution.match_scores, strict=True
            )
        )


REVIEW_COLUMNS = ("record_id", "other_record_id", "match_score", "why", "explanation")


def review_pairs(resolution: Resolution, link_weight: float, floor: float = 0.0) -> list[list[str]]:
    """Pairs an analyst should look at, strongest first.

    ``uncertain``: a link between probability 0.5 (weight ``floor``) and the threshold;
    ``refused``: a link above the threshold whose records were kept apart (a hard rule, the
    group check, or an ambiguous record). The explanation lists each field's weight.
    """
    people = resolution.person_ids
    rows: list[tuple[float, list[str]]] = []
    for (i, j), weight in zip(resolution.pairs.tolist(), resolution.weights.tolist(), strict=True):
        if weight < floor or people[i] == people[j]:
            continue
        score = resolution.explain(i, j)
        why = "uncertain" if weight < link_weight else "refused"
        explanation = "; ".join(
            f"{f.comparison}={f.level}:{f.weight:+.1f}" for f in score.explanation
        )
        rows.append(
            (
                weight,
                [
                    resolution.mentions[i].record_id,
                    resolution.mentions[j].record_id,
                    f"{score.probability:.4f}",
                    why,
                    explanation,
                ],
            )
        )
    rows.sort(key=lambda item: -item[0])
    return [r for _, r in rows]


def write_review(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REVIEW_COLUMNS)
        writer.writerows(rows)
