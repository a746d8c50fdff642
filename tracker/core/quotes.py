"""Latest quote per symbol (bid1, ask1, ref, ceiling, floor); survives the daily reset."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.core.messages import Tick

# The quote fields a tick may carry; a None field leaves the known value as it is.
_QUOTE_FIELDS = ("bid1", "ask1", "ref", "ceiling", "floor")


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
        for name in _QUOTE_FIELDS:
            v = getattr(tick, name)
            if v is not None and v != getattr(q, name):
                setattr(q, name, v)
                changed = True
        return q, changed

    def get(self, symbol: str) -> Quote | None:
        return self._quotes.get(symbol)

    def __len__(self) -> int:
        return len(self._quotes)
