"""Last traded price per symbol with its change against the reference price."""

from __future__ import annotations

from typing import Any

from tracker.core.quotes import Quote, QuoteBook

_NO_QUOTE = Quote()


class _Price:
    __slots__ = ("change", "change_pct", "last_price")

    def __init__(self, last_price: float, change: float, change_pct: float) -> None:
        self.last_price = last_price
        self.change = change
        self.change_pct = change_pct


def change_of(
    price: float, ref: float, change: float | None, ratio: float | None
) -> tuple[float, float]:
    """Change and change % as sent upstream, else computed against `ref` (0 without ref)."""
    if change is None:
        change = round(price - ref, 6) if ref > 0 else 0.0
    if ratio is None:
        ratio = round(change / ref * 100, 6) if ref > 0 else 0.0
    return change, ratio


class Prices:
    """Trade fields per symbol; ref/ceiling/floor are read from the quote cache at view time."""

    __slots__ = ("_prices",)

    def __init__(self) -> None:
        self._prices: dict[str, _Price] = {}

    def on_trade(
        self,
        symbol: str,
        price: float,
        quote: Quote,
        change: float | None,
        ratio: float | None,
    ) -> None:
        chg, pct = change_of(price, quote.ref, change, ratio)
        p = self._prices.get(symbol)
        if p is None:
            self._prices[symbol] = _Price(price, chg, pct)
        else:
            p.last_price = price
            p.change = chg
            p.change_pct = pct

    def __contains__(self, symbol: str) -> bool:
        return symbol in self._prices

    def clear(self) -> None:
        self._prices.clear()

    def by_symbol(self, quotes: QuoteBook) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for sym in sorted(self._prices):
            p = self._prices[sym]
            q = quotes.get(sym) or _NO_QUOTE
            out[sym] = {
                "last_price": p.last_price,
                "change": p.change,
                "change_pct": p.change_pct,
                "ref_price": q.ref,
                "ceiling": q.ceiling,
                "floor": q.floor,
            }
        return out

    def symbols(self) -> list[str]:
        return list(self._prices)
