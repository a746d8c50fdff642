"""Pass/fail of a Locust run: thresholds on its statistics, checked when Locust quits.

Imports nothing from locust, so that support/perf.py shares OPS with the Gherkin limits.

A threshold is `<entry name>:<statistic><op><value>`, several joined by `;`, for example
`delivery latency:p99<100;/api/market/foreign-detail:p95<200;Aggregated:fail_ratio<0.01`.
Statistics: p50 p90 p95 p99 avg max (ms), fail_ratio (0..1), failures, count. An entry that
is absent or has no sample is reported and skipped (its users were not part of this run),
except for `count`, which fails.
"""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("load.thresholds")

OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq,
}
_SPEC = re.compile(r"^\s*(?P<name>.+?)\s*:\s*(?P<stat>[a-z0-9_]+)\s*(?P<op><=|>=|==|<|>)\s*(?P<value>[-0-9.eE+]+)\s*$")
_PERCENTILES = {"p50": 0.5, "p90": 0.9, "p95": 0.95, "p99": 0.99}


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    stat: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.name}:{self.stat}{self.op}{self.value:g}"


def parse(spec: str) -> list[Threshold]:
    """Thresholds from their `;`-separated text; raises ValueError naming the bad one."""
    out = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        m = _SPEC.match(part)
        if m is None or (m["stat"] not in _PERCENTILES and m["stat"] not in
                         {"avg", "max", "fail_ratio", "failures", "count"}):
            raise ValueError(f"threshold {part!r} is not '<entry>:<p50|p90|p95|p99|avg|max|fail_ratio|"
                             "failures|count><op><number>'")
        out.append(Threshold(m["name"], m["stat"], m["op"], float(m["value"])))
    return out


def _value(entry: Any, stat: str) -> float:
    if stat in _PERCENTILES:
        return float(entry.get_response_time_percentile(_PERCENTILES[stat]) or 0)
    if stat == "avg":
        return float(entry.avg_response_time)
    if stat == "max":
        return float(entry.max_response_time or 0)
    if stat == "fail_ratio":
        return float(entry.fail_ratio)
    if stat == "failures":
        return float(entry.num_failures)
    return float(entry.num_requests)


def check(stats: Any, thresholds: list[Threshold]) -> list[str]:
    """The broken thresholds, one line each, against a locust RequestStats."""
    broken = []
    for t in thresholds:
        if t.name == "Aggregated":
            entries = [stats.total]
        else:
            entries = [e for (name, _method), e in stats.entries.items() if name == t.name]
        timed = [e for e in entries if e.num_requests - e.num_none_requests > 0]
        if t.stat == "count" or t.stat in {"failures", "fail_ratio"}:
            timed = [e for e in entries if e.num_requests > 0]
        if not timed:
            if t.stat == "count":
                broken.append(f"{t}: no '{t.name}' entry")
            else:
                log.info("threshold %s not checked: no sample of '%s' in this run", t, t.name)
            continue
        for entry in timed:
            actual = _value(entry, t.stat)
            if not OPS[t.op](actual, t.value):
                broken.append(f"{t}: {entry.method} {entry.name} has {t.stat}={actual:g}")
    return broken
