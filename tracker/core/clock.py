"""A controllable clock, so every time window of the tracker can be driven by tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    """Market time in Asia/Ho_Chi_Minh: follows system time until set or advanced.

    Whoever waits on this clock (the reconnect backoff, tracker/clock_sleep.py) registers with
    `on_move` and is told of every set, advance and release, so a wait ends when the clock is
    moved past it instead of in real time.
    """

    __slots__ = ("_frozen", "_listeners")

    def __init__(self, at: datetime | None = None) -> None:
        self._frozen: datetime | None = None
        self._listeners: list[Callable[[], None]] = []
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
        self._moved()

    def advance(self, seconds: float) -> None:
        """Freeze the clock at now() + `seconds` (negative moves it back)."""
        self._frozen = self.now() + timedelta(seconds=seconds)
        self._moved()

    def release(self) -> None:
        """Follow system time again."""
        self._frozen = None
        self._moved()

    def on_move(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` (from the thread that moves the clock) after every move; returns the undo."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _moved(self) -> None:
        for listener in list(self._listeners):
            listener()

    @property
    def frozen(self) -> bool:
        """True while the clock is controlled by set() or advance()."""
        return self._frozen is not None
