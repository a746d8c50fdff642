"""Helpers of the simulator's tests: deadline waiting, the official SSI client wired to a
simulator, and a raw SignalR 1.5 client that shows every frame."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

CONSUMER_ID, CONSUMER_SECRET = "vn30-consumer", "vn30-secret"
HUB_DATA = json.dumps([{"name": "FcMarketDataV2Hub"}])


def eventually(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)


def connections(control: httpx.Client) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = control.get("/control/state").json()["connections"]
    return result


def subscribed(control: httpx.Client, channels: list[str], count: int = 1) -> list[dict[str, Any]]:
    """Wait until ``count`` connections have subscribed to exactly ``channels``."""
    return eventually(
        lambda: len([c for c in connections(control) if c["channels"] == channels]) >= count,
        what=f"{count} connection(s) on {channels}",
    ) and connections(control)


def access_token(base_url: str) -> str:
    body = httpx.post(
        base_url + "api/v2/Market/AccessToken", json={"consumerID": CONSUMER_ID, "consumerSecret": CONSUMER_SECRET}
    ).json()
    token: str = body["data"]["accessToken"]
    return token


class OfficialStream:
    """``ssi_fc_data.MarketDataStream`` as trackers use it; it runs on its own threads."""

    def __init__(self, config: SimpleNamespace, channels: str) -> None:
        from ssi_fc_data.fc_md_client import MarketDataClient
        from ssi_fc_data.fc_md_stream import MarketDataStream

        self._base_url = config.url
        self.messages: list[dict[str, Any]] = []
        self.errors: list[Any] = []
        self.closed = threading.Event()
        self.client = MarketDataClient(config)
        self.stream = MarketDataStream(config, self.client, on_close=self.closed.set)
        self.stream.start(self.messages.append, self.errors.append, channels)
        self._transport = self.stream.connection._Connection__transport  # the client offers no close of its own
        # websocket-client forgets, without closing, its socket when the server closes first: keep it
        self._socket = eventually(lambda: self._transport._ws.sock, what="the official client's socket")

    def contents(self) -> list[dict[str, Any]]:
        return [json.loads(m["Content"]) for m in list(self.messages)]

    def close(self) -> None:
        """Closed from the server's side: the client's own close races its reader thread."""
        if not self.closed.is_set():
            httpx.post(self._base_url + "control/drop", json={"refuse_for_s": 0}).raise_for_status()
        self._transport._thread.join(5)
        self._socket.shutdown()


class RawStream:
    """A bare SignalR 1.5 client (httpx + websockets), to see every frame the server sends."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        token = token or access_token(base_url)
        query = urllib.parse.urlencode({"connectionData": HUB_DATA, "clientProtocol": "1.5"})
        negotiated = httpx.post(
            f"{base_url}v2.0/signalr/negotiate?{query}", headers={"Authorization": f"Bearer {token}"}
        )
        negotiated.raise_for_status()
        self.negotiation: dict[str, Any] = negotiated.json()
        self.connection_token: str = self.negotiation["ConnectionToken"]
        self._exit = contextlib.ExitStack()
        self.ws: ClientConnection = self._exit.enter_context(connect(self.url("connect")))
        self.init = self.recv()
        self._next_id = 0

    def url(self, action: str, scheme: str = "ws") -> str:
        query = urllib.parse.urlencode({
            "transport": "webSockets", "connectionToken": self.connection_token,
            "connectionData": HUB_DATA, "clientProtocol": "1.5",
        })
        return self.base_url.replace("http", scheme, 1) + f"v2.0/signalr/{action}?{query}"

    def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(self.ws.recv(timeout))
        return frame

    def invoke(self, method: str, *args: Any) -> dict[str, Any]:
        ident = self._next_id
        self._next_id += 1
        self.ws.send(json.dumps({"H": "FcMarketDataV2Hub", "M": method, "A": list(args), "I": ident}))
        deadline = time.monotonic() + 5
        while True:
            frame = self.recv(max(0.01, deadline - time.monotonic()))
            if frame.get("I") == str(ident):
                return frame

    def broadcasts(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The next ``count`` Broadcast payloads (keep-alives skipped)."""
        deadline = time.monotonic() + timeout
        payloads: list[dict[str, Any]] = []
        while len(payloads) < count:
            frame = self.recv(max(0.01, deadline - time.monotonic()))
            for message in frame.get("M", []):
                assert message["H"] == "FcMarketDataV2Hub" and message["M"] == "Broadcast"
                payloads.append(json.loads(message["A"][0]))
        return payloads

    def close(self) -> None:
        self._exit.close()
