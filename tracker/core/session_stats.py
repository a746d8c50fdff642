"""Active buy / active sell / neutral volume per symbol, split by trading phase."""

from __future__ import annotations

from datetime import datetime
from typing import Any

BUY = "mua_chu_dong"
SELL = "ban_chu_dong"
NEUTRAL = "neutral"

_AUCTIONS = frozenset({"ATO", "ATC"})


def classify(session: str, price: float, bid1: float, ask1: float) -> str:
    """Auction trades are neutral; else at/above ask1 buys, at/below bid1 sells."""
    if session in _AUCTIONS:
        return NEUTRAL
    if ask1 > 0 and price >= ask1:
        return BUY
    if bid1 > 0 and price <= bid1:
        return SELL
    return NEUTRAL


def phase_of(session: str) -> str:
    """ato, atc, or continuous for every other session (LO, PT, C, BREAK, ...)."""
    if session == "ATO":
        return "ato"
    if session == "ATC":
        return "atc"
    return "continuous"


class _Phase:
    __slots__ = ("buy", "neutral", "sell", "total")

    def __init__(self) -> None:
        self.buy = 0
        self.sell = 0
        self.neutral = 0
        self.total = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "mua_chu_dong_volume": self.buy,
            "ban_chu_dong_volume": self.sell,
            "neutral_volume": self.neutral,
            "total_volume": self.total,
        }


class SymbolStats:
    """Running totals of one symbol's trades since the last daily reset."""

    __slots__ = (
        "buy_val",
        "buy_vol",
        "last_updated",
        "neutral_val",
        "neutral_vol",
        "phases",
        "sell_val",
        "sell_vol",
        "symbol",
        "total_vol",
    )

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.buy_vol = 0
        self.buy_val = 0
        self.sell_vol = 0
        self.sell_val = 0
        self.neutral_vol = 0
        self.neutral_val = 0
        self.total_vol = 0
        self.last_updated: datetime | None = None
        self.phases = {"ato": _Phase(), "continuous": _Phase(), "atc": _Phase()}

    def to_dict(self) -> dict[str, Any]:
        p = self.phases
        return {
            "symbol": self.symbol,
            "mua_chu_dong_volume": self.buy_vol,
            "mua_chu_dong_value": self.buy_val,
            "ban_chu_dong_volume": self.sell_vol,
            "ban_chu_dong_value": self.sell_val,
            "neutral_volume": self.neutral_vol,
            "total_volume": self.total_vol,
            "last_updated": self.last_updated.isoformat()
            if self.last_updated
            else None,
            "ato": p["ato"].to_dict(),
            "continuous": p["continuous"].to_dict(),
            "atc": p["atc"].to_dict(),
        }


class SessionStats:
    """Per-symbol classified volumes; every trade's volume lands in exactly one class and phase."""

    __slots__ = ("_stats",)

    def __init__(self) -> None:
        self._stats: dict[str, SymbolStats] = {}

    def record(
        self,
        symbol: str,
        side: str,
        session: str,
        volume: int,
        value: int,
        now: datetime,
    ) -> None:
        s = self._stats.get(symbol)
        if s is None:
            s = self._stats[symbol] = SymbolStats(symbol)
        ph = s.phases[phase_of(session)]
        if side == BUY:
            s.buy_vol += volume
            s.buy_val += value
            ph.buy += volume
        elif side == SELL:
            s.sell_vol += volume
            s.sell_val += value
            ph.sell += volume
        else:
            s.neutral_vol += volume
            s.neutral_val += value
            ph.neutral += volume
        s.total_vol += volume
        ph.total += volume
        s.last_updated = now

    def get(self, symbol: str) -> SymbolStats | None:
        return self._stats.get(symbol)

    def clear(self) -> None:
        self._stats.clear()

    def __len__(self) -> int:
        return len(self._stats)

    def by_symbol(self) -> dict[str, dict[str, Any]]:
        return {sym: s.to_dict() for sym, s in sorted(self._stats.items())}

    def ranked(self) -> list[dict[str, Any]]:
        """Stats ordered by total volume, largest first (ties by symbol)."""
        rows = sorted(self._stats.values(), key=lambda s: (-s.total_vol, s.symbol))
        return [s.to_dict() for s in rows]
