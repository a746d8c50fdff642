"""behave: every tag of the features checked before any scenario runs, refusing what pytest would refuse.

pytest refuses an unknown tag at collection (--strict-markers, and the rule ids in the root
conftest); behave would run any tag. before_all calls `check(features, catalogue)` so that both
runners accept the same feature files and fail fast on the same mistakes:

    check(context._runner.features, contract.load())   # RuleTagError listing each bad tag
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from behave.model import Rule  # type: ignore[import-untyped]

from support import allure_report, traceability
from support.contract import Catalogue
from support.tags import MARKERS
from support.traceability import RuleTagError

_ALLOWED = ("@rule:<id>", "@severity:<level>", "@allure.label.<name>:<value>", "@allure.link.<name>:<url>")


def check(features: Iterable[Any], catalogue: Catalogue) -> None:
    """Raise RuleTagError naming every tag of these behave features that pytest would refuse."""
    if found := problems(features, catalogue):
        raise RuleTagError(found, catalogue)


def problems(features: Iterable[Any], catalogue: Catalogue) -> list[str]:
    found: list[str] = []
    for feature in features:
        for line, tags, on_examples in _tagged(feature):
            where = f"{feature.filename}:{line}"
            found += [problem for tag in tags
                      if (problem := tag_problem(str(tag), where, catalogue, on_examples=on_examples))]
    return found


def tag_problem(tag: str, where: str, catalogue: Catalogue, *, on_examples: bool = False) -> str | None:
    """Why pytest would refuse `tag` (without '@') at `where`, or None."""
    if on_examples:  # pytest-bdd 9 turns an Examples tag into a plain marker, bypassing pytest_bdd_apply_tag
        if tag in MARKERS:
            return None
        return (f"{where}: @{tag} on an Examples table: only plain tags ({', '.join(MARKERS)}) work there "
                "under pytest-bdd; put it on the scenario outline, its Rule or its Feature")
    if traceability.rule_id(tag) is not None:
        return traceability.unknown_rule(tag, where, catalogue)
    if tag in MARKERS or allure_report.tag_meaning(tag) is not None:
        return None
    return (f"{where}: @{tag} is not a tag of the suite (pytest --strict-markers refuses it); the tags are "
            f"{', '.join(MARKERS)} and {', '.join(_ALLOWED)} (support/tags.py)")


def _tagged(feature: Any) -> Iterator[tuple[int, list[str], bool]]:
    """(line, tags, on an Examples table?) of the feature, its rules, scenarios, outlines and Examples tables."""
    yield feature.line, list(feature.tags), False
    for item in feature.run_items:
        yield from _tagged_item(item)


def _tagged_item(item: Any) -> Iterator[tuple[int, list[str], bool]]:
    yield item.line, list(item.tags), False
    for examples in getattr(item, "examples", None) or []:
        yield examples.line, list(examples.tags), True
    if isinstance(item, Rule):
        for child in item.run_items:
            yield from _tagged_item(child)
