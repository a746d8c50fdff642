"""Latest value of each tracked index (MI) with its intraday points and market breadth."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any

from tracker.core.messages import IndexUpdate

MAX_INTRADAY_POINTS = 6000  # a trading day at one point every 4 s


def advance_ratio(advances: int, declines: int) -> float:
    """advances / (advances + declines), 0 when both are 0."""
    total = advances + declines
    return advances / total if total else 0.0


class _Index:
    __slots__ = ("change", "intraday", "last_updated", "msg", "ratio_change")

    def __init__(self, msg: IndexUpdate) -> None:
        self.msg = msg
        self.change = 0.0
        self.ratio_change = 0.0
        self.intraday: deque[dict[str, Any]] = deque(maxlen=MAX_INTRADAY_POINTS)
        self.last_updated: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        m = self.msg
        return {
            "index_id": m.index_id,
            "value": m.value,
            "prior_value": m.prior_value if m.prior_value is not None else 0.0,
            "change": self.change,
            "ratio_change": self.ratio_change,
            "total_volume": m.total_volume if m.total_volume is not None else 0,
            "advances": m.advances,
            "declines": m.declines,
            "no_changes": m.no_changes,
            "intraday": list(self.intraday),
            "last_updated": self.last_updated.isoformat()
            if self.last_updated
            else None,
            "advance_ratio": advance_ratio(m.advances, m.declines),
        }


class Indices:
    """One entry per index id; each MI message adds an intraday point."""

    __slots__ = ("_indices",)

    def __init__(self) -> None:
        self._indices: dict[str, _Index] = {}

    def update(self, msg: IndexUpdate, now: datetime) -> None:
        idx = self._indices.get(msg.index_id)
        if idx is None:
            idx = self._indices[msg.index_id] = _Index(msg)
        else:
            if msg.prior_value is None:  # keep the prior value sent earlier today
                msg.prior_value = idx.msg.prior_value
            idx.msg = msg
        prior = msg.prior_value
        change = msg.change
        if change is None:
            change = round(msg.value - prior, 6) if prior else 0.0
        ratio = msg.ratio_change
        if ratio is None:
            ratio = round(change / prior * 100, 6) if prior else 0.0
        idx.change = change
        idx.ratio_change = ratio
        idx.last_updated = now
        idx.intraday.append({"timestamp": now.isoformat(), "value": msg.value})

    def value(self, index_id: str) -> float | None:
        idx = self._indices.get(index_id)
        return idx.msg.value if idx is not None else None

    def clear(self) -> None:
        self._indices.clear()

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {i: self._indices[i].to_dict() for i in sorted(self._indices)}
