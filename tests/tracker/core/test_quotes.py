"""Tests of the quote cache."""

from __future__ import annotations

from typing import Any

from core_frames import quote, trade

from tracker.core.messages import Tick, parse_content
from tracker.core.processor import MarketProcessor
from tracker.core.quotes import QuoteBook


def _tick(content: dict[str, Any]) -> Tick:
    msg = parse_content(content, lambda s: True)
    assert isinstance(msg, Tick)
    return msg


def test_fields_merge_and_report_change() -> None:
    book = QuoteBook()
    q, changed = book.update(_tick(quote("VNM", bid1=80.0, ask1=80.5, ref=80.0)))
    assert changed and (q.bid1, q.ask1, q.ref, q.ceiling) == (80.0, 80.5, 80.0, 0.0)
    q, changed = book.update(_tick(quote("VNM", ceiling=85.6, floor=74.4)))
    assert changed and (q.bid1, q.ceiling, q.floor) == (80.0, 85.6, 74.4)
    _, changed = book.update(_tick(quote("VNM", bid1=80.0)))
    assert not changed
    assert book.get("FPT") is None and len(book) == 1


def test_latest_quote_drives_classification(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", bid1=80.0, ask1=80.5))
    proc.process_content(quote("VNM", bid1=80.5, ask1=80.6))
    proc.process_content(trade("VNM", 80.5, 100))
    assert proc.snapshot()["quotes"]["VNM"]["ban_chu_dong_volume"] == 100


def test_x_message_quote_applies_before_its_trade(proc: MarketProcessor) -> None:
    proc.process_content(quote("VNM", bid1=80.0, ask1=80.5))
    c = trade(
        "VNM",
        80.7,
        100,
        BidPrice1=80.6,
        AskPrice1=80.7,
        Ceiling=85.6,
        Floor=74.4,
        RefPrice=80.0,
    )
    c["RType"] = "X"
    proc.process_content(c)
    snap = proc.snapshot()
    assert snap["quotes"]["VNM"]["mua_chu_dong_volume"] == 100
    assert (
        snap["prices"]["VNM"]["ceiling"] == 85.6
        and snap["prices"]["VNM"]["ref_price"] == 80.0
    )


def test_quote_change_on_a_priced_symbol_changes_market(proc: MarketProcessor) -> None:
    assert proc.process_content(quote("VNM", ceiling=85.6)).changed == set()
    proc.process_content(trade("VNM", 80.0, 100))
    assert proc.process_content(quote("VNM", ceiling=85.7)).changed == {"market"}
    assert proc.process_content(quote("VNM", ceiling=85.7)).changed == set()
