"""The default target: simulator and reference tracker served from one background loop in this process."""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Coroutine, Mapping
from typing import Any

from ssi_simulator import SimulatorServer
from support.errors import TargetError
from support.faketime import FakeClock
from support.loop import BackgroundLoop
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


class WiredTarget:
    """Fresh per scenario: a simulator and the tracker (uvicorn on 127.0.0.1, port 0), real sockets."""

    name = "wired"

    def __init__(self, options: TargetOptions) -> None:
        self.options = options
        self.capabilities = frozenset({"clock", "upstream", "configure"})
        self.tracker_url = ""
        self.simulator_url: str | None = None
        self._loop = BackgroundLoop("wired")
        self._simulator: SimulatorServer | None = None
        self._server: TrackerServer | None = None
        self._log = _LogTail()

    def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
              subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
        if clock is not None:
            raise TargetError("the wired tracker runs inside the test process: libfaketime can only move the clock "
                              "of a process of its own (use --target=live or docker)")
        self._log.install()
        self._loop.start()
        try:
            self._loop.run(self._start_simulator())
            assert self.simulator_url is not None
            if exchange is not None:  # from this thread: the simulator answers on the loop
                exchange.apply(self.simulator_url)
            self._loop.run(self._start_tracker(dict(env_overrides)))
            if subscribed:
                wait_subscribed(self.simulator_url, self.options.startup_timeout_s, describe="the wired tracker")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        try:
            if self._loop.running:
                self._loop.run(self._stop())
        finally:
            self._loop.stop()
            self._log.remove()

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

    async def _start_tracker(self, overrides: dict[str, str]) -> None:
        simulator = self._simulator
        assert simulator is not None
        try:
            settings = Settings.from_env(tracker_env(simulator.base_url, self.options, overrides))
        except SettingsError as error:
            raise TargetError(f"the wired tracker refuses its environment {overrides}: {error}") from None
        app = create_app(settings)
        server = TrackerServer(uvicorn_config(app, host="127.0.0.1", port=0, log_level="warning"))
        server.config.load()
        server.lifespan = server.config.lifespan_class(server.config)
        try:
            await server.startup()
        except SystemExit as exit_:  # uvicorn exits when it cannot bind or the lifespan fails
            raise TargetError(f"the wired tracker did not start: {self._log.tail(20)}") from exit_
        self._server = server
        self.tracker_url = server.url.rstrip("/")

    async def _stop(self) -> None:
        """Both at once: each uvicorn shutdown idles 0.1 s, and a tracker going away ignores the feed."""
        server, simulator = self._server, self._simulator
        self._server = self._simulator = None
        stopping: list[Coroutine[Any, Any, None]] = []
        if server is not None:
            server.should_exit = True
            stopping.append(server.shutdown())
        if simulator is not None:
            stopping.append(simulator.stop())
        results = await asyncio.gather(*stopping, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result


class _LogTail(logging.Handler):
    """The last log records of tracker, simulator and uvicorn, for the report of a failed scenario."""

    def __init__(self, keep: int = 2000) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self._records: collections.deque[str] = collections.deque(maxlen=keep)
        self._levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self._records.append(self.format(record))

    def install(self) -> None:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            if logger.getEffectiveLevel() > logging.INFO:
                logger.setLevel(logging.INFO)
            logger.addHandler(self)

    def remove(self) -> None:
        for name, level in self._levels.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self)
            logger.setLevel(level)
        self._levels.clear()

    def tail(self, lines: int) -> str:
        return "\n".join(list(self._records)[-lines:])


def create(options: TargetOptions) -> WiredTarget:
    return WiredTarget(options)
