"""SimulatorServer's lifecycle in the caller's event loop."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest
import websockets
from sim_helpers import CONSUMER_ID, CONSUMER_SECRET, HUB_DATA

from ssi_simulator import SimulatorServer


@pytest.mark.asyncio
async def test_start_and_stop_are_fast_and_leave_nothing() -> None:
    tasks_before = asyncio.all_tasks()
    started = time.perf_counter()
    sim = SimulatorServer()
    await sim.start()
    assert time.perf_counter() - started < 0.5
    assert sim.base_url == f"http://127.0.0.1:{sim.port}/"
    async with httpx.AsyncClient() as client:
        assert (await client.get(sim.base_url + "control/state")).status_code == 200
    started = time.perf_counter()
    await sim.stop()
    assert time.perf_counter() - started < 0.5
    assert asyncio.all_tasks() == tasks_before
    with pytest.raises(httpx.ConnectError):
        await httpx.AsyncClient().get(sim.base_url + "control/state")


@pytest.mark.asyncio
async def test_stop_closes_open_streams_first() -> None:
    async with SimulatorServer(consumer_id=CONSUMER_ID, consumer_secret=CONSUMER_SECRET) as sim:
        async with httpx.AsyncClient(base_url=sim.base_url) as client:
            body = {"consumerID": CONSUMER_ID, "consumerSecret": CONSUMER_SECRET}
            token = (await client.post("api/v2/Market/AccessToken", json=body)).json()["data"]["accessToken"]
            neg = (await client.get("v2.0/signalr/negotiate", headers={"Authorization": f"Bearer {token}"})).json()
        url = httpx.URL(sim.base_url.replace("http", "ws", 1) + "v2.0/signalr/connect").copy_merge_params(
            {"transport": "webSockets", "connectionToken": neg["ConnectionToken"], "connectionData": HUB_DATA}
        )
        ws = await websockets.connect(str(url))
        assert json.loads(await ws.recv())["S"] == 1
        started = time.perf_counter()
    assert time.perf_counter() - started < 1.0
    with pytest.raises(websockets.ConnectionClosed):
        await ws.recv()
    assert ws.close_code == 1001
    await ws.close()


@pytest.mark.asyncio
async def test_a_busy_port_is_an_os_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        sim = SimulatorServer(port=taken.getsockname()[1])
        with pytest.raises(OSError, match="cannot listen"):
            await sim.start()
        await sim.stop()
