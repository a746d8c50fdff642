"""Steps about alerts: which ones the tracker raises, once per minute, and the history an API caller can read.

"No alert" outcomes first wait until the tracker shows the event that could have raised one,
then watch for a while: otherwise they would pass before the tracker has even seen the event.
"""

from __future__ import annotations

from typing import Any

from support import market
from support.bdd import given, then, when
from support.eventually import consistently, eventually
from support.sync import wait_for_latest
from support.tracker_api import HISTORY_LIMIT, answered_body
from support.world import World

QUIET_S = 0.3  # how long "no alert" is watched once the tracker shows the event
BURST = 250  # frames per request to the exchange
SPIKE_HISTORY = 9  # trades of the usual size before the spike: the spike is the tenth
USUAL_VOLUME, SPIKE_VOLUME = 700, 50_000
FUTURES_REF, FUTURES_CEILING, FUTURES_FLOOR = 1200.0, 1284.0, 1116.0


@given("a volume spike alert has been raised for {symbol:Symbol}")
def _(world: World, symbol: str) -> None:
    price = world.book.calm_price(symbol)
    world.feed.publish([*(market.trade(symbol, USUAL_VOLUME, price) for _ in range(SPIKE_HISTORY)),
                        market.trade(symbol, SPIKE_VOLUME, price)])
    eventually(lambda: _one(world.api.alerts_for("volume_spike", symbol), "volume_spike", symbol))


@given("{count:Int} futures contracts have broken through their ceiling")
@when("{count:Int} futures contracts break through their ceiling")
def _(world: World, count: int) -> None:
    contracts = _futures_contracts(count)
    frames: list[market.Content] = []
    for contract in contracts:
        frames.append(world.book.quote(contract, ref=FUTURES_REF, ceiling=FUTURES_CEILING, floor=FUTURES_FLOOR))
        frames.append(market.trade(contract, 1, FUTURES_CEILING))
    for start in range(0, len(frames), BURST):
        world.feed.publish(frames[start:start + BURST])

    def last_one_registered() -> None:
        newest = world.api.alerts(limit=1)
        seen = [(alert.get("alert_type"), alert.get("symbol")) for alert in newest]
        assert seen == [("price_breakout", contracts[-1])], (
            f"expected the newest alert to be the price breakout of {contracts[-1]}, the last of {count} contracts "
            f"at their ceiling; the newest alert is {seen}")
    eventually(last_one_registered, timeout=15.0)


@then("a {kind:AlertKind} alert is raised for {symbol:Symbol}")
def _(world: World, kind: str, symbol: str) -> None:
    eventually(lambda: _one(world.api.alerts_for(kind, symbol), kind, symbol))


@then("no {kind:AlertKind} alert is raised for {symbol:Symbol}")
def _(world: World, kind: str, symbol: str) -> None:
    wait_for_latest(world.api, world.published, symbol)

    def none() -> None:
        raised = world.api.alerts_for(kind, symbol)
        assert not raised, f"expected no {kind} alert for {symbol}; the tracker raised {raised}"
    consistently(none, duration=QUIET_S)


@then("a critical price breakout alert towards the {direction:Word} is raised for {symbol:Symbol}")
def _(world: World, direction: str, symbol: str) -> None:
    def check() -> None:
        alert = _one(world.api.alerts_for("price_breakout", symbol), "price_breakout", symbol)
        seen = (alert.get("severity"), (alert.get("data") or {}).get("direction"))
        assert seen == ("critical", direction), (
            f"expected a critical price breakout towards the {direction} for {symbol}; the tracker raised one with "
            f"severity {seen[0]!r} towards {seen[1]!r}: {alert}")
    eventually(check)


@then("the alert screen receives a {kind:AlertKind} alert for {symbol:Symbol} within {seconds:Int} second")
def _(world: World, kind: str, symbol: str, seconds: int) -> None:
    def matches(payload: Any) -> bool:
        return isinstance(payload, dict) and payload.get("alert_type") == kind and payload.get("symbol") == symbol
    world.screen("alert screen").wait_for(lambda frame: matches(frame.payload), timeout=seconds,
                                          what=f"a {kind} alert for {symbol}")


@then("the alert screen receives {count:Int} {kind:AlertKind} alert(s) for {symbol:Symbol}")
def _(world: World, count: int, kind: str, symbol: str) -> None:
    wait_for_latest(world.api, world.published, symbol)  # the tracker has seen the trade that could push one
    screen = world.screen("alert screen")

    def pushed() -> list[Any]:
        return [frame.payload for frame in screen.updates if isinstance(frame.payload, dict)
                and frame.payload.get("alert_type") == kind and frame.payload.get("symbol") == symbol]

    def at_least() -> None:
        assert len(pushed()) >= count, (f"expected {screen.name} to receive {count} {kind} alert(s) for {symbol}; "
                                        f"it received {len(pushed())}; {screen.describe()}")

    def exactly() -> None:
        assert len(pushed()) == count, (f"expected {screen.name} to receive {count} {kind} alert(s) for {symbol}, "
                                        f"no more; it received {len(pushed())}: {pushed()}")
    eventually(at_least)
    consistently(exactly, duration=QUIET_S)


@then("the alert history holds {count:Int} {kind:AlertKind} alert(s) for {symbol:Symbol}")
def _(world: World, count: int, kind: str, symbol: str) -> None:
    wait_for_latest(world.api, world.published, symbol)

    def check() -> None:
        held = world.api.alerts_for(kind, symbol)
        assert len(held) == count, (f"expected the alert history to hold {count} {kind} alert(s) for {symbol}; "
                                    f"it holds {len(held)}: {held}")
    eventually(check)
    consistently(check, duration=QUIET_S)


@when("an API caller asks for the latest {limit:Int} alert")
def _(world: World, limit: int) -> None:
    world.last_response = world.api.ask("alerts", {"limit": limit})


@when("an API caller asks for alerts with {parameter:Word} {value:Word}")
def _(world: World, parameter: str, value: str) -> None:
    world.last_response = world.api.ask("alerts", {parameter: value})


@then("the caller receives the newest {count:Int} alerts, newest first")
def _(world: World, count: int) -> None:
    response = world.last_response
    body = answered_body(response, asked="for alerts", expected=f"the newest {count} alerts")
    assert isinstance(body, list), f"expected a list of alerts; the tracker answered {response.text[:300]}"
    newest = [alert.get("id") for alert in world.api.alerts(limit=HISTORY_LIMIT)[:count]]
    seen = [alert.get("id") if isinstance(alert, dict) else alert for alert in body]
    assert len(newest) == count, f"the history holds only {len(newest)} alerts, fewer than the {count} expected"
    assert seen == newest, (f"expected the {count} newest alerts, newest first (ids {newest[:3]}...{newest[-3:]}); "
                            f"the caller received {len(seen)}: ids {seen[:3]}...{seen[-3:]}")


@then("the caller receives the {kind:AlertKind} alert for {symbol:Symbol} only")
@then("the caller receives only the {kind:AlertKind} alert for {symbol:Symbol}")
def _(world: World, kind: str, symbol: str) -> None:
    answer = answered_body(world.last_response, asked="for alerts", expected=f"the {kind} alert for {symbol}")
    seen = [(alert.get("alert_type"), alert.get("symbol")) for alert in answer]
    assert seen == [(kind, symbol)], f"expected only the {kind} alert for {symbol}; the caller received {seen}"


@then("the {kind:AlertKind} alert for {symbol:Symbol} is {kept:Fate}")
def _(world: World, kind: str, symbol: str, kept: bool) -> None:
    held = world.api.alerts_for(kind, symbol)
    if kept:
        assert held, f"expected the {kind} alert for {symbol} to be kept in the history; it is gone"
    else:
        assert not held, f"expected the {kind} alert for {symbol} to be discarded from the history; it holds {held}"


def _one(alerts: list[dict[str, Any]], kind: str, symbol: str) -> dict[str, Any]:
    assert alerts, f"expected a {kind} alert for {symbol}; the tracker has raised none"
    return alerts[0]


def _futures_contracts(count: int) -> list[str]:
    """`count` distinct contract codes shaped like the exchange's (VN30F + year + month: VN30F2412)."""
    codes = [f"VN30F{year:02d}{month:02d}" for year in range(100) for month in range(1, 13)]
    if count > len(codes):
        raise ValueError(f"at most {len(codes)} futures contracts can be told apart, not {count}")
    return codes[:count]
