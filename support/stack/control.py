"""What a scenario can do to the containers of the stack: the docker target's extra methods, as a protocol.

Steps import this (light) module rather than the target, so binding the step library never
imports testcontainers or the Docker SDK.

    target = world.require("docker")
    stack = as_stack(target)            # ScenarioSkip-free: "docker" capability implies StackControl
    stack.stop_simulator(); stack.start_simulator()
    stack.restart_tracker(); took = stack.stop_tracker(timeout=10)
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class StackControl(Protocol):
    """Containers controlled by name; every start/restart waits until the service answers again."""

    tracker_url: str
    simulator_url: str | None

    def stop_simulator(self, timeout: float = 10) -> float: ...
    def start_simulator(self) -> None: ...
    def stop_tracker(self, timeout: float = 10) -> float: ...
    def restart_tracker(self, timeout: float = 10) -> None: ...
    def pause_tracker(self) -> None: ...
    def unpause_tracker(self) -> None: ...
    def limit_tracker_memory(self, limit: str) -> None: ...
    def tracker_state(self) -> dict[str, Any]: ...
    def wait_tracker_subscribed(self, timeout: float = 20) -> None: ...


def as_stack(target: object) -> StackControl:
    """`target` as StackControl; a TypeError names a target that claims "docker" without the methods."""
    if not isinstance(target, StackControl):
        raise TypeError(f"target {getattr(target, 'name', target)!r} has capability 'docker' but does not "
                        "implement support.stack.control.StackControl")
    return target
