"""What each Locust scenario asks for (LoadPlan), sized by the PERF_* knobs, and its run against a started tracker.

    target.start(LOAD_TRACKER_ENV)
    result = run_plan(LoadPlan.streaming(500, 60), target.tracker_url, target.simulator_url, out_root)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from support.locust_runner import LoadResult, LoadRun, attach_to_allure, run_locust
from support.perf_knobs import locust_processes, scaled_seconds, scaled_users

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


@dataclass(frozen=True)
class LoadPlan:
    """What a scenario asks of Locust, once the knobs have scaled it."""

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


TOKEN_ENV = "LOAD_WS_TOKEN"  # load/options.py reads --ws-token from it


def run_plan(plan: LoadPlan, tracker_url: str, simulator_url: str | None, out_root: Path, *,
             ws_token: str | None = None) -> LoadResult:
    """Run the plan against a started tracker; attach the statistics to Allure.

    Locust judges nothing itself here (`--thresholds ""`): the scenario's limits table does.
    A WebSocket token goes to Locust by its environment (LOAD_WS_TOKEN), never on its command
    line, which the run's log and `ps` show.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", plan.scenario.lower()).strip("-")
    options: dict[str, str | int | float] = {"stamp-symbol": STAMP_SYMBOL, "thresholds": "", **plan.options}
    if simulator_url:
        options["sim-url"] = simulator_url
    run = LoadRun(locustfile=plan.locustfile, host=tracker_url, out_dir=out_root / slug, users=plan.users,
                  spawn_rate=max(1.0, min(200.0, plan.users / 5)), run_time_s=plan.seconds,
                  user_classes=plan.user_classes, processes=locust_processes(), options=options,
                  shaped=plan.shaped, name=slug)
    result = run_locust(run, env={TOKEN_ENV: ws_token} if ws_token else None)
    attach_to_allure(result)
    return result
