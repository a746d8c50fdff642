"""pytest-bdd and behave see the same scenarios, by feature, name and tags: one set of features, two runners."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bdd_project import ROOT
from behave.parser import parse_file

Scenario = tuple[str, str, tuple[str, ...]]


def _pytest_collects(tmp_path: Path) -> Counter[Scenario]:
    dump = tmp_path / "pytest.json"
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "scenario_dump",
                          "-p", "no:randomly", "-m", "wip or soak or not wip"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                         env={**os.environ, "SCENARIO_DUMP": str(dump)})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return Counter((feature, name, tuple(tags)) for feature, name, tags in json.loads(dump.read_text()))


def _behave_collects() -> Counter[Scenario]:
    seen: Counter[Scenario] = Counter()
    for path in sorted((ROOT / "features").rglob("*.feature")):
        feature = parse_file(str(path))
        for scenario in feature.walk_scenarios():  # outlines expanded into their examples' scenarios
            name = scenario.name.split(" -- @")[0]   # behave annotates outline rows; pytest-bdd does not
            seen[(feature.name, name, tuple(sorted(scenario.effective_tags)))] += 1
    return seen


def test_both_runners_collect_the_same_scenarios_with_the_same_names_and_tags(tmp_path: Path) -> None:
    by_pytest, by_behave = _pytest_collects(tmp_path), _behave_collects()
    assert sum(by_pytest.values()) >= 100, f"pytest-bdd collected only {sum(by_pytest.values())} scenarios"
    only_pytest, only_behave = by_pytest - by_behave, by_behave - by_pytest
    assert not only_pytest and not only_behave, (
        f"pytest-bdd only: {sorted(only_pytest.elements())}\nbehave only: {sorted(only_behave.elements())}")
