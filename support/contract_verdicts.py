"""Each tracker rule of docs/CONTRACT.md judged from a whole CI run's results: verified, failing or unverified.

    rules = judge(contract.load(), scan(features, root), runs_from_allure(results))
    tally(rules)                 # {'verified': 50, 'failing': 2, 'unverified': 5}
    rules[0].verdict, rules[0].why

A rule is *failing* when any of its scenarios failed or broke on any runner and target; *verified*
when not failing and every one of its scenarios that the run selected passed on at least one (and
so on every run that ran it), a scenario outside every selection of the run (the nightly @soak in
a push's CI) being named "not in this run"; *unverified* otherwise: no scenario names it, none of
them was selected, or one was selected and skipped everywhere. The report's contract overview (scripts/contract_overview.py) shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from support.contract import Catalogue, Rule
from support.feature_scan import ScenarioEntry
from support.rule_coverage import BROKEN, FAILED, PASSED, ResultKey, scenario_key

VERIFIED, FAILING, UNVERIFIED = "verified", "failing", "unverified"
VERDICTS = (VERIFIED, FAILING, UNVERIFIED)


@dataclass(frozen=True)
class ScenarioRuns:
    """A scenario of a rule and its verdict on each run that ran it ({'pytest-bdd on wired': 'passed'})."""

    entry: ScenarioEntry
    runs: Mapping[str, str]

    @property
    def failed(self) -> bool:
        return any(verdict in (FAILED, BROKEN) for verdict in self.runs.values())

    @property
    def passed(self) -> bool:
        return not self.failed and PASSED in self.runs.values()


@dataclass(frozen=True)
class RuleVerdict:
    rule: Rule
    verdict: str
    why: str
    scenarios: Sequence[ScenarioRuns]


def judge(catalogue: Catalogue, entries: Sequence[ScenarioEntry],
          runs: Mapping[ResultKey, Mapping[str, str]]) -> list[RuleVerdict]:
    """Every tracker rule, in the contract's order, with its verdict and the reason in words."""
    verdicts = []
    for rule_id in catalogue.tracker_ids:
        rule = catalogue.get(rule_id)
        assert rule is not None
        scenarios = [ScenarioRuns(entry, runs.get(scenario_key(entry.feature, entry.name, entry.parameters), {}))
                     for entry in entries if rule_id in entry.rules]
        verdicts.append(RuleVerdict(rule, *_verdict(scenarios), scenarios))
    return verdicts


def tally(rules: Sequence[RuleVerdict]) -> dict[str, int]:
    counted = Counter(rule.verdict for rule in rules)
    return {verdict: counted[verdict] for verdict in VERDICTS}


def _verdict(scenarios: Sequence[ScenarioRuns]) -> tuple[str, str]:
    if not scenarios:
        return UNVERIFIED, "no scenario names this rule"
    total = _count(len(scenarios))
    if failed := [s for s in scenarios if s.failed]:
        return FAILING, f"{len(failed)} of {total} failed"
    selected = [s for s in scenarios if s.runs]  # the others were not in this run's selection (the nightly soak)
    if not selected:
        return UNVERIFIED, f"none of its {total} was in this run"
    if skipped := [s for s in selected if not s.passed]:
        return UNVERIFIED, f"{len(skipped)} of {total} skipped on every target that had it"
    runs = sorted({run for s in selected for run, verdict in s.runs.items() if verdict == PASSED})
    absent = f"; {len(scenarios) - len(selected)} not in this run" if len(selected) < len(scenarios) else ""
    return VERIFIED, f"{_count(len(selected))} passed ({', '.join(run or 'unlabelled run' for run in runs)}){absent}"


def _count(number: int) -> str:
    return f"{number} scenario{'s' if number != 1 else ''}"
