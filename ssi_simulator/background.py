"""Runs a SimulatorServer on its own event-loop thread, for synchronous callers (steps, tests)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar

from .server import SimulatorServer

T = TypeVar("T")


class BackgroundSimulator:
    """``with BackgroundSimulator(consumer_secret="s") as sim: sim.base_url`` - a started
    simulator on a daemon thread; leaving the block stops it and joins the thread."""

    def __init__(self, *, timeout_s: float = 10.0, **server_kwargs: Any) -> None:
        self.server = SimulatorServer(**server_kwargs)
        self._timeout_s = timeout_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.leftover_tasks = 0  # tasks still pending after stop (should stay 0)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the simulator's loop and return its result."""
        if self._loop is None:
            coro.close()
            raise RuntimeError("the background simulator is not started")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(self._timeout_s)

    def start(self) -> Self:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="ssi-simulator-loop", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            self.call(self.server.start())
        except BaseException:
            self._halt()
            raise
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        try:
            self.call(self.server.stop())
        finally:
            self._halt()

    def _halt(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return

        async def cancel_leftovers() -> int:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            return len(tasks)

        self.leftover_tasks = asyncio.run_coroutine_threadsafe(cancel_leftovers(), loop).result(self._timeout_s)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(self._timeout_s)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
