"""A whole VN30 trading day cut into steps of the market clock, and what the exchange sends in each ([soak]).

    plan = DayPlan.from_env()                       # SOAK_TRADES_PER_SYMBOL, SOAK_STEP_MINUTES
    for step in plan.steps(day=dt.date(2026, 12, 2)):
        step.at, step.phase, step.frames            # move the clock to `at`, then send `frames`

The day is the simulator's scripted session (ssi_simulator.market_script: ATO, continuous trading,
ATC, foreign flow, indices, a VN30F contract), laid on the exchange's timetable ([phases]): the
opening auction to 09:15, the morning to 11:30, the lunch break to 13:00, the afternoon to 14:30,
the closing auction to 14:45, then the quiet close, the 15:05 reset, the night, and the next
morning's opening auction. Trades are spread evenly over continuous trading, so the first and the
last trading hour carry the same message rate (what "memory flat at a steady rate" compares).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ssi_simulator.market_script import build_session
from support.clock import MARKET_TZ

Content = dict[str, Any]
DAY_START = dt.time(8, 50)             # before the opening auction: the tracker starts here
NEXT_MORNING_END = dt.time(9, 30)      # the next day's opening auction and a few minutes after it
RESET_WATCH = dt.time(15, 4, 30)       # the day still shows; then the clock passes 15:05
RESET_PASSED = dt.time(15, 5, 1)
FIRST_HOUR = (dt.time(9, 15), dt.time(10, 15))   # the first and the last hour of continuous trading
LAST_HOUR = (dt.time(13, 30), dt.time(14, 30))
_TIMETABLE = ((dt.time(9, 0), "pre-open"), (dt.time(9, 15), "opening auction"), (dt.time(11, 30), "morning"),
              (dt.time(13, 0), "lunch break"), (dt.time(14, 30), "afternoon"), (dt.time(14, 45), "closing auction"),
              (dt.time(15, 5), "close"), (dt.time(23, 59, 59), "evening"))
_PHASE_OF_SESSION = {"ATO": "ato", "ATC": "atc"}  # every other session is continuous ([phases])


@dataclass(frozen=True)
class DayStep:
    """One move of the market clock: to `at` (Ho Chi Minh City), then `frames` from the exchange, what happened
    in the `phase` up to `at`."""

    at: dt.datetime
    phase: str
    frames: tuple[Content, ...] = ()
    day: int = 0          # 0: the trading day, 1: the next morning (after the reset)
    checkpoint: bool = False  # the end of a phase: every share so far must show, once


@dataclass(frozen=True)
class DayPlan:
    """How big the day is: trades per symbol, and how far the clock moves per step while the market is open."""

    trades_per_symbol: int = 300
    step_minutes: int = 10
    night_step_minutes: int = 30
    seed: int = 11

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> DayPlan:
        """SOAK_TRADES_PER_SYMBOL and SOAK_STEP_MINUTES make a longer day (more messages, more steps)."""
        trades = int(env.get("SOAK_TRADES_PER_SYMBOL", cls.trades_per_symbol))
        minutes = int(env.get("SOAK_STEP_MINUTES", cls.step_minutes))
        if trades < 10 or not 1 <= minutes <= 15:
            raise ValueError(f"SOAK_TRADES_PER_SYMBOL={trades} (at least 10) and SOAK_STEP_MINUTES={minutes} "
                             "(1 to 15: a step must stay inside the last hour of an access token)")
        return cls(trades_per_symbol=trades, step_minutes=minutes)

    def steps(self, day: dt.date) -> Iterator[DayStep]:
        """The whole day in order: the market, the 15:05 reset, the night, the next morning."""
        today = build_session(self.seed, trades_per_symbol=self.trades_per_symbol, trading_date=day)
        tomorrow = day + dt.timedelta(days=1)
        next_morning = [c for c in build_session(self.seed + 1, trades_per_symbol=self.trades_per_symbol,
                                                 trading_date=tomorrow) if _time(c) < NEXT_MORNING_END]
        yield from self._market(day, today, DAY_START, dt.time(15, 0), 0)
        yield DayStep(_at(day, RESET_WATCH), "close", day=0, checkpoint=True)
        yield DayStep(_at(day, RESET_PASSED), "the 15:05 reset", day=1)
        night = _at(day, RESET_PASSED)
        morning = _at(tomorrow, DAY_START)
        while (night := night + dt.timedelta(minutes=self.night_step_minutes)) < morning:
            yield DayStep(night, "night", day=1)
        yield from self._market(tomorrow, next_morning, DAY_START, NEXT_MORNING_END, 1)

    def _market(self, day: dt.date, contents: Sequence[Content], start: dt.time, end: dt.time,
                index: int) -> Iterator[DayStep]:
        """Steps of at most `step_minutes` from `start` to `end`, cut at the phases' ends; each step moves the
        clock to its end and carries the frames timed inside it (an auction's match, at its end, included)."""
        step = dt.timedelta(minutes=self.step_minutes)
        moment, finish = _at(day, start), _at(day, end)
        pending = sorted(contents, key=_time)  # stable: the script's order within a second is kept
        while moment < finish:
            phase = phase_at(moment.time())
            boundary = _at(day, _phase_end(moment.time()))
            until = min(moment + step, boundary, finish)
            inside = [c for c in pending if _time(c) <= until.time()] if until < finish else list(pending)
            pending = pending[len(inside):]
            yield DayStep(until, phase, tuple(inside), day=index, checkpoint=until in (boundary, finish))
            moment = until


def _phase_end(moment: dt.time) -> dt.time:
    return next(ends for ends, _ in _TIMETABLE if moment < ends)


def phase_at(moment: dt.time) -> str:
    """The exchange's phase at this time of day (the phase that ends first after it)."""
    for ends, phase in _TIMETABLE:
        if moment < ends:
            return phase
    return "evening"


def phase_of(content: Mapping[str, Any]) -> str:
    """`ato`, `continuous` or `atc`: where a trade's volume belongs ([phases])."""
    return _PHASE_OF_SESSION.get(str(content.get("TradingSession", "")), "continuous")


def in_hour(moment: dt.datetime, hour: tuple[dt.time, dt.time]) -> bool:
    return hour[0] <= moment.astimezone(MARKET_TZ).time() < hour[1]


def _time(content: Mapping[str, Any]) -> dt.time:
    return dt.time.fromisoformat(str(content.get("Time", "00:00:00")))


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, MARKET_TZ)
