"""`pytest --gherkin` output that also works with pytest-xdist (`-n auto`): features, scenarios, steps, in order.

pytest-bdd's own Gherkin reporter refuses xdist: it reads each scenario from a registry in the
process that ran it, and a worker's reports reach the controller without it. Here each worker
puts the scenario on its report (`report.gherkin`, which xdist carries, as it carries any
JSON-able attribute of a report), and the controller prints each scenario once its last report
is in, in collection order, in pytest-bdd's format (verbosity 1: scenarios; -vv: their steps),
with pytest's verdicts: the output and the summary read as a serial run's. The same reporter
serves a serial run.

Registered by the root conftest (`pytest_plugins`); active with --gherkin.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from _pytest.terminal import TerminalReporter
from pytest_bdd.reporting import test_report_context_registry

CARRIED = "gherkin"  # the attribute of a report that carries its serialised scenario to the controller


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Replace the terminal reporter on the process that prints (not on xdist's workers)."""
    if not getattr(config.option, "gherkin", False) or hasattr(config, "workerinput"):
        return
    current = config.pluginmanager.getplugin("terminalreporter")
    if current is None or isinstance(current, OrderedGherkinReporter):
        return
    config.pluginmanager.unregister(current)
    config.pluginmanager.register(OrderedGherkinReporter(config), "terminalreporter")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """On whichever process runs the scenario: its serialised scenario onto the report."""
    report = yield
    context = test_report_context_registry.get(report)
    if context is not None:
        setattr(report, CARRIED, context.scenario)
    return report


class OrderedGherkinReporter(TerminalReporter):  # type: ignore[misc]  # final in typing; pytest-bdd subclasses it too
    """Gherkin output in pytest-bdd's words, each scenario printed whole, in collection order, however it ran.

    A feature's (and a rule's) heading is printed once, where its first scenario is.
    """

    def __init__(self, config: pytest.Config) -> None:
        super().__init__(config)
        self._feature: str | None = None
        self._rule: str | None = None
        self._order: list[str] = []                    # node ids as collected (first worker's list under xdist)
        self._held: dict[str, list[Any]] = {}          # reports of scenarios not yet printed
        self._done: set[str] = set()                   # scenarios whose teardown report is in
        self._next = 0

    # -- the order ---------------------------------------------------------------------------
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        super().pytest_collection_finish(session)
        self._order = [item.nodeid for item in session.items]

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        if not self._order:
            self._order = list(ids)

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        """Nothing yet: the scenario is printed whole once its reports are in."""

    # -- the reports -------------------------------------------------------------------------
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._held.setdefault(report.nodeid, []).append(report)
        if report.when == "teardown":
            self._done.add(report.nodeid)
        self._flush()

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int | pytest.ExitCode) -> Generator[None, Any, Any]:
        """Before the summary: what is still held (a crashed worker's scenarios, ones outside the known order)."""
        self._flush(everything=True)
        return (yield from super().pytest_sessionfinish(session, exitstatus))

    def _flush(self, *, everything: bool = False) -> None:
        while self._next < len(self._order) and self._order[self._next] in self._done:
            self._print(self._order[self._next])
            self._next += 1
        if everything:
            for nodeid in list(self._held):
                self._print(nodeid)

    def _print(self, nodeid: str) -> None:
        for report in self._held.pop(nodeid, []):
            scenario = getattr(report, CARRIED, None)
            if scenario is None:
                super().pytest_runtest_logreport(report)
            else:
                self._print_scenario(report, scenario)

    def _print_scenario(self, report: pytest.TestReport, scenario: dict[str, Any]) -> None:
        category, letter, word = self.config.hook.pytest_report_teststatus(report=report, config=self.config)
        if not letter and not word:
            return  # a passed setup or teardown
        if isinstance(word, tuple):
            word, markup = word
        else:
            markup = {"green": report.passed, "red": report.failed, "yellow": report.skipped}
        self.stats.setdefault(category, []).append(report)
        self.ensure_newline()
        feature, rule = scenario["feature"], scenario.get("rule")
        if feature["name"] != self._feature:
            self._tw.write(f"\n{feature['keyword']}: {feature['name']}\n", blue=True)
            self._feature, self._rule = feature["name"], None
        indent = "    " if rule else ""
        if rule and rule["name"] != self._rule:
            self._tw.write(f"  {rule['keyword']}: {rule['name']}\n", purple=True)
            self._rule = rule["name"]
        self._tw.write(f"{indent}    {scenario['keyword']}: {scenario['name']}", **markup)
        if self.verbosity > 1:
            self._tw.write("\n")
            for step in scenario["steps"]:
                self._tw.write(f"{indent}        {step['keyword']} {step['name']}\n", **markup)
            self._tw.write(f"{indent}    {word}\n", **markup)
        else:
            self._tw.write(f" {word}\n", **markup)
