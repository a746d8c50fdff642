"""An abstract Locust user for the tracker's WebSocket channels, cheap under gevent.

websocket-client on gevent-patched sockets: one greenlet and one socket per user, no event
loop, no thread. Every message fires `events.request`:
- `WS delivery latency`: a message that first shows a new stamp; the response time is
  receipt time minus the publish time the stamp carries (load/stamps.py). A stamp the client
  never saw (sequence gap) is a failure of this entry. Time blocked in recv() is never a latency.
- `WSR <path>`: every other message (no response time; counts messages and bytes).
- `WS <connect name>`: the opening handshake (a real round trip), failed when refused.
- `WS session <path>`: one per connection when it ends; failed if it received nothing, unless
  the end of the run cut it before it had been open `recv_timeout_s` (the stamps come every
  second or so: a younger session that has heard nothing yet is not a silent client).
"""

from __future__ import annotations

import struct
import time
from typing import Any
from urllib.parse import quote

import websocket
from locust import User

from load.stamps import StampTracker, find_stamp, stamp_finder

CONNECT_TIMEOUT_S = 10.0


class WebSocketClosed(Exception):
    """The server closed the connection (the message names the close code)."""


class SilentClient(Exception):
    """A connection that received no message at all."""


class StampsMissed(Exception):
    """Stamps published while connected that the client never saw."""


class WebSocketUser(User):
    abstract = True
    path = "/ws/market"
    connect_name = "connect /ws/market"
    recv_timeout_s = 5.0

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        options = environment.parsed_options
        self.symbol: str = getattr(options, "stamp_symbol", "ZZSTAMP") if options else "ZZSTAMP"
        self.token: str = getattr(options, "ws_token", "") if options else ""
        self._pattern = stamp_finder(self.symbol)
        self.ws: websocket.WebSocket | None = None
        self.stamps = StampTracker()
        self.messages = 0
        self._opened = 0.0

    # -- connection -----------------------------------------------------------------------
    def url(self) -> str:
        base = (self.host or "").rstrip("/")
        base = "ws" + base[4:] if base.startswith("http") else base
        return base + self.path + (f"?token={quote(self.token, safe='')}" if self.token else "")

    def connect(self) -> bool:
        start = time.perf_counter()
        try:
            ws = websocket.create_connection(self.url(), timeout=CONNECT_TIMEOUT_S,
                                             skip_utf8_validation=True, enable_multithread=False)
        except Exception as exc:  # noqa: BLE001 - every refusal is a failed connect
            self._fire("WS", self.connect_name, (time.perf_counter() - start) * 1000, 0, exc)
            return False
        self._fire("WS", self.connect_name, (time.perf_counter() - start) * 1000, 0)
        ws.settimeout(self.recv_timeout_s)
        self.ws = ws
        self.messages = 0
        self._opened = time.time()
        self.stamps = StampTracker(not_before=self._opened)
        return True

    def disconnect(self, *, run_ending: bool = False) -> None:
        ws, self.ws = self.ws, None
        if ws is None:
            return
        self._end_session(run_ending=run_ending)  # first: a worker told to quit reports its statistics right after stopping users
        try:
            ws.close(timeout=1)
        except Exception:  # noqa: BLE001, S110 - the socket may already be gone
            pass

    def _end_session(self, *, run_ending: bool = False) -> None:
        duration_s = time.time() - self._opened
        cut_short = run_ending and duration_s < self.recv_timeout_s
        silent = not self.messages and not cut_short
        error = SilentClient(f"{self.path}: no message in {duration_s:.1f} s") if silent else None
        self._fire("WS", f"session {self.path}", None, self.messages, error)

    # -- receiving ------------------------------------------------------------------------
    def receive(self) -> str | None:
        """One text message; None after a quiet `recv_timeout_s` or when the connection ended."""
        ws = self.ws
        if ws is None:
            return None
        try:
            opcode, frame = ws.recv_data_frame(control_frame=False)
        except websocket.WebSocketTimeoutException:
            return None
        except (websocket.WebSocketException, OSError) as exc:
            self._lost(exc)
            return None
        received = time.time()
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            self._lost(WebSocketClosed(f"closed by the server: {_close_reason(frame.data)}"))
            return None
        data = frame.data
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else str(data)
        self.on_message(text, received)
        return text

    def on_message(self, text: str, received: float) -> None:
        self.messages += 1
        stamp = find_stamp(text, self.symbol, self._pattern)
        latency, missed = self.stamps.observe(stamp, received) if stamp is not None else (None, 0)
        for _ in range(missed):
            self._fire("WS", "delivery latency", None, 0,
                       StampsMissed(f"{self.path}: a stamp published while connected never arrived"))
        if latency is not None:
            self._fire("WS", "delivery latency", latency, len(text))
        else:
            self._fire("WSR", self.path, None, len(text))

    def _lost(self, exc: Exception) -> None:
        self._fire("WS", f"connection lost {self.path}", None, 0, exc)
        ws, self.ws = self.ws, None
        if ws is not None:
            try:
                ws.shutdown()
            except Exception:  # noqa: BLE001, S110
                pass
        self._end_session()

    def on_stop(self) -> None:
        self.disconnect(run_ending=True)

    def _fire(self, kind: str, name: str, response_time: float | None, length: int,
              exception: Exception | None = None) -> None:
        self.environment.events.request.fire(
            request_type=kind, name=name, response_time=response_time, response_length=length,
            exception=exception, context={}, url=self.path,
        )


def _close_reason(data: bytes) -> str:
    if len(data) >= 2:
        code = struct.unpack("!H", data[:2])[0]
        return f"{code} {data[2:].decode('utf-8', 'replace')}".strip()
    return "no close code"

