"""Verdicts of the Locust scenarios: a limits table judged on the run, recorded in summary.json and in Allure.

    checks = check_limits(result, [{"measure": "delivery latency p99", "limit": "under 100 ms"}])
    verdict(result, checks)   # summary.json beside Locust's output, the lines in Allure; fails on a miss

A missed limit in a timing unit (ms, msg/s) only warns under PERF_TIMING=report (make perf-ci):
on a shared CI machine a latency is a measurement. Failures, lost clients and memory always count.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from support import allure_report
from support.errors import ScenarioSkip
from support.limits import Limit, LimitError, Threshold
from support.locust_runner import LoadResult
from support.perf_knobs import timing_enforced

TIMED_UNITS = frozenset({"ms", "msg/s"})


@dataclass(frozen=True)
class Check:
    """A figure of the run against its limit, and whether a miss fails the scenario."""

    measure: str
    limit: str
    actual: float
    unit: str
    ok: bool
    enforced: bool = True

    @classmethod
    def of(cls, measure: str, limit: Limit, actual: float) -> Check:
        enforced = limit.unit not in TIMED_UNITS or timing_enforced()
        return cls(measure, str(limit), actual, limit.unit, limit.holds(actual), enforced)

    @property
    def passed(self) -> bool:
        return self.ok or not self.enforced

    def line(self) -> str:
        mark = "ok  " if self.ok else ("MISS" if self.enforced else "WARN")
        note = "" if self.ok or self.enforced else " - reported only (PERF_TIMING=report)"
        return f"{mark} {self.measure}: {self.figure} (limit: {self.limit}){note}"

    @property
    def figure(self) -> str:
        """The figure with its unit: `61.3 ms`, `80,000 msg/s` (whole from 1,000 up, four digits below)."""
        number = f"{self.actual:,.0f}" if abs(self.actual) >= 1000 else f"{self.actual:.4g}"
        return f"{number} {self.unit}".rstrip()


def check_limits(result: LoadResult, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per row of a `| measure | limit |` table (the grammar of support/limits.py)."""
    checks = []
    for row in table:
        threshold = Threshold.parse(row["measure"], row["limit"])
        actual = threshold.reading(result.stats)
        if actual is None:
            raise AssertionError(f"the run has no sample of {threshold.entry!r} for {threshold.measure!r}:\n"
                                 f"{result.table()}")
        checks.append(Check.of(threshold.measure, threshold.limit, actual))
    return checks


def figure_checks(table: Sequence[Mapping[str, str]], figures: Mapping[str, tuple[str, float | None]], *,
                  unreadable: str = "") -> list[Check]:
    """One check per `| measure | limit |` row against the run's own figures (measure -> (unit, value)): a
    LimitError for a measure or limit outside the grammar, ScenarioSkip naming `unreadable` for a value that
    this target cannot read (None)."""
    checks = []
    for row in table:
        measure = " ".join(row["measure"].split())
        if measure not in figures:
            known = " or ".join(figures) if len(figures) == 2 else "one of " + ", ".join(figures)
            raise LimitError(f"unknown measure {measure!r}: use {known}")
        unit, actual = figures[measure]
        limit = Limit.parse(row["limit"], units=(unit,), measure=measure)
        if actual is None:
            raise ScenarioSkip(f"the {measure} of this tracker cannot be read on this target ({unreadable})")
        checks.append(Check.of(measure, limit, float(actual)))
    return checks


def failed_entries(result: LoadResult, *names: str) -> list[str]:
    """`METHOD name: n of m failed` for each named entry that has failures, `name: no sample` for one without requests."""
    problems = []
    for name in names:
        entry = result.entry(name)
        if entry.requests == 0:
            problems.append(f"{name}: no sample")
        elif entry.failures:
            problems.append(f"{entry.method} {name}: {entry.failures} of {entry.requests} failed")
    return problems


def verdict(result: LoadResult, checks: Sequence[Check]) -> None:
    """Record the checks (summary.json beside Locust's output) and fail with the statistics when one misses."""
    summary = {
        "scenario": result.run.name, "users": result.run.users, "seconds": result.run.run_time_s,
        "exit_code": result.exit_code, "cpu_warning": result.cpu_warning,
        "checks": [{"measure": c.measure, "limit": c.limit, "actual": c.figure,
                    "ok": c.ok, "enforced": c.enforced} for c in checks],
    }
    Path(result.run.out_dir, "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    lines = [c.line() for c in checks]
    if result.cpu_warning:
        lines.append("WARNING: Locust's CPU went above 90 %: the measurement is spoiled (the client set the pace)")
    allure_report.attach_text("Limits", "\n".join(lines))
    if not all(c.passed for c in checks):
        raise AssertionError("load limits missed:\n" + "\n".join(lines) + "\n\n" + result.table())
