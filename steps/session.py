"""Steps about the trading session: volume by phase, whole scripted sessions, and the daily reset at 15:05.

The phase and reset rules only show over a session's worth of trades, so these steps report
many frames at once and compare what the tracker counts with what the exchange reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ssi_simulator import frames
from ssi_simulator.market_script import build_session
from support import market
from support.bdd import given, then, when
from support.clock import next_time_of_day
from support.eventually import consistently, eventually
from support.parse_types import BOARDS, parse_int, parse_number
from support.sync import FUTURES_PREFIX, volume_seen
from support.tracker_api import HISTORY_LIMIT
from support.world import World

PHASES = ("ato", "continuous", "atc")
CLASSES = {"bought actively": "mua_chu_dong_volume", "sold actively": "ban_chu_dong_volume",
           "neutral": "neutral_volume", "total": "total_volume"}
REPLAY_BATCH = 500
REPLAY_TIMEOUT_S = 30.0
RESET_QUIET_S = 1.5          # longer than a tracker's once-a-second reset check
RESET_MARGIN_S = 0.1         # a running clock's watch ends this far before 15:05
SIDES = ("mua_chu_dong_volume", "ban_chu_dong_volume", "neutral_volume")
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


# -- trading phases -------------------------------------------------------------------------------
@when("the exchange reports these {symbol:Symbol} trades:")
def _(world: World, symbol: str, table: list[dict[str, str]]) -> None:
    world.feed.publish([market.trade(symbol, parse_int(row["volume"]), parse_number(row["price"]),
                                     session=row["session"]) for row in table])


@then("the volume of {symbol:Symbol} by phase is:")
def _(world: World, symbol: str, table: list[dict[str, str]]) -> None:
    expected = {row["phase"]: {key: parse_int(row[heading]) for heading, key in CLASSES.items()} for row in table}

    def check() -> None:
        stats = world.api.session_stats(symbol)
        seen = {phase: {key: (stats.get(phase) or {}).get(key) for key in CLASSES.values()} for phase in expected}
        assert seen == expected, (f"expected the volume of {symbol} by phase to be {expected}; "
                                  f"the tracker shows {seen}")
    eventually(check)


# -- a whole scripted session ---------------------------------------------------------------------
@when("the exchange replays a scripted VN30 session with seed {seed:Int}")
def _(world: World, seed: int) -> None:
    contents = build_session(seed)
    for start in range(0, len(contents), REPLAY_BATCH):
        world.feed.publish(contents[start:start + REPLAY_BATCH])
    last = contents[-1]
    assert last.get("RType") == "MI", f"the scripted session should end with an index tick, not {last}"
    index_id, value, total = last["IndexId"], last["IndexValue"], last["TotalQtty"]

    def replayed() -> None:  # frames arrive in order: the last one shown means all were taken in
        entry = (world.api.snapshot().get("indices") or {}).get(index_id) or {}
        seen = (entry.get("value"), entry.get("total_volume"))
        assert seen == (value, total), (f"expected the tracker to show the session's closing {index_id} tick "
                                        f"({value}, {total:,} shares); it shows {seen}")
    eventually(replayed, timeout=REPLAY_TIMEOUT_S, interval=0.1)


@then("for every symbol the phases add up to the total")
def _(world: World) -> None:
    wrong: dict[str, str] = {}
    for symbol, stats in _traded_stocks(world):
        for key in CLASSES.values():  # each class, and the total, over the three phases
            phases = [(stats.get(phase) or {}).get(key, 0) for phase in PHASES]
            if sum(phases) != stats.get(key):
                wrong[f"{symbol} {key}"] = f"{' + '.join(map(str, phases))} against {stats.get(key)}"
    assert not wrong, f"expected ato + continuous + atc to add up to the whole session; the tracker shows {wrong}"


@then("for every symbol the active and neutral volumes add up to the total")
def _(world: World) -> None:
    wrong: dict[str, str] = {}
    for symbol, stats in _traded_stocks(world):
        for part, figures in [("session", stats), *((phase, stats.get(phase) or {}) for phase in PHASES)]:
            sides = [figures.get(key, 0) for key in SIDES]
            if sum(sides) != figures.get("total_volume"):
                wrong[f"{symbol} {part}"] = f"{' + '.join(map(str, sides))} against {figures.get('total_volume')}"
    assert not wrong, f"expected bought actively + sold actively + neutral = total; the tracker shows {wrong}"


@then("for every symbol every share the exchange reported is counted once")
def _(world: World) -> None:
    published = world.published
    symbols = sorted({item["Symbol"] for item in published
                      if isinstance(item, dict) and item.get("RType") in ("Trade", "X")})
    assert symbols, "the exchange reported no trades in this scenario"
    counts = {symbol: (market.traded_volume(published, symbol), volume_seen(world.api, symbol))
              for symbol in symbols}
    wrong = {symbol: f"{seen:,} of {reported:,}" for symbol, (reported, seen) in counts.items() if seen != reported}
    assert not wrong, f"expected the tracker to count every share the exchange reported once; it counts {wrong}"


def _traded_stocks(world: World) -> Iterator[tuple[str, dict[str, Any]]]:
    """(symbol, session stats) of every stock the exchange reported trades of; futures have no phases."""
    quotes = world.api.snapshot().get("quotes") or {}
    traded = sorted({item["Symbol"] for item in world.published if isinstance(item, dict)
                     and item.get("RType") in ("Trade", "X") and not item["Symbol"].startswith(FUTURES_PREFIX)})
    missing = [symbol for symbol in traded if symbol not in quotes]
    assert traded and not missing, (f"expected session stats for every stock the exchange reported trades of; "
                                    f"{missing or 'no trades were reported'} missing")
    for symbol in traded:
        yield symbol, quotes[symbol]


# -- the daily reset ------------------------------------------------------------------------------
@given("a trading day has left volume, prices, foreign flow, indices, futures and alerts behind")
def _(world: World) -> None:
    world.feed.publish([
        world.book.quote(DAY_STOCK, **DAY_QUOTE),
        market.trade(DAY_STOCK, DAY_TRADE_VOLUME, DAY_TRADE_PRICE),
        dict(frames.foreign(DAY_FOREIGN, buy_vol=50_000, sell_vol=20_000, buy_val=6.5e9, sell_val=2.6e9)),
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
    consistently(check, duration=_before_reset(world))


@then("the alert history still shows the day's alerts")
def _(world: World) -> None:
    day = world.recall(_DayAlerts, "no step of this scenario has left alerts behind").ids
    assert day, "the trading day left no alert behind"

    def check() -> None:
        missing = day - {alert.get("id") for alert in _alerts(world)}
        assert not missing, f"expected the alert history to still hold the day's alerts; {len(missing)} are gone"
    consistently(check, duration=_before_reset(world))


def _before_reset(world: World) -> float:
    """How long "nothing is reset yet" can be watched: RESET_QUIET_S, or less when the tracker's clock
    runs (libfaketime) and reaches 15:05 sooner."""
    now = world.clock.now()
    return max(0.0, min(RESET_QUIET_S, (next_time_of_day(now, RESET_AT) - now).total_seconds() - RESET_MARGIN_S))


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
