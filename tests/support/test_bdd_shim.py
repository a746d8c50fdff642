"""The step shim: one step library, written once, gives the same verdicts under pytest-bdd and behave."""

from __future__ import annotations

import re

from bdd_project import Project

STEPS = """
    from __future__ import annotations
    from typing import Any
    from support.bdd import given, then, when

    @given("a basket")
    def _(world: dict[str, Any]) -> None:
        world["basket"] = []

    @when("{volume:Int} shares of {symbol:Symbol} at {price:Number} are added")
    def _(world: dict[str, Any], volume: int, symbol: str, price: float) -> None:
        world["basket"].append((symbol, volume, price))

    @when("these trades are added:")
    def _(world: dict[str, Any], table: list[dict[str, str]]) -> None:
        world["basket"].extend((row["symbol"], int(row["volume"]), float(row["price"])) for row in table)

    @then("the basket holds {count:Int} line(s) worth {value:Number} VND")
    def _(world: dict[str, Any], count: int, value: float) -> None:
        worth = sum(volume * price * 1000 for _, volume, price in world["basket"])
        assert (len(world["basket"]), worth) == (count, value), f"basket {world['basket']} is worth {worth}"
    """

FEATURE = """
    Feature: Basket
      Scenario: Typed placeholders
        Given a basket
        When 1,000 shares of VNM at 80.5 are added
        Then the basket holds 1 line(s) worth 80,500,000 VND

      Scenario: A data table becomes row dicts
        Given a basket
        When these trades are added:
          | symbol | volume | price |
          | VNM    | 100    | 80.0  |
          | FPT    | 10     | 120.0 |
        Then the basket holds 2 line(s) worth 9,200,000 VND

      Scenario: A wrong expectation fails
        Given a basket
        When 1 shares of VNM at 1.0 are added
        Then the basket holds 1 line(s) worth 2 VND

      Scenario: Steps are case-sensitive in both runners
        Given A basket
    """


def test_one_library_gives_the_same_verdicts_in_both_runners(project: Project) -> None:
    project.write("steps/basket.py", STEPS)
    project.write("features/basket.feature", FEATURE)

    result = project.pytest("-v")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*test_typed_placeholders PASSED*", "*test_a_data_table_becomes_row_dicts PASSED*",
                                 "*test_a_wrong_expectation_fails FAILED*", "*test_steps_are_casesensitive*FAILED*"])
    result.stdout.fnmatch_lines(["*Step definition is not found*A basket*", "*Define the step once*"])

    behave = project.behave()
    assert behave.returncode == 1, behave.stdout
    assert re.search(r"2 scenarios passed, 1 failed, 1 error", behave.stdout), behave.stdout
    assert "basket [('VNM', 1, 1.0)] is worth 1000.0" in behave.stdout
    assert "UNDEFINED STEP: Given A basket" in behave.stderr, behave.stderr


def test_a_sentence_defined_twice_is_refused(project: Project) -> None:
    project.write("steps/a.py", """
        from support.bdd import given
        @given("a basket")
        def _(world): pass
        """)
    project.write("steps/b.py", """
        from support.bdd import given
        @given("a {thing}")
        def _(world, thing): pass
        """)
    project.write("features/x.feature", "Feature: X\n  Scenario: Y\n    Given a basket\n")
    result = project.pytest()
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*StepDefinitionError*'a {thing}'*collides with 'a basket'*one sentence, one definition*"])
    behave = project.behave()
    assert behave.returncode != 0 and "collides with 'a basket'" in behave.stdout + behave.stderr


def test_parameters_must_match_the_placeholders(project: Project) -> None:
    project.write("steps/a.py", """
        from support.bdd import given
        @given("a basket of {count:Int}")
        def _(world, number): pass
        """)
    project.write("features/x.feature", "Feature: X\n  Scenario: Y\n    Given a basket of 3\n")
    result = project.pytest()
    assert result.ret != 0
    assert "parameters ['number'] do not match the placeholders ['count']" in str(result.stderr)


def test_a_scenario_skip_skips_in_both_runners(project: Project) -> None:
    project.write("steps/a.py", """
        from support.bdd import given
        from support.errors import ScenarioSkip
        @given("a tracker without a clock")
        def _(world):
            raise ScenarioSkip("no test control here")
        """)
    project.write("features/x.feature", "Feature: X\n  Scenario: Y\n    Given a tracker without a clock\n")
    result = project.pytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no test control here*"])
    behave = project.behave("--show-skipped")
    assert behave.returncode == 0 and "1 skipped" in behave.stdout, behave.stdout + behave.stderr
