"""Runs a whole trading day against the tracker with its clock moved from outside, and reads what [soak] asks.

    soak_day.begin(world, (8, 50, 0))          # the tracker's and the exchange's clocks at 08:50
    screens = [world.connected(p, history=20) for p in SCREENS]
    figures = soak_day.run(world, DayPlan.from_env(), screens)

Each step of the day (support/trading_day.py) moves the tracker's clock (test control or libfaketime)
and the exchange's with it, as SSI's and a tracker's clocks agree, so the tokens the exchange issues
expire in the tracker's time; then the exchange reports the step's frames, and the step waits until
the tracker's metrics count them read ([metrics]) and every screen has had a heartbeat since. That
last wait is synchronisation, not pacing: under libfaketime a clock jump fires every timer at once,
and a jump between a ping and its pong would look to the tracker like a dead screen; jumping just
after a heartbeat keeps the jump between pings. Before the clock passes the last half hour of an
access token, the step waits for the tracker to renew it (it should have, with less than an hour
left); one that does not is counted when the token expires. Memory is read from outside the tracker
(the target's MemoryReading), at every step of the first and the last trading hour.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from support import allure_report, soak_checks
from support.clock import MARKET_TZ
from support.eventually import eventually
from support.http_client import HttpClient
from support.soak_checks import Ledger
from support.targets import MemoryReading
from support.trading_day import FIRST_HOUR, LAST_HOUR, DayPlan, DayStep, in_hour
from support.upstream import ExchangeSetup, SimulatorFeed
from support.world import World
from support.ws_client import ClientState, WsClient

BATCH = 1_000                   # frames per request to the exchange's control API
PROCESS_TIMEOUT_S = 60.0        # for the tracker to read a step's frames
RESET_TIMEOUT_S = 5.0           # for the boards to clear once the clock has passed 15:05
RENEWAL_TIMEOUT_S = 10.0        # for a renewal, the clock standing in an access token's last half hour
RENEWAL_STOP = dt.timedelta(minutes=30)
DEFAULT_HEARTBEAT_S = 30.0      # [config-env]: WS_HEARTBEAT_INTERVAL's default
DAY_BOARDS = ("session volume", "price board", "foreign flow", "index board", "derivatives board")


@dataclass
class DayFigures:
    """What the day showed, read from outside the tracker (the exchange's records, its API, its memory)."""

    steps: int = 0
    frames: int = 0
    seconds: float = 0.0
    connections: int = 0
    most_connections_at_once: int = 0
    shares_miscounted: int = 0
    miscounts: list[str] = field(default_factory=list)
    memory_first_hour: list[int] = field(default_factory=list)
    memory_last_hour: list[int] = field(default_factory=list)
    memory_growth_mb: float | None = None
    longest_heartbeat_gap_s: float = 0.0
    heartbeats: int = 0
    screens_disconnected: int = 0
    token_renewals: int = 0
    tokens_expired: int = 0
    token_notes: list[str] = field(default_factory=list)
    boards_not_reset: int = 0
    reset_notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The figures as a person reads them (printed, and attached to the report)."""
        first = _median_mb(self.memory_first_hour)
        last = _median_mb(self.memory_last_hour)
        return [
            f"day: {self.steps} clock steps, {self.frames:,} frames from the exchange, {self.seconds:.0f} s",
            f"stream connections: {self.connections} (at most {self.most_connections_at_once} at once)",
            f"shares miscounted: {self.shares_miscounted:,}" + "".join(f"\n  {line}" for line in self.miscounts[:10]),
            f"memory: first hour {first}, last hour {last}, growth "
            + (f"{self.memory_growth_mb:+.1f} MB" if self.memory_growth_mb is not None else "not readable"),
            (f"heartbeats: {self.heartbeats} received, longest gap {self.longest_heartbeat_gap_s * 1000:,.0f} ms; "
             f"screens disconnected: {self.screens_disconnected}"),
            f"access tokens: {self.token_renewals} renewed during the day, {self.tokens_expired} expired before "
            "renewal" + "".join(f"\n  {note}" for note in self.token_notes),
            f"boards not reset at 15:05: {self.boards_not_reset}" + "".join(f"\n  {n}" for n in self.reset_notes),
        ]


def begin(world: World, time_of_day: tuple[int, int, int]) -> None:
    """Put the tracker's clock at `time_of_day` today, and the exchange's with it.

    Under libfaketime the tracker has not started yet: the exchange's clock is put in place before
    it starts, so its first token already expires in the tracker's time. With test control the
    tracker runs already (on real time, as the exchange does): the exchange moves first, so a token
    the tracker renews after its clock moved is issued on the new time.
    """
    if world.conformance.clock == "faketime":
        clock = world.clock
        moment = clock.set_time_of_day(*time_of_day)
        world.set_exchange(ExchangeSetup(clock_offset_s=(moment - dt.datetime.now(dt.UTC)).total_seconds()))
        return
    today = world.clock.now().astimezone(MARKET_TZ).date()
    _exchange_clock(world, dt.datetime.combine(today, dt.time(*time_of_day), MARKET_TZ))
    world.clock.set_time_of_day(*time_of_day)


def run(world: World, plan: DayPlan, screens: Sequence[WsClient]) -> DayFigures:
    """Run the day (support/trading_day.py) and return its figures; failures of the tracker are figures too."""
    figures, ledger = DayFigures(), Ledger()
    exchange = _exchange(world)
    heartbeat_s = float(world.env.get("WS_HEARTBEAT_INTERVAL", DEFAULT_HEARTBEAT_S))
    memory = _memory_reader(world)
    started, day_start = time.monotonic(), world.clock.now()
    before = exchange.state()
    connection_ids = {str(c.get("id")) for c in before.get("connections", [])}
    read_so_far = world.api.frames_received()
    unrenewed: set[str] = set()

    def settle(moved: float) -> None:
        _heartbeat_after(screens, heartbeat_s, moved)

    with allure_report.only_last_attachments():  # hundreds of requests: keep the last of each kind
        for step in plan.steps(day_start.date()):
            if step.day == 1 and step.phase == "the 15:05 reset":
                figures.boards_not_reset, figures.reset_notes = _reset(world, step, ledger, settle)
                continue
            _renew_first(world, exchange, step.at, settle, unrenewed)
            moved = _move_clock(world, step.at)
            read_so_far = _publish(world, exchange, step, read_so_far)
            ledger.record(step.frames)
            figures.frames += len(step.frames)
            figures.steps += 1
            connection_ids |= {str(c.get("id")) for c in exchange.state().get("connections", [])}
            if step.checkpoint:
                _count_shares(world, ledger, figures, step)
            reading = memory()
            if reading is not None and step.day == 0 and in_hour(step.at, FIRST_HOUR):
                figures.memory_first_hour.append(reading)
            if reading is not None and step.day == 0 and in_hour(step.at, LAST_HOUR):
                figures.memory_last_hour.append(reading)
            settle(moved)
    after = exchange.state()
    opened = int(after.get("connections_opened", 0)) - int(before.get("connections_opened", 0))
    figures.connections = max(len(connection_ids), 1 + opened)
    figures.most_connections_at_once = int(after.get("most_connections_at_once", 0))
    day_end = dt.datetime.fromisoformat(str(after["clock"]))
    tokens = list(after.get("tokens_issued", []))
    figures.tokens_expired, figures.token_notes = soak_checks.expired_before_renewal(tokens, day_start, day_end)
    figures.token_renewals = soak_checks.renewals(tokens, day_start)
    end = time.monotonic()
    figures.heartbeats = sum(len(s.pings) for s in screens)
    figures.longest_heartbeat_gap_s = max(soak_checks.longest_gap_s(s.opened_at or started, s.pings, end)
                                          for s in screens)
    figures.screens_disconnected = sum(1 for s in screens if s.state is not ClientState.OPEN)
    if figures.memory_first_hour and figures.memory_last_hour:
        figures.memory_growth_mb = soak_checks.growth_mb(figures.memory_first_hour, figures.memory_last_hour)
    figures.seconds = end - started
    return figures


# -- the exchange and the clocks ---------------------------------------------------------------
def _exchange(world: World) -> SimulatorFeed:
    feed = world.feed
    if not isinstance(feed, SimulatorFeed):
        raise AssertionError(  # noqa: TRY004 - the scenario cannot run here: a failed outcome, no type error
            f"the exchange is {type(feed).__name__}, not the simulator: no day can be scripted")
    return feed


def _exchange_clock(world: World, moment: dt.datetime) -> None:
    http = _exchange(world).http
    http.ok_json(http.put("/control/clock", body={"set": moment.isoformat()}))


def _move_clock(world: World, moment: dt.datetime) -> float:
    """Forward to `moment` (a running faked clock may be there already), the exchange's clock first and again
    after the tracker's: a token the tracker asks for in between is issued on the new time, not on a time
    hours behind its own (which it would take for a token near its end); returns when the clock moved
    (time.monotonic())."""
    _exchange_clock(world, max(moment, world.clock.now()))
    ahead = (moment - world.clock.now()).total_seconds()
    if ahead > 0:
        world.clock.advance(ahead)
    moved = time.monotonic()
    _exchange_clock(world, world.clock.now())
    return moved


def _renew_first(world: World, exchange: SimulatorFeed, moment: dt.datetime, settle: Callable[[float], None],
                 unrenewed: set[str]) -> None:
    """Before the clock passes into the last half hour of the latest access token, wait for its renewal (once:
    a token the tracker did not renew then is left in `unrenewed`, to expire)."""
    while True:
        tokens = list(exchange.state().get("tokens_issued", []))
        if not tokens or tokens[-1]["expires_at"] in unrenewed:
            return
        stop = dt.datetime.fromisoformat(tokens[-1]["expires_at"]) - RENEWAL_STOP
        if moment < stop:
            return
        moved = _move_clock(world, stop)

        def renewed(count: int = len(tokens)) -> None:
            assert len(exchange.state().get("tokens_issued", [])) > count, "no new access token yet"
        try:
            eventually(renewed, timeout=RENEWAL_TIMEOUT_S, interval=0.05)
        except AssertionError:
            unrenewed.add(tokens[-1]["expires_at"])
            return  # not renewed: the clock goes on, and the token's expiry is counted against the tracker
        finally:
            settle(moved)


# -- one step ----------------------------------------------------------------------------------
def _publish(world: World, exchange: SimulatorFeed, step: DayStep, read_so_far: float) -> float:
    """Send the step's frames and wait until the tracker's metrics count them read; the new count."""
    http: HttpClient = exchange.http
    frames = list(step.frames)
    for start in range(0, len(frames), BATCH):
        batch = frames[start:start + BATCH]
        answer = http.ok_json(http.post("/control/frames", body={"frames": batch}))
        if not answer.get("delivered"):
            raise AssertionError(f"at {step.at:%H:%M} ({step.phase}) the exchange reached no stream connection: the "
                                 f"tracker is not subscribed (the exchange answered {answer})")
    expected = read_so_far + len(frames)

    def read() -> float:
        seen = world.api.frames_received()
        assert seen >= expected, f"the tracker has read {seen:g} frames, the exchange sent {expected:g}"
        return seen
    return eventually(read, timeout=PROCESS_TIMEOUT_S, interval=0.02) if frames else read_so_far


def _count_shares(world: World, ledger: Ledger, figures: DayFigures, step: DayStep) -> None:
    snapshot = world.api.snapshot()
    derivatives = snapshot.get("derivatives") if isinstance(snapshot.get("derivatives"), dict) else None
    off, lines = soak_checks.miscounted(ledger, world.api.volume_stats(), derivatives)
    figures.shares_miscounted += off
    figures.miscounts += [f"at {step.at:%d %H:%M} ({step.phase}): {line}" for line in lines]


def _heartbeat_after(screens: Sequence[WsClient], heartbeat_s: float, moved: float) -> None:
    """Until every open screen has had a regular heartbeat since the clock `moved` (time.monotonic()).

    A jump of a faked clock fires every due timer at once, pings included: those come at the jump,
    so the wait is for one at least half an interval after it. Then the tracker has long had the
    pongs of its own pings (to the exchange too) before the next jump. A screen without one shows
    in the longest gap, not here.
    """
    after = moved + heartbeat_s / 2

    def beaten() -> None:
        waiting = [s.name for s in screens if s.state is ClientState.OPEN and not any(p > after for p in s.pings)]
        assert not waiting, f"no heartbeat yet for {', '.join(waiting)}"
    try:
        eventually(beaten, timeout=heartbeat_s * 3 + 2.0, interval=0.005)
    except AssertionError:
        return


def _memory_reader(world: World) -> Callable[[], int | None]:
    target = world.target
    return target.tracker_memory_bytes if isinstance(target, MemoryReading) else (lambda: None)


# -- the 15:05 reset -----------------------------------------------------------------------------
def _reset(world: World, step: DayStep, ledger: Ledger, settle: Callable[[float], None]) -> tuple[int, list[str]]:
    """Boards that did not show the day before 15:05, plus boards still showing it once the clock passed 15:05."""
    wrong = [f"{board}: already empty before 15:05" for board in DAY_BOARDS if not _board(world, board)]
    moved = _move_clock(world, step.at)
    ledger.new_day()

    def cleared() -> None:
        left = [board for board in (*DAY_BOARDS, "alert history") if _board(world, board)]
        assert not left, f"still showing the day after 15:05: {', '.join(left)}"
    try:
        eventually(cleared, timeout=RESET_TIMEOUT_S)
    except AssertionError as still:
        wrong.append(str(still))
    settle(moved)
    return len(wrong), wrong


def _board(world: World, board: str) -> Any:
    """What a board shows; falsy when it is empty."""
    api = world.api
    if board == "foreign flow":
        return api.foreign_detail().get("stocks")
    if board == "alert history":
        return api.alerts(limit=200)
    snapshot = api.snapshot()
    return snapshot.get({"session volume": "quotes", "price board": "prices", "index board": "indices",
                         "derivatives board": "derivatives"}[board])


def _median_mb(readings: Sequence[int]) -> str:
    if not readings:
        return "not read"
    ordered = sorted(readings)
    return f"{ordered[len(ordered) // 2] / 1e6:.1f} MB ({len(readings)} readings)"
