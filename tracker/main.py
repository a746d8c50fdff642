"""Builds the tracker's FastAPI app and the uvicorn server that closes clients with 1001 on shutdown."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI

from tracker import routes, test_control, ws_routes
from tracker.core.clock import Clock
from tracker.core.processor import MarketProcessor
from tracker.service import TrackerService
from tracker.settings import Settings
from tracker.stream import UpstreamConsumer

__all__ = ["TrackerServer", "create_app", "uvicorn_config"]

# The kernel's send buffer of each client socket (Linux doubles it). Left to autotuning it grows to
# megabytes on loopback, a hidden queue of hundreds of snapshots in front of a slow client: bounded,
# a slow client's backlog sits in its own WS_QUEUE_SIZE queue, where the oldest are dropped ([ws-queue]).
CLIENT_SEND_BUFFER_BYTES = 32 * 1024


def create_app(settings: Settings | None = None, clock: Clock | None = None, *,
               processor: MarketProcessor | None = None,
               consumer_factory: Callable[[TrackerService], UpstreamConsumer] | None = None) -> FastAPI:
    """The tracker app; its lifespan starts and stops the SSI stream consumer.

    `settings` default to `Settings.from_env()`; `clock` to a system-time `Clock()`.
    `processor` and `consumer_factory` let tests substitute the core or the upstream consumer.
    """
    settings = settings or Settings.from_env()
    clock = clock or Clock()
    service = TrackerService(settings, clock, processor=processor, consumer_factory=consumer_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(title="VN30 tracker", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service
    app.include_router(routes.router)
    app.include_router(ws_routes.router)
    if settings.test_control:
        app.include_router(test_control.router)
    return app


def uvicorn_config(app: FastAPI, *, host: str = "127.0.0.1", port: int = 0, log_level: str | None = None) -> uvicorn.Config:
    """uvicorn settings that carry the contract: ping every WS_HEARTBEAT_INTERVAL, quick shutdown."""
    settings: Settings = app.state.service.settings
    level = (log_level or settings.log_level).lower()
    return uvicorn.Config(
        app, host=host, port=port, ws="websockets-sansio", lifespan="on", log_level=level,
        access_log=level == "debug", ws_ping_interval=settings.ws_heartbeat_interval,
        ws_ping_timeout=max(settings.ws_heartbeat_interval, 20.0), timeout_graceful_shutdown=2,
    )


class TrackerServer(uvicorn.Server):
    """uvicorn would close WebSockets with 1012; this closes them with 1001 first ([ws-shutdown], docs/CONTRACT.md).

        server = TrackerServer(uvicorn_config(app, port=0))
        await server.serve()            # or: task = asyncio.create_task(server.serve())
    """

    def __init__(self, config: uvicorn.Config, *, announce: bool = False) -> None:
        super().__init__(config)
        self._announce = announce

    @property
    def port(self) -> int:
        """The bound port (after startup), useful with port 0."""
        for server in self.servers:
            for sock in server.sockets:
                if sock.family in (socket.AF_INET, socket.AF_INET6):
                    return int(sock.getsockname()[1])
        raise RuntimeError("server not started")

    @property
    def url(self) -> str:
        host = self.config.host if self.config.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.port}/"

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        for server in getattr(self, "servers", []):
            for sock in server.sockets:  # an accepted socket inherits its listener's buffer size
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CLIENT_SEND_BUFFER_BYTES)
        if self._announce and self.started:
            print(self.url, flush=True)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        service = getattr(getattr(self.config.app, "state", None), "service", None)
        if isinstance(service, TrackerService):
            await service.close_clients()
        await super().shutdown(sockets)


_app: FastAPI | None = None


def __getattr__(name: str) -> Any:
    """`tracker.main:app` for uvicorn, built from the environment on first access only."""
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
