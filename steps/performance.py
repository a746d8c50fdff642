"""Steps of the @perf scenarios: load the tracker with Locust (a subprocess) and judge its statistics."""

from __future__ import annotations

from support.bdd import given, then, when
from support.locust_runner import LoadResult
from support.perf import (
    LOAD_TRACKER_ENV,
    CoreFigures,
    LoadPlan,
    check_core_limits,
    check_limits,
    core_verdict,
    failed_entries,
    measure_core,
    measured,
    output_root,
    remember,
    run_plan,
    scaled_count,
    verdict,
)
from support.world import World


def _run(world: World, plan: LoadPlan) -> None:
    target = world.require("upstream")
    out_root = output_root(world.scratch_dir)
    remember(world, run_plan(plan, target.tracker_url, target.simulator_url, out_root))


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
    result = measured(world, LoadResult)
    problems = failed_entries(result, "session /ws/market")
    if result.entry("delivery latency").timed == 0:
        problems.append("no market update reached any dashboard")
    assert not problems, "dashboards without updates:\n" + "\n".join(problems) + "\n\n" + result.table()


@then("every reconnect succeeds")
def _(world: World) -> None:
    result = measured(world, LoadResult)
    problems = failed_entries(result, "reconnect /ws/market", "session /ws/market")
    lost = result.entry("connection lost /ws/market").requests
    if lost:
        problems.append(f"{lost} connections were lost")
    assert not problems, "reconnects failed:\n" + "\n".join(problems) + "\n\n" + result.table()


@then("the load stays within these limits:")
def _(world: World, table: list[dict[str, str]]) -> None:
    result = measured(world, LoadResult)
    verdict(result.run.name, result, check_limits(result, table))


@when("the processing core handles {messages:Int} market messages")
def _(world: World, messages: int) -> None:
    remember(world, measure_core(scaled_count(messages)))


@then("the processing stays within these limits:")
def _(world: World, table: list[dict[str, str]]) -> None:
    figures = measured(world, CoreFigures)
    core_verdict(figures, check_core_limits(figures, table))
