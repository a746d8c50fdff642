"""Fixtures for the tests of the suite's support code."""

from __future__ import annotations

from pathlib import Path

import pytest
from bdd_project import Project, SuiteProject


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Warnings are errors in these tests."""
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("error"))


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Project:
    return Project(pytester, monkeypatch)


@pytest.fixture
def suite_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> SuiteProject:
    return SuiteProject(pytester, monkeypatch)
