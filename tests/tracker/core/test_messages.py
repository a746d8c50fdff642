"""Tests of parsing and validation of upstream messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from core_frames import encode, foreign, index, quote, trade

from tracker.core.messages import (
    REASONS,
    Bar,
    ForeignRoom,
    IndexUpdate,
    MalformedMessage,
    Tick,
    decode_payload,
    parse_content,
)


def _all(_: str) -> bool:
    return True


def _parse(content: dict[str, Any]) -> Any:
    return parse_content(content, _all)


def _reason(content: Any) -> str:
    with pytest.raises(MalformedMessage) as info:
        _parse(content)
    assert info.value.reason in REASONS
    return info.value.reason


def test_decode_payload_with_json_string_content() -> None:
    c = trade("VNM", 80.5, 100)
    assert decode_payload(encode(c)) == c


def test_decode_payload_with_content_already_a_dict() -> None:
    c = trade("VNM", 80.5, 100)
    assert decode_payload(json.dumps({"DataType": "X", "Content": c})) == c


def test_decode_payload_takes_rtype_from_datatype_when_missing() -> None:
    content = json.dumps({"Symbol": "VNM", "BidPrice1": 80.0})
    decoded = decode_payload(json.dumps({"DataType": "Quote", "Content": content}))
    assert decoded["RType"] == "Quote"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("not json at all", "not_json"),
        ('{"DataType":"X","Content":"{broken"}', "not_json"),
        ('["a list"]', "bad_type"),
        ('{"DataType":"X","Content":42}', "bad_type"),
        ('{"DataType":"X"}', "bad_type"),
    ],
)
def test_decode_payload_rejects(payload: str, reason: str) -> None:
    with pytest.raises(MalformedMessage) as info:
        decode_payload(payload)
    assert info.value.reason == reason


def test_trade_is_parsed_into_a_tick() -> None:
    t = _parse(trade("vnm", 80.5, 100, session="ato", Change=0.5, RatioChange=0.63))
    assert isinstance(t, Tick)
    assert (t.symbol, t.price, t.volume, t.session) == ("VNM", 80.5, 100, "ATO")
    assert (t.change, t.ratio_change) == (0.5, 0.63)
    assert t.is_trade and t.bid1 is None


def test_x_message_carries_trade_and_quote() -> None:
    c = trade(
        "VNM", 80.5, 100, BidPrice1=80.4, AskPrice1=80.5, Ceiling=85.6, Floor=74.4
    )
    c["RType"] = "X"
    t = _parse(c)
    assert t.is_trade and (t.price, t.volume) == (80.5, 100)
    assert (t.bid1, t.ask1, t.ceiling, t.floor) == (80.4, 80.5, 85.6, 74.4)


def test_x_message_without_volume_is_a_quote_only() -> None:
    t = _parse({"RType": "X", "Symbol": "VNM", "BidPrice1": 80.4, "LastVol": 0})
    assert not t.is_trade and t.bid1 == 80.4


def test_quote_ignores_trade_fields() -> None:
    t = _parse(quote("VNM", bid1=80.0, ask1=80.5, LastPrice=80.5, LastVol=100))
    assert not t.is_trade and t.volume == 0 and (t.bid1, t.ask1) == (80.0, 80.5)


def test_session_defaults_to_continuous() -> None:
    c = trade("VNM", 80.0, 1)
    del c["TradingSession"]
    assert _parse(c).session == "LO"


def test_numeric_strings_are_accepted() -> None:
    t = _parse(trade("VNM", "80.5", "100"))  # type: ignore[arg-type]
    assert (t.price, t.volume) == (80.5, 100)


def test_foreign_room_accepts_synonyms() -> None:
    r = _parse(
        {
            "RType": "R",
            "Symbol": "FPT",
            "BuyVol": 10,
            "SellVol": 4,
            "BuyVal": 1.2e6,
            "SellVal": 4.8e5,
        }
    )
    assert isinstance(r, ForeignRoom)
    assert (r.buy_vol, r.sell_vol, r.buy_val, r.sell_val) == (10, 4, 1.2e6, 4.8e5)
    r2 = _parse(foreign("FPT", 7, 3, 1.0, 2.0, TotalRoom=100, CurrentRoom=40))
    assert (r2.buy_vol, r2.sell_vol, r2.total_room, r2.current_room) == (7, 3, 100, 40)


def test_index_update() -> None:
    m = _parse(
        index("VN30", 1250.5, prior=1240.0, advances=18, declines=6, TotalQtty=9)
    )
    assert isinstance(m, IndexUpdate)
    assert (m.index_id, m.value, m.prior_value, m.advances, m.declines) == (
        "VN30",
        1250.5,
        1240.0,
        18,
        6,
    )
    assert m.total_volume == 9


def test_bar_is_validated() -> None:
    b = _parse(
        {"RType": "B", "Symbol": "VNM", "Open": 80, "Close": 81.0, "Volume": 500}
    )
    assert isinstance(b, Bar) and b.close == 81.0 and b.volume == 500
    assert _reason({"RType": "B", "Symbol": "VNM", "Volume": -1}) == "negative_volume"


def test_untracked_symbol_gives_none() -> None:
    assert parse_content(trade("XYZ", 1.0, 1), lambda s: False) is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ({"RType": "Tick", "Symbol": "VNM"}, "unknown_rtype"),
        ({"Symbol": "VNM"}, "unknown_rtype"),
        ({"RType": 5, "Symbol": "VNM"}, "unknown_rtype"),
        ({"RType": "Trade", "LastPrice": 80.0, "LastVol": 1}, "missing_symbol"),
        (
            {"RType": "Trade", "Symbol": "  ", "LastPrice": 80.0, "LastVol": 1},
            "missing_symbol",
        ),
        ({"RType": "MI", "IndexValue": 1.0}, "missing_symbol"),
        ({"RType": "Trade", "Symbol": 42, "LastPrice": 80.0, "LastVol": 1}, "bad_type"),
        (trade("VNM", "eighty", 100), "bad_type"),  # type: ignore[arg-type]
        (trade("VNM", True, 100), "bad_type"),
        (trade("VNM", 80.0, True), "bad_type"),
        (trade("VNM", [80.0], 100), "bad_type"),  # type: ignore[arg-type]
        (trade("VNM", 80.0, 100.5), "bad_type"),  # type: ignore[arg-type]
        ({"RType": "Trade", "Symbol": "VNM", "LastVol": 1}, "bad_type"),
        ({"RType": "MI", "IndexId": "VN30"}, "bad_type"),
        (trade("VNM", 80.0, 100, session=7), "bad_type"),  # type: ignore[arg-type]
        (trade("VNM", 80.0, -100), "negative_volume"),
        (trade("VNM", 80.0, "-100"), "negative_volume"),  # type: ignore[arg-type]
        (foreign("FPT", -1), "negative_volume"),
        (foreign("FPT", 1, buy_val=-5.0), "negative_volume"),
        (trade("VNM", float("nan"), 100), "not_finite"),
        (trade("VNM", float("inf"), 100), "not_finite"),
        (trade("VNM", "-Infinity", 100), "not_finite"),  # type: ignore[arg-type]
        (trade("VNM", 80.0, float("inf")), "not_finite"),  # type: ignore[arg-type]
        (quote("VNM", bid1=float("nan")), "not_finite"),
        (index("VN30", float("inf")), "not_finite"),
    ],
)
def test_malformed_content(content: dict[str, Any], reason: str) -> None:
    assert _reason(content) == reason


def test_nan_in_json_text_is_not_finite() -> None:
    payload = json.dumps(
        {
            "DataType": "X",
            "Content": '{"RType":"Trade","Symbol":"VNM","LastPrice":NaN,"LastVol":1}',
        }
    )
    with pytest.raises(MalformedMessage) as info:
        _parse(decode_payload(payload))
    assert info.value.reason == "not_finite"
    assert "LastPrice" in str(info.value)
