"""Targets stopped in the background, so a scenario's clock does not pay for its tracker going away.

    reaper.stop_later(target)     # returns at once; the stop runs on a worker thread
    reaper.drain()                # waits for every stop (end of the run; also at interpreter exit)
    reaper.before_drain(callback) # run first by every drain (the target pool stops its spares)

A stop that fails is reported when the run drains (stderr), never silently dropped. Scenarios do
not share targets, so a tracker still stopping cannot be seen by the next scenario: it has its
own ports, simulator and clock.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

WORKERS = 2


class _Stoppable(Protocol):
    name: str

    def stop(self) -> None: ...


_lock = threading.Lock()
_pending: list[tuple[str, Future[None]]] = []
_pool: ThreadPoolExecutor | None = None
_before: list[Callable[[], None]] = []
_exit_drain = False


def _forget_after_fork() -> None:
    """A forked child has none of its parent's threads: their pending stops are the parent's to finish."""
    global _lock, _pool
    _lock, _pool = threading.Lock(), None
    _pending.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


def stop_later(target: _Stoppable) -> None:
    """Stop `target` on a background thread."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="vn30-reaper")
            _drain_at_exit()
        _pending.append((target.name, _pool.submit(target.stop)))


def before_drain(callback: Callable[[], None]) -> None:
    """Run `callback` at the start of every drain (once registered, however often this is called)."""
    with _lock:
        if callback not in _before:
            _before.append(callback)
        _drain_at_exit()


def _drain_at_exit() -> None:
    global _exit_drain
    if not _exit_drain:
        atexit.register(drain)
        _exit_drain = True


def drain() -> list[str]:
    """Wait for every stop handed over so far; the failures, as lines (also printed to stderr)."""
    failures = []
    with _lock:
        callbacks = list(_before)
    for callback in callbacks:
        try:
            callback()
        except Exception as error:  # noqa: BLE001 - reported like a failed stop
            failures.append(f"before draining, {getattr(callback, '__qualname__', callback)} failed: "
                            f"{type(error).__name__}: {error}")
    with _lock:
        pending, _pending[:] = list(_pending), []
    for name, future in pending:
        try:
            future.result()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the others
            failures.append(f"stopping a {name} target failed: {type(error).__name__}: {error}")
    for line in failures:
        print(line, file=sys.stderr)
    return failures
