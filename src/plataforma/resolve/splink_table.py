"""Prepared mentions as one table of columns that Splink's SQL compares.

Everything our Python comparisons read from a `PersonMention` (normalised names, phonetic
keys, nickname forms, CURP and what is derived from it, date-of-birth parts, document, phone,
aliases) becomes a column, computed once per mention by the same preparation the built-in
engine uses, so the SQL never re-implements Mexican name knowledge: it only compares.

Blocking keys are the built-in engine's (`blocking.blocking_keys`), with the same cap: a key
carried by more than ``max_block`` mentions identifies nobody and is dropped here, and a key
carried by one mention only pairs nobody. What remains is an array column that Splink
explodes into one equi-join, so the engine blocks exactly as the built-in one does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pyarrow as pa

from .blocking import DEFAULT_MAX_BLOCK, blocking_keys
from .mention import PersonMention

__all__ = ["SCHEMA", "mention_table"]


def _text(value: str) -> str | None:
    return value or None


def _array(values: Sequence[str] | frozenset[str]) -> list[str] | None:
    return sorted(values) if values else None


def _formal(m: PersonMention) -> str | None:
    """The formal name the first given token stands for ("PACO" → "FRANCISCO")."""
    if not m.given_tokens:
        return None
    token = m.given_tokens[0]
    others = sorted(f for f in m.given_forms if f != token)
    return others[0] if others else token


def _row(position: int, m: PersonMention, keys: list[str]) -> dict[str, object]:
    dob = m.dob
    full = dob is not None and dob.day is not None and dob.month is not None
    tokens = m.given_tokens
    all_forms = frozenset().union(*m.token_forms) if m.token_forms else frozenset()
    return {
        "unique_id": position,
        "given": _text(m.given),
        "given1": tokens[0] if tokens else None,
        "given_rest": " ".join(tokens[1:]),
        "given_tokens": _array(tokens),
        "given_forms": _array(m.given_forms),
        "given_all_forms": _array(all_forms),
        "given_formal": _formal(m),
        "given_joined": m.given.replace(" ", "") or None,
        "given_phonetic": _text(m.given_phonetic),
        "first_surname": _text(m.first_surname),
        "second_surname": _text(m.second_surname),
        "first_phonetic": _text(m.first_phonetic),
        "surnames": _text(f"{m.first_surname} {m.second_surname}".strip()),
        "name_tokens": _array(m.name_tokens),
        "dob_iso": dob.iso if full and dob is not None else None,
        "dob_year": dob.year if dob is not None else None,
        "dob_month": dob.month if dob is not None else None,
        "dob_day": dob.day if dob is not None else None,
        "curp": _text(m.curp),
        "curp_text": _text(m.curp_text),
        "curp_prefix": _text(m.curp_prefix),
        "sex": m.sex if m.sex in ("H", "M") else None,
        "birth_state": _text(m.birth_state),
        "municipality": _text(m.municipality),
        "street": _text(m.street),
        "document": _text(m.document),
        "phone": _text(m.phone),
        "phone7": m.phone[-7:] or None,
        "aliases": _array(m.aliases),
        "sparse": m.sparse,
        "block_keys": keys or None,
    }


_STRINGS = pa.string()
_LIST = pa.list_(pa.string())
# Column types, in row order: arrays stay null when empty so "unknown" is one test (IS NULL).
SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        *((name, _STRINGS) for name in ("given", "given1", "given_rest")),
        *((name, _LIST) for name in ("given_tokens", "given_forms", "given_all_forms")),
        *((name, _STRINGS) for name in ("given_formal", "given_joined", "given_phonetic")),
        *((name, _STRINGS) for name in ("first_surname", "second_surname", "first_phonetic")),
        ("surnames", _STRINGS),
        ("name_tokens", _LIST),
        ("dob_iso", _STRINGS),
        *((name, pa.int32()) for name in ("dob_year", "dob_month", "dob_day")),
        *((name, _STRINGS) for name in ("curp", "curp_text", "curp_prefix", "sex")),
        *((name, _STRINGS) for name in ("birth_state", "municipality", "street", "document")),
        ("phone", _STRINGS),
        ("phone7", _STRINGS),
        ("aliases", _LIST),
        ("sparse", pa.bool_()),
        ("block_keys", _LIST),
    ]
)


def mention_table(
    mentions: Sequence[PersonMention], max_block: int = DEFAULT_MAX_BLOCK
) -> pa.Table:
    """One row per mention (``unique_id`` = its position), blocking keys included."""
    keys = [blocking_keys(m) for m in mentions]
    sizes = Counter(key for row in keys for key in set(row))
    usable = [sorted({k for k in row if 2 <= sizes[k] <= max_block}) for row in keys]
    rows = [_row(i, m, k) for i, (m, k) in enumerate(zip(mentions, usable, strict=True))]
    return pa.Table.from_pylist(rows, schema=SCHEMA)
