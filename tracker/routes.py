"""REST routes of docs/CONTRACT.md ([rest-health], [rest-components], [rest-snapshot], ..., [metrics])."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from tracker.service import TrackerService
from tracker.stream import UpstreamState

router = APIRouter()


class AlertType(str, enum.Enum):
    VOLUME_SPIKE = "volume_spike"
    PRICE_BREAKOUT = "price_breakout"
    FOREIGN_ACCELERATION = "foreign_acceleration"
    BASIS_DIVERGENCE = "basis_divergence"


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


def _service(request: Request) -> TrackerService:
    service: TrackerService = request.app.state.service
    return service


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    service = _service(request)
    state = service.upstream_state
    return {"status": "ok", "upstream": state.value, "upstream_connected": state is UpstreamState.CONNECTED,
            "vn30_count": len(service.vn30)}


@router.get("/api/vn30-components")
async def vn30_components(request: Request) -> dict[str, Any]:
    return {"symbols": list(_service(request).vn30)}


@router.get("/api/market/snapshot")
async def snapshot(request: Request) -> Any:
    return _service(request).processor.snapshot()


@router.get("/api/market/foreign-detail")
async def foreign_detail(request: Request) -> Any:
    return _service(request).processor.foreign_detail()


@router.get("/api/market/volume-stats")
async def volume_stats(request: Request) -> Any:
    return _service(request).processor.volume_stats()


@router.get("/api/market/basis-trend")
async def basis_trend(request: Request, minutes: Annotated[int, Query(ge=1, le=120)] = 30) -> Any:
    return _service(request).processor.basis_trend(minutes)


@router.get("/api/market/alerts")
async def alerts(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 50,
           type: AlertType | None = None, severity: Severity | None = None) -> Any:
    return _service(request).processor.alerts(
        limit=limit,
        alert_type=type.value if type is not None else None,
        severity=severity.value if severity is not None else None,
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    service = _service(request)
    return Response(service.metrics.render(), media_type=service.metrics.content_type)
