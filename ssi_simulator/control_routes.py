"""The test-control API (``/control/*``) that lets a suite publish frames and stage outages."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .messages import Content
from .state import SimulatorState

PREFIX = "/control"
MAX_REFUSE_S = 24 * 3600.0


class ControlError(ValueError):
    """Bad control input; its message is sent back with HTTP 400."""


Handler = Callable[[Request], Awaitable[Response]]


def _bad(reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=400)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError as exc:
        raise ControlError(f"body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ControlError("body must be a JSON object")
    return body


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ControlError(f"{key!r} must be a non-empty string")
    return value


def _frames(body: dict[str, Any]) -> list[Content | str]:
    frames = body.get("frames")
    if not isinstance(frames, list):
        raise ControlError("'frames' must be a list of content dicts (or raw hub-argument strings)")
    for position, frame in enumerate(frames):
        if not isinstance(frame, (dict, str)):
            raise ControlError(f"frame {position} must be an object with RType or a string, not {frame!r}")
    return frames


def _signalr_frames(body: dict[str, Any]) -> list[str]:
    """Whole SignalR frames: an object is sent JSON-encoded, a string as it is."""
    items = body.get("frames")
    if not isinstance(items, list) or not items:
        raise ControlError("'frames' must be a non-empty list of SignalR frames (objects, or strings sent as is)")
    texts = []
    for position, item in enumerate(items):
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            texts.append(json.dumps(item, ensure_ascii=False, allow_nan=True))
        else:
            raise ControlError(f"SignalR frame {position} must be an object or a string, not {item!r}")
    return texts


def _symbols(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ControlError("'symbols' must be a non-empty list of tickers")
    for s in value:
        if not isinstance(s, str) or not s.strip():
            raise ControlError(f"bad ticker {s!r} in 'symbols'")
    return [s.strip().upper() for s in value]


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ControlError(f"'refuse_for_s' must be a number of seconds, not {value!r}")
    if not 0 <= value <= MAX_REFUSE_S:
        raise ControlError(f"'refuse_for_s' must be between 0 and {MAX_REFUSE_S:g}, not {value!r}")
    return float(value)


def _clock_offset(body: dict[str, Any]) -> float:
    """The exchange clock's new offset from real time: `{"set": "<ISO time with offset>"}` or `{"offset_s": N}`."""
    if ("set" in body) == ("offset_s" in body):
        raise ControlError("give 'set' (an ISO time with its UTC offset) or 'offset_s' (seconds from real time)")
    if "offset_s" in body:
        offset = body["offset_s"]
        if isinstance(offset, bool) or not isinstance(offset, (int, float)) or not math.isfinite(offset):
            raise ControlError(f"'offset_s' must be a number of seconds, not {offset!r}")
        return float(offset)
    try:
        moment = datetime.fromisoformat(_text(body, "set"))
    except ValueError as exc:
        raise ControlError(f"'set' is not an ISO time: {exc}") from exc
    if moment.tzinfo is None:
        raise ControlError("'set' needs its UTC offset (2024-12-02T09:00:00+07:00): the exchange cannot guess it")
    return moment.timestamp() - time.time()


def routes(state: SimulatorState) -> list[BaseRoute]:
    def checked(handler: Handler) -> Handler:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except ControlError as exc:
                return _bad(str(exc))

        return run

    async def frames(request: Request) -> Response:
        items = _frames(await _body(request))
        try:
            result = await state.hub.publish(items)
        except ValueError as exc:
            raise ControlError(str(exc)) from exc
        return JSONResponse({"delivered": result.reached, "deliveries": result.deliveries})

    async def signalr_frames(request: Request) -> Response:
        result = await state.hub.publish_signalr(_signalr_frames(await _body(request)))
        return JSONResponse({"delivered": result.reached, "deliveries": result.deliveries})

    async def drop(request: Request) -> Response:
        body = await _body(request)
        seconds = _seconds(body.get("refuse_for_s", 0))
        abrupt = body.get("abrupt", False)
        if not isinstance(abrupt, bool):
            raise ControlError("'abrupt' must be true or false")
        state.refuse_for(seconds)
        closed = await state.hub.close_all(code=1000, reason="dropped by the simulator", abrupt=abrupt)
        return JSONResponse({"closed": closed, "refuse_for_s": seconds})

    async def vn30(request: Request) -> Response:
        body = await _body(request)
        if "symbols" not in body and "shape" not in body:
            raise ControlError("give 'symbols' and/or 'shape'")
        symbols = _symbols(body["symbols"]) if "symbols" in body else state.vn30
        shape = body.get("shape", state.vn30_shape)
        if shape not in ("nested", "flat"):
            raise ControlError(f"'shape' must be 'nested' or 'flat', not {shape!r}")
        state.vn30, state.vn30_shape = symbols, shape
        return JSONResponse({"symbols": state.vn30, "shape": state.vn30_shape})

    async def securities(request: Request) -> Response:
        data = (await _body(request)).get("data")
        if not isinstance(data, list):
            raise ControlError("'data' must be a list of per-symbol objects")
        for position, row in enumerate(data):
            if not isinstance(row, dict) or not isinstance(row.get("Symbol"), str):
                raise ControlError(f"row {position} must be an object with a string 'Symbol'")
        state.securities = data
        return JSONResponse({"count": len(data)})

    async def credentials(request: Request) -> Response:
        body = await _body(request)
        consumer_id, consumer_secret = _text(body, "consumer_id"), _text(body, "consumer_secret")
        state.consumer_id, state.consumer_secret = consumer_id, consumer_secret
        return JSONResponse({"consumer_id": consumer_id})

    async def reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"reset": True})

    async def clock(request: Request) -> Response:
        if request.method == "PUT":
            state.clock_offset_s = _clock_offset(await _body(request))
        return JSONResponse({"now": state.view()["clock"], "offset_s": state.clock_offset_s})

    async def view(request: Request) -> Response:
        return JSONResponse(state.view())

    return [
        Route(f"{PREFIX}/frames", checked(frames), methods=["POST"]),
        Route(f"{PREFIX}/signalr-frames", checked(signalr_frames), methods=["POST"]),
        Route(f"{PREFIX}/drop", checked(drop), methods=["POST"]),
        Route(f"{PREFIX}/vn30", checked(vn30), methods=["PUT"]),
        Route(f"{PREFIX}/securities", checked(securities), methods=["PUT"]),
        Route(f"{PREFIX}/credentials", checked(credentials), methods=["PUT"]),
        Route(f"{PREFIX}/reset", checked(reset), methods=["POST"]),
        Route(f"{PREFIX}/clock", checked(clock), methods=["GET", "PUT"]),
        Route(f"{PREFIX}/state", view, methods=["GET"]),
    ]
