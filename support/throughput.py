"""Processing throughput of the tracker under test, measured through its upstream ([perf-throughput], [perf-memory]).

    figures = measure_upstream(simulator_http, api, memory=target_memory, messages=200_000)
    figures.msg_per_s, figures.memory_mb

Trades go to the simulator as fast as the tracker takes them: never more than WINDOW frames
ahead of what the tracker's `tracker_frames_received_total` ([metrics]) says it has read, so
the simulator never cuts it as a slow consumer. The rate is messages over the time from the
first frame sent to the counter showing the last one: whatever the tracker is, on any target.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ssi_simulator import frames
from support import allure_report
from support.http_client import HttpClient
from support.tracker_api import TrackerApi

RECEIVED = "tracker_frames_received_total"
BATCH = 1_000            # frames per request to the simulator
WINDOW = 8_000           # frames sent but not yet counted by the tracker (the simulator queues 20,000)
MEMORY_MESSAGES = 50_000  # [perf-memory]: growth over this many messages
POLL_S = 0.005           # between reads of the counter while the tracker catches up
DRAIN_TIMEOUT_S = 120.0  # how long the tracker may take to count what was sent


@dataclass(frozen=True)
class UpstreamFigures:
    messages: int
    seconds: float
    memory_mb: float | None   # None where the target cannot read the tracker's memory

    @property
    def msg_per_s(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0


def trade_payloads(symbols: Sequence[str], count: int) -> list[str]:
    """`count` hub arguments of one-share trades over `symbols`, encoded once up front (not on the clock)."""
    return [frames.encode_broadcast(frames.trade(symbols[i % len(symbols)], 50.0 + (i % 7) * 0.1, 1))
            for i in range(count)]


def measure_upstream(simulator: HttpClient, api: TrackerApi, *, memory: Callable[[], int | None],
                     payloads: Sequence[str]) -> UpstreamFigures:
    """Send `payloads` through the simulator, paced by the tracker's own counter; the figures.

    Args:
        simulator: the simulator's control API (POST /control/frames).
        api: the tracker's REST API, for GET /metrics.
        memory: the tracker's resident memory in bytes now, or None where it cannot be read.
        payloads: hub arguments (frames.encode_broadcast) to send in order.
    """
    base = api.metric(RECEIVED)
    before = memory()
    after: int | None = None
    sent = counted = 0
    began = time.monotonic()
    with allure_report.only_last_attachments():
        while counted < len(payloads):
            if sent < len(payloads) and sent - counted < WINDOW:
                batch = list(payloads[sent:sent + BATCH])
                simulator.ok_json(simulator.post("/control/frames", body={"frames": batch}))
                sent += len(batch)
            else:
                time.sleep(POLL_S)  # the tracker is catching up: read its counter again shortly
            counted = int(api.metric(RECEIVED) - base)
            if after is None and counted >= min(MEMORY_MESSAGES, len(payloads)):
                after = memory()
            if time.monotonic() - began > DRAIN_TIMEOUT_S:
                raise AssertionError(f"the tracker counted {counted:,} of {sent:,} frames sent in "
                                     f"{DRAIN_TIMEOUT_S:g} s ({RECEIVED} on GET /metrics)")
    seconds = time.monotonic() - began
    growth = None if before is None or after is None else (after - before) / 1e6
    return UpstreamFigures(len(payloads), seconds, growth)
