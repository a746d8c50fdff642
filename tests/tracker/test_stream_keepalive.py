"""The upstream ping counts wake-ups, so a clock jump (one wake-up) never times a pong out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from websockets.exceptions import ConnectionClosedOK
from websockets.frames import Close

from tracker.stream_keepalive import PING_EVERY_TICKS, PONG_WITHIN_TICKS, keep_alive


class FakeWs:
    """Answers each ping after `pong_after_ticks` ticks (None: never); records its close."""

    def __init__(self, ticks: list[int], pong_after_ticks: int | None) -> None:
        self.ticks = ticks
        self.pong_after_ticks = pong_after_ticks
        self.pings: list[tuple[int, asyncio.Future[float]]] = []
        self.closed: tuple[int, str] | None = None

    async def ping(self) -> Awaitable[float]:
        pong: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.pings.append((self.ticks[0], pong))
        return pong

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed = (code, reason)

    def answer_due(self) -> None:
        for sent_at, pong in self.pings:
            if self.pong_after_ticks is not None and not pong.done() and self.ticks[0] - sent_at >= self.pong_after_ticks:
                pong.set_result(0.001)


def ticking(ws: FakeWs, ticks: list[int], stop_after: int) -> Callable[[float], Awaitable[None]]:
    async def sleep(_seconds: float) -> None:
        ticks[0] += 1
        ws.answer_due()
        if ticks[0] >= stop_after:
            raise asyncio.CancelledError
        await asyncio.sleep(0)
    return sleep


@pytest.mark.asyncio
async def test_a_pong_that_comes_late_by_ticks_closes_the_stream_with_1011() -> None:
    ticks = [0]
    ws = FakeWs(ticks, pong_after_ticks=None)
    await keep_alive(ws, ticking(ws, ticks, stop_after=10_000))
    assert ws.closed == (1011, "keepalive ping timeout")
    assert ticks[0] == PING_EVERY_TICKS + PONG_WITHIN_TICKS


@pytest.mark.asyncio
async def test_a_pong_within_the_limit_keeps_the_stream_and_pings_go_on() -> None:
    ticks = [0]
    ws = FakeWs(ticks, pong_after_ticks=PONG_WITHIN_TICKS - 1)
    with pytest.raises(asyncio.CancelledError):
        await keep_alive(ws, ticking(ws, ticks, stop_after=5 * (PING_EVERY_TICKS + PONG_WITHIN_TICKS)))
    assert ws.closed is None
    assert len(ws.pings) >= 3


@pytest.mark.asyncio
async def test_a_closed_connection_ends_the_keepalive_quietly() -> None:
    class Closed(FakeWs):
        async def ping(self) -> Awaitable[float]:
            raise ConnectionClosedOK(Close(1000, "bye"), Close(1000, "bye"), rcvd_then_sent=True)

    ticks = [0]
    ws = Closed(ticks, pong_after_ticks=0)
    await keep_alive(ws, ticking(ws, ticks, stop_after=10_000))
    assert ws.closed is None and ticks[0] == PING_EVERY_TICKS
