"""The p99 of the reference tracker's lag histogram, read the way Prometheus' histogram_quantile reads it."""

from __future__ import annotations

import math

from support.loop_lag import _quantile, _worst


def test_the_quantile_is_linear_within_its_bucket() -> None:
    cumulative = {0.0005: 90.0, 0.001: 99.0, 0.005: 100.0, math.inf: 100.0}
    assert math.isclose(_quantile(cumulative, 0.99), 0.001)
    assert math.isclose(_quantile(cumulative, 0.5), 0.0005 * 50 / 90)
    assert math.isclose(_quantile(cumulative, 0.995), 0.001 + 0.004 * 0.5)
    assert _worst(cumulative) == 0.005


def test_a_quantile_above_the_last_bound_is_infinite_and_none_without_samples() -> None:
    assert _quantile({0.001: 1.0, math.inf: 10.0}, 0.99) == math.inf
    assert math.isnan(_quantile({0.001: 0.0, math.inf: 0.0}, 0.99))
    assert _worst({0.001: 0.0, math.inf: 0.0}) == 0.0
