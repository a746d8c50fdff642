"""Runs a SimulatorServer on its own event-loop thread (anyio's blocking portal), for synchronous callers."""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Any, Self

from anyio.from_thread import BlockingPortal, start_blocking_portal

from .server import SimulatorServer


class BackgroundSimulator:
    """``with BackgroundSimulator(consumer_secret="s") as sim: sim.base_url`` - a started
    simulator on a daemon thread; leaving the block stops it and joins the thread."""

    def __init__(self, **server_kwargs: Any) -> None:
        self.server = SimulatorServer(**server_kwargs)
        self.leftover_tasks = 0  # tasks of the simulator still running after stop (should stay 0)
        self._running = contextlib.ExitStack()

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def start(self) -> Self:
        portal = self._running.enter_context(start_blocking_portal(name="ssi-simulator-loop"))
        self._running.callback(self._count_leftovers, portal, portal.call(_other_tasks))
        self._running.callback(portal.call, self.server.stop)  # callbacks run last first: stop, count, portal
        try:
            portal.call(self.server.start)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server, then the loop (cancelling whatever is left), and join the thread; idempotent."""
        self._running.close()

    def _count_leftovers(self, portal: BlockingPortal, before: set[asyncio.Task[Any]]) -> None:
        self.leftover_tasks = len(portal.call(_other_tasks) - before)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


async def _other_tasks() -> set[asyncio.Task[Any]]:
    """The loop's tasks but the caller's (before the simulator starts: only the portal's own)."""
    return asyncio.all_tasks() - {asyncio.current_task()}
