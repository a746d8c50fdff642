"""Delivery stamps: a sentinel trade carries a sequence number and its publish time to every client.

The feeder publishes, through the simulator, a trade of a sentinel symbol (tracked by the
tracker via EXTRA_SYMBOLS) whose `LastPrice` is the sequence number and whose `RatioChange`
is the publish time (epoch seconds). The contract maps them to the snapshot's
`prices[SYMBOL].last_price` and `.change_pct`, so a client can tell, on the message that first
shows a stamp, how long it took from upstream to its socket. Pure Python: no locust import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SYMBOL = "ZZSTAMP"

# VN30 components the market seed gives a price, a quote and a foreign figure, so that the
# snapshot clients receive has its real size (about 30 symbols) rather than one line.
SEED_SYMBOLS = (
    "ACB", "BCM", "BID", "BVH", "CTG", "FPT", "GAS", "GVR", "HDB", "HPG", "MBB", "MSN", "MWG", "PLX", "POW",
    "SAB", "SHB", "SSB", "SSI", "STB", "TCB", "TPB", "VCB", "VHM", "VIB", "VIC", "VJC", "VNM", "VPB", "VRE",
)


def stamp_content(symbol: str, seq: int, published: float) -> dict[str, Any]:
    """The upstream Trade content that carries stamp `seq` published at `published` (epoch s)."""
    return {
        "RType": "Trade",
        "Symbol": symbol,
        "Exchange": "HOSE",
        "LastPrice": float(seq),
        "LastVol": 1,
        "TotalVol": seq,
        "RatioChange": published,
        "TradingSession": "LO",
    }


def seed_contents() -> list[dict[str, Any]]:
    """A quote, a trade and a foreign-room figure per VN30 symbol, plus the two indices."""
    out: list[dict[str, Any]] = []
    for i, symbol in enumerate(SEED_SYMBOLS):
        ref = 20.0 + i * 3
        out.append({"RType": "Quote", "Symbol": symbol, "Exchange": "HOSE", "BidPrice1": ref - 0.1,
                    "AskPrice1": ref + 0.1, "BidVol1": 1000, "AskVol1": 1000, "RefPrice": ref,
                    "Ceiling": round(ref * 1.07, 1), "Floor": round(ref * 0.93, 1), "TradingSession": "LO"})
        out.append({"RType": "Trade", "Symbol": symbol, "Exchange": "HOSE", "LastPrice": ref + 0.1,
                    "LastVol": 1000, "TotalVol": 1000, "TradingSession": "LO"})
        out.append({"RType": "R", "Symbol": symbol, "FBuyVol": 10_000 * (i + 1), "FSellVol": 5_000 * (i + 1),
                    "FBuyVal": 10_000 * (i + 1) * ref * 1000, "FSellVal": 5_000 * (i + 1) * ref * 1000,
                    "TotalRoom": 500_000_000, "CurrentRoom": 120_000_000})
    for index_id, value in (("VN30", 1250.0), ("VNINDEX", 1270.0)):
        out.append({"RType": "MI", "IndexId": index_id, "IndexValue": value, "PriorIndexValue": value - 5,
                    "TotalQtty": 1_000_000, "Advances": 15, "Declines": 10, "NoChanges": 5})
    return out


@dataclass(frozen=True, slots=True)
class Stamp:
    seq: int
    published: float


def stamp_finder(symbol: str) -> re.Pattern[str]:
    """Matches the sentinel's flat Price object (`"SYM": {...}` without nested braces)."""
    return re.compile(r'"' + re.escape(symbol) + r'"\s*:\s*(\{[^{}]*\})')


def find_stamp(text: str, symbol: str, pattern: re.Pattern[str] | None = None) -> Stamp | None:
    """The stamp in a `/ws/market` message, or None (status messages, no sentinel yet).

    A regular expression finds the sentinel's Price object, so the whole snapshot is not
    parsed on every message; the SessionStats object of the same symbol has nested braces and
    never matches.
    """
    if symbol not in text:
        return None
    for match in (pattern or stamp_finder(symbol)).finditer(text):
        try:
            price = json.loads(match.group(1))
        except ValueError:
            continue
        seq, published = price.get("last_price"), price.get("change_pct")
        if isinstance(seq, (int, float)) and isinstance(published, (int, float)) and published > 1e9:
            return Stamp(int(seq), float(published))
    return None


@dataclass(slots=True)
class StampTracker:
    """Per client: which stamps it has seen first, and which it never saw (gaps)."""

    not_before: float = 0.0
    last_seq: int | None = None
    seen: int = 0
    missed: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    def observe(self, stamp: Stamp, received: float) -> tuple[float | None, int]:
        """(latency in ms if this is a new stamp, stamps skipped since the previous one).

        Stamps published before the client was connected (`not_before`) are not latencies.
        """
        if stamp.published < self.not_before:
            return None, 0
        if self.last_seq is not None and stamp.seq <= self.last_seq:
            return None, 0
        gap = 0 if self.last_seq is None else stamp.seq - self.last_seq - 1
        self.last_seq = stamp.seq
        self.seen += 1
        self.missed += gap
        return (received - stamp.published) * 1000.0, gap
