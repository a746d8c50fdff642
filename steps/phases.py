"""Steps about the trading session's volume: by phase ([phases]), and whole scripted sessions ([conservation]).

These rules only show over a session's worth of trades, so the steps report many frames at
once and compare what the tracker counts with what the exchange reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from support import market
from support.bdd import then, when
from support.eventually import eventually
from support.parse_types import parse_int, parse_number
from support.sync import FUTURES_PREFIX, volume_seen
from support.world import World

PHASES = ("ato", "continuous", "atc")
CLASSES = {"bought actively": "mua_chu_dong_volume", "sold actively": "ban_chu_dong_volume",
           "neutral": "neutral_volume", "total": "total_volume"}
REPLAY_BATCH = 500
REPLAY_TIMEOUT_S = 30.0
SIDES = ("mua_chu_dong_volume", "ban_chu_dong_volume", "neutral_volume")


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
    contents = market.scripted_session(seed)
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
