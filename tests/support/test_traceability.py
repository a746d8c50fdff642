"""@rule:<id> tags: read the same by both runners, selectable, refused when the contract lacks the id, and the
same rule labels, tags and links in Allure from pytest-bdd and behave."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bdd_project import SuiteProject

from support import contract, traceability

TRACED = """
    @trading_flow @rule:session-stats
    Feature: Traced

      @rule:ws-queue
      Rule: Queues

        @smoke @rule:classify
        Scenario Outline: A trade of <volume>
          Given nothing

          Examples:
            | volume |
            | 100    |
            | 200    |

      Rule: Alone

        Scenario: Untraced by its own tags
          Given nothing
    """
UNKNOWN = """
    Feature: Misspelt

      Scenario: Fine
        Given nothing

      @rule:clasify
      Scenario: Misspelt rule
        Given nothing
    """


def test_a_rule_tag_names_an_id_and_other_tags_name_none() -> None:
    assert traceability.rule_id("rule:ws-queue") == "ws-queue"
    assert traceability.rule_id("rule") == traceability.rule_id("rule:") == ""
    assert traceability.rule_id("smoke") is None and traceability.rule_id("rules:classify") is None
    assert traceability.rule_ids(["smoke", "rule:classify", "rule:ws-queue", "rule:classify", "rule"]) == [
        "classify", "ws-queue"]


def test_an_unknown_or_empty_rule_is_a_problem_at_its_place() -> None:
    catalogue = contract.load()
    assert traceability.unknown_rule("rule:classify", "f.feature:3", catalogue) is None
    assert traceability.unknown_rule("smoke", "f.feature:3", catalogue) is None
    assert traceability.unknown_rule("rule:clasify", "f.feature:3", catalogue) == (
        "f.feature:3: @rule:clasify names no rule of docs/CONTRACT.md")
    assert traceability.unknown_rule("rule", "f.feature:3", catalogue) == "f.feature:3: @rule names no rule: write @rule:<id>"
    message = str(traceability.RuleTagError(["f.feature:3: @rule:clasify ..."], catalogue))
    assert message.startswith("f.feature:3: @rule:clasify ...\n")
    assert {word.strip(",") for word in message.split()} >= set(catalogue.ids), "the message lists the known ids"


def test_pytest_marks_rules_and_selects_by_id(suite_project: SuiteProject) -> None:
    suite_project.write("features/traced.feature", TRACED)
    suite_project.pytest("-m", "rule(id='classify')").assert_outcomes(passed=2, deselected=1)
    suite_project.pytest("-m", "rule(id='session-stats') and not rule(id='ws-queue')").assert_outcomes(
        passed=1, deselected=2)
    suite_project.pytest("-m", "not rule").assert_outcomes(deselected=3)


def test_behave_selects_by_the_same_tags(suite_project: SuiteProject) -> None:
    suite_project.write("features/traced.feature", TRACED)
    one = suite_project.behave("--tags=@rule:classify")
    assert one.returncode == 0 and "2 scenarios passed, 0 failed, 1 skipped" in one.stdout, one.stdout + one.stderr
    family = suite_project.behave("--tags=@rule:ws-*")  # only the outline's Rule is tagged @rule:ws-queue
    assert "2 scenarios passed, 0 failed, 1 skipped" in family.stdout, family.stdout + family.stderr


def test_an_unknown_rule_fails_pytest_collection_naming_tag_file_and_ids(suite_project: SuiteProject) -> None:
    suite_project.write("features/misspelt.feature", UNKNOWN)
    result = suite_project.pytest("-m", "not rule")  # deselecting it does not hide it
    assert result.ret == 4, result.stdout.str() + result.stderr.str()
    result.stderr.fnmatch_lines([
        "ERROR: features/misspelt.feature:7: @rule:clasify names no rule of docs/CONTRACT.md",
        "Rule tags are @rule:<id>, with an id of docs/CONTRACT.md:",
        "*classify*"])
    assert "no tests ran" in result.stdout.str()


def test_an_unknown_rule_stops_behave_before_any_scenario(suite_project: SuiteProject) -> None:
    suite_project.write("features/misspelt.feature", UNKNOWN)
    result = suite_project.behave()
    assert result.returncode != 0
    assert "HOOK-ERROR in before_all: RuleTagError: features/misspelt.feature:7: @rule:clasify names no rule" in (
        result.stdout), result.stdout + result.stderr
    assert "0 scenarios passed, 0 failed, 0 skipped, 2 untested" in result.stdout


def test_the_pytest_summary_counts_each_rules_verdicts_and_lists_the_gaps(suite_project: SuiteProject) -> None:
    suite_project.write("features/traced.feature", TRACED)
    result = suite_project.pytest("--gherkin", "-m", "not smoke")
    assert result.ret == 0, result.stdout.str()
    summary = result.stdout.str().split("contract rules (docs/CONTRACT.md)", 1)[1]
    assert re.search(r"\nclassify +2 scenarios: 2 not run\n", summary), summary
    assert re.search(r"\nsession-stats +3 scenarios: 1 passed, 2 not run\n", summary), summary
    gaps = summary.split("no scenario yet", 1)[1]
    assert "config-env" in gaps and "classify" not in gaps and "sim-token" not in gaps


def test_both_runners_give_allure_the_same_rule_labels_tags_and_links(suite_project: SuiteProject) -> None:
    suite_project.write("features/traced.feature", TRACED)
    assert suite_project.pytest("--alluredir=from-pytest").ret == 0
    behave = suite_project.behave_to_allure("from-behave")
    assert behave.returncode == 0, behave.stdout + behave.stderr
    from_pytest, from_behave = _traces(suite_project.path / "from-pytest"), _traces(suite_project.path / "from-behave")
    assert from_pytest == from_behave
    labels, tags, links = from_pytest["A trade of 100"]
    assert labels == {"classify", "session-stats", "ws-queue"}
    assert tags == {"rule:classify", "rule:session-stats", "rule:ws-queue"}
    assert ("classify", contract.rule_url("classify")) in links and len(links) == 3
    assert from_pytest["Untraced by its own tags"][0] == {"session-stats"}  # the feature's rule only


def _traces(folder: Path) -> dict[str, tuple[set[str], set[str], set[tuple[str, str]]]]:
    """Per scenario name (behave's outline suffix dropped): rule labels, rule tags, links (name, url)."""
    traces = {}
    for path in folder.glob("*-result.json"):
        result = json.loads(path.read_text())
        labels = {label["value"] for label in result["labels"] if label["name"] == "rule"}
        tags = {label["value"] for label in result["labels"]
                if label["name"] == "tag" and label["value"].startswith("rule:")}
        links = {(link["name"], link["url"]) for link in result.get("links", [])}
        traces[result["name"].split(" -- @")[0]] = (labels, tags, links)
    return traces
