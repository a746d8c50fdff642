"""Listeners every locustfile installs: the knobs, the stamp feeder, the final CSV and the pass/fail verdict."""

from __future__ import annotations

import logging
from typing import Any

import gevent
from locust import stats as locust_stats
from locust.runners import WorkerRunner

from load import feeder, options, thresholds

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
        broken = thresholds.check(environment.runner.stats, thresholds.parse(spec))
        for line in broken:
            log.error("threshold broken: %s", line)
        if environment.runner.cpu_warning_emitted or getattr(environment.runner, "worker_cpu_warning_emitted", False):
            log.warning("measurement spoiled: Locust's CPU went above 90 %% during the run")
        environment.process_exit_code = THRESHOLDS_BROKEN if broken else 0
        log.info("thresholds: %s", "all met" if not broken else f"{len(broken)} broken")

    @events.quitting.add_listener
    def _final_csv(environment: Any, **_kw: Any) -> None:
        """Let Locust's CSV writer record the final statistics before the process exits.

        Locust rewrites `<prefix>_stats.csv` once a second and not again at exit (locust issues
        1806 and 2299), so the sessions that end when the users stop could be missing. This
        listener yields longer than the writer's interval; the writer's timer is due first, so
        its last pass holds the final figures.
        """
        if isinstance(environment.runner, WorkerRunner) or not getattr(environment.parsed_options, "csv_prefix", None):
            return
        gevent.sleep(locust_stats.CSV_STATS_INTERVAL_SEC + 0.5)
