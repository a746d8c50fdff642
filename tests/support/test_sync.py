"""Waiting until the tracker shows what the exchange reported: which view is read for which frame."""

from __future__ import annotations

from typing import Any, cast

import pytest

from support import eventually, market, sync
from support.parse_types import parse_alert_kind, parse_fate, parse_symbols
from support.tracker_api import TrackerApi


class _Api:
    """A TrackerApi stand-in: fixed views, and a count of the reads."""

    def __init__(self, stats: dict[str, int] | None = None, board: dict[str, Any] | None = None,
                 foreign: dict[str, dict[str, Any]] | None = None, frames: float = 0) -> None:
        self.stats, self.board, self.foreign_entries = stats or {}, board, foreign or {}
        self.frames = frames
        self.reads = 0

    def frames_received(self) -> float:
        self.reads += 1
        return self.frames

    def session_stats(self, symbol: str) -> dict[str, Any]:
        self.reads += 1
        if symbol not in self.stats:
            raise AssertionError(f"no {symbol}")
        return {"total_volume": self.stats[symbol]}

    def derivatives(self) -> dict[str, Any]:
        self.reads += 1
        if self.board is None:
            raise AssertionError("no derivatives")
        return self.board

    def foreign(self, symbol: str) -> dict[str, Any]:
        self.reads += 1
        if symbol not in self.foreign_entries:
            raise AssertionError(f"no {symbol}")
        return self.foreign_entries[symbol]


def _api(fake: _Api) -> TrackerApi:
    return cast(TrackerApi, fake)


@pytest.fixture(autouse=True)
def _short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing wait gives up after 0.1 s (timeout, interval), not the default 5 s."""
    monkeypatch.setattr(eventually.eventually, "__defaults__", (0.1, 0.01))


def test_stock_trades_are_seen_in_the_session_stats() -> None:
    published = [market.trade("VNM", 100, 80.0), market.trade("VNM", 200, 80.0), market.trade("FPT", 5, 120.0)]
    sync.wait_for_trades(_api(_Api(stats={"VNM": 300})), published, "VNM")
    with pytest.raises(AssertionError, match="expected the tracker to show the 300 shares of VNM.*it shows 100"):
        sync.wait_for_trades(_api(_Api(stats={"VNM": 100})), published, "VNM")


def test_futures_trades_are_seen_on_the_derivatives_board_of_that_contract() -> None:
    published = [market.trade("VN30F2412", 10, 1255.0)]
    sync.wait_for_trades(_api(_Api(board={"symbol": "VN30F2412", "volume": 10})), published, "VN30F2412")
    with pytest.raises(AssertionError, match="the derivatives board shows VN30F2501, not VN30F2412"):
        sync.wait_for_trades(_api(_Api(board={"symbol": "VN30F2501", "volume": 10})), published,
                             "VN30F2412")


def test_the_latest_event_decides_what_to_wait_for() -> None:
    figures = market.foreign_totals("FPT", buy_vol=10, buy_val=1e6)
    published = [market.trade("FPT", 100, 120.0), figures]
    shown = {"buy_volume": 10, "sell_volume": 0, "buy_value": 1e6, "sell_value": 0.0}
    api = _Api(foreign={"FPT": shown})  # no session stats: reading them would fail
    sync.wait_for_latest(_api(api), published, "FPT")
    assert api.reads == 1
    with pytest.raises(AssertionError, match="reported no trade and no foreign figures for VNM"):
        sync.wait_for_latest(_api(api), published, "VNM")


def test_foreign_figures_under_their_unprefixed_names_are_waited_for_under_the_f_names() -> None:
    figures = market.unprefixed(market.foreign_totals("FPT", buy_vol=10, buy_val=1e6))
    assert "FBuyVol" not in figures and figures["BuyVol"] == 10
    shown = {"buy_volume": 10, "sell_volume": 0, "buy_value": 1e6, "sell_value": 0.0}
    sync.wait_for_foreign(_api(_Api(foreign={"FPT": shown})), figures)


def test_frames_read_are_waited_for_until_the_metrics_count_every_frame_sent() -> None:
    published = [market.trade("VNM", 100, 80.0), market.trade("VN30F2412", 1, 1250.0)]
    sync.wait_for_frames_read(_api(_Api(frames=2)), published)
    with pytest.raises(AssertionError, match="read the 2 frame"):
        sync.wait_for_frames_read(_api(_Api(frames=1)), published)


def test_latest_foreign_figures_and_calm_prices() -> None:
    first, second = (market.foreign_totals("FPT", buy_vol=v, buy_val=v * 1e5) for v in (10, 20))
    assert market.latest_foreign([first, market.trade("FPT", 1, 1.0), second], "FPT") == second
    assert market.latest_foreign([first, market.unprefixed(second)], "FPT") == second  # under the F names
    assert market.latest_foreign([first], "VNM") is None
    book = market.Book()
    assert book.calm_price("VNM") == 80.0
    book.quote("VNM", ceiling=85.6, floor=74.4)
    assert book.calm_price("VNM") == 80.0
    book.quote("VNM", ref=79.0)
    assert book.calm_price("VNM") == 79.0


def test_alert_step_vocabulary() -> None:
    assert parse_alert_kind("foreign acceleration") == "foreign_acceleration"
    assert parse_symbols("ACB, BID, CTG") == ["ACB", "BID", "CTG"]
    assert (parse_fate("kept"), parse_fate("discarded")) == (True, False)
