"""Runs the simulator app on uvicorn in the caller's event loop, with fast, leak-free start/stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from types import TracebackType
from typing import Self

import uvicorn

from .app import build_app
from .state import SimulatorState
from .tokens import DEFAULT_LIFETIME_S


class _EmbeddedUvicorn(uvicorn.Server):
    """uvicorn that leaves signals to its host and exits as soon as it is asked to."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._exit_requested = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def request_exit(self) -> None:
        self.should_exit = True
        self._exit_requested.set()

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864_000  # on_tick refreshes the Date header on multiples of 10
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self._exit_requested.wait()


class SimulatorServer:
    """SSI FastConnect (REST + SignalR stream) plus ``/control/*``, served on ``base_url``.

    >>> async with SimulatorServer() as sim:          # doctest: +SKIP
    ...     print(sim.base_url)                       # http://127.0.0.1:41234/
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        consumer_id: str = "vn30-consumer",
        consumer_secret: str = "vn30-secret",
        *,
        keepalive_s: float = 5.0,
        token_lifetime_s: float = DEFAULT_LIFETIME_S,
        queue_size: int = 20_000,
        slow_timeout_s: float = 2.0,
        log_level: str = "warning",
    ) -> None:
        self.host = host
        self.state = SimulatorState(
            consumer_id, consumer_secret, keepalive_s=keepalive_s, token_lifetime_s=token_lifetime_s,
            queue_size=queue_size, slow_timeout_s=slow_timeout_s,
        )
        self.app = build_app(self.state)
        self._config = uvicorn.Config(
            self.app, host=host, port=port, log_level=log_level, access_log=False, lifespan="off",
            ws_ping_interval=None, timeout_graceful_shutdown=1, loop="none",
        )
        self._server: _EmbeddedUvicorn | None = None
        self._main: asyncio.Task[None] | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the simulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://host:port/``: both SSI_BASE_URL and SSI_STREAM_URL for a tracker."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    async def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the simulator is already started")
        server = _EmbeddedUvicorn(self._config)
        if not self._config.loaded:
            self._config.load()
        server.lifespan = self._config.lifespan_class(self._config)
        try:
            await server.startup()
        except SystemExit as exc:  # uvicorn exits the process when it cannot bind
            raise OSError(f"cannot listen on {self.host}:{self._config.port}") from exc
        self._server = server
        self._port = server.servers[0].sockets[0].getsockname()[1]
        self._main = asyncio.create_task(server.main_loop(), name="ssi-simulator-uvicorn")

    async def stop(self) -> None:
        """Close the stream connections (so uvicorn need not wait for them), then the server."""
        server, main = self._server, self._main
        if server is None or main is None:
            return
        self._server = self._main = None
        try:
            await self.state.hub.close_all(code=1001, reason="simulator stopping", timeout_s=1.0)
        finally:
            server.request_exit()
            await main
            await server.shutdown()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()


logging.getLogger("ssi_simulator").addHandler(logging.NullHandler())
