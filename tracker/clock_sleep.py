"""A sleep on the tracker's clock, so the reconnect backoff follows [test-clock] like every other time window.

    sleep = ClockSleep(clock)
    await sleep(2.0)          # ends when clock.now() has gone 2 s on, however the clock got there

While the clock follows system time, the wait ends after the delay in real time (or earlier when
the clock is moved past it). While the clock is held by test control (`Clock.set`/`advance`), real
time does not count: only a move of the clock past the deadline ends the wait. Under libfaketime
the wall clock the tracker reads jumps; a wait naps at most `nap_s` between looks, so a jump is
seen even where the event loop's own timer (the monotonic clock) did not jump.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from tracker.core.clock import Clock

NAP_S = 0.25  # the longest real wait between two looks at a running clock


class ClockSleep:
    """`await sleep(seconds)` on `clock`; woken at once by every move of the clock."""

    def __init__(self, clock: Clock, *, nap_s: float = NAP_S) -> None:
        self._clock = clock
        self._nap_s = nap_s
        self._waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        clock.on_move(self._moved)

    async def __call__(self, seconds: float) -> None:
        clock = self._clock
        loop = asyncio.get_running_loop()
        deadline = clock.now() + timedelta(seconds=seconds)
        real_deadline = loop.time() + seconds
        woken = asyncio.Event()
        entry = (loop, woken)
        self._waiting.add(entry)
        try:
            while True:
                woken.clear()  # before looking: a move from now on wakes the wait below
                left = (deadline - clock.now()).total_seconds()
                if left <= 0:
                    return
                timeout: float | None = None  # a held clock moves only when moved: no real deadline
                if not clock.frozen:
                    real_left = real_deadline - loop.time()  # a wall clock set back does not stretch the wait
                    if real_left <= 0:
                        return
                    timeout = min(left, real_left, self._nap_s)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await woken.wait()
        finally:
            self._waiting.discard(entry)

    def _moved(self) -> None:
        """The clock moved (from any thread): every wait looks at it again."""
        for loop, woken in list(self._waiting):
            with contextlib.suppress(RuntimeError):  # a loop closed meanwhile has nobody left waiting
                loop.call_soon_threadsafe(woken.set)
