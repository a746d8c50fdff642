"""The step library against the feature files: every trading-flow step has one definition, none two."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bdd_project import ROOT
from pytest_bdd.parser import FeatureParser

from support import bdd

bdd.import_step_modules(ROOT / "steps")


def _steps(area: str) -> Iterator[tuple[str, str, str]]:
    """(feature file, keyword, text) for every step of every scenario (outlines rendered) of an area."""
    for path in sorted((ROOT / "features" / area).glob("*.feature")):
        feature = FeatureParser(str(ROOT / "features"), str(path.relative_to(ROOT / "features"))).parse()
        for template in feature.scenarios.values():
            contexts = [c for examples in template.examples for c in examples.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    yield path.name, step.type, step.name


AREAS = sorted(p.name for p in (ROOT / "features").iterdir() if p.is_dir())


@pytest.mark.parametrize("area", AREAS)
def test_no_step_matches_two_definitions(area: str) -> None:
    ambiguous = {(f, k, t): [d.location for d in found]
                 for f, k, t in _steps(area) if len(found := bdd.find(k, t)) > 1}
    assert not ambiguous


def test_every_trading_flow_step_is_defined() -> None:
    undefined = sorted({(f, k, t) for f, k, t in _steps("trading_flow") if not bdd.find(k, t)})
    assert not undefined


def test_every_definition_is_used_by_some_feature() -> None:
    steps = [(k, t) for area in AREAS for _, k, t in _steps(area)]
    unused = [d.pattern for d in bdd.definitions()
              if not any(d.kind in (k, "step") and d.parse(t) is not None for k, t in steps)]
    assert not unused


def test_steps_dir_is_flat() -> None:
    """behave >= 1.3.2 ignores sub-folders of steps/: shared code belongs in support/."""
    assert not [p for p in Path(ROOT / "steps").iterdir() if p.is_dir() and p.name != "__pycache__"]
