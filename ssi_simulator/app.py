"""Assembles the simulator's ASGI app: SSI REST, SignalR transport, control API, JSON errors."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import control_routes, rest_routes, signalr
from .state import SimulatorState

log = logging.getLogger("ssi_simulator")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = exc.detail if isinstance(exc, HTTPException) else "Internal Server Error"
    return JSONResponse({"status": status, "message": message, "data": None}, status_code=status)


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"status": 500, "message": f"simulator error: {exc!r}", "data": None}, status_code=500)


def build_app(state: SimulatorState) -> Starlette:
    app = Starlette(
        routes=[*rest_routes.routes(state), *signalr.routes(state), *control_routes.routes(state)],
        exception_handlers={HTTPException: _http_error, Exception: _crash},
    )
    app.state.simulator = state
    return app
