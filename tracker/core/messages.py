"""Typed, validated upstream messages: the one place that reads SSI's PascalCase fields."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

REASONS = (
    "not_json",
    "unknown_rtype",
    "bad_type",
    "missing_symbol",
    "negative_volume",
    "not_finite",
)

TICK_RTYPES = frozenset({"Trade", "Quote", "X"})
RTYPES = frozenset({"Trade", "Quote", "X", "R", "MI", "B"})


class MalformedMessage(ValueError):
    """Upstream input that cannot be processed; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Tick:
    """A Trade, Quote or X message: a trade (volume > 0) and/or quote fields."""

    rtype: str
    symbol: str
    session: str
    price: float | None
    volume: int
    change: float | None
    ratio_change: float | None
    total_vol: int | None
    bid1: float | None
    ask1: float | None
    ref: float | None
    ceiling: float | None
    floor: float | None

    @property
    def is_trade(self) -> bool:
        return self.volume > 0 and self.price is not None


@dataclass(slots=True)
class ForeignRoom:
    """An R message: cumulative foreign figures since the open (None = not sent)."""

    symbol: str
    buy_vol: int | None
    sell_vol: int | None
    buy_val: float | None
    sell_val: float | None
    total_room: int | None
    current_room: int | None


@dataclass(slots=True)
class IndexUpdate:
    """An MI message."""

    index_id: str
    value: float
    prior_value: float | None
    change: float | None
    ratio_change: float | None
    total_volume: int | None
    advances: int
    declines: int
    no_changes: int


@dataclass(slots=True)
class Bar:
    """A B message (1-minute bar); validated, not used by any view."""

    symbol: str
    open: float | None
    high: float | None
    low: float | None
    close: float | None
    volume: int | None


Message = Tick | ForeignRoom | IndexUpdate | Bar

_isfinite = math.isfinite
_loads = json.loads


def _bad(reason: str, key: str, value: object) -> MalformedMessage:
    return MalformedMessage(reason, f"{key}={value!r:.60}")


def _num_slow(value: object, key: str) -> float:
    if type(value) is str:
        try:
            f = float(value)
        except ValueError:
            raise _bad("bad_type", key, value) from None
    elif type(value) is int:
        f = float(value)
    else:  # bool, list, dict ...
        raise _bad("bad_type", key, value)
    if not _isfinite(f):
        raise _bad("not_finite", key, value)
    return f


def _num(c: Mapping[str, Any], key: str) -> float | None:
    v = c.get(key)
    if v is None:
        return None
    if type(v) is float:
        if not _isfinite(v):
            raise _bad("not_finite", key, v)
        return v
    return _num_slow(v, key)


def _vol(c: Mapping[str, Any], key: str) -> int | None:
    v = c.get(key)
    if v is None:
        return None
    if type(v) is int:
        if v < 0:
            raise _bad("negative_volume", key, v)
        return v
    f = _num_slow(v, key) if type(v) is not float else v
    if not _isfinite(f):
        raise _bad("not_finite", key, v)
    if f < 0:
        raise _bad("negative_volume", key, v)
    if not f.is_integer():
        raise _bad("bad_type", key, v)
    return int(f)


def _amount(c: Mapping[str, Any], key: str) -> float | None:
    f = _num(c, key)
    if f is not None and f < 0:
        raise _bad("negative_volume", key, f)
    return f


def _first(
    c: Mapping[str, Any], conv: Callable[[Mapping[str, Any], str], Any], a: str, b: str
) -> Any:
    v = conv(c, a)
    return conv(c, b) if v is None else v


def _symbol(c: Mapping[str, Any], key: str = "Symbol") -> str:
    v = c.get(key)
    if v is None:
        raise MalformedMessage("missing_symbol", f"no {key}")
    if type(v) is not str:
        raise _bad("bad_type", key, v)
    s = v.strip().upper()
    if not s:
        raise MalformedMessage("missing_symbol", f"empty {key}")
    return s


def decode_payload(payload: str | bytes) -> dict[str, Any]:
    """The content dict of a hub Broadcast argument `{"DataType":..,"Content":"<json>"}`."""
    if not isinstance(payload, (str, bytes, bytearray)):
        raise _bad("bad_type", "payload", payload)
    try:
        outer = _loads(payload)
    except ValueError:
        raise _bad("not_json", "payload", payload) from None
    if type(outer) is not dict:
        raise _bad("bad_type", "payload", outer)
    content = outer.get("Content")
    if content is None and "RType" in outer:
        return outer  # a bare content dict
    if type(content) is str:
        try:
            content = _loads(content)
        except ValueError:
            raise _bad("not_json", "Content", content) from None
    if type(content) is not dict:
        raise _bad("bad_type", "Content", content)
    if "RType" not in content and type(outer.get("DataType")) is str:
        content["RType"] = outer["DataType"]
    return content


def parse_content(
    content: Mapping[str, Any], tracks: Callable[[str], bool]
) -> Message | None:
    """A typed message, or None when its symbol is not tracked; raises MalformedMessage."""
    if not isinstance(content, Mapping):
        raise _bad("bad_type", "content", content)
    rtype = content.get("RType")
    if type(rtype) is not str or rtype not in RTYPES:
        raise _bad("unknown_rtype", "RType", rtype)
    if rtype == "MI":
        index_id = (
            _symbol(content, "IndexId") if "IndexId" in content else _symbol(content)
        )
        return _index(content, index_id) if tracks(index_id) else None
    symbol = _symbol(content)
    if not tracks(symbol):
        return None
    if rtype in TICK_RTYPES:
        return _tick(content, rtype, symbol)
    if rtype == "R":
        return ForeignRoom(
            symbol,
            _first(content, _vol, "FBuyVol", "BuyVol"),
            _first(content, _vol, "FSellVol", "SellVol"),
            _first(content, _amount, "FBuyVal", "BuyVal"),
            _first(content, _amount, "FSellVal", "SellVal"),
            _vol(content, "TotalRoom"),
            _vol(content, "CurrentRoom"),
        )
    return Bar(
        symbol,
        _num(content, "Open"),
        _num(content, "High"),
        _num(content, "Low"),
        _num(content, "Close"),
        _vol(content, "Volume"),
    )


def _tick(c: Mapping[str, Any], rtype: str, symbol: str) -> Tick:
    session = c.get("TradingSession")
    if session is None:
        session = "LO"
    elif type(session) is not str:
        raise _bad("bad_type", "TradingSession", session)
    else:
        session = session.upper()
    price: float | None = None
    volume = 0
    change = ratio = None
    total_vol: int | None = None
    if rtype != "Quote":
        price = _num(c, "LastPrice")
        vol = _vol(c, "LastVol")
        if rtype == "Trade" and (price is None or vol is None):
            raise MalformedMessage(
                "bad_type", f"Trade {symbol} without LastPrice/LastVol"
            )
        volume = vol or 0
        change = _num(c, "Change")
        ratio = _num(c, "RatioChange")
        total_vol = _vol(c, "TotalVol")
    return Tick(
        rtype,
        symbol,
        session,
        price,
        volume,
        change,
        ratio,
        total_vol,
        _num(c, "BidPrice1"),
        _num(c, "AskPrice1"),
        _num(c, "RefPrice"),
        _num(c, "Ceiling"),
        _num(c, "Floor"),
    )


def _index(c: Mapping[str, Any], index_id: str) -> IndexUpdate:
    value = _num(c, "IndexValue")
    if value is None:
        raise MalformedMessage("bad_type", f"MI {index_id} without IndexValue")
    return IndexUpdate(
        index_id,
        value,
        _num(c, "PriorIndexValue"),
        _num(c, "Change"),
        _num(c, "RatioChange"),
        _vol(c, "TotalQtty"),
        _vol(c, "Advances") or 0,
        _vol(c, "Declines") or 0,
        _vol(c, "NoChanges") or 0,
    )
