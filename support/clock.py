"""The tracker's clock as the steps see it, whichever way it is moved ([test-clock], section 6 of docs/CONTRACT.md).

    clock = world.clock                       # ControlClock or FakeClock (support/faketime.py)
    clock.set_time_of_day(15, 4, 30)
    clock.advance(61)
    clock.now()

Two mechanisms stand behind one protocol: the reference tracker's test-control routes
(`POST /__test__/clock`), and libfaketime for a tracker without them. Steps never know which.
A third stands in where neither works, for the scenarios tagged @real_time_fallback: `RealTime`,
which lets time pass by waiting it out.

    clock.then(seen_at)                       # the tracker's time at a past real moment
    watch_until(clock, moment, check)         # `check` holds from now until just before `moment`
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo

from support.errors import TargetError
from support.eventually import consistently
from support.http_client import HttpClient

MARKET_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MECHANISMS = ("auto", "control", "faketime", "none")  # --clock / -D clock=


class Clock(Protocol):
    stands_still: bool  # True: between moves no time passes for the tracker (a held test clock)

    def now(self) -> dt.datetime: ...
    def advance(self, seconds: float) -> dt.datetime: ...
    def set_time_of_day(self, hour: int, minute: int, second: int = 0) -> dt.datetime: ...
    def hold(self) -> None: ...
    def then(self, moment: dt.datetime) -> dt.datetime:
        """The tracker's time at the past real moment `moment`, the clock not having been moved since."""
        ...


class ControlClock:
    """`POST /__test__/clock`: every time window of the tracker follows it.

        clock = ControlClock(http)
        clock.set(dt.datetime(2024, 12, 2, 15, 4, 30, tzinfo=MARKET_TZ))
        clock.advance(61)
    """

    stands_still = True  # once moved ([test-clock]); steps hold() it before they rely on that

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def now(self) -> dt.datetime:
        return _moment(self.http.get_json("/__test__/clock"))

    def then(self, moment: dt.datetime) -> dt.datetime:
        """A held clock showed then what it shows now."""
        return self.now()

    def hold(self) -> None:
        """Stop the clock where it is: from now on only the scenario moves it."""
        self.advance(0)

    def advance(self, seconds: float) -> dt.datetime:
        return _moment(self.http.ok_json(self.http.post("/__test__/clock", body={"advance_seconds": seconds})))

    def set(self, moment: dt.datetime) -> dt.datetime:
        """Freeze the clock at `moment` (a naive time is taken as Ho Chi Minh City time)."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=MARKET_TZ)
        return _moment(self.http.ok_json(self.http.post("/__test__/clock", body={"set": aware.isoformat()})))

    def set_time_of_day(self, hour: int, minute: int, second: int = 0) -> dt.datetime:
        """Today (in the tracker's calendar) at this Ho Chi Minh City time."""
        today = self.now().astimezone(MARKET_TZ).date()
        return self.set(dt.datetime.combine(today, dt.time(hour, minute, second), MARKET_TZ))


class RealTime:
    """A tracker's clock that nothing can move (no test control, no libfaketime): time passes in real time.

    Only scenarios tagged @real_time_fallback get it, instead of being skipped: "2 seconds pass" then
    waits 2 real seconds, which is the scenario's premise here, not a stand-in for synchronisation.
    """

    stands_still = False

    def now(self) -> dt.datetime:
        return dt.datetime.now(MARKET_TZ)

    def hold(self) -> None:
        """Nothing can hold real time."""

    def advance(self, seconds: float) -> dt.datetime:
        if seconds < 0:
            raise ValueError(f"real time does not go back {-seconds:g} s")
        time.sleep(seconds)  # the time the scenario says passes, in the only way it can here
        return self.now()

    def set_time_of_day(self, hour: int, minute: int, second: int = 0) -> dt.datetime:
        raise RuntimeError(f"no clock can be moved on this run, so it cannot be {hour:02}:{minute:02}:{second:02}: "
                           "a scenario that needs a time of day is tagged @clock without @real_time_fallback")

    def then(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(MARKET_TZ)


def advance_to(clock: Clock, moment: dt.datetime) -> dt.datetime:
    """Move `clock` forward to `moment` (not at all when it is there already)."""
    seconds = (moment - clock.now()).total_seconds()
    return clock.advance(seconds) if seconds > 0 else clock.now()


def watch_until(clock: Clock, moment: dt.datetime, check: Callable[[], object], *, margin_s: float = 0.1) -> None:
    """`check` holds from now until `margin_s` before `moment` on the tracker's clock.

    A clock that stands still is moved there (a move takes effect before its answer, [test-clock]) and
    checked; a running one (libfaketime, real time) is watched in real time until then. A running
    clock can pass `moment` before a look has answered (a busy machine): a failed look taken
    partly after `moment` proves nothing, so it is a TargetError (broken), not a verdict.
    """
    end = moment - dt.timedelta(seconds=margin_s)
    if clock.stands_still:
        check()
        advance_to(clock, end)
        check()
        return
    try:
        consistently(check, duration=max(0.0, (end - clock.now()).total_seconds()))
    except AssertionError as failure:
        if clock.now() < moment:
            raise
        raise TargetError(f"the tracker's clock ran past {moment.time()} before the suite's look answered, so "
                          f"what it saw may be after that time and proves nothing: {failure}") from None


def next_time_of_day(moment: dt.datetime, time: tuple[int, int, int]) -> dt.datetime:
    """The first `time` of day in Ho Chi Minh City strictly after `moment`."""
    local = moment.astimezone(MARKET_TZ)
    found = dt.datetime.combine(local.date(), dt.time(*time), MARKET_TZ)
    return found if found > local else found + dt.timedelta(days=1)


def _moment(body: object) -> dt.datetime:
    if not isinstance(body, dict) or not isinstance(body.get("now"), str):
        raise AssertionError(f"the tracker's clock answered {body!r}, not {{'now': '<ISO time>'}}")  # noqa: TRY004 - an outcome, not a type error
    return dt.datetime.fromisoformat(body["now"])
