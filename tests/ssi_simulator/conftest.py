"""Fixtures for the simulator's tests: a simulator on a background loop, the official SSI
client wired to it, and raw SignalR clients; each fixture leaves nothing behind."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import httpx
import pytest
from sim_helpers import (
    CONSUMER_ID,
    CONSUMER_SECRET,
    OfficialStream,
    RawStream,
    eventually,
)

from ssi_simulator.background import BackgroundSimulator


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Warnings are errors in these tests."""
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("error"))


@pytest.fixture
def sim() -> Iterator[BackgroundSimulator]:
    threads_before = set(threading.enumerate())
    background = BackgroundSimulator(consumer_id=CONSUMER_ID, consumer_secret=CONSUMER_SECRET, keepalive_s=0.5)
    with background:
        yield background
    assert background.leftover_tasks == 0, "the simulator left tasks running"
    eventually(lambda: not (set(threading.enumerate()) - threads_before), what="test threads to end")


@pytest.fixture
def control(sim: BackgroundSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=10.0) as client:
        yield client


@pytest.fixture
def ssi_config(sim: BackgroundSimulator) -> SimpleNamespace:
    """The config object the official ``ssi_fc_data`` client reads."""
    return SimpleNamespace(
        url=sim.base_url, stream_url=sim.base_url, auth_type="Bearer",
        consumerID=CONSUMER_ID, consumerSecret=CONSUMER_SECRET,
    )


@pytest.fixture
def official_stream(ssi_config: SimpleNamespace) -> Iterator[Callable[[str], OfficialStream]]:
    opened: list[OfficialStream] = []

    def open_stream(channels: str) -> OfficialStream:
        opened.append(OfficialStream(ssi_config, channels))
        return opened[-1]

    yield open_stream
    for stream in opened:
        stream.close()


@pytest.fixture
def raw_stream(sim: BackgroundSimulator) -> Iterator[Callable[..., RawStream]]:
    opened: list[RawStream] = []

    def open_stream(channels: str | None = None) -> RawStream:
        stream = RawStream(sim.base_url)
        opened.append(stream)
        if channels is not None:
            assert set(stream.invoke("SwitchChannels", channels)) == {"I"}
        return stream

    yield open_stream
    for stream in opened:
        stream.close()
