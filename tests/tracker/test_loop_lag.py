"""The event-loop lag probe records how late the loop woke it: about nothing when idle, the block when blocked."""

from __future__ import annotations

import asyncio
import time

import pytest

from tracker.loop_lag import watch

pytestmark = pytest.mark.timeout(10)


@pytest.mark.asyncio
async def test_the_probe_records_how_long_the_loop_was_held_up() -> None:
    seen: list[float] = []
    probe = asyncio.create_task(watch(seen.append, probe_s=0.002))
    try:
        while len(seen) < 3:
            await asyncio.sleep(0.001)
        time.sleep(0.03)  # noqa: ASYNC251 - holding the loop up is the point: the probe wakes that late
        count = len(seen)
        while len(seen) == count:
            await asyncio.sleep(0.001)
    finally:
        probe.cancel()
        await asyncio.gather(probe, return_exceptions=True)
    assert all(lag >= 0 for lag in seen)
    assert max(seen) >= 0.02
