"""The tracker and the simulator as containers on a private network, started by testcontainers per scenario.

    target = create(TargetOptions(name="docker"))   # pytest --target=docker / behave -D target=docker
    target.start({"WS_THROTTLE_INTERVAL_MS": "20"})  # network, simulator, tracker; healthy and subscribed
    target.tracker_url, target.simulator_url          # http://127.0.0.1:PORT (published on loopback only)
    target.stop_simulator(); target.start_simulator(); target.restart_tracker(); target.stop_tracker(10)
    target.stop()                                     # removes both containers and the network

Images: support/stack/images.py (reused when current; VN30_DOCKER_REBUILD=1 forces a build;
VN30_TRACKER_IMAGE runs a team's own tracker image). Ryuk stays off; everything this target
creates is removed by stop(), and by an exit finalizer should a run be interrupted.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Mapping
from typing import Any

import httpx
from testcontainers.core.network import Network

from support import faketime
from support.errors import TargetError
from support.eventually import eventually
from support.faketime import FakeClock
from support.stack.containers import (
    OWNER,
    SUITE_LABELS,
    ServiceContainer,
    SimulatorContainer,
    TrackerContainer,
)
from support.stack.engine import docker_engine_available, prune_suite_resources
from support.stack.images import TRACKER_IMAGE_ENV, ensure_images
from support.targets import (
    SIMULATOR_CONSUMER_ID,
    SIMULATOR_CONSUMER_SECRET,
    TargetOptions,
    tracker_env,
)
from support.targets.readiness import probe_clock
from support.upstream import ExchangeSetup

POLL_INTERVAL_S = 0.05
SUBSCRIBE_TIMEOUT_S = 20.0


class DockerTarget:
    """Fresh per scenario: a network, the simulator (alias ssi-simulator) and the tracker (alias tracker)."""

    name = "docker"

    def __init__(self, options: TargetOptions) -> None:
        self.options = options
        self.capabilities = frozenset({"docker", "upstream", "configure"}
                                      | ({"faketime"} if faketime.unavailable_reason() is None else set())
                                      | ({"reference"} if not os.environ.get(TRACKER_IMAGE_ENV) else set()))
        self.tracker_url = ""
        self.simulator_url: str | None = None
        self._stack = contextlib.ExitStack()
        self._simulator: SimulatorContainer | None = None
        self._tracker: TrackerContainer | None = None
        self._stale_connections: set[str] = set()

    # -- Target --------------------------------------------------------------------------------
    def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
              subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
        images = ensure_images()
        try:
            with _registry.creating(self._stack):
                network = self._stack.enter_context(Network(docker_network_kw={"labels": dict(SUITE_LABELS)}))
                simulator = SimulatorContainer(images.simulator).with_network(network).with_credentials(
                    SIMULATOR_CONSUMER_ID, SIMULATOR_CONSUMER_SECRET)
                self._simulator = self._stack.enter_context(_started(simulator, "simulator"))
                self.simulator_url = simulator.url
                if exchange is not None:
                    exchange.apply(simulator.url)
                env = tracker_env(simulator.network_url, self.options, env_overrides)
                tracker = TrackerContainer(images.tracker).with_network(network).with_upstream(simulator).with_envs(**env)
                if clock is not None:
                    tracker.with_faketime(clock)
                self._tracker = self._stack.enter_context(_started(tracker, "tracker"))
                if clock is not None:
                    clock.started()
                self.tracker_url = tracker.url
            if subscribed:
                self.wait_tracker_subscribed(self.options.startup_timeout_s)
            if probe_clock(self.tracker_url):
                self.capabilities = self.capabilities | {"clock"}
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Remove the containers (tracker first) and the network, whatever state they are in."""
        stack, self._stack = self._stack, contextlib.ExitStack()
        self._tracker = self._simulator = None
        stack.close()

    def tracker_memory_bytes(self) -> int | None:
        """The tracker container's memory usage as Docker counts it."""
        stats = self._service("tracker").get_wrapped_container().stats(stream=False)
        usage = (stats.get("memory_stats") or {}).get("usage")
        return int(usage) if usage is not None else None

    def log_tail(self, lines: int = 100) -> str:
        """Both containers' state and last output (attached to the report of a failed scenario)."""
        parts = []
        for role, container in (("tracker", self._tracker), ("simulator", self._simulator)):
            if container is None:
                continue
            try:
                state = container.state()
                summary = (f"status={state.get('Status')} exit_code={state.get('ExitCode')} "
                           f"oom_killed={state.get('OOMKilled')} health={(state.get('Health') or {}).get('Status')}")
                parts.append(f"--- {role} container ({container.image}): {summary} ---\n{container.log_tail(lines)}")
            except Exception as error:  # noqa: BLE001 - a report of a failure must not fail itself
                parts.append(f"--- {role} container ({container.image}): cannot read it: {error} ---")
        return "\n".join(parts)

    # -- StackControl (support/stack/control.py) ------------------------------------------------
    def stop_simulator(self, timeout: float = 10) -> float:
        self._forget_connections()
        return self._service("simulator").docker_stop(timeout)

    def start_simulator(self) -> None:
        self.simulator_url = self._service("simulator").docker_start().url

    def stop_tracker(self, timeout: float = 10) -> float:
        """`docker stop -t timeout` of the tracker; returns the seconds until it had exited."""
        self._forget_connections()
        return self._service("tracker").docker_stop(timeout)

    def restart_tracker(self, timeout: float = 10) -> None:
        self._forget_connections()
        self.tracker_url = self._service("tracker").docker_restart(timeout).url

    def pause_tracker(self) -> None:
        self._service("tracker").docker_pause()

    def unpause_tracker(self) -> None:
        self._service("tracker").docker_unpause()

    def limit_tracker_memory(self, limit: str) -> None:
        self._service("tracker").update_memory_limit(limit)

    def tracker_state(self) -> dict[str, Any]:
        return self._service("tracker").state()

    def wait_tracker_subscribed(self, timeout: float = SUBSCRIBE_TIMEOUT_S) -> None:
        """Until the simulator shows a stream connection with channels that is new since the last stop."""
        def subscribed() -> None:
            try:
                state = httpx.get(f"{self._service('simulator').url}/control/state", timeout=2.0).json()
            except (httpx.TransportError, ValueError) as error:  # the simulator is restarting
                raise AssertionError(f"simulator state: unreadable, {type(error).__name__}") from None
            if not [c for c in state.get("connections", [])
                    if c.get("channels") and c.get("id") not in self._stale_connections]:
                raise AssertionError(f"simulator state: {state}")

        eventually(subscribed, timeout, POLL_INTERVAL_S, timed_out=lambda last: TargetError(
            f"the tracker container did not subscribe to the simulator within {timeout:g} s ({last}); "
            f"logs:\n{self.log_tail(40)}"))

    # -- internals -----------------------------------------------------------------------------
    def _service(self, role: str) -> ServiceContainer:
        container = self._tracker if role == "tracker" else self._simulator
        if container is None:
            raise RuntimeError(f"the docker target is not started: no {role} container")
        return container

    def _forget_connections(self) -> None:
        """Connections the simulator shows now are not evidence of a later subscription."""
        with contextlib.suppress(httpx.TransportError, ValueError, RuntimeError):
            state = httpx.get(f"{self._service('simulator').url}/control/state", timeout=2.0).json()
            self._stale_connections |= {str(c.get("id")) for c in state.get("connections", [])}


@contextlib.contextmanager
def _started(container: ServiceContainer, role: str) -> Any:
    """Start `container` (removing it if start or readiness fails) and remove it on exit."""
    try:
        container.start()
    except Exception as error:
        with contextlib.suppress(Exception):
            logs = container.log_tail(40)
            error.add_note(f"{role} container output:\n{logs}")
        container.stop()
        raise TargetError(f"the {role} container ({container.image}) did not become ready: {error}") from error
    try:
        yield container
    finally:
        container.stop()  # docker rm -f


class _Registry:
    """Every network and container a target is still holding; removed at interpreter exit if left over."""

    def __init__(self) -> None:
        self._stacks: list[contextlib.ExitStack] = []
        self._lock = threading.Lock()
        atexit.register(self.close_all)

    @contextlib.contextmanager
    def creating(self, stack: contextlib.ExitStack) -> Any:
        with self._lock:
            self._stacks.append(stack)
        stack.callback(self._forget, stack)
        yield

    def _forget(self, stack: contextlib.ExitStack) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._stacks.remove(stack)

    def close_all(self) -> None:
        with self._lock:
            stacks, self._stacks = list(self._stacks), []
        for stack in stacks:
            with contextlib.suppress(Exception):
                stack.close()


_registry = _Registry()


def unavailable_reason(options: TargetOptions) -> str | None:
    """Why the docker target cannot run here (no engine answers), or None.

    Asked once per process, before its first container: what an interrupted run left behind (its
    containers and networks carry the suite's label and their owner's host and pid, and that
    owner is gone) is removed now, and this process's own at its exit. Concurrent runs and
    pytest-xdist's other workers keep theirs.
    """
    available, why = docker_engine_available()
    if not available:
        return f"skipped on target 'docker': {why}"
    prune_suite_resources(owner=None)
    atexit.register(prune_suite_resources, owner=OWNER)
    return None


def create(options: TargetOptions) -> DockerTarget:
    return DockerTarget(options)
