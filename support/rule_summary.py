"""The pytest side of rule traceability: each scenario's rules checked at collection, summed up at the end.

An unknown `@rule:<id>` stops the run at collection, naming the feature file and line; the
terminal summary lists, per rule of docs/CONTRACT.md, how its scenarios ended, then the rules no
scenario verifies. Under pytest-xdist each worker sends its scenario -> rules map, and the
scenarios it deselected, to the controller, so the summary and the closing line read as a
serial run's. Registered by the root conftest (`pytest_plugins`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from support import contract, traceability
from support.rule_coverage import Coverage, Traced, summary_lines

_RULES = pytest.StashKey[dict[str, tuple[str, ...]]]()  # nodeid -> the rules the scenario names


@pytest.hookimpl(tryfirst=True)  # before -m deselects: an unknown rule anywhere stops the run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_RULES] = _trace_rules(config, items)


def _trace_rules(config: pytest.Config, items: list[pytest.Item]) -> dict[str, tuple[str, ...]]:
    """The rules each scenario names; pytest.UsageError naming every rule tag whose id the contract lacks."""
    catalogue = contract.load()
    rules: dict[str, tuple[str, ...]] = {}
    problems: dict[str, None] = {}
    for item in items:
        if "_pytest_bdd_example" not in getattr(item, "fixturenames", ()):
            continue
        ids = tuple(dict.fromkeys(str(mark.kwargs.get("id", "")) for mark in item.iter_markers(traceability.MARKER)))
        rules[item.nodeid] = ids
        for rule_id in ids:
            tag = f"{traceability.PREFIX}{rule_id}" if rule_id else traceability.MARKER
            if problem := traceability.unknown_rule(tag, _scenario_location(config, item), catalogue):
                problems[problem] = None
    if problems:
        raise pytest.UsageError(str(traceability.RuleTagError(list(problems), catalogue)))
    return rules


def _scenario_location(config: pytest.Config, item: pytest.Item) -> str:
    """features/<file>.feature:<line> of a scenario (its Scenario line), else the test's node id."""
    # pytest-bdd maps its test functions to their scenarios (its own generation module reads the same map)
    template = scenario_wrapper_template_registry.get(item.obj) if isinstance(item, pytest.Function) else None
    if template is None:
        return item.nodeid
    path = Path(template.feature.filename)
    shown = path.relative_to(config.rootpath) if path.is_relative_to(config.rootpath) else path
    return f"{shown.as_posix()}:{template.line_number}"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Per contract rule: how many of its scenarios passed, failed or were skipped, then the rules without any."""
    rules = config.stash.get(_RULES, {})
    if config.option.collectonly or not rules or not (config.option.gherkin or any(rules.values())):
        return
    verdicts = _verdicts(terminalreporter.stats)
    coverage = Coverage(contract.load(), [Traced(nodeid, nodeid, ids, verdicts.get(nodeid, "not run"))
                                          for nodeid, ids in rules.items()])
    terminalreporter.write_sep("=", f"contract rules ({contract.CONTRACT_DOC})")
    for line in summary_lines(coverage):
        terminalreporter.write_line(line)


def _verdicts(stats: dict[str, list[Any]]) -> dict[str, str]:
    """nodeid -> its worst outcome this run, in the words of the coverage report."""
    order = [("passed", "passed"), ("xpassed", "passed"), ("skipped", "skipped"), ("xfailed", "skipped"),
             ("deselected", "not run"), ("failed", "failed"), ("error", "broken")]
    verdicts: dict[str, str] = {}
    for key, verdict in order:  # later entries win: a teardown error outranks the call's pass
        for report in stats.get(key, []):
            if nodeid := getattr(report, "nodeid", None):
                verdicts[nodeid] = verdict
    return verdicts



def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):
        _worker_output(config)["vn30_rules"] = {k: list(v) for k, v in config.stash.get(_RULES, {}).items()}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """A worker's map of scenario -> rules, and what it deselected: the controller's summary is a serial run's."""
    output = getattr(node, "workeroutput", {})
    node.config.stash.setdefault(_RULES, {}).update(
        {nodeid: tuple(ids) for nodeid, ids in output.get("vn30_rules", {}).items()})
    reporter = node.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and output.get("vn30_deselected"):
        known = {item.nodeid for item in reporter.stats.get("deselected", [])}
        reporter.stats.setdefault("deselected", []).extend(
            _Deselected(nodeid) for nodeid in output["vn30_deselected"] if nodeid not in known)


class _Deselected:
    """A scenario a worker deselected, as the controller's summary counts it."""

    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items and hasattr(items[0].config, "workerinput"):
        _worker_output(items[0].config).setdefault("vn30_deselected", []).extend(item.nodeid for item in items)


def _worker_output(config: pytest.Config) -> dict[str, Any]:
    """What an xdist worker hands its controller when it ends (xdist sets the attribute on workers only)."""
    output: dict[str, Any] = config.workeroutput  # type: ignore[attr-defined]
    return output
