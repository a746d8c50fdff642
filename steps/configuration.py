"""Steps about how a tracker is configured: the contract's variables, the suite's own environment, test control."""

from __future__ import annotations

from support.bdd import given
from support.world import World


@given("the suite's own environment sets {name:EnvName} to {value}")
def _(world: World, name: str, value: str) -> None:
    world.set_caller_env(name, value)


@given("the tracker's test control is on")
def _(world: World) -> None:
    world.configure(TRACKER_TEST_CONTROL="1")


@given("the tracker's test control is off")
def _(world: World) -> None:
    world.configure(TRACKER_TEST_CONTROL="0")
