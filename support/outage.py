"""Outages of the exchange feed staged at the simulator, and the tracker's way back, timed on its clock.

    outage = Outage.begin(feed, clock)                 # the feed is closed; reconnects accepted at once
    outage.wait_back(feed, clock)                      # time passes on the tracker's clock until it is back
    outage = Outage.begin(feed, clock, refuse_for_s=REFUSED_FOR_GOOD)
    checked = outage.check_backoff(feed, clock, [2, 4, 8], noticed=when_a_screen_was_told)

What the tracker did (when each attempt began with its token request, when it negotiated, how many
stream sockets it held) is read from the simulator's record, in real time; where it happened on
the tracker's clock is `clock.then(...)` of those moments ([test-clock] of docs/CONTRACT.md).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from support.clock import Clock, RealTime, advance_to
from support.eventually import consistently, eventually
from support.upstream import SimulatorFeed

FIRST_DELAY_S = 2.0          # [outage-backoff]: the first delay, then doubling up to the cap
TOLERANCE = 0.2              # each delay within 20 % of its nominal value
MOMENT_S = FIRST_DELAY_S * (1 + TOLERANCE) + 0.1   # past any first delay the contract allows
MOVE_EVERY_S = 0.5           # real seconds between two such moves while the tracker is not back
REFUSED_FOR_GOOD = 24 * 3600.0                      # the simulator's longest refusal: "stays refused"
RECONNECT_TIMEOUT_S = 20.0   # real seconds for a tracker to be back once its delay has passed
NOTICE_TIMEOUT_S = 5.0
ATTEMPT_TIMEOUT_S = 10.0     # real seconds for an attempt to reach the exchange once it is due (a busy 2-core CI machine once took over 5)
QUIET_WATCH_S = 0.15         # real seconds an early attempt has to show before the clock passes 80 %
EDGE_MARGIN_S = 0.05         # the watch ends this far on the tracker's clock before 80 % of the delay
ATTEMPT_SLACK_S = 0.1        # after its negotiation an attempt is over within this (its refusal arrives)


@dataclass(frozen=True)
class Attempt:
    """One reconnect attempt as the exchange saw it, in real time: its token request, its negotiation."""

    began: dt.datetime
    reached: dt.datetime


@dataclass(frozen=True)
class Checked:
    """One delay of the backoff: nominal, and on the tracker's clock the latest time with no attempt yet
    and the time by which one had come (seconds after the previous attempt or the loss)."""

    nominal: float
    quiet_until: float
    came_by: float


@dataclass(frozen=True)
class Outage:
    """The simulator's record just before the outage, and the real time it began."""

    began: dt.datetime
    token_requests: int
    negotiations: int
    connections: frozenset[str]

    @classmethod
    def begin(cls, feed: SimulatorFeed, clock: Clock | None = None, *, refuse_for_s: float = 0.0,
              abrupt: bool = False) -> Outage:
        """Close the tracker's stream; refuse its reconnects for `refuse_for_s` seconds (real time).

        A clock that can stand still is held first, so the loss happens at a known time on it.
        """
        if clock is not None:
            clock.hold()
        state = feed.state()
        outage = cls(began=_utc_now(), token_requests=int(state.get("token_requests", 0)),
                     negotiations=len(state.get("negotiations", [])),
                     connections=frozenset(str(c.get("id")) for c in state.get("connections", [])))
        feed.drop(refuse_for_s=refuse_for_s, abrupt=abrupt)  # returns once the stream is closed
        return outage

    # -- the way back ------------------------------------------------------------------------
    def wait_noticed(self, feed: SimulatorFeed) -> None:
        """Until the exchange shows the tracker's stream from before the outage closed."""
        def check() -> None:
            still = [c for c in feed.state().get("connections", []) if str(c.get("id")) in self.connections]
            assert not still, f"expected the exchange to show the tracker's stream connection closed; it still has {still}"
        eventually(check, timeout=NOTICE_TIMEOUT_S)

    def wait_back(self, feed: SimulatorFeed, clock: Clock | None = None) -> None:
        """Until a new stream connection (none from before the outage) has subscribed to channels.

        With a clock the suite moves, time passes on it while the suite waits: it goes on by MOMENT_S,
        past any first delay the contract allows, at once and then every MOVE_EVERY_S of real time
        while the tracker is not back yet (it may notice the loss a moment after the exchange closed
        the stream, so the first move can come before its wait began). Real time passes by itself.
        """
        passing = clock if clock is not None and not isinstance(clock, RealTime) else None
        moved_at: list[float] = []

        def check() -> None:
            state = feed.state()
            fresh = [c for c in state.get("connections", [])
                     if c.get("channels") and str(c.get("id")) not in self.connections]
            if fresh:
                return
            if passing is not None and (not moved_at or time.monotonic() - moved_at[-1] >= MOVE_EVERY_S):
                passing.advance(MOMENT_S)
                moved_at.append(time.monotonic())
            raise AssertionError(
                f"expected the tracker to subscribe to the exchange feed again after the outage; the exchange "
                f"shows connections {state.get('connections')} and "
                f"{len(state.get('negotiations', [])) - self.negotiations} negotiation(s) since")
        eventually(check, timeout=RECONNECT_TIMEOUT_S, interval=0.05)

    # -- the attempts --------------------------------------------------------------------------
    def attempts(self, feed: SimulatorFeed) -> tuple[list[Attempt], list[str]]:
        """The attempts since the outage began, and what is wrong with their authentication.

        An attempt is a negotiation; it authenticated afresh when a token request came after the
        previous attempt's negotiation (or the outage's start) and before its own.
        """
        state = feed.state()
        tokens = _times(state, "token_request_times")[self.token_requests:]
        negotiations = _times(state, "negotiations")[self.negotiations:]
        attempts: list[Attempt] = []
        problems: list[str] = []
        previous = self.began
        for number, reached in enumerate(negotiations, start=1):
            fresh = [moment for moment in tokens if previous <= moment <= reached]
            if not fresh:
                problems.append(f"attempt {number} (negotiated {reached.time()}) asked for no new token")
            attempts.append(Attempt(began=fresh[-1] if fresh else reached, reached=reached))
            previous = reached
        return attempts, problems

    def check_backoff(self, feed: SimulatorFeed, clock: Clock, delays: Sequence[float], *,
                      noticed: dt.datetime) -> list[Checked]:
        """Each delay in turn: no attempt while the tracker's clock is before 80 % of it, one by 120 %.

        `noticed` is a real moment by which the tracker had seen the loss (a screen told of it). The
        clock is moved to just before 80 % of the delay after the earliest the wait can have begun
        (a running clock: that much earlier than the watch lasts), watched for an early attempt, then
        moved to 120 % after the latest it can have begun; an
        attempt whose token request came before that second move came early. Each delay is counted
        from the previous attempt's start (its token request) to its end (its negotiation and refusal).
        """
        low, high = clock.then(self.began), clock.then(noticed)
        checked: list[Checked] = []
        for number, delay in enumerate(delays, start=1):
            quiet_until = low + dt.timedelta(seconds=delay * (1 - TOLERANCE) - EDGE_MARGIN_S)
            running_s = 0.0 if clock.stands_still else QUIET_WATCH_S  # a running clock moves on while watched
            advance_to(clock, quiet_until - dt.timedelta(seconds=running_s))
            watch = QUIET_WATCH_S if clock.stands_still else (quiet_until - clock.now()).total_seconds()
            consistently(partial(self._no_attempt_beyond, feed, number - 1, delay), duration=max(0.0, watch))
            second_move = _to_millisecond(_utc_now())  # as the record shows it, never later
            came_by = advance_to(clock, high + dt.timedelta(seconds=delay * (1 + TOLERANCE)))
            attempt = eventually(partial(self._attempt, feed, number, delay), timeout=ATTEMPT_TIMEOUT_S)
            assert attempt.began >= second_move, (
                f"expected attempt {number} no earlier than {delay * (1 - TOLERANCE):g} s after the "
                f"{'loss' if number == 1 else 'previous attempt'}; it began before the tracker's clock got there "
                f"(at {attempt.began.time()}, the clock was moved on at {second_move.time()})")
            checked.append(Checked(delay, round((quiet_until - low).total_seconds(), 3),
                                   round((came_by - low).total_seconds(), 3)))
            low = clock.then(attempt.began)
            high = clock.then(attempt.reached) + dt.timedelta(seconds=ATTEMPT_SLACK_S)
        return checked

    def _no_attempt_beyond(self, feed: SimulatorFeed, count: int, delay: float) -> None:
        attempts, _ = self.attempts(feed)
        assert len(attempts) <= count, (
            f"expected no reconnect attempt {count + 1} before {delay * (1 - TOLERANCE):g} s on the tracker's "
            f"clock; the exchange saw it (attempts began at {[a.began.time().isoformat() for a in attempts]})")

    def _attempt(self, feed: SimulatorFeed, number: int, delay: float) -> Attempt:
        attempts, _ = self.attempts(feed)
        assert len(attempts) >= number, (
            f"expected reconnect attempt {number} by {delay * (1 + TOLERANCE):g} s on the tracker's clock "
            f"(a delay of {delay:g} s within {TOLERANCE:.0%}); the exchange saw {len(attempts)} attempt(s)")
        assert len(attempts) == number, (
            f"expected one reconnect attempt once {delay:g} s had passed; the exchange saw "
            f"{len(attempts) - number + 1} at once")
        return attempts[number - 1]


def _times(state: dict[str, Any], key: str) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(moment) for moment in state.get(key, [])]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _to_millisecond(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
