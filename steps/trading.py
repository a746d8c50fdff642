"""Steps about quotes and trades: what the exchange reports, what the price board and the volumes show."""

from __future__ import annotations

import math
from typing import Any

from support import market
from support.bdd import given, then, when
from support.eventually import eventually
from support.parse_types import parse_int
from support.sync import wait_for_trades
from support.world import World


@given("the best bid for {symbol:Symbol} is {bid:Number} and the best ask is {ask:Number}")
@when("the best bid for {symbol:Symbol} becomes {bid:Number} and the best ask {ask:Number}")
def _(world: World, symbol: str, bid: float, ask: float) -> None:
    world.feed.publish([world.book.quote(symbol, bid=bid, ask=ask)])


@given("{symbol:Symbol} has a reference price of {ref:Number}, a ceiling of {ceiling:Number} and a floor of {floor:Number}")
def _(world: World, symbol: str, ref: float, ceiling: float, floor: float) -> None:
    world.feed.publish([world.book.quote(symbol, ref=ref, ceiling=ceiling, floor=floor)])


@given("no quote has been seen for {symbol:Symbol}")
def _(world: World, symbol: str) -> None:
    assert not world.book.has_quote(symbol), f"this scenario already reported a quote for {symbol}"


@when("the exchange reports a trade of {volume:Int} {symbol:Symbol} at {price:Number}")
def _(world: World, volume: int, symbol: str, price: float) -> None:
    world.feed.publish([market.trade(symbol, volume, price)])


@when("the exchange reports a trade of {volume:Int} {symbol:Symbol} at {price:Number} in the {session:Session} session")
def _(world: World, volume: int, symbol: str, price: float, session: str) -> None:
    world.feed.publish([market.trade(symbol, volume, price, session=session)])


@when("the exchange reports a trade of {volume:Int} {symbol:Symbol} at {price:Number}, "
      "{direction:Direction} {change:Number} or {change_pct:Number} %")
def _(world: World, volume: int, symbol: str, price: float, direction: int, change: float, change_pct: float) -> None:
    world.feed.publish([market.trade(symbol, volume, price, change=direction * change,
                                     change_pct=direction * change_pct)])


@when("the exchange reports a trade of {volume:Int} {symbol:Symbol} at {price:Number} in one message with a best bid "
      "of {bid:Number} and a best ask of {ask:Number}")
def _(world: World, volume: int, symbol: str, price: float, bid: float, ask: float) -> None:
    world.feed.publish([world.book.trade_quote(symbol, volume, price, bid=bid, ask=ask)])


@when("the exchange reports a trade of {volume:Int} {symbol:Symbol} at {price:Number} in one message with a reference "
      "price of {ref:Number}, a ceiling of {ceiling:Number} and a floor of {floor:Number}")
def _(world: World, volume: int, symbol: str, price: float, ref: float, ceiling: float, floor: float) -> None:
    world.feed.publish([world.book.trade_quote(symbol, volume, price, ref=ref, ceiling=ceiling, floor=floor)])


@when("the exchange reports {count:Int} trades of {volume:Int} {symbol:Symbol} at {price:Number} {burst:Pace}")
def _(world: World, count: int, volume: int, symbol: str, price: float, burst: bool) -> None:
    world.feed.publish([market.trade(symbol, volume, price) for _ in range(count)], burst=burst)


@then("{symbol:Symbol} has {buy:Int} shares bought actively, {sell:Int} sold actively and {neutral:Int} neutral")
def _(world: World, symbol: str, buy: int, sell: int, neutral: int) -> None:
    def check() -> None:
        stats = world.api.session_stats(symbol)
        seen = (stats["mua_chu_dong_volume"], stats["ban_chu_dong_volume"], stats["neutral_volume"])
        assert seen == (buy, sell, neutral), (
            f"expected {symbol} to show {buy} bought actively, {sell} sold actively, {neutral} neutral; "
            f"the tracker shows {seen[0]}, {seen[1]}, {seen[2]}")
    eventually(check)


@then("the value {side:ActiveSide} in {symbol:Symbol} is {value:Number} VND")
def _(world: World, side: str, symbol: str, value: float) -> None:
    wait_for_trades(world.api, world.published, symbol)  # every trade in: the value is the whole session's

    def check() -> None:
        seen = world.api.session_stats(symbol)[f"{side}_value"]
        assert _same(seen, value), f"expected {value:,.0f} VND as {side}_value of {symbol}; the tracker shows {seen}"
    eventually(check)


@then("{symbol:Symbol} has {total:Int} shares traded in total")
def _(world: World, symbol: str, total: int) -> None:
    def check() -> None:
        seen = world.api.session_stats(symbol)["total_volume"]
        assert seen == total, f"expected {total} shares of {symbol} traded in total; the tracker shows {seen}"
    eventually(check)


@then("the price board shows {symbol:Symbol} at {price:Number}, {direction:Direction} {change:Number} or {change_pct:Number} %")
def _(world: World, symbol: str, price: float, direction: int, change: float, change_pct: float) -> None:
    expected = {"last_price": price, "change": direction * change, "change_pct": direction * change_pct}
    eventually(lambda: _shows(world.api.price(symbol), expected, f"the price board for {symbol}"))


@then("the price board shows {symbol:Symbol} at {price:Number}, {direction:Direction} {change:Number} from its "
      "reference price")
def _(world: World, symbol: str, price: float, direction: int, change: float) -> None:
    expected = {"last_price": price, "change": direction * change}
    eventually(lambda: _shows(world.api.price(symbol), expected, f"the price board for {symbol}"))


@then("the price board shows {symbol:Symbol} between a floor of {floor:Number} and a ceiling of {ceiling:Number} "
      "around {ref:Number}")
def _(world: World, symbol: str, floor: float, ceiling: float, ref: float) -> None:
    expected = {"floor": floor, "ceiling": ceiling, "ref_price": ref}
    eventually(lambda: _shows(world.api.price(symbol), expected, f"the price board for {symbol}"))


@then("the volume statistics list:")
def _(world: World, table: list[dict[str, str]]) -> None:
    columns = {"bought actively": "mua_chu_dong_volume", "sold actively": "ban_chu_dong_volume",
               "neutral": "neutral_volume", "total": "total_volume"}
    expected = {row["symbol"]: {key: parse_int(row[heading]) for heading, key in columns.items()} for row in table}

    def check() -> None:
        seen = {str(stats["symbol"]): {key: stats[key] for key in columns.values()} for stats in world.api.volume_stats()}
        assert seen == expected, f"expected the volume statistics to list {expected}; they list {seen}"
    eventually(check)


@then("the market snapshot shows {symbol:Symbol}")
def _(world: World, symbol: str) -> None:
    eventually(lambda: world.api.session_stats(symbol))


@then("{symbol:Symbol} appears nowhere in the market snapshot")
def _(world: World, symbol: str) -> None:
    text = world.api.ask("the market snapshot", {}).text
    assert f'"{symbol}"' not in text, f"{symbol} is not on the watchlist, yet the market snapshot names it: {text[:500]}"


def _same(seen: Any, expected: float) -> bool:
    return isinstance(seen, (int, float)) and math.isclose(seen, expected, rel_tol=1e-9, abs_tol=1e-6)


def _shows(entry: dict[str, Any], expected: dict[str, float], what: str) -> None:
    wrong = {key: entry.get(key) for key, value in expected.items() if not _same(entry.get(key), value)}
    assert not wrong, f"expected {what} to show {expected}; it shows {wrong} for those fields ({entry})"
