"""The tracker as its own process, started as production starts it (or any --sut-cmd), or one already running."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from ssi_simulator.background import BackgroundSimulator
from support import faketime, processes
from support.errors import ScenarioSkip, TargetError
from support.faketime import FakeClock
from support.memory import process_group_rss
from support.targets import (
    SIMULATOR_CONSUMER_ID,
    SIMULATOR_CONSUMER_SECRET,
    TargetOptions,
    tracker_env,
)
from support.targets.readiness import probe_clock, wait_healthy, wait_subscribed
from support.upstream import ExchangeSetup

DEFAULT_COMMAND = "{python} -m tracker --host {host} --port {port}"
HOST = "127.0.0.1"
STOP_TIMEOUT_S = 5.0
PORT_ATTEMPTS = 3   # a tracker that lost its free port to another process is started again on another one
# What a process needs to run, besides the contract's variables ([config-env]); nothing else of the
# caller's environment reaches the tracker (a stray WS_* variable would change its behaviour).
PROCESS_ENV = ("PATH", "HOME", "LANG")


class LiveTarget:
    """Per scenario: an in-process simulator and a tracker process fed by it over real SignalR.

    With --sut-url the tracker is already running: nothing is started, scenarios that set the
    tracker's environment are skipped, and scenarios that drive the exchange are skipped
    unless --simulator-url names the simulator that tracker listens to. Such a tracker is
    shared by every scenario, so its state carries over from one scenario to the next.
    """

    name = "live"

    def __init__(self, options: TargetOptions) -> None:
        self.options = options
        self.command = options.sut_cmd or DEFAULT_COMMAND
        self.tracker_url = options.sut_url.rstrip("/") if options.sut_url else ""
        self.simulator_url = options.simulator_url.rstrip("/") if options.simulator_url else None
        if options.sut_url:
            self.capabilities = frozenset({"upstream"} if self.simulator_url else set())
        else:
            self.capabilities = frozenset({"process", "upstream", "configure"}
                                          | ({"faketime"} if faketime.unavailable_reason() is None else set())
                                          | ({"reference"} if options.sut_cmd is None else set()))
        self._simulator: BackgroundSimulator | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._logs: tempfile.TemporaryDirectory[str] | None = None
        self._argv: list[str] = []

    def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
              subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
        if self.options.sut_url:
            if clock is not None:
                raise TargetError(f"the tracker at --sut-url {self.tracker_url} runs already: libfaketime cannot "
                                  "reach its clock")
            if exchange is not None:
                raise ScenarioSkip(f"the scenario sets what the exchange serves at start-up, but the tracker at "
                                   f"--sut-url {self.tracker_url} has started already")
            self._attach(env_overrides)
            return
        try:
            self._start_simulator(exchange)
            for attempt in range(1, PORT_ATTEMPTS + 1):
                self._spawn(dict(env_overrides), clock)
                describe = f"the tracker started with `{shlex.join(self._argv)}`"
                try:
                    wait_healthy(self.tracker_url, self.options.startup_timeout_s, describe=describe,
                                 failure=self._exited)
                    break
                except TargetError:
                    if attempt == PORT_ATTEMPTS or not self._lost_port():
                        raise
                    self._stop_process()  # another process took the free port first: try another one
            self._probe()
            assert self.simulator_url is not None
            if subscribed:
                wait_subscribed(self.simulator_url, self.options.startup_timeout_s, describe=describe)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        try:
            self._stop_process()
        finally:
            simulator, self._simulator = self._simulator, None
            if simulator is not None:
                simulator.stop()

    def terminate(self, timeout: float) -> float | None:
        """SIGTERM to the tracker's process, as a supervisor sends it (Docker and Kubernetes signal the main process
        only: a --sut-cmd wrapper must pass it on); the seconds until it exited."""
        process = self._process
        if process is None:
            raise ScenarioSkip(f"skipped on target 'live': the tracker at --sut-url {self.tracker_url} is not a "
                               "process the suite started, so it cannot send it SIGTERM")
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - began

    def running(self) -> bool:
        """The tracker's process has not exited (a spare that died while it waited is not handed out)."""
        return self.options.sut_url is not None or (self._process is not None and self._process.poll() is None)

    def tracker_memory_bytes(self) -> int | None:
        """Resident memory of the tracker's process group; None for a tracker the suite did not start."""
        process = self._process
        return process_group_rss(process.pid) if process is not None else None

    def log_tail(self, lines: int = 100) -> str:
        if self._logs is None:
            return ""
        parts = []
        for stream in ("stderr", "stdout"):
            text = (Path(self._logs.name) / stream).read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {stream} ---\n" + "\n".join(text))
        return "\n".join(parts)

    def _attach(self, env_overrides: Mapping[str, str]) -> None:
        if env_overrides:
            raise ScenarioSkip(f"the scenario sets {', '.join(sorted(env_overrides))}, but the tracker at "
                               f"--sut-url {self.tracker_url} is already running and cannot be reconfigured")
        wait_healthy(self.tracker_url, self.options.startup_timeout_s, describe=f"the tracker at {self.tracker_url}")
        self._probe()

    def _start_simulator(self, exchange: ExchangeSetup | None) -> None:
        self._simulator = simulator = BackgroundSimulator(host=HOST, port=0, consumer_id=SIMULATOR_CONSUMER_ID,
                                                          consumer_secret=SIMULATOR_CONSUMER_SECRET).start()
        self.simulator_url = simulator.base_url.rstrip("/")
        if exchange is not None:
            exchange.apply(self.simulator_url)

    def _spawn(self, overrides: dict[str, str], clock: FakeClock | None) -> None:
        simulator = self._simulator
        assert simulator is not None
        port = _free_port()
        self._argv = shlex.split(self.command.format(python=sys.executable, host=HOST, port=port))
        self.tracker_url = f"http://{HOST}:{port}"
        self._logs = tempfile.TemporaryDirectory(prefix="vn30-live-")
        env = {**process_env(), **tracker_env(simulator.base_url, self.options, overrides),
               **(clock.process_env() if clock is not None else {})}
        with open(Path(self._logs.name) / "stdout", "wb") as out, open(Path(self._logs.name) / "stderr", "wb") as err:
            try:
                self._process = processes.spawn(self._argv, env=env, stdout=out, stderr=err,
                                                stdin=subprocess.DEVNULL)
            except OSError as error:
                raise TargetError(f"cannot run `{shlex.join(self._argv)}`: {error}") from None
        if clock is not None:
            clock.started()

    def _stop_process(self) -> None:
        process, self._process = self._process, None
        try:
            if process is not None:
                processes.end(process, STOP_TIMEOUT_S)  # the group: a --sut-cmd may be a wrapper
        finally:
            if self._logs is not None:
                self._logs.cleanup()
                self._logs = None

    def _lost_port(self) -> bool:
        """True when the tracker exited and its port is now bound by another process (the free port was taken
        between the suite choosing it and the tracker binding it: parallel runs share the machine)."""
        process = self._process
        if process is None or process.poll() is None:
            return False
        port = int(self.tracker_url.rsplit(":", 1)[1])
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                return True
        return False

    def _exited(self) -> str | None:
        process = self._process
        if process is None or process.poll() is None:
            return None
        return f"exited with code {process.returncode} before it was ready; its output:\n{self.log_tail(30)}"

    def _probe(self) -> None:
        if probe_clock(self.tracker_url):
            self.capabilities = self.capabilities | {"clock"}


def process_env() -> dict[str, str]:
    """The caller's PROCESS_ENV variables that are set."""
    return {name: os.environ[name] for name in PROCESS_ENV if name in os.environ}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def create(options: TargetOptions) -> LiveTarget:
    return LiveTarget(options)
