"""A pytest plugin for tests/support/test_runners_agree.py: what pytest-bdd collected, as JSON, without running it.

    SCENARIO_DUMP=out.json pytest --collect-only -p scenario_dump -m "wip or not wip"
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry


def pytest_collection_finish(session: pytest.Session) -> None:
    collected = []
    for item in session.items:
        template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
        if template is None:
            continue
        callspec = getattr(item, "callspec", None)
        example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
        tags = set(template.tags) | set(template.feature.tags) | (template.rule.tags if template.rule else set())
        for table in template.examples:  # pytest-bdd applies an Examples table's tags as marks of its rows
            if example and example in table.as_contexts():
                tags |= set(table.tags)
        collected.append([template.feature.name, template.render(example).name, sorted(tags)])
    Path(os.environ["SCENARIO_DUMP"]).write_text(json.dumps(collected), encoding="utf-8")
