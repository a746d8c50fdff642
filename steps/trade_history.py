"""Steps about what has already traded before a scenario's event: history that alert rules and phases build on.

Each step waits until the tracker shows the trades, so that a later clock move or "no alert"
check starts from a tracker that has really seen them. In scenarios that move the tracker's
clock (@clock), the clock is held still from the history on: "59 seconds have passed" must
mean 59 s after the trade, not 59 s plus however long the machine took in between.
"""

from __future__ import annotations

from support import market
from support.bdd import given
from support.sync import wait_for_trades
from support.upstream import SimulatorFeed
from support.world import World

ONE_TRADE_VOLUME = 100
CLOCK_TAG = "clock"


@given("{symbol:Symbol} has traded at {price:Number}")
def _(world: World, symbol: str, price: float) -> None:
    _history(world, symbol, [market.trade(symbol, ONE_TRADE_VOLUME, price)])


@given("{symbol:Symbol} has traded {count:Int} times at {volume:Int} shares")
def _(world: World, symbol: str, count: int, volume: int) -> None:
    price = world.book.calm_price(symbol)
    _history(world, symbol, [market.trade(symbol, volume, price) for _ in range(count)])


@given("{symbol:Symbol} has traded {volume:Int} shares at {price:Number}")
@given("{symbol:Symbol} has traded {volume:Int} contracts at {price:Number}")
def _(world: World, symbol: str, volume: int, price: float) -> None:
    _history(world, symbol, [market.trade(symbol, volume, price)])


@given("every stock of the VN30 basket has traded")
def _(world: World) -> None:
    feed = world.feed
    if not isinstance(feed, SimulatorFeed):
        raise TypeError(f"the VN30 basket is the simulator's; this target's exchange is a {type(feed).__name__}")
    basket = [str(symbol) for symbol in feed.state().get("vn30") or []]
    assert basket, "the simulator serves no VN30 basket"
    world.feed.publish([market.trade(symbol, ONE_TRADE_VOLUME, world.book.calm_price(symbol)) for symbol in basket])
    wait_for_trades(world.api, world.published, basket[-1])  # the stream keeps their order: the rest came first


def _history(world: World, symbol: str, trades: list[market.Content]) -> None:
    if CLOCK_TAG in world.tags:
        world.clock.hold()  # from now on only the scenario moves the clock (a no-op where it runs, libfaketime)
    world.feed.publish(trades)
    wait_for_trades(world.api, world.published, symbol)
