"""Steps about the screens (WebSocket clients): who is admitted, what each one receives, and when."""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

from support import market, shapes
from support.bdd import given, then, when
from support.eventually import consistently, eventually
from support.targets import TEST_DEFAULT_ENV
from support.world import CHANNELS, World
from support.ws_client import Frame, WsClient

RECEIVE_TIMEOUT_S = 5.0
STATUS_TIMEOUT_S = 10.0
RECONNECT_TIMEOUT_S = 20.0   # the tracker's backoff (2 s, 4 s, 8 s...) may be under way
POLICY_VIOLATION = 1008
GOING_AWAY = 1001
HEARTBEAT_TOLERANCE = 0.3   # a ping this much early or late (of the interval) is not on time
HEARTBEAT_GRACE_S = 1.5     # how long past its due time the last heartbeat of an idle spell is awaited
HEARTBEATS_WATCHED = 3      # the fewest heartbeats "every N seconds" judges
DEFAULT_HEARTBEAT_S = "30"  # [config-env]: WS_HEARTBEAT_INTERVAL's default


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


@given("these screens are connected:")
def _(world: World, table: list[dict[str, str]]) -> None:
    for row in table:
        world.connected(row["screen"])


@given("{count:Int} dashboards are connected")
def _(world: World, count: int) -> None:
    for _ in range(count):
        world.connected("dashboard")


@given("a slow dashboard that never reads is connected")
@given("a slow dashboard that stops reading is connected")
def _(world: World) -> None:
    world.connected("slow dashboard", slow=True)


@given("the tracker holds at most {count:Int} updates for each screen")
def _(world: World, count: int) -> None:
    world.configure(WS_QUEUE_SIZE=str(count))


@given("screens get a heartbeat every {seconds:Int} second")
def _(world: World, seconds: int) -> None:
    world.configure(WS_HEARTBEAT_INTERVAL=str(seconds))


@given("{screen:Persona} is connected with the right token")
def _(world: World, screen: str) -> None:
    assert world.ws_token, "no token is required in this scenario: say first that dashboards must present one"
    world.connected(screen, token=world.ws_token)


@when("{screen:Persona} connects")
def _(world: World, screen: str) -> None:
    world.connect(screen)


@when("the {screen:Screen} reconnects")
def _(world: World, screen: str) -> None:
    world.screen(screen).close()
    world.connected(screen)


@when("{screen:Persona} connects with a wrong token")
def _(world: World, screen: str) -> None:
    world.connect(screen, token=f"wrong-{world.ws_token or 'token'}")


@when("{screen:Persona} connects without a token")
def _(world: World, screen: str) -> None:
    world.connect(screen, token=None)


@when("the exchange reports {count:Int} trades of {volume:Int} {symbol:Symbol} at {price:Number}, each shown on the "
      "{screen:Screen} before the next")
def _(world: World, count: int, volume: int, symbol: str, price: float, screen: str) -> None:
    client = world.screen(screen)
    for number in range(1, count + 1):
        world.feed.publish([market.trade(symbol, volume, price)])
        traded = market.traded_volume(world.published, symbol)
        client.wait_for(lambda frame, traded=traded: _traded(frame, symbol) == traded, timeout=RECEIVE_TIMEOUT_S,
                        what=f"trade {number} of {count} ({traded} shares of {symbol} traded in all)")


@when("the {screen:Screen} reads again")
def _(world: World, screen: str) -> None:
    world.screen(screen).resume()


@when("the {screen:Screen} stays idle for {seconds:Int} seconds")
def _(world: World, screen: str, seconds: int) -> None:
    client = world.screen(screen)
    # the heartbeats are what is awaited: the wait ends as soon as the last one is due and has come
    interval = _heartbeat_interval(world)
    eventually(lambda: _heartbeats_by(client, seconds, interval), timeout=seconds + HEARTBEAT_GRACE_S, interval=0.02)


@when("another {screen:Screen} connects from the same address")
def _(world: World, screen: str) -> None:
    world.connect(screen)


@then("the {screen:Screen} is closed for a policy violation")
def _(world: World, screen: str) -> None:
    client = world.screen(screen)
    code = client.wait_closed(RECEIVE_TIMEOUT_S)
    assert code == POLICY_VIOLATION, (
        f"expected {client.name} to be closed with {POLICY_VIOLATION} (policy violation); {client.describe()}")


@then("the {screen:Screen} is closed because the tracker is going away")
def _(world: World, screen: str) -> None:
    _going_away(world.screen(screen))


@then("every screen is closed because the tracker is going away")
def _(world: World) -> None:
    for client in _every_screen(world):
        _going_away(client)


@then("the {screen:Screen} missed older updates but none of the newest {count:Int} the {other:Screen} received")
def _(world: World, screen: str, count: int, other: str) -> None:
    slow, fast = world.screen(screen), world.screen(other)
    sent = [frame.data for frame in fast.updates]
    assert len(sent) > count, f"{fast.name} received {len(sent)} updates, not more than {count}: nothing to compare"
    with contextlib.suppress(AssertionError):  # what it did receive by then is judged below, with the evidence
        eventually(lambda: _caught_up(slow, sent[-1]), timeout=RECEIVE_TIMEOUT_S)
    received = [frame.data for frame in slow.updates]
    where = {data: position for position, data in enumerate(sent)}
    positions = [where.get(data, -1) for data in received]
    shown = _ranges([position + 1 for position in positions])
    of = f"of the {len(sent)} {fast.name} received (numbered as it received them)"
    assert -1 not in positions and positions == sorted(positions), (
        f"{slow.name} received updates {fast.name} never did, or out of order: {shown} {of}")
    assert received[-count:] == sent[-count:], (
        f"expected {slow.name} to keep the newest {count} updates; it received {shown} {of}")
    assert len(received) < len(sent), (
        f"expected {slow.name} to have lost updates while it was not reading, the oldest of its queue first; it "
        f"received all {len(sent)} {fast.name} did: its messages were held somewhere else than its queue")


@then("the {screen:Screen} receives a heartbeat every {seconds:Int} second")
def _(world: World, screen: str, seconds: int) -> None:
    client = world.screen(screen)
    assert client.opened_at is not None, f"{client.name} never opened; {client.describe()}"
    times = [client.opened_at, *client.pings]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    late = [round(gap, 2) for gap in gaps if abs(gap - seconds) > seconds * HEARTBEAT_TOLERANCE]
    assert len(gaps) >= HEARTBEATS_WATCHED and not late, (
        f"expected a heartbeat every {seconds} s (within {HEARTBEAT_TOLERANCE:.0%}); {client.name} got "
        f"{len(gaps)}, {[round(gap, 2) for gap in gaps]} s apart (the first from its opening)")


@then("the {screen:Screen} is told the feed is disconnected")
def _(world: World, screen: str) -> None:
    _told_disconnected(world.screen(screen))


@then("every screen is told the feed is disconnected")
def _(world: World) -> None:
    for client in _every_screen(world):
        _told_disconnected(client)


@then("the {screen:Screen} is told the feed is connected again")
def _(world: World, screen: str) -> None:
    _told_connected_again(world.screen(screen))


@then("every screen is told the feed is connected again")
def _(world: World) -> None:
    for client in _every_screen(world):
        _told_connected_again(client)


@then("the {screen:Screen} receives the trade of {symbol:Symbol}")
def _(world: World, screen: str, symbol: str) -> None:
    volume = market.traded_volume(world.published, symbol)
    world.screen(screen).wait_for(lambda frame: _traded(frame, symbol) >= volume, timeout=RECEIVE_TIMEOUT_S,
                                  what=f"an update with the {volume} shares of {symbol} traded")


@then("the {screen:Screen} receives {symbol:Symbol} with a bid of {bid:Number} and an ask of {ask:Number}")
def _(world: World, screen: str, symbol: str, bid: float, ask: float) -> None:
    def quoted(frame: Frame) -> bool:
        payload: Any = frame.payload
        board = payload.get("derivatives") if isinstance(payload, dict) else None
        return (isinstance(board, dict) and board.get("symbol") == symbol
                and board.get("bid_price") == bid and board.get("ask_price") == ask)
    world.screen(screen).wait_for(quoted, timeout=RECEIVE_TIMEOUT_S,
                                  what=f"the derivatives board with {symbol} bid {bid} and ask {ask}")


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
@then("the {screen:Screen} shows {volume:Int} shares of {symbol:Symbol} traded")
def _(world: World, screen: str, volume: int, symbol: str) -> None:
    client = world.screen(screen)

    def check() -> None:
        updates = client.updates
        seen = _traded(updates[-1], symbol) if updates else None
        assert seen == volume, (f"expected the last update to {client.name} to show {volume} shares of {symbol} "
                                f"traded; it shows {seen} ({len(updates)} updates so far)")
    eventually(check, timeout=RECEIVE_TIMEOUT_S + _quiet_window(world))


@then("every message the {screen:Screen} received has the contract's shape")
def _(world: World, screen: str) -> None:
    client = world.screen(screen)
    eventually(lambda: _has_messages(client), timeout=RECEIVE_TIMEOUT_S)
    for position, frame in enumerate(client.frames):
        try:
            shapes.check_message(CHANNELS[screen], frame.payload)
        except AssertionError as error:
            raise AssertionError(f"message {position + 1} of {len(client.frames)} to {client.name}: {error}; "
                                 f"it reads {str(frame.data)[:300]}") from None


def _heartbeats_by(client: WsClient, seconds: int, interval: float) -> None:
    """Every heartbeat due within `seconds` of the opening has come."""
    opened = client.opened_at or 0.0
    due = max(1, int(seconds // interval))
    came = [at for at in client.pings if at - opened <= seconds + interval * HEARTBEAT_TOLERANCE]
    assert len(came) >= due, f"{client.name} has had {len(came)} heartbeat(s) of the {due} due by {seconds} s"


def _heartbeat_interval(world: World) -> float:
    """The interval the scenario configured (the contract's default otherwise)."""
    return float(world.env.get("WS_HEARTBEAT_INTERVAL", DEFAULT_HEARTBEAT_S))


def _caught_up(client: WsClient, last: str | bytes) -> None:
    updates = client.updates
    assert updates and updates[-1].data == last, (
        f"{client.name} has not yet received the last update; {len(updates)} so far")


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 8] -> '1-3, 7-8'."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans) or "none"


def _has_messages(client: WsClient) -> None:
    assert client.frames, f"expected {client.name} to receive a message; {client.describe()}"


def _going_away(client: WsClient) -> None:
    code = client.wait_closed(STATUS_TIMEOUT_S)
    assert code == GOING_AWAY, f"expected {client.name} to be closed with {GOING_AWAY} (going away); {client.describe()}"


def _every_screen(world: World) -> list[WsClient]:
    clients = [client for _, client in world.screens()]
    assert clients, "no screen has connected in this scenario"
    return clients


def _status(frame: Frame) -> bool | None:
    """What an upstream status message says (True: connected), None for any other message."""
    return frame.payload.get("connected") if frame.is_status else None


def _told_disconnected(client: WsClient) -> None:
    client.wait_for(lambda frame: _status(frame) is False, timeout=STATUS_TIMEOUT_S,
                    what="a status saying the feed is disconnected")


def _told_connected_again(client: WsClient) -> None:
    """A status saying the feed is connected, after one saying it was lost."""
    def check() -> None:
        said = [_status(frame) for frame in client.frames]
        lost = next((n for n, status in enumerate(said) if status is False), None)
        assert lost is not None and any(status is True for status in said[lost + 1:]), (
            f"expected {client.name} to be told the feed is disconnected and then connected again; "
            f"it was told {[s for s in said if s is not None] or 'nothing about the feed'}; {client.describe()}")
    eventually(check, timeout=STATUS_TIMEOUT_S + RECONNECT_TIMEOUT_S, interval=0.05)


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
