"""Tests of time passing on the tracker's clock as the steps see it: then(), advance_to(), watch_until(), RealTime."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from support.clock import MARKET_TZ, RealTime, advance_to, watch_until
from support.errors import TargetError
from support.faketime import FakeClock
from support.parse_types import parse_delays


class HeldClock:
    """A test clock held by the suite, as ControlClock is once moved (no HTTP)."""

    stands_still = True

    def __init__(self) -> None:
        self.at = dt.datetime(2024, 12, 2, 15, 4, 59, tzinfo=MARKET_TZ)
        self.moves: list[float] = []

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> dt.datetime:
        self.moves.append(seconds)
        self.at += dt.timedelta(seconds=seconds)
        return self.at

    def set_time_of_day(self, hour: int, minute: int, second: int = 0) -> dt.datetime:
        raise NotImplementedError

    def hold(self) -> None:
        """Held already."""

    def then(self, moment: dt.datetime) -> dt.datetime:
        return self.at


def test_a_faked_clock_shows_a_past_real_moment_plus_its_offset(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    clock.advance(90)
    seen = dt.datetime(2024, 12, 2, 2, 0, tzinfo=dt.UTC)
    assert clock.then(seen) == seen + dt.timedelta(seconds=90)
    assert not clock.stands_still


def test_advance_to_moves_forward_only() -> None:
    clock = HeldClock()
    advance_to(clock, clock.at + dt.timedelta(seconds=2.5))
    advance_to(clock, clock.at - dt.timedelta(seconds=1))
    assert clock.moves == [2.5]


def test_a_held_clock_is_moved_to_just_before_the_moment_and_checked_on_both_sides() -> None:
    clock = HeldClock()
    seen: list[dt.datetime] = []
    watch_until(clock, dt.datetime(2024, 12, 2, 15, 5, tzinfo=MARKET_TZ), lambda: seen.append(clock.now()))
    assert seen == [dt.datetime(2024, 12, 2, 15, 4, 59, tzinfo=MARKET_TZ),
                    dt.datetime(2024, 12, 2, 15, 4, 59, 900000, tzinfo=MARKET_TZ)]


def test_a_running_clock_is_watched_in_real_time_until_just_before_the_moment(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    started = time.monotonic()
    watch_until(clock, clock.now() + dt.timedelta(seconds=0.3), lambda: None)
    assert 0.15 <= time.monotonic() - started < 1.0


def test_a_failing_watch_fails_at_once() -> None:
    def reset() -> None:
        raise AssertionError("the board is empty")
    with pytest.raises(AssertionError, match="empty"):
        watch_until(HeldClock(), dt.datetime(2024, 12, 2, 15, 5, tzinfo=MARKET_TZ), reset)


def test_real_time_passes_by_waiting_and_reaches_no_time_of_day() -> None:
    clock = RealTime()
    started = time.monotonic()
    clock.advance(0.05)
    assert time.monotonic() - started >= 0.05
    assert clock.then(dt.datetime(2024, 12, 2, 2, 0, tzinfo=dt.UTC)).hour == 9  # the same moment, market time
    with pytest.raises(RuntimeError, match="cannot be 15:04:30"):
        clock.set_time_of_day(15, 4, 30)
    with pytest.raises(ValueError, match="does not go back"):
        clock.advance(-1)


def test_delays_read_as_a_list_in_order() -> None:
    assert parse_delays("2, 4, 8, 16, 32, 60 and 60") == [2, 4, 8, 16, 32, 60, 60]
    assert parse_delays("2 and 4") == [2, 4]


def test_a_look_that_fails_after_the_moment_has_passed_on_a_running_clock_proves_nothing(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    moment = clock.now() + dt.timedelta(seconds=0.05)

    def slow_look() -> None:
        time.sleep(0.1)  # a busy machine: the answer comes after the moment
        raise AssertionError("the board is empty")
    with pytest.raises(TargetError, match="proves nothing"):
        watch_until(clock, moment, slow_look, margin_s=0.0)


def test_a_look_that_fails_before_the_moment_on_a_running_clock_fails(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)

    def reset() -> None:
        raise AssertionError("the board is empty")
    with pytest.raises(AssertionError, match="empty"):
        watch_until(clock, clock.now() + dt.timedelta(seconds=5), reset)
