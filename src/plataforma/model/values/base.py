"""The shared shape of every identifier a person can type.

Records arrive from thousands of offices, typed by hand. A malformed CURP or plate is still
evidence: we keep it exactly as written, say why it is wrong, and refuse to use it as a match
key, because two different people sharing a typo must never be merged.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Identifier", "InvalidValue"]


class InvalidValue(ValueError):
    """Raised by the strict parsers (dates, sex, country) that cannot keep a bad value.

    Keep-as-written identifiers never raise; they return an invalid `Identifier` instead.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier as written, with its canonical form when it is valid.

    `raw` is what the person typed (outer whitespace stripped); `normalized` is the canonical
    form, `None` when invalid; `problem` is a short human-readable reason when invalid.
    """

    raw: str
    normalized: str | None
    problem: str | None

    @property
    def valid(self) -> bool:
        return self.problem is None and self.normalized is not None

    @property
    def match_key(self) -> str | None:
        """The value used for exact matching and blocking; `None` for invalid values."""
        return self.normalized if self.valid else None
