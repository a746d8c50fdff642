"""SSI FastConnect client: REST (token, VN30, securities) and the SignalR 1.5 market-data stream."""

from __future__ import annotations

import asyncio
import base64
import binascii
import enum
import functools
import json
import logging
import ssl
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tracker.stream_keepalive import keep_alive


@functools.cache
def upstream_tls() -> ssl.SSLContext:
    """One TLS context per process for SSI's https URLs: building one reads the CA bundle (some 30 ms of
    CPU), which httpx would otherwise do for every client, so for every stream session and reconnect."""
    return httpx.create_ssl_context()


def upstream_http(timeout: float) -> httpx.AsyncClient:
    """An HTTP client for FastConnect's REST and negotiate calls, on the process's one TLS context."""
    return httpx.AsyncClient(timeout=timeout, verify=upstream_tls())


log = logging.getLogger(__name__)

# Paths and names exactly as the official client (ssi_fc_data) spells them.
ACCESS_TOKEN_PATH = "api/v2/Market/AccessToken"
INDEX_COMPONENTS_PATH = "api/v2/Market/IndexComponents"
SECURITIES_PATH = "api/v2/Market/Securities"
SIGNALR_PATH = "v2.0/signalr"
HUB = "FcMarketDataV2Hub"
BROADCAST = "Broadcast"
PROTOCOL_VERSION = "1.5"
CONNECTION_DATA = json.dumps([{"name": HUB}])
_MAX_PAGES = 20
# The official client asks for a new token as soon as less than this is left (AccessTokenModel.is_expired).
REFRESH_BEFORE_S = 3600.0


class SsiError(Exception):
    """SSI answered something the tracker cannot use; the message names the call."""


class SsiAuthError(SsiError):
    """SSI refused the credentials or the token."""


class StreamState(enum.Enum):
    IDLE = "idle"
    NEGOTIATING = "negotiating"
    CONNECTING = "connecting"
    STARTED = "started"
    CLOSED = "closed"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SsiRestClient:
    """The REST half of FastConnect Data; `authenticate()` first, then the GET calls.

    `clock` is the tracker's: a token with less than an hour left by it is replaced before use
    ([soak]: the official client's rule), so a moved clock moves the refresh too.
    """

    def __init__(self, base_url: str, consumer_id: str, consumer_secret: str,
                 *, http: httpx.AsyncClient | None = None, timeout: float = 10.0,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._base = base_url if base_url.endswith("/") else base_url + "/"
        self._credentials = {"consumerID": consumer_id, "consumerSecret": consumer_secret}
        self._http = http or upstream_http(timeout)
        self._owns_http = http is None
        self._clock = clock
        self.token: str | None = None
        self.token_expires_at: datetime | None = None  # from the JWT's `exp`; None: it has none

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def authenticate(self) -> str:
        """POST AccessToken; return (and keep) the JWT."""
        body = await self._json(await self._http.post(self._base + ACCESS_TOKEN_PATH, json=self._credentials),
                                ACCESS_TOKEN_PATH)
        data = body.get("data")
        if body.get("status") != 200 or not isinstance(data, dict) or not isinstance(data.get("accessToken"), str):
            raise SsiAuthError(f"{ACCESS_TOKEN_PATH} refused: {body.get('message')!r}")
        self.token = data["accessToken"]
        self.token_expires_at = token_expiry(self.token)
        return self.token

    def token_fresh(self) -> bool:
        """True while the token has at least an hour left by the tracker's clock (one without `exp` never ages)."""
        if self.token is None:
            return False
        expires = self.token_expires_at
        return expires is None or (expires - self._clock()).total_seconds() >= REFRESH_BEFORE_S

    async def fresh_token(self) -> str:
        """The token, replaced first when it is not fresh."""
        if self.token is None or not self.token_fresh():
            return await self.authenticate()
        return self.token

    async def index_components(self, index_code: str = "VN30") -> list[str]:
        """Component symbols, from the nested (documented) or the flat response form."""
        body = await self._get(INDEX_COMPONENTS_PATH, {"indexCode": index_code, "pageIndex": 1, "pageSize": 50})
        return parse_index_components(body)

    async def securities(self, market: str = "HOSE", page_size: int = 100) -> list[dict[str, Any]]:
        """Every security row of `market` (pages followed up to the reported total)."""
        rows: dict[str, dict[str, Any]] = {}
        for page in range(1, _MAX_PAGES + 1):
            body = await self._get(SECURITIES_PATH, {"market": market, "pageIndex": page, "pageSize": page_size})
            data = body.get("data")
            batch = [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []
            before = len(rows)
            for row in batch:
                rows[str(row.get("Symbol", len(rows)))] = row
            total = body.get("totalRecord")
            done = isinstance(total, int) and len(rows) >= total
            if done or len(batch) < page_size or len(rows) == before:
                break
        return list(rows.values())

    async def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        token = await self.fresh_token()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        return await self._json(await self._http.get(self._base + path, params=params, headers=headers), path)

    @staticmethod
    async def _json(response: httpx.Response, path: str) -> dict[str, Any]:
        if response.status_code == 401:
            raise SsiAuthError(f"{path}: HTTP 401 (token refused)")
        if response.status_code != 200:
            raise SsiError(f"{path}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise SsiError(f"{path}: response is not JSON") from exc
        if not isinstance(body, dict):
            raise SsiError(f"{path}: response is not a JSON object")
        return body


def token_expiry(token: str) -> datetime | None:
    """When a JWT expires (its payload's `exp`), or None when it cannot be read."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_index_components(body: dict[str, Any]) -> list[str]:
    """`data[0].IndexComponent[].StockSymbol` or flat `data[].StockSymbol`, order kept, no duplicates."""
    data = body.get("data")
    if not isinstance(data, list):
        raise SsiError(f"{INDEX_COMPONENTS_PATH}: no data list in {str(body)[:200]}")
    symbols: dict[str, None] = {}
    for item in data:
        if not isinstance(item, dict):
            continue
        nested = item.get("IndexComponent")
        for row in nested if isinstance(nested, list) else [item]:
            symbol = row.get("StockSymbol") if isinstance(row, dict) else None
            if isinstance(symbol, str) and symbol.strip():
                symbols.setdefault(symbol.strip().upper(), None)
    return list(symbols)


class SignalRStream:
    """One classic ASP.NET SignalR 1.5 connection to FcMarketDataV2Hub over WebSockets."""

    def __init__(self, stream_url: str, token: str, channels: str, *,
                 http: httpx.AsyncClient | None = None, open_timeout: float = 10.0) -> None:
        base = stream_url if stream_url.endswith("/") else stream_url + "/"
        self._url = base + SIGNALR_PATH
        self._headers = {"Authorization": f"Bearer {token}"}
        self._channels = channels
        self._http = http
        self._timeout = open_timeout
        self._ws: ClientConnection | None = None
        self._keepalive: asyncio.Task[None] | None = None
        self._token: str | None = None
        self._send_counter = -1
        self.state = StreamState.IDLE
        self.closed_because = "closed normally"  # the close frames received and sent, once it ended

    async def open(self) -> None:
        """negotiate -> connect (WebSocket) -> start -> SwitchChannels."""
        http = self._http or upstream_http(self._timeout)
        try:
            self.state = StreamState.NEGOTIATING
            query = urlencode({"connectionData": CONNECTION_DATA, "clientProtocol": PROTOCOL_VERSION})
            response = await http.post(f"{self._url}/negotiate?{query}", headers=self._headers)
            if response.status_code == 401:
                raise SsiAuthError("negotiate: HTTP 401 (token refused)")
            if response.status_code != 200:
                raise SsiError(f"negotiate: HTTP {response.status_code}")
            negotiated = response.json()
            if not isinstance(negotiated, dict) or not isinstance(negotiated.get("ConnectionToken"), str):
                raise SsiError(f"negotiate: no ConnectionToken in {response.text[:200]}")
            self._token = negotiated["ConnectionToken"]
            protocol = str(negotiated.get("ProtocolVersion") or PROTOCOL_VERSION)
            self.state = StreamState.CONNECTING
            params = urlencode({"transport": "webSockets", "connectionToken": self._token,
                                "connectionData": CONNECTION_DATA, "clientProtocol": protocol})
            self._ws = await connect(f"{_ws_url(self._url)}/connect?{params}", additional_headers=self._headers,
                                     open_timeout=self._timeout, close_timeout=0.5, max_size=2**24, proxy=None,
                                     ping_interval=None)  # pinged by keep_alive (tracker/stream_keepalive.py)
            start = await http.get(f"{self._url}/start?{params}", headers=self._headers)
            if start.status_code != 200:
                log.warning("SignalR start answered HTTP %s; continuing", start.status_code)
            await self.invoke("SwitchChannels", self._channels)
            self._keepalive = asyncio.create_task(keep_alive(self._ws), name="ssi-stream-keepalive")
            self.state = StreamState.STARTED
        except BaseException:
            await self.close()
            raise
        finally:
            if self._http is None:
                await http.aclose()

    async def invoke(self, method: str, *args: object) -> None:
        if self._ws is None:
            raise SsiError(f"invoke {method}: stream not connected")
        self._send_counter += 1
        await self._ws.send(json.dumps({"H": HUB, "M": method, "A": list(args), "I": self._send_counter}))

    async def payloads(self) -> AsyncIterator[str]:
        """Yield each Broadcast argument until the server closes the stream."""
        if self._ws is None:
            raise SsiError("payloads: stream not connected")
        try:
            async for raw in self._ws:
                for payload in parse_frame(raw):
                    yield payload
        except ConnectionClosed as closed:
            self.closed_because = str(closed)
        finally:
            self.state = StreamState.CLOSED
            self._stop_keepalive()

    async def close(self) -> None:
        self.state = StreamState.CLOSED
        self._stop_keepalive()
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()

    def _stop_keepalive(self) -> None:
        keepalive, self._keepalive = self._keepalive, None
        if keepalive is not None:
            keepalive.cancel()


def parse_frame(raw: str | bytes) -> list[str]:
    """Broadcast arguments of one SignalR frame; keep-alives and invocation results give []."""
    try:
        frame = json.loads(raw)
    except ValueError:
        log.warning("SignalR frame is not JSON: %.200r", raw)
        return []
    if not isinstance(frame, dict):
        return []
    if "I" in frame and "E" in frame:
        log.warning("SignalR invocation %s failed: %s", frame.get("I"), frame.get("E"))
    messages = frame.get("M")
    if not isinstance(messages, list):
        return []
    payloads: list[str] = []
    for message in messages:
        if not isinstance(message, dict):
            # passed on as JSON, so the processor drops and counts it like any malformed input ([malformed-input])
            payloads.append(json.dumps(message))
            continue
        if str(message.get("H", "")).lower() != HUB.lower():
            continue
        method = str(message.get("M", ""))
        args = message.get("A")
        if method.lower() == BROADCAST.lower() and isinstance(args, list):
            payloads.extend(arg if isinstance(arg, str) else json.dumps(arg) for arg in args)
        elif method.lower() == "error":
            log.warning("SSI stream error: %.200r", args)
    return payloads


def _ws_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("wss" if parts.scheme == "https" else "ws", parts.netloc, parts.path, "", ""))
