"""How fast the acceptance suite runs: wired serially and in parallel, and live, with the slowest scenarios.

Usage: .venv/bin/python bench/suite_speed.py [--parallel 4] [--runs wired,wired-parallel,live] [--spares N]
(`make suite-speed`). A benchmark that prints figures, not a test: nothing here fails on time.

Each run is `pytest --gherkin` on the non-perf, non-docker scenarios with a JUnit XML report,
whose per-test times give the slowest ten; the wall time is the whole command's, start-up
and preconditions included. The CPU time (user and system, of the run and every process it
started) and the machine's load average at the start say how far a wall time on a shared
machine can be trusted. `--spares 0` runs without trackers started ahead of need
(support/targets/pool.py), for a before-and-after on one tree.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
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
    cpu_s: float = 0.0       # user + system of the run and its children (workers, trackers)
    load: float = 0.0        # the 1-minute load average when it began
    failed: dict[str, str] = field(default_factory=dict)  # test id -> the first line of its failure

    @property
    def scenarios(self) -> int:
        return len(self.times)

    def lines(self) -> list[str]:
        per = 1000 * self.wall_s / self.scenarios if self.scenarios else 0.0
        head = (f"{self.name:<15} {self.wall_s:7.1f} s wall  {self.scenarios:4d} scenarios  {per:6.0f} ms/scenario"
                f"  {self.cpu_s:6.1f} s cpu  load {self.load:.1f}  exit {self.exit_code}")
        slowest = sorted(self.times.items(), key=lambda item: item[1], reverse=True)[:10]
        failures = [f"    FAILED {test}: {message}" for test, message in self.failed.items()]
        return [head, *failures, *(f"    {seconds:6.2f} s  {test}" for test, seconds in slowest)]


def measure(name: str, parallel: int, spares: int | None = None) -> Figures:
    args = [arg.format(parallel=parallel) for arg in RUNS[name]]
    env = {**os.environ, **({"VN30_SPARES": str(spares)} if spares is not None else {})}
    with tempfile.TemporaryDirectory(prefix="vn30-suite-speed-") as folder:
        junit = Path(folder) / "junit.xml"
        load, cpu_before = os.getloadavg()[0], _children_cpu()
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "--gherkin", *args, *SELECTION,
                               f"--junitxml={junit}"], cwd=ROOT, capture_output=True, text=True, check=False, env=env)
        wall = time.monotonic() - began
        cpu = _children_cpu() - cpu_before
        times: dict[str, float] = {}
        failed: dict[str, str] = {}
        if junit.exists():
            for case in ET.parse(junit).getroot().iter("testcase"):
                test = f"{case.get('classname', '')}::{case.get('name', '')}"
                times[test] = times.get(test, 0.0) + float(case.get("time", 0) or 0)
                for problem in (*case.iter("failure"), *case.iter("error")):  # a slow run that failed says why
                    failed[test] = (problem.get("message") or "").splitlines()[0][:300] if problem.get("message") else ""
    if done.returncode not in (0, 1):
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    return Figures(name, wall, done.returncode, times, cpu, load, failed)


def _children_cpu() -> float:
    """CPU seconds of the waited-for children so far (a run's workers and trackers are waited for by it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=4, help="workers of the parallel runs (default 4)")
    parser.add_argument("--runs", default=",".join(RUNS), help=f"which runs, comma-separated ({', '.join(RUNS)})")
    parser.add_argument("--spares", type=int, help="VN30_SPARES for the runs (0: no trackers started ahead of need)")
    options = parser.parse_args()
    names = [name.strip() for name in options.runs.split(",") if name.strip()]
    unknown = sorted(set(names) - set(RUNS))
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}: choose from {', '.join(RUNS)}")
    spares = "" if options.spares is None else f", VN30_SPARES={options.spares}"
    print(f"suite speed on {sys.platform} ({os.cpu_count()} cores), {options.parallel} workers for the parallel "
          f"runs{spares}")
    for name in names:
        for line in measure(name, options.parallel, options.spares).lines():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
