"""Waiting by outcome, never by sleeping: the only way Then-steps wait (poll until a deadline)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from support import allure_report

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 5.0
POLL_INTERVAL_S = 0.02


def eventually(check: Callable[[], T], timeout: float = DEFAULT_TIMEOUT_S,
               interval: float = POLL_INTERVAL_S) -> T:
    """Call `check` until it stops raising AssertionError and return its result.

    At the deadline the last AssertionError is raised again, with the time waited added.
    Evidence (HTTP exchanges) of the attempts is muted except for the last one.
    """
    deadline = time.monotonic() + timeout
    with allure_report.only_last_attachments():
        while True:
            try:
                return check()
            except AssertionError as error:
                if time.monotonic() >= deadline:
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
