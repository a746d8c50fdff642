"""The scenarios of feature files, read without running them, named and tagged the way the runners report them."""

from __future__ import annotations

from pathlib import Path

from support.feature_scan import Tag, scan

FEATURE = """\
@area @rule:alpha
Feature: Scanned

  Background:
    Given nothing

  Scenario: Plain
    Given nothing

  @rule:beta
  Rule: Grouped

    @rule:gamma
    Scenario Outline: A <what> of <size>
      Given nothing

      @slow
      Examples: small
        | what  | size |
        | trade | 100  |

      Examples: large
        | what  | size  |
        | block | 5,000 |
"""


def test_every_row_of_an_outline_is_a_scenario_named_from_its_row(tmp_path: Path) -> None:
    (tmp_path / "features" / "area").mkdir(parents=True)
    (tmp_path / "features" / "area" / "scanned.feature").write_text(FEATURE)
    plain, small, large = scan(tmp_path / "features", root=tmp_path)
    assert (plain.location, plain.feature, plain.name, plain.parameters) == (
        "features/area/scanned.feature:7", "Scanned", "Plain", ())
    assert (small.location, small.name, small.parameters) == (
        "features/area/scanned.feature:20", "A trade of 100", (("what", "trade"), ("size", "100")))
    assert (large.location, large.name) == ("features/area/scanned.feature:24", "A block of 5,000")


def test_tags_come_from_the_feature_the_rule_the_scenario_and_its_examples(tmp_path: Path) -> None:
    (tmp_path / "scanned.feature").write_text(FEATURE)
    plain, small, large = scan(tmp_path, root=tmp_path)
    assert plain.rules == ("alpha",)
    assert small.rules == ("alpha", "beta", "gamma") == large.rules
    assert Tag("slow", 17, on_examples=True) in small.tags and Tag("slow", 17, on_examples=True) not in large.tags
    assert Tag("rule:beta", 10, on_examples=False) in large.tags
