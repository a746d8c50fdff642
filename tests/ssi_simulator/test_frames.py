"""Frame builders and channel routing."""

from __future__ import annotations

import json

import pytest

from ssi_simulator import frames
from ssi_simulator.channels import ChannelError, parse_channels, route_of
from ssi_simulator.vn30 import DEFAULT_VN30, isin_of


def test_trade_carries_the_contract_fields() -> None:
    content = frames.trade("VNM", 80.5, 1000, ref=80.0, TotalVol=5000, time="10:01:02", trading_date="02/12/2024")
    assert content == {
        "RType": "Trade", "Symbol": "VNM", "Exchange": "HOSE", "TradingDate": "02/12/2024", "Time": "10:01:02",
        "LastPrice": 80.5, "LastVol": 1000, "Change": 0.5, "RatioChange": 0.62, "TradingSession": "LO",
        "TotalVol": 5000,
    }


def test_quote_and_x_carry_book_and_bands() -> None:
    q = frames.quote("FPT", bid1=99.9, ask1=100.0, ref=99.0, ceiling=105.9, floor=92.1, bid_vol1=500, BidPrice2=99.8)
    assert (q["RType"], q["BidPrice1"], q["BidVol1"], q["AskPrice1"], q["AskVol1"], q["BidPrice2"]) == (
        "Quote", 99.9, 500, 100.0, 0, 99.8)
    assert (q["RefPrice"], q["Ceiling"], q["Floor"]) == (99.0, 105.9, 92.1)
    x = frames.trade_quote("FPT", 100.0, 10, bid1=99.9, ask1=100.0, session="ATC")
    assert (x["RType"], x["LastPrice"], x["LastVol"], x["AskPrice1"], x["TradingSession"]) == ("X", 100.0, 10, 100.0, "ATC")


def test_foreign_index_and_bar() -> None:
    r = frames.foreign("VNM", buy_vol=10, sell_vol=5, buy_val=805_000.0, sell_val=402_500.0, total_room=9, current_room=8)
    assert {k: r[k] for k in ("FBuyVol", "FSellVol", "FBuyVal", "FSellVal", "TotalRoom", "CurrentRoom")} == {
        "FBuyVol": 10, "FSellVol": 5, "FBuyVal": 805_000.0, "FSellVal": 402_500.0, "TotalRoom": 9, "CurrentRoom": 8}
    mi = frames.index("VN30", 1313.0, prior=1300.0, advances=20, declines=7, no_changes=3, total_qtty=99)
    assert (mi["IndexId"], mi["PriorIndexValue"], mi["Change"], mi["RatioChange"], mi["Advances"]) == (
        "VN30", 1300.0, 13.0, 1.0, 20)
    b = frames.bar("VNM", open=80, high=81, low=79.5, close=80.5, volume=100)
    assert (b["RType"], b["Close"], b["Volume"], b["Value"]) == ("B", 80.5, 100, 8_050_000.0)


def test_encode_broadcast_double_encodes_the_content() -> None:
    content = frames.trade("VNM", 80.5, 100)
    payload = json.loads(frames.encode_broadcast(content))
    assert set(payload) == {"DataType", "Content"} and payload["DataType"] == "X"
    assert json.loads(payload["Content"]) == content
    assert json.loads(frames.encode_broadcast(frames.index("VN30", 1.0)))["DataType"] == "MI"


@pytest.mark.parametrize(("ref", "band"), [(80.0, (85.6, 74.4)), (25.3, (27.05, 23.55)), (7.77, (8.31, 7.23))])
def test_price_band_is_seven_percent_on_the_price_step(ref: float, band: tuple[float, float]) -> None:
    assert frames.price_band(ref) == band


def test_routing_follows_the_contract() -> None:
    assert route_of(frames.trade("vnm", 1, 1)).channels == ("X", "X-TRADE")
    assert route_of(frames.quote("VNM", bid1=1, ask1=2)).channels == ("X", "X-QUOTE")
    assert route_of(frames.index("VN30", 1)).key == "VN30"
    with pytest.raises(ValueError, match="unknown RType"):
        route_of({"RType": "Z"})


def test_channel_parsing() -> None:
    subs = parse_channels(" x:all , X-TRADE:VNM-FPT,MI:VN30")
    assert subs.text == ("X:ALL", "X-TRADE:VNM-FPT", "MI:VN30")
    assert subs.wants(route_of(frames.quote("ACB", bid1=1, ask1=2)))
    assert not parse_channels("X-TRADE:VNM").wants(route_of(frames.trade("FPT", 1, 1)))
    for bad in ("", "Q:ALL", "X:"):
        with pytest.raises(ChannelError):
            parse_channels(bad)


def test_vn30_basket() -> None:
    assert len(DEFAULT_VN30) == len(set(DEFAULT_VN30)) == 30
    assert isin_of("VNM") == "VN000000VNM8"  # Vinamilk's real ISIN
