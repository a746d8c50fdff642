"""How late the event loop runs a timer that is due: the reference tracker's own measure of [perf-loop-lag].

The contract names no way for a tracker to report its event-loop lag ([metrics] names two counters),
so this is the reference tracker's alone: a probe sleeps PROBE_S at a time and records how late it
woke, into the histogram `tracker_event_loop_lag_seconds` of GET /metrics.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

PROBE_S = 0.005
# fine below the contract's 1 ms, coarse above it
BUCKETS_S = (0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.0006, 0.0008, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1.0)


async def watch(observe: Callable[[float], None], probe_s: float = PROBE_S) -> None:
    """Forever: sleep `probe_s`, then `observe` how many seconds past its due time the loop woke the probe."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + probe_s
        await asyncio.sleep(probe_s)
        observe(max(0.0, loop.time() - due))
