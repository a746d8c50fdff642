"""One object per scenario holding everything it touches, and closing all of it at the end."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from support import allure_report, allure_results, preconditions, reaper
from support.clock import Clock, ControlClock, RealTime
from support.conformance import Conformance, describe_clock
from support.errors import PreconditionBroken, PreconditionFailed, ScenarioSkip
from support.faketime import FakeClock
from support.http_client import HttpClient
from support.market import Book
from support.tags import required_capabilities, skip_reason
from support.targets import Target, TargetOptions, create_target, pool
from support.tracker_api import TrackerApi
from support.upstream import ExchangeSetup, Feed, SimulatorFeed
from support.ws_client import ClientState, WsClient

# Personas of the feature files and the channel each one watches.
CHANNELS: dict[str, str] = {
    "dashboard": "market", "slow dashboard": "market", "foreign-flow screen": "foreign",
    "index screen": "index", "alert screen": "alerts",
}
_SECRET_ENV = re.compile(r"TOKEN|SECRET|PASSWORD", re.IGNORECASE)  # env values never shown in the report
_MAX_PUBLISHED_SHOWN = 500
T = TypeVar("T")
CLOCK_TAG = "clock"  # the scenario moves the tracker's clock: the run's mechanism decides how, or skips it
FALLBACK_TAG = "real_time_fallback"  # ...and where no clock can be moved, its time passes in real time instead
_DEFAULT = object()


class World:
    """The scenario's state, shared by its steps (pytest-bdd: the `world` fixture; behave: context.world).

        world = World(TargetOptions(name="wired"), tags={"smoke"})
        world.configure(WS_THROTTLE_INTERVAL_MS="1000")   # only before the tracker starts
        world.set_exchange(ExchangeSetup(vn30=("ACB", "VNM"), vn30_form="flat"))   # served from start-up on
        world.feed.publish([market.trade("VNM", 100, 80.0)])   # starts the target on first use
        world.connect("dashboard"); world.screen("dashboard").wait_for(...)
        world.close(failed=False)
    """

    def __init__(self, options: TargetOptions, tags: Iterable[str]) -> None:
        self.options = options
        self.tags = frozenset(tags)
        self.env: dict[str, str] = {}
        self.exchange: ExchangeSetup | None = None
        self.book = Book()
        self.ws_token: str | None = None
        self.last_response: Any = None
        self._screens: list[tuple[str, WsClient]] = []
        self._cleanup = contextlib.ExitStack()
        self._target: Target | None = None
        self._started = False
        self._http: HttpClient | None = None
        self._feed: Feed | None = None
        self._replay: list[Any] = []
        self._earlier_days: list[Any] = []
        self._fake_clock: FakeClock | None = None
        self._clock_folder: tempfile.TemporaryDirectory[str] | None = None
        self._control_clock_at: Any = None
        self._notes: dict[type, object] = {}
        self._caller_env: dict[str, str | None] = {}  # the suite's own variables a scenario set, and their old values

    # -- the target --------------------------------------------------------------------------
    def check_target(self) -> None:
        """Skip now (ScenarioSkip) if the target cannot run or surely lacks a tagged capability."""
        target = self._target = self._target or create_target(self.options)
        missing = required_capabilities(self.tags) - target.capabilities - {CLOCK_TAG}
        if reason := skip_reason(target.name, missing):
            raise ScenarioSkip(reason)
        if CLOCK_TAG in self.tags and FALLBACK_TAG not in self.tags:
            conformance = self.conformance
            if conformance.clock is None and conformance.failure() is None:
                raise ScenarioSkip(f"skipped on target {target.name!r}: it moves the tracker's clock, which "
                                   f"{describe_clock(conformance)}")

    @property
    def conformance(self) -> Conformance:
        """The run's preconditions (checked once, on first use) and how it moves the tracker's clock."""
        return preconditions.check(self.options)

    def configure(self, **env: str) -> None:
        """Set tracker environment variables ([config-env] of docs/CONTRACT.md).

        A tracker already running (a Background reached it) is stopped, and the next step
        starts a fresh one with the new environment and replays what the exchange sent so far.
        """
        self._restart_later(", ".join(env))
        for name, value in env.items():
            if _SECRET_ENV.search(name):
                allure_results.register_secret(value)
        self.env.update(env)

    def set_exchange(self, setup: ExchangeSetup) -> None:
        """What the exchange serves from the tracker's start-up on (its VN30 basket); like configure(), a
        tracker already running is stopped, and the next step starts a fresh one that reads it."""
        self._restart_later("what the exchange serves at start-up")
        self.exchange = setup

    def _restart_later(self, what: str) -> None:
        """Stop a running tracker, so that the next step starts one with `what`, replaying the exchange's frames."""
        if not self._started:
            return
        if self._screens:
            raise RuntimeError(f"cannot set {what} now: screens are connected to the running tracker; put "
                               "configuration steps before the first screen connects")
        self._replay = list(self._feed.published if self._feed else [])
        if CLOCK_TAG in self.tags and self.conformance.clock == "control":
            self._control_clock_at = ControlClock(self.http).now()  # the new tracker goes on from there
        self._stop()

    def set_caller_env(self, name: str, value: str) -> None:
        """Set `name` in the suite's own environment until the scenario ends ([config-env]: a tracker the suite
        starts must not see it). Like configure(), a tracker already running is stopped and started again."""
        self._restart_later(f"the suite's own {name}")
        self._caller_env.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def require_ws_token(self) -> str:
        """Dashboards must present a token: configure one and remember it."""
        self.ws_token = "t-" + secrets.token_urlsafe(12)
        allure_results.register_secret(self.ws_token)  # masked in every attachment, parameter and message
        self.configure(WS_AUTH_TOKEN=self.ws_token)
        return self.ws_token

    @property
    def target(self) -> Target:
        """The started target (started on first use, with the configured environment)."""
        if not self._started:
            self.check_target()
            assert self._target is not None
            target = self._target
            if failure := self.conformance.failure():
                raise (PreconditionBroken if failure.status == "broken" else PreconditionFailed)(failure.citation())
            self._started = True
            target = self._target = self._start(target)
            missing = required_capabilities(self.tags) - target.capabilities - {CLOCK_TAG}
            if reason := skip_reason(target.name, missing):
                raise ScenarioSkip(reason)
            if self._control_clock_at is not None:
                ControlClock(self.http).set(self._control_clock_at)
                self._control_clock_at = None
            self._replay_history()
        assert self._target is not None
        return self._target

    def _start(self, target: Target) -> Target:
        """Start `target`, or take a spare of this process started ahead of need with the same configuration
        (support/targets/pool.py): the scenario's own tracker all the same, fresh, with its own simulator.

        Under libfaketime a spare brings its clock; a scenario that set its clock before the tracker
        started (its first step "it is 15:04:30") has its own, so it starts its own tracker.
        """
        faketime = self._faketime_run()
        spares = pool.for_options(self.options) if not (faketime and self._fake_clock) else None

        def fresh() -> pool.Lease:
            self._cleanup.callback(reaper.stop_later, target)  # not on the scenario's clock
            target.start(self.env, clock=self._fake_clock if self._on_faketime() else None, exchange=self.exchange)
            return pool.Lease(target)

        if spares is None:
            return fresh().target
        lease = spares.acquire(pool.StartKey.of(self.env, self.exchange, faketime=faketime), fresh)
        if lease.target is not target:
            self._cleanup.callback(reaper.stop_later, lease.target)
        if lease.clock is not None:
            self._fake_clock, self._clock_folder = lease.clock, lease.folder
        return lease.target

    def require(self, capability: str) -> Target:
        """The started target, or ScenarioSkip if it lacks `capability`."""
        target = self.target
        if capability not in target.capabilities:
            raise ScenarioSkip(skip_reason(target.name, {capability}) or capability)
        return target

    # -- drivers -----------------------------------------------------------------------------
    @property
    def http(self) -> HttpClient:
        if self._http is None:
            self._http = self._closing(HttpClient(self.target.tracker_url, keepalive=not self._on_faketime()))
        return self._http

    @property
    def api(self) -> TrackerApi:
        return TrackerApi(self.http)

    @property
    def clock(self) -> Clock:
        """The tracker's clock, moved by the run's mechanism (test control or libfaketime).

        Under libfaketime the clock exists before the tracker does: "it is 15:04:30" as the first
        step makes the tracker start at that time.
        """
        if CLOCK_TAG not in self.tags:
            raise RuntimeError("a step moves the tracker's clock in a scenario not tagged @clock: tag it, so the "
                               "suite can choose how to move the clock or skip the scenario where it cannot")
        if self._on_faketime():
            assert self._fake_clock is not None
            return self._fake_clock
        if FALLBACK_TAG in self.tags and (self.conformance.clock is None or "clock" not in self.target.capabilities):
            return RealTime()
        self.require("clock")
        return ControlClock(self.http)

    @property
    def scenario_clock(self) -> Clock | None:
        """The tracker's clock in a @clock scenario; None in the others, for which time passes in real time."""
        return self.clock if CLOCK_TAG in self.tags else None

    def _on_faketime(self) -> bool:
        """True when this scenario's tracker runs under libfaketime (creating its clock on first ask)."""
        if not self._faketime_run():
            return False
        if self._fake_clock is None:
            self._fake_clock, self._clock_folder = pool.scratch_clock()
        return True

    def _faketime_run(self) -> bool:
        return CLOCK_TAG in self.tags and self.conformance.clock == "faketime"

    @property
    def feed(self) -> Feed:
        """The exchange: frames through the simulator, as the tracker would get them in production."""
        if self._feed is None:
            target = self.require("upstream")
            assert target.simulator_url is not None
            self._feed = SimulatorFeed(self._closing(HttpClient(target.simulator_url, label="simulator")))
        return self._feed

    @property
    def published(self) -> list[Any]:
        """Every frame the exchange sent in this scenario (of the current trading day)."""
        return list(self._feed.published) if self._feed else []

    def new_trading_day(self) -> None:
        """The tracker's day has been reset (15:05): what the exchange sent so far is the previous day's.

        From now on `published` holds only the new day's frames, as the tracker counts only them;
        the earlier ones stay in the scenario's evidence.
        """
        if self._feed is not None:
            self._earlier_days.extend(self._feed.published)
            self._feed.published.clear()

    # -- what steps tell later steps -----------------------------------------------------------
    def remember(self, note: object) -> None:
        """Keep `note` for the later steps of this scenario, one per type (a later one replaces it)."""
        self._notes[type(note)] = note

    def recall(self, kind: type[T], missing: str) -> T:
        """The note of type `kind` an earlier step kept; AssertionError(`missing`) when none did."""
        note = self._notes.get(kind)
        if not isinstance(note, kind):
            raise AssertionError(missing)  # noqa: TRY004 - a scenario written out of order fails, it is no type error
        return note

    def notebook(self, kind: type[T]) -> T:
        """The scenario's note of type `kind`, made with `kind()` on first use (steps fill it in)."""
        note = self._notes.get(kind)
        if not isinstance(note, kind):
            note = kind()
            self._notes[kind] = note
        return note

    # -- screens (WebSocket clients) ---------------------------------------------------------
    def connect(self, persona: str, *, token: object = _DEFAULT, slow: bool = False,
                history: int | None = None) -> WsClient:
        """Open a screen of `persona`; the token is the configured one unless given (None: none); `history`:
        keep only that many of its latest frames (a screen watched all day)."""
        try:
            channel = CHANNELS[persona]
        except KeyError:
            raise KeyError(f"unknown screen {persona!r}: known are {', '.join(CHANNELS)}") from None
        chosen = self.ws_token if token is _DEFAULT else token
        url = self.target.tracker_url.replace("http", "ws", 1) + f"/ws/{channel}"
        if chosen is not None:
            url += f"?token={quote(str(chosen), safe='')}"  # a token is any string: & or # must not cut it
        client = WsClient(url, name=f"the {persona}", slow=slow, history=history)
        self._screens.append((persona, client))
        self._cleanup.callback(self._close_screen, client)
        return client.connect()

    def connected(self, persona: str, **kwargs: Any) -> WsClient:
        """connect() and check that the tracker admitted the screen."""
        client = self.connect(persona, **kwargs)
        if client.state is not ClientState.OPEN:
            raise AssertionError(f"{client.name} could not connect: {client.describe()}")
        return client

    def screen(self, persona: str) -> WsClient:
        """The latest screen of `persona` ("the dashboard" is the one that connected last)."""
        for name, client in reversed(self._screens):
            if name == persona:
                return client
        raise AssertionError(f"no {persona} has connected in this scenario")

    def screens(self) -> list[tuple[str, WsClient]]:
        return list(self._screens)

    # -- the end -----------------------------------------------------------------------------
    def scratch_dir(self) -> Path:
        """A temporary directory for this scenario's files, removed when the scenario ends."""
        path = Path(tempfile.mkdtemp(prefix="vn30-scenario-"))
        self._cleanup.callback(shutil.rmtree, path, ignore_errors=True)
        return path

    def target_log(self, lines: int = 200) -> tuple[str, str] | None:
        """The started target's name and the tail of its log (what the tracker said), or None."""
        if not self._started or self._target is None:
            return None
        try:
            return self._target.name, self._target.log_tail(lines)
        except Exception:  # noqa: BLE001 - a log that cannot be read is no reason to fail the scenario again
            return None

    def close(self, *, failed: bool = False) -> None:
        """Close every client, stop the target; on failure attach the target's log tail first."""
        if failed and (log := self.target_log()) is not None:
            with contextlib.suppress(Exception):
                allure_report.attach_text(f"{log[0]} target log", log[1])
        with contextlib.suppress(Exception):
            if published := [*self._earlier_days, *self.published]:  # the first ones when there are many: evidence, not an archive
                allure_report.attach_json(f"the exchange: {len(published)} frame(s) published",
                                          published[:_MAX_PUBLISHED_SHOWN])
        try:
            self._stop()
        finally:
            self._restore_caller_env()
            if self._clock_folder is not None:
                self._clock_folder.cleanup()
                self._clock_folder = self._fake_clock = None

    def _stop(self) -> None:
        cleanup, self._cleanup = self._cleanup, contextlib.ExitStack()
        self._started, self._target = False, None
        self._http = self._feed = None
        self._screens.clear()
        cleanup.close()

    def _restore_caller_env(self) -> None:
        for name, old in self._caller_env.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
        self._caller_env.clear()

    def _replay_history(self) -> None:
        frames, self._replay = self._replay, []
        if frames:
            self.feed.publish(frames)

    def _closing(self, http: HttpClient) -> HttpClient:
        self._cleanup.callback(http.close)
        return http

    @staticmethod
    def _close_screen(client: WsClient) -> None:
        try:
            client.close()
        finally:
            allure_report.attach_json(f"{client.name}: WebSocket frames", client.transcript())
