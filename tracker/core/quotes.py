"""Latest quote per symbol (bid1, ask1, ref, ceiling, floor); survives the daily reset."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.core.messages import Tick


@dataclass(slots=True)
class Quote:
    bid1: float = 0.0
    ask1: float = 0.0
    ref: float = 0.0
    ceiling: float = 0.0
    floor: float = 0.0


class QuoteBook:
    """Quote fields are merged: a field the message does not carry keeps its last value."""

    __slots__ = ("_quotes",)

    def __init__(self) -> None:
        self._quotes: dict[str, Quote] = {}

    def update(self, tick: Tick) -> tuple[Quote, bool]:
        """Merge the tick's quote fields; returns the quote and whether anything changed."""
        q = self._quotes.get(tick.symbol)
        if q is None:
            q = self._quotes[tick.symbol] = Quote()
        changed = False
        v = tick.bid1
        if v is not None and v != q.bid1:
            q.bid1 = v
            changed = True
        v = tick.ask1
        if v is not None and v != q.ask1:
            q.ask1 = v
            changed = True
        v = tick.ref
        if v is not None and v != q.ref:
            q.ref = v
            changed = True
        v = tick.ceiling
        if v is not None and v != q.ceiling:
            q.ceiling = v
            changed = True
        v = tick.floor
        if v is not None and v != q.floor:
            q.floor = v
            changed = True
        return q, changed

    def get(self, symbol: str) -> Quote | None:
        return self._quotes.get(symbol)

    def __len__(self) -> int:
        return len(self._quotes)
