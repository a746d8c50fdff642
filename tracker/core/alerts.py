"""The four alert rules of the contract, their 60 s deduplication and the alert buffer."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any

VOLUME_SPIKE = "volume_spike"
PRICE_BREAKOUT = "price_breakout"
FOREIGN_ACCELERATION = "foreign_acceleration"
BASIS_DIVERGENCE = "basis_divergence"
ALERT_TYPES = (VOLUME_SPIKE, PRICE_BREAKOUT, FOREIGN_ACCELERATION, BASIS_DIVERGENCE)
SEVERITIES = ("info", "warning", "critical")

DEDUP_S = 60.0
MAX_ALERTS = 500
SPIKE_WINDOW_S = 20 * 60.0
SPIKE_FACTOR = 3.0
SPIKE_MIN_TRADES = 10
FOREIGN_LOOKBACK_S = 5 * 60.0
FOREIGN_MIN_BASE_VND = 1e9
FOREIGN_CHANGE = 0.30


class AlertBook:
    """Registers alerts once per (type, symbol) per 60 s and keeps the newest 500."""

    __slots__ = ("_alerts", "_last", "_next_id")

    def __init__(self) -> None:
        self._alerts: deque[dict[str, Any]] = deque(maxlen=MAX_ALERTS)
        self._last: dict[tuple[str, str], float] = {}
        self._next_id = 1

    def register(
        self,
        alert_type: str,
        severity: str,
        symbol: str,
        message: str,
        data: dict[str, Any],
        now: datetime,
        ts: float,
    ) -> dict[str, Any] | None:
        """The new Alert dict, or None when the same (type, symbol) fired < 60 s ago.

        A clock moved back before the last registration does not suppress alerts.
        """
        key = (alert_type, symbol)
        last = self._last.get(key)
        if last is not None and 0.0 <= ts - last < DEDUP_S:
            return None
        self._last[key] = ts
        alert = {
            "id": self._next_id,
            "alert_type": alert_type,
            "severity": severity,
            "symbol": symbol,
            "message": message,
            "timestamp": now.isoformat(),
            "data": data,
        }
        self._next_id += 1
        self._alerts.append(alert)
        return alert

    def list(
        self,
        limit: int = 50,
        alert_type: str | None = None,
        severity: str | None = None,
    ) -> list[dict[str, Any]]:
        """Newest first, filtered by type and severity when given."""
        out: list[dict[str, Any]] = []
        if limit <= 0:
            return out
        for a in reversed(self._alerts):
            if alert_type is not None and a["alert_type"] != alert_type:
                continue
            if severity is not None and a["severity"] != severity:
                continue
            out.append({**a, "data": dict(a["data"])})
            if len(out) >= limit:
                break
        return out

    def clear(self) -> None:
        """Empties the buffer and restarts every dedup window (ids keep increasing)."""
        self._alerts.clear()
        self._last.clear()

    def __len__(self) -> int:
        return len(self._alerts)


class _Trades:
    __slots__ = ("total", "window")

    def __init__(self) -> None:
        self.window: deque[tuple[float, int]] = deque()
        self.total = 0


class VolumeSpikeRule:
    """Trade volume > 3.0 x the mean of the symbol's trades in the trailing 20 minutes
    (this trade included), with at least 10 trades in the window."""

    __slots__ = ("_trades",)

    def __init__(self) -> None:
        self._trades: dict[str, _Trades] = {}

    def check(self, symbol: str, volume: int, ts: float) -> tuple[float, int] | None:
        """Record the trade; (mean volume, trades in window) when it is a spike."""
        t = self._trades.get(symbol)
        if t is None:
            t = self._trades[symbol] = _Trades()
        w = t.window
        cutoff = ts - SPIKE_WINDOW_S
        while w and w[0][0] <= cutoff:
            t.total -= w.popleft()[1]
        w.append((ts, volume))
        t.total += volume
        n = len(w)
        if n >= SPIKE_MIN_TRADES and volume * n > SPIKE_FACTOR * t.total:
            return t.total / n, n
        return None

    def clear(self) -> None:
        self._trades.clear()


def breakout(price: float, ceiling: float, floor: float) -> str | None:
    """'ceiling' or 'floor' when the price reaches a known band limit (both > 0)."""
    if ceiling <= 0 or floor <= 0:
        return None
    if price >= ceiling:
        return "ceiling"
    if price <= floor:
        return "floor"
    return None


class ForeignAccelerationRule:
    """Net foreign value moved > 30 % against the latest sample at least 5 minutes old,
    when that sample's absolute value is at least 1e9 VND."""

    __slots__ = ("_samples",)

    def __init__(self) -> None:
        self._samples: dict[str, deque[tuple[float, float]]] = {}

    def check(
        self, symbol: str, net_value: float, ts: float
    ) -> tuple[float, float, float] | None:
        """Record the sample; (reference value, its time, relative change) when it fires."""
        s = self._samples.get(symbol)
        if s is None:
            s = self._samples[symbol] = deque()
        cutoff = ts - FOREIGN_LOOKBACK_S
        while len(s) >= 2 and s[1][0] <= cutoff:
            s.popleft()
        result = None
        if s and s[0][0] <= cutoff:
            ref_ts, ref = s[0]
            if abs(ref) >= FOREIGN_MIN_BASE_VND:
                change = abs(net_value - ref) / abs(ref)
                if change > FOREIGN_CHANGE:
                    result = (ref, ref_ts, change)
        s.append((ts, net_value))
        return result

    def clear(self) -> None:
        self._samples.clear()


def sign_flip(previous: float, current: float) -> bool:
    """True when the basis moved from premium to discount or back (0 is neither)."""
    return (previous > 0 and current < 0) or (previous < 0 and current > 0)
