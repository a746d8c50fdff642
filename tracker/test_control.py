"""Test-only clock control ([test-clock], docs/CONTRACT.md); mounted only with TRACKER_TEST_CONTROL=1 ([config-test-control])."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from tracker.service import TrackerService

router = APIRouter(prefix="/__test__")
MARKET_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class ClockMove(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    advance_seconds: float | None = None
    set_to: str | None = Field(default=None, alias="set")


def _now(service: TrackerService) -> dict[str, Any]:
    return {"now": service.clock.now().isoformat()}


@router.get("/clock")
async def get_clock(request: Request) -> dict[str, Any]:
    return _now(request.app.state.service)


@router.post("/clock")
async def move_clock(move: ClockMove, request: Request) -> dict[str, Any]:
    service: TrackerService = request.app.state.service
    if (move.advance_seconds is None) == (move.set_to is None):
        raise HTTPException(422, detail="give exactly one of advance_seconds or set")
    if move.advance_seconds is not None:
        if not math.isfinite(move.advance_seconds):
            raise HTTPException(422, detail="advance_seconds must be a finite number")
        service.clock.advance(move.advance_seconds)
    else:
        service.clock.set(_parse_time(str(move.set_to)))
    service.check_daily_reset()
    return _now(service)


def _parse_time(raw: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise HTTPException(422, detail=f"set: {raw!r} is not an ISO-8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=MARKET_TZ)
