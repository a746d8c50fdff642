"""The tags of DESIGN.md: which are markers, which ask the target for a capability.

Besides these plain tags a scenario carries Allure tags (support/allure_report.py) and the
contract rules it verifies, @rule:<id> (support/traceability.py).
"""

from __future__ import annotations

from collections.abc import Iterable

AREAS = ("trading_flow", "foreign_tracking", "alerts", "reconnect", "session_lifecycle", "stack", "performance")
MARKERS: dict[str, str] = {
    **{area: f"scenarios of the {area.replace('_', ' ')} area" for area in AREAS},
    "smoke": "fast, must pass on every push",
    "perf": "load scenarios (Locust)",
    "docker": "needs a Docker engine: containers are stopped, restarted or paused",
    "clock": "moves the tracker's clock (test control, else libfaketime; skipped only where neither works)",
    "real_time_fallback": "a @clock scenario whose time passes in real time where no clock can be moved, "
                          "instead of being skipped",
    "slow": "takes seconds of real time (backoff, throttles)",
    "wip": "work in progress: excluded unless selected (-m wip / --tags=@wip)",
    "soak": "a whole trading day, minutes long (nightly): excluded unless selected (-m soak / --tags=@soak)",
    "flaky": "known flaky behaviour (its failures get their own Allure category)",
    "reference": "what only the reference tracker has (test control, its loop-lag histogram): skipped on a team's tracker",
}

# Tags whose scenarios both runners leave out unless a selection names the tag (pytest -m, behave --tags).
OPT_IN = ("wip", "soak")

# tag -> capability a target must have; scenarios without it are skipped with the reason
REQUIRED_CAPABILITY: dict[str, str] = {"clock": "clock", "docker": "docker", "reference": "reference"}
_WHY = {
    "docker": "it controls containers, which only the docker target has",
    "upstream": "it drives the exchange feed, and no simulator is known (give --simulator-url / -D simulator_url=)",
    "configure": "it sets the tracker's environment, and this tracker is not started by the suite",
    "reference": "it checks what only the reference tracker has (its test control, [config-test-control] and "
                 "[test-clock]; its event-loop lag histogram, [perf-loop-lag]), and this tracker is another one "
                 "(--sut-cmd, --sut-url or VN30_TRACKER_IMAGE)",
    "terminate": "it sends the tracker SIGTERM, which this target cannot (the docker target stops its container "
                 "instead: features/stack/tracker_container.feature)",
}


def required_capabilities(tags: Iterable[str]) -> frozenset[str]:
    return frozenset(REQUIRED_CAPABILITY[tag] for tag in tags if tag in REQUIRED_CAPABILITY)


def skip_reason(target_name: str, missing: Iterable[str]) -> str | None:
    """The reason to skip a scenario on `target_name` lacking `missing` capabilities, or None."""
    reasons = [_WHY.get(capability, f"it needs capability {capability!r}") for capability in sorted(missing)]
    if not reasons:
        return None
    return f"skipped on target {target_name!r}: " + "; ".join(reasons)
