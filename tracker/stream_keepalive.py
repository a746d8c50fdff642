"""The upstream stream's ping, timed in wake-ups of a short sleep rather than in seconds of the loop's clock.

websockets' own keepalive waits for the pong on the event loop's clock. When that clock jumps (the suite
moves a tracker's clock with libfaketime, docs/CONTRACT.md section 6), every pending timer fires at
once: a pong that is a millisecond away times out and a healthy stream is closed with 1011, so the
tracker reconnects and misses what the exchange sends meanwhile. Counting wake-ups of a one-second sleep
gives the same 20 s ping and 20 s pong limit in real time, and a jump, however long, is one wake-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from websockets.exceptions import ConnectionClosed

log = logging.getLogger(__name__)

TICK_S = 1.0
PING_EVERY_TICKS = 20   # websockets' default ping_interval, 20 s
PONG_WITHIN_TICKS = 20  # websockets' default ping_timeout, 20 s


class Pingable(Protocol):
    async def ping(self) -> Awaitable[float]: ...
    async def close(self, code: int = 1000, reason: str = "") -> None: ...


async def keep_alive(ws: Pingable, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Ping every PING_EVERY_TICKS ticks; close with 1011 when no pong came within PONG_WITHIN_TICKS ticks.

    Returns when the connection closes (or is closed here); cancel it when the stream ends first.
    """
    try:
        while True:
            for _ in range(PING_EVERY_TICKS):
                await sleep(TICK_S)
            pong = asyncio.ensure_future(await ws.ping())
            for _ in range(PONG_WITHIN_TICKS):
                await sleep(TICK_S)
                if pong.done():
                    break
            else:
                pong.cancel()
                log.warning("no pong from the exchange's stream within %d ticks of %g s: closing it",
                            PONG_WITHIN_TICKS, TICK_S)
                await ws.close(1011, "keepalive ping timeout")
                return
    except ConnectionClosed:
        return
