"""The tracker's clock, moved through the test-control routes of [test-clock] (docs/CONTRACT.md)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from support.http_client import HttpClient

MARKET_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class TrackerClock:
    """`POST /__test__/clock`: every time window of the tracker follows it.

        clock = TrackerClock(http)
        clock.set(dt.datetime(2024, 12, 2, 15, 4, 30, tzinfo=MARKET_TZ))
        clock.advance(61)
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def now(self) -> dt.datetime:
        return _moment(self.http.get_json("/__test__/clock"))

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


def _moment(body: object) -> dt.datetime:
    if not isinstance(body, dict) or not isinstance(body.get("now"), str):
        raise AssertionError(f"the tracker's clock answered {body!r}, not {{'now': '<ISO time>'}}")  # noqa: TRY004 - an outcome, not a type error
    return dt.datetime.fromisoformat(body["now"])
