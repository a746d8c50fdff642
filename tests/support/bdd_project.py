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
