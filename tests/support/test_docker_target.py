"""The docker target: skips without an engine, publishes on loopback only, survives restarts, leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from testcontainers.core.docker_client import DockerClient
from testcontainers.core.labels import LABEL_SESSION_ID, SESSION_ID

from support import allure_report, reaper
from support.errors import TargetError
from support.stack.control import StackControl
from support.stack.engine import docker_engine_available
from support.stack.images import ensure_images
from support.targets import TargetOptions
from support.targets.docker import DockerTarget, create, unavailable_reason
from support.world import World

AVAILABLE, WHY = docker_engine_available()
needs_engine = pytest.mark.skipif(not AVAILABLE, reason=WHY)
THIS_RUN = f"{LABEL_SESSION_ID}={SESSION_ID}"


def _leftovers() -> tuple[int, int]:
    """Containers and networks this test process created and has not removed (once the background stops are done)."""
    reaper.drain()
    client = DockerClient().client
    try:
        containers = client.containers.list(all=True, filters={"label": THIS_RUN})
        networks = client.networks.list(filters={"label": THIS_RUN})
        return len(containers), len(networks)
    finally:
        client.close()


@pytest.fixture
def target() -> Iterator[DockerTarget]:
    before = _leftovers()
    started = create(TargetOptions(name="docker"))
    try:
        yield started
    finally:
        started.stop()
    assert _leftovers() == before, "the docker target left containers or networks behind"


def test_without_an_engine_the_target_is_unavailable_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    available, why = docker_engine_available()
    assert not available
    assert "unix:///nonexistent/docker.sock" in why
    assert (unavailable_reason(TargetOptions(name="docker")) or "").startswith("skipped on target 'docker': ")


@needs_engine
def test_the_stack_serves_both_on_loopback_and_keeps_its_urls_across_restarts(target: DockerTarget) -> None:
    target.start({"WS_THROTTLE_INTERVAL_MS": "50"})
    assert isinstance(target, StackControl)
    assert {"docker", "upstream", "configure", "clock"} <= target.capabilities
    assert target.tracker_url.startswith("http://127.0.0.1:")
    assert httpx.get(f"{target.tracker_url}/health").json()["upstream_connected"] is True
    tracker_url, simulator_url = target.tracker_url, target.simulator_url

    target.restart_tracker()
    target.wait_tracker_subscribed()
    target.stop_simulator()
    target.start_simulator()
    target.wait_tracker_subscribed()

    assert (target.tracker_url, target.simulator_url) == (tracker_url, simulator_url)
    target.pause_tracker()
    with pytest.raises(httpx.TimeoutException):
        httpx.get(f"{target.tracker_url}/health", timeout=0.5)
    target.unpause_tracker()
    assert httpx.get(f"{target.tracker_url}/health").status_code == 200
    tail = target.log_tail(20)
    assert "--- tracker container" in tail and "--- simulator container" in tail and "oom_killed=False" in tail


@needs_engine
def test_a_tracker_that_refuses_its_environment_fails_fast_with_its_output(target: DockerTarget) -> None:
    with pytest.raises(TargetError, match=r"(?s)tracker container .* exited with code 2.*configuration error"):
        target.start({"SSI_BASE_URL": "ftp://nowhere"})


@needs_engine
def test_a_failed_scenario_gets_both_containers_logs_attached(monkeypatch: pytest.MonkeyPatch) -> None:
    attached: dict[str, str] = {}
    monkeypatch.setattr(allure_report, "attach_text", lambda name, body: attached.setdefault(name, body))
    world = World(TargetOptions(name="docker"), tags={"docker", "stack"})
    assert world.target.tracker_url
    world.close(failed=True)
    log, images = attached["docker target log"], ensure_images()
    assert f"--- tracker container ({images.tracker})" in log and "SSI stream connected" in log
    assert f"--- simulator container ({images.simulator})" in log
