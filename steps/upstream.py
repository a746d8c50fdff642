"""Steps about the exchange feed itself: malformed frames, and the frames the tracker counts ([metrics])."""

from __future__ import annotations

from support import market
from support.bdd import then, when
from support.eventually import eventually
from support.upstream import SimulatorFeed
from support.world import World


@when("the exchange sends a frame with {defect}")
def _(world: World, defect: str) -> None:
    world.feed.publish([market.malformed(defect)])


@when("the exchange reports a one-minute bar of {symbol:Symbol}")
def _(world: World, symbol: str) -> None:
    world.feed.publish([market.bar(symbol)])


@when("the exchange sends one stream frame holding a trade of {first:Int} {symbol:Symbol} at {price:Number}, a "
      "message that is not an object and a trade of {second:Int} {symbol2:Symbol} at {price2:Number}")
def _(world: World, first: int, symbol: str, price: float, second: int, symbol2: str, price2: float) -> None:
    feed = world.feed
    if not isinstance(feed, SimulatorFeed):
        raise TypeError(f"a whole stream frame needs the simulator; this target's exchange is a {type(feed).__name__}")
    trades = [market.trade(symbol, first, price), market.trade(symbol2, second, price2)]
    feed.publish_signalr(market.signalr_frame([trades[0], 42, trades[1]]), reported=trades)


@then("the tracker has counted {count:Int} frames read from the exchange")
def _(world: World, count: int) -> None:
    def check() -> None:
        seen = world.api.frames_received()
        assert seen == count, f"expected the tracker to have counted {count} frames read; its metrics say {seen:g}"
    eventually(check)


@then("the tracker has counted {count:Int} rejected frame")
def _(world: World, count: int) -> None:
    def check() -> None:
        seen = world.api.rejected_frames()
        assert seen == count, f"expected the tracker to have counted {count} rejected frame(s); its metrics say {seen:g}"
    eventually(check)
