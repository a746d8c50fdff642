"""Steps about the screens (WebSocket clients): who is admitted, what each one receives, and when."""

from __future__ import annotations

from typing import Any

from support import market
from support.bdd import given, then, when
from support.eventually import consistently, eventually
from support.targets import TEST_DEFAULT_ENV
from support.world import World
from support.ws_client import Frame

RECEIVE_TIMEOUT_S = 5.0
POLICY_VIOLATION = 1008


@given("dashboards are throttled to one update per {interval:Int} ms")
def _(world: World, interval: int) -> None:
    world.configure(WS_THROTTLE_INTERVAL_MS=str(interval))


@given("dashboards must present a token")
def _(world: World) -> None:
    world.require_ws_token()


@given("one address may open {count:Int} dashboards")
def _(world: World, count: int) -> None:
    world.configure(WS_MAX_CONNECTIONS_PER_IP=str(count))


@given("{screen:Persona} is connected")
def _(world: World, screen: str) -> None:
    world.connected(screen)


@given("{count:Int} dashboards are connected")
def _(world: World, count: int) -> None:
    for _ in range(count):
        world.connected("dashboard")


@given("a slow dashboard that never reads is connected")
def _(world: World) -> None:
    world.connected("slow dashboard", slow=True)


@given("{screen:Persona} is connected with the right token")
def _(world: World, screen: str) -> None:
    assert world.ws_token, "no token is required in this scenario: say first that dashboards must present one"
    world.connected(screen, token=world.ws_token)


@when("{screen:Persona} connects with a wrong token")
def _(world: World, screen: str) -> None:
    world.connect(screen, token=f"wrong-{world.ws_token or 'token'}")


@when("another {screen:Screen} connects from the same address")
def _(world: World, screen: str) -> None:
    world.connect(screen)


@then("the {screen:Screen} is closed for a policy violation")
def _(world: World, screen: str) -> None:
    client = world.screen(screen)
    code = client.wait_closed(RECEIVE_TIMEOUT_S)
    assert code == POLICY_VIOLATION, (
        f"expected {client.name} to be closed with {POLICY_VIOLATION} (policy violation); {client.describe()}")


@then("the {screen:Screen} receives the trade of {symbol:Symbol}")
def _(world: World, screen: str, symbol: str) -> None:
    volume = market.traded_volume(world.published, symbol)
    world.screen(screen).wait_for(lambda frame: _traded(frame, symbol) >= volume, timeout=RECEIVE_TIMEOUT_S,
                                  what=f"an update with the {volume} shares of {symbol} traded")


@then("the {screen:Screen} receives no update")
def _(world: World, screen: str) -> None:
    client = world.screen(screen)
    consistently(lambda: _no_updates(client.updates, client.name), duration=_quiet_window(world))


@then("the {screen:Screen} receives exactly {count:Int} updates")
def _(world: World, screen: str, count: int) -> None:
    client = world.screen(screen)

    def at_least() -> None:
        assert len(client.updates) >= count, f"{client.name} received {len(client.updates)} of {count} updates"

    def at_most() -> None:
        updates = client.updates
        assert len(updates) == count, (
            f"expected exactly {count} updates to {client.name}; it received {len(updates)} at "
            f"{[round(frame.at - updates[0].at, 3) for frame in updates]} s after the first")

    eventually(at_least, timeout=RECEIVE_TIMEOUT_S + _quiet_window(world))
    consistently(at_most, duration=_quiet_window(world))


@then("the last update the {screen:Screen} received shows {volume:Int} shares of {symbol:Symbol} traded")
@then("the {screen:Screen} eventually shows {volume:Int} shares of {symbol:Symbol} traded")
def _(world: World, screen: str, volume: int, symbol: str) -> None:
    client = world.screen(screen)

    def check() -> None:
        updates = client.updates
        seen = _traded(updates[-1], symbol) if updates else None
        assert seen == volume, (f"expected the last update to {client.name} to show {volume} shares of {symbol} "
                                f"traded; it shows {seen} ({len(updates)} updates so far)")
    eventually(check, timeout=RECEIVE_TIMEOUT_S + _quiet_window(world))


def _traded(frame: Frame, symbol: str) -> int:
    """Shares of `symbol` traded according to a market snapshot message (-1 when it has none)."""
    payload: Any = frame.payload
    quotes = payload.get("quotes") if isinstance(payload, dict) else None
    stats = quotes.get(symbol) if isinstance(quotes, dict) else None
    return int(stats.get("total_volume", -1)) if isinstance(stats, dict) else -1


def _no_updates(updates: list[Frame], name: str) -> None:
    assert not updates, f"expected no update to {name}; it received {[str(frame.data)[:200] for frame in updates]}"


def _quiet_window(world: World) -> float:
    """Long enough for a throttled update to have come: two throttle windows, at least 0.3 s."""
    interval_ms = float(world.env.get("WS_THROTTLE_INTERVAL_MS", TEST_DEFAULT_ENV["WS_THROTTLE_INTERVAL_MS"]))
    return max(0.3, 2 * interval_ms / 1000)
