"""The client personas of the tracker: dashboards on the market channel, REST pollers, reconnect storms."""

from __future__ import annotations

import time

from locust import FastHttpUser, between, constant, constant_pacing, task

from load.ws_user import WebSocketUser


class MarketStreamUser(WebSocketUser):
    """A dashboard streaming `/ws/market` for the whole run, reconnecting after a loss."""

    weight = 2
    wait_time = constant(0)

    def on_start(self) -> None:
        self.connect()

    @task
    def stream(self) -> None:
        if self.ws is None:
            time.sleep(1.0)  # gevent-patched: a pause before reconnecting after a loss
            self.connect()
            return
        self.receive()


class ReconnectStormUser(WebSocketUser):
    """A flaky client: connects, reads a few messages, disconnects; every 10 s."""

    weight = 1
    connect_name = "reconnect /ws/market"
    wait_time = constant_pacing(10)

    @task
    def cycle(self) -> None:
        if not self.connect():
            return
        wanted = max(1, int(getattr(self.environment.parsed_options, "reconnect_messages", 3)))
        deadline = time.monotonic() + 8.0
        while self.ws is not None and self.messages < wanted and time.monotonic() < deadline:
            self.receive()
        self.disconnect()


class ForeignPoller(FastHttpUser):
    """A foreign-flow screen polling the foreign detail every 2 s (constant pacing)."""

    weight = 1

    def wait_time(self) -> float:
        """Constant pacing: one poll every `--poll-interval` (2 s), however long the answer took."""
        interval = float(getattr(self.environment.parsed_options, "poll_interval", 2.0) or 2.0)
        return float(constant_pacing(interval)(self))

    @task
    def foreign_detail(self) -> None:
        get_json(self, "/api/market/foreign-detail", ("summary", "stocks"))


class DashboardUser(FastHttpUser):
    """A REST dashboard: snapshot 5 : foreign detail 3 : alerts 1."""

    weight = 1
    wait_time = between(1, 3)

    @task(5)
    def snapshot(self) -> None:
        get_json(self, "/api/market/snapshot", ("quotes", "prices", "indices"))

    @task(3)
    def foreign_detail(self) -> None:
        get_json(self, "/api/market/foreign-detail", ("summary", "stocks"))

    @task(1)
    def alerts(self) -> None:
        get_json(self, "/api/market/alerts?limit=50", None, name="/api/market/alerts")


def get_json(user: FastHttpUser, path: str, keys: tuple[str, ...] | None, name: str | None = None) -> None:
    """GET `path`; a failure unless it is a 200 JSON object with `keys` (a JSON list when keys is None)."""
    with user.client.get(path, name=name or path, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
            return
        try:
            body = response.json()
        except ValueError:
            response.failure("not JSON")
            return
        if keys is None:
            if not isinstance(body, list):
                response.failure("not a JSON list")
        elif not (isinstance(body, dict) and all(k in body for k in keys)):
            response.failure(f"missing one of {', '.join(keys)}")
