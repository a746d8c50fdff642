"""VN30 futures: last trade, cumulative volume and the basis against the VN30 index."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any

from tracker.core.prices import change_of
from tracker.core.quotes import Quote, QuoteBook

SPOT_INDEX = "VN30"
BASIS_HISTORY_S = 120 * 60.0  # the trend endpoint looks back at most 120 minutes
MAX_BASIS_POINTS = 100_000


def basis_of(futures_price: float, spot: float) -> tuple[float, float]:
    """(basis, basis_pct): futures price - VN30 value, and that as % of VN30."""
    basis = round(futures_price - spot, 6)
    return basis, round(basis / spot * 100, 6)


class _Contract:
    __slots__ = (
        "change",
        "change_pct",
        "last_price",
        "last_updated",
        "symbol",
        "volume",
    )

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.last_price = 0.0
        self.change = 0.0
        self.change_pct = 0.0
        self.volume = 0
        self.last_updated: datetime | None = None


class Derivatives:
    """All VN30F* contracts seen today; the active one is the contract with the most volume,
    or the `override` contract (FUTURES_OVERRIDE) whatever the volumes, once it has traded."""

    __slots__ = ("_active", "_contracts", "_history", "_override")

    def __init__(self, override: str = "") -> None:
        self._override = override.strip().upper()
        self._contracts: dict[str, _Contract] = {}
        self._active: _Contract | None = None
        self._history: deque[tuple[float, dict[str, Any]]] = deque(
            maxlen=MAX_BASIS_POINTS
        )

    def on_trade(
        self,
        symbol: str,
        price: float,
        volume: int,
        total_vol: int | None,
        quote: Quote,
        change: float | None,
        ratio: float | None,
        now: datetime,
    ) -> bool:
        """Record a futures trade; True when it is (now) the active contract."""
        c = self._contracts.get(symbol)
        if c is None:
            c = self._contracts[symbol] = _Contract(symbol)
        c.last_price = price
        c.change, c.change_pct = change_of(price, quote.ref, change, ratio)
        c.volume = total_vol if total_vol is not None else c.volume + volume
        c.last_updated = now
        active = self._active
        if self._override:
            if symbol == self._override:
                self._active = c
        elif active is None or (active is not c and c.volume > active.volume):
            self._active = c
        return self._active is c

    @property
    def active_symbol(self) -> str | None:
        return self._active.symbol if self._active is not None else None

    def add_basis_point(
        self, spot: float | None, now: datetime, ts: float
    ) -> dict[str, Any] | None:
        """Append a basis point for the active contract; returns the previous point of the
        same contract (None if there is none, or no point could be made)."""
        c = self._active
        if c is None or spot is None or spot <= 0 or c.last_price <= 0:
            return None
        h = self._history
        cutoff = ts - BASIS_HISTORY_S
        while h and h[0][0] < cutoff:
            h.popleft()
        prev = h[-1][1] if h else None
        basis, pct = basis_of(c.last_price, spot)
        h.append(
            (
                ts,
                {
                    "timestamp": now.isoformat(),
                    "futures_symbol": c.symbol,
                    "futures_price": c.last_price,
                    "spot_value": spot,
                    "basis": basis,
                    "basis_pct": pct,
                    "is_premium": basis > 0,
                },
            )
        )
        if prev is not None and prev["futures_symbol"] != c.symbol:
            return None
        return prev

    def latest_point(self) -> dict[str, Any] | None:
        return self._history[-1][1] if self._history else None

    def trend(self, minutes: float, ts: float) -> list[dict[str, Any]]:
        """Basis points of the last `minutes`, oldest first."""
        cutoff = ts - minutes * 60.0
        return [dict(p) for t, p in self._history if cutoff <= t <= ts]

    def clear(self) -> None:
        self._contracts.clear()
        self._active = None
        self._history.clear()

    def __bool__(self) -> bool:
        return self._active is not None

    def view(self, quotes: QuoteBook, spot: float | None) -> dict[str, Any] | None:
        """The active contract as a Derivatives dict; basis fields null without a VN30 value."""
        c = self._active
        if c is None:
            return None
        q = quotes.get(c.symbol)
        basis: float | None = None
        pct: float | None = None
        if spot is not None and spot > 0:
            basis, pct = basis_of(c.last_price, spot)
        return {
            "symbol": c.symbol,
            "last_price": c.last_price,
            "change": c.change,
            "change_pct": c.change_pct,
            "volume": c.volume,
            "bid_price": q.bid1 if q is not None else 0.0,
            "ask_price": q.ask1 if q is not None else 0.0,
            "basis": basis,
            "basis_pct": pct,
            "is_premium": basis is not None and basis > 0,
            "last_updated": c.last_updated.isoformat() if c.last_updated else None,
        }
