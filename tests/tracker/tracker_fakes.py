"""Fakes for the tracker's service-layer tests: a processor, an SSI server, a WebSocket, a server runner."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Self

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from tracker.core.processor import Channel, MalformedMessage
from tracker.main import TrackerServer, uvicorn_config
from tracker.settings import Settings
from tracker.stream import UpstreamState

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"


def make_settings(**overrides: Any) -> Settings:
    base = Settings(consumer_id="id", consumer_secret="secret",
                    base_url="http://127.0.0.1:9/", stream_url="http://127.0.0.1:9/")
    return replace(base, **overrides)


@dataclass
class FakeResult:
    changed: set[Channel] = field(default_factory=set)
    alerts: list[dict[str, Any]] = field(default_factory=list)


class FakeProcessor:
    """Counts trades per symbol; content {"bad": reason} raises MalformedMessage(reason)."""

    def __init__(self) -> None:
        self.volumes: dict[str, int] = {}
        self.vn30: list[str] = []
        self.reseeded: list[list[dict[str, Any]]] = []
        self.reset_checks = 0
        self.reset_next = False

    def set_vn30(self, symbols: list[str]) -> None:
        self.vn30 = list(symbols)

    def process_payload(self, payload: str) -> FakeResult:
        try:
            outer = json.loads(payload)
            content = json.loads(outer["Content"])
        except (ValueError, KeyError, TypeError):
            raise MalformedMessage("not_json") from None
        return self.process_content(content)

    def process_content(self, content: Mapping[str, Any]) -> FakeResult:
        if "bad" in content:
            raise MalformedMessage(str(content["bad"]))
        symbol = str(content.get("Symbol", "?"))
        self.volumes[symbol] = self.volumes.get(symbol, 0) + int(content.get("LastVol", 0))
        alerts = [{"alert_type": "volume_spike", "symbol": symbol}] if content.get("alert") else []
        return FakeResult({Channel.MARKET}, alerts)

    def reseed_foreign(self, rows: list[dict[str, Any]]) -> None:
        self.reseeded.append(rows)

    def check_daily_reset(self) -> bool:
        self.reset_checks += 1
        reset, self.reset_next = self.reset_next, False
        return reset

    def snapshot(self) -> dict[str, Any]:
        return {"quotes": dict(self.volumes), "prices": {}, "indices": {}, "foreign": None, "derivatives": None}

    def foreign_summary(self) -> dict[str, Any]:
        return {"total_net_value": 0}

    def foreign_detail(self) -> dict[str, Any]:
        return {"summary": self.foreign_summary(), "stocks": []}

    def indices(self) -> dict[str, Any]:
        return {}

    def volume_stats(self) -> dict[str, Any]:
        return {"stats": []}

    def basis_trend(self, minutes: int) -> list[dict[str, Any]]:
        return [{"minutes": minutes}]

    def alerts(self, limit: int = 50, alert_type: str | None = None, severity: str | None = None) -> list[Any]:
        return [{"limit": limit, "alert_type": alert_type, "severity": severity}]


class StubConsumer:
    """Stands in for UpstreamConsumer: no network, state set by the test."""

    def __init__(self, state: UpstreamState = UpstreamState.CONNECTED) -> None:
        self.state = state

    async def run(self) -> None:
        await asyncio.Event().wait()


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[TrackerServer]:
    """Serve a tracker app on 127.0.0.1:<free port> inside the running loop."""
    server = TrackerServer(uvicorn_config(app, port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped during startup")
        await asyncio.sleep(0.01)
    try:
        yield server
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 5)


def content_payload(content: Mapping[str, Any]) -> str:
    return json.dumps({"DataType": content.get("RType", "X"), "Content": json.dumps(content)})


class FakeSsi:
    """SSI FastConnect REST + SignalR 1.5, just enough of it, driven by the test."""

    def __init__(self, *, vn30: tuple[str, ...] = ("ACB", "VNM"), shape: str = "nested") -> None:
        self.credentials = ("id", "secret")
        self.vn30 = vn30
        self.shape = shape
        self.securities: list[dict[str, Any]] = [{"Symbol": "ACB", "FBuyVol": 10, "FSellVol": 5,
                                                  "FBuyVal": 1.0, "FSellVal": 0.5}]
        self.refuse_negotiate = False
        self.token_requests = 0
        self.negotiations: list[tuple[float, str, dict[str, str]]] = []
        self.connects: list[dict[str, str]] = []
        self.starts = 0
        self.invocations: list[dict[str, Any]] = []
        self.sockets: list[WebSocket] = []
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.app = Starlette(routes=[
            Route("/api/v2/Market/AccessToken", self._token, methods=["POST"]),
            Route("/api/v2/Market/IndexComponents", self._components),
            Route("/api/v2/Market/Securities", self._securities),
            Route("/v2.0/signalr/negotiate", self._negotiate, methods=["GET", "POST"]),
            Route("/v2.0/signalr/start", self._start),
            WebSocketRoute("/v2.0/signalr/connect", self._connect),
        ])

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/"

    async def __aenter__(self) -> Self:
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning",
                                                     lifespan="off", ws="websockets-sansio"))
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None and self._task is not None
        await self.drop()
        self._server.should_exit = True
        await asyncio.wait_for(self._task, 5)

    async def send_raw(self, frame: str) -> int:
        for ws in list(self.sockets):
            await ws.send_text(frame)
        return len(self.sockets)

    async def broadcast(self, content: Mapping[str, Any]) -> int:
        message = {"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": [content_payload(content)]}
        return await self.send_raw(json.dumps({"C": "d-1", "M": [message]}))

    async def drop(self) -> None:
        sockets, self.sockets = self.sockets, []
        for ws in sockets:
            if ws.application_state is WebSocketState.CONNECTED:
                await ws.close(1000)

    async def wait_connections(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.sockets) < count or len(self.invocations) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.sockets)} stream connections, wanted {count}")
            await asyncio.sleep(0.01)

    def _authorized(self, request: Request | WebSocket) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        body = await request.json()
        if (body.get("consumerID"), body.get("consumerSecret")) != self.credentials:
            return JSONResponse({"status": 400, "message": "Invalid consumer", "data": None})
        return JSONResponse({"status": 200, "message": "Success", "data": {"accessToken": TOKEN}})

    async def _components(self, request: Request) -> Response:
        if not self._authorized(request):
            return Response(status_code=401)
        rows = [{"Isin": f"VN{s}", "StockSymbol": s} for s in self.vn30]
        data = rows if self.shape == "flat" else [{"IndexCode": "VN30", "IndexComponent": rows}]
        return JSONResponse({"status": "Success", "message": "Success", "totalRecord": 1, "data": data})

    async def _securities(self, request: Request) -> Response:
        if not self._authorized(request):
            return Response(status_code=401)
        return JSONResponse({"status": "Success", "message": "Success",
                             "totalRecord": len(self.securities), "data": self.securities})

    async def _negotiate(self, request: Request) -> Response:
        self.negotiations.append((time.monotonic(), request.method, dict(request.query_params)))
        if not self._authorized(request):
            return Response(status_code=401)
        if self.refuse_negotiate:
            return Response(status_code=503)
        return JSONResponse({"Url": "/v2.0/signalr", "ConnectionToken": "tok+/=", "ConnectionId": "c1",
                             "KeepAliveTimeout": 20.0, "DisconnectTimeout": 30.0, "TryWebSockets": True,
                             "ProtocolVersion": "1.5", "TransportConnectTimeout": 5.0})

    async def _start(self, request: Request) -> Response:
        self.starts += 1
        return JSONResponse({"Response": "started"})

    async def _connect(self, ws: WebSocket) -> None:
        self.connects.append(dict(ws.query_params))
        if not self._authorized(ws) or ws.query_params.get("connectionToken") != "tok+/=":
            await ws.close(1008)
            return
        await ws.accept()
        await ws.send_text(json.dumps({"C": "s-0", "S": 1, "M": []}))
        self.sockets.append(ws)
        try:
            while True:
                invocation = json.loads(await ws.receive_text())
                self.invocations.append(invocation)
                await ws.send_text(json.dumps({"I": str(invocation.get("I"))}))
                await ws.send_text("{}")
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            if ws in self.sockets:
                self.sockets.remove(ws)


async def next_json(ws: Any, predicate: Any, timeout: float = 5.0) -> dict[str, Any]:
    """The next JSON message on a websockets client connection that satisfies `predicate`."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if predicate(message):
                return message  # type: ignore[no-any-return]
