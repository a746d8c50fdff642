"""Channels are throttled on the trailing edge; alerts are not; empty channels get nothing."""

from __future__ import annotations

import asyncio
import json

import pytest

from tracker.publisher import Publisher, dumps

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(10)]
WINDOW = 0.2


class FakeHub:
    def __init__(self, clients: dict[str, int]) -> None:
        self.clients = clients
        self.sent: list[tuple[str, str, float]] = []

    def client_count(self, channel: str) -> int:
        return self.clients.get(channel, 0)

    def broadcast(self, channel: str, text: str) -> int:
        self.sent.append((channel, text, asyncio.get_running_loop().time()))
        return self.clients.get(channel, 0)


def _publisher(hub: FakeHub, state: dict[str, int]) -> Publisher:
    return Publisher(hub, WINDOW, {"market": lambda: dict(state), "foreign": lambda: {"f": 1}})


async def test_burst_sends_one_at_once_and_one_trailing_with_the_latest_state() -> None:
    hub, state = FakeHub({"market": 1}), {"v": 0}
    publisher = _publisher(hub, state)
    start = asyncio.get_running_loop().time()
    for value in range(1, 11):
        state["v"] = value
        publisher.notify("market")
    assert [json.loads(text) for _, text, _ in hub.sent] == [{"v": 1}]
    await asyncio.sleep(WINDOW * 1.5)
    assert [json.loads(text) for _, text, _ in hub.sent] == [{"v": 1}, {"v": 10}]
    assert hub.sent[1][2] - start == pytest.approx(WINDOW, abs=0.05)
    publisher.close()


async def test_first_change_after_a_quiet_window_goes_out_at_once() -> None:
    hub, state = FakeHub({"market": 1}), {"v": 0}
    publisher = _publisher(hub, state)
    publisher.notify("market")
    await asyncio.sleep(WINDOW * 1.2)
    state["v"] = 2
    publisher.notify("market")
    assert [json.loads(text) for _, text, _ in hub.sent] == [{"v": 0}, {"v": 2}]
    publisher.close()


async def test_channels_are_throttled_independently() -> None:
    hub = FakeHub({"market": 1, "foreign": 1})
    publisher = _publisher(hub, {"v": 0})
    publisher.notify("market")
    publisher.notify("foreign")
    assert [channel for channel, _, _ in hub.sent] == ["market", "foreign"]
    publisher.close()


async def test_no_clients_nothing_sent() -> None:
    hub = FakeHub({})
    publisher = _publisher(hub, {"v": 0})
    for _ in range(5):
        publisher.notify("market")
    publisher.publish_alert({"id": 1})
    await asyncio.sleep(WINDOW * 1.5)
    assert hub.sent == []


async def test_alerts_are_never_throttled() -> None:
    hub = FakeHub({"alerts": 2})
    publisher = _publisher(hub, {})
    for n in range(3):
        publisher.publish_alert({"id": n})
    assert [json.loads(text) for _, text, _ in hub.sent] == [{"id": 0}, {"id": 1}, {"id": 2}]


async def test_close_cancels_a_pending_trailing_message() -> None:
    hub = FakeHub({"market": 1})
    publisher = _publisher(hub, {"v": 0})
    publisher.notify("market")
    publisher.notify("market")
    publisher.close()
    await asyncio.sleep(WINDOW * 1.5)
    assert len(hub.sent) == 1


async def test_dumps_handles_datetimes_and_enums() -> None:
    import datetime as dt
    import enum

    class Colour(enum.Enum):
        RED = "red"

    moment = dt.datetime(2026, 1, 2, 9, 15, tzinfo=dt.UTC)
    assert json.loads(dumps({"t": moment, "c": Colour.RED})) == {"t": moment.isoformat(), "c": "red"}
