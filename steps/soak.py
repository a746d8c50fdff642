"""Steps of the whole trading day ([soak]): screens watching all day, the day itself, and its limits.

The day is driven by support/soak_day.py (the clock moved from outside, the exchange's frames, the
waits); these steps only say what the scenario says.
"""

from __future__ import annotations

from dataclasses import dataclass

from support import soak_day
from support.bdd import given, then, when
from support.soak_day import DayFigures
from support.soak_verdict import check_day_limits, day_verdict
from support.trading_day import DayPlan
from support.world import World
from support.ws_client import WsClient

SCREENS = ("dashboard", "foreign-flow screen", "index screen", "alert screen")
SCREEN_HISTORY = 2  # frames each screen keeps: a day of snapshots (the index board grows all day) would fill
                   # the test process, which is what the wired target reads as the tracker's memory


@dataclass(frozen=True)
class _Screens:
    """The screens that watch the whole day."""

    clients: tuple[WsClient, ...]


@given("the trading day begins at {time:TimeOfDay} in Ho Chi Minh City")
def _(world: World, time: tuple[int, int, int]) -> None:
    soak_day.begin(world, time)


@given("screens watch the market, foreign flow, indices and alerts")
def _(world: World) -> None:
    world.remember(_Screens(tuple(world.connected(persona, history=SCREEN_HISTORY) for persona in SCREENS)))


@when("the exchange trades a whole VN30 day, through the 15:05 reset into the next morning")
def _(world: World) -> None:
    screens = world.recall(_Screens, "no screen watches the day: connect them first").clients
    world.remember(soak_day.run(world, DayPlan.from_env(), screens))


@then("the day stays within these limits:")
def _(world: World, table: list[dict[str, str]]) -> None:
    figures = world.recall(DayFigures, "no whole trading day has run in this scenario")
    day_verdict(figures, check_day_limits(figures, table))
