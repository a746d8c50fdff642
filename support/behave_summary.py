"""behave's closing summary, read from one run's output and added up over several (support/behave_parallel.py).

behave ends every run with the scenarios that failed or errored, one count line per kind of
item and the time its features took:

    Failing scenarios:
      features/a.feature:4  bad
    0 features passed, 1 failed, 0 skipped
    1 scenario passed, 1 failed, 1 error, 0 skipped
    Took 0min 0.001s

`split(stdout)` separates that summary from what the formatters printed before it;
`Summary.add` sums the summaries of runs over different features, and `render()` writes the
sum in behave's own layout, so that a run in several processes ends like a serial one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from behave.summary import STATUS_ORDER  # type: ignore[import-untyped]

_COUNTS = re.compile(r"^(\d+) ([a-z_.]+?)s? passed((?:, \d+ [a-z_]+)*)$")
_PART = re.compile(r"(\d+) ([a-z_]+)")
_TOOK = re.compile(r"^Took (\d+)min ([\d.]+)s$")
_PROBLEMS = re.compile(r"^(Failing|Errored) scenarios:$")
_KINDS = ("feature", "rule", "scenario", "step", "hook.error", "hook.failed")  # behave's order of the lines
_SHOWN = ("feature", "scenario", "step")  # behave's lines even for a run of nothing; the others when seen
_ALWAYS = ("passed", "failed", "skipped")  # behave shows these even at 0; the other statuses only when seen
_ORDER = [status.name for status in STATUS_ORDER]


@dataclass
class Summary:
    """Counts per kind of item ("scenario") and status ("failed"), the problem scenarios, the features' time."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)  # "Failing" -> ["features/a.feature:4  bad"]
    took_s: float = 0.0

    def add(self, other: Summary) -> None:
        for kind, counts in other.counts.items():
            self.counts.setdefault(kind, Counter()).update(counts)
        for heading, scenarios in other.problems.items():
            self.problems.setdefault(heading, []).extend(scenarios)
        self.took_s += other.took_s

    def count(self, kind: str, status: str) -> int:
        return self.counts.get(kind, Counter())[status]

    def failed(self) -> bool:
        """Anything but passed, skipped and untested, in any kind of item."""
        return any(n for counts in self.counts.values()
                   for status, n in counts.items() if status not in ("passed", "skipped", "untested"))

    def render(self) -> str:
        """The summary as behave prints it (without the "Took" line, whose meaning the caller words)."""
        lines: list[str] = []
        for heading in ("Failing", "Errored"):
            if scenarios := self.problems.get(heading):
                lines += ["", f"{heading} scenarios:", *(f"  {scenario}" for scenario in scenarios)]
        if lines:
            lines.append("")
        kinds = [kind for kind in _KINDS if kind in self.counts or kind in _SHOWN]
        kinds += sorted(set(self.counts) - set(_KINDS))
        lines += [_count_line(kind, self.counts.get(kind, Counter())) for kind in kinds]
        return "\n".join(lines) + "\n"


def split(stdout: str) -> tuple[str, Summary | None]:
    """(what came before behave's summary, the summary); (stdout, None) if it ends without one."""
    lines = stdout.splitlines()
    for start, line in enumerate(lines):
        if _PROBLEMS.match(line) or _COUNTS.match(line):
            summary = _parse(lines[start:])
            if summary is not None:
                return "\n".join(lines[:start]).rstrip("\n"), summary
    return stdout, None


def _parse(lines: list[str]) -> Summary | None:
    """The summary these lines are, all of them, or None."""
    summary = Summary()
    heading = None
    for line in lines:
        if not line.strip():
            heading = None
        elif problems := _PROBLEMS.match(line):
            heading = problems.group(1)
            summary.problems.setdefault(heading, [])
        elif heading and line.startswith("  "):
            summary.problems[heading].append(line.strip())
        elif counts := _COUNTS.match(line):
            statuses = Counter({"passed": int(counts.group(1))})
            statuses.update({status: int(n) for n, status in _PART.findall(counts.group(3))})
            summary.counts[counts.group(2)] = statuses
        elif took := _TOOK.match(line):
            summary.took_s = int(took.group(1)) * 60 + float(took.group(2))
        else:
            return None
    return summary if "feature" in summary.counts else None


def _count_line(kind: str, counts: Counter[str]) -> str:
    """`12 scenarios passed, 1 failed, 0 skipped`: behave's v1 layout."""
    passed = counts["passed"]
    statuses = [status for status in _ORDER if status != "passed" and (status in _ALWAYS or counts[status])]
    statuses += sorted(status for status in counts if status not in _ORDER and counts[status])
    parts = [f"{counts[status]} {status}" for status in statuses]
    return ", ".join([f"{passed} {kind}{'' if passed == 1 else 's'} passed", *parts])


def took(seconds: float) -> str:
    """behave's way of writing a duration: `1min 2.345s`."""
    return f"{int(seconds // 60)}min {seconds % 60:.3f}s"
