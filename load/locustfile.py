"""Load on the VN30 tracker's REST and WebSocket surface (docs/CONTRACT.md: [perf-ws-latency], [perf-rest-latency]).

    locust -f load/locustfile.py --host http://127.0.0.1:8000 --sim-url http://127.0.0.1:9000/ \\
        --headless -u 500 -r 100 -t 60s MarketStreamUser

Users (pick them by class name on the command line; all of them by weight otherwise):
MarketStreamUser (streams /ws/market), ForeignPoller (foreign detail every 2 s),
DashboardUser (snapshot 5 : foreign 3 : alerts 1), ReconnectStormUser (connect, a few
messages, disconnect; every 10 s). No load shape here: `load/market_open.py` adds one.

Delivery latency, and why it excludes the throttle window without subtracting anything:
the feeder publishes, through the simulator's control API, a trade of a sentinel symbol
(in the tracker's EXTRA_SYMBOLS) carrying a sequence number and its publish time; a client
records when each stamp first appears (entry `WS delivery latency`: receipt minus publish
time, same machine clock). Stamps go out every `--stamp-interval` (1 s) after a quiet
window, and nothing else is published meanwhile, so with the contract's default
WS_THROTTLE_INTERVAL_MS (500) every stamp is the first change after a quiet window, which
the tracker sends at once: the figure is parsing + processing + rendering + fan-out + the
socket, never the throttle hold. Keep the stamp interval above the throttle interval; a
sequence gap (a stamp a connected client never saw) counts as a failure of the entry.

Pass/fail: the `quitting` listener sets the exit code from `--thresholds` (load/hooks.py; the
grammar of the limits tables, support/limits.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run by path: make `load` importable from any working directory
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from locust import events

from load import hooks
from load.users import (
    DashboardUser,
    ForeignPoller,
    MarketStreamUser,
    ReconnectStormUser,
)

hooks.install(events)

__all__ = ["DashboardUser", "ForeignPoller", "MarketStreamUser", "ReconnectStormUser"]
