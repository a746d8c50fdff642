"""End to end with the real core: fake SSI stream -> tracker -> REST and /ws/market; drop and return."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from tracker_fakes import FakeSsi, make_settings, next_json, serve
from websockets.asyncio.client import connect

from tracker.main import create_app

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(20)]


async def _until(check: Any, timeout: float = 5.0) -> Any:
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(0.02)
    return result


async def test_frames_reach_rest_and_websocket_and_a_drop_is_announced() -> None:
    async with FakeSsi(vn30=("ACB", "VNM")) as ssi:
        settings = make_settings(base_url=ssi.url, stream_url=ssi.url, ws_throttle_interval_ms=100,
                                 reconnect_initial_s=0.05)
        async with serve(create_app(settings)) as server, httpx.AsyncClient(base_url=server.url) as http:
            async def connected() -> bool:
                return bool((await http.get("/health")).json()["upstream_connected"])
            await _until(connected)
            await ssi.wait_connections(1)
            assert (await http.get("/api/vn30-components")).json() == {"symbols": ["ACB", "VNM"]}

            async with connect(f"ws://127.0.0.1:{server.port}/ws/market") as ws:
                await asyncio.sleep(0.05)
                await ssi.broadcast({"RType": "Quote", "Symbol": "ACB", "BidPrice1": 24.9, "AskPrice1": 25.0,
                                     "RefPrice": 24.5, "Ceiling": 26.2, "Floor": 22.8, "TradingSession": "LO"})
                await ssi.broadcast({"RType": "Trade", "Symbol": "ACB", "LastPrice": 25.0, "LastVol": 1000,
                                     "TradingSession": "LO"})
                await ssi.broadcast({"RType": "Trade", "Symbol": "NOTWATCHED", "LastPrice": 1.0, "LastVol": 5})
                await ssi.send_raw(json.dumps({"C": "x", "M": [
                    {"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": ["{not json"]}]}))

                snapshot = await next_json(ws, lambda m: "ACB" in m.get("quotes", {}))
                assert snapshot["quotes"]["ACB"]["mua_chu_dong_volume"] == 1000

                async def rest_has_trade() -> dict[str, Any] | None:
                    body = (await http.get("/api/market/snapshot")).json()
                    return body if "ACB" in body["quotes"] else None
                body = await _until(rest_has_trade)
                assert body["quotes"]["ACB"]["total_volume"] == 1000 and "NOTWATCHED" not in body["quotes"]
                metrics = (await http.get("/metrics")).text
                assert 'tracker_frames_rejected_total{reason="not_json"} 1.0' in metrics
                assert "tracker_upstream_connected 1.0" in metrics

                await ssi.drop()
                assert await next_json(ws, lambda m: m.get("type") == "status") == {
                    "type": "status", "connected": False}
                assert await next_json(ws, lambda m: m.get("type") == "status") == {
                    "type": "status", "connected": True}
                assert ssi.token_requests == 2  # re-authenticated for the reconnect
