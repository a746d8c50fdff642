"""Channels are throttled on the trailing edge; alerts are not; empty channels get nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from tracker.publisher import Publisher, dumps

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(10)]
WINDOW = 0.2


class LoopClock:
    """The running loop's clock, frozen at 0 and moved only by `advance`: timers fire when the test says."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.now = 0.0
        self._loop = loop

    def time(self) -> float:
        return self.now

    async def advance(self, seconds: float) -> None:
        """Move the clock on and return once every timer due by then has run (they come before this one)."""
        self.now += seconds
        passed = self._loop.create_future()
        self._loop.call_at(self.now, passed.set_result, None)
        await passed


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[], LoopClock]:
    """Call it inside the test, where the loop runs: the Publisher reads loop.time() and schedules call_at()."""
    def freeze() -> LoopClock:
        loop = asyncio.get_running_loop()
        frozen = LoopClock(loop)
        monkeypatch.setattr(loop, "time", frozen.time)
        return frozen
    return freeze


class FakeHub:
    def __init__(self, clients: dict[str, int]) -> None:
        self.clients = clients
        self.sent: list[tuple[str, str]] = []

    def client_count(self, channel: str) -> int:
        return self.clients.get(channel, 0)

    def broadcast(self, channel: str, text: str) -> int:
        self.sent.append((channel, text))
        return self.clients.get(channel, 0)

    def payloads(self) -> list[object]:
        return [json.loads(text) for _, text in self.sent]


def _publisher(hub: FakeHub, state: dict[str, int]) -> Publisher:
    return Publisher(hub, WINDOW, {"market": lambda: dict(state), "foreign": lambda: {"f": 1}})


async def test_burst_sends_one_at_once_and_one_trailing_with_the_latest_state(clock: Callable[[], LoopClock]) -> None:
    loop_clock = clock()
    hub, state = FakeHub({"market": 1}), {"v": 0}
    publisher = _publisher(hub, state)
    for value in range(1, 11):
        state["v"] = value
        publisher.notify("market")
    assert hub.payloads() == [{"v": 1}]
    await loop_clock.advance(WINDOW * 0.9)
    assert hub.payloads() == [{"v": 1}]  # nothing more inside the window ...
    await loop_clock.advance(WINDOW * 0.2)
    assert hub.payloads() == [{"v": 1}, {"v": 10}]  # ... and the latest state once it has passed
    publisher.close()


async def test_first_change_after_a_quiet_window_goes_out_at_once(clock: Callable[[], LoopClock]) -> None:
    loop_clock = clock()
    hub, state = FakeHub({"market": 1}), {"v": 0}
    publisher = _publisher(hub, state)
    publisher.notify("market")
    await loop_clock.advance(WINDOW)
    state["v"] = 2
    publisher.notify("market")
    assert hub.payloads() == [{"v": 0}, {"v": 2}]
    publisher.close()


async def test_channels_are_throttled_independently() -> None:
    hub = FakeHub({"market": 1, "foreign": 1})
    publisher = _publisher(hub, {"v": 0})
    publisher.notify("market")
    publisher.notify("foreign")
    assert [channel for channel, _ in hub.sent] == ["market", "foreign"]
    publisher.close()


async def test_no_clients_nothing_sent(clock: Callable[[], LoopClock]) -> None:
    loop_clock = clock()
    hub = FakeHub({})
    publisher = _publisher(hub, {"v": 0})
    for _ in range(5):
        publisher.notify("market")
    publisher.publish_alert({"id": 1})
    await loop_clock.advance(WINDOW * 1.5)
    assert hub.sent == []


async def test_alerts_are_never_throttled() -> None:
    hub = FakeHub({"alerts": 2})
    publisher = _publisher(hub, {})
    for n in range(3):
        publisher.publish_alert({"id": n})
    assert hub.payloads() == [{"id": 0}, {"id": 1}, {"id": 2}]


async def test_close_cancels_a_pending_trailing_message(clock: Callable[[], LoopClock]) -> None:
    loop_clock = clock()
    hub = FakeHub({"market": 1})
    publisher = _publisher(hub, {"v": 0})
    publisher.notify("market")
    publisher.notify("market")
    publisher.close()
    await loop_clock.advance(WINDOW * 1.5)
    assert len(hub.sent) == 1


async def test_dumps_handles_datetimes_and_enums() -> None:
    import datetime as dt
    import enum

    class Colour(enum.Enum):
        RED = "red"

    moment = dt.datetime(2026, 1, 2, 9, 15, tzinfo=dt.UTC)
    assert json.loads(dumps({"t": moment, "c": Colour.RED})) == {"t": moment.isoformat(), "c": "red"}
