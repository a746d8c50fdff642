"""Trackers started ahead of need, so that a scenario which leaves the configuration alone does not wait for one.

    spares = pool.for_options(options)               # this process's pool, None where targets are not pooled
    key = StartKey.of(world.env, world.exchange, faketime=False)
    lease = spares.acquire(key, fresh)               # a spare started with `key`, else fresh(); then it tops up
    lease.target, lease.clock                        # a started target (and the FakeClock it runs on)
    pool.warm(options)                               # a plain spare now, while the runner collects
    pool.drain()                                     # every spare stopped (reaper.drain calls it)

The contract has no reset route, so a tracker is never reused: each scenario still gets its own
simulator and tracker, and nothing one scenario did can be seen by the next. What the pool saves
is the wait: while a scenario runs, the next one's tracker starts on a background thread. It
learns which start configurations (keys) the scenarios of this process ask for and keeps one
spare for each of the SPARES_ENV most asked-for (default 2), so memory and CPU stay bounded with
several xdist workers on a small machine. A key earns a spare from its second start on (a
scenario's own token makes a key nobody asks for again); the plain one (no overrides, no exchange
setup, no libfaketime), which most scenarios use, from its first. A spare that failed to start is
never handed out (its key gets no more spares: the scenario starts its own tracker and shows the
real error), nor is one whose tracker has died while it waited. Spares are stopped when the run
drains (pytest's session finish, behave's after_all, interpreter exit); a live spare's process
group is also ended by support/processes.py at exit, should the drain not run.
"""

from __future__ import annotations

import collections
import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from support import allure_report, reaper
from support.faketime import FakeClock
from support.targets import Target, TargetOptions, create_target
from support.upstream import ExchangeSetup

SPARES_ENV = "VN30_SPARES"      # how many start keys keep a spare in this process; 0 turns the pool off
DEFAULT_SPARES = 2             # keys, one spare each: the plain configuration and, say, the @clock one under libfaketime
POOLED_TARGETS = frozenset({"wired", "live"})  # docker starts containers: a spare would double them


@dataclass(frozen=True)
class StartKey:
    """What decides how a tracker is started: two scenarios with equal keys can use each other's spare."""

    env: tuple[tuple[str, str], ...] = ()
    exchange: ExchangeSetup | None = None
    faketime: bool = False        # runs under libfaketime, on a clock of its own handed over with it
    subscribed: bool = True

    @property
    def plain(self) -> bool:
        """No overrides, no exchange setup, no libfaketime: what most scenarios start with."""
        return not self.env and self.exchange is None and not self.faketime

    @classmethod
    def of(cls, env: Mapping[str, str], exchange: ExchangeSetup | None, *, faketime: bool) -> StartKey:
        return cls(tuple(sorted(env.items())), exchange, faketime)


@dataclass
class Lease:
    """A started target and, under libfaketime, the clock it runs on with the folder of the clock's file."""

    target: Target
    clock: FakeClock | None = None
    folder: tempfile.TemporaryDirectory[str] | None = None


def scratch_clock() -> tuple[FakeClock, tempfile.TemporaryDirectory[str]]:
    """A FakeClock at real time in a fresh folder (readable by a container's user too); remove the folder after."""
    folder = tempfile.TemporaryDirectory(prefix="vn30-clock-")
    Path(folder.name).chmod(0o755)
    return FakeClock.in_folder(Path(folder.name)), folder


class TargetPool:
    """Spares of one kind of target (one TargetOptions), started one at a time on a background thread."""

    def __init__(self, make: Callable[[], Target], *, keys: int = DEFAULT_SPARES) -> None:
        self._make = make
        self._keys = keys
        self._lock = threading.Lock()
        self._spares: dict[StartKey, Future[Lease]] = {}
        self._demand: collections.Counter[StartKey] = collections.Counter()
        self._refused: set[StartKey] = set()   # their spare failed to start: no more spares for them
        self._executor: ThreadPoolExecutor | None = None
        self._warmed = False                    # the process's first start has run, on the caller's thread
        self.handed_out = 0                     # spares taken by scenarios (for tests and the benchmark)

    def acquire(self, key: StartKey, fresh: Callable[[], Lease]) -> Lease:
        """The spare of `key` (waiting for it if it is still starting: it began before us), else `fresh()`.

        Either way, `key` counts as asked for once more and the spares are topped up at once.
        """
        lease = self._take(key)
        if lease is None:
            lease = fresh()  # an error here (a tracker refusing its environment) counts no demand
        else:
            self.handed_out += 1
        with self._lock:
            self._demand[key] += 1
        self._refill()
        return lease

    def warm(self) -> None:
        """Start the plain configuration's spare now, before any scenario asks: the first need not wait either.

        The first start of the pool runs here, on the caller's thread. Starting a tracker imports modules
        lazily (uvicorn's protocols, anyio's backend, the tracker's routes), and an import may create a
        logger. On another thread that races pytest, which walks every logger at each test phase
        (`catching_logs`): "dictionary changed size during iteration", then a worker's INTERNALERROR
        and pytest-xdist's `KeyError: <WorkerController gw1>`, no test run.
        """
        with self._lock:
            self._demand.setdefault(StartKey(), 0)
            first, self._warmed = not self._warmed, True
        if first:
            started: Future[Lease] = Future()
            try:
                started.set_result(self._start(StartKey(), self._make()))
            except Exception as error:  # noqa: BLE001 - kept for the scenario that takes it, as a spare's failure is
                started.set_exception(error)
            with self._lock:
                kept = self._spares.setdefault(StartKey(), started)
            if kept is not started:
                _discard(started)
        self._refill()

    def spare_keys(self) -> list[StartKey]:
        """The keys that have a spare now (ready or starting)."""
        with self._lock:
            return list(self._spares)

    def drain(self) -> None:
        """Stop every spare (waiting for one still starting) and the background thread; the pool can start again."""
        with self._lock:
            spares, self._spares = list(self._spares.values()), {}
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        for future in spares:
            _discard(future)

    def _take(self, key: StartKey) -> Lease | None:
        with self._lock:
            future = self._spares.pop(key, None)
        if future is None:
            return None
        try:
            lease = future.result()
        except Exception:  # noqa: BLE001 - the scenario's own start will show the error, if it is not the spare's
            with self._lock:
                self._refused.add(key)
            return None
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) while it starts: no longer the pool's to drain
            _discard(future)   # so stopped once its start is over (the run's drain waits for that start)
            raise
        if not _running(lease.target):
            _discard(future)
            return None
        return lease

    def _refill(self) -> None:
        """One spare for each of the most asked-for keys; spares of keys no longer among them are stopped."""
        with self._lock:
            wanted = [key for key, count in self._demand.most_common()
                      if key not in self._refused and (count > 1 or key.plain)][:self._keys]
            dropped = [self._spares.pop(key) for key in list(self._spares) if key not in wanted]
            for key in wanted:
                if key not in self._spares:
                    if self._executor is None:
                        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vn30-spare")
                    # made here, on the caller's thread: the first one imports the target's module (and the
                    # tracker), which must not happen on a thread of its own while the runner imports
                    self._spares[key] = self._executor.submit(self._start, key, self._make())
        for future in dropped:
            _discard(future)

    def _start(self, key: StartKey, target: Target) -> Lease:
        """Start a spare as World would start the tracker of a scenario with `key` (its HTTP belongs to no scenario)."""
        clock, folder = scratch_clock() if key.faketime else (None, None)
        try:
            with allure_report.unreported():
                target.start(dict(key.env), clock=clock, subscribed=key.subscribed, exchange=key.exchange)
        except BaseException:
            target.stop()
            if folder is not None:
                folder.cleanup()
            raise
        return Lease(target, clock, folder)


def _running(target: Target) -> bool:
    """False for a target that says its tracker has stopped since it started (wired, live say; others: True)."""
    running = getattr(target, "running", None)
    return bool(running()) if callable(running) else True


def _discard(future: Future[Lease]) -> None:
    """Stop the spare of `future` once its start is over (in the background while the run still can)."""
    def stop(done: Future[Lease]) -> None:
        if done.cancelled() or done.exception() is not None:
            return  # a failed start has stopped itself
        spare = _Unused(done.result())
        try:
            reaper.stop_later(spare)
        except RuntimeError:  # the interpreter is exiting (no new threads): stop it here
            spare.stop()
    future.add_done_callback(stop)


class _Unused:
    """A spare no scenario took, stopped with the folder of its clock."""

    def __init__(self, lease: Lease) -> None:
        self.lease = lease
        self.name = f"spare {lease.target.name}"

    def stop(self) -> None:
        try:
            self.lease.target.stop()
        finally:
            if self.lease.folder is not None:
                self.lease.folder.cleanup()


_pools: dict[TargetOptions, TargetPool] = {}
_pools_lock = threading.Lock()


def spares_wanted() -> int:
    """How many keys keep a spare (SPARES_ENV; a value that is no number counts as the default)."""
    with contextlib.suppress(ValueError):
        return max(0, int(os.environ.get(SPARES_ENV, DEFAULT_SPARES)))
    return DEFAULT_SPARES


def for_options(options: TargetOptions) -> TargetPool | None:
    """This process's pool for targets of `options`; None when they are not pooled (docker, --sut-url, 0 spares)."""
    if options.name not in POOLED_TARGETS or options.sut_url or (keys := spares_wanted()) == 0:
        return None
    with _pools_lock:
        if options not in _pools:
            _pools[options] = TargetPool(lambda: create_target(options), keys=keys)
            reaper.before_drain(drain)
        return _pools[options]


def warm(options: TargetOptions) -> None:
    """Start the spare of the plain configuration, which most scenarios use, for targets of `options`."""
    spares = for_options(options)
    if spares is not None:
        spares.warm()


def drain() -> None:
    """Stop the spares of every pool of this process."""
    with _pools_lock:
        pools = list(_pools.values())
    for spares in pools:
        spares.drain()
