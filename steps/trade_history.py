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


def _history(world: World, symbol: str, trades: list[market.Content]) -> None:
    if CLOCK_TAG in world.tags:
        world.clock.hold()  # from now on only the scenario moves the clock (a no-op where it runs, libfaketime)
    world.feed.publish(trades)
    wait_for_trades(world.api, world.published, symbol)
