"""Builders of SSI content dicts, so tests and scripts write ticks by meaning, not by field name."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from typing import Any

from .channels import DATA_TYPES
from .messages import BroadcastPayload, Content

__all__ = [
    "Content", "bar", "encode_broadcast", "exchange_of", "foreign", "index", "price_band",
    "quote", "tick_size", "trade", "trade_quote",
]  # fmt: skip

_HCM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def exchange_of(symbol: str) -> str:
    """``DER`` for VN30F futures, else ``HOSE`` (every VN30 stock is listed there)."""
    return "DER" if symbol.upper().startswith("VN30F") else "HOSE"


def tick_size(price: float, symbol: str = "") -> float:
    """HOSE price step in thousands of VND (0.01 / 0.05 / 0.1); 0.1 point for futures."""
    if symbol.upper().startswith("VN30F") or price >= 50:
        return 0.1
    return 0.05 if price >= 10 else 0.01


def price_band(ref: float, symbol: str = "", pct: float = 7.0) -> tuple[float, float]:
    """(ceiling, floor) of a reference price: +-pct %, rounded inward to the price step."""
    up, down = ref * (1 + pct / 100), ref * (1 - pct / 100)
    ceiling = math.floor(up / tick_size(up, symbol) + 1e-9) * tick_size(up, symbol)
    floor = math.ceil(down / tick_size(down, symbol) - 1e-9) * tick_size(down, symbol)
    return round(ceiling, 2), round(floor, 2)


def _stamp(content: Content, time: str | None, trading_date: str | None) -> None:
    now = datetime.now(_HCM)
    content["TradingDate"] = trading_date or now.strftime("%d/%m/%Y")
    content["Time"] = time or now.strftime("%H:%M:%S")


def _bands(content: Content, ref: float | None, ceiling: float | None, floor: float | None) -> None:
    if ref is not None:
        content["RefPrice"] = ref
    if ceiling is not None:
        content["Ceiling"] = ceiling
    if floor is not None:
        content["Floor"] = floor


def _trade_fields(content: Content, price: float, volume: int, ref: float | None) -> None:
    content["LastPrice"] = price
    content["LastVol"] = volume
    if ref:
        content["Change"] = round(price - ref, 2)
        content["RatioChange"] = round((price - ref) / ref * 100, 2)


def trade(
    symbol: str, price: float, volume: int, *, session: str = "LO", ref: float | None = None,
    time: str | None = None, trading_date: str | None = None, **extra: Any,
) -> Content:
    """RType ``Trade``: one match of ``volume`` shares at ``price``; ``ref`` adds Change/RatioChange."""
    content: Content = {"RType": "Trade", "Symbol": symbol, "Exchange": exchange_of(symbol)}
    _stamp(content, time, trading_date)
    _trade_fields(content, price, volume, ref)
    content["TradingSession"] = session
    content.update(extra)
    return content


def _quote_fields(content: Content, bid1: float, ask1: float, extra: dict[str, Any]) -> None:
    content["BidPrice1"] = bid1
    content["BidVol1"] = extra.pop("bid_vol1", 0)
    content["AskPrice1"] = ask1
    content["AskVol1"] = extra.pop("ask_vol1", 0)


def quote(
    symbol: str, *, bid1: float, ask1: float, ref: float | None = None, ceiling: float | None = None,
    floor: float | None = None, session: str = "LO", time: str | None = None,
    trading_date: str | None = None, **extra: Any,
) -> Content:
    """RType ``Quote``: best bid/ask (``bid_vol1``/``ask_vol1`` or any PascalCase field via extra)."""
    content: Content = {"RType": "Quote", "Symbol": symbol, "Exchange": exchange_of(symbol)}
    _stamp(content, time, trading_date)
    _bands(content, ref, ceiling, floor)
    _quote_fields(content, bid1, ask1, extra)
    content["TradingSession"] = session
    content.update(extra)
    return content


def trade_quote(
    symbol: str, price: float, volume: int, *, bid1: float, ask1: float, ref: float | None = None,
    ceiling: float | None = None, floor: float | None = None, session: str = "LO",
    time: str | None = None, trading_date: str | None = None, **extra: Any,
) -> Content:
    """RType ``X``: a trade and the book after it in one message."""
    content: Content = {"RType": "X", "Symbol": symbol, "Exchange": exchange_of(symbol)}
    _stamp(content, time, trading_date)
    _bands(content, ref, ceiling, floor)
    _quote_fields(content, bid1, ask1, extra)
    _trade_fields(content, price, volume, ref)
    content["TradingSession"] = session
    content.update(extra)
    return content


def foreign(
    symbol: str, *, buy_vol: int, sell_vol: int, buy_val: float, sell_val: float,
    total_room: int = 0, current_room: int = 0, time: str | None = None,
    trading_date: str | None = None, **extra: Any,
) -> Content:
    """RType ``R``: foreign buy/sell volume and value (VND), cumulative since the open."""
    content: Content = {"RType": "R", "Symbol": symbol, "Exchange": exchange_of(symbol)}
    _stamp(content, time, trading_date)
    content.update(
        FBuyVol=buy_vol, FSellVol=sell_vol, FBuyVal=buy_val, FSellVal=sell_val,
        TotalRoom=total_room, CurrentRoom=current_room,
    )
    content.update(extra)
    return content


def index(
    index_id: str, value: float, *, prior: float | None = None, advances: int = 0, declines: int = 0,
    no_changes: int = 0, total_qtty: int = 0, time: str | None = None,
    trading_date: str | None = None, **extra: Any,
) -> Content:
    """RType ``MI``: an index tick; ``prior`` (the previous close) adds Change/RatioChange."""
    content: Content = {"RType": "MI", "IndexId": index_id, "IndexName": index_id, "Exchange": "HOSE"}
    _stamp(content, time, trading_date)
    content["IndexValue"] = value
    if prior is not None:
        content["PriorIndexValue"] = prior
        content["Change"] = round(value - prior, 2)
        content["RatioChange"] = round((value - prior) / prior * 100, 2) if prior else 0.0
    content.update(TotalQtty=total_qtty, Advances=advances, Declines=declines, NoChanges=no_changes)
    content.update(extra)
    return content


def bar(
    symbol: str, *, open: float, high: float, low: float, close: float, volume: int,
    time: str | None = None, trading_date: str | None = None, **extra: Any,
) -> Content:
    """RType ``B``: a one-minute bar (Value defaults to close * volume * 1000 VND)."""
    content: Content = {"RType": "B", "Symbol": symbol}
    _stamp(content, time, trading_date)
    content.update(Open=open, High=high, Low=low, Close=close, Volume=volume)
    content["Value"] = extra.pop("Value", round(close * volume * 1000, 2))
    content.update(extra)
    return content


def encode_broadcast(content: Content) -> str:
    """The hub argument for ``content``: ``{"DataType": family, "Content": "<json>"}`` as a string."""
    rtype = content.get("RType")
    data_type = DATA_TYPES.get(rtype, str(rtype)) if isinstance(rtype, str) else "X"
    payload: BroadcastPayload = {
        "DataType": data_type,
        "Content": json.dumps(content, separators=(",", ":"), ensure_ascii=False),
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
