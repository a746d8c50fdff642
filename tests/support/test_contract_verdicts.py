"""The contract's verdicts over a whole run: a rule verified, failing or unverified, and why, from every runner and target."""

from __future__ import annotations

from support.contract import parse
from support.contract_verdicts import FAILING, UNVERIFIED, VERIFIED, judge, tally
from support.feature_scan import ScenarioEntry, Tag

CONTRACT = """
## 1. Upstream

### [sim-feed]
**Feed.**

## 2. Tracker

### [alpha]
**Alpha.**

### [beta]
**Beta.**

### [gamma]
**Gamma.**

### [delta]
**Delta.**
"""


def _entry(name: str, *rules: str) -> ScenarioEntry:
    return ScenarioEntry("features/x.feature", 1, "X", name, (), tuple(Tag(f"rule:{r}", 1, False) for r in rules))


def _runs(**verdicts: str) -> dict[str, str]:
    return {run.replace("_", " on "): verdict for run, verdict in verdicts.items()}


ENTRIES = [_entry("A1", "alpha"), _entry("A2", "alpha"), _entry("B1", "beta", "alpha"), _entry("C1", "gamma"),
           _entry("C2", "gamma")]


def test_each_rule_takes_every_run_of_every_scenario_into_account() -> None:
    runs = {("X", "A1", ()): _runs(pytest_wired="passed", behave_wired="passed"),
            ("X", "A2", ()): _runs(pytest_wired="passed", pytest_live="skipped"),
            ("X", "B1", ()): _runs(pytest_wired="passed", pytest_live="failed"),
            ("X", "C1", ()): _runs(pytest_wired="passed")}
    rules = {rule.rule.id: rule for rule in judge(parse(CONTRACT), ENTRIES, runs)}
    assert list(rules) == ["alpha", "beta", "gamma", "delta"]  # tracker rules only, in the contract's order
    assert (rules["alpha"].verdict, rules["alpha"].why) == (FAILING, "1 of 3 scenarios failed")  # B1 failed on live
    assert (rules["beta"].verdict, rules["beta"].why) == (FAILING, "1 of 1 scenario failed")
    # C2 is in no result: outside the run's selection (as the nightly soak is in a push's CI), named, not counted
    assert (rules["gamma"].verdict, rules["gamma"].why) == (VERIFIED, "1 scenario passed (pytest on wired); 1 not in this run")
    assert (rules["delta"].verdict, rules["delta"].why) == (UNVERIFIED, "no scenario names this rule")
    assert tally(list(rules.values())) == {VERIFIED: 1, FAILING: 2, UNVERIFIED: 1}


def test_a_rule_is_unverified_when_a_selected_scenario_was_skipped_everywhere_or_none_was_selected() -> None:
    skipped = {("X", "C1", ()): _runs(pytest_wired="passed"), ("X", "C2", ()): _runs(pytest_wired="skipped")}
    gamma = next(rule for rule in judge(parse(CONTRACT), ENTRIES, skipped) if rule.rule.id == "gamma")
    assert (gamma.verdict, gamma.why) == (UNVERIFIED, "1 of 2 scenarios skipped on every target that had it")
    gamma = next(rule for rule in judge(parse(CONTRACT), ENTRIES, {}) if rule.rule.id == "gamma")
    assert (gamma.verdict, gamma.why) == (UNVERIFIED, "none of its 2 scenarios was in this run")


def test_a_rule_is_verified_when_each_scenario_passed_somewhere_and_failed_nowhere() -> None:
    runs = {("X", "C1", ()): _runs(pytest_wired="passed", behave_wired="passed"),
            ("X", "C2", ()): _runs(pytest_wired="skipped", pytest_live="passed")}
    gamma = next(rule for rule in judge(parse(CONTRACT), ENTRIES, runs) if rule.rule.id == "gamma")
    assert (gamma.verdict, gamma.why) == (VERIFIED, "2 scenarios passed (behave on wired, pytest on live, pytest on wired)")
    assert [dict(s.runs) for s in gamma.scenarios] == [runs[("X", "C1", ())], runs[("X", "C2", ())]]
