"""Locust's statistics as its `--csv` file gives them (`<prefix>_stats.csv`): one EntryStats per row.

Locust computes every figure itself, percentiles included (the `50%` ... `100%` columns, by its
own bucket rule), so nothing here recomputes one. The suite reads the file after a run
(support/locust_runner.py); Locust's quitting listener (load/hooks.py) reads the same rows
rendered in memory, so both judge the same figures. Imports nothing from locust.

    stats = read_stats(Path("out/ws_stats.csv").read_text(encoding="utf-8"))
    stats.entry("delivery latency").p99_ms, stats.total.fail_ratio
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

AGGREGATED = "Aggregated"  # the name of Locust's row over every request
# the columns read, as Locust 2.47 names them (StatsCSV.requests_csv_columns)
COLUMNS = ("Type", "Name", "Request Count", "Failure Count", "Average Response Time", "Max Response Time",
           "Requests/s", "50%", "90%", "95%", "99%")


class StatsFileError(ValueError):
    """Not Locust's request statistics (a missing column or no Aggregated row); names what is missing."""


@dataclass(frozen=True)
class EntryStats:
    """One row of Locust's statistics (times in ms, as Locust reports them)."""

    method: str
    name: str
    requests: int
    failures: int
    median_ms: float  # the "50%" column
    p90_ms: float
    p95_ms: float
    p99_ms: float
    avg_ms: float
    max_ms: float
    rps: float

    @classmethod
    def empty(cls, name: str) -> EntryStats:
        """The row of an entry the run never reported."""
        return cls("", name, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    @property
    def fail_ratio(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def timed(self) -> bool:
        """Whether any request of the entry carried a response time.

        Locust's CSV has no count of the requests without one (sessions, plain messages): their
        row has a maximum of 0 ms.
        """
        return self.max_ms > 0


@dataclass(frozen=True)
class Stats:
    """Every row of a run, and the Aggregated one."""

    entries: tuple[EntryStats, ...]
    total: EntryStats

    def entry(self, name: str) -> EntryStats:
        """The row named `name` (or `METHOD name`; `Aggregated` is the total); a zero row when the run has none."""
        if name == AGGREGATED:
            return self.total
        for e in self.entries:
            if name in (e.name, f"{e.method} {e.name}"):
                return e
        return EntryStats.empty(name)


def read_stats(text: str, *, source: str = "Locust's statistics") -> Stats:
    """The rows of a `_stats.csv` text; StatsFileError when it is not one."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise StatsFileError(f"{source} is not Locust's _stats.csv: it has no column {', '.join(map(repr, missing))}")
    rows = [_row(r) for r in reader]
    totals = [r for r in rows if r.name == AGGREGATED and not r.method]
    if not totals:
        raise StatsFileError(f"{source}: no {AGGREGATED!r} row")
    entries = tuple(sorted((r for r in rows if r is not totals[0]), key=lambda e: (e.method, e.name)))
    return Stats(entries, totals[0])


def _row(row: dict[str, str]) -> EntryStats:
    return EntryStats(
        method=row["Type"] or "", name=row["Name"], requests=int(_number(row["Request Count"])),
        failures=int(_number(row["Failure Count"])), median_ms=_number(row["50%"]), p90_ms=_number(row["90%"]),
        p95_ms=_number(row["95%"]), p99_ms=_number(row["99%"]), avg_ms=_number(row["Average Response Time"]),
        max_ms=_number(row["Max Response Time"]), rps=_number(row["Requests/s"]),
    )


def _number(text: str | None) -> float:
    """A CSV figure; Locust writes `N/A` for the percentiles of an entry without requests."""
    return 0.0 if text in (None, "", "N/A") else float(text)
