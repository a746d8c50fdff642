"""behave's side of the suite: the target from -D userdata, tags checked up front, a world per scenario, skips, Allure labels."""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
from collections.abc import Mapping
from typing import Any

from support import (
    allure_metadata,
    allure_report,
    allure_results,
    contract,
    precondition_report,
    preconditions,
    processes,
    reaper,
    tag_check,
    traceability,
)
from support.bdd import explain_undefined, find
from support.clock import MECHANISMS
from support.errors import ScenarioSkip
from support.targets import (
    DEFAULT_TARGET,
    TargetOptions,
    check_name,
    parse_sut_env,
    pool,
)
from support.world import World

USERDATA = ("target", "sut_cmd", "sut_url", "simulator_url", "sut_env", "clock")
WORKER_ENV = "VN30_BEHAVE_WORKER"  # set by support/behave_parallel.py in each behave process it starts


def before_all(context: Any) -> None:
    """Refuse tags pytest would refuse; read the target from -D userdata (target_options); then, once per run,
    the Allure metadata and the run's preconditions (the parallel runner does these itself, not its workers)."""
    tag_check.check(context._runner.features, contract.load())  # every feature is parsed by now, none run yet
    context.target_options = target_options(context.config.userdata)
    processes.install()  # SIGTERM unwinds like SIGINT: every scenario's teardown ends what it started
    allure_results.install(runner="behave", target=context.target_options.name)
    if not os.environ.get(WORKER_ENV):
        report_run(context.target_options, dry_run=context.config.dry_run)
    if not context.config.dry_run and preconditions.check(context.target_options).failure() is None:
        pool.warm(context.target_options)  # the first scenario's tracker starts while behave gets going


def target_options(userdata: Mapping[str, str]) -> TargetOptions:
    """`-D target=wired|live|docker` (and sut_cmd, sut_url, simulator_url, sut_env="K=V K=V",
    clock=auto|control|faketime|none) as the run's target; ValueError on an unknown key or a bad value."""
    unknown = sorted(set(userdata) - set(USERDATA))
    if unknown:
        raise ValueError(f"unknown -D {', '.join(unknown)}: the suite reads -D {', -D '.join(USERDATA)}")
    name = check_name(userdata.get("target", DEFAULT_TARGET))
    sut_cmd, sut_url = userdata.get("sut_cmd"), userdata.get("sut_url")
    if name != "live" and (sut_cmd or sut_url or userdata.get("simulator_url")):
        raise ValueError("-D sut_cmd, sut_url and simulator_url go with -D target=live")
    if sut_cmd and "{port}" not in sut_cmd:
        raise ValueError(f"-D sut_cmd={sut_cmd!r} has no {{port}} placeholder for the tracker's port")
    clock = userdata.get("clock", "auto")
    if clock not in MECHANISMS:
        raise ValueError(f"-D clock={clock!r}: choose one of {', '.join(MECHANISMS)}")
    if clock == "faketime" and name == "wired":
        raise ValueError("-D clock=faketime needs a tracker process of its own: use -D target=live or docker")
    return TargetOptions(name=name, sut_cmd=sut_cmd, sut_url=sut_url, simulator_url=userdata.get("simulator_url"),
                         clock=clock, sut_env=parse_sut_env(shlex.split(userdata.get("sut_env", ""))))


def report_run(options: TargetOptions, *, dry_run: bool) -> None:
    """Once per run: the Allure metadata into each results folder, the preconditions checked, printed and
    reported to Allure (one result); the Allure file loggers must be registered by now."""
    for folder in allure_metadata.results_dirs():  # the Allure formatter exists (and has cleaned) by now
        allure_metadata.write(folder, runner="behave", options=options)
    if not dry_run:
        conformance = preconditions.check(options)
        precondition_report.print_summary(conformance, options.name, lambda line: print(line, file=sys.stderr))
        precondition_report.report_to_allure(conformance, runner="behave", target=options.name)


def before_feature(context: Any, feature: Any) -> None:
    allure_report.report_behave_rules(feature)


def before_scenario(context: Any, scenario: Any) -> None:
    tags = list(scenario.effective_tags)
    _label_allure(tags, scenario)
    context.world = World(context.target_options, tags)
    try:
        context.world.check_target()
    except ScenarioSkip as skip:
        scenario.skip(reason=str(skip))


def before_step(context: Any, step: Any) -> None:
    """The step's placeholder values as Allure parameters (allure-behave shows only the sentence)."""
    with contextlib.suppress(Exception):  # a report detail; the step itself reports a real mismatch
        definitions = find(step.step_type, step.name)
        parsed = definitions[0].parse(step.name) if definitions else None
        if parsed is not None:
            allure_report.parameterize_behave_step(dict(parsed.named))


def after_scenario(context: Any, scenario: Any) -> None:
    world: World | None = getattr(context, "world", None)
    if world is not None:
        world.close(failed=scenario.status.has_failed())
    explain_undefined(scenario)


def _label_allure(tags: list[str], scenario: Any) -> None:
    """allure-behave maps @allure.* tags itself (links too); add what it lacks: @severity:*, the story, @rule:*."""
    labels = [(m.name, m.value) for m in allure_report.labels_of(tags) if m.name == "severity"]
    story = allure_report.story_of(*_rule_and_outline(scenario))
    if story:
        labels.append(("story", story))
    allure_report.label_behave_test(labels)
    allure_report.trace_behave_test(traceability.rule_ids(sorted(tags)))


def _rule_and_outline(scenario: Any) -> tuple[str | None, str | None]:
    rule = outline = None
    node = getattr(scenario, "parent", None)
    while node is not None:
        kind = getattr(node, "type", "")
        if kind == "scenario_outline" and outline is None:
            outline = node.name
        if kind == "rule" and rule is None:
            rule = node.name
        node = getattr(node, "parent", None)
    return rule or getattr(getattr(scenario, "rule", None), "name", None), outline


def after_all(context: Any) -> None:
    """Every tracker stopped (they stop in the background) before behave reports and exits."""
    reaper.drain()
