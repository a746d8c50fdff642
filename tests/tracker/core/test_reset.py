"""Tests of the daily reset at 15:05 Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import datetime

import pytest
from core_frames import foreign, index, quote, trade

from tracker.core.clock import VN_TZ, Clock
from tracker.core.processor import Channel, MalformedMessage, MarketProcessor
from tracker.core.reset import DailyReset, next_boundary


def _at(h: int, m: int, s: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, h, m, s, tzinfo=VN_TZ)


def test_next_boundary() -> None:
    assert next_boundary(_at(15, 4, 59)) == _at(15, 5)
    assert next_boundary(_at(15, 5)) == _at(15, 5, day=24)
    assert next_boundary(_at(8, 0, day=24)) == _at(15, 5, day=24)


@pytest.mark.parametrize(
    ("start", "end", "crossed"),
    [
        (_at(15, 4, 30), _at(15, 4, 59), False),
        (_at(15, 4, 59), _at(15, 5), True),
        (_at(15, 5), _at(15, 6), False),
        (_at(10, 0), _at(10, 0, day=25), True),
        (_at(15, 6), _at(15, 4), False),  # set backwards
        (_at(15, 4, day=24), _at(15, 6), False),  # a day backwards over 15:05
    ],
)
def test_crossing(start: datetime, end: datetime, crossed: bool) -> None:
    r = DailyReset(start)
    assert r.check(end, end.timestamp()) is crossed


def test_backwards_then_forward_crosses_again() -> None:
    r = DailyReset(_at(15, 6))
    assert not r.check(_at(15, 4), _at(15, 4).timestamp())
    assert r.check(_at(15, 5), _at(15, 5).timestamp())
    assert not r.check(_at(15, 5, 30), _at(15, 5, 30).timestamp())


def _trading_day(proc: MarketProcessor) -> None:
    proc.process_content(
        quote("VNM", bid1=80.0, ask1=80.5, ref=80.0, ceiling=85.6, floor=74.4)
    )
    proc.process_content(trade("VNM", 85.6, 100))  # breakout alert
    proc.process_content(foreign("FPT", 1000, 0, 1e9, 0))
    proc.process_content(index("VN30", 1250.0, advances=1))
    proc.process_content(trade("VN30F2412", 1255.0, 10))
    assert proc.alerts()


@pytest.fixture
def day(clock: Clock, proc: MarketProcessor) -> MarketProcessor:
    clock.set(_at(15, 4, 30))
    _trading_day(proc)
    return proc


def test_a_check_before_1505_resets_nothing(day: MarketProcessor, clock: Clock) -> None:
    clock.set(_at(15, 4, 59))
    assert day.check_daily_reset() is False
    snap = day.snapshot()
    assert snap["quotes"]["VNM"]["total_volume"] == 100 and len(day.alerts()) == 1


def test_crossing_1505_clears_the_day_and_keeps_quotes(
    day: MarketProcessor, clock: Clock
) -> None:
    clock.set(_at(15, 5))
    assert day.check_daily_reset() is True
    assert day.snapshot() == {
        "quotes": {},
        "prices": {},
        "indices": {},
        "foreign": None,
        "derivatives": None,
    }
    assert day.alerts() == [] and day.basis_trend(120) == []
    assert day.foreign_detail()["stocks"] == [] and day.volume_stats() == {"stats": []}
    day.process_content(trade("VNM", 80.5, 100))
    s = day.snapshot()
    assert s["quotes"]["VNM"]["mua_chu_dong_volume"] == 100  # the quote survived
    assert s["prices"]["VNM"]["ceiling"] == 85.6


def test_the_first_message_after_1505_resets_and_reports_every_channel(
    day: MarketProcessor, clock: Clock
) -> None:
    clock.set(_at(15, 5, 1))
    result = day.process_content(trade("VNM", 85.6, 100))
    assert result.changed == {Channel.MARKET, Channel.FOREIGN, Channel.INDEX}
    assert [a["alert_type"] for a in result.alerts] == [
        "price_breakout"
    ]  # dedup restarted
    assert len(day.alerts()) == 1
    assert day.snapshot()["quotes"]["VNM"]["total_volume"] == 100


def test_foreign_baseline_is_cleared(day: MarketProcessor, clock: Clock) -> None:
    clock.set(_at(15, 5))
    day.process_content(foreign("FPT", 1500, 0))
    f = day.foreign_detail()["stocks"][0]
    assert f["buy_speed_per_min"] == 300  # counted in full again


def test_clock_set_backwards_resets_nothing(day: MarketProcessor, clock: Clock) -> None:
    clock.set(_at(10, 0))
    assert day.check_daily_reset() is False
    assert day.snapshot()["quotes"]["VNM"]["total_volume"] == 100


def test_a_reset_done_by_a_rejected_message_is_reported_by_the_next_check(
    day: MarketProcessor, clock: Clock
) -> None:
    clock.set(_at(15, 5, 1))
    with pytest.raises(MalformedMessage):
        day.process_payload("garbage")
    assert day.snapshot()["quotes"] == {}
    assert day.check_daily_reset() is True
    assert day.check_daily_reset() is False
