"""Tests of the controllable market clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker.core.clock import VN_TZ, Clock


def test_follows_system_time_until_controlled() -> None:
    clock = Clock()
    before = datetime.now(UTC)
    now = clock.now()
    assert not clock.frozen
    assert now.tzinfo is VN_TZ
    assert (
        before - timedelta(seconds=1) <= now <= datetime.now(UTC) + timedelta(seconds=1)
    )


def test_set_freezes_and_converts_to_vietnam_time() -> None:
    clock = Clock()
    clock.set(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    assert clock.frozen
    assert clock.now() == datetime(2026, 11, 23, 10, 0, tzinfo=VN_TZ)
    assert clock.now().utcoffset() == timedelta(hours=7)
    assert clock.now() == clock.now()


def test_naive_datetime_is_read_as_vietnam_time() -> None:
    clock = Clock(datetime(2026, 11, 23, 15, 4, 59))
    assert clock.now().isoformat() == "2026-11-23T15:04:59+07:00"


def test_advance_moves_forward_and_back() -> None:
    clock = Clock(datetime(2026, 11, 23, 10, 0, tzinfo=VN_TZ))
    clock.advance(61)
    assert clock.now() == datetime(2026, 11, 23, 10, 1, 1, tzinfo=VN_TZ)
    clock.advance(-3600)
    assert clock.now() == datetime(2026, 11, 23, 9, 1, 1, tzinfo=VN_TZ)


def test_advance_from_system_time_freezes() -> None:
    clock = Clock()
    start = clock.now()
    clock.advance(300)
    assert clock.frozen
    assert timedelta(seconds=299) < clock.now() - start < timedelta(seconds=302)
    clock.release()
    assert not clock.frozen


def test_every_move_is_told_to_its_listeners_until_they_leave() -> None:
    clock = Clock()
    moves: list[bool] = []
    leave = clock.on_move(lambda: moves.append(clock.frozen))
    clock.advance(5)
    clock.set(datetime(2024, 12, 2, 9, 0))
    clock.release()
    assert moves == [True, True, False]
    leave()
    clock.advance(1)
    assert moves == [True, True, False]
