"""The default target: simulator and reference tracker served from one background loop in this process."""

from __future__ import annotations

import collections
import contextlib
import logging
import signal
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future

from anyio.from_thread import BlockingPortal, start_blocking_portal

from ssi_simulator import SimulatorServer
from support.errors import TargetError
from support.eventually import eventually
from support.faketime import FakeClock
from support.memory import own_rss
from support.targets import (
    SIMULATOR_CONSUMER_ID,
    SIMULATOR_CONSUMER_SECRET,
    TargetOptions,
    tracker_env,
)
from support.targets.readiness import wait_subscribed
from support.upstream import ExchangeSetup
from tracker.main import TrackerServer, create_app, uvicorn_config
from tracker.settings import Settings, SettingsError

_LOGGERS = ("tracker", "ssi_simulator", "uvicorn.error")
STOP_TIMEOUT_S = 10.0  # uvicorn's graceful shutdown is 2 s (tracker.main.uvicorn_config)


class WiredTarget:
    """Fresh per scenario: a simulator and the tracker (uvicorn on 127.0.0.1, port 0), real sockets."""

    name = "wired"

    def __init__(self, options: TargetOptions) -> None:
        self.options = options
        self.capabilities = frozenset({"clock", "upstream", "configure", "reference"})
        self.tracker_url = ""
        self.simulator_url: str | None = None
        self._running = contextlib.ExitStack()
        self._simulator: SimulatorServer | None = None
        self._server: TrackerServer | None = None
        self._serving: Future[None] | None = None
        self._log = _LogTail()

    def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
              subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
        if clock is not None:
            raise TargetError("the wired tracker runs inside the test process: libfaketime can only move the clock "
                              "of a process of its own (use --target=live or docker)")
        try:
            portal = self._running.enter_context(start_blocking_portal(name="wired-loop"))
            self._log.install(portal.call(threading.get_ident))
            self._running.callback(self._log.remove)
            self._running.callback(self._stop, portal)
            portal.call(self._start_simulator)
            if exchange is not None:  # from this thread: the simulator answers on the loop
                assert self.simulator_url is not None
                exchange.apply(self.simulator_url)
            self._serve_tracker(portal, dict(env_overrides))
            if subscribed:
                assert self.simulator_url is not None
                wait_subscribed(self.simulator_url, self.options.startup_timeout_s, describe="the wired tracker")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop both servers, then the loop, and join its thread; idempotent."""
        self._running.close()

    def terminate(self, timeout: float) -> float | None:
        """uvicorn's own SIGTERM handler, called in process (the wired tracker has no process of its own to signal):
        it sets should_exit, and uvicorn shuts down as on a real SIGTERM. The simulator keeps running."""
        server, serving = self._server, self._serving
        if server is None or serving is None:
            raise TargetError("the wired tracker is not running: nothing to terminate")
        began = time.monotonic()
        server.handle_exit(signal.SIGTERM, None)
        try:
            serving.exception(timeout)
        except TimeoutError:
            return None
        return time.monotonic() - began

    def running(self) -> bool:
        """The tracker serves (a spare that stopped while it waited is not handed out: support/targets/pool.py)."""
        return self._serving is not None and not self._serving.done()

    def tracker_memory_bytes(self) -> int:
        """This process's resident memory: the tracker and the suite together, an upper bound."""
        return own_rss()

    def log_tail(self, lines: int = 100) -> str:
        return self._log.tail(lines)

    async def _start_simulator(self) -> None:
        simulator = SimulatorServer("127.0.0.1", 0, SIMULATOR_CONSUMER_ID, SIMULATOR_CONSUMER_SECRET)
        await simulator.start()
        self._simulator = simulator
        self.simulator_url = simulator.base_url.rstrip("/")

    def _serve_tracker(self, portal: BlockingPortal, overrides: dict[str, str]) -> None:
        """uvicorn's own serve() as a task of the loop; ready once uvicorn says it has started."""
        assert self._simulator is not None
        try:
            settings = Settings.from_env(tracker_env(self._simulator.base_url, self.options, overrides))
        except SettingsError as error:
            raise TargetError(f"the wired tracker refuses its environment {overrides}: {error}") from None
        app = create_app(settings)
        server = TrackerServer(uvicorn_config(app, host="127.0.0.1", port=0, log_level="warning"))
        serving = portal.start_task_soon(_serve, server, name="wired-tracker")
        self._server, self._serving = server, serving

        def started() -> None:
            if serving.done():
                raise TargetError(f"the wired tracker stopped before it had started "
                                  f"({serving.exception() or 'serve() returned'}); its log:\n{self._log.tail(20)}")
            if not server.started:
                raise AssertionError("uvicorn has not started yet")

        timeout = self.options.startup_timeout_s
        eventually(started, timeout, 0.005, timed_out=lambda _: TargetError(
            f"the wired tracker did not start within {timeout:g} s; its log:\n{self._log.tail(20)}"))
        self.tracker_url = server.url.rstrip("/")

    def _stop(self, portal: BlockingPortal) -> None:
        """Both at once (a tracker going away ignores the feed): uvicorn sees should_exit within 0.1 s and
        shuts down, closing the tracker's clients with 1001, while the simulator stops."""
        server, serving, simulator = self._server, self._serving, self._simulator
        self._server = self._serving = self._simulator = None
        if server is not None:
            server.should_exit = True
        try:
            if simulator is not None:
                portal.call(simulator.stop)
        finally:
            error = serving.exception(STOP_TIMEOUT_S) if serving is not None else None
            if error is not None and server is not None and server.started:  # a failed start was reported by start()
                raise error


async def _serve(server: TrackerServer) -> None:
    try:
        await server.serve()
    except SystemExit as exit_:  # uvicorn exits when it cannot bind or the app's lifespan fails
        raise TargetError(f"uvicorn exited with code {exit_.code}") from None  # a BaseException would stop the loop


class _LogTail(logging.Handler):
    """The last log records of tracker, simulator and uvicorn, for the report of a failed scenario.

    The loggers are the process's, shared by every wired target alive (a spare starting, one stopping):
    a tail keeps only the records of its own loop's thread.
    """

    def __init__(self, keep: int = 2000) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self._records: collections.deque[str] = collections.deque(maxlen=keep)
        self._levels: dict[str, int] = {}
        self._thread: int | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self._thread:
            self._records.append(self.format(record))

    def install(self, thread: int) -> None:
        """Collect the records logged on `thread` (the target's loop)."""
        self._thread = thread
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            if logger.getEffectiveLevel() > logging.INFO:
                logger.setLevel(logging.INFO)
            logger.addHandler(self)

    def remove(self) -> None:
        """Detach; the logger's level goes back only when no other wired target's tail is attached
        (targets stop in the background, so an old one may stop after a new one started)."""
        for name, level in self._levels.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self)
            if not any(isinstance(handler, _LogTail) for handler in logger.handlers):
                logger.setLevel(level)
        self._levels.clear()

    def tail(self, lines: int) -> str:
        return "\n".join(list(self._records)[-lines:])


def create(options: TargetOptions) -> WiredTarget:
    return WiredTarget(options)
