"""Foreign investor flow: cumulative R figures turned into deltas, speeds and rankings."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from tracker.core.messages import ForeignRoom

SPEED_WINDOW_S = 300.0
SPEED_WINDOW_MIN = SPEED_WINDOW_S / 60.0
TOP_N = 5


class _Flow:
    """One symbol: latest cumulative figures, delta baselines and the 5-minute delta window."""

    __slots__ = (
        "base_buy",
        "base_sell",
        "buy_acc",
        "buy_speed",
        "buy_val",
        "buy_vol",
        "current_room",
        "last_updated",
        "sell_acc",
        "sell_speed",
        "sell_val",
        "sell_vol",
        "symbol",
        "total_room",
        "win_buy",
        "win_sell",
        "window",
    )

    def __init__(self, symbol: str, base: tuple[int, int] | None) -> None:
        self.symbol = symbol
        self.buy_vol = 0
        self.sell_vol = 0
        self.buy_val = 0.0
        self.sell_val = 0.0
        self.total_room = 0
        self.current_room = 0
        self.base_buy: int | None = base[0] if base else None
        self.base_sell: int | None = base[1] if base else None
        self.window: deque[tuple[float, int, int]] = deque()
        self.win_buy = 0
        self.win_sell = 0
        self.buy_speed = 0.0  # speed at the last update
        self.sell_speed = 0.0
        self.buy_acc = 0.0
        self.sell_acc = 0.0
        self.last_updated: datetime | None = None

    def evict(self, ts: float) -> None:
        w = self.window
        cutoff = ts - SPEED_WINDOW_S
        while w and w[0][0] <= cutoff:
            _, b, s = w.popleft()
            self.win_buy -= b
            self.win_sell -= s

    @property
    def net_value(self) -> float:
        return self.buy_val - self.sell_val

    def to_dict(self, ts: float) -> dict[str, Any]:
        self.evict(ts)
        return {
            "symbol": self.symbol,
            "buy_volume": self.buy_vol,
            "sell_volume": self.sell_vol,
            "net_volume": self.buy_vol - self.sell_vol,
            "buy_value": self.buy_val,
            "sell_value": self.sell_val,
            "net_value": self.buy_val - self.sell_val,
            "total_room": self.total_room,
            "current_room": self.current_room,
            "buy_speed_per_min": self.win_buy / SPEED_WINDOW_MIN,
            "sell_speed_per_min": self.win_sell / SPEED_WINDOW_MIN,
            "buy_acceleration": self.buy_acc,
            "sell_acceleration": self.sell_acc,
            "last_updated": self.last_updated.isoformat()
            if self.last_updated
            else None,
        }


class ForeignFlow:
    """Per-symbol foreign flow; speeds are evaluated at the time a view is built.

    Acceleration is the speed just after an update minus the speed just after the
    previous update of the same symbol (0 before the first update).
    """

    __slots__ = ("_flows", "_seeds")

    def __init__(self) -> None:
        self._flows: dict[str, _Flow] = {}
        self._seeds: dict[str, tuple[int, int]] = {}

    def update(self, msg: ForeignRoom, now: datetime, ts: float) -> float:
        """Apply an R message; returns the symbol's net foreign value afterwards."""
        f = self._flows.get(msg.symbol)
        if f is None:
            f = self._flows[msg.symbol] = _Flow(
                msg.symbol, self._seeds.pop(msg.symbol, None)
            )
        buy = f.buy_vol if msg.buy_vol is None else msg.buy_vol
        sell = f.sell_vol if msg.sell_vol is None else msg.sell_vol
        d_buy = buy if f.base_buy is None else buy - f.base_buy
        d_sell = sell if f.base_sell is None else sell - f.base_sell
        d_buy = max(d_buy, 0)
        d_sell = max(d_sell, 0)
        f.base_buy = buy
        f.base_sell = sell
        f.buy_vol = buy
        f.sell_vol = sell
        if msg.buy_val is not None:
            f.buy_val = msg.buy_val
        if msg.sell_val is not None:
            f.sell_val = msg.sell_val
        if msg.total_room is not None:
            f.total_room = msg.total_room
        if msg.current_room is not None:
            f.current_room = msg.current_room
        f.evict(ts)
        if d_buy or d_sell:
            f.window.append((ts, d_buy, d_sell))
            f.win_buy += d_buy
            f.win_sell += d_sell
        buy_speed = f.win_buy / SPEED_WINDOW_MIN
        sell_speed = f.win_sell / SPEED_WINDOW_MIN
        f.buy_acc = buy_speed - f.buy_speed
        f.sell_acc = sell_speed - f.sell_speed
        f.buy_speed = buy_speed
        f.sell_speed = sell_speed
        f.last_updated = now
        return f.buy_val - f.sell_val

    def reseed(
        self,
        rows: Iterable[Mapping[str, Any]],
        tracks: Callable[[str], bool] | None = None,
    ) -> int:
        """Set delta baselines from Securities rows (Symbol, FBuyVol, FSellVol); returns count.

        Rows that are not dicts, lack a symbol or a volume, or carry bad figures are skipped.
        """
        count = 0
        for row in rows:
            base = _seed_of(row)
            if base is None or (tracks is not None and not tracks(base[0])):
                continue
            symbol, buy, sell = base
            f = self._flows.get(symbol)
            if f is None:
                self._seeds[symbol] = (buy, sell)
            else:
                f.base_buy = buy
                f.base_sell = sell
            count += 1
        return count

    def clear(self) -> None:
        self._flows.clear()
        self._seeds.clear()

    def __bool__(self) -> bool:
        return bool(self._flows)

    def stocks(self, ts: float) -> list[dict[str, Any]]:
        return [self._flows[s].to_dict(ts) for s in sorted(self._flows)]

    def summary(self, ts: float) -> dict[str, Any]:
        return summarize(self.stocks(ts))


def summarize(stocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over all symbols and the top 5 by net value each way (ties by symbol)."""
    buy_val = sum(s["buy_value"] for s in stocks)
    sell_val = sum(s["sell_value"] for s in stocks)
    buy_vol = sum(s["buy_volume"] for s in stocks)
    sell_vol = sum(s["sell_volume"] for s in stocks)
    by_net = sorted(stocks, key=lambda s: (-s["net_value"], s["symbol"]))
    by_net_asc = sorted(stocks, key=lambda s: (s["net_value"], s["symbol"]))
    return {
        "total_buy_value": buy_val,
        "total_sell_value": sell_val,
        "total_net_value": buy_val - sell_val,
        "total_buy_volume": buy_vol,
        "total_sell_volume": sell_vol,
        "total_net_volume": buy_vol - sell_vol,
        "top_buy": by_net[:TOP_N],
        "top_sell": by_net_asc[:TOP_N],
    }


def _seed_of(row: object) -> tuple[str, int, int] | None:
    if not isinstance(row, Mapping):
        return None
    symbol = row.get("Symbol")
    if type(symbol) is not str or not symbol.strip():
        return None
    try:
        buy = _int(row.get("FBuyVol", row.get("BuyVol")))
        sell = _int(row.get("FSellVol", row.get("SellVol")))
    except (TypeError, ValueError, OverflowError):
        return None
    if buy is None or sell is None:
        return None
    return symbol.strip().upper(), buy, sell


def _int(v: object) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise TypeError(v)
    n = int(float(v))
    if n < 0:
        raise ValueError(v)
    return n
