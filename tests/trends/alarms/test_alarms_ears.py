"""EARS C1–C3 and the two baselines on series whose answer is known by hand."""

from __future__ import annotations

import numpy as np

from plataforma.trends.alarms.base import Method
from plataforma.trends.alarms.baselines import month_over_month, zscore_12
from plataforma.trends.alarms.ears import ears
from plataforma.trends.alarms.windows import trailing_stats


def test_trailing_windows() -> None:
    counts = np.arange(10, dtype=np.float64)[None, :]
    mean, sd = trailing_stats(counts, 1, 3)
    assert np.isnan(mean[0, 2]) and mean[0, 3] == 1.0 and mean[0, 9] == 7.0
    assert sd[0, 9] == 1.0


def test_ears_c1_c2_c3() -> None:
    base = np.array([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 10, 11], dtype=np.float64)
    spike = np.concatenate([base, [30.0]])[None, :]
    result = ears(spike)
    assert result[Method.EARS_C1].fired[0, -1] and result[Method.EARS_C2].fired[0, -1]
    assert result[Method.EARS_C3].fired[0, -1]
    assert not result[Method.EARS_C1].fired[0, :-1].any()
    assert abs(result[Method.EARS_C1].expected[0, -1] - base[-7:].mean()) < 1e-9
    assert np.isnan(result[Method.EARS_C1].expected[0, 6])


def test_ears_sd_floor_and_small_count_guard() -> None:
    flat = np.array([[0.0] * 10 + [1.0], [0.0] * 10 + [5.0]])
    fired = ears(flat)[Method.EARS_C1].fired
    assert not fired[0, -1] and fired[1, -1]
    assert ears(flat)[Method.EARS_C1].score[1, -1] == 5.0  # SD floored at 1, not 0


def test_baselines() -> None:
    counts = np.array([[10.0] * 12 + [13.0, 11.0], [0.0] * 13 + [2.0]])
    mom = month_over_month(counts)
    assert mom.fired[0, 12] and not mom.fired[0, 13] and not mom.fired[1, 13]
    z = zscore_12(np.array([[10.0, 11.0] * 6 + [20.0]]))
    assert z.fired[0, 12] and z.expected[0, 12] == 10.5
