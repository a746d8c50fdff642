"""The run's conformance check against real trackers: a sound one passes, a misconfigured one is named once."""

from __future__ import annotations

import subprocess
import sys
import time

from bdd_project import ROOT

from support import preconditions
from support.targets import TargetOptions


def test_the_reference_tracker_meets_every_precondition_and_offers_test_control() -> None:
    conformance = preconditions.check(TargetOptions(name="wired"))
    assert [(f.name, f.status) for f in conformance.findings] == [
        ("healthy", "passed"), ("authenticated", "passed"), ("subscribed", "passed"), ("watchlist", "passed"),
        ("trade reaches the snapshot", "passed")]
    assert conformance.failure() is None and conformance.clock == "control"


def test_without_test_control_the_clock_is_moved_by_libfaketime_and_proven_so() -> None:
    conformance = preconditions.check(TargetOptions(name="live", sut_env=(("TRACKER_TEST_CONTROL", "0"),)))
    assert conformance.failure() is None, conformance.summary()
    assert conformance.clock == "faketime", conformance.clock_reason


def test_clock_none_leaves_clock_scenarios_a_reason_to_skip() -> None:
    conformance = preconditions.check(TargetOptions(name="wired", clock="none"))
    assert conformance.clock is None and conformance.clock_reason == "--clock=none"


def test_a_wrong_secret_fails_authenticated_at_once_and_leaves_the_rest_unchecked() -> None:
    began = time.monotonic()
    conformance = preconditions.check(TargetOptions(name="live", sut_env=(("SSI_CONSUMER_SECRET", "wrong"),)))
    failure = conformance.failure()
    assert failure is not None and failure.name == "authenticated", conformance.summary()
    assert "ConsumerSecret is invalid" in failure.seen
    assert [f.status for f in conformance.findings[2:]] == ["not checked"] * 3
    assert time.monotonic() - began < 15


def test_every_scenario_cites_the_failed_precondition_without_waiting() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--gherkin", "--target=live", "--sut-env", "SSI_CONSUMER_SECRET=wrong",
         "-p", "no:randomly", "-k", "active_buy or mid_spread", "-m", "trading_flow", "--tb=line"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    out = run.stdout
    assert run.returncode == 1, out[-3000:] + run.stderr[-2000:]
    assert "FAILED  authenticated: the exchange refused" in out
    failures = [line for line in out.splitlines() if line.startswith("E ") or "AssertionError" in line]
    cited = [line for line in failures if "precondition 'authenticated' failed" in line]
    assert cited and len(cited) == len([line for line in out.splitlines() if line.startswith("FAILED ")]), out[-3000:]
