"""Tests of the sleep on the tracker's clock: a held clock's wait ends only when the clock is moved past it."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta

import pytest

from tracker.clock_sleep import ClockSleep
from tracker.core.clock import VN_TZ, Clock


class JumpingClock(Clock):
    """A running clock whose wall time jumps without telling anyone (libfaketime's timestamp file)."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(VN_TZ) + self.offset


async def _pending(task: asyncio.Task[None], for_s: float = 0.1) -> bool:
    """True when `task` is still waiting after `for_s` seconds of real time."""
    done, _ = await asyncio.wait({task}, timeout=for_s)
    return not done


@pytest.mark.asyncio
async def test_a_running_clock_ends_the_wait_in_real_time() -> None:
    sleep = ClockSleep(Clock())
    started = time.monotonic()
    await sleep(0.05)
    assert 0.04 <= time.monotonic() - started < 1.0


@pytest.mark.asyncio
async def test_a_held_clock_ends_the_wait_only_when_moved_past_it() -> None:
    clock = Clock(datetime(2024, 12, 2, 10, 0, tzinfo=VN_TZ))
    task = asyncio.create_task(ClockSleep(clock)(2.0))
    assert await _pending(task, 0.3)  # real time does not count while the clock is held
    clock.advance(1.9)
    assert await _pending(task)
    clock.advance(0.2)
    await asyncio.wait_for(task, 1.0)


@pytest.mark.asyncio
async def test_a_move_from_another_thread_wakes_the_wait() -> None:
    clock = Clock(datetime(2024, 12, 2, 10, 0, tzinfo=VN_TZ))
    task = asyncio.create_task(ClockSleep(clock)(60.0))
    await asyncio.sleep(0)
    mover = threading.Thread(target=clock.advance, args=(61,))
    mover.start()
    mover.join()
    await asyncio.wait_for(task, 1.0)


@pytest.mark.asyncio
async def test_setting_the_clock_back_while_held_makes_the_wait_longer() -> None:
    clock = Clock(datetime(2024, 12, 2, 10, 0, tzinfo=VN_TZ))
    task = asyncio.create_task(ClockSleep(clock)(2.0))
    await asyncio.sleep(0)
    clock.advance(-10)
    clock.advance(11)
    assert await _pending(task)  # 1 s past the start, still 1 s to go
    clock.advance(1)
    await asyncio.wait_for(task, 1.0)


@pytest.mark.asyncio
async def test_a_silent_jump_of_a_running_clock_is_seen_within_a_nap() -> None:
    clock = JumpingClock()
    task = asyncio.create_task(ClockSleep(clock, nap_s=0.05)(30.0))
    assert await _pending(task, 0.1)
    clock.offset = timedelta(seconds=31)  # no listener is told: only the next look sees it
    await asyncio.wait_for(task, 1.0)


@pytest.mark.asyncio
async def test_a_running_clock_set_back_does_not_stretch_the_wait_beyond_real_time() -> None:
    clock = JumpingClock()
    task = asyncio.create_task(ClockSleep(clock, nap_s=0.05)(0.2))
    await asyncio.sleep(0)
    clock.offset = timedelta(hours=-1)
    await asyncio.wait_for(task, 1.0)


@pytest.mark.asyncio
async def test_a_cancelled_wait_leaves_nothing_behind() -> None:
    clock = Clock(datetime(2024, 12, 2, 10, 0, tzinfo=VN_TZ))
    sleep = ClockSleep(clock)
    task = asyncio.create_task(sleep(5.0))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not sleep._waiting
    clock.advance(10)  # nobody to wake: no error
