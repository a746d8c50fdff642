"""The per-rule view: verdicts matched from both runners' Allure results, and scripts/rule_coverage.py's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bdd_project import ROOT

from support.contract import parse
from support.rule_coverage import (
    Coverage,
    Traced,
    runs_from_allure,
    summary_lines,
    verdicts_from_allure,
)

CONTRACT = """
## 1. Upstream

### [sim-feed]
**Feed.** The simulator's: no scenario needed.

## 2. Tracker

### [alpha]
**Alpha.**

### [beta]
**Beta.**
"""
FEATURE = """
    @rule:alpha
    Feature: Made up

      Scenario: Plain
        Given nothing

      @rule:beta
      Scenario Outline: Sized <size>
        Given nothing

        Examples: some
          | size |
          | 1    |
          | 2    |
    """


def _result(folder: Path, name: str, status: str, *, stop: int, parameters: dict[str, str] | None = None) -> None:
    """An Allure result as allure-pytest-bdd or allure-behave writes it (only the keys the report reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    result = {"name": name, "status": status, "stop": stop,
              "labels": [{"name": "feature", "value": "Made up"}],
              "parameters": [{"name": key, "value": value} for key, value in (parameters or {}).items()]}
    (folder / f"{name.replace(' ', '_')}-{stop}-result.json").write_text(json.dumps(result))


@pytest.fixture
def made_up(tmp_path: Path) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "made_up.feature").write_text(textwrap.dedent(FEATURE).lstrip())
    (tmp_path / "CONTRACT.md").write_text(CONTRACT)
    return tmp_path


def _coverage(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "rule_coverage.py"), "--features", "features",
                           "--contract", "CONTRACT.md", "--root", ".", "--results", "results", *args],
                          cwd=root, capture_output=True, text=True, timeout=60, check=False)


def test_the_latest_result_of_each_scenario_wins_whichever_runner_wrote_it(tmp_path: Path) -> None:
    _result(tmp_path / "pytest", "Sized 1", "failed", stop=1, parameters={"size": "1"})
    _result(tmp_path / "behave", "Sized 1 -- @1.1 some", "passed", stop=2, parameters={"size": "1"})
    _result(tmp_path / "behave", "Plain", "broken", stop=5)
    _result(tmp_path / "pytest", "Plain", "passed", stop=4)
    (tmp_path / "pytest" / "broken-result.json").write_text("{not json")
    verdicts = verdicts_from_allure(tmp_path)
    assert verdicts == {("Made up", "Sized 1", (("size", "1"),)): "passed", ("Made up", "Plain", ()): "broken"}


def test_a_rule_line_counts_its_scenarios_verdicts_and_the_gaps_follow() -> None:
    catalogue = parse(CONTRACT)
    coverage = Coverage(catalogue, [Traced("Plain", "f:4", ("alpha",), "passed"),
                                    Traced("Sized 1", "f:13", ("alpha", "sim-feed"), "failed"),
                                    Traced("Sized 2", "f:14", ("alpha",), "not run")])
    assert coverage.uncovered == ["beta"]
    assert summary_lines(coverage) == ["alpha                         3 scenarios: 1 passed, 1 failed, 1 not run",
                                       "no scenario yet (1 of 2 tracker rules):", "  beta"]


def test_every_rule_covered_exits_0_with_each_scenarios_verdict(made_up: Path) -> None:
    _result(made_up / "results", "Plain", "passed", stop=1)
    _result(made_up / "results", "Sized 2 -- @1.2 some", "skipped", stop=1, parameters={"size": "2"})
    run = _coverage(made_up)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "    passed   features/made_up.feature:4  Plain" in run.stdout
    assert "    not run  features/made_up.feature:13  Sized 1" in run.stdout
    assert "    skipped  features/made_up.feature:14  Sized 2" in run.stdout
    assert "beta                          2 scenarios: 1 skipped, 1 not run" in run.stdout
    assert "every tracker rule has a scenario (2 rules)" in run.stdout  # sim-feed needs none


def test_a_rule_without_a_scenario_exits_1_naming_it(made_up: Path) -> None:
    feature = made_up / "features" / "made_up.feature"
    feature.write_text(feature.read_text().replace("@rule:beta", "@smoke"))
    run = _coverage(made_up, "--brief")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "(no Allure results under results/: every verdict is 'not run')" in run.stdout
    assert "no scenario yet (1 of 2 tracker rules):\n  beta\n" in run.stdout
    assert "1 tracker rule(s) without a scenario, 0 tag(s) naming no rule" in run.stdout


def test_a_tag_naming_no_rule_exits_1_naming_tag_and_place(made_up: Path) -> None:
    feature = made_up / "features" / "made_up.feature"
    feature.write_text(feature.read_text().replace("Scenario: Plain", "@rule:gamma\n  Scenario: Plain"))
    run = _coverage(made_up, "--brief")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "features/made_up.feature:4: @rule:gamma names no rule of docs/CONTRACT.md" in run.stdout
    assert "0 tracker rule(s) without a scenario, 1 tag(s) naming no rule" in run.stdout


def test_each_runner_and_target_keeps_its_own_verdict_and_the_worst_is_the_scenarios(tmp_path: Path) -> None:
    for stop, (runner, target, status) in enumerate([("pytest-bdd", "wired", "passed"), ("pytest-bdd", "live", "failed"),
                                                     ("behave", "wired", "passed")]):
        _result(tmp_path / runner, "Plain", status, stop=stop, parameters={"runner": runner, "target": target})
    assert runs_from_allure(tmp_path) == {("Made up", "Plain", ()): {
        "pytest-bdd on wired": "passed", "pytest-bdd on live": "failed", "behave on wired": "passed"}}
    assert verdicts_from_allure(tmp_path) == {("Made up", "Plain", ()): "failed"}  # the latest alone would say passed
