"""The step library against every feature file: each step is defined once, in pytest-bdd's and behave's registries."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bdd_project import ROOT
from pytest_bdd.parser import FeatureParser, ScenarioTemplate, Step
from pytest_bdd.scenario import find_fixturedefs_for_step

from support import bdd
from support.feature_scan import scan

bdd.import_step_modules(ROOT / "steps")
FEATURES = ROOT / "features"
AREAS = sorted(p.name for p in FEATURES.iterdir() if p.is_dir())
WIP = "wip"  # steps still being written: both runners leave these scenarios out by default


def _steps(area: str | None = None) -> Iterator[tuple[str, Step]]:
    """(feature file, step) for every step of every scenario (outlines rendered, backgrounds included), but @wip."""
    for path in sorted((FEATURES / area if area else FEATURES).rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), str(path.relative_to(FEATURES))).parse()
        for template in feature.scenarios.values():
            if _wip(template):
                continue
            contexts = [c for examples in template.examples for c in examples.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    yield path.relative_to(FEATURES).as_posix(), step


def _wip(template: ScenarioTemplate) -> bool:
    rule_tags = template.rule.tags if template.rule else set()
    return WIP in template.tags | template.feature.tags | rule_tags


@pytest.mark.parametrize("area", AREAS)
def test_no_step_matches_two_definitions(area: str) -> None:
    ambiguous = {(f, s.type, s.name): [d.location for d in found]
                 for f, s in _steps(area) if len(found := bdd.find(s.type, s.name)) > 1}
    assert not ambiguous


def test_every_step_of_every_feature_is_defined_for_pytest_bdd(request: pytest.FixtureRequest) -> None:
    """As pytest-bdd looks a step up: the step fixtures the root conftest.py registered, seen from a test."""
    assert len({f for f, _ in _steps()}) == len(list(FEATURES.rglob("*.feature")))
    fixtures = request._fixturemanager
    undefined = sorted({(f, s.type, s.name) for f, s in _steps()
                        if next(iter(find_fixturedefs_for_step(s, fixtures, request.node)), None) is None})
    assert not undefined, f"{len(undefined)} step(s) pytest-bdd cannot find:\n{bdd.UNDEFINED_HINT}"


def test_every_step_of_every_feature_is_defined_for_behave() -> None:
    """behave's own dry run over features/ (it loads environment.py and steps/ as a run does; no hook runs)."""
    done = subprocess.run([sys.executable, "-m", "behave", "--dry-run", "--format", "steps.missing", "--no-color",
                           f"--tags=not @{WIP}"],  # replaces default_tags: @soak, out by default, is looked at too
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, f"behave finds undefined steps:\n{done.stdout}\n{done.stderr}"
    expected = sum(1 for entry in scan(FEATURES, root=ROOT) if WIP not in {tag.name for tag in entry.tags})
    summary = rf"^0 scenarios passed, 0 failed, 0 skipped, {expected} untested$"
    assert re.search(summary, done.stdout, re.MULTILINE), (
        f"behave's dry run did not look at the {expected} scenarios of features/:\n{done.stdout}")


def test_every_definition_is_used_by_some_feature() -> None:
    steps = [(s.type, s.name) for _, s in _steps()]
    unused = [d.pattern for d in bdd.definitions()
              if not any(d.kind in (k, "step") and d.parse(t) is not None for k, t in steps)]
    assert not unused


def test_steps_dir_is_flat() -> None:
    """behave >= 1.3.2 ignores sub-folders of steps/: shared code belongs in support/."""
    assert not [p for p in Path(ROOT / "steps").iterdir() if p.is_dir() and p.name != "__pycache__"]
