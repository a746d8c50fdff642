"""Which symbols the tracker follows: VN30 components, indices, extras, VN30F futures."""

from __future__ import annotations

from collections.abc import Iterable

INDEX_SYMBOLS = ("VN30", "VNINDEX")
FUTURES_PREFIX = "VN30F"


def is_futures(symbol: str) -> bool:
    """True for VN30 index futures contracts (VN30F2412, VN30F1M, ...)."""
    return symbol.startswith(FUTURES_PREFIX)


def _clean(symbols: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for s in symbols:
        s = s.strip().upper()
        if s:
            seen[s] = None
    return list(seen)


class Watchlist:
    """vn30 + VN30 + VNINDEX + extra symbols; VN30F* are always tracked."""

    __slots__ = ("_extra", "_tracked", "_vn30")

    def __init__(self, vn30: Iterable[str] = (), extra: Iterable[str] = ()) -> None:
        self._extra = _clean(extra)
        self._vn30: list[str] = []
        self._tracked: frozenset[str] = frozenset()
        self.set_vn30(vn30)

    def set_vn30(self, symbols: Iterable[str]) -> None:
        self._vn30 = _clean(symbols)
        self._tracked = frozenset((*self._vn30, *INDEX_SYMBOLS, *self._extra))

    @property
    def vn30(self) -> list[str]:
        return list(self._vn30)

    @property
    def symbols(self) -> frozenset[str]:
        """Every tracked symbol except the open-ended VN30F* family."""
        return self._tracked

    def tracks(self, symbol: str) -> bool:
        return symbol in self._tracked or symbol.startswith(FUTURES_PREFIX)
