"""Waiting until the tracker shows what the exchange reported (trades, foreign figures), before a scenario moves on.

A Given that reports history must not let the clock move, or a "no alert" check run, before the
tracker has processed that history: otherwise the scenario would test timing, or pass vacuously.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from support.eventually import eventually
from support.market import prefixed, traded_volume
from support.tracker_api import TrackerApi

FUTURES_PREFIX = "VN30F"


def volume_seen(api: TrackerApi, symbol: str) -> int:
    """The shares (contracts for VN30F*) of `symbol` the tracker shows as traded today.

    Stocks: the session stats' total volume. Futures: the derivatives board, which shows the
    active contract only; AssertionError while it shows another one.
    """
    if symbol.startswith(FUTURES_PREFIX):
        board = api.derivatives()
        if board.get("symbol") != symbol:
            raise AssertionError(f"the derivatives board shows {board.get('symbol')}, not {symbol}")
        return int(board.get("volume") or 0)
    return int(api.session_stats(symbol)["total_volume"])


def wait_for_trades(api: TrackerApi, published: Sequence[Any], symbol: str) -> None:
    """Wait until the tracker shows every share of `symbol` in the trades published so far.

    Args:
        api: reads of the tracker's REST API.
        published: every frame the exchange sent in this scenario (World.published).
        symbol: the stock or futures contract whose trades must be visible.
    """
    expected = traded_volume(list(published), symbol)

    def check() -> None:
        seen = volume_seen(api, symbol)
        assert seen == expected, (f"expected the tracker to show the {expected:,} shares of {symbol} the exchange "
                                  f"reported as traded; it shows {seen:,}")
    eventually(check)


_FOREIGN_FIGURES = {"buy_volume": "FBuyVol", "sell_volume": "FSellVol", "buy_value": "FBuyVal",
                    "sell_value": "FSellVal"}


def wait_for_foreign(api: TrackerApi, content: dict[str, Any]) -> None:
    """Wait until the tracker's foreign detail shows the cumulative figures an R message names.

    Args:
        api: reads of the tracker's REST API.
        content: the R content dict the exchange published (FBuyVol, FSellVol, FBuyVal, FSellVal, or their
            unprefixed names).
    """
    content = prefixed(content)
    symbol = content["Symbol"]
    expected = {field: content[key] for field, key in _FOREIGN_FIGURES.items() if key in content}

    def check() -> None:
        entry = api.foreign(symbol)
        seen = {field: entry.get(field) for field in expected}
        assert all(isinstance(seen[f], (int, float)) and abs(seen[f] - v) < 1e-6 for f, v in expected.items()), (
            f"expected the tracker to show foreign figures {expected} for {symbol}; it shows {seen}")
    eventually(check)


def wait_for_latest(api: TrackerApi, published: Sequence[Any], symbol: str) -> None:
    """Wait until the tracker shows the latest trade or foreign figures the exchange reported for `symbol`.

    Args:
        api: reads of the tracker's REST API.
        published: every frame the exchange sent in this scenario (World.published).
        symbol: the stock or futures contract the scenario is about.
    """
    for item in reversed(published):
        if isinstance(item, dict) and item.get("Symbol") == symbol:
            if item.get("RType") in ("Trade", "X"):
                wait_for_trades(api, published, symbol)
                return
            if item.get("RType") == "R":
                wait_for_foreign(api, item)
                return
    raise AssertionError(f"the exchange reported no trade and no foreign figures for {symbol} in this scenario")


def wait_for_frames_read(api: TrackerApi, published: Sequence[Any]) -> None:
    """Wait until the tracker's metrics count as read as many frames as the exchange sent ([metrics]).

    For an outcome that must not change (the active contract stays), nothing else shows that the
    tracker has seen the last frame at all; a "still shows" check watches a while after this.

    Args:
        api: reads of the tracker's REST API.
        published: every frame the exchange sent to this tracker (World.published).
    """
    expected = len(published)

    def check() -> None:
        seen = api.frames_received()
        assert seen >= expected, (f"expected the tracker to have read the {expected} frame(s) the exchange sent; "
                                  f"its metrics count {seen:g}")
    eventually(check)
