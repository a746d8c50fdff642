"""The target pool: a spare is taken by an equal key only, a failed or dead one never, and drains leave none."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest

from support import market, reaper
from support.errors import TargetError
from support.faketime import FakeClock
from support.targets import TargetOptions, pool
from support.targets.pool import Lease, StartKey, TargetPool
from support.upstream import ExchangeSetup
from support.world import World

DEFAULT = StartKey.of({}, None, faketime=False)
THROTTLED = StartKey.of({"WS_THROTTLE_INTERVAL_MS": "1000"}, None, faketime=False)


class FakeTarget:
    """Counts its starts and stops; `fail` makes start() raise, `alive` is what running() says."""

    name = "fake"
    capabilities = frozenset({"upstream"})
    tracker_url = "http://127.0.0.1:9"
    simulator_url = None

    def __init__(self, *, fail: bool = False) -> None:
        self.fail, self.alive = fail, True
        self.started_with: dict[str, str] | None = None
        self.started_on: threading.Thread | None = None
        self.clock: FakeClock | None = None
        self.stopped = threading.Event()

    def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
              subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
        if self.fail:
            raise TargetError("the fake tracker refuses to start")
        self.started_with, self.clock = dict(env_overrides), clock
        self.started_on = threading.current_thread()

    def stop(self) -> None:
        self.stopped.set()

    def log_tail(self, lines: int = 100) -> str:
        return ""

    def running(self) -> bool:
        return self.alive


class Maker:
    """The pool's factory: every target it made, the next ones failing while `failing` is set."""

    def __init__(self) -> None:
        self.made: list[FakeTarget] = []
        self.failing = False

    def __call__(self) -> FakeTarget:
        self.made.append(FakeTarget(fail=self.failing))
        return self.made[-1]


def _fresh() -> tuple[FakeTarget, Lease]:
    target = FakeTarget()
    target.start({})
    return target, Lease(target)


def _spare(spares: TargetPool, key: StartKey) -> Lease:
    """The lease of `key`'s spare once its start is over (the test waits on the future, not on time)."""
    future = spares._spares[key]
    return future.result(timeout=10)


def test_a_spare_started_ahead_is_taken_by_the_next_start_with_the_same_key() -> None:
    maker = Maker()
    spares = TargetPool(maker)
    own, lease = _fresh()
    assert spares.acquire(DEFAULT, lambda: lease).target is own  # nothing started yet: the caller's own
    assert spares.spare_keys() == [DEFAULT]
    ready = _spare(spares, DEFAULT).target
    assert ready.started_with == {}

    taken = spares.acquire(DEFAULT, lambda: pytest.fail("a spare was ready, yet a fresh start was asked for"))
    assert taken.target is ready and spares.handed_out == 1
    assert spares.spare_keys() == [DEFAULT] and _spare(spares, DEFAULT).target is not ready  # the next one
    spares.drain()


def test_a_warm_pool_has_the_plain_spare_before_anyone_asks() -> None:
    maker = Maker()
    spares = TargetPool(maker)
    spares.warm()
    ready = _spare(spares, DEFAULT).target
    assert spares.acquire(DEFAULT, lambda: pytest.fail("the warm spare was not taken")).target is ready
    spares.drain()


def test_a_different_key_starts_fresh_and_the_most_asked_for_keeps_the_spare() -> None:
    maker = Maker()
    spares = TargetPool(maker, keys=1)
    for _ in range(2):
        spares.acquire(DEFAULT, lambda: _fresh()[1])
    default_spare = _spare(spares, DEFAULT).target
    own, lease = _fresh()
    assert spares.acquire(THROTTLED, lambda: lease).target is own  # another configuration: never a spare of DEFAULT
    assert spares.spare_keys() == [DEFAULT] and not default_spare.stopped.is_set()  # once is no demand yet
    for _ in range(2):  # THROTTLED is asked for more often now: its spare replaces DEFAULT's
        spares.acquire(THROTTLED, lambda: _fresh()[1])
    assert spares.spare_keys() == [THROTTLED]
    assert default_spare.stopped.wait(10)
    assert _spare(spares, THROTTLED).target.started_with == {"WS_THROTTLE_INTERVAL_MS": "1000"}
    spares.drain()
    reaper.drain()


def test_spares_are_stopped_when_the_run_drains() -> None:
    maker = Maker()
    spares = TargetPool(maker, keys=2)
    spares.acquire(DEFAULT, lambda: _fresh()[1])
    spares.acquire(THROTTLED, lambda: _fresh()[1])
    assert spares.spare_keys() == [DEFAULT]  # a configuration earns a spare from its second start on
    spares.acquire(THROTTLED, lambda: _fresh()[1])
    waiting = [_spare(spares, key).target for key in (DEFAULT, THROTTLED)]
    spares.drain()
    reaper.drain()
    assert all(target.stopped.is_set() for target in waiting)
    assert spares.spare_keys() == []
    assert not any(thread.name.startswith("vn30-spare") for thread in threading.enumerate())


def test_a_spare_that_failed_to_start_is_not_handed_out_and_its_key_gets_no_more() -> None:
    maker = Maker()
    maker.failing = True
    spares = TargetPool(maker)
    spares.acquire(DEFAULT, lambda: _fresh()[1])
    with pytest.raises(TargetError):
        _spare(spares, DEFAULT)
    own, lease = _fresh()
    assert spares.acquire(DEFAULT, lambda: lease).target is own
    assert spares.handed_out == 0 and spares.spare_keys() == []
    spares.drain()


def test_a_spare_still_starting_when_the_run_is_interrupted_is_stopped_once_started() -> None:
    release = threading.Event()

    class Slow(FakeTarget):
        def start(self, env_overrides: Mapping[str, str], clock: FakeClock | None = None, *,
                  subscribed: bool = True, exchange: ExchangeSetup | None = None) -> None:
            release.wait(10)
            super().start(env_overrides, clock)

    made: list[Slow] = []
    spares = TargetPool(lambda: made.append(Slow()) or made[-1])
    spares.acquire(DEFAULT, lambda: _fresh()[1])
    future = spares._spares[DEFAULT]
    future.result = lambda timeout=None: (_ for _ in ()).throw(KeyboardInterrupt())  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        spares.acquire(DEFAULT, lambda: pytest.fail("interrupted: no fresh start"))
    del future.result  # the interruption was the waiting's, not the start's
    release.set()
    spares.drain()   # the run's drain: waits for the start, whose spare is then stopped
    reaper.drain()
    assert made[0].stopped.is_set()


def test_a_spare_whose_tracker_died_while_it_waited_is_not_handed_out() -> None:
    maker = Maker()
    spares = TargetPool(maker)
    spares.acquire(DEFAULT, lambda: _fresh()[1])
    dead = _spare(spares, DEFAULT).target
    dead.alive = False
    own, lease = _fresh()
    assert spares.acquire(DEFAULT, lambda: lease).target is own and spares.handed_out == 0
    assert dead.stopped.wait(10)
    spares.drain()
    reaper.drain()


def test_a_spare_under_libfaketime_comes_with_a_clock_of_its_own() -> None:
    maker = Maker()
    spares = TargetPool(maker)
    key = StartKey.of({}, None, faketime=True)
    spares.acquire(key, lambda: _fresh()[1])
    spares.acquire(key, lambda: _fresh()[1])
    lease = _spare(spares, key)
    assert lease.clock is not None and lease.folder is not None and lease.target.clock is lease.clock
    folder = lease.folder.name
    spares.drain()
    reaper.drain()
    assert not Path(folder).exists()  # the clock's folder went with it


def test_targets_the_suite_does_not_start_itself_are_not_pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pool.for_options(TargetOptions(name="docker")) is None
    assert pool.for_options(TargetOptions(name="live", sut_url="http://127.0.0.1:9")) is None
    monkeypatch.setenv(pool.SPARES_ENV, "0")
    assert pool.for_options(TargetOptions(name="wired")) is None


def test_a_world_takes_a_wired_spare_a_fresh_tracker_that_saw_nothing_of_the_scenario_before() -> None:
    options = TargetOptions(name="wired")
    spares = pool.for_options(options)
    assert spares is not None
    first = World(options, tags={"trading_flow"})
    first.feed.publish([market.trade("VNM", 1000, 80.5)])
    first_urls = (first.target.tracker_url, first.target.simulator_url)
    first.close()
    handed = spares.handed_out
    second = World(options, tags={"trading_flow"})
    try:
        assert second.target is not None and spares.handed_out == handed + 1  # started on first use
        assert (second.target.tracker_url, second.target.simulator_url) != first_urls
        assert second.target.simulator_url is not None
        state = httpx.get(f"{second.target.simulator_url}/control/state").json()
        assert state["frames_sent"] == 0 and len(state["connections"]) == 1
        assert second.api.frames_received() == 0
    finally:
        second.close()
    reaper.drain()


def test_the_first_start_of_a_warmed_pool_runs_on_the_caller_s_thread_the_next_ones_in_the_background() -> None:
    """A start's lazy imports create loggers, which on another thread race pytest's walk over them."""
    maker = Maker()
    spares = TargetPool(maker)
    try:
        spares.warm()
        assert maker.made[0].started_on is threading.current_thread()
        spares.acquire(DEFAULT, _fresh)
        _spare(spares, DEFAULT)
        assert maker.made[1].started_on is not threading.current_thread()
    finally:
        spares.drain()
