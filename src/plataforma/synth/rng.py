"""Deterministic randomness: one stream per (seed, purpose, chunk), and hashes of ids.

Each chunk of each record type draws from its own generator derived from the seed, so the
output for a seed does not depend on how far a consumer reads or on the order streams are
consumed. Attributes of a synthetic *identity* (name, birth date…) are hashed from its id
instead of drawn, so every record that mentions person 1234 sees the same person, without
holding the whole population in memory.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

UInt64Array = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def stream(seed: int, *keys: int) -> np.random.Generator:
    """An independent generator for ``seed`` and a purpose/chunk path."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


def mix(ids: IntArray | UInt64Array, seed: int, salt: int) -> UInt64Array:
    """SplitMix64 of ``ids`` under ``(seed, salt)``: well-spread 64-bit values, vectorised."""
    with np.errstate(over="ignore"):
        z = ids.astype(np.uint64) + np.uint64((seed * 0x9E3779B1 + salt * 0x85EBCA77) & 0xFFFFFFFF)
        z = z * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return (z ^ (z >> np.uint64(31))) & _MASK


def unit(ids: IntArray | UInt64Array, seed: int, salt: int) -> FloatArray:
    """Uniform floats in [0, 1) hashed from ``ids``."""
    return (mix(ids, seed, salt) >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def pick(ids: IntArray | UInt64Array, seed: int, salt: int, n: int) -> IntArray:
    """Indices in [0, n) hashed from ``ids`` (uniform)."""
    return (mix(ids, seed, salt) % np.uint64(n)).astype(np.int64)


def weighted(u: FloatArray, weights: FloatArray) -> IntArray:
    """Indices drawn with ``weights`` (need not sum to 1) from uniforms ``u``."""
    cumulative = np.cumsum(weights)
    index = np.searchsorted(cumulative / cumulative[-1], u, side="right")
    return np.minimum(index, len(weights) - 1).astype(np.int64)
