"""A background asyncio loop thread, so synchronous steps can drive async servers without seeing a loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 15.0


class BackgroundLoop:
    """An event loop on its own thread; `run(coro)` blocks until the coroutine is done.

        loop = BackgroundLoop("wired").start()
        port = loop.run(server_start())
        loop.stop()                  # cancels what is left, closes the loop, joins the thread
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.leftover_tasks = 0

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError(f"the {self.name} loop is not running")
        return self._loop

    @property
    def running(self) -> bool:
        return self._loop is not None

    def start(self) -> BackgroundLoop:
        if self._loop is not None:
            raise RuntimeError(f"the {self.name} loop is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name=f"{self.name}-loop", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        return self

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = DEFAULT_TIMEOUT_S) -> T:
        """Run `coro` on the loop and return its result (its exception is raised here)."""
        if self._loop is None:
            coro.close()
            raise RuntimeError(f"the {self.name} loop is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stop(self, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        """Cancel leftover tasks, stop and close the loop, join the thread; idempotent."""
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        try:
            self.leftover_tasks = asyncio.run_coroutine_threadsafe(_cancel_all(), loop).result(timeout)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()


async def _cancel_all() -> int:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return len(tasks)
