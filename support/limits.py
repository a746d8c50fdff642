"""The one limit grammar of the load verdicts (`delivery latency p99 under 100 ms`), for the suite and for Locust.

A limit is a bound, a number and a unit: `under 100 ms`, `at most 0`, `at least 50,000 msg/s`,
`above 2 MB`. A threshold is a measure of Locust's statistics with a limit. The rows of a
Gherkin `| measure | limit |` table (support/perf_verdict.py) and Locust's `--thresholds`
(load/hooks.py, sentences joined by `;`) are the same thresholds, judged here on the rows of
Locust's CSV (support/locust_stats.py). Imports nothing from locust and reads no environment.

    Limit.parse("at least 50,000 msg/s").holds(61_200.0)      # True
    t = Threshold.parse("delivery latency p99", "under 100 ms")
    t.reading(stats)   # that row's p99 in ms; None: the run has no sample of it
    parse_thresholds("delivery latency p99 under 100 ms; failures under 1 %")

Measures: `<entry> <statistic>`. Statistics: p50 (median), p90, p95, p99, avg, max (ms);
failures (a percentage of the entry's requests with `%`, a count without a unit); requests (a
count). The entry is one of ENTRIES' names or a Locust entry as Locust names it
(`session /ws/market`); left out before failures or requests, it is every request (Aggregated).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from support.locust_stats import AGGREGATED, EntryStats, Stats

BOUNDS: dict[str, Callable[[float, float], bool]] = {
    "under": operator.lt, "at most": operator.le, "at least": operator.ge, "above": operator.gt,
}
UNITS = ("ms", "%", "msg/s", "MB", "")  # "": a plain number (a count)
_UNIT_SPELLINGS = {"messages/s": "msg/s"}
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # 100, 50,000, 0.5
_LIMIT = re.compile(rf"^(?P<bound>{'|'.join(BOUNDS)}) (?P<number>{_NUMBER}) ?(?P<unit>ms|%|msg/s|messages/s|MB)?$")
_SENTENCE = re.compile(rf"^(?P<measure>.+?) (?P<limit>(?:{'|'.join(BOUNDS)}) .*)$")
_GRAMMAR = "'<under|at most|at least|above> <number> [ms|%|msg/s|MB]', e.g. 'under 100 ms'"

# The suite's names of Locust's entries (load/users.py, load/ws_user.py name them).
ENTRIES = {
    "delivery latency": "delivery latency",
    "foreign detail": "/api/market/foreign-detail",
    "snapshot": "/api/market/snapshot",
    "alerts": "/api/market/alerts",
    "connect time": "connect /ws/market",
    "reconnect time": "reconnect /ws/market",
}
_TIMES: dict[str, Callable[[EntryStats], float]] = {
    "p50": lambda e: e.median_ms, "median": lambda e: e.median_ms, "p90": lambda e: e.p90_ms,
    "p95": lambda e: e.p95_ms, "p99": lambda e: e.p99_ms, "avg": lambda e: e.avg_ms, "max": lambda e: e.max_ms,
}
STATISTICS = (*_TIMES, "failures", "requests")


class LimitError(ValueError):
    """A limit, measure or threshold that is not in the grammar; the message quotes it and shows the form."""


def _words(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Limit:
    bound: str   # under, at most, at least, above
    value: float
    unit: str    # one of UNITS; "" for a plain number
    text: str    # as written, spaces folded

    @classmethod
    def parse(cls, text: str, *, units: Sequence[str] = UNITS, measure: str = "") -> Limit:
        """`under 100 ms` and the like; LimitError unless it is one, in one of `units`."""
        words = _words(text)
        m = _LIMIT.match(words)
        if m is None:
            raise LimitError(f"limit {text!r} is not {_GRAMMAR}")
        unit = _UNIT_SPELLINGS.get(m["unit"] or "", m["unit"] or "")
        if unit not in units:
            wanted = " or ".join(f"in {u}" if u else "as a plain number" for u in units)
            of = f" of {measure!r}" if measure else ""
            raise LimitError(f"limit {text!r}{of} is {f'in {unit}' if unit else 'a plain number'}: give it {wanted}")
        return cls(m["bound"], float(m["number"].replace(",", "")), unit, words)

    def holds(self, actual: float) -> bool:
        """Whether `actual`, in this limit's unit, is within it."""
        return BOUNDS[self.bound](actual, self.value)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Threshold:
    measure: str     # as written, spaces folded: "delivery latency p99"
    entry: str       # the Locust entry it reads: "delivery latency", "Aggregated"
    statistic: str   # one of STATISTICS
    limit: Limit

    @classmethod
    def parse(cls, measure: str, limit: str) -> Threshold:
        """A measure and its limit (a row of a limits table); LimitError naming what is wrong."""
        words = _words(measure)
        head, _, statistic = words.rpartition(" ")
        if statistic not in STATISTICS:
            raise LimitError(f"measure {measure!r} does not end with a statistic: write '<entry> "
                             f"<{'|'.join(STATISTICS)}>', e.g. 'delivery latency p99' or 'failures'")
        if not head and statistic in _TIMES:
            raise LimitError(f"measure {measure!r} names no entry: e.g. 'delivery latency {statistic}' "
                             f"(entries: {', '.join(ENTRIES)}, or a Locust entry name)")
        units = ("ms",) if statistic in _TIMES else ("%", "") if statistic == "failures" else ("",)
        return cls(words, ENTRIES.get(head, head) if head else AGGREGATED, statistic,
                   Limit.parse(limit, units=units, measure=words))

    @property
    def unit(self) -> str:
        return self.limit.unit

    def reading(self, stats: Stats) -> float | None:
        """The measure in the limit's unit; None when the run has no sample of it (no request, or no timed one)."""
        row = stats.entry(self.entry)
        if self.statistic == "requests":
            return float(row.requests)
        if row.requests == 0:
            return None
        if self.statistic == "failures":
            return 100.0 * row.fail_ratio if self.unit == "%" else float(row.failures)
        return _TIMES[self.statistic](row) if row.timed else None

    def holds(self, actual: float) -> bool:
        return self.limit.holds(actual)

    def __str__(self) -> str:
        return f"{self.measure} {self.limit}"


def parse_thresholds(spec: str) -> list[Threshold]:
    """`;`-separated `<measure> <limit>` sentences (Locust's --thresholds); LimitError naming the bad one."""
    thresholds = []
    for part in filter(None, (_words(p) for p in spec.split(";"))):
        m = _SENTENCE.match(part)
        if m is None:
            raise LimitError(f"threshold {part!r} is not '<measure> <limit>', e.g. 'delivery latency p99 under "
                             "100 ms' or 'failures under 1 %'")
        thresholds.append(Threshold.parse(m["measure"], m["limit"]))
    return thresholds
