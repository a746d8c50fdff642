"""Command-line knobs of the locustfiles (also read from LOAD_* environment variables)."""

from __future__ import annotations

import argparse
from typing import Any

from support.limits import LimitError, parse_thresholds

# docs/CONTRACT.md [perf-ws-latency]: p99 delivery < 100 ms; [perf-rest-latency]: REST p95 < 200 ms; plus < 1 % failed requests.
# The grammar is the limits tables' (support/limits.py): `<measure> <limit>`, joined by `;`.
DEFAULT_THRESHOLDS = (
    "delivery latency p99 under 100 ms; foreign detail p95 under 200 ms; "
    "snapshot p95 under 200 ms; failures under 1 %"
)


def thresholds_text(spec: str) -> str:
    """`--thresholds` as given, once it parses: a bad one stops Locust before the run, naming it."""
    try:
        parse_thresholds(spec)
    except LimitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return spec


def add_arguments(parser: Any) -> None:
    """Register the knobs on Locust's (configargparse) parser; workers receive them from the master."""
    group = parser.add_argument_group("VN30 tracker load")
    group.add_argument("--sim-url", env_var="LOAD_SIM_URL", default="",
                       help="SSI simulator base URL; with it, the feeder publishes delivery stamps")
    group.add_argument("--stamp-symbol", env_var="LOAD_STAMP_SYMBOL", default="ZZSTAMP",
                       help="sentinel symbol of the stamps (must be in the tracker's EXTRA_SYMBOLS)")
    group.add_argument("--stamp-interval", env_var="LOAD_STAMP_INTERVAL_S", type=float, default=1.0,
                       help="seconds between stamps; keep it above the tracker's WS_THROTTLE_INTERVAL_MS")
    group.add_argument("--seed-market", env_var="LOAD_SEED_MARKET", type=int, default=1,
                       help="1: publish one figure per VN30 symbol first, so snapshots have their real size")
    group.add_argument("--ws-token", env_var="LOAD_WS_TOKEN", default="",
                       help="WS_AUTH_TOKEN of the tracker, sent as ?token=")
    group.add_argument("--poll-interval", env_var="LOAD_POLL_INTERVAL_S", type=float, default=2.0,
                       help="seconds between two foreign-detail polls of one ForeignPoller (constant pacing)")
    group.add_argument("--reconnect-messages", env_var="LOAD_RECONNECT_MESSAGES", type=int, default=3,
                       help="messages a reconnect-storm client waits for before it disconnects")
    group.add_argument("--thresholds", env_var="LOAD_THRESHOLDS", default=DEFAULT_THRESHOLDS, type=thresholds_text,
                       help="'<measure> <limit>; ...' (e.g. 'delivery latency p99 under 100 ms; failures under 1 %%') "
                            "checked when Locust quits (exit code 1 if broken)")
    group.add_argument("--open-users", env_var="LOAD_OPEN_USERS", type=int, default=800,
                       help="market-open shape: users at the peak")
    group.add_argument("--open-ramp", env_var="LOAD_OPEN_RAMP_S", type=float, default=30.0,
                       help="market-open shape: seconds from 0 to the peak")
    group.add_argument("--open-hold", env_var="LOAD_OPEN_HOLD_S", type=float, default=60.0,
                       help="market-open shape: seconds at the peak")
    group.add_argument("--open-down", env_var="LOAD_OPEN_DOWN_S", type=float, default=15.0,
                       help="market-open shape: seconds from the peak back to 0")
