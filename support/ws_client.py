"""WebSocket clients of the tracker, each reading on its own thread and recording every frame with its time."""

from __future__ import annotations

import contextlib
import enum
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.frames import Opcode
from websockets.sync.client import ClientConnection, connect

from support.eventually import Hopeless, eventually
from support.http_client import mask

SLOW_RECEIVE_BUFFER = 4096
# A slow client asks for no compression: permessage-deflate shrinks a run of similar snapshots
# some thirty times, so megabytes would fit in the socket buffers and its path would never fill.
CLOSE_TIMEOUT_S = 1.0
WAIT_POLL_S = 0.005  # frames are recorded by the reader thread; a wait looks at them this often


class ClientState(enum.Enum):
    CONNECTING = "connecting"
    OPEN = "open"
    REFUSED = "refused"      # the handshake was answered with an HTTP error
    CLOSED = "closed"


@dataclass(frozen=True)
class Frame:
    """One message as received: `at` is time.monotonic() at receipt."""

    at: float
    data: str | bytes
    payload: Any = field(default=None, compare=False)

    @property
    def is_status(self) -> bool:
        """An upstream status message (`{"type": "status", ...}`) rather than data."""
        return isinstance(self.payload, dict) and self.payload.get("type") == "status"


class _PingRecorder(ClientConnection):
    """A connection that notes when each ping frame arrives (the protocol answers it as usual)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ping_times: list[float] = []

    def process_event(self, event: Any) -> None:
        if getattr(event, "opcode", None) is Opcode.PING:
            self.ping_times.append(time.monotonic())
        super().process_event(event)


class WsClient:
    """A client on `url`; `slow=True` makes one that does not read until `resume()` (its buffers fill up);
    `history=N` keeps only the last N frames (a screen watched for hours), counting all in `received`.

        client = WsClient("ws://127.0.0.1:8000/ws/market", name="dashboard").connect()
        frame = client.wait_for(lambda f: "VNM" in str(f.data), timeout=5, what="a VNM update")
        client.pings                # when each heartbeat (ping frame) arrived
        client.close()
    """

    def __init__(self, url: str, *, name: str, slow: bool = False, open_timeout: float = 5.0,
                 history: int | None = None) -> None:
        self.url = url
        self.name = name
        self.slow = slow
        self.open_timeout = open_timeout
        self.state = ClientState.CONNECTING
        self.close_code: int | None = None
        self.close_reason = ""
        self.refused_status: int | None = None
        self.opened_at: float | None = None
        self._frames: list[Frame] | deque[Frame] = deque(maxlen=history) if history else []
        self.received = 0
        self._lock = threading.Lock()
        self._conn: ClientConnection | None = None
        self._resources = contextlib.ExitStack()
        self._reader: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def connect(self) -> WsClient:
        """Open the connection (handshake in this thread); an HTTP refusal is recorded, not raised."""
        try:
            self._conn = self._resources.enter_context(connect(
                self.url, open_timeout=self.open_timeout, close_timeout=CLOSE_TIMEOUT_S,
                max_queue=1 if self.slow else 1024, sock=self._socket() if self.slow else None,
                compression=None if self.slow else "deflate", create_connection=_PingRecorder))
        except InvalidStatus as refusal:
            self.refused_status = refusal.response.status_code
            self._set_state(ClientState.REFUSED)
            return self
        self.opened_at = time.monotonic()
        self._set_state(ClientState.OPEN)
        if not self.slow:
            self._start_reading()
        return self

    def resume(self) -> None:
        """A slow client starts reading: first what its buffers hold, then whatever comes."""
        if self.state is not ClientState.OPEN:
            raise AssertionError(f"{self.name} cannot read again; {self.describe()}")
        if self.slow and self._reader is None:
            self.slow = False
            self._start_reading()

    def close(self) -> None:
        """Close (a slow client is cut off, since it cannot read the closing handshake) and join."""
        conn = self._conn
        if conn is not None and self.slow:
            conn.socket.shutdown(socket.SHUT_RDWR)
        self._resources.close()
        if self._reader is not None:
            self._reader.join(CLOSE_TIMEOUT_S * 3)
        if self.state is ClientState.OPEN:
            self._closed(conn.close_code if conn else None, (conn.close_reason or "") if conn else "")

    # -- what was received ---------------------------------------------------------------------
    @property
    def frames(self) -> list[Frame]:
        with self._lock:
            return list(self._frames)

    @property
    def pings(self) -> list[float]:
        """time.monotonic() at the arrival of each ping frame (the tracker's heartbeat), in order."""
        conn = self._conn
        return list(conn.ping_times) if isinstance(conn, _PingRecorder) else []

    @property
    def updates(self) -> list[Frame]:
        """Data messages, without upstream status messages."""
        return [frame for frame in self.frames if not frame.is_status]

    def wait_for(self, predicate: Callable[[Frame], bool], *, timeout: float, what: str) -> Frame:
        """The first frame (received so far or until `timeout`) matching `predicate`."""
        def arrived() -> Frame:
            with self._lock:
                frames, open_ = list(self._frames), self.state is ClientState.OPEN
            for frame in frames:
                if predicate(frame):
                    return frame
            failure = Hopeless if not open_ else AssertionError  # a closed client receives nothing more
            raise failure(f"{self.name} did not receive {what}; {self.describe()}")
        return eventually(arrived, timeout, WAIT_POLL_S)

    def wait_closed(self, timeout: float) -> int | None:
        """The close code once the connection ends (None if it was refused at the handshake)."""
        def ended() -> int | None:
            with self._lock:
                state, code = self.state, self.close_code
            if state in (ClientState.CONNECTING, ClientState.OPEN):
                raise AssertionError(f"{self.name} is still open; {self.describe()}")
            return code
        return eventually(ended, timeout, WAIT_POLL_S)

    def describe(self) -> str:
        """State and the last frames, for assertion messages."""
        frames = self.frames
        last = "; ".join(_short(frame.data) for frame in frames[-3:]) or "nothing"
        state = self.state.value
        if self.state is ClientState.CLOSED:
            state += f" with code {self.close_code} {self.close_reason!r}".rstrip()
        if self.state is ClientState.REFUSED:
            state += f" with HTTP {self.refused_status}"
        return f"it is {state} after {len(frames)} frame(s), the last: {last}"

    def transcript(self) -> dict[str, Any]:
        """Everything seen, for the report: frames with times relative to the opening."""
        start = self.opened_at or 0.0
        return {"url": mask(self.url), "state": self.state.value, "close_code": self.close_code,
                "close_reason": self.close_reason, "refused_status": self.refused_status,
                "frames": [{"t_ms": round((f.at - start) * 1000, 1), "data": _short(f.data, 2000)}
                           for f in self.frames]}

    # -- internals -----------------------------------------------------------------------------
    def _socket(self) -> socket.socket:
        parts = urlsplit(self.url)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SLOW_RECEIVE_BUFFER)
        sock.settimeout(self.open_timeout)
        sock.connect((parts.hostname or "127.0.0.1", parts.port or 80))
        return sock

    def _start_reading(self) -> None:
        self._reader = threading.Thread(target=self._read, name=f"ws-{self.name}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        conn = self._conn
        assert conn is not None
        try:
            while True:
                data = conn.recv()
                with self._lock:
                    self._frames.append(Frame(time.monotonic(), data, _decode(data)))
                    self.received += 1
        except ConnectionClosed as closed:
            received = closed.rcvd
            self._closed(received.code if received else 1006, received.reason if received else "")

    def _closed(self, code: int | None, reason: str) -> None:
        with self._lock:
            self.close_code, self.close_reason = code, reason
            self.state = ClientState.CLOSED

    def _set_state(self, state: ClientState) -> None:
        with self._lock:
            self.state = state


def _decode(data: str | bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def _short(data: str | bytes, limit: int = 300) -> str:
    text = data if isinstance(data, str) else repr(data)
    return text if len(text) <= limit else text[:limit] + "..."
