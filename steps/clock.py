"""Steps that move the tracker's clock: by the run's mechanism (@clock scenarios), or by its test-control routes.

The test-clock steps name the mechanism because it is their subject: [config-test-control] and
[test-clock] of docs/CONTRACT.md, rules of the reference tracker (tagged @reference).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import httpx

from support.bdd import given, then, when
from support.clock import MARKET_TZ, ControlClock
from support.world import World

TEST_CLOCK = "/__test__/clock"
NOT_FOUND = 404
CLOCK_SLACK_S = 0.01  # the tracker's time is read to the microsecond; this covers rounding, not waiting


@dataclass(frozen=True)
class _Moved:
    """The tracker's time just before a step moved its test clock, and when (time.monotonic()) it was read."""

    before: dt.datetime
    read_at: float


@dataclass(frozen=True)
class _RouteAnswers:
    answers: dict[str, httpx.Response]  # "GET /__test__/clock" -> its answer


@given("{count:Int} seconds have passed")
def _(world: World, count: int) -> None:
    world.clock.advance(count)


@given("{count:Int} minutes have passed")
def _(world: World, count: int) -> None:
    world.clock.advance(count * 60)


@when("{count:Int} minutes pass")
def _(world: World, count: int) -> None:
    world.clock.advance(count * 60)


@given("it is {time:TimeOfDay} in Ho Chi Minh City")
@when("it is {time:TimeOfDay} in Ho Chi Minh City")
def _(world: World, time: tuple[int, int, int]) -> None:
    world.clock.set_time_of_day(*time)


# -- the reference tracker's test clock ([test-clock]) ---------------------------------------------
@when("the test clock is advanced by {count:Int} seconds")
def _(world: World, count: int) -> None:
    clock = ControlClock(world.http)
    read_at = time.monotonic()
    world.remember(_Moved(clock.now(), read_at))
    clock.advance(count)


@given("the test clock is set to {time:TimeOfDay} in Ho Chi Minh City")
@when("the test clock is set to {time:TimeOfDay} in Ho Chi Minh City")
def _(world: World, time: tuple[int, int, int]) -> None:
    ControlClock(world.http).set_time_of_day(*time)


@when("the test clock is set to {time:TimeOfDay} UTC")
def _(world: World, time: tuple[int, int, int]) -> None:
    clock = ControlClock(world.http)
    today = clock.now().astimezone(dt.UTC).date()
    clock.set(dt.datetime.combine(today, dt.time(*time), dt.UTC))  # sent with its offset, +00:00


@then("the tracker's test clock reads {count:Int} seconds later than before")
def _(world: World, count: int) -> None:
    moved = world.recall(_Moved, "no step moved the test clock in this scenario")
    now = ControlClock(world.http).now()
    real = time.monotonic() - moved.read_at
    shift = (now - moved.before).total_seconds()
    # at least the advance, at most the advance plus the real time that passed since the first read
    assert count - CLOCK_SLACK_S <= shift <= count + real + CLOCK_SLACK_S, (
        f"expected the tracker's clock {count} s on from {moved.before.isoformat()} (plus at most the {real:.2f} s "
        f"that really passed); it reads {now.isoformat()}, {shift:.2f} s on")


@then("the tracker's test clock reads {time:TimeOfDay} in Ho Chi Minh City")
def _(world: World, time: tuple[int, int, int]) -> None:
    now = ControlClock(world.http).now().astimezone(MARKET_TZ)
    wanted = dt.datetime.combine(now.date(), dt.time(*time), MARKET_TZ)
    late = (now - wanted).total_seconds()
    assert -CLOCK_SLACK_S <= late <= 1.0, (
        f"expected the tracker's clock at {wanted.time()} in Ho Chi Minh City; it reads {now.isoformat()}")


# -- the test-control routes ([config-test-control]) -----------------------------------------------
@when("an API caller tries the tracker's test-control routes")
def _(world: World) -> None:
    http = world.http
    world.remember(_RouteAnswers({f"GET {TEST_CLOCK}": http.get(TEST_CLOCK),
                                  f"POST {TEST_CLOCK}": http.post(TEST_CLOCK, body={"advance_seconds": 0})}))


@then("every test-control route answers that it does not exist")
def _(world: World) -> None:
    tried = world.recall(_RouteAnswers, "no step tried the test-control routes in this scenario").answers
    found = {route: answer.status_code for route, answer in tried.items() if answer.status_code != NOT_FOUND}
    assert not found, f"expected every test-control route to answer {NOT_FOUND} without test control; {found}"


@then("every test-control route answers with the tracker's time")
def _(world: World) -> None:
    tried = world.recall(_RouteAnswers, "no step tried the test-control routes in this scenario").answers
    for route, answer in tried.items():
        assert answer.status_code == httpx.codes.OK, (
            f"expected {route} to answer 200 with test control on; it answered {answer.status_code}: {answer.text[:200]}")
        body = answer.json()
        assert isinstance(body, dict) and isinstance(body.get("now"), str), (
            f"expected {route} to answer the tracker's time, {{\"now\": \"<ISO time>\"}}; it answered {body!r}")
        dt.datetime.fromisoformat(body["now"])
