"""Detects the daily 15:05 Asia/Ho_Chi_Minh boundary that starts a new trading day's state."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from tracker.core.clock import VN_TZ

RESET_AT = time(15, 5)


def next_boundary(after: datetime) -> datetime:
    """The first 15:05 (Asia/Ho_Chi_Minh) strictly after `after`."""
    local = after.astimezone(VN_TZ)
    b = local.replace(
        hour=RESET_AT.hour, minute=RESET_AT.minute, second=0, microsecond=0
    )
    if b <= local:
        b += timedelta(days=1)
    return b


class DailyReset:
    """Reports a 15:05 boundary crossed between the previous check and now.

    A clock moved backwards crosses nothing; it only restarts the watch from there.
    """

    __slots__ = ("_last_ts", "_next_ts")

    def __init__(self, now: datetime) -> None:
        self._last_ts = now.timestamp()
        self._next_ts = next_boundary(now).timestamp()

    def check(self, now: datetime, ts: float) -> bool:
        """True when a boundary lies in (previous check, now]."""
        if self._last_ts <= ts < self._next_ts:
            self._last_ts = ts
            return False
        crossed = ts >= self._last_ts  # else the clock went back: nothing crossed
        self._last_ts = ts
        self._next_ts = next_boundary(now).timestamp()
        return crossed
