"""Waiting by outcome: eventually returns as soon as the check passes, consistently fails at once."""

from __future__ import annotations

import itertools
import time

import pytest

from support.errors import TargetError
from support.eventually import Hopeless, consistently, eventually


def test_eventually_returns_the_first_passing_result() -> None:
    attempts = itertools.count(1)

    def third_time() -> int:
        attempt = next(attempts)
        assert attempt >= 3, f"attempt {attempt}"
        return attempt

    assert eventually(third_time, timeout=2) == 3


def test_eventually_raises_the_last_assertion_at_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"never\n\(still so after waiting 0.1 s\)"):
        eventually(lambda: _fail("never"), timeout=0.1)
    assert time.monotonic() - started < 1


def test_other_errors_are_not_retried() -> None:
    calls = itertools.count()
    with pytest.raises(KeyError):
        eventually(lambda: {}[next(calls)], timeout=1)


def test_a_hopeless_outcome_fails_at_once_without_the_time_waited() -> None:
    calls = itertools.count(1)

    def closed() -> None:
        raise Hopeless(f"closed, attempt {next(calls)}")

    with pytest.raises(Hopeless, match=r"^closed, attempt 1$"):
        eventually(closed, timeout=5)


def test_timed_out_chooses_the_error_raised_at_the_deadline_from_the_last_failure() -> None:
    attempts: list[int] = []

    def unhealthy() -> None:
        attempts.append(len(attempts) + 1)
        raise AssertionError(f"HTTP 503 at attempt {attempts[-1]}")

    with pytest.raises(TargetError) as raised:
        eventually(unhealthy, timeout=0.1, timed_out=lambda last: TargetError(f"not ready ({last})"))
    assert len(attempts) > 1
    assert str(raised.value) == f"not ready (HTTP 503 at attempt {attempts[-1]})"


def test_consistently_fails_at_the_first_failure_and_passes_after_the_window() -> None:
    consistently(lambda: None, duration=0.05)
    started = time.monotonic()
    with pytest.raises(AssertionError, match="changed"):
        consistently(lambda: _fail("changed"), duration=5)
    assert time.monotonic() - started < 1


def _fail(message: str) -> None:
    raise AssertionError(message)
