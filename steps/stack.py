"""Steps about the containers of the stack: the tracker's and the exchange feed's, stopped, started, limited."""

from __future__ import annotations

from dataclasses import dataclass

from support.bdd import given, then, when
from support.errors import ScenarioSkip
from support.eventually import consistently, eventually
from support.stack.control import StackControl, as_stack
from support.stack.replay import replay_market
from support.tags import skip_reason
from support.targets import Terminating
from support.upstream import SimulatorFeed
from support.world import World

SUBSCRIBE_TIMEOUT_S = 20.0   # the tracker's backoff (2 s, 4 s, 8 s...) may be under way
WAITING_WINDOW_S = 3.0       # long enough for at least two connection attempts (backoff starts at 2 s)
CHANNELS = {"X", "R", "MI", "B"}  # trades and quotes, foreign room, indices, bars: [subscribe]
RECEIVED_METRIC = "tracker_frames_received_total"
TERMINATE_WATCH_S = 20.0     # how long a terminated tracker is watched: past [ws-shutdown]'s 10 s, to say how late


@dataclass
class _Seen:
    """What a When-step of this module saw, for the Then-steps of the same scenario."""

    stop_grace_s: float | None = None
    terminated_in_s: float | None = None  # None: still running after TERMINATE_WATCH_S
    stop_took_s: float = 0.0
    frames_before: float = 0.0


def _seen(world: World) -> _Seen:
    return world.notebook(_Seen)


def _stack(world: World) -> StackControl:
    return as_stack(world.require("docker"))


# -- bringing the stack up -----------------------------------------------------------------------
@given("the tracker and the exchange feed run in their own containers")
def _(world: World) -> None:
    _stack(world)


@then("the tracker reports itself healthy")
def _(world: World) -> None:
    answer = world.http.get("/health")
    assert answer.status_code == 200, f"the tracker's health check answered {answer.status_code}: {answer.text[:300]}"


@then("the exchange feed sees the tracker subscribed to every market data channel")
def _(world: World) -> None:
    _stack(world)
    feed = world.feed
    assert isinstance(feed, SimulatorFeed), f"the exchange feed is {type(feed).__name__}, not the simulator"

    def check() -> None:
        connections = feed.state().get("connections", [])
        subscribed = [{channel.split(":", 1)[0] for channel in c.get("channels", [])} for c in connections]
        assert any(CHANNELS <= channels for channels in subscribed), (
            f"expected a stream connection subscribed to {sorted(CHANNELS)}; the exchange feed shows {connections}")
    eventually(check, timeout=SUBSCRIBE_TIMEOUT_S)


# -- the exchange feed's container ---------------------------------------------------------------
@given("the exchange feed's container is stopped")
@when("the exchange feed's container stops")
def _(world: World) -> None:
    _stack(world).stop_simulator()


@when("the exchange feed's container starts again")
def _(world: World) -> None:
    _stack(world).start_simulator()


@given("the exchange feed's container was stopped and started again")
def _(world: World) -> None:
    stack = _stack(world)
    stack.stop_simulator()
    stack.start_simulator()
    stack.wait_tracker_subscribed(SUBSCRIBE_TIMEOUT_S)


# -- the tracker's container ---------------------------------------------------------------------
@given("the tracker's container starts while the exchange feed is down")
def _(world: World) -> None:
    _stack(world).restart_tracker()


@given("the tracker's container has restarted")
def _(world: World) -> None:
    stack = _stack(world)
    stack.restart_tracker()
    stack.wait_tracker_subscribed(SUBSCRIBE_TIMEOUT_S)


@when("the tracker's container is stopped with a {seconds:Int} second grace period")
def _(world: World, seconds: int) -> None:
    seen = _seen(world)
    seen.stop_grace_s, seen.stop_took_s = seconds, _stack(world).stop_tracker(timeout=seconds)


@given("the tracker's container is limited to {megabytes:Int} MB of memory")
def _(world: World, megabytes: int) -> None:
    _stack(world).limit_tracker_memory(f"{megabytes}m")


@then("the tracker keeps running and waits for the exchange feed")
def _(world: World) -> None:
    stack = _stack(world)

    def check() -> None:
        status = stack.tracker_state().get("Status")
        assert status == "running", f"the tracker's container is {status}, not running, without its exchange feed"
        health = world.http.get("/health")
        assert health.status_code == 200, f"the tracker answers its health check with {health.status_code}: {health.text}"
    consistently(check, duration=WAITING_WINDOW_S, interval=0.25)


@then("the tracker's container exited on its own within the grace period")
def _(world: World) -> None:
    seen = _seen(world)
    assert seen.stop_grace_s is not None, "no step stopped the tracker's container in this scenario"
    state = _stack(world).tracker_state()
    assert state.get("ExitCode") == 0 and not state.get("OOMKilled"), (
        f"expected the tracker to exit by itself with code 0; it ended with code {state.get('ExitCode')} "
        f"(137 means Docker killed it after the grace period): {state}")
    assert seen.stop_took_s < seen.stop_grace_s, (
        f"docker stop took {seen.stop_took_s:.1f} s, the whole grace period of {seen.stop_grace_s:g} s")


@then("the tracker's container has not run out of memory")
def _(world: World) -> None:
    state = _stack(world).tracker_state()
    assert state.get("Status") == "running" and not state.get("OOMKilled"), (
        f"the tracker's container is {state.get('Status')} (OOMKilled={state.get('OOMKilled')}, "
        f"exit code {state.get('ExitCode')})")
    answer = world.http.get("/health")
    assert answer.status_code == 200, f"the tracker's health check answered {answer.status_code} after the replay"


# -- the tracker's process ----------------------------------------------------------------------
@when("the tracker is told to terminate")
def _(world: World) -> None:
    target = world.target
    if not isinstance(target, Terminating):
        raise ScenarioSkip(skip_reason(target.name, {"terminate"}) or "terminate")
    _seen(world).terminated_in_s = target.terminate(TERMINATE_WATCH_S)


@then("the tracker has exited within {seconds:Int} seconds")
def _(world: World, seconds: int) -> None:
    took = _seen(world).terminated_in_s
    assert took is not None, f"expected the tracker to exit within {seconds} s of SIGTERM; it still ran {TERMINATE_WATCH_S:g} s on"
    assert took <= seconds, f"expected the tracker to exit within {seconds} s of SIGTERM; it took {took:.1f} s"


# -- the exchange at volume ----------------------------------------------------------------------
@when("the exchange replays {count:Int} market messages")
def _(world: World, count: int) -> None:
    target = world.require("upstream")
    assert target.simulator_url is not None
    _seen(world).frames_before = world.api.metric(RECEIVED_METRIC)
    replay_market(target.simulator_url, count)


@then("the tracker has received all {count:Int} market messages")
def _(world: World, count: int) -> None:
    before = _seen(world).frames_before

    def check() -> None:
        received = world.api.metric(RECEIVED_METRIC) - before
        assert received >= count, f"the tracker has received {received:g} of the {count} messages replayed"
    eventually(check, timeout=30.0, interval=0.25)
