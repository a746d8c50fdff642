"""Verdict of the processing scenario: the tracker's throughput and memory growth (support/throughput.py) against a limits table.

    checks = check_processing_limits(figures, [{"measure": "throughput", "limit": "at least 50,000 msg/s"}])
    processing_verdict(figures, checks)   # the figures in Allure; fails on a miss
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from support import allure_report
from support.perf_verdict import Check, figure_checks
from support.throughput import UpstreamFigures

UNITS = {"throughput": "msg/s", "memory growth": "MB"}  # each measure and the unit its limit is written in


def check_processing_limits(figures: UpstreamFigures, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per `| measure | limit |` row: `throughput` (msg/s) or `memory growth` (MB)."""
    values = {"throughput": figures.msg_per_s, "memory growth": figures.memory_mb}
    return figure_checks(table, {measure: (unit, values[measure]) for measure, unit in UNITS.items()},
                         unreadable="a tracker the suite did not start")


def processing_verdict(figures: UpstreamFigures, checks: Sequence[Check]) -> None:
    """Fail with every figure when a limit is missed; attach them either way."""
    how = (f"({figures.messages:,} messages through the simulator in {figures.seconds:.2f} s, counted by the "
           "tracker's own metrics)")
    lines = [*(c.line() for c in checks), how]
    allure_report.attach_text("Processing figures", "\n".join(lines))
    if not all(c.passed for c in checks):
        raise AssertionError("processing limits missed:\n" + "\n".join(lines))
