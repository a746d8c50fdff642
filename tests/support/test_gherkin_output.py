"""`pytest --gherkin` prints the same features, scenarios, verdicts and summary serially and under pytest-xdist."""

from __future__ import annotations

import re
import subprocess
import sys

from bdd_project import ROOT

SELECTION = ["-m", "trading_flow and smoke", "-p", "no:randomly"]
_TIME = re.compile(r" in [0-9.]+s")


def _gherkin(*extra: str) -> tuple[list[str], str]:
    run = subprocess.run([sys.executable, "-m", "pytest", "--gherkin", *SELECTION, *extra],
                         cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    lines = run.stdout.splitlines()
    gherkin = [line for line in lines if line.startswith(("Feature:", "  Rule:", "    Scenario", "    Example",
                                                           "        Scenario", "        Example"))]
    summary = _TIME.sub("", next(line for line in reversed(lines) if "passed" in line)).strip("= ")
    return gherkin, summary


def test_parallel_output_reads_as_the_serial_one() -> None:
    serial, serial_summary = _gherkin()
    parallel, parallel_summary = _gherkin("-n", "2")
    assert any("Scenario" in line and line.endswith("PASSED") for line in serial), serial
    assert parallel == serial
    assert parallel_summary == serial_summary
