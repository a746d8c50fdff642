"""Every feature file has its own pytest module beside it, so pytest ids show the area and the feature."""

from __future__ import annotations

import re

from bdd_project import ROOT

FEATURES = ROOT / "features"


def test_every_feature_is_bound_by_exactly_its_own_module() -> None:
    features = sorted(FEATURES.rglob("*.feature"))
    assert features
    unbound, strays = [], []
    for feature in features:
        module = feature.with_name(f"test_{feature.stem}.py")
        if not module.exists() or f'scenarios("{feature.name}")' not in module.read_text():
            unbound.append(str(feature.relative_to(ROOT)))
    for module in sorted(FEATURES.rglob("test_*.py")):
        bound = re.findall(r'scenarios\("([^"]+)"\)', module.read_text())
        if bound != [module.stem.removeprefix("test_") + ".feature"]:
            strays.append(f"{module.relative_to(ROOT)} binds {bound}")
    assert not unbound, f"features without features/<area>/test_<feature>.py binding them: {unbound}"
    assert not strays, f"modules that bind other than their own feature: {strays}"
