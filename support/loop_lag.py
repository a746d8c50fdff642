"""Event-loop lag of the reference tracker at a steady message rate ([perf-loop-lag]).

    figures = measure_loop_lag(simulator_http, api, payloads=trade_payloads(basket, 50_000), rate=5_000)
    figures.p99_ms, figures.samples, figures.msg_per_s

The contract names no way for a tracker to report its event-loop lag ([metrics] names two
counters), so this reads the reference tracker's own histogram `tracker_event_loop_lag_seconds`
(tracker/loop_lag.py): how late its loop woke a 5 ms timer, sampled throughout. Scenarios that use
it are tagged @reference and skip on another tracker. Trades go to the simulator in a batch every
TICK_S, so the rate is steady within a tenth of a second, not sent in bursts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from support import allure_report
from support.http_client import HttpClient
from support.throughput import RECEIVED
from support.tracker_api import TrackerApi

LAG_METRIC = "tracker_event_loop_lag_seconds"
TICK_S = 0.01            # one batch of trades to the simulator this often
DRAIN_TIMEOUT_S = 30.0   # how long the tracker may take to count the last trades sent
DRAIN_POLL_S = 0.02      # between reads of its counter meanwhile


@dataclass(frozen=True)
class LoopLagFigures:
    messages: int
    seconds: float            # from the first batch to the tracker's counter showing the last trade
    samples: int              # lag samples the tracker took meanwhile
    p99_ms: float             # interpolated within the histogram's buckets, as Prometheus' histogram_quantile does
    worst_bucket_ms: float    # the upper bound of the highest bucket holding a sample (inf: above the last)

    @property
    def msg_per_s(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0


def measure_loop_lag(simulator: HttpClient, api: TrackerApi, *, payloads: Sequence[str], rate: int) -> LoopLagFigures:
    """Send `payloads` at `rate` a second through the simulator; the tracker's lag histogram over that time.

    Args:
        simulator: the simulator's control API (POST /control/frames).
        api: the tracker's REST API, for GET /metrics.
        payloads: hub arguments (frames.encode_broadcast) to send in order.
        rate: messages per second.
    """
    before = _read(api)
    base = api.metric(RECEIVED)
    per_tick = max(1, round(rate * TICK_S))
    began = time.monotonic()
    with allure_report.only_last_attachments():
        for tick, start in enumerate(range(0, len(payloads), per_tick)):
            due = began + tick * TICK_S
            time.sleep(max(0.0, due - time.monotonic()))  # pacing the exchange at its rate, not waiting for an outcome
            simulator.ok_json(simulator.post("/control/frames", body={"frames": list(payloads[start:start + per_tick])}))
        while api.metric(RECEIVED) - base < len(payloads):
            if time.monotonic() - began > DRAIN_TIMEOUT_S + len(payloads) / rate:
                raise AssertionError(f"the tracker counted {api.metric(RECEIVED) - base:,.0f} of the {len(payloads):,} "
                                     f"trades sent ({RECEIVED} on GET /metrics)")
            time.sleep(DRAIN_POLL_S)
    seconds = time.monotonic() - began
    after = _read(api)
    counts = {bound: after[bound] - before.get(bound, 0.0) for bound in after}
    return LoopLagFigures(len(payloads), seconds, int(counts.get(math.inf, 0)), _quantile(counts, 0.99) * 1000,
                          _worst(counts) * 1000)


def _read(api: TrackerApi) -> dict[float, float]:
    buckets = api.histogram(LAG_METRIC)
    if math.inf not in buckets:
        raise AssertionError(f"GET /metrics has no histogram {LAG_METRIC} (the reference tracker's event-loop lag)")
    return buckets


def _quantile(cumulative: dict[float, float], q: float) -> float:
    """The q-quantile of a cumulative histogram, linear within its bucket (inf when it lies above the last bound)."""
    total = cumulative.get(math.inf, 0.0)
    if total <= 0:
        return math.nan
    wanted, lower, below = q * total, 0.0, 0.0
    for bound in sorted(cumulative):
        count = cumulative[bound]
        if count >= wanted:
            if math.isinf(bound):
                return math.inf
            return lower + (bound - lower) * ((wanted - below) / (count - below) if count > below else 1.0)
        lower, below = bound, count
    return math.inf


def _worst(cumulative: dict[float, float]) -> float:
    """The upper bound of the highest bucket that holds a sample."""
    total = cumulative.get(math.inf, 0.0)
    return next((bound for bound in sorted(cumulative) if cumulative[bound] >= total), math.inf) if total else 0.0
