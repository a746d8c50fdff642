"""The stamp feeder: publishes delivery stamps through the simulator's control API during a run.

Runs once per test, in the master or standalone process (never on workers), when `--sim-url`
is given. It first publishes a market seed (one figure per VN30 symbol, so that snapshots
have their real size), waits a quiet window, then one stamp every `--stamp-interval`
seconds on a fixed schedule. Each publish is a `FEED publish stamp` entry (the control
API's round trip), so a run shows how many stamps went out.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import gevent
import requests
from locust.runners import WorkerRunner

from load.stamps import seed_contents, stamp_content

log = logging.getLogger("load.feeder")


class Feeder:
    def __init__(self, environment: Any) -> None:
        options = environment.parsed_options
        self.environment = environment
        self.url = options.sim_url.rstrip("/") + "/control/frames"
        self.symbol: str = options.stamp_symbol
        self.interval: float = max(0.05, options.stamp_interval)
        self.seed_market = bool(options.seed_market)
        self.published = 0
        self.failed = 0
        self._greenlet: gevent.Greenlet | None = None
        self._http = requests.Session()

    def start(self) -> None:
        self._greenlet = gevent.spawn(self._run)

    def stop(self) -> None:
        if self._greenlet is not None:
            self._greenlet.kill(block=True, timeout=2)
            self._greenlet = None
            log.info("feeder: published %d stamps (%d failed) of %s every %.2f s",
                     self.published, self.failed, self.symbol, self.interval)

    def _post(self, name: str, frames: list[dict[str, Any]]) -> bool:
        start = time.perf_counter()
        error: Exception | None = None
        try:
            response = self._http.post(self.url, json={"frames": frames}, timeout=5)
            if response.status_code != 200:
                error = RuntimeError(f"control API answered {response.status_code}: {response.text[:200]}")
        except requests.RequestException as exc:
            error = exc
        self.environment.events.request.fire(
            request_type="FEED", name=name, response_time=(time.perf_counter() - start) * 1000,
            response_length=len(frames), exception=error, context={}, url=self.url,
        )
        return error is None

    def _run(self) -> None:
        if self.seed_market:
            self._post("publish market seed", seed_contents())
        gevent.sleep(self.interval)  # a quiet window: the first stamp is sent at once
        start = time.monotonic()
        seq = 0
        while True:
            seq += 1
            if self._post("publish stamp", [stamp_content(self.symbol, seq, time.time())]):
                self.published += 1
            else:
                self.failed += 1
            gevent.sleep(max(0.0, start + seq * self.interval - time.monotonic()))


def install(events: Any) -> None:
    """Start a feeder with each test (not on workers) and stop it with the test."""
    state: dict[str, Feeder] = {}

    @events.test_start.add_listener
    def _start(environment: Any, **_kw: Any) -> None:
        options = environment.parsed_options
        if isinstance(environment.runner, WorkerRunner) or not options or not options.sim_url:
            return
        feeder = state["feeder"] = Feeder(environment)
        feeder.start()

    @events.test_stop.add_listener
    def _stop(environment: Any, **_kw: Any) -> None:
        feeder = state.pop("feeder", None)
        if feeder is not None:
            feeder.stop()
