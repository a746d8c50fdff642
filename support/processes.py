"""The process groups the suite starts (trackers, Locust): each ended with its whole group when the run ends.

    process = processes.spawn(argv, env=env, stdout=out, stderr=err)   # its own session and group
    processes.end(process)                                             # TERM, then KILL, the group
    processes.install()                                                # once per run (both runners)

A tracker started with `--sut-cmd` may be a wrapper whose children hold the port, so the group
is ended, never just the pid. A run interrupted by SIGINT unwinds through the scenarios'
teardowns; `install()` makes SIGTERM and SIGHUP do the same (as KeyboardInterrupt), and ends at
interpreter exit whatever group is still registered, should a teardown not have run.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

GRACE_S = 5.0
_groups: dict[int, subprocess.Popen[bytes]] = {}
_lock = threading.Lock()
_installed = False


def spawn(argv: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
    """Popen(argv) in a session (and group) of its own, registered until `end()`."""
    process: subprocess.Popen[bytes] = subprocess.Popen(list(argv), start_new_session=True, **popen)
    with _lock:
        _groups[process.pid] = process
    return process


def end(process: subprocess.Popen[bytes], grace_s: float = GRACE_S) -> int | None:
    """SIGTERM to the group, SIGKILL after `grace_s`; its exit code (None if it could not be reaped)."""
    try:
        if process.poll() is None:
            _signal(process, signal.SIGTERM)
            try:
                process.wait(grace_s)
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
                process.wait(grace_s)
        _signal(process, signal.SIGKILL)  # what the leader left behind in its group (a wrapper's children)
        return process.returncode
    except subprocess.TimeoutExpired:
        return None
    finally:
        with _lock:
            _groups.pop(process.pid, None)


def end_all() -> None:
    """End every group still registered (interpreter exit, an interrupted run)."""
    with _lock:
        left = list(_groups.values())
    for process in left:
        end(process, grace_s=1.0)


def install() -> None:
    """SIGTERM and SIGHUP unwind the run like SIGINT does; leftover groups end at exit. Idempotent."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _interrupt)
    atexit.register(end_all)
    _installed = True


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def _signal(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
