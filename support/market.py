"""Upstream content built from step parameters (with ssi_simulator.frames), and the quotes a scenario set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ssi_simulator import frames
from ssi_simulator.market_script import build_session
from ssi_simulator.signalr_wire import BROADCAST_METHOD, HUB

Content = dict[str, Any]


def trade(symbol: str, volume: int, price: float, *, session: str = "LO",
          change: float | None = None, change_pct: float | None = None) -> Content:
    """One trade; `change`/`change_pct` become the exchange's Change and RatioChange."""
    extra: dict[str, Any] = {}
    if change is not None:
        extra["Change"] = change
    if change_pct is not None:
        extra["RatioChange"] = change_pct
    return dict(frames.trade(symbol, price, volume, session=session, **extra))


def foreign_totals(symbol: str, *, buy_vol: int, buy_val: float, sell_vol: int = 0, sell_val: float = 0.0) -> Content:
    """Foreign investors' figures for `symbol`, cumulative since the open (an R message)."""
    return dict(frames.foreign(symbol, buy_vol=buy_vol, sell_vol=sell_vol, buy_val=buy_val, sell_val=sell_val))


def foreign_sales(symbol: str, *, sell_vol: int, sell_val: float) -> Content:
    """An R message that names only the selling figures (no FBuyVol, no FBuyVal): nothing about buying."""
    content = foreign_totals(symbol, buy_vol=0, buy_val=0.0, sell_vol=sell_vol, sell_val=sell_val)
    del content["FBuyVol"], content["FBuyVal"]
    return content


# [foreign-delta]: R also names its figures without the F prefix
UNPREFIXED = {"FBuyVol": "BuyVol", "FSellVol": "SellVol", "FBuyVal": "BuyVal", "FSellVal": "SellVal"}


def unprefixed(content: Content) -> Content:
    """The same R message with its figures under their other names (BuyVol, SellVol, BuyVal, SellVal)."""
    return {UNPREFIXED.get(key, key): value for key, value in content.items()}


def prefixed(content: Content) -> Content:
    """An R message with its figures under the F names, whichever names it came with."""
    named = dict(content)
    for name, other in UNPREFIXED.items():
        if name not in named and other in named:
            named[name] = named.pop(other)
    return named


def latest_foreign(published: list[Any], symbol: str) -> Content | None:
    """The last foreign figures (R) the exchange reported for `symbol` in this scenario, if any, under the F names."""
    for item in reversed(published):
        if isinstance(item, dict) and item.get("RType") == "R" and item.get("Symbol") == symbol:
            return prefixed(item)
    return None


def scripted_session(seed: int) -> list[Content]:
    """A whole VN30 session (ATO, continuous, ATC, foreign flow, indices, a futures contract), in order."""
    return [dict(content) for content in build_session(seed)]


def index_tick(index_id: str, value: float, *, advances: int = 0, declines: int = 0, no_changes: int = 0,
               prior: float | None = None) -> Content:
    """An index tick (MI); with `prior`, the previous close and the exchange's Change and RatioChange from it."""
    return dict(frames.index(index_id, value, advances=advances, declines=declines, no_changes=no_changes,
                             prior=prior))


@dataclass
class Book:
    """The latest quote the exchange reported for each symbol in this scenario, field by field."""

    _quotes: dict[str, dict[str, float]] = field(default_factory=dict)

    def quote(self, symbol: str, **fields: float) -> Content:
        """A quote carrying `fields` (bid, ask, ref, ceiling, floor) and what earlier quotes set."""
        known = self._quotes.setdefault(symbol, {})
        known.update(fields)
        return dict(frames.quote(symbol, bid1=known.get("bid", 0.0), ask1=known.get("ask", 0.0),
                                 ref=known.get("ref"), ceiling=known.get("ceiling"), floor=known.get("floor")))

    def trade_quote(self, symbol: str, volume: int, price: float, **fields: float) -> Content:
        """A trade and a quote in one message (RType X): the quote carries `fields` and what earlier quotes set."""
        known = self._quotes.setdefault(symbol, {})
        known.update(fields)
        return dict(frames.trade_quote(symbol, price, volume, bid1=known.get("bid", 0.0), ask1=known.get("ask", 0.0),
                                       ref=known.get("ref"), ceiling=known.get("ceiling"), floor=known.get("floor")))

    def has_quote(self, symbol: str) -> bool:
        return symbol in self._quotes

    def calm_price(self, symbol: str, default: float = 80.0) -> float:
        """A price that cannot break out: the reference price, else mid-band, else `default` (no band known)."""
        known = self._quotes.get(symbol, {})
        if "ref" in known:
            return known["ref"]
        if "ceiling" in known and "floor" in known:
            return round((known["ceiling"] + known["floor"]) / 2, 2)
        return default


def _without(content: Content, key: str) -> Content:
    return {k: v for k, v in content.items() if k != key}


def _encoded(change: Callable[[Content], Content]) -> Callable[[str], str]:
    return lambda symbol: frames.encode_broadcast(change(trade(symbol, 100, 80.0)))


def bar(symbol: str) -> Content:
    """A well-formed one-minute bar (RType B) of `symbol`: read like any frame, shown on no board."""
    return dict(frames.bar(symbol, open=80.0, high=80.5, low=79.5, close=80.0, volume=1_000))


# A malformed frame per defect, as the raw hub argument (the simulator relays it as is).
DEFECTS: dict[str, Callable[[str], str]] = {
    "text that is not JSON": lambda symbol: f"{symbol} traded 100 at 80.0 <- not JSON",
    "an unknown message type": _encoded(lambda c: {**c, "RType": "ZZ"}),
    "no symbol": _encoded(lambda c: _without(c, "Symbol")),
    "a negative volume": _encoded(lambda c: {**c, "LastVol": -1}),  # one share below zero
    "a price that is text": _encoded(lambda c: {**c, "LastPrice": "eighty"}),
    "an infinite price": _encoded(lambda c: {**c, "LastPrice": float("inf")}),
    "a bar whose high is text": lambda symbol: frames.encode_broadcast(
        {**frames.bar(symbol, open=80.0, high=80.5, low=79.5, close=80.0, volume=1_000), "High": "eighty"}),
}


def signalr_frame(messages: list[Any]) -> dict[str, Any]:
    """A whole SignalR frame holding `messages` as they are: a content dict becomes a Broadcast call of the hub,
    anything else stays in the list untouched (to send what the official client would never build)."""
    def message(item: Any) -> Any:
        if isinstance(item, dict) and "RType" in item:
            return {"H": HUB, "M": BROADCAST_METHOD, "A": [frames.encode_broadcast(item)]}
        return item
    return {"C": "d-suite,1", "M": [message(item) for item in messages]}


def malformed(defect: str, symbol: str = "VNM") -> str:
    """The raw hub argument of a frame with `defect` (one of DEFECTS)."""
    try:
        return DEFECTS[defect](symbol)
    except KeyError:
        raise KeyError(f"no malformed frame for {defect!r}: known defects are {', '.join(DEFECTS)}") from None



def traded_volume(published: list[Any], symbol: str) -> int:
    """Shares of `symbol` in the trades the exchange reported in this scenario."""
    return sum(int(item.get("LastVol", 0)) for item in published
               if isinstance(item, dict) and item.get("RType") in ("Trade", "X") and item.get("Symbol") == symbol)
