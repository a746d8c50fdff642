"""Tests of which symbols are tracked."""

from __future__ import annotations

from core_frames import quote, trade

from tracker.core.processor import MarketProcessor
from tracker.core.watchlist import Watchlist, is_futures


def test_watchlist_holds_vn30_indices_and_extras() -> None:
    w = Watchlist(["vnm ", "FPT", "FPT", ""], extra=["ssi"])
    assert w.vn30 == ["VNM", "FPT"]
    assert w.symbols == {"VNM", "FPT", "VN30", "VNINDEX", "SSI"}
    assert (
        w.tracks("VNM") and w.tracks("VN30") and w.tracks("VNINDEX") and w.tracks("SSI")
    )
    assert not w.tracks("XYZ")


def test_futures_are_always_tracked() -> None:
    w = Watchlist([])
    assert w.tracks("VN30F2412") and w.tracks("VN30F1M")
    assert is_futures("VN30F2503") and not is_futures("VN30")


def test_set_vn30_replaces_components_and_keeps_extras() -> None:
    w = Watchlist(["VNM"], extra=["SSI"])
    w.set_vn30(["FPT"])
    assert not w.tracks("VNM")
    assert w.tracks("FPT") and w.tracks("SSI") and w.tracks("VN30")


def test_untracked_symbol_is_ignored_not_rejected(proc: MarketProcessor) -> None:
    result = proc.process_content(trade("XYZ", 10.0, 1000))
    assert result.changed == set() and result.alerts == []
    proc.process_content(trade("VNM", 80.0, 100))
    snap = proc.snapshot()
    assert list(snap["quotes"]) == ["VNM"] and list(snap["prices"]) == ["VNM"]
    assert "XYZ" not in str(snap)
    assert proc.ignored == 1 and sum(proc.rejected.values()) == 0 and proc.received == 2


def test_untracked_symbol_with_bad_fields_is_still_only_ignored(
    proc: MarketProcessor,
) -> None:
    proc.process_content(trade("XYZ", float("inf"), -5))
    assert proc.ignored == 1 and not proc.rejected


def test_processor_set_vn30(proc: MarketProcessor) -> None:
    proc.set_vn30(["XYZ"])
    assert proc.vn30 == ["XYZ"]
    proc.process_content(trade("XYZ", 10.0, 1000))
    proc.process_content(trade("VNM", 80.0, 100))
    assert list(proc.snapshot()["quotes"]) == ["XYZ"]


def test_vn30f_contract_tracked_without_being_listed(proc: MarketProcessor) -> None:
    proc.process_content(quote("VN30F2501", bid1=1250.0, ask1=1250.5))
    proc.process_content(trade("VN30F2501", 1250.5, 7))
    deriv = proc.snapshot()["derivatives"]
    assert deriv is not None and deriv["symbol"] == "VN30F2501" and deriv["volume"] == 7
    assert deriv["bid_price"] == 1250.0 and deriv["ask_price"] == 1250.5
    assert proc.ignored == 0
