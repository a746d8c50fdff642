"""Steps about losing the exchange feed: outages staged at the simulator, and how the tracker comes back.

What the tracker did while reconnecting (when it asked for a token, when it negotiated, how many
stream connections it held) is read from the simulator's own record, so the backoff is seen from
the outside, as SSI would see it; the time that passes meanwhile passes on the tracker's clock in
@clock scenarios (support/outage.py), in real time in the others.
"""

from __future__ import annotations

import datetime as dt
import time

from support import allure_report
from support.bdd import given, then, when
from support.eventually import eventually
from support.outage import REFUSED_FOR_GOOD, TOLERANCE, Outage
from support.upstream import SimulatorFeed
from support.world import World


def _exchange(world: World) -> SimulatorFeed:
    feed = world.feed
    assert isinstance(feed, SimulatorFeed), f"the exchange is {type(feed).__name__}, not the simulator: no outage"
    return feed


def _outage(world: World) -> Outage:
    return world.recall(Outage, "no step of this scenario has taken the exchange feed away")


def _lose(world: World, refuse_for_s: float = 0.0) -> Outage:
    outage = Outage.begin(_exchange(world), world.scenario_clock, refuse_for_s=refuse_for_s)
    world.remember(outage)
    return outage


def _lose_for_a_moment(world: World) -> None:
    _lose(world).wait_back(_exchange(world), world.scenario_clock)


@when("the exchange feed is lost")
def _(world: World) -> None:
    _lose(world)


@given("the exchange feed was lost for a moment")
@when("the exchange feed is lost for a moment")
def _(world: World) -> None:
    _lose_for_a_moment(world)


@when("the exchange feed is lost for a moment, {count:Int} times over")
def _(world: World, count: int) -> None:
    for _ in range(count):
        _lose_for_a_moment(world)


@given("the exchange feed is lost and stays refused for {seconds:Int} seconds")
def _(world: World, seconds: int) -> None:
    _lose(world, refuse_for_s=seconds).wait_noticed(_exchange(world))


@when("the exchange feed is lost and stays refused")
def _(world: World) -> None:
    _lose(world, refuse_for_s=REFUSED_FOR_GOOD)


@then("the tracker is connected to the exchange again")
def _(world: World) -> None:
    _outage(world).wait_back(_exchange(world), world.scenario_clock)


@then("the tracker retries after {delays:Delays} seconds, each within 20 %")
def _(world: World, delays: list[float]) -> None:
    checked = _outage(world).check_backoff(_exchange(world), world.clock, delays, noticed=_noticed(world))
    allure_report.attach_json(f"the backoff on the tracker's clock (each delay within {TOLERANCE:.0%})",
                              [vars(delay) for delay in checked])


@then("the tracker authenticated afresh for every attempt")
def _(world: World) -> None:
    attempts, problems = _outage(world).attempts(_exchange(world))
    assert attempts and not problems, (
        f"expected a new access token for each of the tracker's reconnect attempts; of {len(attempts)} "
        f"attempt(s) since the feed was lost: {'; '.join(problems) or 'none made'}")


@then("the tracker never held more than one stream connection at a time")
def _(world: World) -> None:
    exchange = _exchange(world)

    def one_open() -> int:
        state = exchange.state()
        assert state.get("open_connections") == 1, (
            f"expected the tracker to hold its one stream connection; the exchange has "
            f"{state.get('open_connections')} open")
        return int(state.get("most_connections_at_once", -1))
    most = eventually(one_open)
    assert most == 1, (f"expected the tracker never to hold more than one stream connection at a time; the "
                       f"exchange saw {most} open at once")


def _noticed(world: World) -> dt.datetime:
    """The real moment the first screen was told the feed is disconnected: the tracker had seen the loss."""
    told = [frame.at for _, client in world.screens() for frame in client.frames
            if frame.is_status and frame.payload.get("connected") is False]
    assert told, ("the backoff is timed from the moment the tracker saw the loss, which a screen shows: connect "
                  "one before the loss and check that it is told of the loss first")
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=time.monotonic() - min(told))
