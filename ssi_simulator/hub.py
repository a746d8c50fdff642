"""The set of stream connections and the fan-out of published frames to their subscribers."""

from __future__ import annotations

import asyncio
import base64
import os
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from .channels import Route, route_of
from .connection import ConnectionState, StreamConnection
from .frames import encode_broadcast
from .messages import ConnectionView, Content
from .signalr_wire import broadcast_frame


@dataclass(frozen=True, slots=True)
class PublishResult:
    reached: int  # distinct connections that got at least one frame
    deliveries: int  # frames x connections handed to send paths


class StreamHub:
    """Connections by token; ``publish`` hands frames to every subscriber's queue, in order."""

    def __init__(
        self, *, keepalive_s: float, queue_size: int = 20_000, slow_timeout_s: float = 2.0,
        max_pending: int = 1_000,
    ) -> None:
        self.keepalive_s = keepalive_s
        self._queue_size = queue_size
        self._slow_timeout_s = slow_timeout_s
        self._max_pending = max_pending
        self._pending: OrderedDict[str, StreamConnection] = OrderedDict()
        self._live: dict[str, StreamConnection] = {}
        self._epoch = uuid.uuid4().hex[:8].upper()
        self._cursor = 0
        self.frames_sent = 0
        self.frames_posted = 0
        self.connections_opened = 0  # WebSocket connects ever claimed (a whole day counts them)
        self.open_sockets = 0  # stream WebSockets open now ([one-connection] is judged on these)
        self.most_open_sockets = 0

    def socket_opened(self) -> None:
        self.open_sockets += 1
        self.most_open_sockets = max(self.most_open_sockets, self.open_sockets)

    def socket_closed(self) -> None:
        self.open_sockets -= 1

    def forget_peak(self) -> None:
        """The most open at once counts from now (the sockets open now included)."""
        self.most_open_sockets = self.open_sockets

    def next_cursor(self) -> str:
        self._cursor += 1
        return f"d-{self._epoch}-B,{self._cursor}"

    def negotiate(self) -> StreamConnection:
        """A new connection awaiting its socket; the oldest unclaimed ones are forgotten."""
        token = base64.b64encode(os.urandom(50)).decode("ascii")
        conn = StreamConnection(
            str(uuid.uuid4()), token, queue_size=self._queue_size, keepalive_s=self.keepalive_s
        )
        self._pending[token] = conn
        while len(self._pending) > self._max_pending:
            self._pending.popitem(last=False)
        return conn

    def claim(self, token: str) -> StreamConnection | None:
        """The negotiated connection for a connect request (each token connects once)."""
        conn = self._pending.pop(token, None)
        if conn is not None:
            self._live[token] = conn
            self.connections_opened += 1
        return conn

    def find(self, token: str) -> StreamConnection | None:
        return self._live.get(token) or self._pending.get(token)

    def forget(self, conn: StreamConnection) -> None:
        self._live.pop(conn.token, None)
        self._pending.pop(conn.token, None)

    def connections(self) -> list[StreamConnection]:
        return [c for c in self._live.values() if c.live]

    def views(self) -> list[ConnectionView]:
        return [
            {"id": c.id, "channels": list(c.subscriptions.text), "state": c.state.value}
            for c in self._live.values()
            if c.state != ConnectionState.CLOSED
        ]

    async def publish(self, items: Sequence[Content | str]) -> PublishResult:
        """Route and queue ``items`` (content dicts, or raw hub arguments for every connection).

        Every item is validated before any is sent: ValueError names the first bad one.
        """
        routed: list[tuple[Route | None, str]] = []
        for position, item in enumerate(items):
            if isinstance(item, str):
                routed.append((None, item))
                continue
            try:
                routed.append((route_of(item), encode_broadcast(item)))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"frame {position}: {exc}") from exc
        targets_all = self.connections()
        reached: set[str] = set()
        deliveries = 0
        for route, payload in routed:
            frame = broadcast_frame(self.next_cursor(), payload)
            targets = targets_all if route is None else [c for c in targets_all if c.subscriptions.wants(route)]
            for conn in targets:
                if conn.offer(frame) or await conn.deliver(frame, self._slow_timeout_s):
                    reached.add(conn.id)
                    deliveries += 1
        self.frames_posted += len(routed)
        self.frames_sent += deliveries
        return PublishResult(reached=len(reached), deliveries=deliveries)

    async def publish_signalr(self, texts: Sequence[str]) -> PublishResult:
        """Send whole SignalR frames, as they are, to every stream connection: no routing, no cursor, no checks
        (a frame the official client would choke on is the point)."""
        reached: set[str] = set()
        deliveries = 0
        for text in texts:
            for conn in self.connections():
                if conn.offer(text) or await conn.deliver(text, self._slow_timeout_s):
                    reached.add(conn.id)
                    deliveries += 1
        self.frames_posted += len(texts)
        self.frames_sent += deliveries
        return PublishResult(reached=len(reached), deliveries=deliveries)

    async def close_all(self, *, code: int = 1000, reason: str = "", abrupt: bool = False,
                        timeout_s: float = 2.0) -> int:
        """Close every connection (after its queued frames) and wait, bounded, for them to end."""
        conns = list(self._live.values())
        live = sum(1 for c in conns if c.live)
        for conn in conns:
            conn.request_close(code, reason, abrupt=abrupt)
        for conn in self._pending.values():
            conn.request_close()
        self._pending.clear()
        if conns:
            await asyncio.gather(*(c.wait_closed(timeout_s) for c in conns))
        for conn in conns:
            self.forget(conn)
        return live
