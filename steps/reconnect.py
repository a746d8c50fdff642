"""Steps about losing the exchange feed: outages staged at the simulator, and how the tracker comes back.

What the tracker did while reconnecting (when it asked for a token, when it negotiated) is read
from the simulator's own record, so the backoff is seen from the outside, as SSI would see it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from support.bdd import given, then, when
from support.eventually import eventually
from support.upstream import SimulatorFeed
from support.world import World

RECONNECT_TIMEOUT_S = 20.0     # the tracker's backoff (2 s, 4 s, 8 s...) may be under way
NOTICE_TIMEOUT_S = 5.0
BACKOFF_TOLERANCE_S = 1.0      # an attempt authenticates and lists VN30 before it negotiates; 2 cores, busy


@dataclass
class _Outage:
    """The simulator's record just before this scenario's outage, and when the outage began."""

    began: dt.datetime
    token_requests: int
    negotiations: int
    connections: frozenset[str] = field(default_factory=frozenset)


def _exchange(world: World) -> SimulatorFeed:
    feed = world.feed
    assert isinstance(feed, SimulatorFeed), f"the exchange is {type(feed).__name__}, not the simulator: no outage"
    return feed


def _lose_feed(world: World, refuse_for_s: float) -> SimulatorFeed:
    """Close the tracker's stream; refuse its reconnects for `refuse_for_s` seconds."""
    exchange = _exchange(world)
    before = exchange.state()
    exchange.drop(refuse_for_s=refuse_for_s)  # returns once the stream is closed: the tracker has seen it go
    world.remember(_Outage(
        began=dt.datetime.now(dt.UTC), token_requests=int(before.get("token_requests", 0)),
        negotiations=len(before.get("negotiations", [])),
        connections=frozenset(str(c.get("id")) for c in before.get("connections", []))))
    return exchange


def _outage(world: World) -> _Outage:
    return world.recall(_Outage, "no step of this scenario has taken the exchange feed away")


def _wait_reconnected(world: World) -> None:
    """Until a new stream connection (not one from before the outage) has subscribed to channels."""
    exchange, outage = _exchange(world), _outage(world)

    def check() -> None:
        state = exchange.state()
        fresh = [c for c in state.get("connections", [])
                 if c.get("channels") and str(c.get("id")) not in outage.connections]
        assert fresh, (f"expected the tracker to subscribe to the exchange feed again after the outage; "
                       f"the exchange shows connections {state.get('connections')} and "
                       f"{len(state.get('negotiations', [])) - outage.negotiations} negotiation(s) since")
    eventually(check, timeout=RECONNECT_TIMEOUT_S, interval=0.1)


def _wait_noticed(world: World) -> None:
    """Until the exchange shows the tracker's stream connection from before the outage closed.

    The exchange is the witness ([rest-health]: nothing but "status" in /health is contract).
    """
    exchange, outage = _exchange(world), _outage(world)

    def check() -> None:
        still = [c for c in exchange.state().get("connections", []) if str(c.get("id")) in outage.connections]
        assert not still, f"expected the exchange to show the tracker's stream connection closed; it still has {still}"
    eventually(check, timeout=NOTICE_TIMEOUT_S)


def _attempts_since(world: World) -> tuple[list[dt.datetime], int]:
    """Negotiation times and token requests the exchange saw since the outage began."""
    state = _exchange(world).state()
    outage = _outage(world)
    times = [dt.datetime.fromisoformat(moment) for moment in state.get("negotiations", [])[outage.negotiations:]]
    return times, int(state.get("token_requests", 0)) - outage.token_requests


@when("the exchange feed is lost")
@when("the exchange feed is lost for a moment")
def _(world: World) -> None:
    _lose_feed(world, refuse_for_s=0)


@given("the exchange feed was lost for a moment")
def _(world: World) -> None:
    _lose_feed(world, refuse_for_s=0)
    _wait_reconnected(world)


@given("the exchange feed is lost and stays refused for {seconds:Int} seconds")
def _(world: World, seconds: int) -> None:
    _lose_feed(world, refuse_for_s=seconds)
    _wait_noticed(world)


@when("the tracker is connected to the exchange again")
def _(world: World) -> None:
    _wait_reconnected(world)


@then("the tracker waited about {first:Int} seconds and then about {second:Int} seconds between attempts")
def _(world: World, first: int, second: int) -> None:
    times, _ = _attempts_since(world)
    began = _outage(world).began
    waits = [(later - earlier).total_seconds() for earlier, later in zip([began, *times], times, strict=False)]
    assert len(waits) >= 2 and all(abs(seen - expected) <= BACKOFF_TOLERANCE_S
                                   for seen, expected in zip(waits, (first, second), strict=False)), (
        f"expected the tracker to wait about {first} s after losing the feed and then about {second} s before "
        f"its next attempt (within {BACKOFF_TOLERANCE_S} s); the exchange saw attempts after "
        f"{[round(wait, 2) for wait in waits]} s")


@then("the tracker authenticated afresh for every attempt")
def _(world: World) -> None:
    times, tokens = _attempts_since(world)
    assert len(times) >= 2 and tokens >= len(times), (
        f"expected a new access token for each of the tracker's reconnect attempts; the exchange saw "
        f"{len(times)} attempt(s) and {tokens} token request(s) since the feed was lost")
