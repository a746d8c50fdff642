"""The PERF_* knobs: how big, how long and how strict the @perf scenarios are on this machine.

PERF_SCALE multiplies every user count and message count (CI: 0.1), PERF_USERS replaces the
user count outright, PERF_DURATION_S caps every duration (CI: 5), PERF_PROCESSES runs Locust
with `--processes N`, PERF_OUT keeps Locust's CSV and HTML in a directory of your choice (by
default they live in the scenario's scratch directory, attached to Allure, then removed), and
PERF_TIMING=report turns a missed timing limit into a warning (make perf-ci).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def scaled_users(users: int) -> int:
    """PERF_USERS if set, else `users` x PERF_SCALE (at least 1)."""
    if os.environ.get("PERF_USERS"):
        return max(1, int(os.environ["PERF_USERS"]))
    return max(1, round(users * _scale()))


def scaled_count(count: int) -> int:
    """`count` x PERF_SCALE (at least 1000): message counts follow the scale, never PERF_USERS."""
    return max(1000, round(count * _scale()))


def scaled_seconds(seconds: float) -> float:
    """`seconds`, capped by PERF_DURATION_S when set."""
    cap = os.environ.get("PERF_DURATION_S")
    return min(seconds, float(cap)) if cap else seconds


def locust_processes() -> int | None:
    """PERF_PROCESSES: Locust's `--processes N`, or None for one process."""
    value = os.environ.get("PERF_PROCESSES")
    return int(value) if value else None


def output_root(scratch: Callable[[], Path]) -> Path:
    """PERF_OUT when set (kept for people), else `scratch()`: a directory the scenario removes."""
    kept = os.environ.get("PERF_OUT")
    return Path(kept) if kept else scratch()


def timing_enforced() -> bool:
    """False when PERF_TIMING=report; ValueError for anything but `enforce` or `report`.

    On a shared CI machine a latency is a measurement, not a verdict (make perf-ci).
    """
    mode = os.environ.get("PERF_TIMING", "enforce").strip().lower()
    if mode not in {"enforce", "report"}:
        raise ValueError(f"PERF_TIMING={mode!r}: use 'enforce' (the default) or 'report'")
    return mode == "enforce"


def _scale() -> float:
    return float(os.environ.get("PERF_SCALE", "1"))
