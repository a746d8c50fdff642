"""Prometheus metrics of one tracker app, in its own registry so several apps can share a process."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from tracker.loop_lag import BUCKETS_S

CHANNELS = ("market", "foreign", "index", "alerts")


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.frames_received = Counter(
            "tracker_frames_received", "Upstream market-data messages received", registry=self.registry)
        self.frames_rejected = Counter(
            "tracker_frames_rejected", "Upstream messages dropped as malformed", ["reason"], registry=self.registry)
        self.ws_messages_sent = Counter(
            "tracker_ws_messages_sent", "Messages sent to WebSocket clients", ["channel"], registry=self.registry)
        self.ws_connections = Gauge(
            "tracker_ws_connections", "Open WebSocket client connections", ["channel"], registry=self.registry)
        self.upstream_connected = Gauge(
            "tracker_upstream_connected", "1 while the SSI stream is connected", registry=self.registry)
        self.loop_lag = Histogram(
            "tracker_event_loop_lag_seconds", "How late the event loop ran a due timer (tracker.loop_lag)",
            buckets=BUCKETS_S, registry=self.registry)
        for channel in CHANNELS:
            self.ws_messages_sent.labels(channel=channel)
            self.ws_connections.labels(channel=channel)

    def render(self) -> bytes:
        return generate_latest(self.registry)
