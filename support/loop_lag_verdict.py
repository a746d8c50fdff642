"""Verdict of the event-loop lag scenario (support/loop_lag.py) against a `| measure | limit |` table.

    checks = check_lag_limits(figures, [{"measure": "event-loop lag p99", "limit": "under 1 ms"}])
    lag_verdict(figures, checks)   # the figures in Allure; fails on a miss (warns under PERF_TIMING=report)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from support import allure_report
from support.loop_lag import LAG_METRIC, LoopLagFigures
from support.perf_verdict import Check, figure_checks

UNITS = {"event-loop lag p99": "ms", "message rate": "msg/s"}  # each measure and the unit its limit is written in


def check_lag_limits(figures: LoopLagFigures, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per row: `event-loop lag p99` (ms) or `message rate` (msg/s, the rate the lag was measured at)."""
    values = {"event-loop lag p99": figures.p99_ms, "message rate": figures.msg_per_s}
    checks = figure_checks(table, {measure: (unit, values[measure]) for measure, unit in UNITS.items()})
    if not figures.samples:
        raise AssertionError(f"the tracker took no sample of its event-loop lag ({LAG_METRIC}) during the run")
    return checks


def lag_verdict(figures: LoopLagFigures, checks: Sequence[Check]) -> None:
    """Fail with every figure when a limit is missed; attach them either way."""
    how = (f"({figures.messages:,} trades through the simulator in {figures.seconds:.2f} s; {figures.samples:,} lag "
           f"samples of the tracker's {LAG_METRIC}, the worst in the bucket up to {figures.worst_bucket_ms:g} ms)")
    lines = [*(c.line() for c in checks), how]
    allure_report.attach_text("Event-loop lag figures", "\n".join(lines))
    if not all(c.passed for c in checks):
        raise AssertionError("event-loop lag limits missed:\n" + "\n".join(lines))
