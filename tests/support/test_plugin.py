"""The pytest plugin of the root conftest: options, tags as markers, Allure labels, @wip, Gherkin output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bdd_project import ROOT

from support import precondition_report

FEATURE = """
@trading_flow @allure.label.epic:TradingFlow
Feature: Tagged
  Rule: Prices are shown

    @smoke @severity:critical @allure.link.spec:https://example.com/spec
    Scenario Outline: A price of <price>
      Given nothing

      Examples:
        | price |
        | 80.5  |

  @wip
  Scenario: Unfinished
    Given nothing

  @soak
  Scenario: All day
    Given a while passes
"""
STEPS = """
from support.bdd import given

@given("nothing")
def _(world):
    pass

@given("a while passes")
def _(world):
    import time
    time.sleep(1.5)  # longer than --timeout=1: only the soak's own timeout lets it pass
"""


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """The suite's plugin (a copy of the root conftest) with one feature and one step module."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "tagged.feature").write_text(FEATURE)
    (tmp_path / "features" / "test_features.py").write_text("from pytest_bdd import scenarios\nscenarios('.')\n")
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "nothing.py").write_text(STEPS)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ntestpaths = ["features"]\n'
        'addopts = ["-p", "no:locust", "-p", "no:randomly", "--strict-markers"]\n')
    return tmp_path


def _pytest(suite: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=suite, capture_output=True, text=True,
                          timeout=120, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env})


def test_gherkin_option_prints_features_rules_and_scenarios(suite: Path) -> None:
    result = _pytest(suite, "--gherkin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Feature: Tagged" in result.stdout
    assert "Rule: Prices are shown" in result.stdout
    assert "Scenario Outline: A price of 80.5 PASSED" in result.stdout
    assert "1 passed, 2 deselected" in result.stdout  # @wip and @soak are out by default


def test_tags_select_like_markers_and_wip_is_selectable(suite: Path) -> None:
    assert "1 passed" in _pytest(suite, "-m", "smoke").stdout
    assert "2 deselected" in _pytest(suite, "-m", "smoke").stdout
    assert "2 passed" in _pytest(suite, "-m", "wip or smoke").stdout


def test_soak_runs_only_when_selected_and_with_a_timeout_of_its_own(suite: Path) -> None:
    selected = _pytest(suite, "-m", "soak", "--timeout=1")
    assert "1 passed, 2 deselected" in selected.stdout, selected.stdout + selected.stderr


def test_an_unknown_target_fails_fast_listing_the_valid_ones(suite: Path) -> None:
    result = _pytest(suite, "--target=cloud")
    assert result.returncode == 4
    assert "invalid choice: 'cloud' (choose from 'wired', 'live', 'docker')" in result.stderr


def test_sut_options_need_the_live_target(suite: Path) -> None:
    result = _pytest(suite, "--sut-url=http://127.0.0.1:1")
    assert result.returncode == 4 and "go with --target=live" in result.stderr


def test_allure_tags_become_labels_and_links_not_markers(suite: Path) -> None:
    result = _pytest(suite, "--alluredir=allure-results")
    assert result.returncode == 0, result.stdout + result.stderr
    results = [json.loads(path.read_text()) for path in (suite / "allure-results").glob("*-result.json")]
    [report] = [result for result in results if result["name"] != precondition_report.TITLE]
    labels = {(label["name"], label["value"]) for label in report["labels"]}
    assert {("epic", "Trading flow"), ("feature", "Tagged"), ("story", "Prices are shown"),
            ("severity", "critical"), ("tag", "smoke"), ("tag", "trading_flow")} <= labels
    assert not any(value.startswith(("allure.", "severity:")) for _, value in labels)
    assert {"name": "spec", "url": "https://example.com/spec", "type": "link"} in report["links"]


def test_docker_target_without_an_engine_skips_with_the_reason(suite: Path, tmp_path: Path) -> None:
    missing_socket = tmp_path / "no-engine.sock"
    result = _pytest(suite, "--target=docker", "-rs", DOCKER_HOST=f"unix://{missing_socket}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "no Docker engine answers" in result.stdout
