"""The scripted VN30 session and its replayers."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from sim_helpers import RawStream

from ssi_simulator.background import BackgroundSimulator
from ssi_simulator.market_script import (
    ReplayStepper,
    build_session,
    futures_symbol,
    replay_sync,
)
from ssi_simulator.vn30 import DEFAULT_VN30


@pytest.fixture(scope="module")
def session() -> list[dict[str, object]]:
    return build_session(7)


def test_same_seed_same_session(session: list[dict[str, object]]) -> None:
    assert build_session(7) == session
    assert build_session(8) != session


def test_a_whole_day_in_time_order(session: list[dict[str, object]]) -> None:
    kinds = Counter(str(c["RType"]) for c in session)
    assert {"Quote", "Trade", "R", "MI", "B"} <= set(kinds)
    sessions = [c["TradingSession"] for c in session if c["RType"] == "Trade"]
    assert sessions[0] == "ATO" and sessions[-1] == "ATC" and "LO" in sessions
    times = [str(c["Time"]) for c in session if c["RType"] != "B"]
    assert times == sorted(times)
    assert {c["Symbol"] for c in session if c["RType"] == "Trade"} == {*DEFAULT_VN30, "VN30F2412"}
    assert {c["IndexId"] for c in session if c["RType"] == "MI"} == {"VN30", "VNINDEX"}


def test_prices_stay_in_a_consistent_seven_percent_band(session: list[dict[str, object]]) -> None:
    bands: dict[object, tuple[float, float, float]] = {}
    for c in session:
        if c["RType"] == "Quote":
            band = (float(c["RefPrice"]), float(c["Ceiling"]), float(c["Floor"]))  # type: ignore[arg-type]
            assert bands.setdefault(c["Symbol"], band) == band
            ref, ceiling, floor = band
            assert abs(ceiling / ref - 1.07) < 0.01 and abs(floor / ref - 0.93) < 0.01
            assert floor <= float(c["BidPrice1"]) <= float(c["AskPrice1"]) <= ceiling  # type: ignore[arg-type]
        if c["RType"] == "Trade":
            _, ceiling, floor = bands[c["Symbol"]]
            assert floor <= float(c["LastPrice"]) <= ceiling  # type: ignore[arg-type]


def test_foreign_flow_is_cumulative(session: list[dict[str, object]]) -> None:
    last: dict[object, tuple[int, int]] = {}
    for c in (c for c in session if c["RType"] == "R"):
        now = (int(c["FBuyVol"]), int(c["FSellVol"]))  # type: ignore[call-overload]
        before = last.get(c["Symbol"], (0, 0))
        assert now[0] >= before[0] and now[1] >= before[1]
        last[c["Symbol"]] = now


def test_futures_symbol_is_the_front_month() -> None:
    from datetime import date

    assert futures_symbol(date(2024, 12, 2)) == "VN30F2412"


def test_replay_and_stepper_feed_a_simulator(session: list[dict[str, object]]) -> None:
    with BackgroundSimulator() as sim:
        stream = RawStream(sim.base_url)
        try:
            stream.invoke("SwitchChannels", "X:ALL,R:ALL,MI:ALL,B:ALL")
            stats = replay_sync(sim.base_url, session, rate_per_s=0, batch=100, max_frames=300)
            assert (stats.frames, stats.posts, stats.deliveries) == (300, 3, 300)
            assert len(stream.broadcasts(300)) == 300
            with ReplayStepper(sim.base_url, session[300:], batch=2) as steps:
                first = steps.step()
                assert first.delivered == 1 and first.frames == session[300:302]
            assert len(stream.broadcasts(2)) == 2
            paced = replay_sync(sim.base_url, session, rate_per_s=500, batch=10, max_frames=100, max_seconds=5)
            assert paced.frames == 100 and paced.seconds >= 0.17  # 10 batches, the first at t=0
            assert len(stream.broadcasts(100)) == 100  # read all: an unread client closes slowly
            with pytest.raises(httpx.HTTPStatusError):
                replay_sync(sim.base_url, [{"RType": "?"}], rate_per_s=0)
        finally:
            stream.close()


def test_stepper_is_iterable() -> None:
    with BackgroundSimulator() as sim, ReplayStepper(sim.base_url, build_session(1, trades_per_symbol=1)[:5]) as steps:
        assert [s.delivered for s in steps] == [0] * 5
        assert steps.remaining == 0
