"""Load plans follow the knobs, and a plan becomes one bounded Locust run that judges nothing itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import load_plans
from support.load_plans import STAMP_SYMBOL, LoadPlan, run_plan
from support.locust_runner import LoadRun


@pytest.fixture(autouse=True)
def _ci_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_SCALE", "0.1")
    monkeypatch.setenv("PERF_DURATION_S", "15")
    monkeypatch.delenv("PERF_USERS", raising=False)
    monkeypatch.delenv("PERF_PROCESSES", raising=False)


def test_plans_are_scaled() -> None:
    assert (LoadPlan.streaming(500, 60).users, LoadPlan.streaming(500, 60).seconds) == (50, 15)
    polling = LoadPlan.polling(500, 2, 60)
    assert (polling.user_classes, polling.options) == (("ForeignPoller",), {"poll-interval": 2})
    burst = LoadPlan.market_open(800, 30, 60)
    assert (burst.users, burst.shaped, burst.locustfile) == (80, True, "load/market_open.py")
    assert burst.options == {"open-users": 80, "open-ramp": 15, "open-hold": 15, "open-down": 15}
    assert burst.seconds == 15 + 15 + 15 + 10  # the shape stops the run; -t only bounds it


def test_a_plan_runs_as_one_locust_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    runs: list[LoadRun] = []
    monkeypatch.setattr(load_plans, "run_locust", lambda run, env=None: runs.append(run) or "result")
    monkeypatch.setattr(load_plans, "attach_to_allure", lambda result: None)
    monkeypatch.setenv("PERF_PROCESSES", "2")
    assert run_plan(LoadPlan.reconnect_storm(300, 60), "http://127.0.0.1:8000", "http://127.0.0.1:9000/",
                    tmp_path) == "result"
    (run,) = runs
    assert (run.name, run.out_dir, run.users, run.spawn_rate, run.processes) == (
        "reconnect-storm", tmp_path / "reconnect-storm", 30, 6.0, 2)
    assert run.options == {"stamp-symbol": STAMP_SYMBOL, "thresholds": "", "sim-url": "http://127.0.0.1:9000/"}
