"""Steps about indices and VN30 futures: index ticks, breadth, the basis and its trend."""

from __future__ import annotations

import math
from typing import Any

from support import market
from support.bdd import given, then, when
from support.eventually import consistently, eventually
from support.sync import wait_for_frames_read
from support.world import World

QUIET_S = 0.3  # how long "still shows" is watched once the tracker has read every frame
_INDEX_TICK = ("the exchange reports {index:Symbol} at {value:Number} with {advances:Int} advancing and "
               "{declines:Int} declining stocks")


@given(_INDEX_TICK)
@when(_INDEX_TICK)
def _(world: World, index: str, value: float, advances: int, declines: int) -> None:
    world.feed.publish([market.index_tick(index, value, advances=advances, declines=declines)])


@when("the exchange reports {index:Symbol} at {value:Number} with {advances:Int} advancing, {declines:Int} declining "
      "and {unchanged:Int} unchanged stocks")
def _(world: World, index: str, value: float, advances: int, declines: int, unchanged: int) -> None:
    world.feed.publish([market.index_tick(index, value, advances=advances, declines=declines, no_changes=unchanged)])


@given("the exchange reports {index:Symbol} at {value:Number} against a prior value of {prior:Number}")
@when("the exchange reports {index:Symbol} at {value:Number} against a prior value of {prior:Number}")
def _(world: World, index: str, value: float, prior: float) -> None:
    world.feed.publish([market.index_tick(index, value, prior=prior)])


@given("the active futures contract is pinned to {symbol:Symbol}")
def _(world: World, symbol: str) -> None:
    world.configure(FUTURES_OVERRIDE=symbol)


@then("the index board shows {index:Symbol} at {value:Number}, {direction:Direction} {change:Number} or "
      "{ratio:Number} % from a prior value of {prior:Number}")
def _(world: World, index: str, value: float, direction: int, change: float, ratio: float, prior: float) -> None:
    expected = {"value": value, "change": direction * change, "ratio_change": direction * ratio, "prior_value": prior}

    def check() -> None:
        entry = _index(world, index)
        seen = {key: entry.get(key) for key in expected}
        assert all(_close(seen[key], number) for key, number in expected.items()), (
            f"expected the index board to show {index} with {expected}; it shows {seen}")
    eventually(check)


@then("the index board shows {index:Symbol} at {value:Number} with no change")
def _(world: World, index: str, value: float) -> None:
    expected = {"value": value, "change": 0.0, "ratio_change": 0.0}

    def check() -> None:
        entry = _index(world, index)
        seen = {key: entry.get(key) for key in expected}
        assert all(_close(seen[key], number) for key, number in expected.items()), (
            f"expected the index board to show {index} at {value} with no change (no prior value to change from); "
            f"it shows {seen}")
    eventually(check)


@then("the intraday line of {index:Symbol} shows {values:Numbers}")
def _(world: World, index: str, values: list[float]) -> None:
    def check() -> None:
        points = _index(world, index)["intraday"]
        assert isinstance(points, list) and all(isinstance(point, dict) for point in points), (
            f"the intraday points of {index} are {points!r}, not a list of objects")
        in_time = sorted(points, key=lambda point: str(point.get("timestamp")))  # the contract orders nothing
        seen = [point.get("value") for point in in_time]
        assert len(seen) == len(values) and all(map(_close, seen, values)), (
            f"expected one intraday point of {index} per update: {values}; the index board shows {seen}")
    eventually(check)


@then("the index board shows {index:Symbol} at {value:Number}")
def _(world: World, index: str, value: float) -> None:
    def check() -> None:
        seen = _index(world, index).get("value")
        assert _close(seen, value), f"expected the index board to show {index} at {value}; it shows {seen}"
    eventually(check)


@then("the index board shows {index:Symbol} with {advances:Int} advancing, {declines:Int} declining and "
      "{unchanged:Int} unchanged stocks")
def _(world: World, index: str, advances: int, declines: int, unchanged: int) -> None:
    expected = {"advances": advances, "declines": declines, "no_changes": unchanged}

    def check() -> None:
        entry = _index(world, index)
        seen = {key: entry.get(key) for key in expected}
        assert seen == expected, f"expected the index board to show {index} with the breadth {expected}; it shows {seen}"
    eventually(check)


@then("the index screen shows {index:Symbol} at {value:Number} with an advance ratio of {ratio:Number}")
def _(world: World, index: str, value: float, ratio: float) -> None:
    def shows(payload: Any) -> bool:
        entry = payload.get(index) if isinstance(payload, dict) else None
        return (isinstance(entry, dict) and _close(entry.get("value"), value)
                and _close(entry.get("advance_ratio"), ratio))
    world.screen("index screen").wait_for(lambda frame: shows(frame.payload), timeout=5.0,
                                          what=f"{index} at {value} with an advance ratio of {ratio}")


@then("the derivatives board shows {symbol:Symbol} at {price:Number} with a {premium:BasisKind} of {basis:Number} "
      "points or {basis_pct:Number} %")
def _(world: World, symbol: str, price: float, premium: bool, basis: float, basis_pct: float) -> None:
    expected = {"symbol": symbol, "last_price": price, "basis": basis, "basis_pct": basis_pct, "is_premium": premium}
    eventually(lambda: _board_shows(world, expected))


@then("the derivatives board shows {symbol:Symbol} at {price:Number}")
def _(world: World, symbol: str, price: float) -> None:
    def check() -> None:
        board = world.api.derivatives()
        seen = (board.get("symbol"), board.get("last_price"))
        assert seen[0] == symbol and _close(seen[1], price), (
            f"expected the derivatives board to show {symbol} at {price}; it shows {seen[0]} at {seen[1]}")
    eventually(check)


@then("the derivatives board still shows {symbol:Symbol} at {price:Number} with a {premium:BasisKind} of "
      "{basis:Number} points or {basis_pct:Number} %")
def _(world: World, symbol: str, price: float, premium: bool, basis: float, basis_pct: float) -> None:
    expected = {"symbol": symbol, "last_price": price, "basis": basis, "basis_pct": basis_pct, "is_premium": premium}
    wait_for_frames_read(world.api, world.published)
    consistently(lambda: _board_shows(world, expected), duration=QUIET_S)


@then("the basis trend of the last {minutes:Int} minutes shows {points:Numbers} points")
def _(world: World, minutes: int, points: list[float]) -> None:
    eventually(lambda: _trend_is(world, minutes, points, f"of the last {minutes} minutes"))


@then("the basis trend asked without a window shows {points:Numbers} points")
def _(world: World, points: list[float]) -> None:
    eventually(lambda: _trend_is(world, None, points, "asked without a window"))


def _trend_is(world: World, minutes: int | None, points: list[float], what: str) -> None:
    seen = [point.get("basis") for point in world.api.basis_trend(minutes)]
    assert len(seen) == len(points) and all(map(_close, seen, points)), (
        f"expected the basis trend {what} to be {points}; it is {seen}")


def _board_shows(world: World, expected: dict[str, Any]) -> None:
    board = world.api.derivatives()
    seen = {key: board.get(key) for key in expected}
    assert all(_close(seen[key], value) if isinstance(value, float) else seen[key] == value
               for key, value in expected.items()), f"expected the derivatives board to show {expected}; it shows {seen}"


def _index(world: World, index: str) -> dict[str, Any]:
    """The index board's entry of `index` (the market snapshot's indices); AssertionError while it has none."""
    indices = world.api.snapshot()["indices"]
    entry = indices.get(index) if isinstance(indices, dict) else None
    assert isinstance(entry, dict), f"the index board has no {index} (it has {sorted(indices or {}) or 'nothing'})"
    return entry


def _close(seen: Any, expected: float) -> bool:
    return isinstance(seen, (int, float)) and math.isclose(seen, expected, rel_tol=1e-9, abs_tol=1e-6)
