"""The reductions of a whole trading day's readings ([soak]): each can find what it is there to find."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ssi_simulator.market_script import build_session
from support import soak_checks
from support.soak_checks import Ledger
from support.trading_day import DayPlan

UTC = dt.UTC
DAY = dt.datetime(2026, 12, 2, 1, 50, tzinfo=UTC)


def _trade(symbol: str, volume: int, session: str = "LO") -> dict[str, object]:
    return {"RType": "Trade", "Symbol": symbol, "LastVol": volume, "TradingSession": session}


def _stats(symbol: str, ato: int, continuous: int, atc: int, *, buy: int | None = None) -> dict[str, object]:
    total = ato + continuous + atc
    return {"symbol": symbol, "total_volume": total, "mua_chu_dong_volume": total if buy is None else buy,
            "ban_chu_dong_volume": 0, "neutral_volume": 0, "ato": {"total_volume": ato},
            "continuous": {"total_volume": continuous}, "atc": {"total_volume": atc}}


def _ledger() -> Ledger:
    ledger = Ledger()
    ledger.record([_trade("VNM", 100, "ATO"), _trade("VNM", 300), {"RType": "Quote", "Symbol": "VNM"},
                   _trade("VNM", 50, "ATC"), _trade("VN30F2612", 7)])
    return ledger


def test_every_share_counted_once_is_no_miscount() -> None:
    derivatives = {"symbol": "VN30F2612", "volume": 7}
    assert soak_checks.miscounted(_ledger(), [_stats("VNM", 100, 300, 50)], derivatives) == (0, [])


@pytest.mark.parametrize(("stats", "derivatives", "off"), [
    ([_stats("VNM", 100, 300, 100)], {"symbol": "VN30F2612", "volume": 7}, 100),   # 50 ATC shares counted twice
    ([_stats("VNM", 0, 400, 50)], {"symbol": "VN30F2612", "volume": 7}, 200),      # ATO counted as continuous
    ([_stats("VNM", 100, 300, 50, buy=440)], {"symbol": "VN30F2612", "volume": 7}, 10),  # classes lose 10
    ([_stats("VNM", 100, 300, 50)], {"symbol": "VN30F2612", "volume": 5}, 2),      # futures lose 2
    ([], {"symbol": "VN30F2612", "volume": 7}, 450),                                # VNM missing
    ([_stats("VNM", 100, 300, 50), _stats("FPT", 0, 10, 0)], None, 17),             # FPT not reported; no futures
])
def test_a_share_lost_or_counted_twice_is_found(stats: list[dict[str, object]], derivatives: dict[str, object] | None,
                                                off: int) -> None:
    found, lines = soak_checks.miscounted(_ledger(), stats, derivatives)
    assert found == off and lines


def test_a_new_day_starts_the_ledger_afresh() -> None:
    ledger = _ledger()
    ledger.new_day()
    assert soak_checks.miscounted(ledger, [], None) == (0, [])


def _token(issued: dt.datetime, hours: float = 8) -> dict[str, str]:
    return {"issued_at": issued.isoformat(), "expires_at": (issued + dt.timedelta(hours=hours)).isoformat()}


def test_tokens_renewed_before_their_expiry_pass() -> None:
    tokens = [_token(DAY), _token(DAY + dt.timedelta(hours=7.5)), _token(DAY + dt.timedelta(hours=15))]
    end = DAY + dt.timedelta(hours=20)
    assert soak_checks.expired_before_renewal(tokens, DAY, end) == (0, [])
    assert soak_checks.renewals(tokens, DAY) == 3


def test_a_token_that_expired_first_or_was_never_renewed_is_counted() -> None:
    late = [_token(DAY), _token(DAY + dt.timedelta(hours=8, seconds=1))]
    assert soak_checks.expired_before_renewal(late, DAY, DAY + dt.timedelta(hours=9))[0] == 1
    never = [_token(DAY)]
    assert soak_checks.expired_before_renewal(never, DAY, DAY + dt.timedelta(hours=9))[0] == 1
    assert soak_checks.expired_before_renewal(never, DAY, DAY + dt.timedelta(hours=7))[0] == 0  # the day ended first


def test_a_token_expired_before_the_day_began_is_not_the_trackers() -> None:
    before = [_token(DAY - dt.timedelta(hours=9)), _token(DAY + dt.timedelta(seconds=1))]
    assert soak_checks.expired_before_renewal(before, DAY, DAY + dt.timedelta(hours=1)) == (0, [])


def test_the_longest_heartbeat_gap_counts_the_opening_and_the_end() -> None:
    assert soak_checks.longest_gap_s(10.0, [11.0, 12.0, 13.0], 13.5) == pytest.approx(1.0)
    assert soak_checks.longest_gap_s(10.0, [13.0, 11.0], 13.2) == pytest.approx(2.0)
    assert soak_checks.longest_gap_s(10.0, [], 14.0) == pytest.approx(4.0)   # no heartbeat at all


def test_memory_growth_compares_the_medians_of_the_hours() -> None:
    assert soak_checks.growth_mb([100_000_000, 90_000_000, 200_000_000], [101_000_000, 130_000_000, 95_000_000]) \
        == pytest.approx(1.0)
    with pytest.raises(ValueError, match="first or the last"):
        soak_checks.growth_mb([], [1])


def test_the_day_plan_sends_every_frame_once_in_time_order_and_ends_each_phase_with_a_checkpoint() -> None:
    plan = DayPlan(trades_per_symbol=20)
    steps = list(plan.steps(dt.date(2026, 12, 2)))
    moments = [step.at for step in steps]
    assert moments == sorted(moments) and len(set(moments)) == len(moments)
    sent = [frame for step in steps for frame in step.frames]
    assert len(sent) == len({id(frame) for frame in sent})
    today = build_session(plan.seed, trades_per_symbol=20, trading_date=dt.date(2026, 12, 2))
    assert [f for step in steps if step.day == 0 for f in step.frames] == sorted(today, key=lambda f: f["Time"])
    phases = [step.phase for step in steps]
    for phase in ("opening auction", "morning", "lunch break", "afternoon", "closing auction", "close",
                  "the 15:05 reset", "night"):
        assert phase in phases, phase
    assert all(step.checkpoint for step, after in itertools.pairwise(steps)
               if step.phase != after.phase and step.phase in ("opening auction", "morning", "afternoon", "closing auction"))
    assert steps[-1].day == 1 and steps[-1].checkpoint and steps[-1].at.time() == dt.time(9, 30)
    gaps = [(later.at - earlier.at).total_seconds() for earlier, later in itertools.pairwise(steps)]
    assert max(gaps) <= 30 * 60  # each jump stays inside an access token's last hour


@pytest.mark.parametrize("env", [{"SOAK_TRADES_PER_SYMBOL": "5"}, {"SOAK_STEP_MINUTES": "16"},
                                 {"SOAK_STEP_MINUTES": "0"}])
def test_a_day_too_small_or_with_too_long_steps_is_refused(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="SOAK_"):
        DayPlan.from_env(env)
