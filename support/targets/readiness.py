"""Readiness of a started tracker: health with a deadline, upstream subscription, probed capabilities."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from support.errors import TargetError

POLL_INTERVAL_S = 0.02


def wait_healthy(tracker_url: str, timeout: float, *, describe: str,
                 failure: Callable[[], str | None] = lambda: None) -> None:
    """Poll GET /health until it answers 200; `failure()` returns a reason to stop early (process died)."""
    deadline = time.monotonic() + timeout
    seen = "no answer"
    with httpx.Client(timeout=2.0) as client:
        while True:
            reason = failure()
            if reason:
                raise TargetError(f"{describe} {reason}")
            try:
                response = client.get(f"{tracker_url}/health")
                if response.status_code == 200:
                    return
                seen = f"HTTP {response.status_code}"
            except httpx.TransportError as error:
                seen = type(error).__name__
            if time.monotonic() >= deadline:
                raise TargetError(f"{describe} did not answer GET {tracker_url}/health with 200 within "
                                  f"{timeout:g} s (last: {seen})")
            time.sleep(POLL_INTERVAL_S)  # poll interval, bounded by the deadline


def wait_subscribed(simulator_url: str, timeout: float, *, describe: str) -> None:
    """Poll the simulator until a stream connection has subscribed to channels (the tracker listens)."""
    deadline = time.monotonic() + timeout
    state: object = None
    with httpx.Client(timeout=2.0) as client:
        while True:
            state = client.get(f"{simulator_url}/control/state").json()
            connections = state.get("connections", []) if isinstance(state, dict) else []
            if any(connection.get("channels") for connection in connections):
                return
            if time.monotonic() >= deadline:
                raise TargetError(f"{describe} did not subscribe to the simulator's stream within "
                                  f"{timeout:g} s (simulator state: {state})")
            time.sleep(POLL_INTERVAL_S)  # poll interval, bounded by the deadline


def probe_clock(tracker_url: str) -> bool:
    """Capability `clock`: the tracker answers GET /__test__/clock with 200."""
    try:
        return httpx.get(f"{tracker_url}/__test__/clock", timeout=2.0).status_code == 200
    except httpx.TransportError:
        return False
