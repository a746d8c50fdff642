"""No scenario leaks into the next: the suite run in a different random order each time, every run passing.

Usage: .venv/bin/python scripts/random_order.py [--runs 20] [--target wired] [--parallel 2] [--first-seed N]
(`make random-order`). Each run is `pytest --gherkin` on the non-perf, non-docker scenarios with
pytest-randomly's `--randomly-seed` (modules, then the scenarios in each, shuffled; the seed reaches
xdist's workers too), so a failing order is replayed with the seed it prints. Prints one line per
run (seed, verdict, pytest's summary, the failed scenarios) and the total; exits 1 when any run
did not pass. Not part of `make test`: twenty runs of the suite take minutes.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELECTION = ["-m", "not perf and not docker", "-q", "-p", "no:cacheprovider"]
OUTPUT_TAIL = 25
_SUMMARY = re.compile(r"^=+ (.*(?:passed|failed|error|no tests ran).*) =+$")


def run_once(seed: int, target: str, parallel: int, extra: list[str]) -> tuple[int, str, list[str]]:
    """One run in the order of `seed`: pytest's exit code, its summary line and the scenarios that failed (or,
    for a run that ended in an error of its own, the last lines of its output)."""
    with subprocess.Popen([sys.executable, "-m", "pytest", "--gherkin", f"--target={target}", "-n", str(parallel),
                           f"--randomly-seed={seed}", *SELECTION, *extra],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as run:
        try:
            out, err = run.communicate()
        except BaseException:  # interrupted: the run unwinds its scenarios' teardowns, as on Ctrl-C
            run.send_signal(signal.SIGINT)
            run.wait(60)
            raise
    lines = out.splitlines()
    summary = next((found[1] for line in reversed(lines) if (found := _SUMMARY.match(line))),
                   (err.strip().splitlines() or ["no summary"])[-1])
    failed = [line.split(" ", 1)[1].split(" - ", 1)[0] for line in lines if line.startswith(("FAILED ", "ERROR "))]
    if run.returncode not in (0, 1) and not failed:  # an internal error, an interrupted or empty run: say why
        said = [line for line in [*lines, *err.splitlines()] if line.strip()]
        internal = [line for line in said if line.startswith("INTERNALERROR")]
        # an xdist worker's own internal error comes first; the controller's traceback only follows from it
        failed = [*internal[:OUTPUT_TAIL], "...", *said[-OUTPUT_TAIL:]] if internal else said[-OUTPUT_TAIL:]
    return run.returncode, summary, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="how many runs, each in another order (default 20)")
    parser.add_argument("--target", default="wired", help="the suite's --target (default wired)")
    parser.add_argument("--parallel", type=int, default=2, help="xdist workers per run (default 2)")
    parser.add_argument("--first-seed", type=int, help="seeds are this and the next ones (default: a random start)")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, after -- (e.g. --sut-env K=V)")
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupt)
    first = options.first_seed if options.first_seed is not None else random.randrange(1, 10**6)
    began, bad = time.monotonic(), 0
    print(f"{options.runs} runs on target {options.target!r} with {options.parallel} worker(s), seeds from {first}",
          flush=True)
    for index in range(options.runs):
        seed = first + index
        run_began = time.monotonic()
        code, summary, failed = run_once(seed, options.target, options.parallel, options.pytest_args)
        verdict = "passed" if code == 0 else f"FAILED (exit {code})"
        bad += code != 0
        print(f"run {index + 1:2d}/{options.runs}  seed {seed:<7d} {verdict:<16} {summary}  "
              f"[{time.monotonic() - run_began:.1f} s]", flush=True)
        for test in failed:
            print(f"        {'failed: ' if code == 1 else '| '}{test}", flush=True)
    print(f"{options.runs - bad} of {options.runs} runs passed in {time.monotonic() - began:.0f} s"
          + ("" if not bad else "; replay a failed order with --randomly-seed=<its seed>"))
    return 1 if bad else 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


if __name__ == "__main__":
    sys.exit(main())
