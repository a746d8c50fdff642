"""Verdict of the whole trading day ([soak]): its figures (support/soak_day.py) against a `| measure | limit |` table.

    checks = check_day_limits(figures, [{"measure": "stream connections", "limit": "at most 1"}])
    day_verdict(figures, checks)   # printed, attached to Allure; fails on a miss with every figure
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from support import allure_report
from support.perf_verdict import Check, figure_checks
from support.soak_day import DayFigures

# measure -> (the unit its limit is written in, its figure)
MEASURES: dict[str, tuple[str, Callable[[DayFigures], float | None]]] = {
    "stream connections": ("", lambda f: f.connections),
    "most stream connections at once": ("", lambda f: f.most_connections_at_once),
    "shares not counted exactly once": ("", lambda f: f.shares_miscounted),
    "memory growth from the first to the last hour": ("MB", lambda f: f.memory_growth_mb),
    "longest heartbeat gap": ("ms", lambda f: f.longest_heartbeat_gap_s * 1000),
    "screens disconnected": ("", lambda f: f.screens_disconnected),
    "access tokens expired before renewal": ("", lambda f: f.tokens_expired),
    "boards not reset at 15:05": ("", lambda f: f.boards_not_reset),
}


def check_day_limits(figures: DayFigures, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per row; LimitError for a measure or limit not in the grammar."""
    return figure_checks(table, {measure: (unit, figure(figures)) for measure, (unit, figure) in MEASURES.items()},
                         unreadable="its memory is not readable from outside")


def day_verdict(figures: DayFigures, checks: Sequence[Check]) -> None:
    """Print and attach the figures and the checks; fail naming every miss."""
    lines = [*(check.line() for check in checks), "", *figures.summary()]
    print("\n".join(["whole trading day:", *lines]))  # the soak's figures, for `make soak`'s output (-rP)
    allure_report.attach_text("A whole trading day: figures", "\n".join(lines))
    if not all(check.passed for check in checks):
        raise AssertionError("the trading day missed its limits:\n" + "\n".join(lines))
