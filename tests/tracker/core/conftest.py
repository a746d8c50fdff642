"""Fixtures of the core tests: a frozen clock at 10:00 on a trading day and a processor."""

from __future__ import annotations

import pytest
from core_frames import OPEN, VN30

from tracker.core.clock import Clock
from tracker.core.processor import MarketProcessor


@pytest.fixture
def clock() -> Clock:
    return Clock(OPEN)


@pytest.fixture
def proc(clock: Clock) -> MarketProcessor:
    return MarketProcessor(clock, vn30=VN30, extra_symbols=["SSI"])
