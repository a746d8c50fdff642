"""support/shapes.py: the contract's shapes accept what the reference tracker answers and name what a tracker got wrong."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from support import shapes
from tracker.core.clock import Clock
from tracker.core.processor import MarketProcessor

VN30 = ["FPT", "VNM"]


def _processor() -> MarketProcessor:
    """A processor that has seen a bit of everything: a quote, trades, foreign figures, indices, futures, an alert."""
    processor = MarketProcessor(Clock(), vn30=VN30)
    for content in (
        {"RType": "Quote", "Symbol": "VNM", "BidPrice1": 80.0, "AskPrice1": 80.5, "RefPrice": 80.0,
         "Ceiling": 85.6, "Floor": 74.4},
        {"RType": "Trade", "Symbol": "VNM", "LastPrice": 85.6, "LastVol": 1000, "TradingSession": "LO"},
        {"RType": "R", "Symbol": "FPT", "FBuyVol": 10_000, "FSellVol": 4000, "FBuyVal": 1.2e9, "FSellVal": 4.8e8},
        {"RType": "MI", "IndexId": "VN30", "IndexValue": 1250.0, "PriorIndexValue": 1240.0, "Advances": 16},
        {"RType": "Trade", "Symbol": "VN30F2412", "LastPrice": 1255.0, "LastVol": 10},
    ):
        processor.process_content(content)
    return processor


@pytest.fixture
def answers() -> dict[str, Any]:
    processor = _processor()
    return {"the market snapshot": processor.snapshot(), "foreign detail": processor.foreign_detail(),
            "volume stats": processor.volume_stats(), "basis trend": processor.basis_trend(30),
            "alerts": processor.alerts(), "VN30 components": {"symbols": VN30}, "the health check": {"status": "ok"}}


def test_the_reference_trackers_answers_and_messages_have_the_shapes(answers: dict[str, Any]) -> None:
    for answer, value in answers.items():
        shapes.check(answer, value)
    processor = _processor()
    shapes.check_message("market", processor.snapshot())
    shapes.check_message("foreign", processor.foreign_summary())
    shapes.check_message("index", processor.indices())
    shapes.check_message("alerts", processor.alerts()[0])
    shapes.check_message("index", {"type": "status", "connected": False})


def test_extra_keys_are_allowed_and_an_unknown_basis_is_null(answers: dict[str, Any]) -> None:
    snapshot = copy.deepcopy(answers["the market snapshot"])
    snapshot["quotes"]["VNM"]["vwap"] = 81.2
    snapshot["derivatives"].update(basis=None, basis_pct=None)
    shapes.check("the market snapshot", snapshot)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Any], None]:
    def change(body: Any) -> None:
        for key in path[:-1]:
            body = body[key]
        body[path[-1]] = value
    return change


def _drop(path: tuple[Any, ...]) -> Callable[[Any], None]:
    def change(body: Any) -> None:
        for key in path[:-1]:
            body = body[key]
        del body[path[-1]]
    return change


@pytest.mark.parametrize(("answer", "change", "named"), [
    ("the market snapshot", _set(("quotes", "VNM", "total_volume"), "1000"), "quotes.VNM.total_volume: Input should be"),
    ("the market snapshot", _set(("quotes", "VNM", "total_volume"), 10.5), "quotes.VNM.total_volume: a volume is a whole"),
    ("the market snapshot", _drop(("quotes", "VNM", "ato", "neutral_volume")), "quotes.VNM.ato.neutral_volume: missing"),
    ("the market snapshot", _drop(("foreign",)), "foreign: missing"),
    ("the market snapshot", _set(("prices", "VNM", "ceiling"), True), "prices.VNM.ceiling: Input should be a valid number"),
    ("the market snapshot", _set(("indices", "VN30", "intraday", 0, "timestamp"), "10am"), "indices.VN30.intraday[0].timestamp"),
    ("the market snapshot", _set(("quotes", "FPT"), None), "quotes.FPT: Input should be"),
    ("foreign detail", _set(("stocks", 0, "buy_volume"), -1), "stocks[0].buy_volume: a volume of shares"),
    ("alerts", _set((0, "severity"), "urgent"), "[0].severity: Input should be 'info', 'warning' or 'critical'"),
    ("basis trend", _set((0, "is_premium"), "yes"), "[0].is_premium: Input should be a valid boolean"),
])
def test_a_wrong_answer_fails_naming_the_field(answers: dict[str, Any], answer: str,
                                               change: Callable[[Any], None], named: str) -> None:
    body = copy.deepcopy(answers[answer])
    change(body)
    with pytest.raises(AssertionError, match="does not have the contract's shape") as failure:
        shapes.check(answer, body)
    assert named in str(failure.value)


def test_entries_keyed_by_another_symbol_are_refused(answers: dict[str, Any]) -> None:
    snapshot = copy.deepcopy(answers["the market snapshot"])
    snapshot["quotes"] = {"FPT": snapshot["quotes"]["VNM"]}
    with pytest.raises(AssertionError, match="quotes must be keyed by their symbol"):
        shapes.check("the market snapshot", snapshot)
