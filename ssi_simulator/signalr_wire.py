"""Encoders and parsers of ASP.NET SignalR 1.5 persistent-connection frames, free of any I/O."""

from __future__ import annotations

import json
from typing import Any

from .messages import HubInvocation, InvocationResult, NegotiateResponse

HUB = "FcMarketDataV2Hub"
BROADCAST_METHOD = "Broadcast"
PROTOCOL_VERSION = "1.5"
KEEPALIVE = "{}"

_HUB_JSON = json.dumps(HUB)
_METHOD_JSON = json.dumps(BROADCAST_METHOD)


def negotiate_response(token: str, connection_id: str, keepalive_timeout_s: float) -> NegotiateResponse:
    return {
        "Url": "/v2.0/signalr",
        "ConnectionToken": token,
        "ConnectionId": connection_id,
        "KeepAliveTimeout": keepalive_timeout_s,
        "DisconnectTimeout": 30.0,
        "ConnectionTimeout": 110.0,
        "TryWebSockets": True,
        "ProtocolVersion": PROTOCOL_VERSION,
        "TransportConnectTimeout": 5.0,
        "LongPollDelay": 0.0,
    }


def init_frame(cursor: str) -> str:
    """The first frame on a new connection: ``{"C":..,"S":1,"M":[]}``."""
    return json.dumps({"C": cursor, "S": 1, "M": []}, separators=(",", ":"))


def broadcast_frame(cursor: str, payload: str) -> str:
    """``{"C":cursor,"M":[{"H":hub,"M":"Broadcast","A":[payload]}]}``, hand-assembled for speed."""
    return (
        '{"C":' + json.dumps(cursor) + ',"M":[{"H":' + _HUB_JSON + ',"M":' + _METHOD_JSON
        + ',"A":[' + json.dumps(payload, ensure_ascii=False) + "]}]}"
    )


def invocation_result(invocation_id: str, error: str | None = None) -> str:
    result: InvocationResult = {"I": invocation_id}
    if error is not None:
        result["E"] = error
    return json.dumps(result, separators=(",", ":"))


class InvocationError(ValueError):
    """A client message that is not a hub invocation this server understands."""


def parse_invocation(text: str) -> HubInvocation | None:
    """The invocation in ``text``; None for messages that are not invocations (e.g. ``{}``)."""
    try:
        message: Any = json.loads(text)
    except ValueError as exc:
        raise InvocationError(f"not JSON: {text[:80]!r}") from exc
    if not isinstance(message, dict) or "I" not in message:
        return None
    hub, method, args, ident = message.get("H"), message.get("M"), message.get("A", []), message["I"]
    if not isinstance(hub, str) or not isinstance(method, str) or not isinstance(args, list):
        raise InvocationError(f"malformed invocation {text[:120]!r}")
    if not isinstance(ident, (int, str)) or isinstance(ident, bool):
        raise InvocationError(f"invocation id must be a number or string in {text[:120]!r}")
    return {"H": hub, "M": method, "A": args, "I": ident}


def hubs_in(connection_data: str | None) -> list[str] | None:
    """Hub names in the ``connectionData`` query value; None when absent, ValueError when malformed."""
    if not connection_data:
        return None
    data: Any = json.loads(connection_data)
    if not isinstance(data, list) or not all(isinstance(h, dict) and isinstance(h.get("name"), str) for h in data):
        raise ValueError(f"connectionData must be a list of {{'name': hub}}: {connection_data!r}")
    return [str(h["name"]) for h in data]
