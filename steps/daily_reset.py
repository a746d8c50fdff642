"""Steps about the daily reset at 15:05 Ho Chi Minh City time ([daily-reset]): a day left behind, the clock
passing 15:05, and the boards that must be empty, or still full, afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from support import market
from support.bdd import given, then, when
from support.clock import next_time_of_day, watch_until
from support.eventually import eventually
from support.parse_types import BOARDS
from support.sync import volume_seen
from support.tracker_api import HISTORY_LIMIT
from support.world import World

RESET_MARGIN_S = 0.1         # "nothing reset yet" is watched until this far before 15:05, on the tracker's clock
RESET_AT = (15, 5, 0)        # the daily reset, Ho Chi Minh City time ([daily-reset])

# The day the Background leaves behind (what it reports, and in what order).
DAY_STOCK, DAY_FOREIGN, DAY_INDEX, DAY_FUTURES = "VNM", "FPT", "VN30", "VN30F2412"
DAY_QUOTE = {"ref": 80.0, "ceiling": 85.6, "floor": 74.4, "bid": 80.0, "ask": 80.5}
DAY_TRADE_VOLUME, DAY_TRADE_PRICE = 1_000, 85.6   # at the ceiling: a price breakout alert too
DAY_INDEX_VALUE, DAY_FUTURES_PRICE, DAY_FUTURES_VOLUME = 1250.0, 1255.0, 10


@dataclass(frozen=True)
class _DayAlerts:
    """The ids of the alerts the trading day left behind, for "still shows the day's alerts"."""

    ids: frozenset[Any]


@given("a trading day has left volume, prices, foreign flow, indices, futures and alerts behind")
def _(world: World) -> None:
    world.feed.publish([
        world.book.quote(DAY_STOCK, **DAY_QUOTE),
        market.trade(DAY_STOCK, DAY_TRADE_VOLUME, DAY_TRADE_PRICE),
        market.foreign_totals(DAY_FOREIGN, buy_vol=50_000, sell_vol=20_000, buy_val=6.5e9, sell_val=2.6e9),
        market.index_tick(DAY_INDEX, DAY_INDEX_VALUE, advances=16, declines=10),
        market.trade(DAY_FUTURES, DAY_FUTURES_VOLUME, DAY_FUTURES_PRICE),
    ])

    def left_behind() -> None:
        empty = [board for board in BOARDS if not _on_board(world, board)]
        assert not empty, f"expected the trading day to show on every board; these are still empty: {empty}"
        assert world.api.alerts_for("price_breakout", DAY_STOCK), (
            f"expected a price breakout alert for {DAY_STOCK} at its ceiling; the tracker has none")
    eventually(left_behind)
    world.remember(_DayAlerts(frozenset(alert.get("id") for alert in _alerts(world))))


@when("the clock passes {time:TimeOfDay}")
def _(world: World, time: tuple[int, int, int]) -> None:
    now = world.clock.now()
    later = world.clock.advance((next_time_of_day(now, time) - now).total_seconds() + 1)
    if next_time_of_day(now, RESET_AT) <= later:  # the tracker counts only the new day's trades from now on
        world.new_trading_day()


@then("the {board:Board} is empty")
def _(world: World, board: str) -> None:
    def check() -> None:
        shown = _on_board(world, board)
        assert not shown, f"expected the {board} to be empty; the tracker shows {shown}"
    eventually(check)


@then("the session volume still shows the day's trades")
def _(world: World) -> None:
    expected = market.traded_volume(world.published, DAY_STOCK)

    def check() -> None:
        seen = volume_seen(world.api, DAY_STOCK)
        assert seen == expected, f"expected {DAY_STOCK} to still show {expected:,} shares traded; the tracker shows {seen:,}"
    _until_reset(world, check)


@then("the alert history still shows the day's alerts")
def _(world: World) -> None:
    day = world.recall(_DayAlerts, "no step of this scenario has left alerts behind").ids
    assert day, "the trading day left no alert behind"

    def check() -> None:
        missing = day - {alert.get("id") for alert in _alerts(world)}
        assert not missing, f"expected the alert history to still hold the day's alerts; {len(missing)} are gone"
    _until_reset(world, check)


def _until_reset(world: World, check: Callable[[], None]) -> None:
    """`check` holds until just before 15:05 on the tracker's clock: a held test clock is moved there (its
    moves apply the reset check before they answer, [test-clock]); a running one (libfaketime) is
    watched in real time until then, under a second."""
    clock = world.clock
    watch_until(clock, next_time_of_day(clock.now(), RESET_AT), check, margin_s=RESET_MARGIN_S)


def _alerts(world: World) -> list[dict[str, Any]]:
    return world.api.alerts(limit=HISTORY_LIMIT)


_BOARDS: dict[str, Callable[[World], Any]] = {
    "session volume": lambda world: world.api.snapshot().get("quotes"),
    "price board": lambda world: world.api.snapshot().get("prices"),
    "foreign flow": lambda world: world.api.foreign_detail().get("stocks"),
    "index board": lambda world: world.api.snapshot().get("indices"),
    "derivatives board": lambda world: world.api.snapshot().get("derivatives"),
    "alert history": _alerts,
}


def _on_board(world: World, board: str) -> Any:
    """What the board shows: falsy (None, {} or []) when it is empty."""
    return _BOARDS[board](world)
