"""One SignalR stream connection: its state, subscriptions and single ordered send path."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from enum import Enum

from starlette.websockets import WebSocket, WebSocketDisconnect

from .channels import NOTHING, ChannelError, Subscriptions, parse_channels
from .messages import HubInvocation
from .signalr_wire import (
    HUB,
    KEEPALIVE,
    InvocationError,
    init_frame,
    invocation_result,
    parse_invocation,
)


class ConnectionState(Enum):
    NEGOTIATED = "negotiated"  # token handed out by negotiate, socket not open yet
    CONNECTED = "connected"  # WebSocket open, init frame sent
    STARTED = "started"  # the client called ``start``
    CLOSING = "closing"  # close requested; queued frames are flushed first
    CLOSED = "closed"


LIVE_STATES = frozenset({ConnectionState.CONNECTED, ConnectionState.STARTED})


@dataclass(frozen=True, slots=True)
class _CloseRequest:
    code: int
    reason: str
    abrupt: bool  # drop the TCP connection without a close frame


class StreamConnection:
    """Frames are queued by the hub and written by one writer task, so order is kept per socket."""

    def __init__(self, connection_id: str, token: str, *, queue_size: int, keepalive_s: float) -> None:
        self.id = connection_id
        self.token = token
        self.state = ConnectionState.NEGOTIATED
        self.subscriptions: Subscriptions = NOTHING
        self._keepalive_s = keepalive_s
        self._queue: asyncio.Queue[str | _CloseRequest] = asyncio.Queue(queue_size)
        self._kill = asyncio.Event()
        self._done = asyncio.Event()
        self._last_enqueue = time.monotonic()

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES

    def offer(self, frame: str) -> bool:
        """Queue a frame without waiting; False when not live or the queue is full."""
        if self.state not in LIVE_STATES:
            return False
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            return False
        self._last_enqueue = time.monotonic()
        return True

    async def deliver(self, frame: str, timeout_s: float) -> bool:
        """Queue a frame, waiting up to ``timeout_s`` for room; a client that slow is cut off."""
        if self.offer(frame):
            return True
        if self.state not in LIVE_STATES:
            return False
        try:
            async with asyncio.timeout(timeout_s):
                await self._queue.put(frame)
        except TimeoutError:
            self.request_close(1008, "client too slow", abrupt=True)
            return False
        self._last_enqueue = time.monotonic()
        return True

    def mark_started(self) -> bool:
        if self.state == ConnectionState.CONNECTED:
            self.state = ConnectionState.STARTED
        return self.live

    def request_close(self, code: int = 1000, reason: str = "", *, abrupt: bool = False) -> None:
        """Close after the frames already queued; at once when the queue is full or abrupt."""
        if self.state == ConnectionState.NEGOTIATED:
            self.state = ConnectionState.CLOSED
            self._done.set()
            return
        if self.state not in LIVE_STATES:
            return
        self.state = ConnectionState.CLOSING
        try:
            self._queue.put_nowait(_CloseRequest(code, reason, abrupt))
        except asyncio.QueueFull:
            self._kill.set()

    async def wait_closed(self, timeout_s: float) -> bool:
        try:
            async with asyncio.timeout(timeout_s):
                await self._done.wait()
        except TimeoutError:
            self._kill.set()
            return False
        return True

    async def run(self, websocket: WebSocket, cursor: str) -> None:
        """Serve the accepted socket until the client leaves or a close is requested."""
        if self.state != ConnectionState.NEGOTIATED:
            return
        self.state = ConnectionState.CONNECTED
        tasks: list[asyncio.Task[None]] = []
        try:
            await websocket.accept()
            await websocket.send_text(init_frame(cursor))
            tasks = [
                asyncio.create_task(self._write(websocket), name=f"ssi-write-{self.id}"),
                asyncio.create_task(self._read(websocket), name=f"ssi-read-{self.id}"),
                asyncio.create_task(self._killed(), name=f"ssi-kill-{self.id}"),
                asyncio.create_task(self._keepalive(), name=f"ssi-keepalive-{self.id}"),
            ]
            await asyncio.wait(tasks[:3], return_when=asyncio.FIRST_COMPLETED)
        except (WebSocketDisconnect, OSError):
            pass
        finally:
            self.state = ConnectionState.CLOSED
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._done.set()

    async def _write(self, websocket: WebSocket) -> None:
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            while True:
                item = await self._queue.get()
                if isinstance(item, _CloseRequest):
                    if not item.abrupt:
                        await websocket.close(item.code, item.reason or None)
                    return
                await websocket.send_text(item)

    async def _read(self, websocket: WebSocket) -> None:
        with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
            while True:
                text = await websocket.receive_text()
                try:
                    invocation = parse_invocation(text)
                except InvocationError:
                    continue  # SignalR ignores what it cannot parse
                if invocation is not None:
                    await self._queue.put(self._answer(invocation))

    async def _killed(self) -> None:
        await self._kill.wait()

    async def _keepalive(self) -> None:
        while self.live:
            await asyncio.sleep(self._keepalive_s)
            if time.monotonic() - self._last_enqueue >= self._keepalive_s * 0.9:
                self.offer(KEEPALIVE)

    def _answer(self, invocation: HubInvocation) -> str:
        ident = str(invocation["I"])
        if invocation["H"].lower() != HUB.lower():
            return invocation_result(ident, f"'{invocation['H']}' Hub could not be resolved.")
        if invocation["M"].lower() != "switchchannels":
            return invocation_result(ident, f"'{invocation['M']}' method could not be resolved.")
        args = invocation["A"]
        if len(args) != 1 or not isinstance(args[0], str):
            return invocation_result(ident, "SwitchChannels takes one comma-separated string")
        try:
            self.subscriptions = parse_channels(args[0])
        except ChannelError as exc:
            return invocation_result(ident, str(exc))
        return invocation_result(ident)
