"""Tests of the index board."""

from __future__ import annotations

from core_frames import index

from tracker.core.clock import Clock
from tracker.core.indices import advance_ratio
from tracker.core.processor import Channel, MarketProcessor


def test_advance_ratio() -> None:
    assert advance_ratio(18, 6) == 0.75
    assert advance_ratio(0, 0) == 0
    assert advance_ratio(0, 30) == 0
    assert advance_ratio(5, 0) == 1.0


def test_latest_value_and_intraday_points(proc: MarketProcessor, clock: Clock) -> None:
    result = proc.process_content(
        index(
            "VN30",
            1250.5,
            prior=1240.0,
            advances=18,
            declines=6,
            no_changes=6,
            TotalQtty=1000,
        )
    )
    assert result.changed == {Channel.INDEX, Channel.MARKET}
    clock.advance(5)
    proc.process_content(index("VN30", 1251.0, advances=19, declines=5))
    vn30 = proc.indices()["VN30"]
    assert vn30 == {
        "index_id": "VN30",
        "value": 1251.0,
        "prior_value": 1240.0,
        "change": 11.0,
        "ratio_change": round(11.0 / 1240.0 * 100, 6),
        "total_volume": 0,
        "advances": 19,
        "declines": 5,
        "no_changes": 0,
        "intraday": [
            {"timestamp": "2026-11-23T10:00:00+07:00", "value": 1250.5},
            {"timestamp": "2026-11-23T10:00:05+07:00", "value": 1251.0},
        ],
        "last_updated": "2026-11-23T10:00:05+07:00",
        "advance_ratio": 19 / 24,
    }
    assert proc.snapshot()["indices"]["VN30"] == vn30


def test_change_as_sent_and_indices_kept_apart(proc: MarketProcessor) -> None:
    proc.process_content(
        index("VNINDEX", 1270.0, prior=1260.0, Change=10.0, RatioChange=0.79)
    )
    proc.process_content(index("VN30", 1250.0))
    ids = proc.indices()
    assert list(ids) == ["VN30", "VNINDEX"]
    assert (ids["VNINDEX"]["change"], ids["VNINDEX"]["ratio_change"]) == (10.0, 0.79)
    assert ids["VN30"]["change"] == 0.0 and ids["VN30"]["advance_ratio"] == 0


def test_untracked_index_is_ignored(proc: MarketProcessor) -> None:
    assert proc.process_content(index("HNX30", 500.0)).changed == set()
    assert proc.indices() == {}
