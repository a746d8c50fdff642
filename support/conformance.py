"""What the run's preconditions found (support/preconditions.py checks them): the findings and the clock.

Kept apart from the checks so that the report (support/precondition_report.py), the world and the
runners' hooks read the verdicts without the machinery that produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["passed", "failed", "broken", "not checked"]  # broken: the check itself raised an error


@dataclass(frozen=True)
class Finding:
    """One precondition: what was seen against what the contract expects (rule id of docs/CONTRACT.md)."""

    name: str
    status: Status
    seen: str
    expected: str
    rule: str

    def citation(self) -> str:
        if self.status == "broken":
            return f"precondition {self.name!r} could not be checked: {self.seen}"
        return f"precondition {self.name!r} failed: {self.seen}; the contract expects {self.expected} [{self.rule}]"


@dataclass
class Conformance:
    findings: list[Finding] = field(default_factory=list)
    clock: str | None = None          # "control" | "faketime" | None
    clock_reason: str = ""            # why @clock scenarios cannot run (clock is None)
    took_s: float = 0.0
    skipped: str | None = None        # the target cannot run here at all

    def failure(self) -> Finding | None:
        """The first check that failed (the tracker's fault) or broke (the suite's or the machine's)."""
        return next((finding for finding in self.findings if finding.status in ("failed", "broken")), None)

    def summary(self) -> list[str]:
        """Lines for the top of the terminal output."""
        if self.skipped:
            return [f"preconditions not checked: {self.skipped}"]
        lines = [f"{finding.status.upper():>11}  {finding.name}: {finding.seen}" for finding in self.findings]
        lines.append(f"      clock  {describe_clock(self)}")
        return lines


def describe_clock(conformance: Conformance) -> str:
    if conformance.clock == "control":
        return "moved through the tracker's test-control routes [test-clock]"
    if conformance.clock == "faketime":
        return "moved from outside the process with libfaketime (section 6 of docs/CONTRACT.md)"
    return (f"cannot be moved, @clock scenarios are skipped (a @real_time_fallback one waits in real time "
            f"instead): {conformance.clock_reason}")
