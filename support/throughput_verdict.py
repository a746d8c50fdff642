"""Verdict of the processing scenario: the tracker's throughput and memory growth (support/throughput.py) against a limits table.

    checks = check_processing_limits(figures, [{"measure": "throughput", "limit": "at least 50,000 msg/s"}])
    processing_verdict(figures, checks)   # the figures in Allure; fails on a miss
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from support import allure_report
from support.errors import ScenarioSkip
from support.limits import Limit, LimitError
from support.perf_verdict import Check
from support.throughput import UpstreamFigures

UNITS = {"throughput": "msg/s", "memory growth": "MB"}  # each measure and the unit its limit is written in


def check_processing_limits(figures: UpstreamFigures, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per `| measure | limit |` row: `throughput` (msg/s) or `memory growth` (MB)."""
    values = {"throughput": figures.msg_per_s, "memory growth": figures.memory_mb}
    checks = []
    for row in table:
        measure = " ".join(row["measure"].split())
        if measure not in UNITS:
            raise LimitError(f"unknown measure {measure!r}: use {' or '.join(UNITS)}")
        limit = Limit.parse(row["limit"], units=(UNITS[measure],), measure=measure)
        actual = values[measure]
        if actual is None:
            raise ScenarioSkip(f"the {measure} of this tracker cannot be read on this target (a tracker the suite "
                               "did not start)")
        checks.append(Check.of(measure, limit, actual))
    return checks


def processing_verdict(figures: UpstreamFigures, checks: Sequence[Check]) -> None:
    """Fail with every figure when a limit is missed; attach them either way."""
    how = (f"({figures.messages:,} messages through the simulator in {figures.seconds:.2f} s, counted by the "
           "tracker's own metrics)")
    lines = [*(c.line() for c in checks), how]
    allure_report.attach_text("Processing figures", "\n".join(lines))
    if not all(c.passed for c in checks):
        raise AssertionError("processing limits missed:\n" + "\n".join(lines))
