"""Steps of the @perf scenarios: load the tracker with Locust (a subprocess) and judge its statistics."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TypeVar

from support.bdd import given, then, when
from support.http_client import HttpClient
from support.load_plans import LOAD_TRACKER_ENV, LoadPlan, run_plan
from support.locust_runner import LoadResult
from support.loop_lag import LoopLagFigures, measure_loop_lag
from support.loop_lag_verdict import check_lag_limits, lag_verdict
from support.perf_knobs import output_root, scaled_count, scaled_seconds
from support.perf_verdict import check_limits, failed_entries, verdict
from support.targets import MemoryReading, Target
from support.throughput import UpstreamFigures, measure_upstream, trade_payloads
from support.throughput_verdict import check_processing_limits, processing_verdict
from support.world import World

T = TypeVar("T")


def _measured(world: World, kind: type[T]) -> T:
    return world.recall(kind, f"no {kind.__name__} in this scenario: a When-step must run the load first")


def _run(world: World, plan: LoadPlan) -> None:
    target = world.require("upstream")
    out_root = output_root(world.scratch_dir)
    token = world.ws_token or world.env.get("WS_AUTH_TOKEN") or dict(world.options.sut_env).get("WS_AUTH_TOKEN")
    world.remember(run_plan(plan, target.tracker_url, target.simulator_url, out_root, ws_token=token))


@given("the tracker is ready for load")
def _(world: World) -> None:
    world.configure(**LOAD_TRACKER_ENV)
    world.require("configure")


@when("{users:Int} dashboards stream the market for {seconds:Int} seconds")
def _(world: World, users: int, seconds: int) -> None:
    _run(world, LoadPlan.streaming(users, seconds))


@when("{users:Int} foreign-flow screens poll the foreign detail every {every:Int} seconds for {seconds:Int} seconds")
def _(world: World, users: int, every: int, seconds: int) -> None:
    _run(world, LoadPlan.polling(users, every, seconds))


@when("{users:Int} screens arrive within {ramp:Int} seconds of the open and stay for {hold:Int} seconds")
def _(world: World, users: int, ramp: int, hold: int) -> None:
    _run(world, LoadPlan.market_open(users, ramp, hold))


@when("{users:Int} dashboards reconnect every 10 seconds for {seconds:Int} seconds")
def _(world: World, users: int, seconds: int) -> None:
    _run(world, LoadPlan.reconnect_storm(users, seconds))


@then("every dashboard receives market updates")
def _(world: World) -> None:
    result = _measured(world, LoadResult)
    problems = failed_entries(result, "session /ws/market")
    if not result.entry("delivery latency").timed:
        problems.append("no market update reached any dashboard")
    assert not problems, "dashboards without updates:\n" + "\n".join(problems) + "\n\n" + result.table()


@then("every reconnect succeeds")
def _(world: World) -> None:
    result = _measured(world, LoadResult)
    problems = failed_entries(result, "reconnect /ws/market", "session /ws/market")
    lost = result.entry("connection lost /ws/market").requests
    if lost:
        problems.append(f"{lost} connections were lost")
    assert not problems, "reconnects failed:\n" + "\n".join(problems) + "\n\n" + result.table()


@then("the load stays within these limits:")
def _(world: World, table: list[dict[str, str]]) -> None:
    result = _measured(world, LoadResult)
    verdict(result, check_limits(result, table))


@when("the exchange sends {messages:Int} market messages as fast as the tracker takes them")
def _(world: World, messages: int) -> None:
    with _exchange(world) as (target, simulator, basket):
        payloads = trade_payloads(basket, scaled_count(messages))
        memory = target.tracker_memory_bytes if isinstance(target, MemoryReading) else lambda: None
        world.remember(measure_upstream(simulator, world.api, memory=memory, payloads=payloads))


@then("the processing stays within these limits:")
def _(world: World, table: list[dict[str, str]]) -> None:
    figures = _measured(world, UpstreamFigures)
    processing_verdict(figures, check_processing_limits(figures, table))


@when("the exchange sends {rate:Int} market messages per second for {seconds:Int} seconds")
def _(world: World, rate: int, seconds: int) -> None:
    with _exchange(world) as (_target, simulator, basket):
        payloads = trade_payloads(basket, round(rate * scaled_seconds(seconds)))  # the rule's rate, never scaled
        world.remember(measure_loop_lag(simulator, world.api, payloads=payloads, rate=rate))


@contextlib.contextmanager
def _exchange(world: World) -> Iterator[tuple[Target, HttpClient, list[str]]]:
    """The started target, a client of its simulator (closed after) and the basket the exchange serves."""
    target = world.require("upstream")
    assert target.simulator_url is not None
    simulator = HttpClient(target.simulator_url, label="simulator")
    try:
        yield target, simulator, simulator.get_json("/control/state").get("vn30") or ["VNM"]
    finally:
        simulator.close()


@then("the tracker's event loop stays within these limits:")
def _(world: World, table: list[dict[str, str]]) -> None:
    figures = _measured(world, LoopLagFigures)
    lag_verdict(figures, check_lag_limits(figures, table))
