"""End to end against the SSI simulator: control-API frames reach REST and /ws/market; drop and return."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from tracker_fakes import make_settings, next_json, serve
from websockets.asyncio.client import connect

from tracker.main import create_app

simulator = pytest.importorskip("ssi_simulator.server", reason="ssi_simulator not written yet")
frames = pytest.importorskip("ssi_simulator.frames")

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(30)]


async def _wait_connected(http: httpx.AsyncClient, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not (await http.get("/health")).json()["upstream_connected"]:
            await asyncio.sleep(0.02)


async def test_simulator_frames_reach_rest_and_websocket_and_a_drop_is_announced() -> None:
    async with simulator.SimulatorServer(host="127.0.0.1", port=0, consumer_id="vn30-consumer",
                                         consumer_secret="vn30-secret") as sim:
        settings = make_settings(consumer_id="vn30-consumer", consumer_secret="vn30-secret",
                                 base_url=sim.base_url, stream_url=sim.base_url,
                                 ws_throttle_interval_ms=100, reconnect_initial_s=0.1)
        async with (serve(create_app(settings)) as server, httpx.AsyncClient(base_url=server.url) as http,
                    httpx.AsyncClient(base_url=sim.base_url) as control):
            await _wait_connected(http)
            symbols = (await http.get("/api/vn30-components")).json()["symbols"]
            assert len(symbols) == 30 and "ACB" in symbols
            async with connect(f"ws://127.0.0.1:{server.port}/ws/market") as ws:
                await asyncio.sleep(0.05)
                sent = await control.post("/control/frames", json={"frames": [
                    frames.quote("ACB", bid1=24.9, ask1=25.0, ref=24.5, ceiling=26.2, floor=22.8),
                    frames.trade("ACB", 25.0, 1000),
                ]})
                assert sent.json()["delivered"] >= 1
                snapshot = await next_json(ws, lambda m: m.get("quotes", {}).get("ACB", {}).get("total_volume"))
                assert snapshot["quotes"]["ACB"]["mua_chu_dong_volume"] == 1000
                rest = (await http.get("/api/market/snapshot")).json()
                assert rest["quotes"]["ACB"]["total_volume"] == 1000

                await control.post("/control/drop", json={"refuse_for_s": 0})
                assert await next_json(ws, lambda m: m.get("type") == "status") == {
                    "type": "status", "connected": False}
                assert await next_json(ws, lambda m: m.get("type") == "status") == {
                    "type": "status", "connected": True}
            state = (await control.get("/control/state")).json()
            assert len(state["negotiations"]) == 2 and state["token_requests"] >= 2
            assert state["connections"][0]["channels"] == ["X:ALL", "R:ALL", "MI:ALL", "B:ALL"]


async def test_the_reconnect_backoff_waits_on_the_held_test_clock_not_in_real_time() -> None:
    """[test-clock]: with the clock held, real time does not end the 2 s backoff; a move past it does."""
    async with simulator.SimulatorServer(host="127.0.0.1", port=0, consumer_id="vn30-consumer",
                                         consumer_secret="vn30-secret") as sim:
        settings = make_settings(consumer_id="vn30-consumer", consumer_secret="vn30-secret",
                                 base_url=sim.base_url, stream_url=sim.base_url, test_control=True)
        async with (serve(create_app(settings)) as server, httpx.AsyncClient(base_url=server.url) as http,
                    httpx.AsyncClient(base_url=sim.base_url) as control):
            await _wait_connected(http)
            await http.post("/__test__/clock", json={"advance_seconds": 0})  # held from here on
            async with connect(f"ws://127.0.0.1:{server.port}/ws/market") as ws:
                await control.post("/control/drop", json={"refuse_for_s": 0})
                assert await next_json(ws, lambda m: m.get("type") == "status") == {
                    "type": "status", "connected": False}
                await http.post("/__test__/clock", json={"advance_seconds": 1.9})
                with pytest.raises(TimeoutError):  # 2.5 s of real time: the held clock is still short of 2 s
                    await next_json(ws, lambda m: m.get("type") == "status", timeout=2.5)
                assert len((await control.get("/control/state")).json()["negotiations"]) == 1
                await http.post("/__test__/clock", json={"advance_seconds": 0.2})
                assert await next_json(ws, lambda m: m.get("type") == "status", timeout=2.0) == {
                    "type": "status", "connected": True}
