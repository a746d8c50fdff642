"""Market-open burst: 0 to 800 users in 30 s, hold, ramp down; dashboards on WebSocket and REST mixed.

    locust -f load/market_open.py --host http://127.0.0.1:8000 --sim-url http://127.0.0.1:9000/ --headless

The shape (load/shapes.py MarketOpenShape, sized by --open-users/--open-ramp/--open-hold/
--open-down) drives the run and stops it; users share the count by weight: MarketStreamUser 2,
DashboardUser 1, ForeignPoller 1. Delivery stamps and thresholds as in load/locustfile.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from locust import events

from load import hooks
from load.shapes import MarketOpenShape
from load.users import DashboardUser, ForeignPoller, MarketStreamUser

hooks.install(events)

__all__ = ["DashboardUser", "ForeignPoller", "MarketOpenShape", "MarketStreamUser"]
