"""Throughput and memory of the tracker's processing core on a mixed VN30 stream.

Usage:
    .venv/bin/python bench/core_throughput.py [--messages 200000] [--memory-messages 50000]

Other scripts (the `make bench` report) call `measure_throughput(n)` and `measure_memory(n)`.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.core.clock import Clock
from tracker.core.messages import MalformedMessage
from tracker.core.processor import MarketProcessor

TARGET_MSG_PER_S = 50_000
TARGET_MEMORY_MB = 50.0

VN30 = [
    "ACB",
    "BCM",
    "BID",
    "BVH",
    "CTG",
    "FPT",
    "GAS",
    "GVR",
    "HDB",
    "HPG",
    "MBB",
    "MSN",
    "MWG",
    "PLX",
    "POW",
    "SAB",
    "SHB",
    "SSB",
    "SSI",
    "STB",
    "TCB",
    "TPB",
    "VCB",
    "VHM",
    "VIB",
    "VIC",
    "VJC",
    "VNM",
    "VPB",
    "VRE",
]
FUTURES = "VN30F2412"

# share of each kind of message in the stream (the rest are quotes)
_MIX = (("X", 0.40), ("Trade", 0.10), ("R", 0.10), ("MI", 0.04), ("F", 0.04))


def _content(
    rng: random.Random, refs: dict[str, float], vn30_value: list[float]
) -> dict[str, Any]:
    r = rng.random()
    symbol = rng.choice(VN30)
    ref = refs[symbol]
    price = round(ref * (1 + rng.uniform(-0.072, 0.072)), 1)
    bid = round(price - 0.1, 1)
    for kind, share in _MIX:
        if r < share:
            break
        r -= share
    else:
        kind = "Quote"
    if kind in ("X", "Trade"):
        c: dict[str, Any] = {
            "RType": kind,
            "Symbol": symbol,
            "Exchange": "HOSE",
            "LastPrice": price,
            "LastVol": rng.choice((100, 200, 500, 1000, 2000, 10_000, 100_000)),
            "TotalVol": rng.randint(10_000, 5_000_000),
            "Change": round(price - ref, 2),
            "RatioChange": round((price - ref) / ref * 100, 2),
            "TradingSession": rng.choice(("ATO", "LO", "LO", "LO", "LO", "ATC")),
        }
        if kind == "X":
            c.update(BidPrice1=bid, AskPrice1=price, BidVol1=1000, AskVol1=2000)
        return c
    if kind == "R":
        buy = rng.randint(0, 3_000_000)
        sell = rng.randint(0, 3_000_000)
        return {
            "RType": "R",
            "Symbol": symbol,
            "FBuyVol": buy,
            "FSellVol": sell,
            "FBuyVal": buy * ref * 1000,
            "FSellVal": sell * ref * 1000,
            "TotalRoom": 500_000_000,
            "CurrentRoom": 120_000_000,
        }
    if kind == "MI":
        vn30_value[0] = round(vn30_value[0] + rng.uniform(-1.5, 1.5), 2)
        index_id, value = rng.choice((("VN30", vn30_value[0]), ("VNINDEX", 1270.0)))
        return {
            "RType": "MI",
            "IndexId": index_id,
            "IndexValue": value,
            "PriorIndexValue": 1250.0,
            "TotalQtty": rng.randint(1_000_000, 90_000_000),
            "Advances": rng.randint(0, 30),
            "Declines": rng.randint(0, 30),
            "NoChanges": rng.randint(0, 5),
        }
    if kind == "F":
        fprice = round(vn30_value[0] + rng.uniform(-6, 6), 1)
        return {
            "RType": "X",
            "Symbol": FUTURES,
            "LastPrice": fprice,
            "LastVol": rng.randint(1, 50),
            "TradingSession": "LO",
            "BidPrice1": round(fprice - 0.1, 1),
            "AskPrice1": fprice,
        }
    return {
        "RType": "Quote",
        "Symbol": symbol,
        "BidPrice1": bid,
        "AskPrice1": round(price + 0.1, 1),
        "BidVol1": 1000,
        "AskVol1": 1500,
        "RefPrice": ref,
        "Ceiling": round(ref * 1.07, 1),
        "Floor": round(ref * 0.93, 1),
        "TradingSession": "LO",
    }


def build_stream(n: int, seed: int = 30) -> list[str]:
    """n encoded hub Broadcast arguments of a deterministic mixed VN30 stream."""
    rng = random.Random(seed)
    refs = {s: round(rng.uniform(15.0, 120.0), 1) for s in VN30}
    vn30_value = [1250.0]
    out = []
    for _ in range(n):
        c = _content(rng, refs, vn30_value)
        out.append(json.dumps({"DataType": c["RType"], "Content": json.dumps(c)}))
    return out


def _processor() -> MarketProcessor:
    return MarketProcessor(Clock(), vn30=VN30)


def _run(proc: MarketProcessor, payloads: list[str]) -> int:
    process = proc.process_payload
    alerts = 0
    for p in payloads:
        try:
            alerts += len(process(p).alerts)
        except MalformedMessage:
            pass
    return alerts


@dataclass
class Throughput:
    messages: int
    seconds: float
    alerts: int

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds


def measure_throughput(n: int = 200_000, seed: int = 30, repeat: int = 3) -> Throughput:
    """Best of `repeat` runs of n messages through a fresh processor (system clock)."""
    payloads = build_stream(n, seed)
    best: Throughput | None = None
    for _ in range(repeat):
        proc = _processor()
        gc.collect()
        start = time.perf_counter()
        alerts = _run(proc, payloads)
        elapsed = time.perf_counter() - start
        if best is None or elapsed < best.seconds:
            best = Throughput(n, elapsed, alerts)
    assert best is not None
    return best


def measure_memory(n: int = 50_000, seed: int = 31) -> float:
    """Memory (MB) the processor's state grows by while it processes n messages."""
    payloads = build_stream(n, seed)
    proc = _processor()
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    _run(proc, payloads)
    gc.collect()
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (after - before) / 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--memory-messages", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    t = measure_throughput(args.messages, repeat=args.repeat)
    mem = measure_memory(args.memory_messages)
    ok_t = t.per_second >= TARGET_MSG_PER_S
    ok_m = mem < TARGET_MEMORY_MB
    print(
        f"core throughput: {t.per_second:,.0f} msg/s ({t.messages:,} messages in "
        f"{t.seconds:.2f} s, {t.alerts} alerts)  target >= {TARGET_MSG_PER_S:,} msg/s  "
        f"{'PASS' if ok_t else 'FAIL'}"
    )
    print(
        f"memory growth over {args.memory_messages:,} messages: {mem:.1f} MB  "
        f"target < {TARGET_MEMORY_MB:.0f} MB  {'PASS' if ok_m else 'FAIL'}"
    )
    return 0 if ok_t and ok_m else 1


if __name__ == "__main__":
    raise SystemExit(main())
