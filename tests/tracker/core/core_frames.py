"""Content-dict builders and a frozen clock for the core tests (no simulator import)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tracker.core.clock import VN_TZ

VN30 = ["ACB", "BID", "CTG", "FPT", "GAS", "HPG", "MBB", "MSN", "VCB", "VNM"]
OPEN = datetime(2026, 11, 23, 10, 0, 0, tzinfo=VN_TZ)  # a Monday, continuous trading


def trade(
    symbol: str, price: float, volume: int, session: str = "LO", **extra: Any
) -> dict[str, Any]:
    return {
        "RType": "Trade",
        "Symbol": symbol,
        "LastPrice": price,
        "LastVol": volume,
        "TradingSession": session,
        **extra,
    }


def quote(
    symbol: str,
    *,
    bid1: float | None = None,
    ask1: float | None = None,
    ref: float | None = None,
    ceiling: float | None = None,
    floor: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    c: dict[str, Any] = {"RType": "Quote", "Symbol": symbol, **extra}
    for key, value in (
        ("BidPrice1", bid1),
        ("AskPrice1", ask1),
        ("RefPrice", ref),
        ("Ceiling", ceiling),
        ("Floor", floor),
    ):
        if value is not None:
            c[key] = value
    return c


def foreign(
    symbol: str,
    buy_vol: int,
    sell_vol: int = 0,
    buy_val: float = 0.0,
    sell_val: float = 0.0,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "RType": "R",
        "Symbol": symbol,
        "FBuyVol": buy_vol,
        "FSellVol": sell_vol,
        "FBuyVal": buy_val,
        "FSellVal": sell_val,
        **extra,
    }


def index(
    index_id: str,
    value: float,
    *,
    prior: float | None = None,
    advances: int = 0,
    declines: int = 0,
    no_changes: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    c: dict[str, Any] = {
        "RType": "MI",
        "IndexId": index_id,
        "IndexValue": value,
        "Advances": advances,
        "Declines": declines,
        "NoChanges": no_changes,
        **extra,
    }
    if prior is not None:
        c["PriorIndexValue"] = prior
    return c


def encode(content: dict[str, Any]) -> str:
    """The hub Broadcast argument for a content dict."""
    return json.dumps({"DataType": content["RType"], "Content": json.dumps(content)})
