"""Tests of the price board."""

from __future__ import annotations

from core_frames import quote, trade

from tracker.core.prices import change_of
from tracker.core.processor import MarketProcessor


def test_change_as_sent_upstream(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", ref=80.0, ceiling=85.6, floor=74.4))
    proc.process_content(trade("VNM", 81.0, 100, Change=1.0, RatioChange=1.25))
    assert proc.snapshot()["prices"]["VNM"] == {
        "last_price": 81.0,
        "change": 1.0,
        "change_pct": 1.25,
        "ref_price": 80.0,
        "ceiling": 85.6,
        "floor": 74.4,
    }


def test_change_computed_from_reference_when_not_sent(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", ref=80.0))
    proc.process_content(trade("VNM", 79.2, 100))
    p = proc.snapshot()["prices"]["VNM"]
    assert (p["change"], p["change_pct"]) == (-0.8, -1.0)


def test_change_of_without_reference() -> None:
    assert change_of(80.0, 0.0, None, None) == (0.0, 0.0)
    assert change_of(80.0, 0.0, 0.5, None) == (0.5, 0.0)


def test_last_trade_wins_and_quote_only_symbols_are_absent(
    proc: MarketProcessor,
) -> None:
    proc.process_content(quote("FPT", ref=120.0))
    proc.process_content(trade("VNM", 80.0, 100))
    proc.process_content(trade("VNM", 80.3, 100))
    prices = proc.snapshot()["prices"]
    assert list(prices) == ["VNM"] and prices["VNM"]["last_price"] == 80.3
    assert prices["VNM"]["ref_price"] == 0.0
