"""behave refuses, before any scenario, the tags pytest refuses: both runners accept the same feature files."""

from __future__ import annotations

import pytest
from bdd_project import SuiteProject
from behave.parser import parse_feature  # type: ignore[import-untyped]

from support import contract
from support.tag_check import problems

GOOD = """
@trading_flow @allure.label.epic:TradingFlow @rule:classify
Feature: Tagged

  @rule:ws-queue
  Rule: R

    @smoke @severity:critical @allure.link.spec:https://example.com/spec @flaky
    Scenario Outline: A <x>
      Given nothing

      @slow
      Examples:
        | x |
        | 1 |
"""


def _problems(text: str) -> list[str]:
    return problems([parse_feature(text.lstrip(), filename="features/t.feature")], contract.load())


def test_the_suites_tags_pass() -> None:
    assert _problems(GOOD) == []


@pytest.mark.parametrize(("tag", "place", "complaint"), [
    ("@smok", "scenario", "features/t.feature:4: @smok is not a tag of the suite (pytest --strict-markers refuses it)"),
    ("@rule:clasify", "rule", "features/t.feature:3: @rule:clasify names no rule of docs/CONTRACT.md"),
    ("@rule:classify", "examples", "features/t.feature:6: @rule:classify on an Examples table: only plain tags"),
    ("@severity:minor", "examples", "features/t.feature:6: @severity:minor on an Examples table"),
    ("@allure.foo:1", "feature", "features/t.feature:2: @allure.foo:1 is not a tag of the suite"),
])
def test_a_tag_pytest_would_refuse_is_named_with_its_place(tag: str, place: str, complaint: str) -> None:
    tags = {"feature": "", "rule": "", "scenario": "", "examples": ""} | {place: tag}
    feature = (f"{tags['feature']}\nFeature: F\n {tags['rule']}\n Rule: R\n  {tags['scenario']}\n"
               f"  Scenario Outline: S <x>\n    Given nothing\n    {tags['examples']}\n    Examples:\n      | x |\n"
               "      | 1 |\n")
    feature = "\n".join(line for line in feature.splitlines() if line.strip())  # a place: its node's line
    found = _problems(feature)
    assert len(found) == 1 and found[0].startswith(complaint), found


@pytest.mark.parametrize("tag", ["@smok", "@rule:classify"])
def test_both_runners_refuse_a_misplaced_or_unknown_tag(suite_project: SuiteProject, tag: str) -> None:
    suite_project.write("features/t.feature", f"""
        Feature: F
          Scenario Outline: S <x>
            Given nothing

            {tag}
            Examples:
              | x |
              | 1 |
        """)
    pytest_run = suite_project.pytest()
    assert pytest_run.ret != 0 and "not found in `markers` configuration option" in pytest_run.stdout.str()
    behave_run = suite_project.behave()
    assert behave_run.returncode != 0 and "HOOK-ERROR in before_all" in behave_run.stdout, behave_run.stdout
