"""Steps about foreign investors' flow: the exchange's cumulative figures, and the net flow, speeds and rankings shown.

The exchange reports foreign figures cumulative since the open; each step that reports one
starts from the figures the scenario reported last for the symbol, so only what the sentence
names changes. Each report waits until the tracker shows it, so a clock move or a Then-step
never races the message.
"""

from __future__ import annotations

import math
from typing import Any

from support import market
from support.bdd import given, then, when
from support.eventually import eventually
from support.outage import Outage
from support.parse_types import parse_int, parse_number
from support.sync import wait_for_foreign
from support.upstream import SimulatorFeed
from support.world import World

CLOCK_TAG = "clock"
PRICE_VND = 100_000  # what one share is worth when a sentence names only shares or only VND
RECEIVE_TIMEOUT_S = 5.0


@when("the exchange reports foreign investors in {symbol:Symbol} have bought {bought:Int} shares for "
      "{bought_value:Number} VND and sold {sold:Int} for {sold_value:Number} VND{unprefixed:Naming}")
def _(world: World, symbol: str, bought: int, bought_value: float, sold: int, sold_value: float,
      unprefixed: bool) -> None:
    _report(world, [market.foreign_totals(symbol, buy_vol=bought, buy_val=bought_value,
                                          sell_vol=sold, sell_val=sold_value)], unprefixed=unprefixed)


@when("the exchange reports foreign investors in {symbol:Symbol} have sold {sold:Int} shares for {sold_value:Number} "
      "VND, naming no purchases")
def _(world: World, symbol: str, sold: int, sold_value: float) -> None:
    _report(world, [market.foreign_sales(symbol, sell_vol=sold, sell_val=sold_value)])


@when("the exchange reports these foreign totals:")
def _(world: World, table: list[dict[str, str]]) -> None:
    _report(world, [market.foreign_totals(row["symbol"], buy_vol=parse_int(row["bought"]),
                                          buy_val=parse_number(row["bought value"]), sell_vol=parse_int(row["sold"]),
                                          sell_val=parse_number(row["sold value"])) for row in table])


@given("the exchange reported foreign investors in {symbol:Symbol} have {side:Traded} {volume:Int} shares so "
       "far{unprefixed:Naming}")
@when("the exchange reports foreign investors in {symbol:Symbol} have {side:Traded} {volume:Int} shares so "
      "far{unprefixed:Naming}")
def _(world: World, symbol: str, side: str, volume: int, unprefixed: bool) -> None:
    latest = _latest(world, symbol)
    figures = {"buy_vol": latest["FBuyVol"], "buy_val": latest["FBuyVal"],
               "sell_vol": latest["FSellVol"], "sell_val": latest["FSellVal"]}
    figures[f"{side}_vol"], figures[f"{side}_val"] = volume, volume * PRICE_VND
    _report(world, [market.foreign_totals(symbol, **figures)], unprefixed=unprefixed)


@given("foreign investors in {symbol:Symbol} hold a net purchase of {value:Number} VND")
@when("foreign investors in {symbol:Symbol} reach a net purchase of {value:Number} VND")
def _(world: World, symbol: str, value: float) -> None:
    latest = _latest(world, symbol)
    buy_val, sell_val = float(latest["FBuyVal"]), float(latest["FSellVal"])
    change = value - (buy_val - sell_val)  # cumulative figures only grow: more buying, or more selling
    if change >= 0:
        buy_val += change
    else:
        sell_val -= change
    _report(world, [market.foreign_totals(symbol, buy_vol=round(buy_val / PRICE_VND), buy_val=buy_val,
                                          sell_vol=round(sell_val / PRICE_VND), sell_val=sell_val)])


@given("the feed drops while foreign buying in {symbol:Symbol} reaches {volume:Int} shares")
def _(world: World, symbol: str, volume: int) -> None:
    feed = world.feed
    if not isinstance(feed, SimulatorFeed):
        raise TypeError(f"dropping the feed needs the simulator; this target's exchange is a {type(feed).__name__}")
    latest = _latest(world, symbol)
    feed.set_securities([{"Symbol": symbol, "FBuyVol": volume, "FSellVol": latest["FSellVol"],
                          "FBuyVal": volume * PRICE_VND, "FSellVal": latest["FSellVal"]}])
    clock = world.scenario_clock
    Outage.begin(feed, clock).wait_back(feed, clock)  # back and subscribed (foreign figures included) again


@then("the foreign-flow screen shows {symbol:Symbol} with a net of {volume:Int} shares worth {value:Number} VND")
def _(world: World, symbol: str, volume: int, value: float) -> None:
    def shows(payload: Any) -> bool:
        ranked = [*payload.get("top_buy", []), *payload.get("top_sell", [])] if isinstance(payload, dict) else []
        return any(isinstance(entry, dict) and entry.get("symbol") == symbol
                   and _close(entry.get("net_volume"), volume) and _close(entry.get("net_value"), value)
                   for entry in ranked)
    world.screen("foreign-flow screen").wait_for(
        lambda frame: shows(frame.payload), timeout=RECEIVE_TIMEOUT_S,
        what=f"{symbol} with a net of {volume:,} shares worth {value:,.0f} VND")


@then("the foreign summary shows {volume:Int} shares bought for {value:Number} VND")
def _(world: World, volume: int, value: float) -> None:
    _summary_shows(world, "bought", {"total_buy_volume": volume, "total_buy_value": value})


@then("the foreign summary shows {volume:Int} shares sold for {value:Number} VND")
def _(world: World, volume: int, value: float) -> None:
    _summary_shows(world, "sold", {"total_sell_volume": volume, "total_sell_value": value})


@then("the foreign summary shows a net of {volume:Int} shares worth {value:Number} VND")
def _(world: World, volume: int, value: float) -> None:
    _summary_shows(world, "net", {"total_net_volume": volume, "total_net_value": value})


@then("the foreign detail lists these stocks:")
def _(world: World, table: list[dict[str, str]]) -> None:
    expected = {row["symbol"]: (parse_int(row["net volume"]), parse_number(row["net value"])) for row in table}

    def check() -> None:
        stocks = world.api.foreign_detail()["stocks"]
        assert isinstance(stocks, list), f"the foreign detail's stocks are {stocks!r}, not a list"
        seen = {str(entry.get("symbol")): (entry.get("net_volume"), entry.get("net_value"))
                for entry in stocks if isinstance(entry, dict)}
        assert seen.keys() == expected.keys() and all(
            _close(seen[symbol][0], volume) and _close(seen[symbol][1], value)
            for symbol, (volume, value) in expected.items()), (
            f"expected the foreign detail to list (net shares, net VND) {expected}; it lists {seen}")
    eventually(check)


@then("the top foreign buyers are {symbols:Symbols}")
def _(world: World, symbols: list[str]) -> None:
    _ranking_is(world, "top_buy", "top foreign buyers", symbols)


@then("the top foreign sellers are {symbols:Symbols}")
def _(world: World, symbols: list[str]) -> None:
    _ranking_is(world, "top_sell", "top foreign sellers", symbols)


@then("foreign {side:FlowSide} in {symbol:Symbol} runs at {speed:Int} shares per minute")
def _(world: World, side: str, symbol: str, speed: int) -> None:
    _flow_shows(world, symbol, f"{side}_speed_per_min", speed,
                f"foreign {side}ing in {symbol} to run at {speed:,} shares per minute")


@then("foreign {side:FlowSide} in {symbol:Symbol} has {trend:SpeedTrend} by {speed:Int} shares per minute")
def _(world: World, side: str, symbol: str, trend: int, speed: int) -> None:
    _flow_shows(world, symbol, f"{side}_acceleration", trend * speed,
                f"foreign {side}ing in {symbol} to have {'sped up' if trend > 0 else 'slowed'} by {speed:,} shares "
                "per minute")


def _report(world: World, contents: list[market.Content], *, unprefixed: bool = False) -> None:
    """Publish foreign figures (under their other names when `unprefixed`) and wait until the tracker shows them.

    In a scenario that moves the clock (@clock) the clock is held from the first report on: "299 seconds
    have passed" then means 299 s after it, not 299 s plus however long the machine took in between.
    """
    if CLOCK_TAG in world.tags:
        world.clock.hold()
    world.feed.publish([market.unprefixed(content) for content in contents] if unprefixed else contents)
    for content in contents:
        wait_for_foreign(world.api, content)


def _latest(world: World, symbol: str) -> market.Content:
    """The figures the scenario reported last for `symbol` (zero before the first report)."""
    return market.latest_foreign(world.published, symbol) or market.foreign_totals(symbol, buy_vol=0, buy_val=0.0)


def _summary_shows(world: World, what: str, expected: dict[str, float]) -> None:
    def check() -> None:
        summary = world.api.foreign_detail().get("summary") or {}
        seen = {key: summary.get(key) for key in expected}
        assert all(_close(seen[key], value) for key, value in expected.items()), (
            f"expected the foreign summary to show {what}: {expected}; it shows {seen}")
    eventually(check)


def _ranking_is(world: World, key: str, what: str, symbols: list[str]) -> None:
    def check() -> None:
        ranking = (world.api.foreign_detail().get("summary") or {}).get(key) or []
        seen = [entry.get("symbol") for entry in ranking]
        assert seen == symbols, f"expected the {what} to be {', '.join(symbols)}; the tracker ranks {seen}"
    eventually(check)


def _flow_shows(world: World, symbol: str, field: str, expected: float, what: str) -> None:
    def check() -> None:
        seen = world.api.foreign(symbol).get(field)
        assert _close(seen, expected), f"expected {what}; the tracker shows {field} = {seen}"
    eventually(check)


def _close(seen: Any, expected: float) -> bool:
    return isinstance(seen, (int, float)) and math.isclose(seen, expected, rel_tol=1e-9, abs_tol=1e-6)
