"""The PERF_* knobs size, bound and judge the @perf scenarios from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.perf_knobs import (
    locust_processes,
    output_root,
    scaled_count,
    scaled_seconds,
    scaled_users,
    timing_enforced,
)


@pytest.fixture(autouse=True)
def _no_knobs(monkeypatch: pytest.MonkeyPatch) -> None:
    for knob in ("PERF_SCALE", "PERF_USERS", "PERF_DURATION_S", "PERF_PROCESSES", "PERF_OUT", "PERF_TIMING"):
        monkeypatch.delenv(knob, raising=False)


def test_full_size_by_default(tmp_path: Path) -> None:
    assert (scaled_users(500), scaled_count(200_000), scaled_seconds(60)) == (500, 200_000, 60)
    assert (locust_processes(), output_root(lambda: tmp_path), timing_enforced()) == (None, tmp_path, True)


def test_scale_users_and_counts_and_cap_durations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_SCALE", "0.1")
    monkeypatch.setenv("PERF_DURATION_S", "15")
    assert (scaled_users(500), scaled_users(3), scaled_seconds(60), scaled_seconds(10)) == (50, 1, 15, 10)
    assert (scaled_count(200_000), scaled_count(5_000)) == (20_000, 1_000)  # never under 1,000 messages
    monkeypatch.setenv("PERF_USERS", "7")
    assert (scaled_users(500), scaled_count(200_000)) == (7, 20_000)  # PERF_USERS sets users only


def test_processes_and_kept_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PERF_PROCESSES", "2")
    monkeypatch.setenv("PERF_OUT", str(tmp_path / "kept"))
    assert locust_processes() == 2
    assert output_root(lambda: pytest.fail("no scratch directory when PERF_OUT is set")) == tmp_path / "kept"


def test_timing_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_TIMING", " Report ")
    assert not timing_enforced()
    monkeypatch.setenv("PERF_TIMING", "lenient")
    with pytest.raises(ValueError, match="PERF_TIMING='lenient': use 'enforce' .* or 'report'"):
        timing_enforced()
