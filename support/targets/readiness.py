"""Readiness of a started tracker: health with a deadline, upstream subscription, probed capabilities."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from support.errors import TargetError
from support.eventually import eventually
from support.http_client import tls


def wait_healthy(tracker_url: str, timeout: float, *, describe: str,
                 failure: Callable[[], str | None] = lambda: None) -> None:
    """Poll GET /health until it answers 200; `failure()` returns a reason to stop early (process died)."""
    with httpx.Client(timeout=2.0, verify=tls()) as client:
        def healthy() -> None:
            reason = failure()
            if reason:
                raise TargetError(f"{describe} {reason}")
            try:
                status = client.get(f"{tracker_url}/health").status_code
            except httpx.TransportError as error:
                raise AssertionError(type(error).__name__) from None
            if status != 200:
                raise AssertionError(f"HTTP {status}")

        eventually(healthy, timeout, timed_out=lambda last: TargetError(
            f"{describe} did not answer GET {tracker_url}/health with 200 within {timeout:g} s (last: {last})"))


def wait_subscribed(simulator_url: str, timeout: float, *, describe: str) -> None:
    """Poll the simulator until a stream connection has subscribed to channels (the tracker listens)."""
    with httpx.Client(timeout=2.0, verify=tls()) as client:
        def subscribed() -> None:
            state = client.get(f"{simulator_url}/control/state").json()
            connections = state.get("connections", []) if isinstance(state, dict) else []
            if not any(connection.get("channels") for connection in connections):
                raise AssertionError(f"simulator state: {state}")

        eventually(subscribed, timeout, timed_out=lambda last: TargetError(
            f"{describe} did not subscribe to the simulator's stream within {timeout:g} s ({last})"))


def probe_clock(tracker_url: str) -> bool:
    """Capability `clock`: the tracker answers GET /__test__/clock with 200."""
    try:
        return httpx.get(f"{tracker_url}/__test__/clock", timeout=2.0, verify=tls()).status_code == 200
    except httpx.TransportError:
        return False
