"""Limits from Gherkin tables and the PERF_* knobs."""

from __future__ import annotations

import pytest

from support.perf import Check, LoadPlan, limit_holds, scaled_seconds, scaled_users


@pytest.mark.parametrize(("limit", "actual", "holds"), [
    ("under 100 ms", 99.0, True), ("under 100 ms", 100.0, False), ("at most 0", 0.0, True),
    ("at least 50,000 msg/s", 50_000.0, True), ("at least 50,000 msg/s", 49_999.0, False), ("under 1 %", 0.5, True),
])
def test_limits(limit: str, actual: float, holds: bool) -> None:
    assert limit_holds(limit, actual) is holds


def test_a_limit_without_a_bound_word_is_refused() -> None:
    with pytest.raises(ValueError, match="under|at most"):
        limit_holds("100 ms", 1.0)


def test_knobs_scale_users_and_cap_durations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_SCALE", "0.1")
    monkeypatch.setenv("PERF_DURATION_S", "15")
    monkeypatch.delenv("PERF_USERS", raising=False)
    assert (scaled_users(500), scaled_seconds(60), scaled_seconds(10)) == (50, 15, 10)
    plan = LoadPlan.market_open(800, 30, 60)
    assert plan.users == 80 and plan.options["open-ramp"] == 15 and plan.shaped
    monkeypatch.setenv("PERF_USERS", "7")
    assert scaled_users(500) == 7


def test_report_mode_warns_on_a_missed_timing_limit_but_still_fails_on_failures(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_TIMING", "report")
    slow = Check.of("delivery latency p99", "under 100 ms", 950.0, "ms")
    failing = Check.of("failures", "under 1 %", 6.0, "%")
    assert (slow.ok, slow.passed, slow.line().startswith("WARN")) == (False, True, True)
    assert (failing.ok, failing.passed, failing.line().startswith("MISS")) == (False, False, True)
    monkeypatch.setenv("PERF_TIMING", "enforce")
    assert not Check.of("delivery latency p99", "under 100 ms", 950.0, "ms").passed


def test_an_unknown_timing_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_TIMING", "lenient")
    with pytest.raises(ValueError, match="enforce.*report"):
        Check.of("delivery latency p99", "under 100 ms", 1.0, "ms")
