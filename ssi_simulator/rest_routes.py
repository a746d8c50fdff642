"""SSI's market-data REST endpoints: AccessToken, IndexComponents and Securities."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .messages import AccessTokenResponse, ListResponse
from .state import SimulatorState
from .vn30 import isin_of

PREFIX = "/api/v2/Market"

Handler = Callable[[Request], Awaitable[Response]]


def _page(request: Request, rows: list[dict[str, Any]], default_size: int) -> list[dict[str, Any]]:
    try:
        index = max(1, int(request.query_params.get("pageIndex", "1")))
        size = max(1, int(request.query_params.get("pageSize", str(default_size))))
    except ValueError:
        index, size = 1, default_size
    return rows[(index - 1) * size : index * size]


def _listing(total: int, data: list[dict[str, Any]]) -> JSONResponse:
    body: ListResponse = {"status": "Success", "message": "Success", "totalRecord": total, "data": data}
    return JSONResponse(body)


def routes(state: SimulatorState) -> list[BaseRoute]:
    def bearer(handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            problem = state.check_bearer(request.headers.get("authorization"))
            if problem is not None:
                return JSONResponse(
                    {"status": 401, "message": f"Unauthorized: {problem}", "data": None}, status_code=401
                )
            return await handler(request)

        return guarded

    def _refuse(reason: str) -> Response:
        state.token_refusals.append(reason)
        return _refusal(reason)

    async def access_token(request: Request) -> Response:
        state.record_token_request()
        try:
            body: Any = json.loads(await request.body())
        except ValueError:
            body = None
        if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("consumerID", "consumerSecret")):
            return _refuse("consumerID and consumerSecret are required")
        if body["consumerID"] != state.consumer_id:
            return _refuse("ConsumerID is invalid")
        if body["consumerSecret"] != state.consumer_secret:
            return _refuse("ConsumerSecret is invalid")
        answer: AccessTokenResponse = {
            "status": 200,
            "message": "Success",
            "data": {"accessToken": state.issue_token()},
        }
        return JSONResponse(answer)

    async def index_components(request: Request) -> Response:
        code = request.query_params.get("indexCode", "").upper()
        symbols = state.vn30 if code == "VN30" else []
        if not symbols:
            return _listing(0, [])
        if state.vn30_shape == "flat":
            rows = [{"IndexCode": "VN30", "StockSymbol": s, "Isin": isin_of(s)} for s in symbols]
            return _listing(len(rows), _page(request, rows, 100))
        nested = {
            "IndexCode": "VN30",
            "IndexName": "VN30",
            "Exchange": "HOSE",
            "TotalSymbolNo": len(symbols),
            "IndexComponent": [{"Isin": isin_of(s), "StockSymbol": s} for s in symbols],
        }
        return _listing(1, _page(request, [nested], 100))

    async def securities(request: Request) -> Response:
        market = request.query_params.get("market", "").upper()
        rows = [r for r in state.securities if not market or str(r.get("Market", market)).upper() == market]
        return _listing(len(rows), _page(request, rows, 100))

    return [
        Route(f"{PREFIX}/AccessToken", access_token, methods=["POST"]),
        Route(f"{PREFIX}/IndexComponents", bearer(index_components), methods=["GET"]),
        Route(f"{PREFIX}/Securities", bearer(securities), methods=["GET"]),
    ]


def _refusal(message: str) -> JSONResponse:
    answer: AccessTokenResponse = {"status": 400, "message": message, "data": None}
    return JSONResponse(answer)
