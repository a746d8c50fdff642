"""Per contract rule, the scenarios that verify it and their verdicts: `make coverage` and the pytest --gherkin summary.

    coverage = Coverage(contract.load(), [Traced("A trade ...", "features/x.feature:14", ("classify",), "passed")])
    coverage.uncovered        # tracker rules (sections 2-7) that no scenario names
    summary_lines(coverage)   # one line per rule: 'classify  14 scenarios: 14 passed'

The verdicts of `make coverage` come from Allure results (`verdicts_from_allure`), matched to the
scenarios of the feature files by feature, name and Examples row, the way both runners report them.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.contract import Catalogue

PASSED, FAILED, BROKEN, SKIPPED, NOT_RUN = "passed", "failed", "broken", "skipped", "not run"
VERDICTS = (PASSED, FAILED, BROKEN, SKIPPED, NOT_RUN)
ResultKey = tuple[str, str, tuple[tuple[str, str], ...]]  # feature, scenario name, Examples row (sorted)
RUN_PARAMETERS = frozenset({"runner", "target"})  # what support/allure_results.py adds to every result
_RANK = {SKIPPED: 0, NOT_RUN: 0, PASSED: 1, BROKEN: 2, FAILED: 3}  # the worst of a scenario's runs is its verdict
_BEHAVE_ROW = re.compile(r" -- @\d+\.\d+(?: .*)?$")  # behave appends "-- @1.2 <examples name>" to outline rows


@dataclass(frozen=True)
class Traced:
    """A scenario, the rules its tags name and its verdict."""

    name: str
    location: str
    rules: tuple[str, ...]
    verdict: str


@dataclass(frozen=True)
class Coverage:
    catalogue: Catalogue
    scenarios: Sequence[Traced]

    def of(self, rule_id: str) -> list[Traced]:
        return [scenario for scenario in self.scenarios if rule_id in scenario.rules]

    @property
    def uncovered(self) -> list[str]:
        """Tracker rules that no scenario names: the gaps the suite reports."""
        return [rule_id for rule_id in self.catalogue.tracker_ids if not self.of(rule_id)]

    @property
    def untraced(self) -> list[Traced]:
        """Scenarios that name no tracker rule (team requirements, or a tag still to add)."""
        tracker = set(self.catalogue.tracker_ids)
        return [scenario for scenario in self.scenarios if not tracker & set(scenario.rules)]


def counts(scenarios: Iterable[Traced]) -> str:
    """'3 passed, 1 failed' in the order of VERDICTS."""
    tally = Counter(scenario.verdict for scenario in scenarios)
    return ", ".join(f"{tally[verdict]} {verdict}" for verdict in VERDICTS if tally[verdict])


def summary_lines(coverage: Coverage) -> list[str]:
    """One line per tracker rule that has scenarios, then the rules without any."""
    lines = []
    for rule_id in coverage.catalogue.tracker_ids:
        if scenarios := coverage.of(rule_id):
            lines.append(f"{rule_id:<27} {_scenarios(len(scenarios))}: {counts(scenarios)}")
    return lines + _gap_lines(coverage)


def table_lines(coverage: Coverage) -> list[str]:
    """Each tracker rule with its scenarios and their verdicts, then the rules without any."""
    lines = []
    for rule_id in coverage.catalogue.tracker_ids:
        scenarios = coverage.of(rule_id)
        if not scenarios:
            lines.append(f"{rule_id:<27} no scenario")
            continue
        lines.append(f"{rule_id:<27} {_scenarios(len(scenarios))}: {counts(scenarios)}")
        lines += [f"    {s.verdict:<8} {s.location}  {s.name}" for s in scenarios]
    return lines + _gap_lines(coverage)


def verdicts_from_allure(folder: Path) -> dict[ResultKey, str]:
    """Each scenario's verdict in the Allure results under `folder` (sub-folders included): its latest result
    on each runner and target, the worst of those (a scenario that failed on one target failed)."""
    return {key: max(runs.values(), key=_RANK.__getitem__) for key, runs in runs_from_allure(folder).items()}


def runs_from_allure(folder: Path) -> dict[ResultKey, dict[str, str]]:
    """Each scenario's latest verdict per run ("pytest-bdd on wired"; "" for a result without runner and target)."""
    latest: dict[ResultKey, dict[str, tuple[int, str]]] = {}
    for path in folder.rglob("*-result.json"):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(result, dict):
            continue
        key, run, stop = result_key(result), run_of(result), int(result.get("stop") or 0)
        runs = latest.setdefault(key, {})
        if run not in runs or stop >= runs[run][0]:
            runs[run] = (stop, _verdict(str(result.get("status", ""))))
    return {key: {run: verdict for run, (_, verdict) in runs.items()} for key, runs in latest.items()}


def run_of(result: Mapping[str, Any]) -> str:
    """Which runner on which target wrote a result (support/allure_results.py labels each): 'behave on live'."""
    values = {str(p.get("name")): str(p.get("value")) for p in result.get("parameters") or []}
    return f"{values['runner']} on {values['target']}" if RUN_PARAMETERS <= values.keys() else ""


def result_key(result: Mapping[str, Any]) -> ResultKey:
    """How an Allure result names its scenario, the same for allure-pytest-bdd and allure-behave, whatever the run."""
    feature = next((str(label.get("value")) for label in result.get("labels", []) if label.get("name") == "feature"), "")
    name = _BEHAVE_ROW.sub("", str(result.get("name", "")))
    parameters = tuple(sorted((str(p.get("name")), str(p.get("value"))) for p in result.get("parameters") or []
                              if p.get("name") not in RUN_PARAMETERS))
    return feature, name, parameters


def scenario_key(feature: str, name: str, parameters: Iterable[tuple[str, str]]) -> ResultKey:
    return feature, name, tuple(sorted(parameters))


def _verdict(status: str) -> str:
    return status if status in (PASSED, FAILED, BROKEN, SKIPPED) else BROKEN


def _scenarios(count: int) -> str:
    return f"{count:>3} scenario{'s' if count != 1 else ' '}"


def _gap_lines(coverage: Coverage) -> list[str]:
    gaps = coverage.uncovered
    if not gaps:
        return [f"every tracker rule has a scenario ({len(coverage.catalogue.tracker_ids)} rules)"]
    listed = textwrap.wrap(", ".join(gaps), width=100, break_on_hyphens=False)
    return [f"no scenario yet ({len(gaps)} of {len(coverage.catalogue.tracker_ids)} tracker rules):",
            *(f"  {line}" for line in listed)]
