"""Steps that move the tracker's clock (scenarios tagged @clock; skipped where there is no test control)."""

from __future__ import annotations

from support.bdd import given, when
from support.world import World


@given("{count:Int} seconds have passed")
def _(world: World, count: int) -> None:
    world.clock.advance(count)


@given("{count:Int} minutes have passed")
def _(world: World, count: int) -> None:
    world.clock.advance(count * 60)


@when("{count:Int} minutes pass")
def _(world: World, count: int) -> None:
    world.clock.advance(count * 60)


@given("it is {time:TimeOfDay} in Ho Chi Minh City")
@when("it is {time:TimeOfDay} in Ho Chi Minh City")
def _(world: World, time: tuple[int, int, int]) -> None:
    world.clock.set_time_of_day(*time)
