"""Clients: auth and per-IP limit (1008), drop-oldest queues, no head-of-line blocking, ping, 1001."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
import websockets
from tracker_fakes import FakeProcessor, StubConsumer, make_settings, serve
from websockets.asyncio.client import ClientConnection, connect
from websockets.frames import Frame, Opcode
from websockets.protocol import State

from tracker.connections import Client, ConnectionHub, status_message
from tracker.main import create_app
from tracker.metrics import Metrics
from tracker.stream import UpstreamState

pytestmark = pytest.mark.timeout(10)


def _app(upstream: UpstreamState = UpstreamState.CONNECTED, **overrides: Any) -> Any:
    return create_app(make_settings(**overrides), processor=FakeProcessor(),  # type: ignore[arg-type]
                      consumer_factory=lambda service: StubConsumer(upstream))  # type: ignore[arg-type,return-value]


def _ws(server: Any, channel: str = "market", query: str = "") -> str:
    return f"ws://127.0.0.1:{server.port}/ws/{channel}{query}"


async def _close_code(ws: ClientConnection) -> int | None:
    with pytest.raises(websockets.ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 2)
    return ws.close_code


class Changes:
    """An event for each change of some state, so a test awaits the state it needs (never a sleep)."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    async def until(self, predicate: Callable[[], bool], timeout: float = 2.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()


class HubWatch(Changes):
    """Counts the clients the server's hub registers and releases (wraps its two bookkeeping methods)."""

    def __init__(self, hub: ConnectionHub) -> None:
        super().__init__()
        self.registered = self.released = 0
        register, release = hub._register, hub._release

        def on_register(client: Client) -> None:
            register(client)
            self.registered += 1
            self.changed()

        async def on_release(client: Client) -> None:
            await release(client)
            self.released += 1
            self.changed()

        hub._register, hub._release = on_register, on_release  # type: ignore[method-assign]


def _watch(app: Any) -> HubWatch:
    return HubWatch(app.state.service.hub)


class FakeSocket(Changes):
    """Records what is sent; a blocked one takes a text (`attempted`) and holds it until `gate` is set."""

    def __init__(self, *, blocked: bool = False) -> None:
        super().__init__()
        self.attempted: list[str] = []
        self.sent: list[str] = []
        self.gate = asyncio.Event()
        if not blocked:
            self.gate.set()

    async def send_text(self, text: str) -> None:
        self.attempted.append(text)
        self.changed()
        await self.gate.wait()
        self.sent.append(text)
        self.changed()


def test_full_queue_drops_the_oldest() -> None:
    client = Client(FakeSocket(), "market", "1.2.3.4", queue_size=3)  # type: ignore[arg-type]
    for n in range(5):
        client.push(str(n))
    assert list(client.queue) == ["2", "3", "4"] and client.dropped == 2


@pytest.mark.asyncio
async def test_slow_client_never_delays_the_others() -> None:
    hub = ConnectionHub(make_settings(ws_queue_size=2), Metrics(), lambda: True)
    slow_socket, fast_socket = FakeSocket(blocked=True), FakeSocket()
    slow = Client(slow_socket, "market", "a", 2)  # type: ignore[arg-type]
    fast = Client(fast_socket, "market", "b", 2)  # type: ignore[arg-type]
    for client in (slow, fast):
        hub._register(client)
        client.sender = asyncio.create_task(client.drain(lambda channel: None))
    try:
        hub.broadcast("market", "0")
        await slow_socket.until(lambda: slow_socket.attempted == ["0"])  # the slow one is stuck sending "0"
        for n in range(1, 5):
            hub.broadcast("market", str(n))
            await fast_socket.until(lambda count=n + 1: len(fast_socket.sent) == count)  # at once, each
        assert fast_socket.sent == ["0", "1", "2", "3", "4"]
        assert slow_socket.sent == [] and list(slow.queue) == ["3", "4"]  # stuck on "0", kept the newest
        slow_socket.gate.set()
        await slow_socket.until(lambda: len(slow_socket.sent) == 3)
        assert slow_socket.sent == ["0", "3", "4"]
    finally:
        for client in (slow, fast):
            await hub._release(client)


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["", "?token=wrong"])
async def test_missing_or_wrong_token_is_closed_with_1008(query: str) -> None:
    app = _app(ws_auth_token="s3cret")
    watch = _watch(app)
    async with serve(app) as server:
        async with connect(_ws(server, "market", query)) as ws:
            assert await _close_code(ws) == 1008
        assert watch.registered == 0
        async with connect(_ws(server, "alerts", "?token=s3cret")):
            await watch.until(lambda: watch.registered == 1)  # the right token is accepted as a client


@pytest.mark.asyncio
async def test_more_than_the_per_ip_limit_is_closed_with_1008() -> None:
    app = _app(ws_max_connections_per_ip=2)
    watch = _watch(app)
    async with serve(app) as server:
        first = await connect(_ws(server, "market"))
        second = await connect(_ws(server, "index"))
        try:
            await watch.until(lambda: watch.registered == 2)
            async with connect(_ws(server, "alerts")) as third:
                assert await _close_code(third) == 1008
            assert watch.registered == 2
            await first.close()
            await watch.until(lambda: watch.released == 1)
            async with connect(_ws(server, "alerts")) as fourth:  # a slot is free again
                await watch.until(lambda: watch.registered == 3)
                assert fourth.state is State.OPEN
        finally:
            await first.close()
            await second.close()


@pytest.mark.asyncio
async def test_client_connecting_during_an_outage_gets_status_false_first() -> None:
    app = _app(UpstreamState.RECONNECTING)
    async with serve(app) as server, connect(_ws(server, "foreign")) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), 2)) == {"type": "status", "connected": False}
        app.state.service.upstream_connected(None)
        assert json.loads(await asyncio.wait_for(ws.recv(), 2)) == {"type": "status", "connected": True}


@pytest.mark.asyncio
async def test_status_goes_to_every_client_of_every_channel() -> None:
    app = _app()
    watch = _watch(app)
    async with serve(app) as server:
        sockets = [await connect(_ws(server, channel)) for channel in ("market", "foreign", "index", "alerts")]
        try:
            await watch.until(lambda: watch.registered == 4)
            app.state.service.upstream_lost()
            for ws in sockets:
                assert await asyncio.wait_for(ws.recv(), 2) == status_message(False)
        finally:
            for ws in sockets:
                await ws.close()


@pytest.mark.asyncio
async def test_shutdown_closes_every_client_with_1001_quickly() -> None:
    loop = asyncio.get_running_loop()
    async with serve(_app()) as server:
        sockets = [await connect(_ws(server, channel)) for channel in ("market", "alerts")]
        started = loop.time()
    assert loop.time() - started < 1.0
    for ws in sockets:
        assert await _close_code(ws) == 1001


class PingCounter(ClientConnection):
    """A client connection that notes the loop time of every ping it receives."""

    pings: ClassVar[list[float]] = []
    changes: ClassVar[Changes]

    def process_event(self, event: Any) -> None:
        if isinstance(event, Frame) and event.opcode is Opcode.PING:
            PingCounter.pings.append(asyncio.get_running_loop().time())
            PingCounter.changes.changed()
        super().process_event(event)


@pytest.mark.asyncio
async def test_heartbeat_pings_every_interval() -> None:
    interval = 0.1
    PingCounter.pings, PingCounter.changes = [], Changes()
    async with serve(_app(ws_heartbeat_interval=interval)) as server:
        connecting = asyncio.get_running_loop().time()
        async with connect(_ws(server), create_connection=PingCounter):
            await PingCounter.changes.until(lambda: len(PingCounter.pings) >= 3)  # pings come ...
    assert PingCounter.pings[2] - connecting >= 2.5 * interval  # ... and not sooner than one per interval


@pytest.mark.asyncio
async def test_connection_gauge_follows_clients() -> None:
    app = _app()
    metrics, watch = app.state.service.metrics, _watch(app)
    async with serve(app) as server:
        async with connect(_ws(server, "index")):
            await watch.until(lambda: watch.registered == 1)
            assert metrics.ws_connections.labels(channel="index")._value.get() == 1
        await watch.until(lambda: watch.released == 1)
        assert metrics.ws_connections.labels(channel="index")._value.get() == 0
