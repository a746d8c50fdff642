"""Interrupt a run in the middle and show that it leaves nothing behind: no process, port or container.

Usage: .venv/bin/python scripts/kill_check.py [--targets wired,live,docker] [--signals INT,TERM]

For each target and signal: start `pytest --gherkin` on a slice of scenarios, wait until it is
mid-scenario (a tracker process or container of the run exists, or a scenario has printed),
send the signal to pytest alone, and after it exits list what of the run is still there:
tracker, simulator and Locust processes that were not there before, listening sockets they
held, and containers or networks with the suite's label. Exits 1 when anything is left.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKERS = ("-m tracker", "-m ssi_simulator", "locust")  # command lines of what the suite starts
LABEL = "org.vn30.suite"
SLICE = ["-m", "trading_flow or reconnect", "-p", "no:randomly", "-q"]
EXIT_TIMEOUT_S = 90.0


def _suite_processes() -> set[tuple[int, str]]:
    done = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True)
    found = set()
    for line in done.stdout.splitlines():
        pid, _, args = line.strip().partition(" ")
        if any(marker in args for marker in MARKERS) and "kill_check" not in args and int(pid) != os.getpid():
            found.add((int(pid), args[:120]))
    return found


def _containers() -> list[str]:
    listed = [subprocess.run(["docker", kind, "ls", "-q", "--filter", f"label={LABEL}", *extra],
                             capture_output=True, text=True, check=False).stdout.split()
              for kind, extra in (("container", ["-a"]), ("network", []))]
    return [*listed[0], *listed[1]]


def _mid_run(before: set[tuple[int, str]], target: str, out: Path) -> bool:
    if target == "docker":
        return bool(_containers())
    if target == "live":
        return bool(_suite_processes() - before)
    return "Scenario" in out.read_text(errors="replace")


def check(target: str, sig: signal.Signals) -> list[str]:
    """What a run on `target` interrupted by `sig` left behind (empty: nothing)."""
    before = _suite_processes()
    log = Path(tempfile.gettempdir()) / f"vn30-kill-check-{target}-{os.getpid()}.log"
    with log.open("w") as out:
        run = subprocess.Popen([sys.executable, "-m", "pytest", "--gherkin", f"--target={target}", *SLICE],
                               cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not _mid_run(before, target, log) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)  # a script watching another process: polling is the only way to see it
        time.sleep(1.0)      # into the scenario, not at its first line
        if run.poll() is not None:
            return [f"the run ended before it could be interrupted (exit {run.returncode}); see {log}"]
        run.send_signal(sig)
        run.wait(EXIT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        return [f"pytest did not exit within {EXIT_TIMEOUT_S:g} s of {sig.name}"]
    time.sleep(0.5)  # reaped children's sockets close with them
    left = [f"process {pid}: {args}" for pid, args in sorted(_suite_processes() - before)]
    if target == "docker":
        left += [f"docker object {ident}" for ident in _containers()]
    log.unlink(missing_ok=True)
    return left


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default="wired,live,docker")
    parser.add_argument("--signals", default="INT,TERM")
    options = parser.parse_args()
    failed = False
    for target in options.targets.split(","):
        for name in options.signals.split(","):
            left = check(target, signal.Signals[f"SIG{name}"])
            print(f"{target:<7} SIG{name:<5} " + ("nothing left" if not left else "LEFT: " + "; ".join(left)),
                  flush=True)
            failed |= bool(left)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
