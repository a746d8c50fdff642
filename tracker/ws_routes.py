"""WebSocket endpoints of [ws-channels] (docs/CONTRACT.md): /ws/market, /ws/foreign, /ws/index, /ws/alerts."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from tracker.service import TrackerService

router = APIRouter()


async def _serve(websocket: WebSocket, channel: str) -> None:
    service: TrackerService = websocket.app.state.service
    await service.hub.serve(websocket, channel)


@router.websocket("/ws/market")
async def market(websocket: WebSocket) -> None:
    await _serve(websocket, "market")


@router.websocket("/ws/foreign")
async def foreign(websocket: WebSocket) -> None:
    await _serve(websocket, "foreign")


@router.websocket("/ws/index")
async def index(websocket: WebSocket) -> None:
    await _serve(websocket, "index")


@router.websocket("/ws/alerts")
async def alerts(websocket: WebSocket) -> None:
    await _serve(websocket, "alerts")
