"""How fast the acceptance suite runs: wired serially and in parallel, and live, with the slowest scenarios.

Usage: .venv/bin/python bench/suite_speed.py [--parallel 4] [--runs wired,wired-parallel,live]
(`make suite-speed`). A benchmark that prints figures, not a test: nothing here fails on time.

Each run is `pytest --gherkin` on the non-perf, non-docker scenarios with a JUnit XML report,
whose per-test times give the slowest ten; the wall time is the whole command's, start-up
and preconditions included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELECTION = ["-m", "not perf and not docker", "-p", "no:randomly", "-q"]
RUNS: dict[str, list[str]] = {
    "wired": ["--target=wired", "-n", "0"],
    "wired-parallel": ["--target=wired", "-n", "{parallel}"],
    "live": ["--target=live", "--sut-env", "TRACKER_TEST_CONTROL=0", "-n", "{parallel}"],
}


@dataclass(frozen=True)
class Figures:
    name: str
    wall_s: float
    exit_code: int
    times: dict[str, float]  # test id -> seconds (setup, call and teardown together)

    @property
    def scenarios(self) -> int:
        return len(self.times)

    def lines(self) -> list[str]:
        per = 1000 * self.wall_s / self.scenarios if self.scenarios else 0.0
        head = (f"{self.name:<15} {self.wall_s:7.1f} s wall  {self.scenarios:4d} scenarios  {per:6.0f} ms/scenario"
                f"  exit {self.exit_code}")
        slowest = sorted(self.times.items(), key=lambda item: item[1], reverse=True)[:10]
        return [head, *(f"    {seconds:6.2f} s  {test}" for test, seconds in slowest)]


def measure(name: str, parallel: int) -> Figures:
    args = [arg.format(parallel=parallel) for arg in RUNS[name]]
    with tempfile.TemporaryDirectory(prefix="vn30-suite-speed-") as folder:
        junit = Path(folder) / "junit.xml"
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "--gherkin", *args, *SELECTION,
                               f"--junitxml={junit}"], cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.monotonic() - began
        times: dict[str, float] = {}
        if junit.exists():
            for case in ET.parse(junit).getroot().iter("testcase"):
                test = f"{case.get('classname', '')}::{case.get('name', '')}"
                times[test] = times.get(test, 0.0) + float(case.get("time", 0) or 0)
    if done.returncode not in (0, 1):
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    return Figures(name, wall, done.returncode, times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=4, help="workers of the parallel runs (default 4)")
    parser.add_argument("--runs", default=",".join(RUNS), help=f"which runs, comma-separated ({', '.join(RUNS)})")
    options = parser.parse_args()
    names = [name.strip() for name in options.runs.split(",") if name.strip()]
    unknown = sorted(set(names) - set(RUNS))
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}: choose from {', '.join(RUNS)}")
    print(f"suite speed on {sys.platform}, {options.parallel} workers for the parallel runs")
    for name in names:
        for line in measure(name, options.parallel).lines():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
