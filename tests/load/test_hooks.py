"""The listeners and the `--thresholds` option load/hooks.py installs, in a real Locust process (a subprocess: locust is never imported here).

A throwaway locustfile installs the hooks; its users fire entries while running and one more
when they stop, which Locust's own CSV writer would miss without the final pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from support.locust_runner import REPO_ROOT
from support.locust_stats import read_stats

LOCUSTFILE = '''
from locust import User, constant, events, task

from load import hooks

hooks.install(events)


class Ticker(User):
    wait_time = constant(0.1)

    @task
    def tick(self):
        self.environment.events.request.fire(request_type="T", name="tick", response_time=1.0,
                                             response_length=0, exception=None, context={})

    def on_stop(self):
        self.environment.events.request.fire(request_type="T", name="stopped", response_time=None,
                                             response_length=0, exception=None, context={})
'''


def locust(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    locustfile = tmp_path / "ticker.py"
    locustfile.write_text(textwrap.dedent(LOCUSTFILE))
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return subprocess.run([sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "--only-summary",
                           *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_the_csv_holds_the_final_figures_and_thresholds_set_the_exit_code(tmp_path: Path) -> None:
    thresholds = "stopped requests at least 3; tick p99 under 0.5 ms; nothing p99 under 1 ms; failures under 1 %"
    run = locust(tmp_path, "-u", "3", "-r", "3", "-t", "2s", "--csv", str(tmp_path / "out"), "--thresholds", thresholds)
    stats = read_stats((tmp_path / "out_stats.csv").read_text(encoding="utf-8"))
    assert stats.entry("stopped").requests == 3, "the entries fired as the users stopped are in Locust's CSV"
    assert stats.entry("tick").requests > 3
    assert run.returncode == 1, run.stderr
    broken = [line.split("threshold broken: ", 1)[1] for line in run.stderr.splitlines() if "threshold broken: " in line]
    assert broken == ["tick p99 under 0.5 ms: T tick has p99 1 ms"]
    assert "threshold nothing p99 under 1 ms not checked: no sample of 'nothing'" in run.stderr


def test_a_bad_threshold_stops_locust_before_the_run(tmp_path: Path) -> None:
    run = locust(tmp_path, "-u", "1", "-t", "1s", "--thresholds", "tick:p99<100")
    assert run.returncode == 2
    assert "argument --thresholds: threshold 'tick:p99<100' is not '<measure> <limit>'" in run.stderr
