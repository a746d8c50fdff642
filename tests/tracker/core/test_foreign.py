"""Tests of foreign flow: deltas, speed, acceleration, summary and reseeding."""

from __future__ import annotations

from typing import Any

from core_frames import foreign

from tracker.core.clock import Clock
from tracker.core.processor import Channel, MarketProcessor


def _fpt(proc: MarketProcessor) -> dict[str, Any]:
    return next(s for s in proc.foreign_detail()["stocks"] if s["symbol"] == "FPT")


def test_net_figures_and_channels(proc: MarketProcessor) -> None:
    result = proc.process_content(
        foreign(
            "FPT", 10_000, 4_000, 1_200_000_000, 480_000_000, TotalRoom=9, CurrentRoom=3
        )
    )
    assert result.changed == {Channel.FOREIGN, Channel.MARKET}
    f = _fpt(proc)
    assert (f["buy_volume"], f["sell_volume"], f["net_volume"]) == (
        10_000,
        4_000,
        6_000,
    )
    assert (f["buy_value"], f["sell_value"], f["net_value"]) == (1.2e9, 4.8e8, 7.2e8)
    assert (f["total_room"], f["current_room"]) == (9, 3)
    assert f["last_updated"] == "2026-11-23T10:00:00+07:00"


def test_first_message_counts_in_full(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 10_000, 500))
    f = _fpt(proc)
    assert f["buy_speed_per_min"] == 2_000 and f["sell_speed_per_min"] == 100
    assert f["buy_acceleration"] == 2_000


def test_later_message_adds_only_the_delta(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 10_000))
    proc.process_content(foreign("FPT", 15_000))
    f = _fpt(proc)
    assert f["buy_speed_per_min"] == 3_000 and f["buy_acceleration"] == 1_000


def test_a_drop_counts_zero(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 10_000))
    proc.process_content(foreign("FPT", 8_000))
    f = _fpt(proc)
    assert f["buy_speed_per_min"] == 2_000 and f["buy_acceleration"] == 0
    assert f["buy_volume"] == 8_000  # the view shows the exchange's cumulative figure
    proc.process_content(foreign("FPT", 9_000))  # counted from the dropped figure on
    assert _fpt(proc)["buy_speed_per_min"] == 2_200


def test_speed_window_and_slowdown(proc: MarketProcessor, clock: Clock) -> None:
    proc.process_content(foreign("FPT", 5_000))
    clock.advance(120)
    proc.process_content(foreign("FPT", 15_000))
    assert _fpt(proc)["buy_speed_per_min"] == 3_000
    clock.advance(240)
    proc.process_content(foreign("FPT", 15_000))
    f = _fpt(proc)
    assert f["buy_speed_per_min"] == 2_000 and f["buy_acceleration"] == -1_000


def test_speed_decays_in_views_without_updates(
    proc: MarketProcessor, clock: Clock
) -> None:
    proc.process_content(foreign("FPT", 5_000))
    clock.advance(299)
    assert _fpt(proc)["buy_speed_per_min"] == 1_000
    clock.advance(1)
    assert _fpt(proc)["buy_speed_per_min"] == 0


def test_reseed_prevents_a_false_spike(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 10_000))
    used = proc.reseed_foreign(
        [
            {
                "Symbol": "FPT",
                "FBuyVol": 50_000,
                "FSellVol": 0,
                "FBuyVal": 1.0,
                "FSellVal": 0.0,
            },
            {"Symbol": "XYZ", "FBuyVol": 1, "FSellVol": 1},
            {"Symbol": "VNM"},  # no figures: skipped
            "junk",  # type: ignore[list-item]
        ]
    )
    assert used == 1
    proc.process_content(foreign("FPT", 51_000))
    assert _fpt(proc)["buy_speed_per_min"] == 2_200


def test_reseed_before_the_first_message(proc: MarketProcessor) -> None:
    proc.reseed_foreign([{"Symbol": "VNM", "FBuyVol": "7000", "FSellVol": 100}])
    assert proc.snapshot()["foreign"] is None
    proc.process_content(foreign("VNM", 7_500, 100))
    f = proc.foreign_detail()["stocks"][0]
    assert f["buy_speed_per_min"] == 100 and f["sell_speed_per_min"] == 0
    assert f["buy_volume"] == 7_500


def test_missing_figure_keeps_the_previous_one(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 10_000, 2_000, 5.0, 1.0))
    proc.process_content({"RType": "R", "Symbol": "FPT", "FSellVol": 3_000})
    f = _fpt(proc)
    assert (f["buy_volume"], f["sell_volume"], f["buy_value"], f["sell_value"]) == (
        10_000,
        3_000,
        5.0,
        1.0,
    )
    assert f["buy_speed_per_min"] == 2_000 and f["sell_speed_per_min"] == 600


def test_summary_totals(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 10_000, 4_000, 1_200_000_000, 480_000_000))
    proc.process_content(foreign("VNM", 2_000, 7_000, 160_000_000, 560_000_000))
    proc.process_content(foreign("HPG", 5_000, 0, 150_000_000, 0))
    s = proc.foreign_summary()
    assert (s["total_buy_volume"], s["total_buy_value"]) == (17_000, 1_510_000_000)
    assert (s["total_sell_volume"], s["total_sell_value"]) == (11_000, 1_040_000_000)
    assert (s["total_net_volume"], s["total_net_value"]) == (6_000, 470_000_000)
    assert proc.snapshot()["foreign"] == s


def test_top_five_each_way(proc: MarketProcessor) -> None:
    rows = [
        ("ACB", 7e8, 0),
        ("BID", 6e8, 0),
        ("CTG", 5e8, 0),
        ("FPT", 4e8, 0),
        ("GAS", 3e8, 0),
        ("HPG", 2e8, 0),
        ("MBB", 0, 9e8),
        ("MSN", 0, 8e8),
    ]
    for sym, bought, sold in reversed(rows):
        proc.process_content(foreign(sym, 100, 100, bought, sold))
    s = proc.foreign_summary()
    assert [f["symbol"] for f in s["top_buy"]] == ["ACB", "BID", "CTG", "FPT", "GAS"]
    assert [f["symbol"] for f in s["top_sell"]] == ["MBB", "MSN", "HPG", "GAS", "FPT"]
    assert [f["symbol"] for f in proc.foreign_detail()["stocks"]] == sorted(
        r[0] for r in rows
    )


def test_empty_summary_and_null_snapshot(proc: MarketProcessor) -> None:
    assert proc.snapshot()["foreign"] is None
    assert proc.foreign_summary() == {
        "total_buy_value": 0,
        "total_sell_value": 0,
        "total_net_value": 0,
        "total_buy_volume": 0,
        "total_sell_volume": 0,
        "total_net_volume": 0,
        "top_buy": [],
        "top_sell": [],
    }
    assert proc.foreign_detail()["stocks"] == []


def test_foreign_shape(proc: MarketProcessor) -> None:
    proc.process_content(foreign("FPT", 1, 1))
    assert set(_fpt(proc)) == {
        "symbol",
        "buy_volume",
        "sell_volume",
        "net_volume",
        "buy_value",
        "sell_value",
        "net_value",
        "total_room",
        "current_room",
        "buy_speed_per_min",
        "sell_speed_per_min",
        "buy_acceleration",
        "sell_acceleration",
        "last_updated",
    }
