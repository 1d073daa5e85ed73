"""The level matrix is the same whether computed in one process or on forked workers."""

from __future__ import annotations

import numpy as np
import pytest
from resolve_rows import mentions, row

from plataforma.resolve import COMPARISONS, levels
from plataforma.resolve.blocking import BlockIndex


def test_forked_workers_give_the_serial_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        row(
            f"r{i}",
            given_name=g,
            first_surname=s,
            second_surname="López",
            date_of_birth=f"199{i % 3}-01-0{1 + i % 5}",
        )
        for i, (g, s) in enumerate(
            [
                ("Juan", "Pérez"),
                ("Pepe", "Pérez"),
                ("José", "Peres"),
                ("Ana", "Pérez"),
                ("Juan", "Peña"),
            ]
            * 6
        )
    ]
    ms = mentions(*rows)
    index = BlockIndex()
    index.extend(ms)
    pairs = index.pairs()
    serial = levels.level_matrix(ms, pairs, workers=1)
    monkeypatch.setattr(levels, "PARALLEL_MIN_PAIRS", 1)
    parallel = levels.level_matrix(ms, pairs, workers=2)
    assert len(pairs) > 10
    assert np.array_equal(serial, parallel)


def test_no_pairs() -> None:
    empty = levels.level_matrix([], np.empty((0, 2), dtype=np.int64))
    assert empty.shape == (0, len(COMPARISONS))
