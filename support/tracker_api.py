"""What an API caller can read from the tracker (section 4 of docs/CONTRACT.md), by meaning rather than by URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from support.http_client import HttpClient

HISTORY_LIMIT = 200  # the most alerts one request may ask for
RESOURCES: dict[str, str] = {
    "the market snapshot": "/api/market/snapshot",
    "foreign detail": "/api/market/foreign-detail",
    "volume stats": "/api/market/volume-stats",
    "basis trend": "/api/market/basis-trend",
    "alerts": "/api/market/alerts",
    "VN30 components": "/api/vn30-components",
    "the health check": "/health",
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
        return _object(self.http.get_json(RESOURCES["the market snapshot"]), "the market snapshot")

    def session_stats(self, symbol: str) -> dict[str, Any]:
        return _entry(_object(self.snapshot().get("quotes") or {}, "the snapshot's quotes"), symbol,
                      "session stats (quotes)")

    def price(self, symbol: str) -> dict[str, Any]:
        return _entry(_object(self.snapshot().get("prices") or {}, "the snapshot's prices"), symbol, "prices")

    def derivatives(self) -> dict[str, Any]:
        derivatives = self.snapshot().get("derivatives")
        if not isinstance(derivatives, dict):
            raise AssertionError(  # noqa: TRY004 - an outcome that eventually() waits for
                f"the market snapshot has no derivatives yet (derivatives: {derivatives!r})")
        return derivatives

    def volume_stats(self) -> list[dict[str, Any]]:
        """The session stats of every symbol, as the volume statistics list them ([rest-volume-stats])."""
        stats = _object(self.http.get_json(RESOURCES["volume stats"]), "the volume statistics")["stats"]
        return _objects(stats, "the volume statistics' stats")

    def basis_trend(self, minutes: int | None) -> list[dict[str, Any]]:
        """The basis points of the last `minutes` (None: the tracker's default window)."""
        params = {} if minutes is None else {"minutes": minutes}
        return _objects(self.http.get_json(RESOURCES["basis trend"], params=params), "the basis trend")

    def foreign_detail(self) -> dict[str, Any]:
        return _object(self.http.get_json(RESOURCES["foreign detail"]), "foreign detail")

    def foreign(self, symbol: str) -> dict[str, Any]:
        """The foreign flow of one symbol (its entry in foreign detail)."""
        stocks = _objects(self.foreign_detail().get("stocks") or [], "foreign detail's stocks")
        entry = next((s for s in stocks if isinstance(s, dict) and s.get("symbol") == symbol), None)
        if entry is None:
            raise AssertionError(
                f"foreign detail has no {symbol} (it has {[s.get('symbol') for s in stocks] or 'nothing'})")
        return entry

    def alerts(self, **params: Any) -> list[dict[str, Any]]:
        return _objects(self.http.get_json(RESOURCES["alerts"], params=params), "the alert history")

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
        """The sum of every sample of a Prometheus counter or gauge (over all labels); 0 if absent.

        `name` as exposed (`tracker_frames_received_total`); prometheus_client's parser reads the
        text, timestamps and escapes included, and its error is the tracker's: [metrics].
        """
        return float(sum(sample.value for family in self._metric_families() for sample in family.samples
                         if sample.name == name))

    def histogram(self, name: str) -> dict[float, float]:
        """A Prometheus histogram's cumulative counts by upper bound (`le`, +Inf included); {} if absent."""
        return {float(sample.labels["le"]): sample.value for family in self._metric_families()
                for sample in family.samples if sample.name == f"{name}_bucket"}

    def _metric_families(self) -> list[Metric]:
        response = self.http.get("/metrics")
        if response.status_code != 200:
            raise AssertionError(f"GET /metrics answered {response.status_code}: {response.text[:300]}")
        try:
            return list(text_string_to_metric_families(response.text))
        except ValueError as error:
            raise AssertionError(f"GET /metrics is not Prometheus text: {error}") from None

    def rejected_frames(self) -> float:
        return self.metric("tracker_frames_rejected_total")

    def frames_received(self) -> float:
        """Upstream market-data frames the tracker has read ([metrics])."""
        return self.metric("tracker_frames_received_total")


def answered_body(response: httpx.Response | None, *, asked: str, expected: str) -> Any:
    """The body of the caller's last answer (a step's `world.last_response`) when it is a 200; an AssertionError
    saying what nobody asked for, or what was `expected` and what the tracker answered instead."""
    assert response is not None, f"no API caller has asked {asked} in this scenario"
    assert response.status_code == 200, (f"expected {expected}; the tracker answered {response.status_code}: "
                                         f"{response.text[:300]}")
    return response.json()


class Shown(dict[str, Any]):
    """A JSON object the tracker answered: a field it lacks is an AssertionError naming it, not a KeyError.

    So `stats["total_volume"]` in a step fails the scenario as a contract violation ([shapes]),
    whatever the step's keyword, instead of breaking it as if the suite were at fault.
    """

    def __init__(self, value: dict[str, Any], what: str) -> None:
        super().__init__(value)
        self.what = what

    def __missing__(self, key: str) -> Any:
        raise AssertionError(f"{self.what} has no {key!r} (it has {sorted(self) or 'nothing'})")


def _object(value: Any, what: str) -> dict[str, Any]:
    """`value` when it is a JSON object; else the tracker broke a shape of the contract."""
    if not isinstance(value, dict):
        raise AssertionError(f"{what} is {type(value).__name__} {str(value)[:200]}, not a JSON object")  # noqa: TRY004 - an outcome
    return Shown(value, what)


def _objects(value: Any, what: str) -> list[dict[str, Any]]:
    """`value` when it is a list of JSON objects; else the tracker broke a shape of the contract."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise AssertionError(f"{what} is {str(value)[:200]}, not a list of JSON objects")
    return [Shown(item, f"an entry of {what}") for item in value]


def _entry(section: Mapping[str, Any], key: str, what: str) -> dict[str, Any]:
    entry = section.get(key)
    if not isinstance(entry, dict):
        raise AssertionError(  # noqa: TRY004 - an outcome that eventually() waits for
            f"the market snapshot's {what} have no {key} (it has {sorted(section) or 'nothing'})")
    return Shown(entry, f"the {what} of {key}")
