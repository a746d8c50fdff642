"""The upstream consumer feeds the sink, announces loss and return, backs off and re-seeds."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from tracker_fakes import FakeSsi, make_settings

from tracker.stream import YIELD_AFTER_S, UpstreamConsumer, UpstreamState, backoff

pytestmark = pytest.mark.timeout(10)


class RecordingSink:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.changed = asyncio.Event()

    def load_vn30(self, symbols: list[str]) -> None:
        self._add("vn30", symbols)

    def ingest_payload(self, payload: str) -> object:
        self._add("payload", payload)
        return None

    def upstream_connected(self, securities: list[dict[str, Any]] | None) -> None:
        self._add("connected", securities)

    def upstream_lost(self) -> None:
        self._add("lost", None)

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.events]

    def _add(self, kind: str, value: Any) -> None:
        self.events.append((kind, value))
        self.changed.set()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


class RecordingSleep:
    """Injected sleep: records the backoff delays, waits only a tick."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0.01)


def test_backoff_doubles_from_2_to_60() -> None:
    assert list(itertools.islice(backoff(), 8)) == [2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.asyncio
async def test_feeds_payloads_then_reconnects_reauthenticated_and_reseeded() -> None:
    sink, sleep = RecordingSink(), RecordingSleep()
    async with FakeSsi(vn30=("ACB", "FPT")) as ssi:
        consumer = UpstreamConsumer(make_settings(base_url=ssi.url, stream_url=ssi.url), sink, sleep=sleep)
        task = asyncio.create_task(consumer.run())
        try:
            await sink.wait_for(lambda: "connected" in sink.kinds())
            assert consumer.state is UpstreamState.CONNECTED
            assert sink.events[:2] == [("vn30", ["ACB", "FPT"]), ("connected", None)]  # no re-seed at first
            await ssi.wait_connections(1)
            await ssi.broadcast({"RType": "Trade", "Symbol": "ACB", "LastVol": 5})
            await sink.wait_for(lambda: "payload" in sink.kinds())

            await ssi.drop()
            await sink.wait_for(lambda: sink.kinds().count("connected") == 2)
            lost_at = sink.kinds().index("lost")
            assert sink.kinds()[lost_at:] == ["lost", "vn30", "connected"]
            assert sink.events[-1] == ("connected", ssi.securities)  # re-seeded after the reconnect
            assert sleep.delays == [2.0]
            assert ssi.token_requests == 2 and len(ssi.negotiations) == 2
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        assert consumer.state is UpstreamState.STOPPED


@pytest.mark.asyncio
async def test_failed_attempts_back_off_exponentially_and_reset_after_success() -> None:
    sink, sleep = RecordingSink(), RecordingSleep()
    async with FakeSsi() as ssi:
        ssi.refuse_negotiate = True
        consumer = UpstreamConsumer(make_settings(base_url=ssi.url, stream_url=ssi.url), sink, sleep=sleep)
        task = asyncio.create_task(consumer.run())
        try:
            async with asyncio.timeout(5):
                while len(sleep.delays) < 7:
                    await asyncio.sleep(0.01)
            assert sleep.delays[:7] == [2, 4, 8, 16, 32, 60, 60]
            assert consumer.state is UpstreamState.CONNECTING
            assert "lost" not in sink.kinds()  # never connected, so nothing to announce as lost
            ssi.refuse_negotiate = False
            await sink.wait_for(lambda: "connected" in sink.kinds())
            assert ssi.token_requests == len(ssi.negotiations)  # re-authenticated before every attempt
            sleep.delays.clear()
            await ssi.drop()
            await sink.wait_for(lambda: sink.kinds().count("connected") == 2)
            assert sleep.delays == [2.0]
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


@pytest.mark.asyncio
async def test_wrong_credentials_keep_retrying_without_raising() -> None:
    sink, sleep = RecordingSink(), RecordingSleep()
    async with FakeSsi() as ssi:
        consumer = UpstreamConsumer(make_settings(base_url=ssi.url, stream_url=ssi.url, consumer_secret="no"),
                                    sink, sleep=sleep)
        task = asyncio.create_task(consumer.run())
        try:
            async with asyncio.timeout(5):
                while ssi.token_requests < 3:
                    await asyncio.sleep(0.01)
            assert not task.done() and ssi.negotiations == []
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


class SlowSink(RecordingSink):
    """Each payload takes 0.1 ms of CPU, as a real message roughly does."""

    def __init__(self, turns: list[int]) -> None:
        super().__init__()
        self.turns = turns
        self.turns_at_payload: list[int] = []

    def ingest_payload(self, payload: str) -> object:
        end = time.perf_counter() + 0.0001
        while time.perf_counter() < end:
            pass
        self.turns_at_payload.append(self.turns[0])
        return super().ingest_payload(payload)


@pytest.mark.asyncio
async def test_a_burst_of_payloads_lets_the_loop_run_in_between() -> None:
    turns = [0]
    sink = SlowSink(turns)
    async with FakeSsi(vn30=("ACB",)) as ssi:
        consumer = UpstreamConsumer(make_settings(base_url=ssi.url, stream_url=ssi.url), sink, sleep=RecordingSleep())
        task = asyncio.create_task(consumer.run())

        async def other_work() -> None:
            while True:
                await asyncio.sleep(0)
                turns[0] += 1

        ticker = asyncio.create_task(other_work())
        try:
            await ssi.wait_connections(1)
            message = {"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": ["{}"]}
            await ssi.send_raw(json.dumps({"C": "d-1", "M": [message] * 200}))  # 200 payloads in one frame: 20 ms
            await sink.wait_for(lambda: sink.kinds().count("payload") == 200)
            during = sink.turns_at_payload
            # the rest of the loop ran while the burst was processed: at least once every ~YIELD_AFTER_S of work
            assert during[-1] - during[0] >= 200 * 0.0001 / YIELD_AFTER_S / 2, during
        finally:
            ticker.cancel()
            task.cancel()
            await asyncio.gather(task, ticker, return_exceptions=True)


@pytest.mark.asyncio
async def test_each_delay_runs_from_the_start_of_its_attempt() -> None:
    """What an attempt takes counts towards its delay: here the tracker's clock reads half a second per
    token request, so every refused attempt took 0.5 s and the waits are 0.5 s short of 2, 4, 8."""
    sink, sleep = RecordingSink(), RecordingSleep()
    async with FakeSsi() as ssi:
        ssi.refuse_negotiate = True
        consumer = UpstreamConsumer(make_settings(base_url=ssi.url, stream_url=ssi.url), sink, sleep=sleep,
                                    now=lambda: ssi.token_requests * 0.5)
        task = asyncio.create_task(consumer.run())
        try:
            async with asyncio.timeout(5):
                while len(sleep.delays) < 3:
                    await asyncio.sleep(0.01)
            assert sleep.delays[:3] == [1.5, 3.5, 7.5]
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
