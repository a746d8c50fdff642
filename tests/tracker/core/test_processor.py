"""Tests of the processor's wiring: payload entry, rejection counting, result channels."""

from __future__ import annotations

import json
from typing import Any

import pytest
from core_frames import encode, foreign, index, quote, trade

from tracker.core.processor import (
    Channel,
    MalformedMessage,
    MarketProcessor,
    ProcessResult,
)

DEFECTS: dict[str, tuple[Any, str]] = {
    "not_json": ("{not json", "not_json"),
    "content_not_json": ('{"DataType":"X","Content":"{oops"}', "not_json"),
    "unknown_rtype": (
        encode({**trade("VNM", 80.0, 5), "RType": "Tick"}),
        "unknown_rtype",
    ),
    "missing_symbol": (
        encode({"RType": "Trade", "LastPrice": 80.0, "LastVol": 5}),
        "missing_symbol",
    ),
    "negative_volume": (encode(trade("VNM", 80.0, -5)), "negative_volume"),
    "text_price": (encode(trade("VNM", "eighty", 5)), "bad_type"),  # type: ignore[arg-type]
    "bool_volume": (encode(trade("VNM", 80.0, True)), "bad_type"),
    "infinite_price": (encode(trade("VNM", float("inf"), 5)), "not_finite"),
    "nan_index": (encode(index("VN30", float("nan"))), "not_finite"),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_malformed_frame_is_dropped_counted_and_harmless(
    proc: MarketProcessor, defect: str
) -> None:
    payload, reason = DEFECTS[defect]
    proc.process_payload(encode(quote("VNM", bid1=79.0, ask1=81.0)))
    proc.process_payload(encode(trade("VNM", 80.0, 100)))
    with pytest.raises(MalformedMessage) as info:
        proc.process_payload(payload)
    assert info.value.reason == reason
    proc.process_payload(encode(trade("VNM", 80.0, 200)))
    assert proc.snapshot()["quotes"]["VNM"]["total_volume"] == 300
    assert proc.rejected == {reason: 1}
    assert proc.received == 4


def test_a_half_valid_message_changes_nothing(proc: MarketProcessor) -> None:
    """Validation finishes before any state is touched (quote fields come after the trade)."""
    bad = trade("VNM", 80.0, 100, BidPrice1=80.0, AskPrice1=float("nan"))
    bad["RType"] = "X"
    with pytest.raises(MalformedMessage):
        proc.process_content(bad)
    assert proc.snapshot()["quotes"] == {} and proc.rejected["not_finite"] == 1


def test_process_content_counts_rejections_too(proc: MarketProcessor) -> None:
    with pytest.raises(MalformedMessage):
        proc.process_content(
            {"RType": "Trade", "Symbol": "VNM", "LastPrice": 1.0, "LastVol": -1}
        )
    with pytest.raises(MalformedMessage):
        proc.process_content(["not", "a", "dict"])  # type: ignore[arg-type]
    assert proc.rejected == {"negative_volume": 1, "bad_type": 1} and proc.received == 2


def test_payload_with_decoded_content(proc: MarketProcessor) -> None:
    payload = json.dumps({"DataType": "X", "Content": trade("VNM", 80.0, 100)})
    assert proc.process_payload(payload).changed == {Channel.MARKET}
    assert proc.process_payload(payload.encode()).changed == {Channel.MARKET}
    assert proc.snapshot()["quotes"]["VNM"]["total_volume"] == 200


def test_result_channels(proc: MarketProcessor) -> None:
    assert proc.process_payload(encode(trade("VNM", 80.0, 1))).changed == {
        Channel.MARKET
    }
    assert proc.process_payload(encode(foreign("VNM", 1))).changed == {
        Channel.FOREIGN,
        Channel.MARKET,
    }
    assert proc.process_payload(encode(index("VN30", 1.0))).changed == {
        Channel.INDEX,
        Channel.MARKET,
    }
    bar = {"RType": "B", "Symbol": "VNM", "Close": 80.0, "Volume": 100}
    assert proc.process_payload(encode(bar)) == ProcessResult(set(), [])
    assert str(Channel.MARKET) == "market" and Channel("foreign") is Channel.FOREIGN


def test_snapshot_shape(proc: MarketProcessor) -> None:
    proc.process_content(
        quote("VNM", bid1=80.0, ask1=80.5, ref=80.0, ceiling=85.6, floor=74.4)
    )
    proc.process_content(trade("VNM", 80.5, 100))
    proc.process_content(foreign("VNM", 10, 5, 800_000.0, 400_000.0))
    proc.process_content(index("VN30", 1250.0))
    proc.process_content(trade("VN30F2412", 1255.0, 3))
    snap = proc.snapshot()
    assert set(snap) == {"quotes", "prices", "indices", "foreign", "derivatives"}
    assert set(snap["quotes"]["VNM"]) == {
        "symbol",
        "mua_chu_dong_volume",
        "mua_chu_dong_value",
        "ban_chu_dong_volume",
        "ban_chu_dong_value",
        "neutral_volume",
        "total_volume",
        "last_updated",
        "ato",
        "continuous",
        "atc",
    }
    assert set(snap["prices"]["VNM"]) == {
        "last_price",
        "change",
        "change_pct",
        "ref_price",
        "ceiling",
        "floor",
    }
    assert set(snap["indices"]["VN30"]) == {
        "index_id",
        "value",
        "prior_value",
        "change",
        "ratio_change",
        "total_volume",
        "advances",
        "declines",
        "no_changes",
        "intraday",
        "last_updated",
        "advance_ratio",
    }
    assert set(snap["foreign"]) == {
        "total_buy_value",
        "total_sell_value",
        "total_net_value",
        "total_buy_volume",
        "total_sell_volume",
        "total_net_volume",
        "top_buy",
        "top_sell",
    }
    assert set(snap["derivatives"]) == {
        "symbol",
        "last_price",
        "change",
        "change_pct",
        "volume",
        "bid_price",
        "ask_price",
        "basis",
        "basis_pct",
        "is_premium",
        "last_updated",
    }
    json.dumps(snap, allow_nan=False)
    json.dumps(proc.foreign_detail(), allow_nan=False)
    json.dumps(proc.basis_trend(30), allow_nan=False)


def test_views_do_not_share_state(proc: MarketProcessor) -> None:
    proc.process_content(index("VN30", 1250.0))
    proc.indices()["VN30"]["intraday"].clear()
    assert len(proc.indices()["VN30"]["intraday"]) == 1
