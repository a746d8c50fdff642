"""What the tracker answers is read as the contract's shapes: a wrong one is a failed scenario, not a broken one."""

from __future__ import annotations

import httpx
import pytest

from support.http_client import HttpClient
from support.tracker_api import TrackerApi


def _api(handler: httpx.MockTransport) -> TrackerApi:
    http = HttpClient("http://tracker.test")
    http._client = httpx.Client(base_url="http://tracker.test", transport=handler)  # the tracker, faked
    return TrackerApi(http)


def _answering(path: str, body: str, status: int = 200) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status if request.url.path == path else 404, text=body)
    return httpx.MockTransport(handle)


def test_a_missing_field_is_an_assertion_naming_it() -> None:
    api = _api(_answering("/api/market/snapshot", '{"quotes": {"VNM": {"symbol": "VNM"}}}'))
    with pytest.raises(AssertionError, match="has no 'total_volume'"):
        api.session_stats("VNM")["total_volume"]


def test_a_list_where_an_object_belongs_is_an_assertion() -> None:
    api = _api(_answering("/api/market/snapshot", "[1, 2]"))
    with pytest.raises(AssertionError, match="the market snapshot is list"):
        api.snapshot()


def test_a_body_that_is_not_json_is_an_assertion() -> None:
    api = _api(_answering("/api/market/alerts", "<html>oops</html>"))
    with pytest.raises(AssertionError, match="not JSON"):
        api.alerts()


def test_metrics_are_read_with_the_prometheus_parser_timestamps_included() -> None:
    text = ('# TYPE tracker_frames_received_total counter\n'
            'tracker_frames_received_total 41 1700000000000\n'
            '# TYPE tracker_frames_rejected_total counter\n'
            'tracker_frames_rejected_total{reason="not_json"} 2\n'
            'tracker_frames_rejected_total{reason="bad_type"} 3\n')
    api = _api(_answering("/metrics", text))
    assert api.metric("tracker_frames_received_total") == 41
    assert api.rejected_frames() == 5


def test_metrics_that_are_not_prometheus_text_are_an_assertion() -> None:
    api = _api(_answering("/metrics", "tracker_frames_received_total forty-one\n"))
    with pytest.raises(AssertionError, match="not Prometheus text"):
        api.metric("tracker_frames_received_total")
