"""Given names as Mexican records write them: nicknames, abbreviations and compounds.

"Pepe" is José, "Paco" is Francisco, "Ma. Guadalupe" is María Guadalupe and "J. Luis" may be
José Luis. The equivalences are data (``data/given_name_variants.csv``, formal name and its
variants), so a deployment can extend them without touching code. A nickname may stand for
several names ("Beto": Alberto, Roberto, Humberto...): a match through a nickname is weaker
evidence than an exact match, and the comparison levels say so.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from importlib import resources

from .particles import PARTICLES
from .text import ascii_key

__all__ = [
    "ABBREVIATIONS",
    "given_name_forms",
    "given_tokens",
    "name_variants",
]

# Clerks' written abbreviations of the commonest given names (with or without the dot).
ABBREVIATIONS: dict[str, str] = {
    "MA": "MARIA",
    "MAR": "MARIA",
    "MRA": "MARIA",
    "JO": "JOSE",
    "JSE": "JOSE",
    "FCO": "FRANCISCO",
    "FRANCO": "FRANCISCO",
    "GPE": "GUADALUPE",
    "GDPE": "GUADALUPE",
    "JS": "JESUS",
    "JUS": "JESUS",
    "GMO": "GUILLERMO",
    "ANT": "ANTONIO",
    "ANTO": "ANTONIO",
    "MIG": "MIGUEL",
    "FDO": "FERNANDO",
    "FERN": "FERNANDO",
    "ALEJ": "ALEJANDRO",
    "ROB": "ROBERTO",
    "RAF": "RAFAEL",
    "STGO": "SANTIAGO",
    "CONCEP": "CONCEPCION",
}


@cache
def name_variants() -> dict[str, frozenset[str]]:
    """Each variant or formal name (matching form) → the formal names it can stand for."""
    text = (
        resources.files(__package__)
        .joinpath("data/given_name_variants.csv")
        .read_text(encoding="utf-8")
    )
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    forms: dict[str, set[str]] = {}
    for row in csv.DictReader(lines):
        formal = ascii_key(row["formal"])
        forms.setdefault(formal, set()).add(formal)
        for variant in row["variants"].split(";"):
            if key := ascii_key(variant):
                forms.setdefault(key, set()).add(formal)
    return {k: frozenset(v) for k, v in forms.items()}


@lru_cache(maxsize=1 << 15)
def given_name_forms(token: str) -> frozenset[str]:
    """The formal names one given-name token may stand for (itself included).

    ``token`` is in matching form (``ascii_key``). Abbreviations expand first ("MA" → MARIA).
    """
    token = ABBREVIATIONS.get(token, token)
    return name_variants().get(token, frozenset()) | {token}


@lru_cache(maxsize=1 << 16)
def given_tokens(given: str) -> tuple[str, ...]:
    """The tokens of a given-name field in matching form, particles dropped, abbreviations
    expanded: "Ma. de los Ángeles" → ("MARIA", "ANGELES")."""
    return tuple(ABBREVIATIONS.get(t, t) for t in ascii_key(given).split() if t not in PARTICLES)
