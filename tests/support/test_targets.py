"""Targets: wired starts fresh and leaves nothing behind; live names its command and output when it fails."""

from __future__ import annotations

import os
import re
import socket
import threading

import httpx
import pytest

from ssi_simulator.background import BackgroundSimulator
from support import reaper, targets
from support.errors import ScenarioSkip, TargetError
from support.targets import (
    TargetOptions,
    check_name,
    create_target,
    live,
    unavailable_reason,
)
from support.targets.readiness import wait_healthy, wait_subscribed
from support.world import World
from tracker.service import TrackerService


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _threads() -> int:
    """Threads alive once every background stop is done, the reaper's own idle workers left out."""
    reaper.drain()
    return sum(1 for thread in threading.enumerate() if not thread.name.startswith("vn30-reaper"))


def test_wired_target_serves_both_and_leaves_no_thread_or_socket_behind() -> None:
    threads, fds = _threads(), _open_fds()
    target = create_target(TargetOptions(name="wired"))
    target.start({"WS_THROTTLE_INTERVAL_MS": "1000"})
    try:
        assert httpx.get(f"{target.tracker_url}/health").status_code == 200
        assert target.simulator_url and httpx.get(f"{target.simulator_url}/control/state").json()["connections"]
        assert {"clock", "upstream", "configure"} <= target.capabilities
    finally:
        target.stop()
    assert _threads() == threads
    assert _open_fds() <= fds


def test_wired_tracker_that_cannot_start_says_why_and_leaves_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(self: TrackerService) -> None:
        raise RuntimeError("no upstream consumer today")

    monkeypatch.setattr(TrackerService, "start", refuse)
    threads = _threads()
    target = create_target(TargetOptions(name="wired"))
    with pytest.raises(TargetError, match=r"^the wired tracker stopped before it had started \(uvicorn exited "
                                          r"with code 3\); its log:"):
        target.start({})
    assert _threads() == threads


def test_a_world_closes_everything_even_its_screens() -> None:
    threads = _threads()
    world = World(TargetOptions(name="wired"), tags={"trading_flow"})
    world.connected("dashboard")
    world.connected("slow dashboard", slow=True)
    world.close()
    assert _threads() == threads


def test_live_target_failure_names_the_command_and_its_stderr() -> None:
    threads = _threads()
    target = create_target(TargetOptions(name="live", sut_cmd="{python} -c 'import sys; sys.exit(\"boom {port}\")'",
                                         startup_timeout_s=10))
    with pytest.raises(TargetError, match=r"(?s)the tracker started with `.*-c .*` exited with code 1.*boom \d+"):
        target.start({})
    assert _threads() == threads  # start() stopped the simulator's loop on failure


def test_readiness_deadlines_are_target_errors_naming_the_url_and_the_last_state() -> None:
    with pytest.raises(TargetError, match=r"^the tracker did not answer GET http://127.0.0.1:9/health with 200 "
                                          r"within 0.1 s \(last: ConnectError\)$"):
        wait_healthy("http://127.0.0.1:9", 0.1, describe="the tracker")
    with BackgroundSimulator() as sim, pytest.raises(
            TargetError, match=r"^the tracker did not subscribe to the simulator's stream within 0.1 s "
                               r"\(simulator state: \{'connections': \[\],"):
        wait_subscribed(sim.base_url.rstrip("/"), 0.1, describe="the tracker")


def test_live_target_that_lost_its_free_port_to_another_process_starts_again_on_another(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((live.HOST, 0))
        taken.listen()
        ports = [taken.getsockname()[1]]
        choose = live._free_port
        monkeypatch.setattr(live, "_free_port", lambda: ports.pop() if ports else choose())
        target = create_target(TargetOptions(name="live", startup_timeout_s=20))
        target.start({}, subscribed=False)
        try:
            assert not ports and httpx.get(f"{target.tracker_url}/health").status_code == 200
        finally:
            target.stop()


def test_live_target_on_a_running_tracker_skips_what_it_cannot_do() -> None:
    target = create_target(TargetOptions(name="live", sut_url="http://127.0.0.1:9"))
    assert "upstream" not in target.capabilities
    with pytest.raises(ScenarioSkip, match="cannot be reconfigured"):
        target.start({"WS_AUTH_TOKEN": "x"})


def test_target_names_are_checked_and_a_missing_module_is_a_reason_to_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown target 'cloud': choose one of wired, live, docker"):
        check_name("cloud")
    assert unavailable_reason(TargetOptions(name="wired")) is None
    monkeypatch.setitem(targets.TARGET_MODULES, "cloud", "support.targets.cloud")  # registered, never written
    monkeypatch.setattr(targets, "_unavailable", {})
    reason = "the cloud target is not installed here (support.targets.cloud is missing)"
    assert unavailable_reason(TargetOptions(name="cloud")) == reason
    with pytest.raises(ScenarioSkip, match=re.escape(reason)):
        create_target(TargetOptions(name="cloud"))
