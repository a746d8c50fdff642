"""Where the tracker under test runs: a registry of targets behind one small protocol.

    from support.targets import TargetOptions, create_target

    target = create_target(TargetOptions(name="wired"))   # or "live", "docker"
    target.start({"WS_THROTTLE_INTERVAL_MS": "1000"})     # env of CONTRACT [config-env]
    target.start({}, clock=FakeClock.in_folder(tmp))      # live, docker: under libfaketime
    target.start({}, exchange=ExchangeSetup(vn30=("ACB", "VNM"), vn30_form="flat"))  # served before start-up
    target.tracker_url, target.simulator_url, target.capabilities
    target.stop()

Adding a target: write support/targets/<name>.py with `create(options) -> Target` and,
optionally, `unavailable_reason(options) -> str | None` (e.g. no Docker engine answers;
asked once per run), then add the name to TARGET_MODULES below. A module that is missing
or unavailable makes every scenario on that target skip with the reason. Capabilities are
the words of CAPABILITIES; a scenario tagged with a capability the target lacks is skipped
(support/tags.py maps tags to capabilities).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from support.errors import ScenarioSkip

if TYPE_CHECKING:
    from support.faketime import FakeClock
    from support.upstream import ExchangeSetup

TARGET_MODULES: dict[str, str] = {
    "wired": "support.targets.wired",
    "live": "support.targets.live",
    "docker": "support.targets.docker",
}
TARGET_NAMES = tuple(TARGET_MODULES)
DEFAULT_TARGET = "wired"

CAPABILITIES = frozenset({
    "clock",          # the tracker answers /__test__/clock (probed, never assumed)
    "faketime",       # the suite starts the tracker's process, so libfaketime can move its clock
    "docker",         # containers can be stopped, restarted, paused
    "process",        # the tracker is a process of its own (can be killed, its log read)
    "upstream",       # the suite drives the simulator the tracker listens to
    "configure",      # the tracker is started by the suite, so a scenario can set its env
    "reference",      # the tracker is the suite's own reference tracker (tracker/), not a team's
})

# What every tracker started by the suite gets unless a scenario says otherwise: test control on,
# a throttle short enough that Then-steps do not wait for half a second at every update.
TEST_DEFAULT_ENV: dict[str, str] = {"TRACKER_TEST_CONTROL": "1", "WS_THROTTLE_INTERVAL_MS": "20", "LOG_LEVEL": "INFO"}
SIMULATOR_CONSUMER_ID = "vn30-consumer"
SIMULATOR_CONSUMER_SECRET = "vn30-secret"


@dataclass(frozen=True)
class TargetOptions:
    """What the command line says about the target (pytest options or behave -D userdata)."""

    name: str = DEFAULT_TARGET
    sut_cmd: str | None = None        # live: command template with {port}, {host}, {python}
    sut_url: str | None = None        # live: an already running tracker
    simulator_url: str | None = None  # with sut_url: the simulator that tracker listens to
    clock: str = "auto"               # auto | control | faketime | none (support/clock.py MECHANISMS)
    sut_env: tuple[tuple[str, str], ...] = ()  # --sut-env K=V: more variables for a tracker the suite starts
    startup_timeout_s: float = 20.0


@runtime_checkable
class Target(Protocol):
    name: str
    capabilities: frozenset[str]   # complete after start(); before, what is known without probing
    tracker_url: str               # http://127.0.0.1:PORT, no trailing slash
    simulator_url: str | None      # the simulator's control API, None when the suite has none

    def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
              subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
        """Start with these variables (on `clock` when given); with `subscribed`, wait until the tracker
        has subscribed to the simulator's stream (else only until it answers /health). `exchange` is
        put in place on the simulator after it starts and before the tracker does."""
    def stop(self) -> None: ...
    def log_tail(self, lines: int = 100) -> str: ...


@runtime_checkable
class MemoryReading(Protocol):
    """A target that can read its tracker's resident memory from outside ([perf-memory])."""

    def tracker_memory_bytes(self) -> int | None: ...


@runtime_checkable
class Terminating(Protocol):
    """A target that can tell its tracker to shut down the way SIGTERM does ([ws-shutdown])."""

    def terminate(self, timeout: float) -> float | None:
        """SIGTERM, or its in-process equivalent; the seconds until the tracker exited, None if it had not within
        `timeout`. Raises ScenarioSkip where the suite cannot reach the tracker's process."""
        ...


def check_name(name: str) -> str:
    """`name` if it is a known target; otherwise a ValueError listing the valid ones."""
    if name not in TARGET_MODULES:
        raise ValueError(f"unknown target {name!r}: choose one of {', '.join(TARGET_NAMES)}")
    return name


_unavailable: dict[str, str | None] = {}


def unavailable_reason(options: TargetOptions) -> str | None:
    """Why the target cannot run here (module missing, no engine...), or None; asked once per run."""
    name = check_name(options.name)
    if name not in _unavailable:
        _unavailable[name] = _probe(name, options)
    return _unavailable[name]


def create_target(options: TargetOptions) -> Target:
    """A fresh, unstarted target; raises ScenarioSkip when the target cannot run here."""
    reason = unavailable_reason(options)
    if reason:
        raise ScenarioSkip(reason)
    target: Target = importlib.import_module(TARGET_MODULES[options.name]).create(options)
    return target


def tracker_env(simulator_url: str, options: TargetOptions, overrides: Mapping[str, str]) -> dict[str, str]:
    """The environment of CONTRACT [config-env] for a tracker fed by the suite's simulator.

    Layers, later ones winning: the suite's defaults, the caller's --sut-env, the scenario's own.
    """
    return {
        "SSI_CONSUMER_ID": SIMULATOR_CONSUMER_ID, "SSI_CONSUMER_SECRET": SIMULATOR_CONSUMER_SECRET,
        "SSI_BASE_URL": simulator_url, "SSI_STREAM_URL": simulator_url,
        **TEST_DEFAULT_ENV, **dict(options.sut_env), **overrides,
    }


def parse_sut_env(pairs: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """`--sut-env K=V` values as pairs; a ValueError that says what to write otherwise."""
    parsed = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name or not name.replace("_", "").isalnum():
            raise ValueError(f"--sut-env {pair!r} is not NAME=VALUE (for example --sut-env LOG_LEVEL=DEBUG)")
        parsed.append((name, value))
    return tuple(parsed)


def _probe(name: str, options: TargetOptions) -> str | None:
    try:
        module = importlib.import_module(TARGET_MODULES[name])
    except ModuleNotFoundError as missing:
        if missing.name != TARGET_MODULES[name]:
            raise
        return f"the {name} target is not installed here ({TARGET_MODULES[name]} is missing)"
    probe = getattr(module, "unavailable_reason", None)
    return probe(options) if callable(probe) else None
