"""Pushes state changes to WebSocket channels, throttled per channel on the trailing edge."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
from collections.abc import Callable, Mapping
from typing import Protocol


class Hub(Protocol):
    def client_count(self, channel: str) -> int: ...
    def broadcast(self, channel: str, text: str) -> int: ...


def dumps(value: object) -> str:
    """Compact JSON; datetimes as ISO-8601, enums by value, sets as lists."""
    return json.dumps(value, default=_default, separators=(",", ":"))


def _default(value: object) -> object:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class _Window:
    __slots__ = ("last_sent", "timer")

    def __init__(self) -> None:
        self.last_sent: float | None = None
        self.timer: asyncio.TimerHandle | None = None


class Publisher:
    """`notify(channel)` after a change; the state is rendered when the message is actually sent.

    The first change after a quiet window goes out at once; later changes inside the window
    collapse into one message at the end of the window. Monotonic (event-loop) time throughout.
    """

    def __init__(self, hub: Hub, interval_s: float, renderers: Mapping[str, Callable[[], object]],
                 *, alerts_channel: str = "alerts") -> None:
        self._hub = hub
        self._interval = interval_s
        self._renderers = dict(renderers)
        self._alerts_channel = alerts_channel
        self._windows = {channel: _Window() for channel in self._renderers}
        self.sent: dict[str, int] = dict.fromkeys([*self._renderers, alerts_channel], 0)

    def notify(self, channel: str) -> None:
        window = self._windows[channel]
        if window.timer is not None or self._hub.client_count(channel) == 0:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        if window.last_sent is None or now - window.last_sent >= self._interval:
            self._send(channel, now)
        else:
            window.timer = loop.call_at(window.last_sent + self._interval, self._flush, channel)

    def notify_all(self) -> None:
        for channel in self._renderers:
            self.notify(channel)

    def publish_alert(self, alert: object) -> None:
        """Alerts are never throttled: one message per alert, at once."""
        if self._hub.client_count(self._alerts_channel):
            self._hub.broadcast(self._alerts_channel, dumps(alert))
            self.sent[self._alerts_channel] += 1

    def close(self) -> None:
        for window in self._windows.values():
            if window.timer is not None:
                window.timer.cancel()
                window.timer = None

    def _flush(self, channel: str) -> None:
        window = self._windows[channel]
        window.timer = None
        if self._hub.client_count(channel):
            self._send(channel, asyncio.get_running_loop().time())

    def _send(self, channel: str, now: float) -> None:
        self._windows[channel].last_sent = now
        self._hub.broadcast(channel, dumps(self._renderers[channel]()))
        self.sent[channel] += 1
