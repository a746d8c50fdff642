"""What reaches allure-results/: no configured token anywhere, failures sorted, steps with parameters and
tables, and the environment/executor/categories files written after --clean-alluredir."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bdd_project import ROOT

from support import allure_report, allure_results, precondition_report

SECRET = "tok-5f3a9c1e77"
FEATURE = """
@trading_flow
Feature: Evidence

  Scenario: A table and placeholders
    Given these quotes:
      | symbol | bid  |
      | VNM    | 80.0 |
    Then VNM is quoted at 80.0

  Scenario: A setup step that asserts
    Given a token the tracker must never show
    Then VNM is quoted at 80.0

  Scenario: A Then step that finds a violation
    Then the tracker shows the token
"""
STEPS = f'''
import logging
from support import allure_report
from support.bdd import given, then

@given("these quotes:")
def _(world, table):
    world.quotes = {{row["symbol"]: row["bid"] for row in table}}

@then("{{symbol}} is quoted at {{price}}")
def _(world, symbol, price):
    assert world.quotes[symbol] == price

@given("a token the tracker must never show")
def _(world):
    world.configure(WS_AUTH_TOKEN="{SECRET}")
    logging.getLogger("tracker").warning("GET /ws/market?token={SECRET} accepted")
    allure_report.attach_text("evidence {SECRET}", "the exchange said {SECRET}")
    raise AssertionError("setup saw {SECRET}")

@then("the tracker shows the token")
def _(world):
    world.configure(WS_AUTH_TOKEN="{SECRET}")
    assert False, "the tracker echoed {SECRET}"
'''
FIXED_TOKEN = "FIXEDsecret42xyz"
# Loaded into the suite's own run (pytest -p / imported before behave): the scenario's token is known to
# the test, the tracker logs it (as a careless tracker would: captured log and log tail now hold it), and
# every scenario attaches the target's log tail as a failed one would.
FIXED_TOKEN_PLUGIN = f'''
import logging
import support.world as world_module

class _Secrets:
    @staticmethod
    def token_urlsafe(nbytes=None):
        return "{FIXED_TOKEN}"

world_module.secrets = _Secrets
_connect = world_module.World.connect

def _connect_and_log(self, persona, **kwargs):
    logging.getLogger("tracker.auth").warning("dashboard token configured: %s", self.ws_token)
    return _connect(self, persona, **kwargs)

world_module.World.connect = _connect_and_log
_close = world_module.World.close

def _close_as_failed(self, *, failed=False):
    _close(self, failed=True)

world_module.World.close = _close_as_failed
'''


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "evidence.feature").write_text(FEATURE)
    (tmp_path / "features" / "test_features.py").write_text("from pytest_bdd import scenarios\nscenarios('.')\n")
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "evidence.py").write_text(STEPS)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ntestpaths = ["features"]\n'
        'addopts = ["-p", "no:locust", "-p", "no:randomly", "--strict-markers"]\n')
    return tmp_path


def _results(folder: Path) -> dict[str, dict[str, object]]:
    """The scenarios' results by name (the run's own "Preconditions of the run" result left out)."""
    return {r["name"]: r for r in (json.loads(p.read_text()) for p in folder.glob("*-result.json"))
            if r["name"] != precondition_report.TITLE}


def _files_holding(folder: Path, text: str) -> list[str]:
    return [path.name for path in folder.rglob("*") if path.is_file() and text.encode() in path.read_bytes()]


def test_pytest_results_are_clean_sorted_and_described(suite: Path) -> None:
    results = suite / "allure-results"
    results.mkdir()
    (results / "stale-result.json").write_text("{}")
    run = subprocess.run([sys.executable, "-m", "pytest", "--alluredir=allure-results", "--clean-alluredir"],
                         cwd=suite, capture_output=True, text=True, timeout=120, check=False,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert not (results / "stale-result.json").exists()
    assert {"environment.properties", "executor.json", "categories.json"} <= {p.name for p in results.iterdir()}
    assert "target=wired" in (results / "environment.properties").read_text()
    categories = json.loads((results / "categories.json").read_text())
    assert categories[0]["name"].startswith("Infrastructure")

    assert _files_holding(results, SECRET) == [], "the configured token reached allure-results"
    assert _files_holding(results, "***"), "the token was masked, not dropped silently"

    by_name = _results(results)
    table = by_name["A table and placeholders"]
    assert table["labels"] and {"name": "epic", "value": "Trading flow"} in table["labels"]  # from the area
    given, then = table["steps"]  # type: ignore[misc]
    assert [a["name"] for a in given["attachments"]] == ["Data table"]
    assert then["parameters"] == [{"name": "symbol", "value": "'VNM'"}, {"name": "price", "value": "'80.0'"}]

    setup = by_name["A setup step that asserts"]
    assert setup["status"] == "failed", "an assertion about the tracker is a violation whatever the keyword"
    assert by_name["A Then step that finds a violation"]["status"] == "failed"


def _fixed_token_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "fixed_token.py").write_text(FIXED_TOKEN_PLUGIN)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}


def test_a_token_scenario_under_pytest_leaves_no_token_in_the_results(tmp_path: Path) -> None:
    results = tmp_path / "results"
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "fixed_token", "-p", "no:randomly", "-q",
                          "--target=wired", "-k", "right_token or wrong_token", f"--alluredir={results}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
                         env=_fixed_token_env(tmp_path))
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]
    assert _files_holding(results, FIXED_TOKEN) == []
    assert _files_holding(results, "token=***"), "the token was in the evidence, masked"
    logs = [r for r in _results(results).values() if any(a["name"] == "wired target log" for a in r["attachments"])]
    assert len(logs) == 2, "each scenario attached the target's log tail"


def test_a_token_scenario_under_behave_leaves_no_token_in_the_results(tmp_path: Path) -> None:
    results = tmp_path / "results"
    behave = ("import sys, fixed_token; from behave.__main__ import main; sys.exit(main(sys.argv[1:]))")
    run = subprocess.run([sys.executable, "-c", behave, "features/trading_flow/dashboards.feature", "-n", "right token|wrong token",
                          "-f", "allure_behave.formatter:AllureFormatter", "-o", str(results), "-f", "progress"],
                         cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
                         env=_fixed_token_env(tmp_path))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert len(_results(results)) == 2
    assert _files_holding(results, FIXED_TOKEN) == []
    assert _files_holding(results, "token=***")
    assert (results / "environment.properties").read_text().startswith("runner=behave")


def test_names_read_in_words_and_show_no_placeholder() -> None:
    assert allure_results.in_words("TradingFlow") == "Trading flow"
    assert allure_results.in_words("session_lifecycle") == "Session lifecycle"
    assert allure_results.in_words("Alerts") == "Alerts"
    assert allure_report.story_of(None, "Volume spike: <case>") == "Volume spike"
    assert allure_report.story_of(None, "A trade at <price> counts as <side>") == "A trade at price counts as side"
    assert allure_report.story_of("Auction trades are neutral", "A trade at <price>") == "Auction trades are neutral"
