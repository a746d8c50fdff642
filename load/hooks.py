"""Listeners every locustfile installs: the knobs, the stamp feeder, the final CSV and the pass/fail verdict."""

from __future__ import annotations

import csv
import io
import logging
from typing import Any

from locust import stats as locust_stats
from locust.runners import WorkerRunner

from load import feeder, options
from support.limits import Threshold, parse_thresholds
from support.locust_stats import read_stats

log = logging.getLogger("load")
THRESHOLDS_BROKEN = 1


def install(events: Any) -> None:
    events.init_command_line_parser.add_listener(options.add_arguments)
    feeder.install(events)

    @events.quitting.add_listener
    def _verdict(environment: Any, **_kw: Any) -> None:
        """Exit code 1 when a threshold is broken, 0 otherwise (failures alone are judged by thresholds)."""
        if isinstance(environment.runner, WorkerRunner):
            return
        spec = getattr(environment.parsed_options, "thresholds", "") or ""
        broken = broken_thresholds(environment, parse_thresholds(spec))
        for line in broken:
            log.error("threshold broken: %s", line)
        if environment.runner.cpu_warning_emitted or getattr(environment.runner, "worker_cpu_warning_emitted", False):
            log.warning("measurement spoiled: Locust's CPU went above 90 %% during the run")
        environment.process_exit_code = THRESHOLDS_BROKEN if broken else 0
        log.info("thresholds: %s", "all met" if not broken else f"{len(broken)} broken")

    @events.quitting.add_listener
    def _final_csv(environment: Any, **_kw: Any) -> None:
        """Write the final request statistics into Locust's own `<prefix>_stats.csv`, once more.

        Locust's CSV writer rewrites the file once a second and not again at exit (locust issues
        1806 and 2299), so the sessions that end as the users stop would be missing. The rows are
        rendered by Locust's own StatsCSV: what its writer would have written a moment later.
        """
        prefix = getattr(environment.parsed_options, "csv_prefix", None)
        if isinstance(environment.runner, WorkerRunner) or not prefix:
            return
        with open(f"{prefix}_stats.csv", "w", encoding="utf-8") as file:
            file.write(stats_csv_text(environment))


def broken_thresholds(environment: Any, thresholds: list[Threshold]) -> list[str]:
    """The broken thresholds, one line each, judged on the rows Locust's CSV holds (as the suite judges them)."""
    stats = read_stats(stats_csv_text(environment))
    broken = []
    for threshold in thresholds:
        actual = threshold.reading(stats)
        if actual is None:
            log.info("threshold %s not checked: no sample of '%s' in this run", threshold, threshold.entry)
        elif not threshold.holds(actual):
            entry = stats.entry(threshold.entry)
            broken.append(f"{threshold}: {entry.method} {entry.name} has {threshold.statistic} "
                          f"{f'{actual:,g} {threshold.unit}'.rstrip()}")
    return broken


def stats_csv_text(environment: Any) -> str:
    """The request statistics as Locust writes them to `<prefix>_stats.csv` (its StatsCSV), header first."""
    rows = io.StringIO()
    locust_stats.StatsCSV(environment, locust_stats.PERCENTILES_TO_REPORT).requests_csv(csv.writer(rows))
    return rows.getvalue()
