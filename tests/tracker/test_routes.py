"""REST routes: shapes delegated to the processor, 422 on bad queries, /metrics, test control."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from tracker_fakes import FakeProcessor, StubConsumer, content_payload, make_settings

from tracker.core.clock import Clock
from tracker.main import create_app

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(10)]


def _app(**overrides: Any) -> Any:
    return create_app(make_settings(**overrides), clock=Clock(dt.datetime(2026, 1, 5, 10, 0)),
                      processor=FakeProcessor(),  # type: ignore[arg-type]
                      consumer_factory=lambda service: StubConsumer())  # type: ignore[arg-type,return-value]


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tracker")


async def test_health_components_and_views() -> None:
    app = _app()
    app.state.service.load_vn30(["ACB", "VNM"])
    app.state.service.ingest_content({"RType": "Trade", "Symbol": "ACB", "LastVol": 7})
    async with _client(app) as client:
        health = (await client.get("/health")).json()
        assert health["status"] == "ok" and health["upstream_connected"] is True
        assert (await client.get("/api/vn30-components")).json() == {"symbols": ["ACB", "VNM"]}
        assert (await client.get("/api/market/snapshot")).json()["quotes"] == {"ACB": 7}
        assert (await client.get("/api/market/foreign-detail")).json()["stocks"] == []
        assert (await client.get("/api/market/volume-stats")).json() == {"stats": []}
        assert (await client.get("/api/market/basis-trend")).json() == [{"minutes": 30}]
        assert (await client.get("/api/market/basis-trend?minutes=120")).json() == [{"minutes": 120}]
        assert (await client.get("/api/market/alerts")).json() == [
            {"limit": 50, "alert_type": None, "severity": None}]
        assert (await client.get("/api/market/alerts?limit=200&type=price_breakout&severity=critical")).json() == [
            {"limit": 200, "alert_type": "price_breakout", "severity": "critical"}]


@pytest.mark.parametrize("query", [
    "/api/market/basis-trend?minutes=0", "/api/market/basis-trend?minutes=121",
    "/api/market/basis-trend?minutes=abc", "/api/market/alerts?limit=0", "/api/market/alerts?limit=201",
    "/api/market/alerts?type=flood", "/api/market/alerts?severity=fatal",
])
async def test_bad_query_parameters_are_422_with_detail(query: str) -> None:
    async with _client(_app()) as client:
        response = await client.get(query)
    assert response.status_code == 422 and response.json()["detail"]


async def test_malformed_frames_are_counted_by_reason_in_metrics() -> None:
    app = _app()
    service = app.state.service
    assert service.ingest_payload("not json") is None
    assert service.ingest_content({"bad": "negative_volume"}) is None
    assert service.ingest_content({"bad": "negative_volume"}) is None
    assert service.ingest_payload(content_payload({"RType": "Trade", "Symbol": "ACB", "LastVol": 1})) is not None
    async with _client(app) as client:
        text = (await client.get("/metrics")).text
    assert "tracker_frames_received_total 4.0" in text
    assert 'tracker_frames_rejected_total{reason="not_json"} 1.0' in text
    assert 'tracker_frames_rejected_total{reason="negative_volume"} 2.0' in text
    assert "tracker_upstream_connected" in text and 'tracker_ws_connections{channel="market"} 0.0' in text


async def test_each_app_has_its_own_metrics_registry() -> None:
    first, second = _app(), _app()
    first.state.service.ingest_content({"bad": "x"})
    async with _client(second) as client:
        assert 'reason="x"' not in (await client.get("/metrics")).text


async def test_test_control_routes_do_not_exist_unless_enabled() -> None:
    async with _client(_app()) as client:
        assert (await client.get("/__test__/clock")).status_code == 404
        assert (await client.post("/__test__/clock", json={"advance_seconds": 1})).status_code == 404


async def test_test_control_moves_the_clock_and_checks_the_daily_reset() -> None:
    app = _app(test_control=True)
    processor: FakeProcessor = app.state.service.processor
    async with _client(app) as client:
        assert (await client.get("/__test__/clock")).json() == {"now": "2026-01-05T10:00:00+07:00"}
        moved = await client.post("/__test__/clock", json={"advance_seconds": 90})
        assert moved.json() == {"now": "2026-01-05T10:01:30+07:00"} and processor.reset_checks == 1
        moved = await client.post("/__test__/clock", json={"set": "2026-01-05T15:06:00+07:00"})
        assert moved.json() == {"now": "2026-01-05T15:06:00+07:00"} and processor.reset_checks == 2
        naive = await client.post("/__test__/clock", json={"set": "2026-01-06T09:00:00"})
        assert naive.json() == {"now": "2026-01-06T09:00:00+07:00"}
        for bad in ({}, {"advance_seconds": 1, "set": "2026-01-01T00:00:00"}, {"set": "yesterday"},
                    {"advance_seconds": "x"}):
            response = await client.post("/__test__/clock", json=bad)
            assert response.status_code == 422 and response.json()["detail"], bad
