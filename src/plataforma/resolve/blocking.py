"""Blocking: which pairs are worth scoring at all, from keys each mention carries.

Every mention gets several keys; two mentions are candidates when they share any. Each key
survives a different kind of error, so together they catch what one would miss:

* ``c``  the valid CURP; ``cp`` the CURP's initials + birth date, read from any CURP-shaped
  text or derived from the name and date of birth (a CURP typo in the homoclave, or a record
  without CURP against one with it);
* ``ds`` birth year, the birth day and month in either order (day/month swaps), and the first
  surname's sound;
* ``dg`` the full birth date and the first given name's sound (surname typos, swaps);
* ``gs`` each formal form of the first given name (nicknames) and the sound of the surnames in
  either order (swapped surnames, missing second surname);
* ``sy`` the sounds of both surnames and the birth year (a different given name written);
* ``d``, ``p``, ``a`` document, phone, alias with first surname sound.

A key shared by more than ``max_block`` mentions ("Juan Hernández López" in one big city)
identifies nobody: it is not used, and the other keys must do the work. The index takes
mentions one at a time, so the real-time consumer grows it as records arrive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .mention import PersonMention

__all__ = ["DEFAULT_MAX_BLOCK", "BlockIndex", "blocking_keys"]

DEFAULT_MAX_BLOCK = 60
# Keys without a birth date or identifier are broad ("José + Hernández"): a smaller cap keeps
# them for the rare names they help with, without comparing every José Hernández. Measured
# on the 24.8k-row synthetic file: 184k → 139k blocked pairs; F1 0.998 (12.5k rows) kept.
BROAD_KEYS = {"g1": 30, "gp": 30, "ss": 30}


def blocking_keys(m: PersonMention) -> list[str]:
    """The blocking keys of one mention (none for a mention with almost nothing)."""
    keys: list[str] = []
    if m.curp:
        keys.append("c:" + m.curp)
    if m.curp_prefix:
        keys.append("cp:" + m.curp_prefix)
    if m.document:
        keys.append("d:" + m.document)
        keys.append("dk:" + "".join(sorted(m.document)))  # two characters transposed
    if m.phone:
        keys.append("p:" + m.phone)
    if m.sparse:
        return keys
    dob = m.dob
    s1 = m.first_phonetic
    if dob is not None and dob.day is not None and dob.month is not None:
        low, high = sorted((dob.month, dob.day))
        if s1:
            keys.append(f"ds:{dob.year}-{low}-{high}:{s1}")
        if m.given_phonetic:
            keys.append(f"dg:{dob.iso}:{m.given_phonetic}")
        if m.given and m.first_surname:  # typos after the first letters
            keys.append(f"di:{dob.year}-{low}-{high}:{m.given[0]}{m.first_surname[0]}")
    surnames = "|".join(sorted(p for p in (s1, m.second_phonetic) if p))
    if surnames:
        for form in m.given_forms:
            if m.second_phonetic:
                keys.append(f"gs:{form}:{surnames}")
            # Each surname alone: against records that lost or moved one of the two.
            keys.extend(f"g1:{form}:{s}" for s in (s1, m.second_phonetic) if s)
        if m.second_phonetic:
            keys.append(f"ss:{surnames}")  # a given name written another way, no birth date
            if dob is not None:
                keys.append(f"sy:{surnames}:{dob.year}")
    if s1:
        keys.extend(f"a:{alias}:{s1}" for alias in m.aliases)
        if m.given_phonetic:  # a typo late in the surname, no usable birth date
            keys.append(f"gp:{m.given_phonetic}:{m.first_surname[:3]}")
    return keys


@lru_cache(maxsize=256)
def _upper_pairs(k: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs (i < j) of a block of ``k``: most blocks are tiny, so cache them."""
    i, j = np.triu_indices(k, k=1)
    return i, j


class BlockIndex:
    """Key → the positions of the mentions that carry it; grows one mention at a time."""

    def __init__(self, max_block: int = DEFAULT_MAX_BLOCK) -> None:
        self.max_block = max_block
        self.blocks: dict[str, list[int]] = {}
        self.size = 0

    def limit(self, key: str) -> int:
        """The largest block of ``key``'s kind that is still used."""
        return min(self.max_block, BROAD_KEYS.get(key.partition(":")[0], self.max_block))

    def add(self, mention: PersonMention) -> int:
        """Index ``mention``; its position is the number of mentions added before it."""
        position = self.size
        self.size += 1
        for key in blocking_keys(mention):
            self.blocks.setdefault(key, []).append(position)
        return position

    def extend(self, mentions: Iterable[PersonMention]) -> None:
        for mention in mentions:
            self.add(mention)

    def candidates(self, mention: PersonMention) -> set[int]:
        """Positions sharing a usable key with ``mention`` (which need not be indexed)."""
        found: set[int] = set()
        for key in blocking_keys(mention):
            block = self.blocks.get(key)
            if block is not None and len(block) <= self.limit(key):
                found.update(block)
        return found

    def pairs(self) -> npt.NDArray[np.int64]:
        """Every candidate pair (i < j) of the indexed mentions, once, as an (n, 2) array."""
        chunks = list(self._block_pairs())
        if not chunks:
            return np.empty((0, 2), dtype=np.int64)
        codes = np.unique(np.concatenate(chunks))
        return np.stack((codes // self.size, codes % self.size), axis=1)

    def _block_pairs(self) -> Iterator[npt.NDArray[np.int64]]:
        # Blocks of one size are stacked and expanded together: most blocks hold two or
        # three mentions, and one numpy call per block cost more than the pairs themselves.
        n = self.size
        by_size: dict[int, list[list[int]]] = {}
        for key, block in self.blocks.items():
            k = len(block)
            if 2 <= k <= self.limit(key):
                by_size.setdefault(k, []).append(block)
        for k, blocks in by_size.items():
            # Positions are appended in increasing order and a mention adds a key once.
            members = np.asarray(blocks, dtype=np.int64)
            i, j = _upper_pairs(k)
            yield (members[:, i] * n + members[:, j]).ravel()
