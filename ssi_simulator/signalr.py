"""The SignalR 1.5 transport endpoints under ``v2.0/signalr`` (negotiate, connect, start, abort)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from .signalr_wire import HUB, hubs_in, negotiate_response
from .state import SimulatorState

PREFIX = "/v2.0/signalr"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": status, "message": message, "data": None}, status_code=status)


def _hub_problem(connection_data: str | None) -> str | None:
    try:
        hubs = hubs_in(connection_data)
    except ValueError as exc:
        return str(exc)
    if hubs is not None and not any(h.lower() == HUB.lower() for h in hubs):
        return f"'{', '.join(hubs)}' Hub could not be resolved (this server has {HUB})."
    return None


def routes(state: SimulatorState) -> list[BaseRoute]:
    async def negotiate(request: Request) -> Response:
        refused = state.refusing()
        state.record_negotiation(refused)
        if refused:
            return _error(503, "Service Unavailable")
        problem = state.check_bearer(request.headers.get("authorization"))
        if problem is not None:
            return _error(401, f"Unauthorized: {problem}")
        problem = _hub_problem(request.query_params.get("connectionData"))
        if problem is not None:
            return _error(400, problem)
        conn = state.hub.negotiate()
        return JSONResponse(negotiate_response(conn.token, conn.id, state.keepalive_s * 2))

    async def connect(websocket: WebSocket) -> None:
        query = websocket.query_params
        transport = query.get("transport")
        if transport != "webSockets":
            await websocket.send_denial_response(_error(400, f"unsupported transport {transport!r}"))
            return
        problem = _hub_problem(query.get("connectionData"))
        if problem is not None:
            await websocket.send_denial_response(_error(400, problem))
            return
        if state.refusing():
            await websocket.send_denial_response(_error(503, "Service Unavailable"))
            return
        conn = state.hub.claim(query.get("connectionToken", ""))
        if conn is None:
            await websocket.send_denial_response(_error(400, "The connection token is unknown or already used."))
            return
        state.hub.socket_opened()
        try:
            await conn.run(websocket, state.hub.next_cursor())
        finally:
            state.hub.socket_closed()
            state.hub.forget(conn)

    async def connect_without_upgrade(request: Request) -> Response:
        return _error(400, "connect needs a WebSocket upgrade (transport=webSockets)")

    async def start(request: Request) -> Response:
        conn = state.hub.find(request.query_params.get("connectionToken", ""))
        if conn is None or not conn.mark_started():
            return _error(400, "The connection token is unknown or the connection is closed.")
        return JSONResponse({"Response": "started"})

    async def abort(request: Request) -> Response:
        conn = state.hub.find(request.query_params.get("connectionToken", ""))
        if conn is not None:
            conn.request_close()
        return Response(status_code=200)

    async def ping(request: Request) -> Response:
        return JSONResponse({"Response": "pong"})

    return [
        Route(f"{PREFIX}/negotiate", negotiate, methods=["GET", "POST"]),
        WebSocketRoute(f"{PREFIX}/connect", connect),
        WebSocketRoute(f"{PREFIX}/reconnect", connect),
        Route(f"{PREFIX}/connect", connect_without_upgrade, methods=["GET", "POST"]),
        Route(f"{PREFIX}/start", start, methods=["GET", "POST"]),
        Route(f"{PREFIX}/abort", abort, methods=["GET", "POST"]),
        Route(f"{PREFIX}/ping", ping, methods=["GET"]),
    ]
