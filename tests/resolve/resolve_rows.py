"""Small hand-made person rows for the resolve tests (synthetic people only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plataforma.model.values import make_curp
from plataforma.resolve import PersonMention, prepare_mention


def row(record_id: str, **fields: Any) -> dict[str, str]:
    base = {
        "record_id": record_id,
        "agency": "FGE-JAL",
        "given_name": "",
        "first_surname": "",
        "second_surname": "",
        "sex": "",
        "date_of_birth": "",
        "curp": "",
        "birth_state": "",
        "municipality": "",
        "street": "",
        "alias": "",
    }
    base.update({k: str(v) for k, v in fields.items()})
    return base


def mentions(*rows: dict[str, str]) -> list[PersonMention]:
    return [prepare_mention(r, i) for i, r in enumerate(rows)]


def curp(given: str, first: str, second: str, born: str, sex: str = "H", seed: int = 0) -> str:
    return make_curp(given, first, second, dt.date.fromisoformat(born), sex, "JC", seed)
