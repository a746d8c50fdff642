"""Waiting by outcome, never by sleeping: the one way the suite waits (poll a check until a deadline)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from support import allure_report

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 5.0
POLL_INTERVAL_S = 0.02


class Hopeless(AssertionError):
    """A failed outcome that can no longer change (a closed connection receives nothing more): not retried."""


def eventually(check: Callable[[], T], timeout: float = DEFAULT_TIMEOUT_S,
               interval: float = POLL_INTERVAL_S, *,
               timed_out: Callable[[AssertionError], Exception] | None = None) -> T:
    """Call `check` until it stops raising AssertionError and return its result.

    Any other exception, and `Hopeless`, ends the wait at once: that is how a check says that
    waiting cannot help (a process that died raises TargetError). At the deadline the last
    AssertionError is raised again with the time waited added, or `timed_out(last)` is raised
    instead (readiness waits make it a TargetError: a tracker that never starts is infrastructure).
    Evidence (HTTP exchanges) of the attempts is muted except for the last one.
    """
    deadline = time.monotonic() + timeout
    with allure_report.only_last_attachments():
        while True:
            try:
                return check()
            except Hopeless:
                raise
            except AssertionError as error:
                if time.monotonic() >= deadline:
                    if timed_out is not None:
                        raise timed_out(error) from None
                    raise AssertionError(f"{error}\n(still so after waiting {timeout:g} s)") from None
            time.sleep(interval)  # poll interval, bounded by the deadline above


def consistently(check: Callable[[], object], duration: float,
                 interval: float = POLL_INTERVAL_S) -> None:
    """Call `check` for `duration` seconds; the first AssertionError fails at once.

    For "never"/"no more than" outcomes: nothing can prove a negative without a window.
    """
    deadline = time.monotonic() + duration
    with allure_report.only_last_attachments():
        while True:
            check()
            if time.monotonic() >= deadline:
                return
            time.sleep(interval)  # poll interval, bounded by the deadline above
