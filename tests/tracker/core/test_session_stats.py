"""Tests of trade classification and the per-phase volume accounting."""

from __future__ import annotations

import random

import pytest
from core_frames import VN30, quote, trade

from tracker.core.processor import Channel, MarketProcessor
from tracker.core.session_stats import BUY, NEUTRAL, SELL, classify, phase_of


@pytest.mark.parametrize(
    ("session", "price", "bid1", "ask1", "side"),
    [
        ("LO", 80.5, 80.0, 80.5, BUY),
        ("LO", 81.0, 80.0, 80.5, BUY),
        ("LO", 80.0, 80.0, 80.5, SELL),
        ("LO", 79.5, 80.0, 80.5, SELL),
        ("LO", 80.2, 80.0, 80.5, NEUTRAL),
        ("LO", 80.2, 0.0, 0.0, NEUTRAL),  # no quote yet
        ("LO", 80.2, 0.0, 80.1, BUY),
        ("LO", 80.2, 80.3, 0.0, SELL),
        ("ATO", 80.5, 80.0, 80.5, NEUTRAL),
        ("ATC", 79.5, 80.0, 80.5, NEUTRAL),
        ("BREAK", 80.5, 80.0, 80.5, BUY),
        ("PT", 80.0, 80.0, 80.5, SELL),
    ],
)
def test_classify(
    session: str, price: float, bid1: float, ask1: float, side: str
) -> None:
    assert classify(session, price, bid1, ask1) == side


def test_phase_of() -> None:
    assert [phase_of(s) for s in ("ATO", "LO", "PT", "C", "BREAK", "ATC")] == [
        "ato",
        "continuous",
        "continuous",
        "continuous",
        "continuous",
        "atc",
    ]


def test_volumes_and_values_by_class(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", bid1=80.0, ask1=80.5))
    result = proc.process_content(trade("VNM", 80.5, 1000))
    assert result.changed == {Channel.MARKET}
    proc.process_content(trade("VNM", 80.0, 300))
    proc.process_content(trade("VNM", 80.2, 200))
    s = proc.snapshot()["quotes"]["VNM"]
    assert s["mua_chu_dong_volume"] == 1000 and s["mua_chu_dong_value"] == 80_500_000
    assert s["ban_chu_dong_volume"] == 300 and s["ban_chu_dong_value"] == 24_000_000
    assert s["neutral_volume"] == 200 and s["total_volume"] == 1500
    assert s["last_updated"] == "2026-11-23T10:00:00+07:00"


def test_values_are_whole_vnd_without_float_noise(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", bid1=80.0, ask1=80.45))
    proc.process_content(trade("VNM", 80.45, 3))
    assert proc.snapshot()["quotes"]["VNM"]["mua_chu_dong_value"] == 241_350


def test_trade_before_any_quote_is_neutral(proc: MarketProcessor) -> None:
    proc.process_content(trade("FPT", 120.0, 500))
    s = proc.volume_stats()["stats"][0]
    assert (
        s["mua_chu_dong_volume"],
        s["ban_chu_dong_volume"],
        s["neutral_volume"],
    ) == (0, 0, 500)


def test_phases(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", bid1=80.0, ask1=80.5))
    for session, volume, price in [
        ("ATO", 3000, 80.5),
        ("LO", 1000, 80.5),
        ("LO", 500, 80.0),
        ("ATC", 2000, 80.0),
        ("BREAK", 100, 80.5),
        ("PT", 200, 80.2),
    ]:
        proc.process_content(trade("VNM", price, volume, session=session))
    s = proc.snapshot()["quotes"]["VNM"]
    assert s["ato"] == {
        "mua_chu_dong_volume": 0,
        "ban_chu_dong_volume": 0,
        "neutral_volume": 3000,
        "total_volume": 3000,
    }
    assert s["continuous"] == {
        "mua_chu_dong_volume": 1100,
        "ban_chu_dong_volume": 500,
        "neutral_volume": 200,
        "total_volume": 1800,
    }
    assert s["atc"] == {
        "mua_chu_dong_volume": 0,
        "ban_chu_dong_volume": 0,
        "neutral_volume": 2000,
        "total_volume": 2000,
    }
    assert s["total_volume"] == 6800


def test_symbols_do_not_mix(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", bid1=80.0, ask1=80.5))
    proc.process_content(quote("FPT", bid1=120.0, ask1=120.5))
    proc.process_content(trade("VNM", 80.5, 1000))
    proc.process_content(trade("FPT", 120.0, 300))
    q = proc.snapshot()["quotes"]
    assert (q["VNM"]["mua_chu_dong_volume"], q["VNM"]["ban_chu_dong_volume"]) == (
        1000,
        0,
    )
    assert (q["FPT"]["mua_chu_dong_volume"], q["FPT"]["ban_chu_dong_volume"]) == (
        0,
        300,
    )


def test_zero_volume_x_updates_quote_only(proc: MarketProcessor) -> None:
    result = proc.process_content(
        {
            "RType": "X",
            "Symbol": "VNM",
            "LastPrice": 80.0,
            "LastVol": 0,
            "BidPrice1": 80.0,
        }
    )
    assert result.changed == set() and proc.snapshot()["quotes"] == {}


def test_volume_stats_ranked_by_total_volume(proc: MarketProcessor) -> None:
    proc.process_content(trade("VNM", 80.0, 100))
    proc.process_content(trade("FPT", 120.0, 300))
    proc.process_content(trade("ACB", 25.0, 100))
    assert [s["symbol"] for s in proc.volume_stats()["stats"]] == ["FPT", "ACB", "VNM"]


def test_invariants_over_a_random_stream(proc: MarketProcessor) -> None:
    rng = random.Random(7)
    reported: dict[str, int] = {}
    for _ in range(3000):
        sym = rng.choice(VN30)
        if rng.random() < 0.4:
            proc.process_content(
                quote(
                    sym,
                    bid1=rng.choice([0.0, 20.0, 20.1]),
                    ask1=rng.choice([0.0, 20.2, 20.3]),
                )
            )
        else:
            vol = rng.randint(1, 5000)
            reported[sym] = reported.get(sym, 0) + vol
            proc.process_content(
                trade(
                    sym,
                    rng.choice([19.9, 20.0, 20.1, 20.2, 20.4]),
                    vol,
                    session=rng.choice(["ATO", "LO", "LO", "ATC", "PT"]),
                )
            )
    stats = proc.snapshot()["quotes"]
    assert {s: stats[s]["total_volume"] for s in stats} == reported
    for s in stats.values():
        assert (
            s["mua_chu_dong_volume"] + s["ban_chu_dong_volume"] + s["neutral_volume"]
            == s["total_volume"]
        )
        assert (
            sum(s[p]["total_volume"] for p in ("ato", "continuous", "atc"))
            == s["total_volume"]
        )
        for cls in ("mua_chu_dong_volume", "ban_chu_dong_volume", "neutral_volume"):
            assert sum(s[p][cls] for p in ("ato", "continuous", "atc")) == s[cls]
