"""WebSocket clients: auth, per-IP limit, one bounded drop-oldest queue and sender task per client."""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from collections import Counter, deque
from collections.abc import Callable

from starlette.websockets import WebSocket, WebSocketState

from tracker.metrics import Metrics
from tracker.settings import Settings

log = logging.getLogger(__name__)

POLICY_VIOLATION = 1008
GOING_AWAY = 1001


def status_message(connected: bool) -> str:
    return json.dumps({"type": "status", "connected": connected})


class ClientState(enum.Enum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class Client:
    """One accepted WebSocket: its queue and the task that drains it."""

    def __init__(self, websocket: WebSocket, channel: str, ip: str, queue_size: int) -> None:
        self.websocket = websocket
        self.channel = channel
        self.ip = ip
        self.queue: deque[str] = deque(maxlen=queue_size)
        self.dropped = 0
        self.state = ClientState.OPEN
        self._ready = asyncio.Event()
        self.sender: asyncio.Task[None] | None = None

    def push(self, text: str) -> None:
        if self.state is not ClientState.OPEN:
            return
        if len(self.queue) == self.queue.maxlen:
            self.dropped += 1  # deque(maxlen) drops the oldest on append
        self.queue.append(text)
        self._ready.set()

    async def drain(self, on_sent: Callable[[str], None]) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self.queue:
                await self.websocket.send_text(self.queue.popleft())
                on_sent(self.channel)


class ConnectionHub:
    """Every open client, by channel; fan-out never awaits a client."""

    def __init__(self, settings: Settings, metrics: Metrics, upstream_connected: Callable[[], bool]) -> None:
        self._token = settings.ws_auth_token
        self._per_ip_limit = settings.ws_max_connections_per_ip
        self._queue_size = settings.ws_queue_size
        self._metrics = metrics
        self._upstream_connected = upstream_connected
        self._clients: dict[str, set[Client]] = {}
        self._per_ip: Counter[str] = Counter()
        self._closing = False

    def client_count(self, channel: str) -> int:
        return len(self._clients.get(channel, ()))

    def clients(self) -> list[Client]:
        return [client for group in self._clients.values() for client in group]

    def broadcast(self, channel: str, text: str) -> int:
        group = self._clients.get(channel, ())
        for client in group:
            client.push(text)
        return len(group)

    def broadcast_all(self, text: str) -> None:
        for client in self.clients():
            client.push(text)

    async def serve(self, websocket: WebSocket, channel: str) -> None:
        """The whole life of one client connection on `channel`."""
        ip = websocket.client.host if websocket.client else "unknown"
        await websocket.accept()
        if self._closing:
            await self._refuse(websocket, GOING_AWAY, "shutting down")
            return
        if self._token and websocket.query_params.get("token") != self._token:
            await self._refuse(websocket, POLICY_VIOLATION, "missing or invalid token")
            return
        if self._per_ip[ip] >= self._per_ip_limit:
            await self._refuse(websocket, POLICY_VIOLATION, "too many connections from this address")
            return
        client = Client(websocket, channel, ip, self._queue_size)
        self._register(client)
        if not self._upstream_connected():
            client.push(status_message(False))
        client.sender = asyncio.create_task(client.drain(self._count_sent), name=f"ws-sender-{channel}-{ip}")
        try:
            while client.state is ClientState.OPEN:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
        except (RuntimeError, OSError):
            pass  # the socket went away under us
        finally:
            await self._release(client)

    async def close_all(self, code: int = GOING_AWAY) -> None:
        """Close every client (shutdown: 1001); new connections are refused from now on."""
        self._closing = True
        await asyncio.gather(*(self._close(client, code) for client in self.clients()), return_exceptions=True)

    def _register(self, client: Client) -> None:
        self._clients.setdefault(client.channel, set()).add(client)
        self._per_ip[client.ip] += 1
        self._metrics.ws_connections.labels(channel=client.channel).inc()

    async def _release(self, client: Client) -> None:
        if client.state is ClientState.CLOSED:
            return
        client.state = ClientState.CLOSED
        if client.sender is not None:
            client.sender.cancel()
            await asyncio.gather(client.sender, return_exceptions=True)
        group = self._clients.get(client.channel)
        if group is not None:
            group.discard(client)
        self._per_ip[client.ip] -= 1
        if self._per_ip[client.ip] <= 0:
            del self._per_ip[client.ip]
        self._metrics.ws_connections.labels(channel=client.channel).dec()

    async def _close(self, client: Client, code: int) -> None:
        if client.state is not ClientState.OPEN:
            return
        client.state = ClientState.CLOSING
        if client.sender is not None:
            client.sender.cancel()
            await asyncio.gather(client.sender, return_exceptions=True)
        try:
            await asyncio.wait_for(self._refuse(client.websocket, code, "server shutting down"), timeout=1.0)
        except TimeoutError:
            log.warning("client %s did not take its close frame in time", client.ip)
        await self._release(client)

    @staticmethod
    async def _refuse(websocket: WebSocket, code: int, reason: str) -> None:
        if websocket.application_state is WebSocketState.DISCONNECTED:
            return
        try:
            await websocket.close(code=code, reason=reason)
        except (RuntimeError, OSError) as exc:
            log.debug("close %s failed: %s", code, exc)

    def _count_sent(self, channel: str) -> None:
        self._metrics.ws_messages_sent.labels(channel=channel).inc()
