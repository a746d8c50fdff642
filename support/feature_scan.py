"""The scenarios of the feature files, read without running them: where each one is, its name as reported, its tags.

The coverage report needs the scenarios that exist, not only those that ran, to tell a rule
verified by a scenario that did not run from a rule no scenario verifies:

    for entry in scan(Path("features"), root=Path(".")):
        entry.location, entry.name, entry.rules    # 'features/alerts/x.feature:25', 'A ... 59 ...', ('alert-dedup',)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.parser import Parser

from support import traceability

_PLACEHOLDER = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class Tag:
    name: str          # without '@'
    line: int          # where the tag is written
    on_examples: bool  # on an Examples table


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario as the runners count it: a plain scenario, or one row of an outline's Examples."""

    path: str                                # the feature file, relative to the root
    line: int                                # the scenario's line, or its Examples row's
    feature: str                             # the feature's name (Allure's `feature` label)
    name: str                                # the outline's placeholders filled from the row
    parameters: tuple[tuple[str, str], ...]  # the Examples row, column by column (empty for a scenario)
    tags: tuple[Tag, ...]                    # its own, its Examples table's, its Rule's and its Feature's

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(traceability.rule_ids(tag.name for tag in self.tags))


def scan(features_dir: Path, root: Path) -> list[ScenarioEntry]:
    """Every scenario of every *.feature under `features_dir`, file by file in name order."""
    entries: list[ScenarioEntry] = []
    for path in sorted(features_dir.rglob("*.feature")):
        document: dict[str, Any] = dict(Parser().parse(path.read_text(encoding="utf-8")))
        feature = document.get("feature")
        if feature:
            relative = path.resolve().relative_to(root.resolve()).as_posix()
            entries += _feature_entries(relative, feature)
    return entries


def _feature_entries(path: str, feature: dict[str, Any]) -> Iterator[ScenarioEntry]:
    inherited = _tags(feature)
    for child in feature["children"]:
        if "rule" in child:
            rule_tags = inherited + _tags(child["rule"])
            for grandchild in child["rule"]["children"]:
                if "scenario" in grandchild:
                    yield from _scenario_entries(path, feature["name"], grandchild["scenario"], rule_tags)
        elif "scenario" in child:
            yield from _scenario_entries(path, feature["name"], child["scenario"], inherited)


def _scenario_entries(path: str, feature: str, scenario: dict[str, Any],
                      inherited: tuple[Tag, ...]) -> Iterator[ScenarioEntry]:
    tags = inherited + _tags(scenario)
    if not scenario["examples"]:
        yield ScenarioEntry(path, scenario["location"]["line"], feature, scenario["name"], (), tags)
        return
    for examples in scenario["examples"]:
        header = [cell["value"] for cell in examples["tableHeader"]["cells"]] if examples.get("tableHeader") else []
        examples_tags = tags + _tags(examples, on_examples=True)
        for row in examples["tableBody"]:
            values = dict(zip(header, (cell["value"] for cell in row["cells"]), strict=True))
            yield ScenarioEntry(path, row["location"]["line"], feature, _filled(scenario["name"], values),
                                tuple(values.items()), examples_tags)


def _filled(name: str, values: dict[str, str]) -> str:
    """An outline's name with its <placeholders> replaced by the row's values, as both runners name the row."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), name)


def _tags(node: dict[str, Any], *, on_examples: bool = False) -> tuple[Tag, ...]:
    return tuple(Tag(tag["name"].lstrip("@"), tag["location"]["line"], on_examples) for tag in node.get("tags", []))
