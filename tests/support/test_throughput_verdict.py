"""The processing scenario's limits: throughput in msg/s, memory growth in MB."""

from __future__ import annotations

import pytest

from support.errors import ScenarioSkip
from support.limits import LimitError
from support.throughput import UpstreamFigures
from support.throughput_verdict import check_processing_limits, processing_verdict

TABLE = [{"measure": "throughput", "limit": "at least 50,000 msg/s"}, {"measure": "memory growth", "limit": "under 50 MB"}]


@pytest.fixture(autouse=True)
def _enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERF_TIMING", raising=False)


def test_figures_against_their_limits() -> None:
    checks = check_processing_limits(UpstreamFigures(200_000, 2.5, 6.1), TABLE)
    assert [(c.measure, c.actual, c.unit, c.ok) for c in checks] == [
        ("throughput", 80_000.0, "msg/s", True), ("memory growth", 6.1, "MB", True)]
    processing_verdict(UpstreamFigures(200_000, 2.5, 6.1), checks)


def test_a_missed_limit_fails_with_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    figures = UpstreamFigures(200_000, 10.0, 60.0)
    with pytest.raises(AssertionError, match=r"(?s)MISS throughput: 20,000 msg/s.*MISS memory growth: 60 MB.*"
                                             r"200,000 messages through the simulator in 10.00 s"):
        processing_verdict(figures, check_processing_limits(figures, TABLE))
    monkeypatch.setenv("PERF_TIMING", "report")  # a slow machine only warns; memory still counts
    with pytest.raises(AssertionError, match=r"(?s)WARN throughput.*MISS memory growth"):
        processing_verdict(figures, check_processing_limits(figures, TABLE))


def test_an_unknown_measure_or_a_limit_in_the_wrong_unit_is_refused() -> None:
    figures = UpstreamFigures(1_000, 1.0, 1.0)
    with pytest.raises(LimitError, match="unknown measure 'latency': use throughput or memory growth"):
        check_processing_limits(figures, [{"measure": "latency", "limit": "under 1 ms"}])
    with pytest.raises(LimitError, match="limit 'under 50 ms' of 'memory growth' is in ms: give it in MB"):
        check_processing_limits(figures, [{"measure": "memory growth", "limit": "under 50 ms"}])


def test_a_memory_limit_skips_where_memory_cannot_be_read() -> None:
    with pytest.raises(ScenarioSkip, match="memory growth of this tracker cannot be read"):
        check_processing_limits(UpstreamFigures(1_000, 1.0, None), TABLE)
