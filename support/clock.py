"""The tracker's clock as the steps see it, whichever way it is moved ([test-clock], section 6 of docs/CONTRACT.md).

    clock = world.clock                       # ControlClock or FakeClock (support/faketime.py)
    clock.set_time_of_day(15, 4, 30)
    clock.advance(61)
    clock.now()

Two mechanisms stand behind one protocol: the reference tracker's test-control routes
(`POST /__test__/clock`), and libfaketime for a tracker without them. Steps never know which.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

from support.http_client import HttpClient

MARKET_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MECHANISMS = ("auto", "control", "faketime", "none")  # --clock / -D clock=


class Clock(Protocol):
    def now(self) -> dt.datetime: ...
    def advance(self, seconds: float) -> dt.datetime: ...
    def set_time_of_day(self, hour: int, minute: int, second: int = 0) -> dt.datetime: ...
    def hold(self) -> None: ...


class ControlClock:
    """`POST /__test__/clock`: every time window of the tracker follows it.

        clock = ControlClock(http)
        clock.set(dt.datetime(2024, 12, 2, 15, 4, 30, tzinfo=MARKET_TZ))
        clock.advance(61)
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def now(self) -> dt.datetime:
        return _moment(self.http.get_json("/__test__/clock"))

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


def next_time_of_day(moment: dt.datetime, time: tuple[int, int, int]) -> dt.datetime:
    """The first `time` of day in Ho Chi Minh City strictly after `moment`."""
    local = moment.astimezone(MARKET_TZ)
    found = dt.datetime.combine(local.date(), dt.time(*time), MARKET_TZ)
    return found if found > local else found + dt.timedelta(days=1)


def _moment(body: object) -> dt.datetime:
    if not isinstance(body, dict) or not isinstance(body.get("now"), str):
        raise AssertionError(f"the tracker's clock answered {body!r}, not {{'now': '<ISO time>'}}")  # noqa: TRY004 - an outcome, not a type error
    return dt.datetime.fromisoformat(body["now"])
