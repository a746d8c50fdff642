"""Tests of the four alert rules at their boundaries, dedup and the alert buffer."""

from __future__ import annotations

from datetime import datetime

import pytest
from core_frames import OPEN, foreign, index, quote, trade

from tracker.core.alerts import AlertBook, ForeignAccelerationRule, breakout, sign_flip
from tracker.core.clock import Clock
from tracker.core.processor import MarketProcessor


def _types(proc: MarketProcessor, symbol: str) -> list[str]:
    return [a["alert_type"] for a in proc.alerts(limit=500) if a["symbol"] == symbol]


def _band(proc: MarketProcessor, symbol: str = "VNM") -> None:
    proc.process_content(quote(symbol, ref=80.0, ceiling=85.6, floor=74.4))


# -- volume_spike -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("earlier", "volume", "fires"),
    [(9, 2701, True), (9, 50_000, True), (9, 2700, False), (8, 50_000, False)],
)
def test_volume_spike_boundaries(
    proc: MarketProcessor, earlier: int, volume: int, fires: bool
) -> None:
    for _ in range(earlier):
        assert proc.process_content(trade("VNM", 80.0, 700)).alerts == []
    alerts = proc.process_content(trade("VNM", 80.0, volume)).alerts
    assert [a["alert_type"] for a in alerts] == (["volume_spike"] if fires else [])
    if fires:
        a = alerts[0]
        assert a["severity"] == "warning" and a["symbol"] == "VNM"
        assert a["data"]["trades"] == 10
        assert a["data"]["mean_volume"] == (earlier * 700 + volume) / 10


def test_volume_spike_forgets_trades_older_than_20_minutes(
    proc: MarketProcessor, clock: Clock
) -> None:
    for _ in range(9):
        proc.process_content(trade("VNM", 80.0, 700))
    clock.advance(21 * 60)
    assert proc.process_content(trade("VNM", 80.0, 50_000)).alerts == []


def test_volume_spike_window_is_per_symbol(proc: MarketProcessor) -> None:
    for _ in range(9):
        proc.process_content(trade("FPT", 120.0, 700))
    assert proc.process_content(trade("VNM", 80.0, 50_000)).alerts == []


# -- price_breakout ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("price", "direction"),
    [(85.6, "ceiling"), (86.0, "ceiling"), (74.4, "floor"), (70.0, "floor")],
)
def test_breakout_direction(
    proc: MarketProcessor, price: float, direction: str
) -> None:
    _band(proc)
    [a] = proc.process_content(trade("VNM", price, 100)).alerts
    assert (a["alert_type"], a["severity"], a["symbol"]) == (
        "price_breakout",
        "critical",
        "VNM",
    )
    assert a["data"]["direction"] == direction
    assert a["timestamp"] == "2026-11-23T10:00:00+07:00" and isinstance(
        a["message"], str
    )
    assert set(a) == {
        "id",
        "alert_type",
        "severity",
        "symbol",
        "message",
        "timestamp",
        "data",
    }


def test_no_breakout_inside_the_band(proc: MarketProcessor) -> None:
    _band(proc)
    assert proc.process_content(trade("VNM", 85.5, 100)).alerts == []
    assert proc.process_content(trade("VNM", 74.5, 100)).alerts == []


def test_breakout_needs_both_limits() -> None:
    assert breakout(90.0, 85.6, 0.0) is None
    assert breakout(70.0, 0.0, 74.4) is None
    assert breakout(85.6, 85.6, 74.4) == "ceiling"


def test_futures_break_out_too(proc: MarketProcessor) -> None:
    proc.process_content(quote("VN30F2412", ceiling=1337.0, floor=1163.0))
    [a] = proc.process_content(trade("VN30F2412", 1337.0, 1)).alerts
    assert a["alert_type"] == "price_breakout" and a["symbol"] == "VN30F2412"


# -- dedup and buffer -------------------------------------------------------------------
@pytest.mark.parametrize(("seconds", "count"), [(59, 1), (60, 2), (61, 2)])
def test_dedup_window(
    proc: MarketProcessor, clock: Clock, seconds: int, count: int
) -> None:
    _band(proc)
    assert len(proc.process_content(trade("VNM", 85.6, 100)).alerts) == 1
    clock.advance(seconds)
    pushed = proc.process_content(trade("VNM", 85.6, 100)).alerts
    assert len(pushed) == count - 1
    assert _types(proc, "VNM") == ["price_breakout"] * count


def test_different_symbols_are_not_deduplicated_together(proc: MarketProcessor) -> None:
    _band(proc)
    proc.process_content(quote("FPT", ref=120.0, ceiling=128.4, floor=111.6))
    assert len(proc.process_content(trade("VNM", 85.6, 100)).alerts) == 1
    assert len(proc.process_content(trade("FPT", 128.4, 100)).alerts) == 1
    assert _types(proc, "VNM") == ["price_breakout"] and _types(proc, "FPT") == [
        "price_breakout"
    ]


def test_different_types_are_not_deduplicated_together(proc: MarketProcessor) -> None:
    _band(proc)
    for _ in range(9):
        proc.process_content(trade("VNM", 85.6, 700))
    [spike] = proc.process_content(trade("VNM", 80.0, 50_000)).alerts
    assert spike["alert_type"] == "volume_spike"
    assert _types(proc, "VNM") == ["volume_spike", "price_breakout"]


def test_dedup_after_the_clock_went_back() -> None:
    book = AlertBook()
    t = OPEN.timestamp()
    assert book.register("price_breakout", "critical", "VNM", "m", {}, OPEN, t)
    assert book.register("price_breakout", "critical", "VNM", "m", {}, OPEN, t - 3600)


@pytest.mark.parametrize(("later", "kept"), [(499, True), (500, False)])
def test_buffer_keeps_newest_500(proc: MarketProcessor, later: int, kept: bool) -> None:
    for _ in range(9):
        proc.process_content(trade("VNM", 80.0, 700))
    proc.process_content(trade("VNM", 80.0, 50_000))
    for i in range(later):
        sym = f"VN30F{i:04d}"
        proc.process_content(quote(sym, ceiling=1300.0, floor=1100.0))
        proc.process_content(trade(sym, 1300.0, 1))
    history = proc.alerts(limit=1000)
    assert len(history) == min(later + 1, 500)
    assert ("volume_spike" in [a["alert_type"] for a in history]) is kept
    assert history[0]["symbol"] == f"VN30F{later - 1:04d}"


def test_history_newest_first_with_limit_and_filters(proc: MarketProcessor) -> None:
    _band(proc)
    proc.process_content(quote("FPT", ref=120.0, ceiling=128.4, floor=111.6))
    proc.process_content(trade("VNM", 85.6, 100))
    proc.process_content(trade("FPT", 128.4, 100))
    for _ in range(8):
        proc.process_content(trade("VNM", 80.0, 700))
    proc.process_content(trade("VNM", 80.0, 50_000))
    assert [(a["alert_type"], a["symbol"]) for a in proc.alerts()] == [
        ("volume_spike", "VNM"),
        ("price_breakout", "FPT"),
        ("price_breakout", "VNM"),
    ]
    assert [a["symbol"] for a in proc.alerts(limit=1, alert_type="price_breakout")] == [
        "FPT"
    ]
    assert [a["alert_type"] for a in proc.alerts(severity="warning")] == [
        "volume_spike"
    ]
    assert [a["symbol"] for a in proc.alerts(severity="critical")] == ["FPT", "VNM"]
    assert proc.alerts(limit=0) == [] and proc.alerts(severity="info") == []
    ids = [a["id"] for a in proc.alerts()]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3


def test_history_returns_copies(proc: MarketProcessor) -> None:
    _band(proc)
    proc.process_content(trade("VNM", 85.6, 100))
    proc.alerts()[0]["data"]["direction"] = "sideways"
    assert proc.alerts()[0]["data"]["direction"] == "ceiling"


# -- foreign_acceleration ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after", "minutes", "fires"),
    [
        (2_000_000_000, 2_700_000_000, 5, True),
        (2_000_000_000, 1_300_000_000, 5, True),
        (2_000_000_000, 2_600_000_000, 5, False),  # exactly 30 %
        (2_000_000_000, 2_600_000_002, 5, True),
        (1_000_000_000, 2_000_000_000, 5, True),  # base exactly 1e9
        (999_999_999, 1_800_000_000, 5, False),
        (900_000_000, 1_800_000_000, 5, False),
        (-2_000_000_000, -3_000_000_000, 5, True),  # net selling accelerates
        (2_000_000_000, 4_000_000_000, 4, False),  # the sample is too young
    ],
)
def test_foreign_acceleration(
    proc: MarketProcessor,
    clock: Clock,
    before: int,
    after: int,
    minutes: int,
    fires: bool,
) -> None:
    def net(value: int) -> dict[str, object]:
        return foreign("FPT", 100, 100, max(value, 0), max(-value, 0))

    assert proc.process_content(net(before)).alerts == []
    clock.advance(minutes * 60)
    alerts = proc.process_content(net(after)).alerts
    assert [a["alert_type"] for a in alerts] == (
        ["foreign_acceleration"] if fires else []
    )
    if fires:
        assert alerts[0]["severity"] == "warning" and alerts[0]["symbol"] == "FPT"
        assert alerts[0]["data"]["reference_net_value"] == before


def test_foreign_acceleration_uses_the_latest_sample_at_least_5_minutes_old() -> None:
    rule = ForeignAccelerationRule()
    t0 = OPEN.timestamp()
    assert rule.check("FPT", 2e9, t0) is None
    assert rule.check("FPT", 3e9, t0 + 60) is None
    assert rule.check("FPT", 3.1e9, t0 + 200) is None
    # at t0+360 the reference is the t0+60 sample (3e9): +10 % -> nothing
    assert rule.check("FPT", 3.3e9, t0 + 360) is None
    # at t0+500 the reference is the t0+200 sample (3.1e9): 4.1e9 is +32 %
    hit = rule.check("FPT", 4.1e9, t0 + 500)
    assert hit is not None and hit[0] == 3.1e9 and hit[1] == t0 + 200


# -- basis_divergence -------------------------------------------------------------------
def test_sign_flip() -> None:
    assert sign_flip(5.0, -5.0) and sign_flip(-0.1, 0.1)
    assert (
        not sign_flip(5.0, 2.0) and not sign_flip(5.0, 0.0) and not sign_flip(0.0, -1.0)
    )


def test_basis_divergence_on_a_flip(proc: MarketProcessor) -> None:
    proc.process_content(index("VN30", 1250.0, advances=15, declines=15))
    assert proc.process_content(trade("VN30F2412", 1255.0, 10)).alerts == []
    [a] = proc.process_content(trade("VN30F2412", 1245.0, 10)).alerts
    assert (a["alert_type"], a["severity"], a["symbol"]) == (
        "basis_divergence",
        "warning",
        "VN30F2412",
    )
    assert (a["data"]["previous_basis"], a["data"]["basis"]) == (5.0, -5.0)


def test_no_divergence_while_the_premium_holds(proc: MarketProcessor) -> None:
    proc.process_content(index("VN30", 1250.0))
    proc.process_content(trade("VN30F2412", 1255.0, 10))
    assert proc.process_content(trade("VN30F2412", 1252.0, 10)).alerts == []


def test_an_index_move_can_flip_the_basis(proc: MarketProcessor) -> None:
    proc.process_content(index("VN30", 1250.0))
    proc.process_content(trade("VN30F2412", 1255.0, 10))
    [a] = proc.process_content(index("VN30", 1260.0)).alerts
    assert a["alert_type"] == "basis_divergence" and a["data"]["basis"] == -5.0


def test_no_divergence_across_contracts(proc: MarketProcessor) -> None:
    proc.process_content(index("VN30", 1250.0))
    proc.process_content(trade("VN30F2412", 1255.0, 10))
    assert proc.process_content(trade("VN30F2501", 1245.0, 11)).alerts == []


def test_alert_timestamps_follow_the_clock(proc: MarketProcessor, clock: Clock) -> None:
    _band(proc)
    clock.set(datetime(2026, 11, 23, 14, 0, 0, tzinfo=OPEN.tzinfo))
    [a] = proc.process_content(trade("VNM", 74.4, 100)).alerts
    assert a["timestamp"] == "2026-11-23T14:00:00+07:00"
