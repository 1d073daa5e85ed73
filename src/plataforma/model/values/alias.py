"""Aliases (apodos) as police write them: "El Chapo", "el chapo", "CHAPO", "Alias El Chapo".

The article and the word "alias" carry no identity; the key is what is left, so the forms
above agree. Many people share an alias ("El Güero" is common), so it is modest evidence.
"""

from __future__ import annotations

from functools import lru_cache

from .text import ascii_key

__all__ = ["alias_keys"]

_NOISE = frozenset({"EL", "LA", "LOS", "LAS", "ALIAS", "AKA", "APODO", "A", "K", "A K A"})


@lru_cache(maxsize=1 << 14)
def alias_keys(raw: str | None) -> frozenset[str]:
    """The keys of a ``;``-separated alias field; blank and article-only entries dropped."""
    if not raw:
        return frozenset()
    keys = set()
    for entry in raw.replace("|", ";").split(";"):
        words = [w for w in ascii_key(entry).split() if w not in _NOISE]
        if words:
            keys.add(" ".join(words))
    return frozenset(keys)
