"""A controllable clock, so every time window of the tracker can be driven by tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    """Market time in Asia/Ho_Chi_Minh: follows system time until set or advanced."""

    __slots__ = ("_frozen",)

    def __init__(self, at: datetime | None = None) -> None:
        self._frozen: datetime | None = None
        if at is not None:
            self.set(at)

    def now(self) -> datetime:
        """The current market time, tz-aware (Asia/Ho_Chi_Minh)."""
        frozen = self._frozen
        return frozen if frozen is not None else datetime.now(VN_TZ)

    def set(self, dt: datetime) -> None:
        """Freeze the clock at `dt` (a naive `dt` is read as Asia/Ho_Chi_Minh time)."""
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=VN_TZ)
        self._frozen = dt.astimezone(VN_TZ)

    def advance(self, seconds: float) -> None:
        """Freeze the clock at now() + `seconds` (negative moves it back)."""
        self._frozen = self.now() + timedelta(seconds=seconds)

    def release(self) -> None:
        """Follow system time again."""
        self._frozen = None

    @property
    def frozen(self) -> bool:
        """True while the clock is controlled by set() or advance()."""
        return self._frozen is not None
