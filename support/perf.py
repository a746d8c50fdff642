"""Performance scenarios' driver: sizes from the PERF_* knobs, Locust runs, limits read from Gherkin tables.

    from support.perf import LoadPlan, run_plan, check_limits, LOAD_TRACKER_ENV
    target.start(LOAD_TRACKER_ENV)
    result = run_plan(LoadPlan.streaming(500, 60), target.tracker_url, target.simulator_url)
    checks = check_limits(result, [{"measure": "delivery latency p99", "limit": "under 100 ms"}])

Knobs (environment): PERF_SCALE multiplies every user count (CI: 0.1), PERF_USERS replaces
it outright, PERF_DURATION_S caps every duration (CI: 15), PERF_PROCESSES runs Locust with
`--processes N`, PERF_OUT keeps Locust's CSV and HTML in a directory of your choice
(by default they live in a temporary directory for the scenario, attached to Allure, then removed).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from load.thresholds import OPS
from support.errors import ScenarioSkip
from support.locust_runner import (
    LoadResult,
    LoadRun,
    attach_to_allure,
    run_locust,
)
from support.throughput import UpstreamFigures

STAMP_SYMBOL = "ZZSTAMP"
# The tracker under load: the contract's default throttle (the latency excludes it by
# publishing stamps on quiet-window boundaries, see load/README.md), the stamp symbol
# tracked, and room for every client from 127.0.0.1.
LOAD_TRACKER_ENV: dict[str, str] = {
    "WS_THROTTLE_INTERVAL_MS": "500",
    "EXTRA_SYMBOLS": STAMP_SYMBOL,
    "WS_MAX_CONNECTIONS_PER_IP": "100000",
    "WS_QUEUE_SIZE": "50",
    "LOG_LEVEL": "WARNING",
}


def scaled_users(users: int) -> int:
    """PERF_USERS if set, else `users` x PERF_SCALE (at least 1)."""
    if os.environ.get("PERF_USERS"):
        return max(1, int(os.environ["PERF_USERS"]))
    return max(1, round(users * float(os.environ.get("PERF_SCALE", "1"))))


def scaled_count(count: int) -> int:
    """`count` x PERF_SCALE (at least 1000): message counts follow the scale, never PERF_USERS."""
    return max(1000, round(count * float(os.environ.get("PERF_SCALE", "1"))))


def scaled_seconds(seconds: float) -> float:
    """`seconds`, capped by PERF_DURATION_S when set."""
    cap = os.environ.get("PERF_DURATION_S")
    return min(seconds, float(cap)) if cap else seconds


@dataclass(frozen=True)
class LoadPlan:
    """What a scenario asks of Locust, before the knobs scale it."""

    scenario: str
    locustfile: str
    users: int
    seconds: float
    user_classes: tuple[str, ...] = ()
    options: Mapping[str, str | int | float] = field(default_factory=dict)
    shaped: bool = False

    @classmethod
    def streaming(cls, users: int, seconds: float) -> LoadPlan:
        return cls("market channel streaming", "load/locustfile.py", scaled_users(users), scaled_seconds(seconds),
                   ("MarketStreamUser",))

    @classmethod
    def polling(cls, users: int, every_s: float, seconds: float) -> LoadPlan:
        return cls("foreign detail polling", "load/locustfile.py", scaled_users(users), scaled_seconds(seconds),
                   ("ForeignPoller",), {"poll-interval": every_s})

    @classmethod
    def reconnect_storm(cls, users: int, seconds: float) -> LoadPlan:
        return cls("reconnect storm", "load/locustfile.py", scaled_users(users), scaled_seconds(seconds),
                   ("ReconnectStormUser",))

    @classmethod
    def market_open(cls, users: int, ramp_s: float, hold_s: float) -> LoadPlan:
        users, ramp, hold = scaled_users(users), scaled_seconds(ramp_s), scaled_seconds(hold_s)
        down = scaled_seconds(15.0)
        # the shape stops the run; -t is only a bound 10 s after it
        return cls("market-open burst", "load/market_open.py", users, ramp + hold + down + 10, (),
                   {"open-users": users, "open-ramp": ramp, "open-hold": hold, "open-down": down}, shaped=True)


def output_root(scratch: Callable[[], Path]) -> Path:
    """PERF_OUT when set (kept for people), else `scratch()`: a directory the scenario removes."""
    kept = os.environ.get("PERF_OUT")
    return Path(kept) if kept else scratch()


def run_plan(plan: LoadPlan, tracker_url: str, simulator_url: str | None, out_root: Path) -> LoadResult:
    """Run the plan against a started tracker; attach the statistics to Allure."""
    slug = re.sub(r"[^a-z0-9]+", "-", plan.scenario.lower()).strip("-")
    out = out_root / slug
    options: dict[str, str | int | float] = {"stamp-symbol": STAMP_SYMBOL, "thresholds": "", **plan.options}
    if simulator_url:
        options["sim-url"] = simulator_url
    processes = int(os.environ["PERF_PROCESSES"]) if os.environ.get("PERF_PROCESSES") else None
    run = LoadRun(locustfile=plan.locustfile, host=tracker_url, out_dir=out, users=plan.users,
                  spawn_rate=max(1.0, min(200.0, plan.users / 5)), run_time_s=plan.seconds,
                  user_classes=plan.user_classes, processes=processes, options=options, shaped=plan.shaped,
                  name=slug)
    result = run_locust(run)
    attach_to_allure(result)
    return result


# -- limits from a Gherkin table ------------------------------------------------------------
_ENTRIES = {
    "delivery latency": "delivery latency",
    "foreign detail": "/api/market/foreign-detail",
    "snapshot": "/api/market/snapshot",
    "alerts": "/api/market/alerts",
    "connect time": "connect /ws/market",
    "reconnect time": "reconnect /ws/market",
}
_WORDS = {"under": "<", "at most": "<=", "at least": ">=", "above": ">"}
_LIMIT = re.compile(r"^(under|at most|at least|above)\s+([\d,]+(?:\.\d+)?)\s*(ms|%|msg/s|messages/s|MB)?$")


# Units of figures that depend on how busy the machine is. PERF_TIMING=report (make perf-ci)
# prints a missed timing limit as WARN instead of failing: on a shared CI machine a latency is
# a measurement, not a verdict. Failures, lost clients and memory are always enforced.
TIMED_UNITS = frozenset({"ms", "msg/s"})


def timing_enforced() -> bool:
    """False when PERF_TIMING=report; ValueError for anything but `enforce` or `report`."""
    mode = os.environ.get("PERF_TIMING", "enforce").strip().lower()
    if mode not in {"enforce", "report"}:
        raise ValueError(f"PERF_TIMING={mode!r}: use 'enforce' (the default) or 'report'")
    return mode == "enforce"


@dataclass(frozen=True)
class Check:
    measure: str
    limit: str
    actual: float
    unit: str
    ok: bool
    enforced: bool = True

    @classmethod
    def of(cls, measure: str, limit: str, actual: float, unit: str) -> Check:
        enforced = unit not in TIMED_UNITS or timing_enforced()
        return cls(measure, limit, actual, unit, limit_holds(limit, actual), enforced)

    @property
    def passed(self) -> bool:
        return self.ok or not self.enforced

    def line(self) -> str:
        mark = "ok  " if self.ok else ("MISS" if self.enforced else "WARN")
        note = "" if self.ok or self.enforced else " - reported only (PERF_TIMING=report)"
        return f"{mark} {self.measure}: {self.actual:,.4g} {self.unit} (limit: {self.limit}){note}"


def _measure(result: LoadResult, measure: str) -> tuple[float, str]:
    if measure == "failures":
        return 100.0 * result.stats.total.fail_ratio, "%"
    for label, entry_name in _ENTRIES.items():
        m = re.fullmatch(rf"{label} (p50|p95|p99|median|max)", measure)
        if m:
            entry = result.entry(entry_name)
            if not entry.timed:
                raise AssertionError(f"the run has no sample of {entry_name!r}:\n{result.table()}")
            return {"p50": entry.median_ms, "median": entry.median_ms, "p95": entry.p95_ms,
                    "p99": entry.p99_ms, "max": entry.max_ms}[m[1]], "ms"
    raise ValueError(f"unknown measure {measure!r}: use 'failures' or one of "
                     f"{', '.join(_ENTRIES)} followed by p50, p95, p99 or max")


def limit_holds(limit: str, actual: float) -> bool:
    """`under 100 ms`, `at most 0`, `at least 50,000 msg/s` against a value in the limit's unit."""
    m = _LIMIT.match(limit.strip())
    if m is None:
        raise ValueError(f"limit {limit!r} is not 'under|at most|at least|above <number> [ms|%|msg/s|MB]'")
    return OPS[_WORDS[m[1]]](actual, float(m[2].replace(",", "")))


def check_limits(result: LoadResult, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per row of a `| measure | limit |` table."""
    checks = []
    for row in table:
        actual, unit = _measure(result, row["measure"].strip())
        checks.append(Check.of(row["measure"].strip(), row["limit"].strip(), actual, unit))
    return checks


def verdict(scenario: str, result: LoadResult, checks: Sequence[Check]) -> None:
    """Record the checks (summary.json beside the Locust output) and fail with the statistics when one misses."""
    summary = {
        "scenario": scenario, "users": result.run.users, "seconds": result.run.run_time_s,
        "exit_code": result.exit_code, "cpu_warning": result.cpu_warning,
        "checks": [{"measure": c.measure, "limit": c.limit, "actual": f"{c.actual:,.4g} {c.unit}", "ok": c.ok,
                    "enforced": c.enforced}
                   for c in checks],
    }
    Path(result.run.out_dir, "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    lines = [c.line() for c in checks]
    if result.cpu_warning:
        lines.append("WARNING: Locust's CPU went above 90 %: the measurement is spoiled (the client set the pace)")
    try:
        import allure
        allure.attach("\n".join(lines), name="Limits", attachment_type=allure.attachment_type.TEXT)
    except ImportError:
        pass
    if not all(c.passed for c in checks):
        raise AssertionError("load limits missed:\n" + "\n".join(lines) + "\n\n" + result.table())


def failed_entries(result: LoadResult, *names: str) -> list[str]:
    """`METHOD name: n failures` for each named entry that has failures or no request at all."""
    problems = []
    for name in names:
        entry = result.entry(name)
        if entry.requests == 0:
            problems.append(f"{name}: no sample")
        elif entry.failures:
            problems.append(f"{entry.method} {name}: {entry.failures} of {entry.requests} failed")
    return problems


# -- the tracker's processing, through its upstream (support/throughput.py) --------------------
def check_processing_limits(figures: UpstreamFigures, table: Sequence[Mapping[str, str]]) -> list[Check]:
    """One check per `| measure | limit |` row: `throughput` (msg/s) or `memory growth` (MB)."""
    values = {"throughput": (figures.msg_per_s, "msg/s"), "memory growth": (figures.memory_mb, "MB")}
    checks = []
    for row in table:
        measure = row["measure"].strip()
        if measure not in values:
            raise ValueError(f"unknown measure {measure!r}: use {' or '.join(values)}")
        actual, unit = values[measure]
        if actual is None:
            raise ScenarioSkip(f"the {measure} of this tracker cannot be read on this target (a tracker the suite "
                               "did not start)")
        checks.append(Check.of(measure, row["limit"].strip(), actual, unit))
    return checks


def processing_verdict(figures: UpstreamFigures, checks: Sequence[Check]) -> None:
    """Fail with every figure when a limit is missed; attach them either way."""
    how = (f"({figures.messages:,} messages through the simulator in {figures.seconds:.2f} s, counted by the "
           "tracker's own metrics)")
    lines = [*(c.line() for c in checks), how]
    try:
        import allure
        allure.attach("\n".join(lines), name="Processing figures", attachment_type=allure.attachment_type.TEXT)
    except ImportError:
        pass
    if not all(c.passed for c in checks):
        raise AssertionError("processing limits missed:\n" + "\n".join(lines))
