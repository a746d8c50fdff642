"""Tests of VN30 futures, the basis and its trend."""

from __future__ import annotations

import pytest
from core_frames import index, quote, trade

from tracker.core.clock import Clock
from tracker.core.derivatives import basis_of
from tracker.core.processor import Channel, MarketProcessor


@pytest.mark.parametrize(
    ("price", "basis", "pct", "premium"),
    [(1255.0, 5.0, 0.4, True), (1237.5, -12.5, -1.0, False), (1250.0, 0.0, 0.0, False)],
)
def test_basis(
    proc: MarketProcessor, price: float, basis: float, pct: float, premium: bool
) -> None:
    proc.process_content(index("VN30", 1250.0, advances=15, declines=15))
    proc.process_content(quote("VN30F2412", bid1=price - 0.5, ask1=price, ref=1240.0))
    result = proc.process_content(trade("VN30F2412", price, 10))
    assert result.changed == {Channel.MARKET}
    d = proc.snapshot()["derivatives"]
    assert d == {
        "symbol": "VN30F2412",
        "last_price": price,
        "change": round(price - 1240.0, 6),
        "change_pct": round((price - 1240.0) / 1240.0 * 100, 6),
        "volume": 10,
        "bid_price": price - 0.5,
        "ask_price": price,
        "basis": basis,
        "basis_pct": pct,
        "is_premium": premium,
        "last_updated": "2026-11-23T10:00:00+07:00",
    }


def test_basis_of_removes_float_noise() -> None:
    assert basis_of(1250.5, 1248.3) == (2.2, round(2.2 / 1248.3 * 100, 6))


def test_futures_do_not_enter_stock_stats(proc: MarketProcessor) -> None:
    proc.process_content(trade("VN30F2412", 1250.0, 10))
    snap = proc.snapshot()
    assert snap["quotes"] == {} and snap["prices"] == {}
    assert (
        snap["derivatives"]["basis"] is None
        and snap["derivatives"]["is_premium"] is False
    )


def test_volume_accumulates_and_total_vol_wins(proc: MarketProcessor) -> None:
    proc.process_content(trade("VN30F2412", 1250.0, 10))
    proc.process_content(trade("VN30F2412", 1250.0, 5))
    assert proc.snapshot()["derivatives"]["volume"] == 15
    proc.process_content(trade("VN30F2412", 1250.0, 5, TotalVol=1000))
    assert proc.snapshot()["derivatives"]["volume"] == 1000


def test_active_contract_is_the_one_with_most_volume(proc: MarketProcessor) -> None:
    proc.process_content(trade("VN30F2412", 1250.0, 10))
    proc.process_content(trade("VN30F2501", 1252.0, 10))
    assert proc.snapshot()["derivatives"]["symbol"] == "VN30F2412"
    proc.process_content(trade("VN30F2501", 1252.0, 1))
    assert proc.snapshot()["derivatives"]["symbol"] == "VN30F2501"


def test_futures_override_is_active_whatever_the_volumes(clock: Clock) -> None:
    proc = MarketProcessor(clock, vn30=["VNM"], futures_override="vn30f2503")
    proc.process_content(index("VN30", 1250.0))
    proc.process_content(trade("VN30F2412", 1255.0, 5000))
    assert proc.snapshot()["derivatives"] is None  # the pinned contract has not traded yet
    proc.process_content(trade("VN30F2503", 1245.0, 1))
    proc.process_content(trade("VN30F2412", 1256.0, 5000))
    board = proc.snapshot()["derivatives"]
    assert (board["symbol"], board["last_price"], board["basis"]) == ("VN30F2503", 1245.0, -5.0)
    assert [p["futures_symbol"] for p in proc.basis_trend(30)] == ["VN30F2503"]


def test_index_update_moves_the_basis(proc: MarketProcessor) -> None:
    proc.process_content(trade("VN30F2412", 1255.0, 10))
    assert proc.snapshot()["derivatives"]["basis"] is None
    result = proc.process_content(index("VN30", 1250.0))
    assert Channel.MARKET in result.changed
    assert proc.snapshot()["derivatives"]["basis"] == 5.0
    proc.process_content(index("VNINDEX", 1300.0))
    assert proc.snapshot()["derivatives"]["basis"] == 5.0


def test_trend_points_from_trades_and_index_updates(
    proc: MarketProcessor, clock: Clock
) -> None:
    proc.process_content(index("VN30", 1250.0))  # no futures yet: no point
    proc.process_content(trade("VN30F2412", 1255.0, 10))
    clock.advance(60)
    proc.process_content(trade("VN30F2412", 1245.0, 5))
    clock.advance(60)
    proc.process_content(index("VN30", 1240.0))
    trend = proc.basis_trend(30)
    assert [p["basis"] for p in trend] == [5.0, -5.0, 5.0]
    assert trend[0] == {
        "timestamp": "2026-11-23T10:00:00+07:00",
        "futures_symbol": "VN30F2412",
        "futures_price": 1255.0,
        "spot_value": 1250.0,
        "basis": 5.0,
        "basis_pct": 0.4,
        "is_premium": True,
    }
    assert [p["spot_value"] for p in trend] == [1250.0, 1250.0, 1240.0]


def test_trend_window(proc: MarketProcessor, clock: Clock) -> None:
    proc.process_content(index("VN30", 1250.0))
    for minute in range(40):
        proc.process_content(trade("VN30F2412", 1251.0 + minute, 1))
        clock.advance(60)
    # now = start + 40 min; points at minutes 0..39
    assert len(proc.basis_trend(30)) == 30
    assert proc.basis_trend(30)[0]["futures_price"] == 1251.0 + 10
    assert len(proc.basis_trend(1)) == 1
    assert len(proc.basis_trend(120)) == 40


def test_snapshot_derivatives_null_until_a_futures_trade(proc: MarketProcessor) -> None:
    proc.process_content(quote("VN30F2412", bid1=1250.0, ask1=1250.5))
    assert proc.snapshot()["derivatives"] is None
    assert proc.basis_trend(30) == []
