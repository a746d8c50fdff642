"""A throwaway BDD project laid out like this one, run with pytest (pytester) and behave."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_CONFTEST = '''
from __future__ import annotations
import pytest
from support.bdd import bind_pytest
bind_pytest()

@pytest.fixture
def world() -> dict[str, object]:
    return {"log": []}
'''

_ENVIRONMENT = '''
from support.bdd import bind_behave, explain_undefined
bind_behave()

def before_scenario(context, scenario):
    context.world = {"log": []}

def after_scenario(context, scenario):
    explain_undefined(scenario)
'''


class Project:
    """features/, steps/, a conftest.py calling bind_pytest() and an environment.py calling bind_behave()."""

    def __init__(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pytester = pytester
        self.path = pytester.path
        monkeypatch.setenv("PYTHONPATH", str(ROOT))
        self.write("conftest.py", _CONFTEST)
        self.write("environment.py", _ENVIRONMENT)
        self.write("features/test_features.py", "from pytest_bdd import scenarios\nscenarios('.')\n")
        self.write("pyproject.toml", """
            [tool.pytest.ini_options]
            testpaths = ["features"]
            addopts = ["-p", "no:locust", "-p", "no:randomly", "-p", "no:cacheprovider"]
            [tool.behave]
            paths = ["features"]
            """)

    def write(self, relative: str, text: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
        return path

    def pytest(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*args)

    def behave(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "behave", "-f", "plain", "--no-capture", *args],
                              cwd=self.path, capture_output=True, text=True, timeout=60, check=False)


class SuiteProject(Project):
    """A throwaway project on the suite's own plugins: the root conftest.py and environment.py, copied."""

    def __init__(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(pytester, monkeypatch)
        self.write("conftest.py", (ROOT / "conftest.py").read_text())
        self.write("environment.py", (ROOT / "environment.py").read_text())
        self.write("pyproject.toml", """
            [tool.pytest.ini_options]
            testpaths = ["features"]
            addopts = ["-p", "no:locust", "-p", "no:randomly", "-p", "no:cacheprovider", "--strict-markers"]
            [tool.behave]
            paths = ["features"]
            """)
        self.write("steps/nothing.py", """
            from support.bdd import given

            @given("nothing")
            def _(world):
                pass
            """)

    def behave_to_allure(self, folder: str, *args: str) -> subprocess.CompletedProcess[str]:
        """behave with allure-behave writing into `folder` (and progress on stdout)."""
        return subprocess.run([sys.executable, "-m", "behave", "-f", "allure_behave.formatter:AllureFormatter",
                               "-o", folder, "-f", "progress", *args],
                              cwd=self.path, capture_output=True, text=True, timeout=60, check=False)
