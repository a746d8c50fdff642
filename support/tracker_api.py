"""What an API caller can read from the tracker (section 4 of docs/CONTRACT.md), by meaning rather than by URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from support.http_client import HttpClient

HISTORY_LIMIT = 200  # the most alerts one request may ask for
RESOURCES: dict[str, str] = {
    "the market snapshot": "/api/market/snapshot",
    "foreign detail": "/api/market/foreign-detail",
    "volume stats": "/api/market/volume-stats",
    "basis trend": "/api/market/basis-trend",
    "alerts": "/api/market/alerts",
    "VN30 components": "/api/vn30-components",
}


class TrackerApi:
    """Typed-ish reads of the REST API; each raises AssertionError naming what is missing.

        api = TrackerApi(http)
        api.session_stats("VNM")["total_volume"]
        api.rejected_frames()
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def snapshot(self) -> dict[str, Any]:
        snapshot: dict[str, Any] = self.http.get_json(RESOURCES["the market snapshot"])
        return snapshot

    def session_stats(self, symbol: str) -> dict[str, Any]:
        return _entry(self.snapshot().get("quotes") or {}, symbol, "session stats (quotes)")

    def price(self, symbol: str) -> dict[str, Any]:
        return _entry(self.snapshot().get("prices") or {}, symbol, "prices")

    def derivatives(self) -> dict[str, Any]:
        derivatives = self.snapshot().get("derivatives")
        if not isinstance(derivatives, dict):
            raise AssertionError(  # noqa: TRY004 - an outcome that eventually() waits for
                f"the market snapshot has no derivatives yet (derivatives: {derivatives!r})")
        return derivatives

    def basis_trend(self, minutes: int) -> list[dict[str, Any]]:
        trend: list[dict[str, Any]] = self.http.get_json(RESOURCES["basis trend"], params={"minutes": minutes})
        return trend

    def foreign_detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = self.http.get_json(RESOURCES["foreign detail"])
        return detail

    def foreign(self, symbol: str) -> dict[str, Any]:
        """The foreign flow of one symbol (its entry in foreign detail)."""
        stocks = self.foreign_detail().get("stocks") or []
        entry = next((s for s in stocks if isinstance(s, dict) and s.get("symbol") == symbol), None)
        if entry is None:
            raise AssertionError(
                f"foreign detail has no {symbol} (it has {[s.get('symbol') for s in stocks] or 'nothing'})")
        return entry

    def alerts(self, **params: Any) -> list[dict[str, Any]]:
        alerts: list[dict[str, Any]] = self.http.get_json(RESOURCES["alerts"], params=params)
        return alerts

    def alerts_for(self, kind: str, symbol: str) -> list[dict[str, Any]]:
        """The history's `kind` alerts (alert_type) for `symbol`, newest first."""
        return [alert for alert in self.alerts(type=kind, limit=HISTORY_LIMIT) if alert.get("symbol") == symbol]

    def ask(self, resource: str, params: Mapping[str, Any]) -> httpx.Response:
        """GET a resource by its name in RESOURCES (e.g. "basis trend"), whatever the answer."""
        try:
            path = RESOURCES[resource]
        except KeyError:
            raise KeyError(f"unknown resource {resource!r}: known are {', '.join(RESOURCES)}") from None
        return self.http.get(path, params=params)

    def metric(self, name: str) -> float:
        """The sum of every sample of a Prometheus metric (over all labels); 0 if absent."""
        text = self.http.get("/metrics").text
        total = 0.0
        for line in text.splitlines():
            if line.startswith((f"{name}{{", f"{name} ")):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def rejected_frames(self) -> float:
        return self.metric("tracker_frames_rejected_total")


def _entry(section: Mapping[str, Any], key: str, what: str) -> dict[str, Any]:
    entry = section.get(key)
    if not isinstance(entry, dict):
        raise AssertionError(  # noqa: TRY004 - an outcome that eventually() waits for
            f"the market snapshot's {what} have no {key} (it has {sorted(section) or 'nothing'})")
    return entry
